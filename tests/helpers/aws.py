"""moto's server on 127.0.0.1 standing in for AWS (S3, SageMaker, CloudWatch Logs) in the scale-out tests.

`MotoServer()` starts it on a free port; `.env` holds what a client needs (endpoint, region, made-up credentials),
and `with server.environ():` puts it in os.environ for code that builds its own boto3 clients. Canary keys: the
credentials are made up and distinctive, so a test can search every file a run wrote for them."""
import os
from contextlib import contextmanager

CANARY_KEY_ID = 'tweetnb-canary-key-id-0001'   # made up, and shaped unlike a real key
CANARY_SECRET = 'tweetnb-canary-secret-9b1f2e7d4c'


class MotoServer:
    "moto's ThreadedMotoServer on 127.0.0.1 (a free port), with the environment a boto3 client needs."

    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.url = f'http://{host}:{port}'
        self.env = {'AWS_ENDPOINT_URL': self.url, 'AWS_DEFAULT_REGION': 'us-east-1', 'AWS_REGION': 'us-east-1',
                    'AWS_ACCESS_KEY_ID': CANARY_KEY_ID, 'AWS_SECRET_ACCESS_KEY': CANARY_SECRET}

    @contextmanager
    def environ(self):
        "os.environ with this server's endpoint and credentials inside the block."
        old = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            yield self
        finally:
            for k, v in old.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)

    def reset(self):
        "Forget every bucket, job and log (moto's reset endpoint)."
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f'{self.url}/moto-api/reset', method='POST')).read()

    def stop(self):
        self.server.stop()

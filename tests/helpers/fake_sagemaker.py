"""What SageMaker would do with a CreateProcessingJob request, done here: moto records the job (and calls it
Completed at once) but runs nothing, so `FakeSageMaker` hooks boto3's default session and, after each
CreateProcessingJob call, runs the job's container command (the real `tweetnb stage … --processing`) once per
instance in a temporary /opt/ml/processing layout:

- the `FullyReplicated` input (the run folder) is copied from moto's S3 to every instance;
- the `ShardedByS3Key` input's objects are dealt out over the instances in key order, as SageMaker does;
- the instance's output folder is uploaded to the output's S3 URI at the end (`EndOfJob`);
- the container's output goes to moto's CloudWatch Logs (/aws/sagemaker/ProcessingJobs, `<job>/algo-<i>-…`).

It also keeps every request as sent (`.requests`), because moto's records drop fields (GUIDE §1)."""
import os, subprocess, sys, tempfile, time
from pathlib import Path

import boto3

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


class FakeSageMaker:
    def __init__(self, env: dict, run_containers: bool = True):
        self.env, self.run_containers = env, run_containers
        self.requests, self.exit_codes = [], {}
        boto3.setup_default_session()
        ev = boto3.DEFAULT_SESSION.events
        ev.register('provide-client-params.sagemaker.CreateProcessingJob', self._capture)
        ev.register('after-call.sagemaker.CreateProcessingJob', self._run)

    def _capture(self, params, **kw):
        self.requests.append(dict(params))

    def _s3(self):
        return boto3.session.Session().client('s3', region_name='us-east-1', endpoint_url=self.env['AWS_ENDPOINT_URL'])

    def _download(self, s3, uri: str, dest: Path, keys=None):
        bucket, _, prefix = uri[5:].partition('/')
        prefix = prefix.rstrip('/') + '/'
        for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix):
            for o in page.get('Contents', []):
                rel = o['Key'][len(prefix):]
                if keys is None or rel in keys:
                    (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                    s3.download_file(bucket, o['Key'], str(dest / rel))

    def _keys(self, s3, uri: str) -> list:
        bucket, _, prefix = uri[5:].partition('/')
        prefix = prefix.rstrip('/') + '/'
        return sorted(o['Key'][len(prefix):] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get('Contents', []))

    def _run(self, **kw):
        if not self.run_containers:
            return
        req = self.requests[-1]
        name, s3 = req['ProcessingJobName'], self._s3()
        n = req['ProcessingResources']['ClusterConfig']['InstanceCount']
        codes = []
        for i in range(n):
            with tempfile.TemporaryDirectory() as d:
                root = Path(d) / 'opt' / 'ml' / 'processing'
                for inp in req['ProcessingInputs']:
                    si = inp['S3Input']
                    local = root / Path(si['LocalPath']).relative_to('/opt/ml/processing')
                    local.mkdir(parents=True, exist_ok=True)
                    keys = None
                    if si['S3DataDistributionType'] == 'ShardedByS3Key':
                        keys = set(self._keys(s3, si['S3Uri'])[i::n])
                    self._download(s3, si['S3Uri'], local, keys)
                cmd = [str(BIN / req['AppSpecification']['ContainerEntrypoint'][0]),
                       *req['AppSpecification']['ContainerEntrypoint'][1:]]
                cmd[-1:] = ['--processing', str(root)]
                env = {**os.environ, **self.env, **req.get('Environment', {})}
                p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
                codes.append(p.returncode)
                self._log(name, i, p.stdout + p.stderr)
                for out in req['ProcessingOutputConfig']['Outputs']:
                    so = out['S3Output']
                    local = root / Path(so['LocalPath']).relative_to('/opt/ml/processing')
                    bucket, _, prefix = so['S3Uri'][5:].partition('/')
                    for f in sorted(x for x in local.rglob('*') if x.is_file()):
                        s3.upload_file(str(f), bucket, prefix.rstrip('/') + '/' + f.relative_to(local).as_posix())
        self.exit_codes[name] = codes

    def _log(self, name: str, i: int, text: str):
        logs = boto3.session.Session().client('logs', region_name='us-east-1',
                                              endpoint_url=self.env['AWS_ENDPOINT_URL'])
        group, stream = '/aws/sagemaker/ProcessingJobs', f'{name}/algo-{i + 1}-{int(time.time())}'
        try:
            logs.create_log_group(logGroupName=group)
        except logs.exceptions.ResourceAlreadyExistsException:
            pass
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        now = int(time.time() * 1000)
        lines = [x for x in text.splitlines() if x.strip()][-200:] or ['(no output)']
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[dict(timestamp=now + k, message=m) for k, m in enumerate(lines)])

    def close(self):
        ev = boto3.DEFAULT_SESSION.events
        ev.unregister('provide-client-params.sagemaker.CreateProcessingJob', self._capture)
        ev.unregister('after-call.sagemaker.CreateProcessingJob', self._run)

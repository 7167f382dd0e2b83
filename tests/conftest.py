"""Shared helpers for the end-to-end and fault tests: run the real `tweetnb` command in a subprocess; the fake
servers and the throwaway PostgreSQL in tests/helpers are importable by name (`from xserver import XServer`)."""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = 'tweetnb-test-bearer-7f3a9c1e5b2d'   # a made-up token: it must never reach any output
sys.path.insert(0, str(Path(__file__).parent / 'helpers'))


def run_cli(*args, env=None, check=True, timeout=900):
    "Run `tweetnb ARGS` from the repo root; return the CompletedProcess (stdout+stderr in .out)."
    e = {**os.environ, 'HF_HUB_OFFLINE': '1', **(env or {})}
    p = subprocess.run([str(BIN / 'tweetnb'), *map(str, args)], cwd=ROOT, env=e, capture_output=True, text=True,
                       timeout=timeout)
    p.out = p.stdout + p.stderr
    if check and p.returncode != 0:
        raise AssertionError(f'tweetnb {" ".join(map(str, args))} exited {p.returncode}:\n{p.out}')
    return p


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope='session')
def moto_server():
    "moto's server on 127.0.0.1 for S3, SageMaker and CloudWatch Logs (see tests/helpers/aws.py)."
    from aws import MotoServer

    s = MotoServer()
    yield s
    s.stop()


@pytest.fixture
def aws(moto_server):
    "A clean moto server, its endpoint and canary credentials in os.environ for the test."
    moto_server.reset()
    with moto_server.environ():
        yield moto_server

"""`tweetnb run --backend sagemaker` against moto's server on 127.0.0.1 (S3, SageMaker, CloudWatch Logs), with each
job's container command run here by tests/helpers/fake_sagemaker.py in a temporary /opt/ml/processing layout."""
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from aws import CANARY_KEY_ID, CANARY_SECRET
from fake_sagemaker import FakeSageMaker
from tweetnb.cli import main

ROLE = 'arn:aws:iam::123456789012:role/tweetnb-processing'
RANGE = ['--start', '2023-05-14', '--end', '2023-05-31']


@pytest.fixture
def sm(aws):
    import boto3

    boto3.client('s3', region_name='us-east-1').create_bucket(Bucket='tweetnb-test')
    fake = FakeSageMaker(aws.env)
    yield fake
    fake.close()


def sagemaker_args(out, *extra):
    return ['run', *RANGE, '--out', str(out), '--backend', 'sagemaker', '--s3', 's3://tweetnb-test/study',
            '--role', ROLE, '--image', '123456789012.dkr.ecr.us-east-1.amazonaws.com/tweetnb:test',
            '--instance-type', 'ml.g5.xlarge', '--expected-posts', '1847', *extra]


def files_with(folder: Path, *needles) -> list:
    return [str(p) for p in Path(folder).rglob('*') if p.is_file()
            and any(n.encode() in p.read_bytes() for n in needles)]


def test_sharded_run_equals_one_machine(sm, tmp_path, capsys, cli):
    "crawl → clean → language as jobs, language over 3 instances then merged: the same tables as a local run."
    local = tmp_path / 'local'
    cli('run', *RANGE, '--out', local, '--lake', tmp_path / 'lake', '--to-stage', 'language')
    rc = main(sagemaker_args(tmp_path / 'sm', '--instance-count', '3', '--to-stage', 'language'))
    out = capsys.readouterr().out
    assert rc == 0, out
    assert 'cost estimate for 1,847 posts' in out
    reqs = {r['ProcessingJobName']: r for r in sm.requests}
    assert len(reqs) == 4, list(reqs)   # crawl, clean, language shards, language merge
    assert all(codes == [0] * len(codes) for codes in sm.exit_codes.values()), sm.exit_codes
    shards = next(r for n, r in reqs.items() if '-language-shards-' in n)
    merge = next(r for n, r in reqs.items() if '-language-merge-' in n)
    cc = shards['ProcessingResources']['ClusterConfig']
    assert (cc['InstanceCount'], cc['InstanceType'], cc['VolumeSizeInGB']) == (3, 'ml.g5.xlarge', 30)
    assert [i['S3Input']['S3DataDistributionType'] for i in shards['ProcessingInputs']] == \
        ['FullyReplicated', 'ShardedByS3Key']
    assert shards['AppSpecification']['ContainerEntrypoint'] == ['tweetnb', 'stage', 'language', '--processing']
    assert merge['AppSpecification']['ContainerEntrypoint'] == ['tweetnb', 'merge', 'language', '--processing']
    assert merge['ProcessingResources']['ClusterConfig']['InstanceCount'] == 1
    for r in reqs.values():
        assert r['RoleArn'] == ROLE and r['AppSpecification']['ImageUri'].endswith('tweetnb:test')
        assert r['ProcessingOutputConfig']['Outputs'][0]['S3Output']['S3Uri'] == 's3://tweetnb-test/study/runs/sm/'
        assert r['Environment']['TWEETNB_LAKE'] == 's3://tweetnb-test/study/lake'
        assert not any(CANARY_KEY_ID in v or CANARY_SECRET in v or 'AWS_' in k for k, v in r['Environment'].items())
    sm_dir = tmp_path / 'sm'
    rec = json.loads((sm_dir / 'run.json').read_text())
    assert [rec['stages'][s]['status'] for s in ('crawl', 'clean', 'language')] == ['done'] * 3
    assert len(json.loads((sm_dir / 'manifest' / 'language.json').read_text())['shards']) == 3
    for stage in ('crawl', 'clean', 'language'):
        a, b = (json.loads((d / 'manifest' / f'{stage}.json').read_text()) for d in (local, sm_dir))
        assert a['counts'] == b['counts'], stage
        assert a['outputs'] == [o for o in b['outputs'] if not o.startswith('shards/')], stage
    for rel in ('clean.parquet', 'language.parquet', 'english.parquet', 'language_table.parquet'):
        ta, tb = pq.read_table(local / rel), pq.read_table(sm_dir / rel)
        assert ta.equals(tb), rel
    posts = [pd.read_parquet(d / 'posts.parquet').sort_values('id', ignore_index=True) for d in (local, sm_dir)]
    pd.testing.assert_frame_equal(*posts)
    assert (sm_dir / 'notebooks' / '03_language.ipynb').exists() and (sm_dir / 'logs' / 'language.log').exists()
    assert files_with(sm_dir, CANARY_KEY_ID, CANARY_SECRET) == []
    assert main(['jobs', 'list', '--all']) == 0 and '-language-merge-' in capsys.readouterr().out
    assert main(['jobs', 'logs', next(iter(reqs))]) == 0 and 'crawl' in capsys.readouterr().out


def test_failing_notebook_fails_the_run(sm, tmp_path, capsys):
    "A stage notebook that raises: its container exits 1, the CLI exits 1 and shows the notebook's error."
    rc = main(sagemaker_args(tmp_path / 'bad', '--to-stage', 'clean', '-p', 'clean.profiles=["no-such-profile"]'))
    out = capsys.readouterr().out
    assert rc == 1, out
    assert list(sm.exit_codes.values()) == [[0], [1]]
    assert 'clean FAILED' in out and 'no-such-profile' in out
    assert 'last lines of its log' in out
    rec = json.loads((tmp_path / 'bad' / 'run.json').read_text())
    assert rec['stages']['clean']['status'] == 'failed'
    assert (tmp_path / 'bad' / 'notebooks' / '02_clean.ipynb').exists()


def test_no_wait_returns_job_names_and_refusals(aws, tmp_path, capsys):
    "--no-wait: the first job is launched and named, nothing run; spot, a local lake and --max-cost are refused."
    import boto3

    boto3.client('s3', region_name='us-east-1').create_bucket(Bucket='tweetnb-test')
    fake = FakeSageMaker(aws.env, run_containers=False)
    try:
        rc = main(sagemaker_args(tmp_path / 'nw', '--no-wait'))
        out = capsys.readouterr().out
        assert rc == 0, out
        name = fake.requests[0]['ProcessingJobName']
        assert len(fake.requests) == 1 and f'launched: {name}' in out
        assert json.loads((tmp_path / 'nw' / 'run.json').read_text())['stages']['crawl'] == \
            {'status': 'launched', 'jobs': [name], 'started': pytest.approx(
                json.loads((tmp_path / 'nw' / 'run.json').read_text())['stages']['crawl']['started'])}
        assert main(['jobs', 'stop', name]) == 0 and f'stopping {name}' in capsys.readouterr().out
        (tmp_path / 'posts.csv').write_text('id,created_at,text\n1,2023-05-14T10:00:00Z,hello\n')
        assert main(sagemaker_args(tmp_path / 'f', '--no-wait', '--source', str(tmp_path / 'posts.csv'))) == 0
        assert (tmp_path / 'f' / 'input' / 'posts.csv').exists()   # travels with the run folder to the job
        rec = json.loads((tmp_path / 'f' / 'run.json').read_text())
        assert rec['source'] == '/opt/ml/processing/input/run/input/posts.csv'
        capsys.readouterr()
        assert main(sagemaker_args(tmp_path / 'x', '--spot')) == 2
        assert 'no spot option' in capsys.readouterr().err
        assert main(sagemaker_args(tmp_path / 'x', '--lake', str(tmp_path / 'lake'))) == 2
        assert '--lake must be on S3' in capsys.readouterr().err
        assert main(sagemaker_args(tmp_path / 'x', '--max-cost', '0.0001')) == 2
        assert '--force' in capsys.readouterr().err
        assert main(sagemaker_args(tmp_path / 'x', '--source', 'x')) == 2
        assert 'never go into a job' in capsys.readouterr().err
        assert len(fake.requests) == 2   # the refused runs launched nothing
    finally:
        fake.close()


def test_train_sentiment_job_request(aws, tmp_path, capsys):
    "`tweetnb jobs train-sentiment`: the data uploaded and mapped, torchrun over the instance's 4 GPUs, no secrets."
    import boto3

    s3 = boto3.client('s3', region_name='us-east-1')
    s3.create_bucket(Bucket='tweetnb-test')
    (tmp_path / 'data').mkdir()
    (tmp_path / 'data' / 'train.jsonl').write_text('{"text": "good", "label": "positive"}\n')
    fake = FakeSageMaker(aws.env, run_containers=False)
    try:
        rc = main(['jobs', 'train-sentiment', '--data', str(tmp_path / 'data'), '--s3', 's3://tweetnb-test/study',
                   '--role', ROLE, '--image', 'img:1', '--instance-type', 'ml.g5.12xlarge', '--no-wait',
                   '--', '--preset', 'full', '--train', 'train.jsonl'])
        assert rc == 0, capsys.readouterr().out
        (req,) = fake.requests
        cmd = req['AppSpecification']['ContainerEntrypoint']
        assert cmd[:5] == ['torchrun', '--standalone', '--nproc_per_node', '4', '-m']
        assert '/opt/ml/processing/input/data/train.jsonl' in cmd and '--mlflow-uri' in cmd
        data = req['ProcessingInputs'][0]['S3Input']['S3Uri']
        bucket, _, prefix = data[5:].partition('/')
        keys = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)['Contents']]
        assert keys == [prefix + 'train.jsonl']
        assert not any('AWS_' in k for k in req['Environment'])
        assert main(['jobs', 'train-sentiment', '--data', str(tmp_path / 'data'), '--s3', 's3://tweetnb-test/s',
                     '--role', ROLE, '--image', 'i', '--', '--out-dir', 'x']) == 2
    finally:
        fake.close()


def test_no_wait_then_resume(sm, tmp_path, capsys):
    "--no-wait returns after launching crawl; --resume waits for that job (not launched again) and goes on."
    out = tmp_path / 'nr'
    assert main(sagemaker_args(out, '--no-wait', '--to-stage', 'clean')) == 0
    assert len(sm.requests) == 1
    assert json.loads((out / 'run.json').read_text())['stages']['crawl']['status'] == 'launched'
    capsys.readouterr()
    rc = main(['run', '--out', str(out), '--resume', '--to-stage', 'clean', *sagemaker_args(out)[7:]])
    text = capsys.readouterr().out
    assert rc == 0, text
    assert len(sm.requests) == 2 and '-clean-' in sm.requests[1]['ProcessingJobName']   # crawl was not relaunched
    rec = json.loads((out / 'run.json').read_text())
    assert [rec['stages'][s]['status'] for s in ('crawl', 'clean')] == ['done', 'done']
    assert (out / 'clean.parquet').exists() and str(out) in rec['stages']['crawl']['notebook']

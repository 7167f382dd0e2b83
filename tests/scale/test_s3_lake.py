"""The lake on S3 (moto's server): upserts by (platform, id), whole day objects under a killed writer, conditional
writes that lose a race retry instead of losing posts, and SQL through DuckDB with s3fs (the API and `tweetnb sql`)."""
import io, signal, subprocess, sys, time
import boto3
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

BUCKET = 'tweetnb-lake'
URL = f's3://{BUCKET}/lake'


@pytest.fixture
def s3(aws):
    "A boto3 client on moto, with an empty bucket."
    c = boto3.client('s3', endpoint_url=aws.url)
    c.create_bucket(Bucket=BUCKET)
    return c


def keys(s3) -> list[str]:
    return sorted(o['Key'] for o in s3.list_objects_v2(Bucket=BUCKET).get('Contents', []))


def posts(n: int, day: str = '2023-05-14', start: int = 0, text: str = 'a post'):
    from tweetnb.schema import posts_table, empty_post

    return posts_table([empty_post(id=str(i), platform='x', created_at=f'{day}T10:{i % 60:02d}:00Z', text=text)
                        for i in range(start, start + n)])


def test_importing_twice_updates_and_never_duplicates(s3):
    from tweetnb.collect.sources import crawl
    from tweetnb.lake import Lake

    first = crawl('sample', '2023-05-14', '2023-05-17', lake=Lake(URL)).counts
    again = crawl('sample', '2023-05-14', '2023-05-17', lake=Lake(URL)).counts
    n = first['lake_inserted']
    assert n > 100 and first['lake_updated'] == 0
    assert (again['lake_inserted'], again['lake_updated']) == (0, n)
    t = Lake(URL).read()
    ids = list(zip(t.column('platform').to_pylist(), t.column('id').to_pylist()))
    assert len(ids) == len(set(ids)) == n == Lake(URL).count()
    assert keys(s3) == [f'lake/posts/date=2023-05-{d}/posts.parquet' for d in (14, 15, 16, 17)]


def test_a_killed_writer_leaves_only_whole_day_objects(s3):
    "SIGKILL in the middle of a day object's upload: the old object stays, nothing partial or temporary is listed."
    from tweetnb.lake import Lake

    Lake(URL).write(posts(10))
    Lake(URL).write(posts(5, day='2023-05-15'))
    before = keys(s3)
    code = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT)!r})
import botocore.awsrequest as aws
import pyarrow as pa
from tweetnb.lake import Lake
from tweetnb.schema import posts_table, empty_post
send = aws.AWSConnection.send


def slow(self, data):  # a slow link, so that the upload of the big day object takes a few seconds
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) < 1 << 16:
        return send(self, data)
    if not slow.began:
        print('uploading', flush=True)
        slow.began = True
    for i in range(0, len(data), 1 << 16):
        send(self, data[i:i + (1 << 16)])
        time.sleep(0.03)


slow.began = False
aws.AWSConnection.send = slow
rows = [empty_post(id=str(i), platform='x', created_at='2023-05-14T12:00:00Z', text=os.urandom(150).hex())
        for i in range(20000)]
Lake({URL!r}).write(posts_table(rows))
print('done', flush=True)
"""
    proc = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == 'uploading'
        time.sleep(0.4)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL and 'done' not in proc.stdout.read()
    time.sleep(0.3)  # the server notices the broken upload
    assert keys(s3) == before  # no partial, temporary or extra object
    assert not s3.list_multipart_uploads(Bucket=BUCKET).get('Uploads')
    for k in keys(s3):
        body = s3.get_object(Bucket=BUCKET, Key=k)['Body'].read()
        assert pq.read_table(io.BytesIO(body)).num_rows == (10 if '05-14' in k else 5)
    lake = Lake(URL)
    assert lake.read().num_rows == 15 == lake.count()
    assert lake.write(posts(2, start=9))['inserted'] == 1  # no lock left behind: the next writer goes ahead
    assert lake.read('2023-05-14').num_rows == 11


def test_a_writer_that_loses_the_race_merges_again(s3):
    "Another writer replaces the day object between our read and our PUT: If-Match fails (412), we re-read, re-merge."
    from tweetnb.lake import Lake

    Lake(URL).write(posts(3))
    lake, other, calls = Lake(URL), Lake(URL), []
    get = lake.s3.get

    def get_then_lose_the_race(url):
        got = get(url)
        if not calls:
            other.write(posts(4, start=100))  # lands after our read, before our PUT
        calls.append(url)
        return got

    lake.s3.get = get_then_lose_the_race
    assert lake.write(posts(2, start=2, text='edited')) == dict(inserted=1, updated=1, days=1)
    assert len(calls) == 2  # one 412, one retry
    t = Lake(URL).read().to_pandas().set_index('id')
    assert sorted(t.index, key=int) == ['0', '1', '2', '3', '100', '101', '102', '103']
    assert t.loc['2', 'text'] == t.loc['3', 'text'] == 'edited'


def test_sql_over_s3(s3, cli, aws, monkeypatch):
    from tweetnb.lake import Lake
    from aws import CANARY_SECRET

    assert Lake(URL).sql('select count(*) n from posts')['n'][0] == 0  # an empty S3 lake still has the view
    Lake(URL).write(posts(30))
    Lake(URL).write(posts(12, day='2023-05-16'))
    df = Lake(URL).sql('select date, count(*) n from posts group by date order by date')
    assert df['n'].tolist() == [30, 12] and str(df['date'][0])[:10] == '2023-05-14'
    monkeypatch.setenv('TWEETNB_LAKE', URL + '/')
    assert Lake().sql('select count(distinct id) n from posts')['n'][0] == 30
    p = cli('sql', '--lake', URL, 'select count(*) as n from posts', '--format', 'csv', env=aws.env)
    assert p.stdout.split() == ['n', '42']
    assert CANARY_SECRET not in p.out

"""The PostgreSQL sink against a real server this test starts (Debian's postgresql: initdb + pg_ctl on 127.0.0.1)."""
import json, os
from urllib.parse import urlsplit
import pytest
from conftest import run_cli
from tweetnb.core import read_json
from tweetnb.lake import Lake
from tweetnb.collect.sinks import open_sink
from tweetnb.collect.sources import collect
from postgres import find_pg_bin, temporary_postgres

pytestmark = pytest.mark.skipif(find_pg_bin() is None, reason='no PostgreSQL server binaries (initdb/pg_ctl): apt-get install postgresql')
PASSWORD = 'pg-test-secret-5f2b8c'


@pytest.fixture(scope='module')
def pg():
    with temporary_postgres(password=PASSWORD) as url:
        yield url


@pytest.fixture(scope='module')
def sample():
    return collect('sample', '2023-05-14', '2023-05-31', lake=None).posts


def test_upsert_twice_inserts_then_updates(pg, sample):
    with open_sink(pg + '?table=twice') as s:
        assert s.write(sample) == dict(inserted=sample.num_rows, updated=0)
        assert s.write(sample) == dict(inserted=0, updated=sample.num_rows)
        n, distinct = s.conn.execute('select count(*), count(distinct (platform, id)) from twice').fetchone()
    keys = set(zip(sample.column('platform').to_pylist(), sample.column('id').to_pylist()))
    assert n == distinct == len(keys) == sample.num_rows


def test_types_round_trip(pg, sample):
    with open_sink(pg + '?table=types') as s:
        s.write(sample)
        cur = s.conn.execute('select * from types order by platform, id')
        cols = [d.name for d in cur.description]; rows = {(r[1], r[0]): dict(zip(cols, r)) for r in cur.fetchall()}
        kinds = dict(s.conn.execute("select column_name, data_type from information_schema.columns where table_name = 'types'").fetchall())
    assert kinds['created_at'] == 'timestamp with time zone' and kinds['hashtags'] == 'ARRAY' and kinds['raw'] == 'jsonb'
    for p in sample.to_pylist():
        r = rows[(p['platform'], p['id'])]
        for k, v in p.items():
            if k == 'raw': assert r[k] == json.loads(v)        # jsonb gives back the parsed record
            else: assert r[k] == v, (k, r[k], v)
    assert any(p['lat'] is not None for p in sample.to_pylist()) and any(p['hashtags'] for p in sample.to_pylist())


def test_crawl_stage_with_sink_writes_what_the_lake_holds(pg, tmp_path):
    u = urlsplit(pg); bare = f'postgresql://postgres@{u.hostname}:{u.port}{u.path}?table=crawled'
    out = tmp_path / 'run'
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--source', 'sample', '--out', out, '--lake', tmp_path / 'lake',
                '--to-stage', 'crawl', '-p', f'crawl.sink={bare}', env={'PGPASSWORD': PASSWORD})
    lake_ids = set(Lake(tmp_path / 'lake').read().column('id').to_pylist())
    with open_sink(pg + '?table=crawled') as s:
        db_ids = {r[0] for r in s.conn.execute('select id from crawled')}
    assert db_ids == lake_ids and len(db_ids) > 1000
    assert read_json(out / 'manifest' / 'crawl.json')['counts']['sink'] == dict(inserted=len(db_ids), updated=0)
    texts = p.out + ''.join(f.read_text(errors='replace') for f in out.rglob('*') if f.suffix in ('.json', '.ipynb', '.log'))
    assert PASSWORD not in texts
    # a URL with the password in it is refused before it can reach run.json or the executed notebook
    bad = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--out', tmp_path / 'run2', '--to-stage', 'crawl',
                  '-p', f'crawl.sink={pg}', check=False)
    assert bad.returncode == 2 and 'PGPASSWORD' in bad.out and PASSWORD not in bad.out
    assert not [f for f in (tmp_path / 'run2').rglob('*') if f.is_file()]


def test_bad_urls_give_clear_errors_without_the_password(pg):
    with pytest.raises(ValueError, match="unknown sink scheme 'mysql'.*known: postgres, postgresql") as e:
        open_sink(f'mysql://ann:{PASSWORD}@db/x')
    assert PASSWORD not in str(e.value)
    u = urlsplit(pg); wrong = f'postgresql://postgres:wrong-{PASSWORD}@{u.hostname}:{u.port}/tweetnb'
    with pytest.raises(ConnectionError, match='cannot connect to the PostgreSQL sink') as e:
        open_sink(wrong)
    assert PASSWORD not in str(e.value) and 'password authentication failed' in str(e.value)
    with pytest.raises(ValueError, match='bad table name'):
        open_sink(pg + '?table=posts;drop')


def test_cli_crawl_instagram_with_sink(pg, tmp_path, monkeypatch):
    from ig_server import IGServer
    with IGServer() as s:
        p = run_cli('crawl', 'instagram', '--hashtag', 'sgfood', '--start', '2023-05-14', '--end', '2023-05-31', '--lake', tmp_path / 'lake',
                    '--no-sleep', '--sink', pg + '?table=ig', env={'TWEETNB_INSTAGRAM_URL': s.url})
    assert PASSWORD not in p.out and 'postgres:***@' in p.out
    with open_sink(pg + '?table=ig') as sink:
        db = {r[0] for r in sink.conn.execute("select id from ig where platform = 'instagram'")}
    assert db == set(Lake(tmp_path / 'lake').read().column('id').to_pylist()) and db


def test_cli_crawl_x_search_with_sink(pg, tmp_path):
    "`tweetnb crawl search --sink` upserts what it pages into PostgreSQL: the same ids as the lake, once each, even when run twice."
    from datetime import datetime, timezone
    from conftest import SECRET
    from xserver import XServer, make_corpus
    t0, t1 = datetime(2024, 3, 1, tzinfo=timezone.utc), datetime(2024, 3, 3, tzinfo=timezone.utc)
    with XServer(make_corpus(800, start=t0, hours=48, seed=5), token=SECRET) as s:
        env = {'TWEETNB_X_API_URL': s.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02'}
        args = ('crawl', 'search', 'alpha', '--start', '2024-03-01', '--end', '2024-03-02', '--lake', tmp_path / 'lake',
                '--page-size', '20', '--sink', pg + '?table=xposts')
        p = run_cli(*args, '--job', 'x-sink-1', env=env)
        again = run_cli(*args, '--job', 'x-sink-2', env=env)          # a new job over the same range: upserts, no duplicates
        truth = set(s.ground_truth('alpha', t0, t1))
    for out in (p.out, again.out): assert PASSWORD not in out and SECRET not in out
    assert json.loads(p.stdout)['reads'] == len(truth) > 100
    with open_sink(pg + '?table=xposts') as sink:
        rows = sink.conn.execute("select id from xposts where platform = 'x'").fetchall()
    assert len(rows) == len({r[0] for r in rows}) == len(truth)
    assert {r[0] for r in rows} == truth == set(Lake(tmp_path / 'lake').read().column('id').to_pylist())

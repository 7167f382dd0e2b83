"""Bluesky search over a date range against a fake AppView on 127.0.0.1 (tests/helpers/bsky_xrpc_server.py): the
range through `tweetnb crawl bluesky --search` equals the server's posts exactly, with handles and counts; a 429 is
waited out until its `ratelimit-reset`, a 500 and an unreadable page are retried; SIGKILLed runs resume with nothing
lost or doubled; `tweetnb run --source bluesky`; the app password and session token reach no file."""
import json, os, random, signal, subprocess, time
from datetime import datetime, timezone
import duckdb
import pytest
from conftest import BIN, ROOT, run_cli

from bsky_xrpc_server import BskyServer, make_posts

pytestmark = pytest.mark.timeout(120)
UTC = timezone.utc
T0, T1 = datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 3, tzinfo=UTC)
RANGE = ['--start', '2024-03-01', '--end', '2024-03-02']
PASSWORD = 'bsky-canary-app-pass-4d1f9a'   # made up: must reach no file and no output
JWT = 'eyJhbGciOiJFUzI1NiJ9.canary-session-7c2e.sig'


def rows(lake):
    return duckdb.connect().execute(f"select id, author_handle, like_count, source from "
                                    f"read_parquet('{lake}/posts/*/posts.parquet')").fetchall()


def test_search_range_exactly_with_handles_rate_limit_faults_and_login(tmp_path):
    srv = BskyServer(make_posts(600, seed=3), handle='me.test', password=PASSWORD, access_jwt=JWT,
                     require_auth=True).start()
    srv.inject('app.bsky.feed.searchPosts', '429', at=2, reset_in=1)
    srv.inject('app.bsky.feed.searchPosts', '500', at=4)
    srv.inject('app.bsky.feed.searchPosts', 'malformed', at=6)
    lake = tmp_path / 'lake'
    env = {'BLUESKY_HANDLE': 'me.test', 'BLUESKY_APP_PASSWORD': PASSWORD, 'TWEETNB_BLUESKY_BACKOFF': '0.02'}
    try:
        t = time.time()
        p = run_cli('crawl', 'bluesky', '--search', 'cats', *RANGE, '--service', srv.url, '--lake', lake,
                    '--page-size', '25', '--job', 'cats', env=env, timeout=60)
        took = time.time() - t
    finally:
        srv.stop()
    c = json.loads(p.stdout.strip().splitlines()[-1])
    truth = srv.ground_truth('cats', T0, T1)
    got = rows(lake)
    assert len(truth) > 100 and sorted(r[0] for r in got) == sorted(truth) and c['reads'] == len(truth)
    handles = {v['uri']: v['author']['handle'] for v in srv.posts}
    assert all(h == handles[i] for i, h, _, _ in got) and all(lk is not None for _, _, lk, _ in got)
    assert {s for *_, s in got} == {'cats'} and c['done'] == 1
    # every request asked for the range, newest first; paged by the cursor; the 429 was waited out, logged
    reqs = srv.search_requests()
    assert all(r['params']['since'] == ['2024-03-01T00:00:00.000Z'] and r['params']['until'] == [
        '2024-03-03T00:00:00.000Z'] and r['params']['sort'] == ['latest'] for r in reqs)
    assert c['rate_limited'] == 1 and 'ratelimit-reset' in p.stderr and took >= 0.5
    assert c['malformed_pages'] == 1 and c['pages'] == -(-len(truth) // 25)
    raw = [json.loads(x) for x in (lake / 'crawl' / 'bluesky' / 'cats.jsonl').read_text().splitlines()]
    assert [r['page'] for r in raw if r['kind'] == 'page'] == list(range(1, c['pages'] + 1))
    assert {r['reason'] for r in raw if r['kind'] == 'error'} == {'rate_limited', 'malformed_page'}
    # logged in once with the app password; the session token went to the server only
    assert [r['body']['password'] for r in srv.requests if r['method'] == 'POST'] == [PASSWORD]
    assert all(r['auth'] == f'Bearer {JWT}' for r in reqs)
    assert PASSWORD not in p.out and JWT not in p.out
    files = [f for f in lake.rglob('*') if f.is_file()]
    assert len(files) > 3 and not [f for f in files if PASSWORD.encode() in f.read_bytes() or JWT.encode() in
                                   f.read_bytes()]
    # the raw pages re-flatten to the same posts
    from tweetnb.collect.jobs import reflatten
    from tweetnb.lake import Lake
    r = reflatten(Lake(lake), platforms=['bluesky'])
    assert r['posts'] == len(truth) and r.get('lake_inserted', 0) == 0


def test_sigkill_resume_loses_and_duplicates_nothing(tmp_path):
    "At least 3 SIGKILLs of a paged search at random moments; the same command resumes; then it runs to the end."
    srv = BskyServer(make_posts(2500, seed=9), page_delay=0.01).start()
    lake, rng = tmp_path / 'lake', random.Random(20261204)
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'TWEETNB_BLUESKY_BACKOFF': '0.02'}
    cmd = [str(BIN / 'tweetnb'), 'crawl', 'bluesky', '--search', 'cats', *RANGE, '--service', srv.url, '--lake',
           str(lake), '--page-size', '10', '--flush-pages', '7', '--job', 'killme']
    ckf = lake / 'crawl' / 'bluesky' / 'killme.json'
    pages_now = lambda: json.loads(ckf.read_text())['pages'] if ckf.exists() else 0
    kills, at = 0, []
    try:
        while kills < 4:
            p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            goal, deadline = pages_now() + rng.randint(3, 12), time.time() + 20
            while p.poll() is None and time.time() < deadline and pages_now() < goal:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.012))
            assert p.poll() is None, 'the search finished before the kill: make it longer'
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            at.append(pages_now())
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
    finally:
        srv.stop()
    c = json.loads(p.stdout.strip().splitlines()[-1])
    truth = srv.ground_truth('cats', T0, T1)
    ids = [r[0] for r in rows(lake)]
    raw = [json.loads(x) for x in (lake / 'crawl' / 'bluesky' / 'killme.jsonl').read_text().splitlines()]
    pages = [r['page'] for r in raw if r['kind'] == 'page']
    print(f'\n{kills} kills at checkpointed pages {at}; {len(srv.search_requests())} requests for {len(pages)} pages')
    assert len(set(at)) >= 3 and c['resumed'] == 1 and c['done'] == 1
    assert len(ids) == len(set(ids)) == len(truth) and set(ids) == set(truth)   # 0 lost, 0 duplicated
    assert pages == list(range(1, len(pages) + 1)) and c['total_reads'] == len(truth)   # no page asked twice


def test_run_source_bluesky_and_clear_errors(tmp_path):
    with BskyServer(make_posts(300, seed=4)) as srv:
        env = {'TWEETNB_BLUESKY_SERVICE': srv.url, 'TWEETNB_LAKE': str(tmp_path / 'lake')}
        out = tmp_path / 'run'
        run_cli('run', '--source', 'bluesky', *RANGE, '--out', out, '--to-stage', 'crawl', '-p', 'crawl.query=dogs',
                env=env, timeout=120)
        truth = srv.ground_truth('dogs', T0, T1)
        m = json.loads((out / 'manifest' / 'crawl.json').read_text())
        assert m['counts']['posts_out'] == len(truth) and m['counts']['lake']['inserted'] == len(truth)
        import pyarrow.parquet as pq
        t = pq.read_table(out / 'posts.parquet')
        assert sorted(t.column('id').to_pylist()) == sorted(truth) and None not in t.column('author_handle').to_pylist()
        p = run_cli('run', '--source', 'bluesky', *RANGE, '--out', tmp_path / 'r2', '--to-stage', 'crawl', env=env,
                    check=False, timeout=120)
        assert p.returncode != 0 and 'crawl.query' in p.out and 'Traceback' not in p.out
    p = run_cli('crawl', 'bluesky', '--lake', tmp_path / 'l', check=False)
    assert p.returncode == 2 and 'one of the arguments --jetstream --search is required' in p.out
    p = run_cli('crawl', 'bluesky', '--search', 'cats', '--start', '2024-03-01', check=False)
    assert p.returncode != 0 and 'needs --start and --end' in p.out and 'Traceback' not in p.out
    p = run_cli('crawl', 'bluesky', '--search', 'cats', *RANGE, '--service', srv.url, '--lake', tmp_path / 'l',
                env={'TWEETNB_BLUESKY_BACKOFF': '0.01'}, check=False)   # the server is gone now
    assert p.returncode != 0 and 'could not reach Bluesky' in p.out and 'Traceback' not in p.out

"""The X API v2 crawler against a real HTTP server on 127.0.0.1 (tests/helpers/xserver.py): paging, raw-first, resume after
SIGKILL, rate limits and faults, streams and rules, budget guard, backfill, and the bearer token kept secret."""
import json, logging, os, random, signal, subprocess, sys, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
import pytest
from conftest import BIN, ROOT, SECRET, run_cli

from xserver import XServer, make_corpus

UTC = timezone.utc
pytestmark = pytest.mark.timeout(180)
T0 = datetime(2024, 3, 1, tzinfo=UTC)
RANGE = ['--start', '2024-03-01', '--end', '2024-03-02']          # 48 hours
T1 = T0 + timedelta(days=2)


@pytest.fixture(scope='module')
def corpus():
    return make_corpus(3000, start=T0, hours=72, seed=11)


@pytest.fixture
def srv(corpus):
    with XServer(corpus, token=SECRET) as s: yield s


@pytest.fixture
def xenv(srv, monkeypatch, tmp_path):
    env = {'TWEETNB_X_API_URL': srv.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02', 'TWEETNB_LAKE': str(tmp_path / 'lake')}
    for k, v in env.items(): monkeypatch.setenv(k, v)
    return env


def lake_ids(lake) -> list:
    from tweetnb.lake import Lake
    return Lake(lake).read().column('id').to_pylist()


def crawl(*args, env, check=True):
    return run_cli('crawl', *args, env=env, check=check, timeout=120)


def search(query, start, end, lake=None, job=None, client=None, sink=None, **kw):
    "The library's search of `query` in [start, end) into `lake` ($TWEETNB_LAKE by default) as job `job`."
    from tweetnb.lake import Lake
    from tweetnb.collect.x.search import SearchJob, search as run
    return run(SearchJob(query, start, end, name=job, **kw), lake if isinstance(lake, Lake) else Lake(lake),
               client=client, sink=sink)


def stream(kind, rules=None, lake=None, job=None, client=None, sink=None, **kw):
    "The library's `kind` stream with `rules` into `lake` ($TWEETNB_LAKE by default) as job `job`."
    from tweetnb.lake import Lake
    from tweetnb.collect.x.stream import StreamJob, stream as run
    return run(StreamJob(kind, rules or {}, name=job, **kw), Lake(lake), client=client, sink=sink)


def test_search_pages_exactly_the_ground_truth_raw_first(srv, xenv, tmp_path):
    lake = tmp_path / 'lake'
    p = crawl('search', 'alpha', *RANGE, '--page-size', '50', '--job', 'alpha-1', env=xenv)
    got = json.loads(p.stdout); truth = srv.ground_truth('alpha', T0, T1)
    assert len(truth) > 500 and got['reads'] == len(truth) and got['done'] == 1
    ids = lake_ids(lake); assert sorted(ids) == sorted(truth)
    # every page was requested with the run's range, all the fields, and paged by next_token
    reqs = srv.search_requests('/2/tweets/search/recent')
    assert len(reqs) == got['pages'] == -(-len(truth) // 50)
    assert all(r['params']['start_time'] == '2024-03-01T00:00:00Z' and r['params']['end_time'] == '2024-03-03T00:00:00Z' for r in reqs)
    assert 'context_annotations' in reqs[0]['params']['tweet.fields'] and 'geo.place_id' in reqs[0]['params']['expansions']
    assert [bool(r['params'].get('next_token')) for r in reqs] == [False] + [True] * (len(reqs) - 1)
    # the raw log holds every page with its retrieval metadata; the checkpoint says done
    raw = [json.loads(line) for line in open(lake / 'crawl' / 'x' / 'alpha-1.jsonl')]
    assert [r['page'] for r in raw] == list(range(1, len(reqs) + 1))
    assert {'endpoint', 'params', 'retrieved_at', 'job', 'next_token', 'status', 'body'} <= set(raw[0])
    assert raw[-1]['next_token'] is None and raw[1]['next_token_in'] == raw[0]['next_token']
    ck = json.loads((lake / 'crawl' / 'x' / 'alpha-1.json').read_text())
    assert ck['done'] and ck['reads'] == len(truth) and ck['lake_flushed'] == (lake / 'crawl' / 'x' / 'alpha-1.jsonl').stat().st_size
    # flattening kept what the schema needs: authors, places, retweets, context annotations
    from tweetnb.lake import Lake
    df = Lake(lake).read().to_pandas()
    assert df.author_handle.notna().all() and df.is_retweet.any() and df.place_country_code.notna().any()
    assert df.context_domains.map(len).gt(0).all() and set(df.source) == {'alpha'}
    # reflatten rebuilds the same lake from the raw log alone
    before = df.sort_values('id').reset_index(drop=True)
    import shutil; shutil.rmtree(lake / 'posts')
    r = json.loads(crawl('reflatten', env=xenv).stdout)
    assert r['posts'] == len(truth) and r['lake_inserted'] == len(truth)
    after = Lake(lake).read().to_pandas().sort_values('id').reset_index(drop=True)
    assert after.drop(columns=['raw']).equals(before.drop(columns=['raw'])) and list(after.raw) == list(before.raw)
    # running the finished job again reads nothing
    n = len(srv.search_requests()); again = json.loads(crawl('search', 'alpha', *RANGE, '--job', 'alpha-1', '--page-size', '50', env=xenv).stdout)
    assert again['pages'] == 0 and len(srv.search_requests()) == n


def test_raw_page_is_kept_when_the_lake_write_fails(srv, xenv, tmp_path):
    from tweetnb.lake import Lake

    class BrokenLake(Lake):
        def write(self, t): raise OSError('disk full (simulated)')
    with pytest.raises(OSError):
        search('beta', T0, T0 + timedelta(hours=6), lake=BrokenLake(tmp_path / 'lake'), job='beta-6h', page_size=10, flush_pages=3)
    raw = [json.loads(line) for line in open(tmp_path / 'lake' / 'crawl' / 'x' / 'beta-6h.jsonl')]
    assert len(raw) == 3 and sum(len(r['body']['data']) for r in raw) == 30   # three pages on disk before the failed flush
    n = len(srv.requests)
    c = search('beta', T0, T0 + timedelta(hours=6), lake=Lake(tmp_path / 'lake'), job='beta-6h', page_size=10, flush_pages=3)
    truth = srv.ground_truth('beta', T0, T0 + timedelta(hours=6))
    assert sorted(lake_ids(tmp_path / 'lake')) == sorted(truth)
    assert len(srv.requests) - n == c['pages'] == -(-len(truth) // 10) - 3   # the three raw pages were not fetched again


def test_429_waits_for_the_reset_then_continues(srv, xenv, tmp_path, caplog):
    srv.inject('/2/tweets/search/recent', '429', at=2, reset_in=2)
    t = time.time()
    with caplog.at_level(logging.WARNING):
        c = search('gamma', T0, T0 + timedelta(hours=12), job='g12', page_size=20)
    took = time.time() - t
    truth = srv.ground_truth('gamma', T0, T0 + timedelta(hours=12))
    assert sorted(lake_ids(tmp_path / 'lake')) == sorted(truth) and c['reads'] == len(truth)
    assert 2 <= took < 8, took                          # waited for x-rate-limit-reset (2 s ahead, +1 s margin)
    assert any('429' in m and 'waiting' in m and 'UTC' in m for m in caplog.messages)
    assert any('wait over' in m for m in caplog.messages)
    assert len(srv.search_requests()) == c['pages'] + 1   # the 429'd request was repeated once


def test_503_drops_and_truncated_pages_are_retried_and_recorded(srv, xenv, tmp_path, caplog):
    srv.inject('/2/tweets/search/recent', '503', at=2); srv.inject('/2/tweets/search/recent', '503', at=3)
    srv.inject('/2/tweets/search/recent', 'drop', at=5); srv.inject('/2/tweets/search/recent', 'truncate', at=7)
    with caplog.at_level(logging.WARNING):
        c = search('alpha', T0, T0 + timedelta(hours=12), job='faults', page_size=20)
    truth = srv.ground_truth('alpha', T0, T0 + timedelta(hours=12))
    ids = lake_ids(tmp_path / 'lake'); assert sorted(ids) == sorted(truth) and len(ids) == len(set(ids))
    assert c['malformed_pages'] == 1 and c['quarantined_malformed_page'] == 1 and c['done'] == 1
    raw = [json.loads(line) for line in open(tmp_path / 'lake' / 'crawl' / 'x' / 'faults.jsonl')]
    err = [r for r in raw if r['kind'] == 'error']
    assert len(err) == 1 and err[0]['reason'] == 'malformed_page' and err[0]['body_bytes'] > 0 and 'not valid JSON' in err[0]['message']
    assert sum('retry' in m for m in caplog.messages) == 4   # 503, 503, dropped connection, truncated body


def test_persistently_malformed_page_stops_with_a_record_and_resumes(srv, xenv, tmp_path):
    srv.inject('/2/tweets/search/recent', 'truncate', at=None, times=6)   # more than the 6 tries for one page
    p = crawl('search', 'beta', '--start', '2024-03-01', '--end', '2024-03-01', '--job', 'bad', env=xenv, check=False)
    assert p.returncode == 3 and 'malformed page 1 after retries' in p.out, p.out
    assert json.loads(p.stdout)['malformed_pages'] == 6
    p = crawl('search', 'beta', '--start', '2024-03-01', '--end', '2024-03-01', '--job', 'bad', env=xenv)
    assert sorted(lake_ids(tmp_path / 'lake')) == sorted(srv.ground_truth('beta', T0, T0 + timedelta(days=1)))


def test_sigkill_resume_loses_and_duplicates_nothing(tmp_path):
    "At least 20 SIGKILLs at random moments of a long `tweetnb crawl search`; each run resumes the job."
    srv = XServer(make_corpus(6000, start=T0, hours=72, seed=5), token=SECRET, page_delay=0.01).start()
    lake = tmp_path / 'lake'; rng = random.Random(20261122)
    env = {**os.environ, 'TWEETNB_X_API_URL': srv.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02', 'HF_HUB_OFFLINE': '1'}
    cmd = [str(BIN / 'tweetnb'), 'crawl', 'search', 'alpha', '--start', '2024-03-01', '--end', '2024-03-03', '--lake', str(lake),
           '--page-size', '10', '--flush-pages', '5', '--job', 'killme']
    kills = runs = 0; t = time.time(); at = []   # checkpointed pages at each kill
    ckf = lake / 'crawl' / 'x' / 'killme.json'
    pages_now = lambda: json.loads(ckf.read_text())['pages'] if ckf.exists() else 0
    try:
        while True:
            runs += 1
            p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if kills < 20:
                # most kills land a random 1-10 pages after the last one plus 0-30 ms (any phase of a page or a
                # lake flush); some land during start-up, before the first page
                if rng.random() < 0.15: deadline = time.time() + rng.uniform(0.05, 0.6); goal = None
                else: deadline = time.time() + 30; goal = pages_now() + rng.randint(1, 10)
                while p.poll() is None and time.time() < deadline and (goal is None or pages_now() < goal): time.sleep(0.002)
                if goal is not None: time.sleep(rng.uniform(0, 0.03))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL); p.wait(); kills += 1; at.append(pages_now()); continue
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err.decode()
            if kills >= 20: break
            pytest.fail(f'the crawl finished after only {kills} kills: make it longer')
        truth = srv.ground_truth('alpha', T0, T0 + timedelta(days=3))
        import duckdb
        n, nd = duckdb.connect().execute(f"select count(*), count(distinct id) from read_parquet('{lake}/posts/*/posts.parquet')").fetchone()
        pages = len(srv.search_requests()); need = -(-len(truth) // 10)
        print(f'\nSIGKILL resume: {kills} kills, {runs} runs, {time.time() - t:.1f}s; posts {n} rows, {nd} distinct, '
              f'{len(truth)} expected; {pages} page requests for {need} pages ({pages - need} repeated); '
              f'checkpointed pages at each kill: {at}')
        assert len(set(at)) >= 15   # the kills landed at many different points of the crawl
        assert n == nd == len(truth) and set(lake_ids(lake)) == set(truth)
        ck = json.loads((lake / 'crawl' / 'x' / 'killme.json').read_text()); assert ck['done']
    finally: srv.stop()


def stream_corpus(n=40):
    c = make_corpus(n, start=T0, hours=1, seed=3)
    return c


def test_filtered_stream_rules_reconnect_and_throttle(srv, xenv, tmp_path, caplog):
    from tweetnb.collect.x.api import XClient
    from tweetnb.collect.x.streaming import exclusive_rules, list_rules, sync_rules
    rules = exclusive_rules({'alpha': 'alpha', 'beta': 'beta'})
    xc = XClient()
    assert sync_rules(xc, rules)['added'] == 2
    again = sync_rules(xc, rules); assert again['added'] == 0 and again['kept'] == 2 and again['deleted'] == 0   # idempotent
    assert sorted(r['tag'] for r in list_rules(xc)) == ['alpha', 'beta']
    posts = stream_corpus(60); srv.stream_posts = posts
    from xserver import matches
    want = [p['data']['id'] for p in posts if any(matches(v, p) for v in rules.values())]
    assert all(sum(matches(v, p) for v in rules.values()) <= 1 for p in posts)   # mutually exclusive
    srv.inject('/2/tweets/search/stream', 'stream_drop')     # the first connection breaks after 3 posts
    with caplog.at_level(logging.WARNING):
        c = stream('filter', rules, job='subjects', max_posts=len(want) + 3, flush_every=5, client=xc, backfill_minutes=2)
    ids = lake_ids(tmp_path / 'lake')   # the reconnect's backfill resent the 3 posts of the broken connection: upserted
    assert sorted(ids) == sorted(want) and c['posts'] == len(want) + 3 and c['lake_inserted'] == len(want), c
    assert c['connects'] == 2 and any('reconnect' in m for m in caplog.messages)
    from tweetnb.lake import Lake
    df = Lake(tmp_path / 'lake').read().to_pandas(); assert set(df.source) <= {'alpha', 'beta'} and not df.is_retweet.any()
    assert [r['path'] for r in srv.requests].count('/2/tweets/search/stream') == c['connects']
    assert {r['params'].get('backfill_minutes') for r in srv.requests if r['path'] == '/2/tweets/search/stream'} == {'2'}


def test_stream_throttles_to_a_ceiling(srv, xenv, tmp_path, caplog):
    srv.stream_posts = stream_corpus(200); srv.stream_delay = 0.02
    with caplog.at_level(logging.WARNING):
        c = stream('sample', job='throttled', max_per_hour=5, window=1.0, duration=3.2, flush_every=5)
    assert c['throttled'] >= 2 and c['stop_duration'] == 1 and any('reached the ceiling of 5' in m for m in caplog.messages)
    assert 10 <= c['posts'] <= 5 * 4, c          # at most 5 per 1-second window over ~3 s
    assert len(lake_ids(tmp_path / 'lake')) == c['posts']


def test_stream_429_waits_until_reset_not_tweepys_minute(srv, xenv, tmp_path, caplog):
    srv.stream_posts = stream_corpus(12)
    srv.inject('/2/tweets/sample/stream', '429', reset_in=2)    # too many connections; the window resets in ~2 s
    t = time.monotonic()
    with caplog.at_level(logging.WARNING):
        c = stream('sample', job='limited', max_posts=12, flush_every=5)
    took = time.monotonic() - t
    assert c['posts'] == 12 and c['rate_limit_waits'] == 1 and c['connects'] == 1, c
    assert took < 20, took        # tweepy alone would sleep a fixed 60 s before reconnecting
    assert any('rate limit (429): waiting' in m and 'x-rate-limit-reset' in m for m in caplog.messages)
    assert any('wait over' in m for m in caplog.messages)
    assert sorted(lake_ids(tmp_path / 'lake')) == sorted(p['data']['id'] for p in srv.stream_posts)


def test_rules_and_sample_commands(srv, xenv, tmp_path):
    assert json.loads(crawl('rules', 'add', 'a=alpha -is:retweet', env=xenv).stdout)['added'] == 1
    assert json.loads(crawl('rules', 'add', 'a=alpha -is:retweet', env=xenv).stdout)['added'] == 0
    assert json.loads(crawl('rules', 'add', 'a=alpha lang:en', env=xenv).stdout) == {'added': 1, 'deleted': 1, 'kept': 0}
    lines = crawl('rules', 'list', env=xenv).stdout.splitlines()
    assert [json.loads(x)['value'] for x in lines] == ['alpha lang:en']
    assert json.loads(crawl('rules', 'delete', 'a', env=xenv).stdout) == {'deleted': 1}
    srv.stream_posts = stream_corpus(25)
    c = json.loads(crawl('sample', '--max-posts', '25', '--job', 'sample1', env=xenv).stdout)
    assert c['posts'] == 25 and sorted(lake_ids(tmp_path / 'lake')) == sorted(p['data']['id'] for p in srv.stream_posts)


def test_budget_guard_refuses_then_force_overrides(srv, xenv, tmp_path):
    truth = srv.ground_truth('alpha', T0, T1)
    p = crawl('search', 'alpha', *RANGE, '--max-posts', '100', env=xenv, check=False)
    assert p.returncode == 2 and f'{len(truth):,} posts > --max-posts 100' in p.out and '--force' in p.out
    p = crawl('search', 'alpha', *RANGE, '--max-cost', '1', env=xenv, check=False)
    assert p.returncode == 2 and f'${len(truth) * 0.005:,.2f} > --max-cost $1.00' in p.out
    assert not srv.search_requests() and not (tmp_path / 'lake' / 'posts').exists()   # refused before any billed read
    e = json.loads(crawl('estimate', 'alpha', *RANGE, '--price', '0.01', env=xenv).stdout)
    assert e['posts'] == len(truth) and e['cost'] == round(len(truth) * 0.01, 4) and e['hours'] == 48
    p = crawl('search', 'alpha', *RANGE, '--max-posts', '100', '--force', env=xenv)
    assert len(lake_ids(tmp_path / 'lake')) == len(truth)


def test_search_stops_reading_at_the_cap(srv, xenv, tmp_path):
    c = search('alpha', T0, T1, job='capped', page_size=30, max_posts=100)
    assert c['reads'] == 100 and c['capped'] == 1 and c['done'] == 0 and len(lake_ids(tmp_path / 'lake')) == 100
    assert search('alpha', T0, T1, job='capped', page_size=30, max_posts=100)['reads'] == 0   # same cap: nothing more
    c = search('alpha', T0, T1, job='capped', page_size=100)                                 # no cap: the rest
    assert c['done'] == 1 and sorted(lake_ids(tmp_path / 'lake')) == sorted(srv.ground_truth('alpha', T0, T1))


def test_backfill_fetches_only_the_missing_hours(srv, xenv, tmp_path):
    search('alpha', T0, T0 + timedelta(hours=10), job='part1')
    search('alpha', T0 + timedelta(hours=14), T1, job='part2')
    search('alpha', T0 + timedelta(hours=12), T0 + timedelta(hours=13), job='part3')
    n = len(srv.requests)
    c = json.loads(crawl('backfill', 'alpha', *RANGE, env=xenv).stdout)
    assert c['gap_ranges'] == 2 and c['gap_hours'] == 3, c
    searched = {(r['params']['start_time'], r['params']['end_time']) for r in srv.requests[n:] if r['path'].startswith('/2/tweets/search')}
    assert searched == {('2024-03-01T10:00:00Z', '2024-03-01T12:00:00Z'), ('2024-03-01T13:00:00Z', '2024-03-01T14:00:00Z')}
    assert sorted(lake_ids(tmp_path / 'lake')) == sorted(srv.ground_truth('alpha', T0, T1))
    again = json.loads(crawl('backfill', 'alpha', *RANGE, env=xenv).stdout)
    assert again['gap_ranges'] == 0 and again.get('reads', 0) == 0


def test_bearer_token_never_leaks(srv, xenv, tmp_path, capsys):
    "With every logger at DEBUG (tweepy's prints the Authorization header), the token appears nowhere."
    root = logging.getLogger(); old = root.level; root.setLevel(logging.DEBUG)
    h = logging.StreamHandler(sys.stderr); root.addHandler(h)
    try:
        logging.getLogger('tweepy').setLevel(logging.DEBUG); logging.getLogger('tweepy.client').setLevel(logging.DEBUG)
        srv.inject('/2/tweets/search/recent', '503', at=1); srv.inject('/2/tweets/search/recent', 'truncate', at=3)
        search('alpha', T0, T0 + timedelta(hours=3), job='leak', page_size=10)
        srv.stream_posts = stream_corpus(5); stream('sample', job='leak-sample', max_posts=5)
        # even when tweepy's DEBUG log is switched on after the client exists, the header it prints is masked
        from tweetnb.collect.x.api import XClient
        xc = XClient(); root.setLevel(logging.DEBUG); logging.getLogger('tweepy.client').setLevel(logging.DEBUG)
        xc.call('search_recent_tweets', 'alpha', max_results=10)
    finally: root.removeHandler(h); root.setLevel(old)
    out = capsys.readouterr()
    assert "'Authorization': 'Bearer ***'" in out.err     # tweepy did print its headers, masked
    assert SECRET not in out.out + out.err
    p = crawl('search', 'beta', *RANGE, '-v', env=xenv)
    assert SECRET not in p.out
    assert all(r['auth'] == f'Bearer {SECRET}' for r in srv.requests)   # it was sent, to the server only
    files = [f for f in (tmp_path / 'lake').rglob('*') if f.is_file()]
    assert len(files) > 5 and not [f for f in files if SECRET.encode() in f.read_bytes()]


def test_run_pipeline_source_x(srv, xenv, tmp_path):
    out = tmp_path / 'run'
    p = run_cli('run', '--source', 'x', *RANGE, '--out', out, '--to-stage', 'crawl', '-p', 'crawl.query=beta',
                '-p', 'crawl.source_options={"max_posts": 100000}', env=xenv, timeout=300)
    m = json.loads((out / 'manifest' / 'crawl.json').read_text())
    truth = srv.ground_truth('beta', T0, T1)
    assert m['counts']['posts_out'] == len(truth) and m['counts']['lake']['inserted'] == len(truth)
    import pyarrow.parquet as pq
    assert sorted(pq.read_table(out / 'posts.parquet').column('id').to_pylist()) == sorted(truth)
    p = run_cli('run', '--source', 'x', *RANGE, '--out', tmp_path / 'run2', '--to-stage', 'crawl', env=xenv, check=False, timeout=300)
    assert p.returncode != 0 and 'crawl.query' in p.out


def test_archive_search_and_bad_stream_lines(srv, xenv, tmp_path):
    c = json.loads(crawl('search', 'gamma', *RANGE, '--archive', '--page-size', '200', '--job', 'arch', env=xenv).stdout)
    truth = srv.ground_truth('gamma', T0, T1)
    assert c['reads'] == len(truth) and {r['path'] for r in srv.search_requests()} == {'/2/tweets/search/all'}
    assert int(srv.search_requests()[0]['params']['max_results']) == 200
    e = json.loads(crawl('estimate', 'gamma', '--start', '2024-03-01', '--end', '2024-03-10', '--archive', env=xenv).stdout)
    assert e['posts'] == len(srv.ground_truth('gamma', T0, T0 + timedelta(days=10))) and e['hours'] == 240   # two pages of counts
    assert [r['params'].get('next_token') for r in srv.requests if r['path'] == '/2/tweets/counts/all'][-2:] == [None, '168']
    srv.stream_posts = stream_corpus(10); srv.inject('/2/tweets/sample/stream', 'stream_garbage')
    c = stream('sample', job='garbage', max_posts=10)
    assert c['posts'] == 10 and c['malformed_lines'] == 1 and c['quarantined_malformed_stream_line'] == 1
    raw = [json.loads(x) for x in open(tmp_path / 'lake' / 'crawl' / 'x' / 'garbage.jsonl')]
    assert [r['kind'] for r in raw].count('error') == 1 and [r['kind'] for r in raw].count('stream') == 10


def test_same_job_twice_at_once_is_refused(srv, xenv, tmp_path):
    from tweetnb.collect.jobs import JobLock
    with JobLock(tmp_path / 'lake' / 'crawl' / 'x' / 'busy.lock'):
        p = crawl('search', 'alpha', *RANGE, '--job', 'busy', env=xenv, check=False)
    assert p.returncode == 2 and "x job 'busy' is running in another process" in p.out
    assert not srv.search_requests()


def test_api_errors_are_one_clear_line(srv, xenv):
    p = crawl('search', 'alpha (beta', *RANGE, env=xenv, check=False)          # a query the API rejects
    assert p.returncode == 2 and 'the X API answered 400 to /2/tweets/counts/recent' in p.out and 'Missing closing parenthesis' in p.out
    assert 'Traceback' not in p.out
    p = crawl('estimate', 'alpha', *RANGE, env={**xenv, 'X_BEARER_TOKEN': 'wrong-token-123456'}, check=False)
    assert p.returncode == 2 and 'answered 401' in p.out and 'wrong-token' not in p.out
    import socket
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]   # a port nothing listens on
    p = crawl('rules', 'list', env={**xenv, 'TWEETNB_X_API_URL': f'http://127.0.0.1:{port}'}, check=False)
    assert p.returncode == 2 and f'could not reach the X API at http://127.0.0.1:{port} after retries' in p.out, p.out
    assert 'Connection refused' in p.out and 'Traceback' not in p.out

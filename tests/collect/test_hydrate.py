"""`tweetnb hydrate` against the fake X API and the fake Bluesky AppView on 127.0.0.1: a lake's `tweetnb export ids`
hydrated into a new lake gives the same ids back, less the posts the platforms no longer return, which are counted
and listed; the X lookup is budget-checked; a SIGKILLed hydration resumes; no secret reaches a file."""
import json, os, random, signal, subprocess, time
from datetime import datetime, timezone
import pytest
from conftest import BIN, ROOT, SECRET, run_cli

from bsky_xrpc_server import BskyServer, make_posts
from xserver import XServer, make_corpus

pytestmark = pytest.mark.timeout(120)
UTC = timezone.utc
RANGE = ['--start', '2024-03-01', '--end', '2024-03-01']
PASSWORD = 'bsky-canary-app-pass-91be7c'
JWT = 'eyJhbGciOiJFUzI1NiJ9.canary-hydrate-5a0d.sig'


def lake_ids(lake) -> set:
    from tweetnb.lake import Lake
    t = Lake(lake).read()
    return set(zip(t.column('platform').to_pylist(), t.column('id').to_pylist()))


@pytest.fixture
def servers():
    x = XServer(make_corpus(1500, start=datetime(2024, 3, 1, tzinfo=UTC), hours=24, seed=3), token=SECRET).start()
    b = BskyServer(make_posts(300, hours=24, seed=6), handle='me.test', password=PASSWORD, access_jwt=JWT,
                   require_auth=True).start()
    env = {'TWEETNB_X_API_URL': x.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02',
           'TWEETNB_BLUESKY_SERVICE': b.url, 'BLUESKY_HANDLE': 'me.test', 'BLUESKY_APP_PASSWORD': PASSWORD,
           'TWEETNB_BLUESKY_BACKOFF': '0.02'}
    yield x, b, env
    x.stop()
    b.stop()


def test_round_trip_budget_missing_and_no_secrets(servers, tmp_path):
    x, b, env = servers
    a, new = tmp_path / 'a', tmp_path / 'b'
    run_cli('crawl', 'search', 'alpha', *RANGE, '--lake', a, env=env, timeout=60)
    run_cli('crawl', 'bluesky', '--search', 'cats', *RANGE, '--lake', a, env=env, timeout=60)
    ids_file = tmp_path / 'ids.txt'
    run_cli('export', 'ids', '--lake', a, '--out', ids_file, env=env)
    shared = lake_ids(a)
    xs, bs = sorted(i for p, i in shared if p == 'x'), sorted(i for p, i in shared if p == 'bluesky')
    assert len(xs) > 150 and len(bs) > 50
    gone = {('x', i) for i in random.Random(1).sample(xs, 7)} | {('bluesky', i) for i in random.Random(2).sample(bs, 3)}
    x.deleted |= {i for p, i in gone if p == 'x'}
    b.deleted |= {i for p, i in gone if p == 'bluesky'}
    with open(ids_file, 'a') as f:
        f.write('x\tnot-a-number\nsomething else\n')
    # over budget: refused before any lookup, with a clear line
    p = run_cli('hydrate', '--input', ids_file, '--lake', new, '--max-cost', '0.10', env=env, check=False)
    assert p.returncode != 0 and 'over budget' in p.out and '--force' in p.out and 'Traceback' not in p.out
    assert not [r for r in x.requests if r['path'] == '/2/tweets']
    p = run_cli('hydrate', '--input', ids_file, '--lake', new, '--max-cost', str(len(xs) * 0.005 + 0.01), env=env,
                timeout=60)
    s = json.loads(p.stdout.strip().splitlines()[-1])
    assert (s['requested'], s['hydrated'], s['missing'], s['malformed']) == (len(shared), len(shared) - 10, 10, 2)
    assert (s['x_missing'], s['bluesky_missing'], s['done']) == (7, 3, 1)
    assert s['cost_usd'] == round((len(xs) - 7) * 0.005, 4) and s['reads'] == len(shared) - 10
    assert lake_ids(new) == shared - gone   # the same ids back, less the deleted ones
    lookups = [r for r in x.requests if r['path'] == '/2/tweets']
    assert len(lookups) == -(-len(xs) // 100) and 'geo.place_id' in lookups[0]['params']['expansions']
    gets = [r for r in b.requests if r['nsid'] == 'app.bsky.feed.getPosts']
    assert len(gets) == -(-len(bs) // 25) and max(len(r['params']['uris']) for r in gets) == 25
    listed = set()
    for f in s['missing_files'].values():
        for line in open(f):
            plat, i, why = line.rstrip('\n').split('\t')
            listed.add((plat, i))
            assert why == ('Not Found Error' if plat == 'x' else 'not returned')
    assert listed == gone
    # handles and counts came back with the posts; the raw pages re-flatten
    from tweetnb.lake import Lake
    df = Lake(new).read().to_pandas()
    assert df['author_handle'].notna().all() and df['like_count'].notna().all()
    assert set(df['source']) == {'hydrate:ids.txt'}
    # a second run does nothing again
    s2 = json.loads(run_cli('hydrate', '--input', ids_file, '--lake', new, '--max-cost', '100', env=env).stdout)
    assert s2['requests'] == 0 and s2['hydrated'] == s['hydrated'] and s2['resumed'] == 2
    # secrets: sent to the servers only, in no file and no output
    assert all(r['auth'] == f'Bearer {SECRET}' for r in lookups) and all(r['auth'] == f'Bearer {JWT}' for r in gets)
    for d in (a, new):
        files = [f for f in d.rglob('*') if f.is_file()]
        assert not [f for f in files if any(c.encode() in f.read_bytes() for c in (SECRET, PASSWORD, JWT))]
    assert not any(c in p.out for c in (SECRET, PASSWORD, JWT))


def test_plain_ids_sigkill_resume(servers, tmp_path):
    "A plain id list (--platform x), SIGKILLed 3 times mid-lookup, resumes to exactly the ids the server has."
    x, b, env = servers
    xs = [p['data']['id'] for p in x.corpus]
    x.deleted |= set(xs[::97])
    ids_file = tmp_path / 'plain.txt'
    ids_file.write_text('\n'.join(xs) + '\n')
    lake, rng = tmp_path / 'lake', random.Random(7)
    full_env = {**os.environ, **env, 'OMP_NUM_THREADS': '1'}
    cmd = [str(BIN / 'tweetnb'), 'hydrate', '--input', str(ids_file), '--platform', 'x', '--lake', str(lake),
           '--job', 'plain', '--max-cost', '100']
    ckf = lake / 'crawl' / 'x' / 'plain.json'
    done_now = lambda: json.loads(ckf.read_text())['done'] if ckf.exists() else 0
    for k in range(3):
        for _ in range(4):
            x.inject('/2/tweets', '503')   # each costs a short backoff: time for a kill between pages
        p = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        goal, deadline = done_now() + rng.randint(1, 3) * 100, time.time() + 20
        while p.poll() is None and time.time() < deadline and done_now() < goal:
            time.sleep(0.002)
        assert p.poll() is None, 'the hydration finished before the kill'
        p.send_signal(signal.SIGKILL)
        p.wait()
    x.faults.clear()
    p = subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout.strip().splitlines()[-1])
    assert s['requested'] == len(xs) and s['missing'] == len(xs[::97]) and s['resumed'] == 1
    assert lake_ids(lake) == {('x', i) for i in xs} - {('x', i) for i in xs[::97]}
    raw = [json.loads(line) for line in (lake / 'crawl' / 'x' / 'plain.jsonl').read_text().splitlines()]
    offsets = [r['offset'] for r in raw if r['kind'] == 'page']
    assert offsets == list(range(0, len(xs), 100))   # each batch asked for once, none skipped

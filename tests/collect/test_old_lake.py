"""A lake written by tweetnb 0.1 (commit 4caf967: tests/fixtures/old_lake_4caf967.tar.gz, made by
tests/fixtures/make_old_lake.py) keeps working: its unfinished X search and Instagram crawl resume with today's code
to complete crawls, with nothing lost or doubled, and `reflatten` rebuilds it from the old raw logs."""
import json, tarfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
import pytest
from conftest import SECRET, run_cli
from ig_server import IGServer, ts
from xserver import XServer, make_corpus
from tweetnb.lake import Lake

FIXTURE = Path(__file__).parents[1] / 'fixtures' / 'old_lake_4caf967.tar.gz'
T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def old_lake(tmp_path) -> Path:
    with tarfile.open(FIXTURE) as tf:
        tf.extractall(tmp_path, filter='data')
    lake = tmp_path / 'lake'
    assert (lake / 'crawl' / 'raw' / 'alpha-old.jsonl').exists() and (lake / 'state' / 'instagram' / 'ig-old.json').exists()
    return lake


def ids(lake: Path, platform: str, source: str | None = None) -> list:
    t = Lake(lake).read(platforms=[platform]).to_pandas()
    return t[t['source'] == source]['id'].tolist() if source else t['id'].tolist()


def test_unfinished_x_search_resumes_to_a_complete_crawl(old_lake):
    ck = json.loads((old_lake / 'crawl' / 'jobs' / 'alpha-old.json').read_text())
    assert (ck['pages'], ck['reads'], ck['done']) == (7, 350, False) and ck['lake_flushed'] < ck['raw_size']
    before = ids(old_lake, 'x', 'alpha')
    assert 0 < len(before) < 350   # pages 6 and 7 were read, not yet in the lake (as a kill between flushes leaves it)
    with XServer(make_corpus(3000, start=T0, hours=72, seed=11), token=SECRET) as srv:
        env = {'TWEETNB_X_API_URL': srv.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02'}
        p = run_cli('crawl', 'search', 'alpha', '--start', '2024-03-01', '--end', '2024-03-02', '--lake', old_lake,
                    '--job', 'alpha-old', '--page-size', '50', env=env, timeout=240)
        truth = srv.ground_truth('alpha', T0, T0 + timedelta(days=2))
        pages = srv.search_requests('/2/tweets/search/recent')
    c = json.loads(p.stdout)
    got = ids(old_lake, 'x', 'alpha')
    lost, doubled = len(set(truth) - set(got)), len(got) - len(set(got))
    print(f'\nold X job: {len(before)} posts in the lake before, {len(got)} after, {len(truth)} expected; '
          f'lost {lost}, duplicated {doubled}; {len(pages)} page requests for {-(-len(truth) // 50) - 7} pages left')
    assert c['resumed'] == 1 and c['done'] == 1 and c['total_reads'] == len(truth)
    assert lost == doubled == 0 and set(got) == set(truth)
    assert len(pages) == -(-len(truth) // 50) - 7   # the 7 pages read by 0.1 were not fetched again
    assert pages[0]['params']['next_token'] == ck['next_token']
    assert (old_lake / 'crawl' / 'x' / 'alpha-old.json').exists() and not (old_lake / 'crawl' / 'jobs').exists()


def test_unfinished_instagram_crawl_resumes(old_lake):
    st = json.loads((old_lake / 'state' / 'instagram' / 'ig-old.json').read_text())
    assert not all(t['done'] for t in st['targets'].values())
    t0, t1 = ts('2023-05-14T00:00:00'), ts('2023-06-01T00:00:00')
    with IGServer() as s:
        p = run_cli('crawl', 'instagram', '--hashtag', 'sgfood', '--profile', 'eat.sg', '--start', '2023-05-14',
                    '--end', '2023-05-31', '--lake', old_lake, '--job', 'ig-old', '--no-sleep', '-v',
                    env={'TWEETNB_INSTAGRAM_URL': s.url})
        want = s.world.in_range(t0, t1, tag='sgfood') | s.world.in_range(t0, t1, profile='eat.sg')
    got = ids(old_lake, 'instagram')
    print(f'\nold Instagram job: {len(got)} posts after, {len(want)} expected')
    assert len(got) == len(set(got)) == len(want) and set(got) == want, p.out
    assert 'resuming after' in p.out or 'done in an earlier run' in p.out
    new_state = json.loads((old_lake / 'crawl' / 'instagram' / 'ig-old.json').read_text())
    assert all(t['done'] for t in new_state['targets'].values()) and not (old_lake / 'state').exists()


def test_reflatten_rebuilds_the_old_lake_from_its_raw_logs(old_lake):
    p = run_cli('lake', 'migrate', '--lake', old_lake)
    assert 'x_jobs 2' in p.out and 'instagram_jobs 1' in p.out
    assert 'already in the current layout' in run_cli('lake', 'migrate', '--lake', old_lake).out
    lake = Lake(old_lake)
    rows = lake.read().to_pandas()
    import shutil
    shutil.rmtree(old_lake / 'posts')
    c = json.loads(run_cli('crawl', 'reflatten', '--lake', old_lake).stdout)
    again = Lake(old_lake).read().to_pandas()
    assert c['files'] == 3 and len(again) == len(again[['platform', 'id']].drop_duplicates())
    # every post the old lake held is rebuilt (plus the posts of the two raw pages 0.1 had not flushed yet)
    key = lambda df: set(zip(df['platform'], df['id']))
    assert key(rows) <= key(again) and len(key(again) - key(rows)) == 350 - len(rows[rows['source'] == 'alpha'])
    jobs = [json.loads(line) for line in run_cli('crawl', 'jobs', '--lake', old_lake).stdout.splitlines()]
    assert sorted((j['platform'], j['job']) for j in jobs) == [('instagram', 'ig-old'), ('x', 'alpha-old'), ('x', 'stream-old')]

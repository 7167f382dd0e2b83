"""The Mastodon source against a fake instance on 127.0.0.1 (tests/helpers/mastodon_server.py): a hashtag range
crawl through `tweetnb crawl mastodon` with a rate limit, a 500 and a malformed page; SIGKILLs of a range crawl and
of a stream, resumed with nothing lost or doubled; a dropped stream whose gap is fetched; `tweetnb run --source
mastodon`. Statuses of accounts that opted out (noindex, #nobot, #nosearch) are counted and never written."""
import json, os, random, signal, subprocess, time
import duckdb
import pytest
from conftest import BIN, ROOT, SECRET, run_cli

from mastodon_server import MastodonServer, has_tag, make_statuses, opted_out

pytestmark = pytest.mark.timeout(120)
ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'MASTODON_ACCESS_TOKEN': SECRET}


def lake_ids(lake) -> list:
    return [r[0] for r in duckdb.connect().execute(
        f"select id from read_parquet('{lake}/posts/*/posts.parquet')").fetchall()]


def in_range(statuses, day='2026-03-01', tag='peace'):
    "(kept URIs, opted-out statuses) of the tag's statuses posted on `day` (UTC)."
    mine = [s for s in statuses if has_tag(s, tag) and s['created_at'].startswith(day)]
    return {s['uri'] for s in mine if not opted_out(s)}, [s for s in mine if opted_out(s)]


def crawl_cmd(srv, lake, *more):
    return [str(BIN / 'tweetnb'), 'crawl', 'mastodon', '--instance', srv.url, '--lake', str(lake), '--backoff', '0.05',
            *more]


def test_range_crawl_exact_rate_limit_and_opt_outs(tmp_path):
    "The range equals the server's statuses in it minus the opted-out ones; a 429 is waited out and said in one line."
    srv = MastodonServer(fail_429={2}, reset_in=1.5, fail_500={4}, malformed={6})
    sts = srv.published = make_statuses(700, srv.host, seed=1, step_s=300)   # 2026-03-01 00:00 to 03-03 10:00
    truth, out = in_range(sts)
    lake = tmp_path / 'lake'
    with srv.start():
        p = subprocess.run(crawl_cmd(srv, lake, '--hashtag', 'peace', '--start', '2026-03-01', '--end', '2026-03-01',
                                     '--job', 'day1'), cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    c = json.loads(p.stdout.strip().splitlines()[-1])
    ids = lake_ids(lake)
    assert len(ids) == len(set(ids)) == len(truth) and set(ids) == truth
    assert c['job_posts'] == len(truth) and c['done'] == 1 and c['malformed_pages'] == 1 and c['rate_limited'] == 1
    assert c['skipped_opted_out'] == len(out) > 0 and {'skipped_noindex', 'skipped_nobot', 'skipped_nosearch'} <= set(c)
    # one line with the reset time the 429 gave
    line = [x for x in p.stderr.splitlines() if 'rate limited by' in x]
    assert len(line) == 1 and f'rate limited by {srv.url}: waiting until 2026-' in line[0] and ' s)' in line[0]
    assert 'left out' in p.stderr and 'opted out of indexing' in p.stderr
    # paged by id: max_id from the end of the range, since_id below its start, limit 40
    pages = [q for path, q in srv.requests if path == '/api/v1/timelines/tag/peace']
    assert all(q['limit'] == '40' and 'since_id' in q and 'max_id' in q for q in pages)
    raw = (lake / 'crawl' / 'mastodon' / 'day1.jsonl').read_text()
    assert not any(f'"uri":"{s["uri"]}"' in raw for s in out)   # not even raw
    assert srv.auth == {f'Bearer {SECRET}'}   # the token was used ...
    for f in (lake / 'crawl' / 'mastodon').iterdir():   # ... and written nowhere
        assert SECRET not in f.read_text(errors='replace')
    assert SECRET not in p.stdout + p.stderr
    # the raw log alone rebuilds the posts
    r = run_cli('crawl', 'reflatten', '--platform', 'mastodon', '--lake', lake, env=ENV)
    assert json.loads(r.stdout.strip().splitlines()[-1])['posts'] == len(truth)
    assert sorted(lake_ids(lake)) == sorted(truth)


def kill_and_resume(cmd, progress, kills_wanted, rng, env=ENV, timeout=60):
    "Run `cmd` and SIGKILL it after `progress()` moved on, `kills_wanted` times; then let it finish; its last line."
    kills, at = 0, []
    while True:
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if kills < kills_wanted:
            goal, deadline = progress() + rng.randint(1, 4), time.time() + 20
            while p.poll() is None and time.time() < deadline and progress() < goal:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                p.wait()
                kills += 1
                at.append(progress())
                continue
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err.decode()
        assert kills >= kills_wanted, f'finished after {kills} kills: make it longer'
        return json.loads(out.decode().strip().splitlines()[-1]), at


def test_range_crawl_sigkill_resume(tmp_path):
    "SIGKILLs at random points of a range crawl; the same command resumes from the oldest id: 0 lost, 0 doubled."
    srv = MastodonServer(delay=0.03)
    sts = srv.published = make_statuses(2400, srv.host, seed=2, step_s=60)
    truth, _ = in_range(sts)
    lake, rng = tmp_path / 'lake', random.Random(16)
    ckf = lake / 'crawl' / 'mastodon' / 'killme.json'
    pages = lambda: json.loads(ckf.read_text())['pages'] if ckf.exists() else 0
    with srv.start():
        last, at = kill_and_resume(crawl_cmd(srv, lake, '--hashtag', 'peace', '--start', '2026-03-01', '--end',
                                             '2026-03-01', '--job', 'killme'), pages, 4, rng)
    ids = lake_ids(lake)
    print(f'\nrange SIGKILL resume: checkpointed pages at each kill {at}; last run {last}')
    assert len(ids) == len(set(ids)) == len(truth) and set(ids) == truth
    assert last['done'] == 1 and last['resumed'] == 1 and last['job_posts'] == len(truth)
    assert len(set(at)) >= 3


def test_stream_drop_and_sigkill_resume(tmp_path):
    "A stream dropped once and SIGKILLed 3 times: the gaps are fetched from the REST timeline, nothing is lost."
    srv = MastodonServer(rate=120, drop_after=150, deletes_every=40)
    sts = make_statuses(1300, srv.host, seed=3, step_s=60)
    srv.published, srv.live = sts[:100], sts[100:]
    truth = {s['uri'] for s in srv.live if has_tag(s, 'peace') and not opted_out(s)}
    lake, rng = tmp_path / 'lake', random.Random(4)
    raw = lake / 'crawl' / 'mastodon' / 'live.jsonl'
    events = lambda: raw.read_text().count('"kind":"stream"') // 40 if raw.exists() else 0
    with srv.start(live_on_connect=True):
        last, at = kill_and_resume(crawl_cmd(srv, lake, '--hashtag', 'peace', '--stream', '--job', 'live',
                                             '--max-posts', str(len(truth)), '--duration', '40'), events, 3, rng)
    ids = lake_ids(lake)
    recs = [json.loads(x) for x in raw.read_text().splitlines()]
    print(f'\nstream SIGKILL resume: progress at each kill {at}; drops {srv.drops}; last run {last}')
    assert len(ids) == len(set(ids)) == len(truth) and set(ids) == truth
    assert last['stop_max_posts'] == 1 and last['job_posts'] == len(truth)
    assert srv.drops == 1 and any(r.get('reason') == 'stream_dropped' for r in recs)
    assert any(r['kind'] == 'page' and r.get('gap') and r['kept'] for r in recs)   # some statuses came from the gap
    assert any(q.get('min_id') for path, q in srv.requests if path.startswith('/api/v1/timelines/'))
    assert not any(f'"uri":"{s["uri"]}"' in raw.read_text() for s in srv.live if opted_out(s))


def test_run_source_mastodon(tmp_path):
    "`tweetnb run --source mastodon` through the crawl stage: the range's posts in posts.parquet."
    import pyarrow.parquet as pq

    srv = MastodonServer()
    sts = srv.published = make_statuses(400, srv.host, seed=5, step_s=400)
    truth, _ = in_range(sts)
    out = tmp_path / 'run'
    with srv.start():
        opts = json.dumps({'instance': srv.url})
        run_cli('run', '--source', 'mastodon', '--start', '2026-03-01', '--end', '2026-03-01', '--out', out,
                '--lake', tmp_path / 'lake', '--to-stage', 'crawl', '-p', 'crawl.query=#peace', '-p',
                f'crawl.source_options={opts}', env=ENV, timeout=100)
    m = json.loads((out / 'manifest' / 'crawl.json').read_text())
    assert m['counts']['posts_out'] == len(truth) and m['counts']['lake']['inserted'] == len(truth)
    assert sorted(pq.read_table(out / 'posts.parquet').column('id').to_pylist()) == sorted(truth)

"""The Bluesky Jetstream source against a fake Jetstream on 127.0.0.1 (tests/helpers/jetstream_server.py): a long
collection through `tweetnb crawl bluesky`, SIGKILLed at random moments and resumed, with a drop and a malformed
frame injected: every post lands in the lake exactly once."""
import json, os, random, signal, subprocess, time
import duckdb
import pytest
from conftest import BIN, ROOT

from jetstream_server import JetstreamServer, make_events, post_uris

pytestmark = pytest.mark.timeout(120)


def test_sigkill_resume_loses_and_duplicates_nothing(tmp_path):
    "At least 10 SIGKILLs of a 3,000-event collection; each run resumes from the cursor; then it runs to the end."
    events = make_events(3000, seed=7)
    truth = post_uris(events)
    srv = JetstreamServer(events, rate=1000, drop_after=2000, malformed_at=1200).start()
    lake, rng, t = tmp_path / 'lake', random.Random(20261204), time.time()
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    cmd = [str(BIN / 'tweetnb'), 'crawl', 'bluesky', '--jetstream', srv.url, '--lake', str(lake), '--job', 'killme',
           '--max-posts', str(len(truth)), '--flush-every', '40', '--rewind', '0.02', '--backoff', '0.05',
           '--duration', '60']
    ckf = lake / 'crawl' / 'bluesky' / 'killme.json'
    events_now = lambda: json.loads(ckf.read_text())['events'] if ckf.exists() else 0
    kills = runs = 0
    at = []   # checkpointed events at each kill
    try:
        while True:
            runs += 1
            p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if kills < 12:
                # most kills land 40-250 events after the checkpoint plus 0-30 ms (in a batch, an fsync or a lake
                # write); some during start-up, before the first event
                goal = None if rng.random() < 0.15 else events_now() + rng.randint(40, 250)
                deadline = time.time() + (rng.uniform(0.05, 0.5) if goal is None else 20)
                while p.poll() is None and time.time() < deadline and (goal is None or events_now() < goal):
                    time.sleep(0.002)
                if goal is not None:
                    time.sleep(rng.uniform(0, 0.03))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    kills += 1
                    at.append(events_now())
                    continue
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()
            if kills >= 10:
                break
            pytest.fail(f'the collection finished after only {kills} kills: make it longer')
        last = json.loads(out.decode().strip().splitlines()[-1])
        n, nd = duckdb.connect().execute(
            f"select count(*), count(distinct id) from read_parquet('{lake}/posts/*/posts.parquet')").fetchone()
        ids = {r[0] for r in duckdb.connect().execute(
            f"select id from read_parquet('{lake}/posts/*/posts.parquet')").fetchall()}
        raw = [json.loads(line) for line in (lake / 'crawl' / 'bluesky' / 'killme.jsonl').read_text().splitlines()]
        reasons = [r.get('reason') for r in raw if r['kind'] == 'error']
        print(f'\nSIGKILL resume: {kills} kills, {runs} runs, {time.time() - t:.1f}s; posts {n} rows, {nd} distinct, '
              f'{len(truth)} expected; {len(srv.requests)} connections, {srv.sent} events sent for {len(events)} '
              f'({srv.sent - len(events)} repeated); checkpointed events at each kill: {at}; last run: {last}')
        assert len(set(at)) >= 6   # the kills landed at many different points of the collection
        assert n == nd == len(truth) and ids == set(truth)   # 0 lost, 0 duplicated
        assert last['stop_max_posts'] == 1 and last['job_posts'] == len(truth)
        assert srv.drops == 1 and reasons.count('connection_dropped') >= 1
        assert srv.malformed >= 1 and reasons.count('malformed_frame') >= 1
        assert any('cursor' in q for q in srv.requests[1:])   # resumed with the cursor
    finally:
        srv.stop()


def test_filters_and_one_clear_line_when_unreachable(tmp_path, cli):
    "wantedDids reaches the server; a Jetstream that is not there is one error line, and the job resumes later."
    events = make_events(300, seed=3)
    did = events[-1]['did']
    mine = [u for u in post_uris(events) if u.startswith(f'at://{did}/')]
    with JetstreamServer(events) as srv:
        p = cli('crawl', 'bluesky', '--jetstream', srv.url, '--lake', tmp_path / 'lake', '--did', did, '--job', 'one',
                '--max-posts', len(mine), '--duration', '20')
        assert srv.requests[0]['wantedDids'] == [did]
    c = json.loads(p.stdout.strip().splitlines()[-1])
    assert c['posts'] == len(mine) and c['lake_inserted'] == len(mine)
    p = cli('crawl', 'bluesky', '--jetstream', srv.url, '--lake', tmp_path / 'lake', '--job', 'two', '--retries', '1',
            '--backoff', '0.01', check=False)
    assert p.returncode != 0 and 'could not reach Jetstream' in p.out and 'Traceback' not in p.out

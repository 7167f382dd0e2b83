"""Bluesky source throughput against the local fake Jetstream (tests/helpers/jetstream_server.py, in its own
process, as fast as it can send): posts/s through `tweetnb.collect.bluesky.jetstream.jetstream` end to end (websocket,
fsync'd raw log in batches, cursor checkpoint, flatten, lake upsert) versus a bare websocket reader that only
`json.loads` each frame (the floor), and the overhead ratio.

    .venv/bin/python bench/bluesky_bench.py [--events 50000] [--repeat 2] [--flush-every 500]
"""
import argparse, json, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'tests' / 'helpers'))


def bare_reader(url: str, posts: int) -> int:
    "Read frames with websockets and json.loads until `posts` created posts were seen; frames read."
    from websockets.sync.client import connect
    seen = frames = 0
    with connect(url + '?wantedCollections=app.bsky.feed.post', max_size=2**22, compression=None) as ws:
        while seen < posts:
            ev = json.loads(ws.recv())
            frames += 1
            c = ev.get('commit') or {}
            seen += c.get('operation') == 'create' and c.get('collection') == 'app.bsky.feed.post'
    return frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--events', type=int, default=50_000)
    ap.add_argument('--repeat', type=int, default=2)
    ap.add_argument('--flush-every', type=int, default=500)
    a = ap.parse_args()
    from jetstream_server import make_events, post_uris
    from tweetnb.lake import Lake
    from tweetnb.collect.bluesky.jetstream import JetstreamJob, jetstream
    posts = len(post_uris(make_events(a.events)))
    srv = subprocess.Popen([sys.executable, str(ROOT / 'tests' / 'helpers' / 'jetstream_server.py'), '--events',
                            str(a.events)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = srv.stdout.readline().strip()
    rows = []
    try:
        for r in range(a.repeat):
            t = time.perf_counter()
            frames = bare_reader(url, posts)
            bare = time.perf_counter() - t
            with tempfile.TemporaryDirectory() as d:
                t = time.perf_counter()
                c = jetstream(JetstreamJob(url, max_posts=posts, flush_every=a.flush_every, name='bench'), Lake(d))
                src = time.perf_counter() - t
            assert c['job_posts'] == posts, dict(c)
            rows.append((r, frames, posts, posts / bare, posts / src, src / bare))
    finally:
        srv.stdin.close()
        srv.wait(10)
    print(f'{a.events:,} events ({posts:,} posts) from the local fake Jetstream; flush every {a.flush_every} messages')
    print(f"{'run':>3} {'frames':>8} {'posts':>8} {'bare posts/s':>13} {'source posts/s':>15} {'overhead':>9}")
    for r, f, p, b, s, o in rows:
        print(f'{r:>3} {f:>8,} {p:>8,} {b:>13,.0f} {s:>15,.0f} {o:>8.2f}x')


if __name__ == '__main__':
    main()

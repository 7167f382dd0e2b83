"""Instagram crawl throughput against the local test server, and its overhead over the same requests made raw.

    .venv/bin/python bench/bench_instagram.py [--tag-posts 1000] [--profile-posts 120]

Runs `crawl_instagram` (instaloader + raw log + lake upserts + checkpoints) on one hashtag and one profile of the
server in tests/helpers/ig_server.py (no added latency), anonymously and logged in, then replays the exact requests it made
with a bare requests.Session and no processing. posts/s and the ratio show what tweetnb + instaloader add per request;
against the real Instagram the network and its rate limits dominate (instaloader's own pauses are off here).
"""
import argparse, os, sys, tempfile, time
from pathlib import Path
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / 'tests' / 'helpers')]
from ig_server import IGServer, World
from tweetnb.lake import Lake
from tweetnb.collect.instagram.crawl import InstagramJob, crawl_instagram


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--tag-posts', type=int, default=1000); ap.add_argument('--profile-posts', type=int, default=120)
    a = ap.parse_args(); rows = []
    for mode in ('anonymous', 'logged in'):
        with IGServer(World(n_tag=a.tag_posts, n_profile=a.profile_posts)) as s, tempfile.TemporaryDirectory() as d:
            env = {'TWEETNB_INSTAGRAM_URL': s.url}
            if mode == 'logged in': env.update(INSTAGRAM_USERNAME='ann.sg', INSTAGRAM_PASSWORD='ig-test-pass-31415')
            os.environ.update(env)
            for k in ('INSTAGRAM_USERNAME', 'INSTAGRAM_PASSWORD'):
                if k not in env: os.environ.pop(k, None)
            t = time.perf_counter()
            got = crawl_instagram(InstagramJob.of('2020-01-01', '2024-12-31', ['sgfood'], ['eat.sg'], top_posts=False), Lake(d),
                                  sleep=False)
            crawl_s = time.perf_counter() - t; reqs = list(s.requests)
            t = time.perf_counter()
            with requests.Session() as sess:
                for r in reqs:
                    if r['method'] == 'GET': sess.get(s.url + r['path'], params=r['params']).content
                    else: sess.post(s.url + r['path'], data=r['params']).content
            raw_s = time.perf_counter() - t
            n = got.counts['posts']
            rows.append((mode, n, len(reqs), crawl_s, n / crawl_s, raw_s, n / raw_s, crawl_s / raw_s))
    print(f"{'mode':10} {'posts':>6} {'requests':>8} {'crawl s':>8} {'posts/s':>8} {'raw s':>6} {'raw posts/s':>11} {'overhead':>8}")
    for m, n, q, cs, cp, rs, rp, ov in rows: print(f'{m:10} {n:>6,} {q:>8,} {cs:8.2f} {cp:8,.0f} {rs:6.2f} {rp:11,.0f} {ov:7.1f}x')


if __name__ == '__main__':
    main()

"""Crawl throughput against the local fake X API (tests/helpers/xserver.py, in its own process): posts/s through
`tweetnb.collect.x.search.search` end to end (tweepy Client + retries, fsync'd raw log, checkpoint per page, flatten, lake
upsert), versus paging the same endpoint with plain `requests` and `json.loads` (the floor), and the overhead ratio.

    .venv/bin/python bench/bench_crawl.py [--posts 40000] [--page-sizes 100 10] [--repeat 2]
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import requests

ROOT = Path(__file__).resolve().parents[1]
TOKEN = 'bench-token-0000000000'


def raw_paging(url: str, query: str, start: str, end: str, page_size: int) -> tuple[int, int]:
    "Page through the search with plain requests: (posts, pages)."
    from tweetnb.collect.x.api import FIELDS
    s = requests.Session(); s.headers['Authorization'] = f'Bearer {TOKEN}'
    params = {'query': query, 'start_time': start, 'end_time': end, 'max_results': page_size,
              **{k.replace('_fields', '.fields'): v for k, v in FIELDS.items()}}
    posts = pages = 0; token = None
    while True:
        r = s.get(f'{url}/2/tweets/search/recent', params={**params, **({'next_token': token} if token else {})}, timeout=30)
        body = json.loads(r.content); posts += len(body.get('data') or []); pages += 1
        if not (token := body['meta'].get('next_token')): return posts, pages


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--posts', type=int, default=40000)
    ap.add_argument('--page-sizes', type=int, nargs='+', default=[100, 10]); ap.add_argument('--repeat', type=int, default=2)
    a = ap.parse_args()
    srv = subprocess.Popen([sys.executable, str(ROOT / 'tests' / 'helpers' / 'xserver.py'), '--posts', str(a.posts), '--token', TOKEN],
                           stdout=subprocess.PIPE, text=True)
    url = srv.stdout.readline().strip()
    os.environ.update(TWEETNB_X_API_URL=url, X_BEARER_TOKEN=TOKEN)
    from tweetnb.lake import Lake
    from tweetnb.collect.x.search import SearchJob, search
    q, start, end = 'alpha', '2024-03-01T00:00:00Z', '2024-03-04T00:00:00Z'
    from datetime import datetime
    t0, t1 = (datetime.fromisoformat(x.replace('Z', '+00:00')) for x in (start, end))
    rows = []
    try:
        for ps in a.page_sizes:
            for rep in range(a.repeat):
                t = time.perf_counter(); n, pages = raw_paging(url, q, start, end, ps); raw_s = time.perf_counter() - t
                with tempfile.TemporaryDirectory() as d:
                    t = time.perf_counter(); c = search(SearchJob(q, t0, t1, name='bench', page_size=ps), Lake(Path(d) / 'lake'))
                    nb_s = time.perf_counter() - t
                assert c['reads'] == n, (c, n)
                rows.append((ps, rep + 1, n, pages, raw_s, nb_s))
    finally: srv.terminate()
    print(f'corpus {a.posts:,} posts; query {q!r} over 72 h; server in its own process on 127.0.0.1')
    print(f"{'page':>5} {'run':>3} {'posts':>7} {'pages':>6} {'raw s':>7} {'raw posts/s':>12} {'tweetnb s':>10} {'tweetnb posts/s':>16} {'overhead':>9}")
    for ps, rep, n, pages, raw_s, nb_s in rows:
        print(f'{ps:>5} {rep:>3} {n:>7,} {pages:>6,} {raw_s:>7.2f} {n / raw_s:>12,.0f} {nb_s:>10.2f} {n / nb_s:>16,.0f} {nb_s / raw_s:>8.2f}x')


if __name__ == '__main__':
    main()

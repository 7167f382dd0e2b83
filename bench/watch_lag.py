"""Near real time, end to end: the fake X filtered stream (tests/helpers/xserver.py, in this process) sends ~`--rate`
matching posts/s for `--minutes`; `tweetnb watch --every 60s` (two exclusive rules, every live stage with its default
model) is SIGKILLed `--kills` times and restarted at once; `tweetnb dashboard --refresh 5` is read by headless Chromium
once a second. Prints: posts sent / in the lake / scored (and scored twice, lost), the lag from a post's sending to
its first appearance in the dashboard's "posts scored" (median, p95, max; and to its batch's commit), and the
watcher's CPU share of 2 cores.

    .venv/bin/python bench/watch_lag.py [--minutes 10] [--rate 5] [--every 60s] [--kills 2]
"""
import argparse, json, os, signal, socket, subprocess, sys, threading, time
from datetime import datetime, timezone
from pathlib import Path
import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / 'tests' / 'helpers')]
from xserver import XServer, make_corpus, matches   # noqa: E402
from browser import chromium_page, kpi, shot   # noqa: E402

TOKEN = 'bench-token-0000000000'
RULES = ['--rule', 'alpha=alpha', '--rule', 'beta=beta', '--exclusive']


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Cpu:
    "CPU seconds of every watcher process, read once a second (a SIGKILLed one keeps its last reading)."
    def __init__(self): self.last, self.lock = {}, threading.Lock()
    def watch(self, p):
        def run():
            pr = psutil.Process(p.pid)
            while p.poll() is None:
                try:
                    t = pr.cpu_times(); self.last[p.pid] = t.user + t.system + t.children_user + t.children_system
                except psutil.Error: break
                time.sleep(1)
        threading.Thread(target=run, daemon=True).start()
    def total(self): return sum(self.last.values())


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--minutes', type=float, default=10); ap.add_argument('--rate', type=float, default=5)
    ap.add_argument('--every', default='60s'); ap.add_argument('--kills', type=int, default=2); ap.add_argument('--out', default='bench/results/watch')
    a = ap.parse_args()
    out = ROOT / a.out; out.mkdir(parents=True, exist_ok=True)
    lake = out / 'lake'
    if lake.exists(): import shutil; shutil.rmtree(lake)
    n_match = int(a.minutes * 60 * a.rate)
    corpus = make_corpus(int(n_match / 0.42) + 50, start=datetime(2024, 3, 1, tzinfo=timezone.utc), hours=24, seed=21)
    want_p = [p for p in corpus if (matches('alpha -beta', p) or matches('beta -alpha', p)) and not p['is_retweet']]
    keep = {p['data']['id'] for p in want_p[:n_match]}
    corpus = [p for p in corpus if p['data']['id'] in keep or not (matches('alpha -beta', p) or matches('beta -alpha', p)) or p['is_retweet']]
    srv = XServer(corpus, token=TOKEN, stream_delay=1 / a.rate).start(); srv.stream_posts = corpus
    env = {**os.environ, 'TWEETNB_X_API_URL': srv.url, 'X_BEARER_TOKEN': TOKEN, 'TWEETNB_LAKE': str(lake), 'HF_HUB_OFFLINE': '1'}
    port = free_port()
    dash = subprocess.Popen([str(ROOT / '.venv/bin/tweetnb'), 'dashboard', '--port', str(port), '--refresh', '5'], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu, seen, t_start = Cpu(), [], time.time()
    start_w = lambda: subprocess.Popen([str(ROOT / '.venv/bin/tweetnb'), 'watch', *RULES, '--every', a.every], env=env,  # noqa: E731
                                       stdout=open(out / 'watch.log', 'a'), stderr=subprocess.STDOUT)
    w = start_w(); cpu.watch(w)
    kill_at = [t_start + a.minutes * 60 * (k + 1) / (a.kills + 1) for k in range(a.kills)]
    time.sleep(3)
    with chromium_page(f'http://127.0.0.1:{port}/', timeout=120) as page:
        last = -1
        while True:
            try: v = int(float(kpi(page, 'posts')))
            except Exception: v = last
            if v != last: seen.append((time.time(), v)); last = v
            if kill_at and time.time() >= kill_at[0]:
                kill_at.pop(0); w.send_signal(signal.SIGKILL); w.wait(); print(f'SIGKILL at {time.time() - t_start:.0f}s, cursor {srv.stream_cursor}', flush=True)
                w = start_w(); cpu.watch(w)
            if srv.stream_done.is_set() and last >= len(keep): break
            if time.time() - t_start > a.minutes * 60 + 600: print('timed out'); break
            time.sleep(1)
        shot(page, out / 'dashboard.png')
    wall = time.time() - t_start
    w.send_signal(signal.SIGKILL); w.wait(); dash.terminate(); srv.stop()
    import pyarrow.parquet as pq
    files = sorted((lake / 'enrich' / 'enriched').glob('b*.parquet'))
    rows = [(int(f.stem[1:]), pq.read_table(f, columns=['id']).column('id').to_pylist(), f.stat().st_mtime) for f in files]
    ids = [i for _, b, _ in rows for i in b]
    from tweetnb.lake import Lake
    lake_ids = set(Lake(lake).read().column('id').to_pylist())
    cum, lag_dash, lag_commit = 0, [], []
    for _, b, mtime in rows:
        cum += len(b)
        shown = next((t for t, v in seen if v >= cum), None)
        for i in b:
            sent = srv.sent_at.get(i)
            if sent is None: continue
            lag_commit.append(mtime - sent)
            if shown is not None: lag_dash.append(shown - sent)
    q = lambda x, p: float(np.percentile(x, p)) if x else float('nan')  # noqa: E731
    res = dict(posts_sent=len(srv.sent_at), matching=len(keep), in_lake=len(lake_ids & keep), scored=len(ids),
               scored_distinct=len(set(ids)), scored_twice=len(ids) - len(set(ids)), lost=len(keep - set(ids)),
               batches=len(rows), kills=a.kills, every=a.every, wall_s=round(wall),
               lag_dashboard_s=dict(median=round(q(lag_dash, 50), 1), p95=round(q(lag_dash, 95), 1), max=round(max(lag_dash or [np.nan]), 1)),
               lag_commit_s=dict(median=round(q(lag_commit, 50), 1), p95=round(q(lag_commit, 95), 1)),
               watcher_cpu_s=round(cpu.total(), 1), watcher_cpu_share_of_2_cores=round(cpu.total() / (2 * wall), 3))
    print(json.dumps(res, indent=1)); (out / 'result.json').write_text(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()

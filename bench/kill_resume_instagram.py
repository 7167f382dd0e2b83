"""SIGKILL a `tweetnb crawl instagram` N times at random moments, then let it finish; print lost / duplicated posts.

    .venv/bin/python bench/kill_resume_instagram.py [--kills 20] [--delay 0.03]

Runs against the local server of tests/helpers/ig_server.py (one hashtag of 600 posts, one profile of 300, 0.03 s per request,
429s injected), anonymously (one extra request per profile post), batches of 12 posts. Each kill lands after the run
has written something to the raw log, at a random moment up to 0.6 s later.
"""
import argparse, json, os, random, signal, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / 'tests' / 'helpers')]
from ig_server import IGServer, World, ts
from tweetnb.lake import Lake


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--kills', type=int, default=20); ap.add_argument('--delay', type=float, default=0.03)
    a = ap.parse_args(); rnd = random.Random(1)
    with tempfile.TemporaryDirectory() as d, IGServer(World(n_tag=600, n_profile=300), fail_429=range(50, 5000, 97), delay=a.delay) as s:
        lake = Path(d) / 'lake'; raw_dir = lake / 'crawl' / 'instagram'
        args = [str(Path(sys.executable).parent / 'tweetnb'), 'crawl', 'instagram', '--hashtag', 'sgfood', '--profile', 'eat.sg',
                '--start', '2023-01-01', '--end', '2023-12-31', '--lake', str(lake), '--no-sleep', '--max-wait', '0.2', '--batch-size', '12']
        env = {**os.environ, 'TWEETNB_INSTAGRAM_URL': s.url}
        raw = lambda: sum(f.stat().st_size for f in raw_dir.glob('*.jsonl')) if raw_dir.exists() else 0
        kills = runs = 0; t = time.time()
        while True:
            size = raw(); runs += 1
            p = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if kills < a.kills:
                while p.poll() is None and raw() == size: time.sleep(0.02)
                time.sleep(rnd.uniform(0, 0.6))
                if p.poll() is None: p.send_signal(signal.SIGKILL); kills += 1
            err = p.communicate()[1]
            if p.returncode == 0: break
            if p.returncode != -signal.SIGKILL: print('run failed:', err[-500:])
        want = s.world.in_range(ts('2023-01-01T00:00:00'), ts('2024-01-01T00:00:00'), tag='sgfood') | \
               s.world.in_range(ts('2023-01-01T00:00:00'), ts('2024-01-01T00:00:00'), profile='eat.sg')
        got = Lake(lake).read().column('id').to_pylist()
        lines = sum(len(f.read_text().splitlines()) for f in raw_dir.glob('*.jsonl'))
        print(f'{kills} SIGKILLs over {runs} runs ({time.time() - t:.0f} s, {len(s.requests)} requests): expected {len(want)} posts, '
              f'lake {len(got)} rows, {len(set(got))} distinct, lost {len(want - set(got))}, duplicated {len(got) - len(set(got))}, '
              f'extra {len(set(got) - want)}; raw log {lines} lines ({lines - len(want)} re-fetched after kills or also top posts)')


if __name__ == '__main__':
    main()

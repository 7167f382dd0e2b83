"""Time each pipeline stage on N posts (the bundled sample, replicated) and print posts/s per stage.

    .venv/bin/python bench/bench_stages.py [--sizes 10000 100000] [--keep DIR]

Each size is a full `tweetnb run` (papermill, six kernels) on a file of N posts: the sample's X posts copied with
new ids, the same timestamps and a few filler words appended so copies are not flagged as duplicates. For every
stage it prints the wall time (kernel start + imports + work) and the work time measured inside the notebook
(manifest `seconds`), and posts/s on the stage's input rows for both.
"""
import argparse, json, os, random, shutil, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault('HF_HUB_OFFLINE', '1')
from tweetnb.core import Quarantine, STAGES, read_json, read_manifests
from tweetnb.collect.importers import read_posts
from tweetnb.collect.sources import sample_files
from tweetnb.pipeline.run import run_pipeline

FILLER = ['today', 'now', 'again', 'btw', 'fyi', 'honestly', 'really', 'tbh', 'lol', 'seriously', 'anyway', 'guys',
          'folks', 'everyone', 'ok', 'still', 'so', 'just', 'yeah', 'hmm']


def replicate(n: int, path: Path) -> int:
    "Write n flattened X posts (JSONL) made from the sample; return n."
    q = Quarantine(); base = [p for f in sample_files() for p in read_posts(f, q) if p['platform'] == 'x']
    rnd = random.Random(n)
    with open(path, 'w') as f:
        for i in range(n):
            p = base[i % len(base)]; k = i // len(base)
            raw = json.loads(p['raw'])
            text = p['text'] if k == 0 else f"{p['text']} {' '.join(rnd.sample(FILLER, 3))}"
            raw.update(id=f"{p['id']}{k:03d}", text=text,
                       author={'id': p['author_id'], 'username': p['author_handle'], 'location': p['user_location']})
            raw.pop('note_tweet', None)
            f.write(json.dumps(raw, ensure_ascii=False) + '\n')
    return n


def bench(n: int, work: Path) -> list[dict]:
    src = work / f'posts_{n}.jsonl'; replicate(n, src)
    out, lake = work / f'run_{n}', work / f'lake_{n}'
    t0 = time.time()
    rec = run_pipeline('2023-05-14', '2023-05-31', out=out, source=str(src), lake=str(lake),
                       stage_params={'language': {'relabel': {'id': 'ms'}}}, echo=lambda m: print('   ', m, flush=True))
    total = time.time() - t0
    man = read_manifests(out); rows = []
    for s in STAGES:
        st, c = rec['stages'][s], man.get(s, {}).get('counts', {})
        n_in = c.get('posts_in') or man['clean']['counts']['posts_out']
        rows.append(dict(posts=n, stage=s, rows_in=n_in, wall_s=st['seconds'], work_s=man[s]['seconds'],
                         wall_pps=n_in / st['seconds'], work_pps=n_in / max(man[s]['seconds'], 1e-9)))
    rows.append(dict(posts=n, stage='TOTAL', rows_in=n, wall_s=total, work_s=sum(r['work_s'] for r in rows),
                     wall_pps=n / total, work_pps=n / sum(r['work_s'] for r in rows)))
    return rows


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--sizes', type=int, nargs='+', default=[10_000, 100_000])
    ap.add_argument('--keep', help='keep run folders here (default: a temporary folder, removed)')
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix='tweetnb-bench-'))
    work.mkdir(parents=True, exist_ok=True)
    try:
        import torch; torch.set_num_threads(os.cpu_count() or 2)
        rows = []
        for n in a.sizes:
            print(f'== {n:,} posts', flush=True); rows += bench(n, work)
        print(f"\n{'posts':>8} {'stage':10} {'rows in':>9} {'wall s':>8} {'work s':>8} {'wall posts/s':>13} {'work posts/s':>13}")
        for r in rows:
            print(f"{r['posts']:>8,} {r['stage']:10} {r['rows_in']:>9,} {r['wall_s']:>8.1f} {r['work_s']:>8.1f} {r['wall_pps']:>13,.0f} {r['work_pps']:>13,.0f}")
        print(f'\ncpu cores: {os.cpu_count()}; wall = kernel start + imports + work; work = measured inside the stage notebook')
    finally:
        if not a.keep: shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()

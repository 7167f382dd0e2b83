"""Estimated time and cost of a SageMaker Processing run of the whole pipeline at 100k and 1M posts.

    .venv/bin/python bench/sagemaker_cost.py [--posts 100000 1000000] [--on TYPE:COUNT[/ONE_TYPE] ...] [--spot]
    .venv/bin/python bench/sagemaker_cost.py --fit outputs/demo RUN2 [--write]

The estimate is `tweetnb.scale.cost.estimate`: every stage a Processing job, the per-post stages (language,
sentiment, entities, domains) split over the instances, crawl, clean, topics and report on one. The seconds per
post are measured (stage manifests of real runs on this project's 2-core CPU VM); the prices are approximate list
prices from memory; the vCPU and GPU speed-ups, the job overhead and the spot discount are assumptions. The script
prints which is which. `--on ml.g4dn.xlarge:4/ml.m5.2xlarge` runs the per-post stages on four g4dn.xlarge and the
one-instance stages on an m5.2xlarge (the profile's `instance_types:`).

`--fit` refits the measured part from run folders (each stage's manifest `seconds` against the run's posts, the
crawl stage's `posts_in`): with two runs or more a least-squares line `fixed + per post × posts`, with one run
seconds / posts. `--write` stores the fit in tweetnb/data/sagemaker/throughput.json, keeping the assumed entries.
"""
import argparse, json, os, sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tweetnb.core import STAGES, read_manifests
from tweetnb.scale.cost import PER_POST, estimate, load_prices, load_throughput

THROUGHPUT = ROOT / 'tweetnb' / 'data' / 'sagemaker' / 'throughput.json'
DEFAULT_ON = ['ml.c5.4xlarge:1', 'ml.g4dn.xlarge:4', 'ml.g5.12xlarge:2', 'ml.g4dn.xlarge:4/ml.m5.2xlarge']
ONE = [s for s in STAGES if s not in PER_POST]


def parse_on(o: str) -> tuple[str, int, dict]:
    "'TYPE:COUNT/ONE_TYPE' -> (TYPE, COUNT, {stage: ONE_TYPE for the one-instance stages})."
    o, _, one = o.partition('/')
    t, _, n = o.partition(':')
    return t, int(n or 1), ({s: one for s in ONE} if one else {})


def fit(runs: list[Path]) -> tuple[dict, list[dict]]:
    "({stage: {fixed_seconds, seconds_per_post, points}}, [{run, posts, seconds}]) from the manifests of `runs`."
    measured = []
    for r in runs:
        man = read_manifests(r)
        measured.append(dict(run=str(r), posts=man['crawl']['counts']['posts_in'],
                             seconds={s: man[s]['seconds'] for s in STAGES if s in man}))
    out = {}
    for s in STAGES:
        p = [(m['posts'], m['seconds'][s]) for m in measured if s in m['seconds']]
        if not p:
            continue
        big_n, big_s = max(p)
        fixed, per = 0.0, big_s / big_n
        if len({n for n, _ in p}) > 1:
            mn = sum(n for n, _ in p) / len(p)
            ms = sum(t for _, t in p) / len(p)
            slope = sum((n - mn) * (t - ms) for n, t in p) / sum((n - mn) ** 2 for n, _ in p)
            if slope > 0 and ms - slope * mn >= 0:
                fixed, per = ms - slope * mn, slope
            # else (noise: a negative slope or intercept) keep the largest run's seconds / posts, no fixed part
        out[s] = dict(fixed_seconds=round(fixed, 3), seconds_per_post=round(per, 7), points=p)
    return out, measured


def write_fit(f: dict, measured: list[dict]):
    tp = json.loads(THROUGHPUT.read_text())
    for s, v in f.items():
        tp['stages'][s].update(fixed_seconds=v['fixed_seconds'], seconds_per_post=v['seconds_per_post'])
    tp['measured'].update(date=date.today().isoformat(), runs=measured)
    THROUGHPUT.write_text(json.dumps(tp, indent=1, ensure_ascii=False) + '\n')
    print(f'wrote {THROUGHPUT.relative_to(ROOT)}')


def show_fit(f: dict):
    print(f"{'stage':<10}{'fixed s':>9}{'ms/post':>9}  points (posts, seconds)")
    for s, v in f.items():
        pts = ', '.join(f'({n:,}, {t:.1f})' for n, t in v['points'])
        print(f"{s:<10}{v['fixed_seconds']:>9.1f}{v['seconds_per_post'] * 1000:>9.3f}  {pts}")


def provenance(tp: dict):
    "Which figures are measured and which assumed."
    m = tp['measured']
    runs = '; '.join(f"{r['posts']:,} posts, {r['run']}" for r in m['runs']) or 'none recorded'
    gpu = ', '.join(f'{k} {v:g}×' for k, v in tp['gpu_speedup'].items())
    frac = ', '.join(f"{s} {tp['stages'][s]['gpu_fraction']:g}" for s in STAGES if tp['stages'][s].get('gpu_fraction'))
    cap = ', '.join(s for s in STAGES if tp['stages'][s].get('max_cpu_speedup') is not None)
    over, merge = tp['job_overhead_seconds'] / 60, tp['merge_seconds_per_post'] * 1000
    per = '\n          '.join(', '.join(f"{s} {tp['stages'][s]['seconds_per_post'] * 1000:.2f} ms/post + "
                                        f"{tp['stages'][s]['fixed_seconds']:.0f} s" for s in half)
                                for half in (STAGES[:4], STAGES[4:]))
    print(f"""
MEASURED  work seconds per stage (manifest `seconds`), {m['date']}, on
          {m['machine']}:
          runs: {runs}
          fitted as fixed + per post of the run (--fit):
          {per}
APPROX.   prices: {Path(load_prices().attrs['source']).relative_to(ROOT)}, us-east-1 on-demand, from memory
ASSUMED   CPU work scales linearly with vCPUs / {tp['reference_vcpus']} for the per-post stages ({', '.join(PER_POST)});
          no faster than measured (cap 1) for {cap} (one Python process; seeded UMAP)
ASSUMED   GPU speed-up of a stage's GPU-able share over the 2 cores: {gpu} (NOT measured: no GPU);
          GPU-able share: {frac}; the rest is CPU (USE-m3, fastText, UMAP, HDBSCAN, LDA)
ASSUMED   {over:g} min billed overhead per job and instance (start, image pull, S3 copies); a merge job after
          a split stage, {merge:g} ms/post; --spot: {tp['spot_discount']:.0%} off: a what-if (no spot in Processing)""")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--posts', type=int, nargs='+', default=[100_000, 1_000_000])
    ap.add_argument('--on', nargs='+', default=DEFAULT_ON, help='instance_type:count, e.g. ml.g4dn.xlarge:4')
    ap.add_argument('--spot', action='store_true', help='price at the assumed spot discount')
    ap.add_argument('--fit', nargs='+', type=Path, help='run folders to refit the measured seconds from')
    ap.add_argument('--write', action='store_true', help='with --fit: store the fit in throughput.json')
    a = ap.parse_args()
    if a.fit:
        f, measured = fit(a.fit)
        show_fit(f)
        if a.write:
            write_fit(f, measured)
        return
    tp = load_throughput()
    ests = [(n, o, estimate(n, t, c, spot=a.spot, throughput=tp, instance_types=one))
            for n in a.posts for o in a.on for t, c, one in [parse_on(o)]]
    print(f"{'posts':>10}  {'instances':<36}{'wall h':>8}{'inst-h':>9}{'USD':>10}{'USD/1k posts':>14}")
    for n, o, e in ests:
        t, c, one = parse_on(o)
        label = f'{t} × {c}' + (f' (+{one[ONE[0]]})' if one else '')
        print(f'{n:>10,}  {label:<36}{e.hours:>8.2f}{e.instance_hours:>9.2f}{e.dollars:>10.2f}'
              f'{e.dollars / n * 1000:>14.4f}')
    for n, o, e in ests:
        if n == max(a.posts):
            print()
            print('\n'.join(line for line in e.lines() if not line.startswith('  note')))
    provenance(tp)


if __name__ == '__main__':
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    main()

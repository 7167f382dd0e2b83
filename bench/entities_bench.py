"""Named-entity models: posts/s of spaCy's en_core_web_sm (the baseline) vs the tweet NER, on this machine.

    .venv/bin/python bench/entities_bench.py [--n 2000] [--threads 2] [--repeat 2]

Texts: the first `--n` of the 13k Trump tweets in ../shared/data (real posts). Each model is loaded and warmed up on 32 posts first (load
time printed apart); then `predict(texts)` is timed `--repeat` times and the best is kept. torch uses `--threads`
threads (the tweet NER); spaCy runs in one process. On a machine with a CUDA GPU the tweet NER is also timed there.
"""
import argparse, gzip, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / 'shared' / 'data'
os.environ.setdefault('HF_HUB_OFFLINE', '1')


def texts(n: int) -> list[str]:
    import pandas as pd

    p = DATA / 'trump-tweets-2015-2018' / 'trump_tweets.csv.gz'
    if p.exists():
        return pd.read_csv(p, engine='python', on_bad_lines='skip')['Text'].dropna().astype(str).head(n).tolist()
    raise SystemExit(f'needs {p} (../shared/data)')


def timed(model, xs, repeat):
    model.predict(xs[:32])
    best = min(_once(model, xs) for _ in range(repeat))
    return len(xs) / best


def _once(model, xs):
    t0 = time.perf_counter()
    model.predict(xs)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeat', type=int, default=2)
    a = ap.parse_args()
    import torch
    from tweetnb.models import load_model

    torch.set_num_threads(a.threads)
    xs = texts(a.n)
    rows = []
    for name, kw in (('spacy', {}), ('tweet', dict(device='cpu'))):
        t0 = time.perf_counter()
        m = load_model('ner', name, **kw)
        m.predict(['warm up'])
        load = time.perf_counter() - t0
        rows.append((f'{m.name} (cpu, {a.threads} threads)', load, timed(m, xs, a.repeat)))
    if torch.cuda.is_available():
        m = load_model('ner', 'tweet', device='cuda', batch_size=256)
        rows.append((f'{m.name} (cuda: {torch.cuda.get_device_name(0)})', 0.0, timed(m, xs, a.repeat)))
    else:
        print('GPU: none (torch.cuda.is_available() is False)')
    print(f'{len(xs):,} posts, mean {sum(len(x.split()) for x in xs) / len(xs):.1f} words')
    print(f"{'model':58} {'load s':>7} {'posts/s':>9}")
    for name, load, rate in rows:
        print(f'{name:58} {load:7.1f} {rate:9.1f}')
    print(f'ratio tweet NER / spaCy on the CPU: {rows[1][2] / rows[0][2]:.2f}')


if __name__ == '__main__':
    main()

"""Domain models: posts/s of the shipped TweetTopic model (use-m3 + a 19-label head) and of the seed's RNN / LSTM
baselines, on this machine.

    .venv/bin/python bench/domains_bench.py [--n 2000] [--threads 2] [--repeat 2]

Texts: the TweetTopicXL tweets in ../shared/data (800, repeated up to `--n`; real posts in en, es, el, ja), else the
bundled synthetic sample's X posts. `tweettopic` is timed end to end (encode with use-m3 on `--threads` threads +
the head, nothing cached) and head only (from vectors: what a run pays when the sentiment stage's vectors are in the
cache). The RNN and LSTM (the grid's first config each, trained for the bench on the same texts) are timed on
`predict_net`, torch on `--threads` threads. Each is warmed up on 32 posts; the best of `--repeat` runs is kept.
The models run on the CPU (use-m3 is numpy); "GPU: none" says torch sees no CUDA device.
"""
import argparse, gzip, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / 'shared' / 'data' / 'tweettopic-xl'
os.environ.setdefault('HF_HUB_OFFLINE', '1')


def texts(n: int) -> tuple[list[str], str]:
    if DATA.exists():
        xs = [json.loads(line)['text'] for p in sorted(DATA.glob('*.jsonl')) for line in p.open(encoding='utf-8')]
        src = 'TweetTopicXL train+validation (en, es, el, ja)'
    else:
        p = ROOT / 'tweetnb' / 'data' / 'sample' / 'x_pages.jsonl.gz'
        xs = [t['text'] for line in gzip.open(p, 'rt') for t in json.loads(line).get('body', {}).get('data', [])]
        src = 'the bundled synthetic X sample'
    return (xs * (n // max(len(xs), 1) + 1))[:n], src


def best(f, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return min(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeat', type=int, default=2)
    a = ap.parse_args()
    import numpy as np
    import torch
    from tweetnb.domains.model import tweettopic
    from tweetnb.domains.rnn import configs, predict_net, train_net
    from tweetnb.encoders import USEM3

    torch.set_num_threads(a.threads)
    xs, src = texts(a.n)
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'
    print(f'{len(xs)} posts ({src}); CPU threads: {a.threads}; GPU: {gpu}')
    t = time.perf_counter()
    m = tweettopic(encoder=USEM3(threads=a.threads))
    m.predict(xs[:32])
    print(f'tweettopic loaded + warmed up in {time.perf_counter() - t:.1f}s')
    end_to_end = best(lambda: m.predict(xs), a.repeat)
    X = m.encode(xs)
    head = best(lambda: m.predict_embeddings(X), a.repeat)
    rows = [('tweettopic (use-m3 + head, end to end)', len(xs) / end_to_end),
            ('tweettopic head only (cached vectors)', len(xs) / head)]
    Y = np.array([[p['labels'][0] == lab for lab in m.labels] for p in m.predict_embeddings(X)], np.float32)
    for kind in ('rnn', 'lstm'):
        cfg = configs(kind)[0]
        net, vocab = train_net(cfg, xs, Y)
        predict_net(net, vocab, xs[:32])
        rows.append((f"{kind} (emb {cfg['emb']}, hidden {cfg['hidden']}) predict", len(xs) / best(
            lambda: predict_net(net, vocab, xs), a.repeat)))
    for name, v in rows:
        print(f'{name:45s} {v:10,.0f} posts/s')


if __name__ == '__main__':
    main()

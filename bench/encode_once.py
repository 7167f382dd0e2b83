"""Encode once: what the shared embedding cache saves, per stage and for the encoder alone.

    .venv/bin/python bench/encode_once.py [--posts 100000] [--no-demo] [--keep DIR]

1. The demo (bundled sample, `-p language.region=SG`), stage by stage: the sentiment and topics stages **before**
   (each stage encodes for itself: the cache is emptied between them), **after** (topics reuses what sentiment
   encoded) and **rerun** (`--from-stage topics` with the cache warm, as after changing a topics parameter).
   Printed: each stage's work seconds (manifest) and posts/s on its input rows, and the vectors encoded / reused.
2. `--posts N` (default 100,000): the encoder work alone at scale, on the sample's X posts replicated with new ids
   and filler words (as bench/bench_stages.py does), languages from the default language model. Before: the
   sentiment head encodes the non-English covered posts and topics encodes every post again; after: topics reads the
   vectors sentiment wrote; rerun: topics again on a warm cache. USE-m3 on 2 threads.
"""
import argparse, json, os, shutil, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / 'bench'))
os.environ.setdefault('HF_HUB_OFFLINE', '1')


def demo(work: Path):
    from tweetnb.core import read_manifests
    from tweetnb.pipeline.run import run_pipeline
    out, lake, params = work / 'demo', work / 'lake', {'language': {'region': 'SG'}}
    quiet = lambda m: None
    run_pipeline('2023-05-14', '2023-05-31', out=out, lake=str(lake), to_stage='language', stage_params=params, echo=quiet)
    rows = []

    def stage(case, name, **kw):
        run_pipeline('2023-05-14', '2023-05-31', out=out, lake=str(lake), from_stage=name, to_stage=name,
                     stage_params=params, echo=quiet, **kw)
        m = read_manifests(out)[name]
        e = (m.get('embeddings') or [{}])[0]
        n = m['counts']['posts_in']
        rows.append((case, name, n, m['seconds'], n / m['seconds'], e.get('encoded', 0), e.get('from_cache', 0)))

    shutil.rmtree(out / 'embeddings', ignore_errors=True); stage('before', 'sentiment')
    shutil.rmtree(out / 'embeddings', ignore_errors=True); stage('before', 'topics')
    shutil.rmtree(out / 'embeddings', ignore_errors=True); stage('after', 'sentiment'); stage('after', 'topics')
    stage('rerun', 'topics')
    print(f"\ndemo ({rows[0][2]:,} kept posts), stage work seconds from the manifests")
    print(f"{'case':8} {'stage':10} {'posts in':>9} {'work s':>8} {'posts/s':>8} {'encoded':>8} {'reused':>8}")
    for r in rows:
        print(f'{r[0]:8} {r[1]:10} {r[2]:>9,} {r[3]:>8.1f} {r[4]:>8.1f} {r[5]:>8,} {r[6]:>8,}')


def encoder_only(n: int, work: Path):
    import numpy as np
    from bench_stages import replicate
    from tweetnb.embeddings import CachedEncoder
    from tweetnb.encoders import USEM3
    from tweetnb.models import load_model
    src = work / f'posts_{n}.jsonl'; replicate(n, src)
    rows = [json.loads(l) for l in open(src)]
    texts = [r['text'] for r in rows]; keys = [('x', r['id']) for r in rows]
    langs = [p['lang'] for p in load_model('language').predict(texts)]
    covered = set(load_model('sentiment', 'use-m3-umsab').languages) - {'en'}
    head_idx = [i for i, l in enumerate(langs) if l in covered]
    enc = USEM3(threads=2)
    enc.encode(texts[:256])  # warm-up
    res = {}
    for case in ('before', 'after', 'rerun'):
        folder = work / f'emb_{case}'
        if case != 'rerun':
            shutil.rmtree(folder, ignore_errors=True)
        if case == 'rerun':
            folder = work / 'emb_after'
        t0 = time.perf_counter()
        if case != 'rerun':
            s = CachedEncoder(enc, folder)
            s.encode([texts[i] for i in head_idx], keys=[keys[i] for i in head_idx]); s.flush()
        t1 = time.perf_counter()
        c = CachedEncoder(enc, folder if case != 'before' else work / 'emb_before_topics')
        X = c.encode(texts, keys=keys); c.flush()
        t2 = time.perf_counter()
        res[case] = (t1 - t0, t2 - t1, c.stats())
    print(f"\nencoder work at {n:,} posts ({len(head_idx):,} non-English posts the sentiment head covers), USE-m3, 2 threads")
    print(f"{'case':8} {'sentiment s':>12} {'topics s':>9} {'topics posts/s':>15} {'encoded':>9} {'reused':>9} {'total s':>8}")
    for case, (a, b, st) in res.items():
        print(f"{case:8} {a:>12.1f} {b:>9.1f} {n / b:>15,.0f} {st['encoded']:>9,} {st['from_cache']:>9,} {a + b:>8.1f}")
    shutil.rmtree(work / 'emb_before_topics', ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--posts', type=int, default=100_000); ap.add_argument('--no-demo', action='store_true')
    ap.add_argument('--keep', help='keep the work folder here (default: a temporary folder, removed)')
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix='tweetnb-encode-once-'))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not a.no_demo:
            demo(work)
        if a.posts:
            encoder_only(a.posts, work)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()

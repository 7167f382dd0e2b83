"""Topics at scale: time and peak memory of the topics fit at 100k and 1M posts, batch and online.

    .venv/bin/python bench/topics_scale.py [--n 100000] [--million 1000000] [--skip-batch] [--batch-million]
                                           [--only batch|online] [--work DIR]

Texts: real, varied posts and sentences from ../shared/data (13k Trump tweets, TweetEval, UMSAB in 8 languages,
lingua's 75-language sentences), de-duplicated and shuffled with seed 0; the first `--n` are used. They are encoded
once with USE-m3 (cached in WORK/embeddings, reused by later runs) and kept as a float16 memory-mapped `.npy`.

Each case runs in its own process so its peak memory (ru_maxrss) is its own:
- batch: the stage's BERTopic (seeded UMAP, low_memory, + HDBSCAN, min_topic_size auto, max_outliers 0.1,
  no per-document probabilities, c-TF-IDF min_df 2) on the `--n` posts; with `--batch-million` also on the
  `--million` vectors below (UMAP unseeded there, so it uses every core);
- online: `tweetnb.topics.online.fit_online` (IncrementalPCA + MiniBatchKMeans(50) + OnlineCountVectorizer, chunks
  of 10k read from the float16 memmap) on the same posts, and on `--million` posts: the `--n` real posts repeated,
  each copy's vectors moved by Gaussian noise (sigma 0.05 per dimension, re-normalised) so no two vectors are equal;
  their texts repeat (honestly: ~10 copies of each real text, not a million different posts).
Quality (NPMI top 10 and diversity top 25 over the `--n` real posts, outlier and largest-topic shares) is printed
for each case, so the online mode's quality cost is measured beside the batch model.
"""
import argparse, gzip, hashlib, json, os, random, resource, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / 'shared' / 'data'
os.environ.setdefault('HF_HUB_OFFLINE', '1')


def texts(n: int) -> list[str]:
    "Up to `n` distinct real texts from ../shared/data, shuffled with seed 0."
    import pandas as pd
    if not DATA.exists():
        sys.exit(f'no {DATA}: this benchmark needs the shared datasets')
    out = pd.read_csv(DATA / 'trump-tweets-2015-2018' / 'trump_tweets.csv.gz', engine='python',
                      on_bad_lines='skip')['Text'].astype(str).tolist()
    for p in sorted((DATA / 'tweeteval').glob('*/*_text.txt')) + sorted((DATA / 'umsab').glob('*/*_text.txt')):
        out += p.read_text(encoding='utf-8').splitlines()
    with gzip.open(DATA / 'tweeteval' / 'sentiment' / 'train_reconstructed_semeval2013-2016.jsonl.gz', 'rt') as f:
        out += [json.loads(l)['text'] for l in f]
    with gzip.open(DATA / 'lingua-testdata' / 'sentences.tsv.gz', 'rt', encoding='utf-8') as f:
        out += [l.split('\t', 1)[1].strip() for l in f if '\t' in l]
    out = list(dict.fromkeys(t.strip() for t in out if len(t.split()) >= 3))
    random.Random(0).shuffle(out)
    return out[:n]


def vectors(docs: list[str], work: Path):
    "The USE-m3 vectors of `docs` as a float16 memmap (WORK/vectors-N.npy), encoded once into WORK/embeddings."
    import numpy as np
    from tweetnb.embeddings import CachedEncoder
    from tweetnb.models import load_model
    from tweetnb.topics.online import to_memmap
    path = work / f'vectors-{len(docs)}.npy'
    if path.exists():
        return np.load(path, mmap_mode='r')
    enc = CachedEncoder(load_model('encoder', 'use-m3'), work / 'embeddings')
    keys = [('bench', hashlib.sha1(t.encode()).hexdigest()[:16]) for t in docs]
    t0 = time.time()
    chunks = (enc.encode(docs[i:i + 20000], keys=keys[i:i + 20000]) for i in range(0, len(docs), 20000))
    mm = to_memmap(chunks, path, len(docs), 512)
    print(f'encoded {len(docs):,} texts in {time.time() - t0:.0f} s ({enc.stats()})', flush=True)
    return mm


def million(work: Path, n_real: int, total: int):
    "`total` vectors: the real ones repeated, each copy moved by noise and re-normalised (float16 memmap)."
    import numpy as np
    from tweetnb.topics.online import to_memmap
    path = work / f'vectors-{n_real}x-{total}.npy'
    if path.exists():
        return np.load(path, mmap_mode='r')
    real = np.load(work / f'vectors-{n_real}.npy', mmap_mode='r')
    rng = np.random.default_rng(0)

    def chunks():
        for i in range(0, total, 20000):
            idx = np.arange(i, min(i + 20000, total)) % n_real
            v = real[idx].astype(np.float32)
            if i >= n_real:
                v = v + rng.normal(scale=0.05, size=v.shape).astype(np.float32)
            yield v / np.linalg.norm(v, axis=1, keepdims=True)
    return to_memmap(chunks(), path, total, real.shape[1])


def worker(mode: str, n: int, n_real: int, work: Path):
    import numpy as np, warnings
    warnings.simplefilter('ignore')
    docs = texts(n_real)
    t0 = time.time()
    if mode == 'batch':
        from tweetnb.topics.model import build_topic_model, fit_topics
        from tweetnb.topics.languages import vectorizer_for
        X = (np.load(work / f'vectors-{n_real}.npy', mmap_mode='r')[:n] if n <= n_real
             else np.load(work / f'vectors-{n_real}x-{n}.npy', mmap_mode='r')).astype(np.float32)
        seed = 42 if n <= n_real else None  # at 1M the seeded, single-threaded UMAP would take hours on 2 cores
        run = fit_topics([docs[i % n_real] for i in range(n)],
                         model=build_topic_model(vectorizer_model=vectorizer_for('en', min_df=2), n_docs=n, seed=seed,
                                                 min_topic_size='auto'), embeddings=X, max_outliers=0.1)
    else:
        from tweetnb.topics.online import fit_online
        X = (np.load(work / f'vectors-{n_real}.npy', mmap_mode='r') if n <= n_real
             else np.load(work / f'vectors-{n_real}x-{n}.npy', mmap_mode='r'))
        all_docs = [docs[i % n_real] for i in range(n)]
        run = fit_online(all_docs, X, chunk=10_000, n_topics=50)
    fit_s = time.time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # GiB (ru_maxrss is in KiB on Linux)
    from tweetnb.topics.quality import npmi_per_topic, diversity
    from tweetnb.topics.languages import Words
    from tweetnb.topics.model import topic_table
    t = topic_table(run)
    words = [w for i, w in zip(t['topic'], t['top_words']) if i >= 0]
    tok = Words('en')
    per = npmi_per_topic(words, [tok(d) for d in docs[:min(n, n_real)]])
    topics = np.asarray(run.topics)
    sizes = np.bincount(topics[topics >= 0])
    print(json.dumps(dict(mode=mode, posts=n, seconds=round(fit_s, 1), peak_gib=round(peak, 2),
                          topics=len(words), npmi=round(float(np.nanmean(per)), 3), diversity=round(diversity(words), 3),
                          outliers=round(float((topics == -1).mean()), 3), largest=round(float(sizes.max() / n), 3))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=100_000)
    ap.add_argument('--million', type=int, default=1_000_000)
    ap.add_argument('--skip-batch', action='store_true')
    ap.add_argument('--batch-million', action='store_true', help='also fit the batch BERTopic on the --million vectors '
                    '(unseeded UMAP on every core; long: the peak memory of the batch model at 1M)')
    ap.add_argument('--only', choices=['batch', 'online'], help='run only this mode')
    ap.add_argument('--work', default=str(Path.home() / '.cache' / 'tweetnb' / 'bench-topics'))
    ap.add_argument('--worker', nargs=2, metavar=('MODE', 'N'), help=argparse.SUPPRESS)
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    if a.worker:
        return worker(a.worker[0], int(a.worker[1]), a.n, work)
    docs = texts(a.n)
    print(f'{len(docs):,} distinct real texts', flush=True)
    vectors(docs, work)
    cases = ([] if a.skip_batch else [('batch', len(docs))]) + [('online', len(docs))]
    if a.million:
        t0 = time.time()
        million(work, len(docs), a.million)
        print(f'{a.million:,} vectors written in {time.time() - t0:.0f} s', flush=True)
        cases.append(('online', a.million))
        if a.batch_million:
            cases.append(('batch', a.million))
    rows = []
    for mode, n in [c for c in cases if c[0] == (a.only or c[0])]:
        p = subprocess.run([sys.executable, __file__, '--n', str(len(docs)), '--work', str(work), '--worker', mode,
                            str(n)], capture_output=True, text=True)
        line = [l for l in p.stdout.splitlines() if l.startswith('{')]
        if p.returncode or not line:
            print(p.stderr[-3000:])
            sys.exit(f'{mode} {n} failed')
        rows.append(json.loads(line[-1]))
        print(rows[-1], flush=True)
    print(f"\n{'mode':8} {'posts':>10} {'seconds':>8} {'peak GiB':>9} {'topics':>7} {'NPMI':>6} {'divers.':>7} "
          f"{'outliers':>8} {'largest':>8}")
    for r in rows:
        print(f"{r['mode']:8} {r['posts']:>10,} {r['seconds']:>8.1f} {r['peak_gib']:>9.2f} {r['topics']:>7} "
              f"{r['npmi']:>6.3f} {r['diversity']:>7.3f} {r['outliers']:>8.3f} {r['largest']:>8.3f}")


if __name__ == '__main__':
    main()

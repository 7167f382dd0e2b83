"""Language identification side by side: fastText lid.176, lingua (high accuracy, 75 languages) and tweetnb's
hybrid (fastText, lingua's second opinion on short or unsure texts): accuracy on the three lingua test sets and on
real tweets, and texts/s on the sets and on a tweet-like mix.

    .venv/bin/python bench/language_id.py [--per-set N] [--threads 2] [--half report|tune|all] [--repeat 1]
                                         [--threshold 0.9 --short-words 2 --k 3 --alpha 0.1]

Data (../shared/data): lingua-testdata/{sentences,word-pairs,single-words}.tsv.gz (75 languages, `iso639-1<TAB>text`;
gold `nb` is compared as fastText's `no`); real tweets: umsab/<language>/val_text.txt (7 languages; umsab's "hindi"
is romanised, code-mixed Hinglish with English tweets labelled hi, so it is reported on its own line and left out of
the tweet accuracy) and tweettopic-xl/{en,es,gr,ja}_{train,validation}.jsonl (gr = el). Tweets are cleaned with the
stage's `language` profile (links, mentions, hashtags, emoji removed), as the stage does.

Halves: every text falls in a deterministic half by the md5 of its text (0 = tune, 1 = report). tweetnb's defaults
(threshold, short_words, k, alpha) were chosen on the tune half of the lingua sets; `--half report` (the default)
prints the held-out half, `--half all` the full sets.

Tweet-like mix (for texts/s): all real tweets above (incl. the Hindi file, cleaned) plus short texts making 10% of the
mix (half word pairs, half single words, from the chosen half of the lingua sets): about the share of posts with at
most two words after cleaning in a real collection. Each detector runs the mix in batches of 4096; best of --repeat.
"""
import argparse, gzip, hashlib, json, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / 'shared' / 'data'
SETS = ('sentences', 'word-pairs', 'single-words')
UMSAB = dict(english='en', arabic='ar', french='fr', german='de', italian='it', portuguese='pt', spanish='es')
TOPIC = dict(en='en', es='es', gr='el', ja='ja')


def half(t: str) -> int:
    return int(hashlib.md5(t.encode()).hexdigest(), 16) % 2


def pick(rows, which):
    return [r for r in rows if which == 'all' or half(r[1]) == (0 if which == 'tune' else 1)]


def lingua_set(name, which, per_set):
    rows = []
    for line in gzip.open(DATA / 'lingua-testdata' / f'{name}.tsv.gz', 'rt', encoding='utf-8'):
        code, _, text = line.rstrip('\n').partition('\t')
        if text:
            rows.append(('no' if code == 'nb' else code, text))
    rows = pick(rows, which)
    return rows[:: max(1, len(rows) // per_set)][:per_set] if per_set else rows


def tweets(which):
    from tweetnb.clean import clean_text
    rows, hindi = [], []
    for folder, code in UMSAB.items():
        rows += [(code, t) for t in (DATA / 'umsab' / folder / 'val_text.txt').read_text(encoding='utf-8').splitlines()]
    hindi = [('hi', t) for t in (DATA / 'umsab' / 'hindi' / 'val_text.txt').read_text(encoding='utf-8').splitlines()]
    for k, code in TOPIC.items():
        for split in ('train', 'validation'):
            for line in open(DATA / 'tweettopic-xl' / f'{k}_{split}.jsonl', encoding='utf-8'):
                rows.append((code, json.loads(line)['text']))
    clean = lambda rs: [(c, clean_text(t, 'language')) for c, t in rs]   # noqa: E731
    return clean(pick(rows, which)), clean(pick(hindi, which))


def timed(model, texts, repeat=1, batch=4096):
    best, preds = float('inf'), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        preds = [p for s in range(0, len(texts), batch) for p in model.predict(texts[s:s + batch])]
        best = min(best, time.perf_counter() - t0)
    return [p['lang'] for p in preds], len(texts) / best


def accuracy(rows, pred):
    return sum(g == p for (g, _), p in zip(rows, pred)) / max(len(rows), 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--per-set', type=int, default=0, help='texts per lingua set (0: all of the half)')
    ap.add_argument('--half', choices=['report', 'tune', 'all'], default='report')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--threshold', type=float, default=0.9)
    ap.add_argument('--short-words', type=int, default=2)
    ap.add_argument('--k', type=int, default=3, help='lingua candidates for long unsure texts (0: all languages)')
    ap.add_argument('--alpha', type=float, default=0.1)
    ap.add_argument('--models', nargs='+', default=['fasttext-lid176', 'lingua', 'tweetnb', 'tweetnb-k-all'])
    a = ap.parse_args(argv)
    os.environ['RAYON_NUM_THREADS'] = str(a.threads)      # lingua's parallel calls (read once, at first use)
    import random
    from tweetnb.language.detect import FastTextLID, LinguaLID, TweetLID

    sets = {n: lingua_set(n, a.half, a.per_set) for n in SETS}
    tw, hindi = tweets(a.half)
    rng = random.Random(0)
    n_short = len(tw + hindi) // 18                  # 2 * n_short = 10% of the mix
    mix = [t for _, t in tw + hindi] + [t for _, t in rng.sample(sets['word-pairs'], min(n_short, len(sets['word-pairs'])))
                                        + rng.sample(sets['single-words'], min(n_short, len(sets['single-words'])))]
    rng.shuffle(mix)
    print(f"half: {a.half}; sets: {', '.join(f'{n} {len(r):,}' for n, r in sets.items())}; tweets {len(tw):,} "
          f"(+ {len(hindi)} romanised Hindi); mix {len(mix):,} texts ({2 * n_short} short); {a.threads} threads")
    kw = dict(threshold=a.threshold, short_words=a.short_words, alpha=a.alpha)
    build = {'fasttext-lid176': lambda: FastTextLID(), 'lingua': lambda: LinguaLID(),
             'tweetnb': lambda: TweetLID(k=a.k or None, **kw), 'tweetnb-k-all': lambda: TweetLID(k=None, **kw)}
    head = (f"{'model':16} {'sent':>7} {'pairs':>7} {'words':>7} {'mean':>7} {'tweets':>7} {'hi-rom':>7} "
            f"{'sets/s':>8} {'mix/s':>8}")
    print(head + '\n' + '-' * len(head), flush=True)
    for name in a.models:
        m = build[name]()
        m.predict(['warm up', 'une phrase pour commencer'])
        accs, n, secs = [], 0, 0.0
        for rows in sets.values():
            pred, rate = timed(m, [t for _, t in rows], a.repeat)
            accs.append(accuracy(rows, pred))
            n, secs = n + len(rows), secs + len(rows) / rate
        tpred, _ = timed(m, [t for _, t in tw])
        hpred, _ = timed(m, [t for _, t in hindi])
        _, mix_rate = timed(m, mix, a.repeat)
        print(f'{name:16} ' + ' '.join(f'{x:7.4f}' for x in accs) + f' {sum(accs) / 3:7.4f} {accuracy(tw, tpred):7.4f}'
              f' {accuracy(hindi, hpred):7.4f} {n / secs:8,.0f} {mix_rate:8,.0f}', flush=True)
    import resource
    print(f'peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB')


if __name__ == '__main__':
    main()

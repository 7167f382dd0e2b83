"""Sentiment models side by side: load time, time to score the bundled sample, posts/s, and (when the TweetEval
data is there) validation accuracy / macro-recall / macro-F1 on the same 2,000 tweets.

    .venv/bin/python bench/bench_sentiment.py [--models minilm-tweeteval vader tfidf-logreg tfidf-xgboost]
                                              [--threads 2] [--batch-size 64] [--repeat 2] [--no-valid]

The transformer runs on the GPU when one is visible (tweetnb.encoders.best_device), else on `--threads` CPU threads.
Each model scores the sample `--repeat` times after a warm-up batch; the best time is reported.
"""
import argparse, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
TWEETEVAL = ROOT.parent / 'shared' / 'data' / 'tweeteval' / 'sentiment'


def sample_texts() -> list[str]:
    "Texts of every post in the bundled sample (X + Instagram)."
    from tweetnb.core import Quarantine
    from tweetnb.collect.importers import read_posts
    from tweetnb.collect.sources import sample_files
    q = Quarantine()
    return [p['text'] for f in sample_files() for p in read_posts(f, q) if isinstance(p.get('text'), str)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--models', nargs='+', default=['minilm-tweeteval', 'vader', 'tfidf-logreg', 'tfidf-xgboost'])
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--repeat', type=int, default=2); ap.add_argument('--no-valid', action='store_true')
    a = ap.parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    from tweetnb.models import load_model
    from tweetnb.encoders import best_device
    from tweetnb.sentiment.cli import evaluate_file
    texts = sample_texts()
    dev = best_device()
    print(f'device: {dev}' + (f' ({torch.cuda.get_device_name()})' if dev == 'cuda' else f' ({a.threads} threads)')
          + f'; sample: {len(texts):,} posts')
    valid = TWEETEVAL.exists() and not a.no_valid
    head = f"{'model':18} {'load s':>7} {'sample s':>9} {'posts/s':>9}" + (f" {'val acc':>8} {'val mR':>7} {'val mF1':>8}" if valid else '')
    print(head); print('-' * len(head))
    for name in a.models:
        t0 = time.perf_counter(); m = load_model('sentiment', name)
        load_s = time.perf_counter() - t0
        if hasattr(m, 'batch_size'): m.batch_size = a.batch_size
        m.predict(texts[:16])
        best = float('inf')
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            for i in range(0, len(texts), 256): m.predict(texts[i:i + 256])
            best = min(best, time.perf_counter() - t0)
        line = f'{name:18} {load_s:7.1f} {best:9.2f} {len(texts) / best:9,.0f}'
        if valid:
            r = evaluate_file(m, TWEETEVAL / 'val_text.txt', TWEETEVAL / 'val_labels.txt')
            line += f" {r['accuracy']:8.4f} {r['macro_recall']:7.4f} {r['macro_f1']:8.4f}"
        print(line, flush=True)


if __name__ == '__main__':
    main()

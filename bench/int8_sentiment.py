"""The shipped MiniLM sentiment model in fp32 and in dynamic int8 on the CPU: load time, posts/s on the bundled
sample, TweetEval validation accuracy / macro-recall / macro-F1, the speed-up and the macro-recall change.

    .venv/bin/python bench/int8_sentiment.py [--threads 2] [--batch-size 64] [--max-len N] [--repeat 2] [--no-valid]

Both run on the CPU on `--threads` threads. The two models are timed in turn, `--repeat` times each after a
warm-up batch, and the best time of each is kept (alternating keeps the ratio fair on a busy machine). `--max-len`
cuts the token window below the model's own (56 for minilm-tweeteval). The last line says whether the int8 target
(>= 2x posts/s at <= 0.5 points of macro-recall lost) is met.
"""
import argparse, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sentiment import TWEETEVAL, sample_texts  # noqa: E402  (also puts the repo on sys.path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--max-len', type=int, default=None)
    ap.add_argument('--repeat', type=int, default=2)
    ap.add_argument('--no-valid', action='store_true')
    a = ap.parse_args(argv)
    import torch
    torch.set_num_threads(a.threads)
    from tweetnb.models import load_model
    from tweetnb.sentiment.cli import evaluate_file
    import peft, transformers  # noqa: F401  (imported here, so that neither load time counts the imports)

    texts = sample_texts()
    print(f'cpu ({a.threads} threads, quantized engine {torch.backends.quantized.engine}); '
          f'sample: {len(texts):,} posts; batch size {a.batch_size}')
    models, load_s = {}, {}
    for kind in ('fp32', 'int8'):
        t0 = time.perf_counter()
        models[kind] = load_model('sentiment', 'minilm-tweeteval', device='cpu', batch_size=a.batch_size,
                                  int8=kind == 'int8')
        load_s[kind] = time.perf_counter() - t0
        if a.max_len:
            models[kind].max_len = a.max_len
        models[kind].predict(texts[:16])
    best, labels = dict.fromkeys(models, float('inf')), {}
    for _ in range(a.repeat):
        for kind, m in models.items():
            t0 = time.perf_counter()
            labels[kind] = [p['label'] for i in range(0, len(texts), 256) for p in m.predict(texts[i:i + 256])]
            best[kind] = min(best[kind], time.perf_counter() - t0)
    valid = TWEETEVAL.exists() and not a.no_valid
    head = f"{'model':6} {'load s':>7} {'sample s':>9} {'posts/s':>9}" + (
        f" {'val acc':>8} {'val mR':>7} {'val mF1':>8}" if valid else '')
    print(head)
    print('-' * len(head))
    res = {}
    for kind, m in models.items():
        line = f'{kind:6} {load_s[kind]:7.1f} {best[kind]:9.2f} {len(texts) / best[kind]:9,.0f}'
        if valid:
            res[kind] = r = evaluate_file(m, TWEETEVAL / 'val_text.txt', TWEETEVAL / 'val_labels.txt')
            line += f" {r['accuracy']:8.4f} {r['macro_recall']:7.4f} {r['macro_f1']:8.4f}"
        print(line, flush=True)
    speedup = best['fp32'] / best['int8']
    same = sum(x == y for x, y in zip(labels['fp32'], labels['int8'])) / len(texts)
    print(f'int8 / fp32 posts/s: {speedup:.2f}x; same label as fp32 on {same:.1%} of the sample')
    if valid:
        d = {k: 100 * (res['int8'][k] - res['fp32'][k]) for k in ('accuracy', 'macro_recall', 'macro_f1')}
        print(f"change int8 - fp32 (points): macro-recall {d['macro_recall']:+.2f}, accuracy {d['accuracy']:+.2f}, "
              f"macro-F1 {d['macro_f1']:+.2f}")
        met = speedup >= 2 and d['macro_recall'] >= -0.5
        print(f"target (>= 2x posts/s, <= 0.5 points macro-recall lost): {'met' if met else 'NOT met'}")


if __name__ == '__main__':
    main()

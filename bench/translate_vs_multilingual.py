"""Translate-then-English-model on UMSAB validation: macro-F1 per language of the English sentiment model on the
tweets translated to English by a local model, beside the same model on the untranslated tweets.

    .venv/bin/python bench/translate_vs_multilingual.py --model PATH [--langs german french ...] [--limit N]
                                                         [--threads 2] [--batch-size 16] [--num-beams 2]

PATH is a local MarianMT / M2M100 / NLLB checkpoint or a CTranslate2 folder (nothing is downloaded; no
translation model ships with tweetnb and none was found on PyPI). A one-pair model (opus-mt-de-en) is run on its
language only. The multilingual model's numbers on the same split are to be compared side by side with these.
"""
import argparse, os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
UMSAB = ROOT.parent / 'shared' / 'data' / 'umsab'
ISO = dict(arabic='ar', english='en', french='fr', german='de', hindi='hi', italian='it', portuguese='pt',
           spanish='es')
LABELS = ('negative', 'neutral', 'positive')


def macro_f1(model, texts, labels) -> float:
    from tweetnb.sentiment.metrics import sentiment_metrics
    preds = [LABELS.index(p['label']) for p in model.predict(texts)]
    return sentiment_metrics(labels, preds, labels=range(3))['macro_f1']


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--model', required=True, help='local translation model folder')
    ap.add_argument('--langs', nargs='*', default=[k for k in ISO if k != 'english'])
    ap.add_argument('--limit', type=int, help='first N tweets of each language')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch-size', type=int, default=16)
    ap.add_argument('--num-beams', type=int, default=2)
    a = ap.parse_args(argv)
    if not UMSAB.is_dir():
        sys.exit(f'UMSAB not found at {UMSAB}')
    import torch
    from tweetnb.models import load_model
    torch.set_num_threads(a.threads)
    tr = load_model('translate', path=a.model, batch_size=a.batch_size, num_beams=a.num_beams)
    senti = load_model('sentiment')
    print(f'translator {tr.name} ({tr.engine}, {tr.device}); sentiment model {getattr(senti, "name", "default")}')
    print(f"{'language':<11}{'n':>5}{'F1 untranslated':>17}{'F1 translated':>15}{'texts/s':>9}")
    for lang in a.langs:
        if not tr.supports(ISO[lang]):
            print(f'{lang:<11} not taken by this model')
            continue
        d = UMSAB / lang
        texts = d.joinpath('val_text.txt').read_text(encoding='utf-8').splitlines()[: a.limit]
        labels = [int(x) for x in d.joinpath('val_labels.txt').read_text().split()][: len(texts)]
        t = time.perf_counter()
        english = tr.translate(texts, ISO[lang], progress=False)
        rate = len(texts) / (time.perf_counter() - t)
        print(f'{lang:<11}{len(texts):>5}{macro_f1(senti, texts, labels):>17.4f}'
              f'{macro_f1(senti, english, labels):>15.4f}{rate:>9.1f}', flush=True)


if __name__ == '__main__':
    main()

"""Batch inference on a GPU against the CPU: posts/s of the bundled MiniLM embeddings (one process, and the
multi-process pool that `tweetnb.encoders.embed` uses for several devices), the English sentiment transformer and the
tweet NER, through the product's own classes; agreement with a reference computed on the CPU; optionally a short
LoRA sentiment fine-tune through `torchrun` (the path `tweetnb jobs train-sentiment` runs in a job).

    python bench/gpu_bench.py --texts texts.txt --write-reference ref.npz       # on the CPU: the reference
    python bench/gpu_bench.py --texts texts.txt --reference ref.npz --n 20000  # on the GPU machine

Prints a table and writes `--out` (JSON). Runs anywhere; on a CPU it measures the CPU.
"""
from __future__ import annotations
import argparse, json, os, re, subprocess, sys, time
from pathlib import Path

import numpy as np

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
REF_N = 1000  # texts compared with the reference


def timed(fn, *a, **kw):
    t = time.perf_counter()
    out = fn(*a, **kw)
    sync()
    return out, time.perf_counter() - t


def sync():
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--texts', required=True, help='one post per line')
    ap.add_argument('--n', type=int, default=4000, help='posts timed per measurement')
    ap.add_argument('--reference', help='compare with this reference (.npz written by --write-reference)')
    ap.add_argument('--write-reference', help='write the reference of the first 1,000 posts here and stop')
    ap.add_argument('--train', help='also fine-tune: a TweetEval-style .jsonl[.gz] train file')
    ap.add_argument('--valid', help='validation texts for --train (with --valid-labels)')
    ap.add_argument('--valid-labels')
    ap.add_argument('--train-steps', type=int, default=400)
    ap.add_argument('--llm-4bit', action='store_true',
                    help='also load a tiny Gemma 3 (built from a config) through the topic labeller: 4 bits on CUDA')
    ap.add_argument('--pool-startup', action='store_true', help='also time the pool on 256 posts (≈ its start-up)')
    ap.add_argument('--only-extras', action='store_true', help='run only --train/--llm-4bit/--pool-startup')
    ap.add_argument('--out', default='gpu_bench.json')
    a = ap.parse_args(argv)

    import torch
    from tweetnb.encoders import MiniLM, best_device, embed, gpu_devices
    from tweetnb.entities.tagger import TweetNER
    from tweetnb.models import shipped_model_path
    from tweetnb.sentiment.transformer import TransformerSentiment

    texts = [t for t in Path(a.texts).read_text(encoding='utf-8').splitlines() if t.strip()]
    texts = (texts * (a.n // max(len(texts), 1) + 1))[: max(a.n, REF_N)]
    dev = best_device()
    gpu = torch.cuda.get_device_name(0) if dev == 'cuda' else None
    print(f'device: {gpu or "cpu"} ({torch.get_num_threads()} CPU threads), torch {torch.__version__}, '
          f'{len(texts):,} posts', flush=True)
    sent_path = shipped_model_path('minilm-tweeteval')
    ref = texts[:REF_N]
    if a.write_reference:
        vec = MiniLM(device='cpu').encode(ref)
        probs = np.array(TransformerSentiment(sent_path, device='cpu').probabilities(ref), np.float32)
        ner = TweetNER(device='cpu')
        tags = np.array([' '.join(t) for t in ner.tag([[w for w, *_ in ner_words(s)] for s in ref])])
        np.savez_compressed(a.write_reference, vectors=vec, probs=probs, tags=tags)
        print(f'reference of {len(ref):,} posts → {a.write_reference}')
        return 0

    rows, checks = [], {}
    n = a.n
    if a.only_extras:
        return extras(a, rows, checks, texts, dev, gpu)

    def row(what, batch, secs, posts=n, **more):
        rows.append(dict(what=what, batch=batch, posts=posts, seconds=round(secs, 3),
                         posts_per_s=round(posts / secs, 1), **more))
        print(f'{what:<44} batch {batch:>4}  {posts:>7,} posts  {secs:8.2f} s  {posts / secs:10,.0f} posts/s',
              flush=True)

    # 1. MiniLM embeddings, one process
    enc = MiniLM(device=dev)
    enc.encode(texts[:512])  # load + warm up
    for b in (64, 256):
        _, s = timed(enc.encode, texts[:n], batch_size=b)
        row('MiniLM embeddings (fp32)', b, s)
    one = enc.encode(ref)
    # 2. the multi-process pool (a worker per device); two workers on one GPU or on the CPU exercise the same path
    devices = (gpu_devices() * 2)[:2] if dev == 'cuda' else ['cpu', 'cpu']
    try:
        pooled, s = timed(embed, texts[:n], enc.model, batch_size=256, devices=devices)
        row(f'MiniLM embeddings, pool {devices}', 256, s, note='includes starting the worker processes')
        checks['pool_vs_one_max_abs'] = float(np.abs(pooled[:REF_N] - one).max())
    except Exception as e:  # one failing measurement must not lose the others
        checks['pool_error'] = f'{type(e).__name__}: {e}'
    # 3. sentiment transformer (the shipped MiniLM + LoRA)
    for b in (64, 256):
        sm = TransformerSentiment(sent_path, device=dev, batch_size=b)
        sm.probabilities(texts[:256])
        _, s = timed(sm.probabilities, texts[:n])
        row('sentiment transformer (minilm-tweeteval)', b, s)
    probs = np.array(sm.probabilities(ref), np.float32)
    # 4. tweet NER (tokenising included)
    for b in (32, 256):
        ner = TweetNER(device=dev, batch_size=b)
        ner.predict(texts[:256])
        _, s = timed(ner.predict, texts[:n])
        row('tweet NER (tweet-ner-wnut17), predict', b, s)
    tags = np.array([' '.join(t) for t in ner.tag([[w for w, *_ in ner_words(s)] for s in ref])])
    if a.reference:
        r = np.load(a.reference)
        checks.update(
            vectors_max_abs_diff=float(np.abs(one - r['vectors']).max()),
            vectors_min_cos=float((one * r['vectors']).sum(1).min()),
            sentiment_label_agreement=float((probs.argmax(1) == r['probs'].argmax(1)).mean()),
            sentiment_prob_max_abs_diff=float(np.abs(probs - r['probs']).max()),
            ner_tag_sequences_equal=float((tags == r['tags']).mean()),
        )
    return extras(a, rows, checks, texts, dev, gpu)


def extras(a, rows, checks, texts, dev, gpu) -> int:
    "The optional measurements, then the results file."
    import torch

    if a.pool_startup:
        from tweetnb.encoders import MiniLM, embed, gpu_devices

        enc = MiniLM(device=dev)
        enc.encode(texts[:256])
        devices = (gpu_devices() * 2)[:2] if dev == 'cuda' else ['cpu', 'cpu']
        t = time.perf_counter()
        embed(texts[:512], enc.model, batch_size=256, devices=devices)
        checks['pool_512_posts_seconds'] = round(time.perf_counter() - t, 2)
    for flag, fn in ((a.train, train), (a.llm_4bit, llm_4bit)):
        if flag:
            try:
                checks.update(fn(a))
            except Exception as e:  # one failing measurement must not lose the others
                checks[f'{fn.__name__}_error'] = f'{type(e).__name__}: {e}'
    info = dict(device=gpu or 'cpu', torch=torch.__version__, cpu_threads=torch.get_num_threads(), rows=rows,
                checks=checks)
    Path(a.out).write_text(json.dumps(info, indent=1))
    for k, v in checks.items():
        print(f'{k:<36} {v}')
    return 0


def llm_4bit(a) -> dict:
    "The topic labeller's transformers path on a tiny Gemma 3: on CUDA it loads in 4 bits (bitsandbytes NF4)."
    import tempfile
    import torch
    from tweetnb.topics.labels import LLMLabeller, tiny_llm

    lab = LLMLabeller(tiny_llm(Path(tempfile.mkdtemp()) / 'tiny-gemma3'), backend='transformers', max_new_tokens=4)
    t = time.perf_counter()
    label = lab(['rain', 'storm', 'flood'], ['big storm today', 'rain and flood'])
    model, _ = lab._load()
    kinds = sorted({type(m).__name__ for m in model.modules() if 'Linear' in type(m).__name__})
    return dict(llm_device=str(model.device), llm_linear_layers=kinds, llm_label=label,
                llm_4bit=any('4bit' in k for k in kinds), llm_seconds=round(time.perf_counter() - t, 2),
                llm_cuda_mib=round(torch.cuda.memory_allocated() / 2**20, 1) if torch.cuda.is_available() else 0)


def ner_words(text):
    from tweetnb.entities.ner import tokenize

    return tokenize(text)


def train(a) -> dict:
    "A short LoRA fine-tune with torchrun over every GPU (nproc = GPUs, else 1 CPU process): steps/s and valid F1."
    import torch

    procs = max(torch.cuda.device_count(), 1)
    out = Path('/tmp/gpu_bench_train')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={procs}',
           '-m', 'tweetnb.sentiment.train',
           '--train', a.train, '--valid', a.valid, '--valid-labels', a.valid_labels, '--max-steps', str(a.train_steps),
           '--batch-size', '32', '--mlflow-uri', '', '--out-dir', str(out)]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t
    tail = (p.stdout + p.stderr)[-3000:]
    print(tail)
    f1 = re.findall(r"macro_f1['\"]?[:=]\s*([0-9.]+)", tail)
    return dict(train_rc=p.returncode, train_processes=procs, train_steps=a.train_steps, train_seconds=round(secs, 1),
                train_steps_per_s=round(a.train_steps / secs, 2), train_valid_macro_f1=float(f1[-1]) if f1 else None)


if __name__ == '__main__':
    sys.exit(main())

"""Sentiment models end to end: tiny hub-style checkpoints (BERT, DistilBERT) trained, exported and reloaded; the
`tweetnb sentiment` commands on real files, bad input included; the shipped model on TweetEval validation."""
import json, os
from pathlib import Path
import pandas as pd
import pytest
from conftest import ROOT, run_cli

os.environ.setdefault('HF_HUB_OFFLINE', '1')
TWEETEVAL = Path(os.environ.get('TWEETNB_SHARED', ROOT.parent / 'shared')) / 'data' / 'tweeteval' / 'sentiment'
ROWS = [('good great day', 2), ('awful bad day', 0), ('the movie is today', 1), ('i love this food', 2), ('i hate it', 0)] * 6


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    from tweetnb.sentiment.export import make_tiny_checkpoint
    d = tmp_path_factory.mktemp('tiny')
    (d / 'train.jsonl').write_text(''.join(json.dumps(dict(text=t, label=l)) + '\n' for t, l in ROWS))
    (d / 'valid.txt').write_text(''.join(t + '\n' for t, _ in ROWS[:5])); (d / 'valid_labels.txt').write_text(''.join(f'{l}\n' for _, l in ROWS[:5]))
    return dict(dir=d, bert=make_tiny_checkpoint(d / 'bert', 'bert'), distilbert=make_tiny_checkpoint(d / 'distilbert', 'distilbert'))


def test_distilbert_q_lin_lora_streamed_roundtrip(tiny):
    "The seed's DistilBERT recipe (LoRA on q_lin), streamed; the export reloads and predicts the same as the trained model."
    import torch
    from tweetnb.sentiment.config import make_config
    from tweetnb.sentiment.train import train_sentiment
    from tweetnb.sentiment.transformer import TransformerSentiment
    d = tiny['dir']
    cfg = make_config('seed-lora', base=str(tiny['distilbert']), target_modules=['q_lin'], train=str(d / 'train.jsonl'),
                      valid=str(d / 'valid.txt'), valid_labels=str(d / 'valid_labels.txt'), stream=True, max_steps=4,
                      out_dir=str(d / 'run-distil'), mlflow_uri=None, threads=None)
    r = train_sentiment(cfg)
    assert r['train_rows'] == len(ROWS) and set(r['valid']) >= {'accuracy', 'macro_recall', 'macro_f1', 'confusion'}
    conf = json.loads((Path(r['export']) / 'adapter_config.json').read_text())
    assert 'q_lin' in str(conf['target_modules']) and 'classifier' in conf['modules_to_save']
    m1, m2 = TransformerSentiment(r['export'], device='cpu'), TransformerSentiment(r['export'], device='cpu')
    texts = ['good day', 'i hate the movie', '']
    assert m1.predict(texts) == m2.predict(texts)
    with pytest.raises(ValueError, match="LoRA targets \\['query'\\] not in this model"):
        train_sentiment(make_config('seed-lora', base=str(tiny['distilbert']), train=str(d / 'train.jsonl'), max_steps=1,
                                    out_dir=str(d / 'x'), mlflow_uri=None, threads=None))


def test_bert_full_finetune_binary_sentiment140(tiny):
    "Full fine-tuning in binary mode on Sentiment140-style CSV (0/4 labels); the whole checkpoint is exported."
    from tweetnb.sentiment.config import make_config
    from tweetnb.sentiment.train import train_sentiment
    from tweetnb.sentiment.transformer import TransformerSentiment
    d = tiny['dir']
    (d / 's140.csv').write_text('target,id,text\n' + ''.join(f'{4 if l == 2 else 0},{i},"{t}"\n' for i, (t, l) in enumerate(ROWS) if l != 1))
    cfg = make_config('full', base=str(tiny['bert']), train=str(d / 's140.csv'), valid=str(d / 's140.csv'), label_col='target',
                      binary=True, max_steps=3, batch_size=8, out_dir=str(d / 'run-full'), mlflow_uri=str(d / 'mlruns'), threads=None)
    r = train_sentiment(cfg)
    assert (Path(r['export']) / 'model.safetensors').exists() and len(r['valid']['confusion']) == 2
    p = TransformerSentiment(r['export'], device='cpu').predict(['i love this food', 'awful'])
    assert {x['label'] for x in p} <= {'negative', 'positive'} and all(-1 <= x['score'] <= 1 for x in p)


def test_ddp_two_cpu_processes_under_torchrun(tiny):
    "The same command under `torchrun --nproc_per_node 2` is real DDP (gloo on CPU): half the steps, the same loss scale, one export."
    import math, subprocess
    from conftest import BIN
    d = tiny['dir']; out = d / 'run-ddp'
    cmd = [str(BIN / 'torchrun'), '--nproc_per_node', '2', '--master_port', '29533', '-m', 'tweetnb.sentiment.train', '--preset', 'seed-lora',
           '--base', str(tiny['bert']), '--target-modules', 'query', '--train', str(d / 'train.jsonl'), '--valid', str(d / 'train.jsonl'),
           '--epochs', '1', '--out-dir', str(out), '--mlflow-uri', '', '--threads', '1']
    p = subprocess.run(cmd, cwd=ROOT, env={**os.environ, 'HF_HUB_OFFLINE': '1'}, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.count('"export"') == 1                      # rank 0 answers
    r = json.loads(p.stdout[p.stdout.rindex('\n{\n'):])          # the result JSON comes last
    state = json.loads(sorted((out / 'checkpoints').glob('checkpoint-*/trainer_state.json'))[-1].read_text())
    assert state['global_step'] == math.ceil(len(ROWS) / (4 * 2))   # batch 4 per process, 2 processes
    losses = [h['loss'] for h in state['log_history'] if 'loss' in h] + [h['eval_loss'] for h in state['log_history'] if 'eval_loss' in h]
    assert losses and all(abs(x - math.log(3)) < 0.3 for x in losses)   # a mean CE near ln 3 on a random head, not doubled
    assert (Path(r['export']) / 'adapter_model.safetensors').exists()


def test_cli_predict_evaluate_bad_input(tmp_path):
    "predict keeps every row (empty, non-text, 100k characters) with a status and counts; evaluate prints the metrics."
    (tmp_path / 'in.txt').write_text('I love this so much!\n\nworst day ever, so angry\n' + 'What a great day. ' * 6_000 + '\n')
    p = run_cli('sentiment', 'predict', '--input', tmp_path / 'in.txt', '--output', tmp_path / 'out.csv', '--quiet')
    out = pd.read_csv(tmp_path / 'out.csv')
    assert out['status'].tolist() == ['ok', 'empty', 'ok', 'long'] and out['label'].tolist()[0::2] == ['positive', 'negative']
    assert out['lang'].tolist()[2:] == ['en', 'en']   # routed by language (the default model is `auto`)
    assert out['score'].between(-1, 1).sum() == 3 and "not scored: {'empty': 1}" in p.out and 'by auto' in p.out
    (tmp_path / 'in.jsonl').write_text('{"body": "great stuff"}\n{"body": 42}\n{"body": null}\n')
    p = run_cli('sentiment', 'predict', '--input', tmp_path / 'in.jsonl', '--text-col', 'body', '--output', tmp_path / 'o.jsonl',
                '--model', 'tfidf-logreg', '--quiet')
    assert pd.read_json(tmp_path / 'o.jsonl', lines=True)['status'].tolist() == ['ok', 'not_text', 'not_text']
    p = run_cli('sentiment', 'predict', '--input', tmp_path / 'in.jsonl', '--output', tmp_path / 'o.csv', check=False)
    assert p.returncode == 2 and "no 'text' field (use --text-col)" in p.out
    (tmp_path / 'ev.csv').write_text('text,label\nI love it!,positive\nterrible service,negative\n,neutral\nthe bus leaves at 9,neutral\n')
    p = run_cli('sentiment', 'evaluate', '--input', tmp_path / 'ev.csv', '--model', 'vader')
    assert 'macro-recall 1.0000' in p.out and "set aside {'empty_or_not_text': 1}" in p.out and 'confusion' in p.out


@pytest.mark.skipif(not TWEETEVAL.exists(), reason=f'TweetEval data not found at {TWEETEVAL} (../shared/data)')
def test_shipped_model_on_tweeteval_validation():
    "The shipped model still scores what its model card says on the 2,000 validation tweets."
    from tweetnb.models import load_model, shipped_model_path
    from tweetnb.sentiment.cli import evaluate_file
    card = json.loads((shipped_model_path('minilm-tweeteval') / 'sentiment_config.json').read_text())['metrics']
    model = load_model('sentiment', 'minilm-tweeteval', threads=2)
    m = evaluate_file(model, TWEETEVAL / 'val_text.txt', TWEETEVAL / 'val_labels.txt')
    assert m['rows'] == 2000 and abs(m['macro_recall'] - card['macro_recall']) < 0.005

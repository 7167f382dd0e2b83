"""`tweetnb domains train --from-lake`: posts crawled from the fake X API (tests/helpers/xserver.py) carry X context
annotations; their entities become the labels of a model that then labels posts without annotations, and
`tweetnb domains predict --model FOLDER` reads it back. Runs the real use-m3 encoder on a few hundred posts."""
import argparse, json
from datetime import datetime, timedelta, timezone
import pytest
from conftest import SECRET

from xserver import XServer, make_corpus

pytestmark = pytest.mark.timeout(120)
T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)


def domains(*args):
    "Run `tweetnb domains ARGS` in-process (the same parser the `tweetnb` command adds)."
    from tweetnb.domains.cli import add_commands

    ap = argparse.ArgumentParser(prog='tweetnb domains')
    add_commands(ap.add_subparsers(dest='cmd', required=True))
    a = ap.parse_args([str(x) for x in args])
    return a.func(a)


@pytest.fixture(scope='module')
def lake(tmp_path_factory):
    "A lake with ~400 posts crawled from the fake X API (searches alpha, beta, gamma) + 3 posts without annotations."
    import os
    from tweetnb.collect.x.search import SearchJob, search
    from tweetnb.lake import Lake
    from tweetnb.schema import posts_table

    root = tmp_path_factory.mktemp('dom') / 'lake'
    env = {'TWEETNB_X_API_URL': None, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02'}
    old = {k: os.environ.get(k) for k in env}
    with XServer(make_corpus(400, start=T0, hours=24, seed=5), token=SECRET) as srv:
        os.environ.update({k: v or srv.url for k, v in env.items()})
        try:
            for q in ('alpha', 'beta', 'gamma'):
                search(SearchJob(q, T0, T0 + timedelta(hours=24), name=f'dom-{q}'), Lake(root))
        finally:
            for k, v in old.items():
                os.environ.pop(k) if v is None else os.environ.update({k: v})
    Lake(root).write(posts_table([dict(platform='instagram', id=f'ig{i}', text=t, lang='en',
                                       created_at=datetime(2024, 3, 1, 12, tzinfo=timezone.utc))
                                  for i, t in enumerate(['gamma market night', 'morning beta coffee', ''])]))
    return root


def test_train_from_lake_on_annotated_posts_labels_the_rest(lake, tmp_path, capsys):
    from tweetnb.core import UsageError
    from tweetnb.lake import Lake

    df = Lake(lake).read().to_pandas()
    assert len(df) > 300 and {e for v in df['context_entities'] for e in v} == {'Alpha', 'Beta', 'Gamma'}
    # the fake server's only domain is 'Unified Twitter Taxonomy': one label is no classifier
    with pytest.raises(UsageError, match='--labels entities'):
        domains('train', '--from-lake', '--lake', lake)
    out = tmp_path / 'model'
    assert domains('train', '--from-lake', '--lake', lake, '--labels', 'entities', '--out', out) == 0
    r = json.loads(capsys.readouterr().out)
    assert r['labels'] == ['Alpha', 'Beta', 'Gamma'] and r['unlabelled'] == 3 and r['unlabelled_predicted'] == 2
    t = r['test_20pct']
    assert r['train'] + r['test'] == len(df) - 3 and abs(t['posts'] - 0.2 * (len(df) - 3)) <= 1
    assert t['micro_f1'] >= 0.9 and t['macro_f1'] >= 0.9, t   # the fake posts name their subject
    card = (out / 'MODEL_CARD.md').read_text()
    assert 'test_20pct' in card and '| Gamma |' in card
    import pandas as pd
    pred = pd.read_parquet(out / 'predictions.parquet').set_index('id')
    assert list(pred.loc['ig0', 'domain_labels']) == ['Gamma'] and list(pred.loc['ig1', 'domain_labels']) == ['Beta']
    assert pred.loc['ig2', 'domains_skipped'] == 'empty'
    # the folder labels texts: one JSON object per input line, bad lines counted, never a crash
    src, dst = tmp_path / 'texts.txt', tmp_path / 'domains.jsonl'
    src.write_bytes(b'rain city gamma festival\n\n   \n' + b'beta ' * 20_000 + b'\nbad \x00\xff bytes\n')
    assert domains('predict', '--model', out, '--input', src, '--output', dst) == 0
    lines = [json.loads(x) for x in dst.read_text().splitlines()]
    assert len(lines) == 5 and lines[0]['labels'] == ['Gamma'] and set(lines[0]['scores']) == set(r['labels'])
    assert lines[1] == lines[2] == {'labels': [], 'scores': {}, 'skipped': 'empty'}
    assert lines[3]['labels'] == ['Beta'] and lines[4]['skipped'] == 'non_text'
    assert "skipped: {'empty': 2, 'non_text': 1}" in capsys.readouterr().err


def test_too_few_labelled_posts_is_a_clear_error(tmp_path):
    from tweetnb.core import MissingInput
    from tweetnb.lake import Lake
    from tweetnb.schema import posts_table

    Lake(tmp_path / 'lake').write(posts_table([dict(platform='x', id=str(i), text='a post', context_entities=['A'],
                                                    created_at=datetime(2024, 3, 1, tzinfo=timezone.utc))
                                               for i in range(5)]))
    with pytest.raises(MissingInput, match='only 5 posts have labels'):
        domains('train', '--from-lake', '--lake', tmp_path / 'lake', '--labels', 'entities')
    with pytest.raises(MissingInput, match='has no posts'):
        domains('train', '--from-lake', '--lake', tmp_path / 'empty')

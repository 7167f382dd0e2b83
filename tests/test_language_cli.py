"""`tweetnb language predict` end to end: one row per input line, in order, columns exactly lang and confidence."""
import pandas as pd
from conftest import run_cli

LINES = ['The government announced a new housing policy for young couples this morning', '',
         'Le gouvernement a annoncé une nouvelle politique du logement ce matin', '   ',
         'Die Regierung hat heute Morgen eine neue Wohnungspolitik angekündigt']


def test_predict_writes_one_row_per_line(tmp_path):
    (tmp_path / 'texts.txt').write_text('\n'.join(LINES) + '\n', encoding='utf-8')
    for model in ('tweetnb', 'fasttext-lid176'):
        out = tmp_path / f'{model}.csv'
        p = run_cli('language', 'predict', '--input', tmp_path / 'texts.txt', '--output', out, '--model', model,
                    '--batch-size', 2)
        df = pd.read_csv(out, keep_default_na=False)
        assert list(df.columns) == ['lang', 'confidence']
        assert list(df.lang) == ['en', 'und', 'fr', 'und', 'de']
        assert df.confidence[1] == 0 and df.confidence[3] == 0 and (df.confidence[[0, 2, 4]] > 0.5).all()
        assert '5 rows' in p.out


def test_predict_errors_are_one_line(tmp_path):
    (tmp_path / 'texts.txt').write_text('hello\n', encoding='utf-8')
    out = tmp_path / 'o.csv'
    for args, msg in [(['--input', tmp_path / 'nope.txt'], 'no such file'),
                      (['--input', tmp_path / 'texts.txt', '--model', 'nope'], "unknown language model 'nope'"),
                      (['--input', tmp_path / 'texts.txt', '--region', 'XX'], 'unknown region'),
                      (['--input', tmp_path / 'texts.txt', '--prior', 'ms'], 'CODE=WEIGHT')]:
        p = run_cli('language', 'predict', '--output', out, *args, check=False)
        assert p.returncode == 2 and msg in p.out, p.out
        assert 'Traceback' not in p.out

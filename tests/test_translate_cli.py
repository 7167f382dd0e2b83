"""`tweetnb translate texts` end to end on a tiny model built here (no model ships, none can be downloaded)."""
import pandas as pd
from conftest import run_cli


def test_translate_texts_writes_every_row_with_a_status(tmp_path):
    from tweetnb.translate.checkpoints import make_tiny_translator, to_ctranslate2

    model = to_ctranslate2(make_tiny_translator(tmp_path / 'nllb', 'nllb'), tmp_path / 'nllb-ct2')
    pd.DataFrame(dict(text=['der Hund ist gut', 'good dog', '', 'le chat'],
                      lang_pred=['de', 'en', 'de', 'xx'])).to_csv(tmp_path / 'in.csv', index=False)
    out = tmp_path / 'out.csv'
    p = run_cli('translate', 'texts', '--model', model, '--input', tmp_path / 'in.csv', '--output', out,
                '--lang-col', 'lang_pred', '--quiet', '--max-length', 12)
    df = pd.read_csv(out, keep_default_na=False)
    assert list(df.columns) == ['text', 'text_en', 'status']
    assert list(df.status) == ['translated', 'english', 'empty', 'unsupported']
    assert df.text_en[1] == 'good dog' and df.text_en[0]
    assert 'translated 1' in p.out and 'ctranslate2' in p.out

    bad = run_cli('translate', 'texts', '--model', tmp_path / 'nope', '--input', tmp_path / 'in.csv',
                  '--output', out, '--source-lang', 'de', check=False)
    assert bad.returncode == 2 and 'translation model folder not found' in bad.out
    (tmp_path / 'a.txt').write_text('hallo\n')
    several = run_cli('translate', 'texts', '--model', model, '--input', tmp_path / 'a.txt', '--output', out,
                      check=False)
    assert several.returncode == 2 and '--source-lang' in several.out

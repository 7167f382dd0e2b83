"""The demo pipeline end to end on the bundled sample: outputs, counts, reruns, --from-stage, secrets, one stage alone."""
import json, os, shutil, subprocess
from pathlib import Path
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, BIN, SECRET, run_cli
from tweetnb.core import STAGES, read_json, read_manifests
from tweetnb.report.build import stage_table

OUT = ROOT / 'outputs' / 'pytest-e2e'          # under outputs/, as a user's run would be
LAKE = ROOT / 'outputs' / 'pytest-e2e-lake'
ENV = {'TWEETNB_LAKE': str(LAKE), 'X_BEARER_TOKEN': SECRET}


@pytest.fixture(scope='module')
def demo():
    for p in (OUT, LAKE, OUT.with_name('pytest-e2e-2')): shutil.rmtree(p, ignore_errors=True)
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--out', OUT, '-p', 'language.region=SG',
                '-p', 'topics.nr_topics=auto', env=ENV)  # as make demo: the synthetic sample's templates merge
    yield p
    for d in (OUT, LAKE, OUT.with_name('pytest-e2e-2')): shutil.rmtree(d, ignore_errors=True)


def test_report_and_notebooks(demo):
    assert 'report:' in demo.out and 'Traceback' not in demo.out
    nbs = sorted(p.name for p in (OUT / 'notebooks').glob('*.ipynb'))
    assert nbs == [f'{i:02d}_{s}.ipynb' for i, s in enumerate(STAGES, 1)]
    html = (OUT / 'report.html').read_text()
    for fig in ('volume', 'language_top20', 'sentiment_by_language', 'polarity', 'sentiment_over_time', 'sentiment_by_topic',
                'topics_over_time', 'topics_per_language', 'topics_barchart', 'intertopic_map', 'documents_map',
                'topic_hierarchy', 'topic_heatmap', 'top_entities', 'entity_trend', 'domain_shares', 'stage_counts'):
        assert f'id="fig-{fig}"' in html, fig
        png = OUT / 'figures' / f'{fig}.png'
        assert png.stat().st_size > 8_000, f'{png} looks empty'
    assert 'synthetic' in html
    assert '[4/8] sentiment · cell' in demo.out   # the status line while a stage runs (a line, when not a terminal)


def test_manifests_state_params_and_outputs(demo):
    m = read_manifests(OUT)
    assert m['sentiment']['params']['model'] == 'auto' and m['sentiment']['params']['batch_size'] == 64
    assert m['language']['params']['region'] == 'SG'          # what papermill injected, not the default
    assert m['sentiment']['outputs'] == ['figures/polarity.json', 'sentiment.parquet']
    assert {'topics.parquet', 'topic_info.parquet', 'topic_model'} <= set(m['topics']['outputs'])
    assert all((OUT / o).exists() for s in m.values() for o in s['outputs'])


def test_counts_add_up(demo):
    m = read_manifests(OUT)
    t = stage_table(m)
    assert t['adds_up'].all(), t
    c = {s: m[s]['counts'] for s in STAGES if s != 'report'}
    assert c['crawl']['posts_out'] == c['clean']['posts_in'] == len(pd.read_parquet(OUT / 'posts.parquet'))
    assert c['clean']['posts_out'] == c['language']['posts_in'] == c['sentiment']['posts_in']
    assert c['crawl']['posts_in'] >= 1300 and c['clean']['posts_out'] > 800
    assert c["topics"]["topics"] >= 6, "the sample has 9 subjects: topics should find most of them"
    flagged = c['clean']['set_aside']
    assert flagged.get('retweet', 0) > 0 and flagged.get('duplicate', 0) > 0 and flagged.get('too_short', 0) > 0


def test_languages_and_sentiment_are_meaningful(demo):
    lt = pd.read_parquet(OUT / 'language_table.parquet').set_index('language')
    for lang in ('en', 'zh', 'ms', 'ta', 'ja', 'es'):
        assert lang in lt.index, f'{lang} missing from {lt.index.tolist()}'
    s = pd.read_parquet(OUT / 'sentiment.parquet')
    assert s['sentiment_label'].value_counts().min() > 20


def test_every_covered_language_scored_and_every_language_modelled(demo):
    m = read_manifests(OUT)
    by = m['sentiment']['counts']['by_language']
    for lang in ('en', 'zh', 'es', 'ja'):
        assert by[lang]['scored'] > 90 and by[lang]['not_covered'] == 0, (lang, by)
    assert by['ms']['scored'] == 0 and by['ms']['not_covered'] > 100      # Malay: no model covers it, counted
    t = m['topics']['counts']['by_language']
    assert all(t[lang]['modelled'] and t[lang]['topics'] >= 2 for lang in ('en', 'zh', 'ta', 'ms', 'es', 'ja')), t
    assert m['topics']['embeddings'][0]['from_cache'] >= by['zh']['scored']  # the vectors sentiment computed
    info = pd.read_parquet(OUT / 'topic_info.parquet')
    assert info[info['lang'] == 'zh']['top_words'].map(' '.join).str.contains('烟霾|鸡饭|租金').any()  # Chinese words, segmented
    assert 'Per language: posts, sentiment and topics' in (OUT / 'report.html').read_text()


def test_topics_measured_labelled_and_reviewable(demo, tmp_path):
    q = pd.read_parquet(OUT / 'topic_quality.parquet').set_index(['model', 'lang'])
    en, lda = q.loc[('bertopic', 'en')], q.loc[('lda', 'en')]
    assert en['npmi'] > 0.1 and en['npmi'] > lda['npmi'] and lda['perplexity'] > 1, q   # BERTopic beside its baseline
    # the synthetic sample's 9 subjects: nr_topics=auto merges two of them (largest 0.256 since the domains stage
    # encodes the English posts first and topics reads their vectors from the shared cache; float noise moves UMAP)
    assert en['diversity'] > 0.8 and en['outliers'] <= 0.1 and en['largest_topic'] < 0.3, q
    info = pd.read_parquet(OUT / 'topic_info.parquet')
    topics = info[info['topic'] >= 0]
    assert topics['top_words'].map(len).between(10, 25).all()                # a list of up to 25 words, in order
    assert set(topics['label_source']) <= {'llm', 'keywords'} and (topics['label_source'] == 'llm').mean() > 0.5
    assert (topics['keyword_label'].str.len() > 0).all() and topics['npmi'].notna().mean() > 0.8
    html = (OUT / 'report.html').read_text()
    assert 'Topic quality' in html and 'review/review_sheet.html' in html
    assert topics[topics['label_source'] == 'llm']['label'].iloc[0] in html
    sheet = pd.read_csv(OUT / 'review' / 'review_sheet.csv', dtype=str, keep_default_na=False)
    assert set(sheet['kind']) == {'representative', 'random'} and (sheet['verdict'] == '').all()
    sheet['verdict'] = ['fits' if i % 4 else 'no' for i in range(len(sheet))]
    sheet.to_csv(tmp_path / 'filled.csv', index=False)
    p = run_cli('topics', 'review-score', tmp_path / 'filled.csv', '--run', OUT)
    assert 'review_fit' in p.stdout
    q = pd.read_parquet(OUT / 'topic_quality.parquet').set_index(['model', 'lang'])
    assert q.loc[('bertopic', 'all'), 'reviewed'] == len(sheet)
    assert abs(q.loc[('bertopic', 'all'), 'review_fit'] - 0.75) < 0.02
    p = run_cli('topics', 'evaluate', '--run', OUT, '--no-baseline')
    assert 'bertopic' in p.stdout and 'lda' not in p.stdout


def test_same_range_twice_no_duplicates(demo):
    out2 = OUT.with_name('pytest-e2e-2')
    run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--out', out2, '--to-stage', 'crawl', env=ENV)
    a, b = pq.read_table(OUT / 'posts.parquet'), pq.read_table(out2 / 'posts.parquet')
    assert a.num_rows == b.num_rows
    m = read_json(out2 / 'manifest' / 'crawl.json')['counts']['lake']
    assert m['inserted'] == 0 and m['updated'] == a.num_rows
    q = run_cli('sql', 'select count(*) as n, count(distinct platform || id) as u from posts', '--format', 'json', env=ENV)
    r = json.loads(q.stdout)[0]
    assert r['n'] == r['u'] == a.num_rows


def test_from_stage_topics_reruns_only_topics_and_report(demo):
    before = {p.name: p.stat().st_mtime_ns for p in (OUT / 'notebooks').glob('*.ipynb')}
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--out', OUT, '--from-stage', 'topics',
                '-p', 'topics.nr_topics=auto', env=ENV)
    assert '[1/8]' not in p.out and '[7/8] topics done' in p.out and '[8/8] report done' in p.out
    after = {p.name: p.stat().st_mtime_ns for p in (OUT / 'notebooks').glob('*.ipynb')}
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == ['07_topics.ipynb', '08_report.ipynb']
    assert read_manifests(OUT)['topics']['embeddings'][0]['encoded'] == 0   # encode once: every vector from the cache
    labels = read_manifests(OUT)['topics']['labels']
    assert labels['asked'] == 0 and labels['llm'] > 0, labels               # LLM labels: all from the run's cache
    assert all(v['status'] == 'done' for v in read_json(OUT / 'run.json')['stages'].values())


def test_secret_never_written(demo):
    leaks = [p for d in (OUT, LAKE) for p in d.rglob('*') if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaks, leaks


def test_one_stage_by_plain_papermill(demo, tmp_path):
    out = tmp_path / 'lang.ipynb'
    p = subprocess.run([str(BIN / 'papermill'), 'nbs/stages/03_language.ipynb', str(out), '-p', 'run_dir', str(OUT),
                        '-p', 'threshold', '0.9', '--log-level', 'ERROR'], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, **ENV})
    assert p.returncode == 0, p.stderr[-3000:]
    assert read_json(OUT / 'manifest' / 'language.json')['params']['threshold'] == 0.9


def test_sql_cli_table_and_run_views(demo):
    p = run_cli('sql', 'select platform, count(*) n from posts group by 1 order by 1', env=ENV)
    assert 'instagram' in p.stdout and 'x' in p.stdout
    p = run_cli('sql', 'select count(*) n from sentiment where sentiment_label is not null', '--run', OUT, env=ENV)
    assert p.returncode == 0
    bad = run_cli('sql', 'delete from posts', env=ENV, check=False)
    assert bad.returncode == 2 and 'read-only' in bad.stderr and 'Traceback' not in bad.out


def test_sentiment_stage_translates_with_a_local_model(demo, tmp_path):
    "translate_model: posts the (tiny, random) M2M100 model takes are translated and scored by the English model."
    from tweetnb.translate.checkpoints import make_tiny_translator
    run = tmp_path / 'run'
    run.mkdir()
    clean = pd.read_parquet(OUT / 'clean.parquet')
    lang = pd.read_parquet(OUT / 'language.parquet')
    keep = clean[clean['keep']].merge(lang, on=['platform', 'id'])
    ids = pd.concat([keep[keep['lang_pred'] == 'en'].head(4), keep[keep['lang_pred'].isin(['ms', 'zh'])].head(6)])['id']
    clean[clean['id'].isin(ids)].to_parquet(run / 'clean.parquet')
    lang[lang['id'].isin(ids)].to_parquet(run / 'language.parquet')
    model = make_tiny_translator(tmp_path / 'm2m', 'm2m100')
    p = subprocess.run([str(BIN / 'papermill'), 'nbs/stages/04_sentiment.ipynb', str(tmp_path / 'out.ipynb'),
                        '-p', 'run_dir', str(run), '-p', 'model', 'vader', '-p', 'translate_model', str(model),
                        '--log-level', 'ERROR'], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-3000:]
    tr = pd.read_parquet(run / 'translation.parquet')
    assert tr['status'].value_counts().to_dict() == {'translated': 6, 'english': 4}
    s = pd.read_parquet(run / 'sentiment.parquet')
    assert s['sentiment_model'].value_counts().to_dict() == {'vader (translated)': 6, 'vader': 4}


def test_entities_named_counted_and_reported(demo):
    m = read_manifests(OUT)['entities']['counts']
    assert m['tagged'] > 500 and m['mentions'] > 100, m
    assert m['tagged'] + sum(m['skipped'].values()) == m['posts_in'] == read_manifests(OUT)['clean']['counts']['posts_out']
    assert m['skipped'].get('language', 0) > 0     # the sample's other languages: counted, not dropped
    ents = pd.read_parquet(OUT / 'entities.parquet')
    assert set(ents['entity_type']) <= {'person', 'location', 'corporation', 'product', 'creative-work', 'group'}
    table = pd.read_parquet(OUT / 'entity_table.parquet')
    assert table['mentions'].sum() == len(ents) and {'sentiment', 'first_seen', 'trend_label'} <= set(table)
    html = (OUT / 'report.html').read_text()
    assert '<h2>Entities</h2>' in html and '<h2>Domains</h2>' in html


def test_skip_entities_and_domains(demo):
    p = run_cli('run', '--out', OUT, '--start', '2023-05-14', '--end', '2023-05-31', '--from-stage', 'entities',
                '--to-stage', 'domains', '--skip', 'entities,domains', env=ENV)
    assert '[5/8] entities skipped' in p.out and '[6/8] domains skipped' in p.out
    st = read_json(OUT / 'run.json')['stages']
    assert st['entities']['status'] == st['domains']['status'] == 'skipped'
    assert not (OUT / 'entities.parquet').exists() and not (OUT / 'domains.parquet').exists()
    run_cli('report', OUT, env=ENV)
    assert '<h2>Entities</h2>' not in (OUT / 'report.html').read_text()
    bad = run_cli('run', '--out', OUT, '--start', '2023-05-14', '--end', '2023-05-31', '--skip', 'topics', check=False)
    assert bad.returncode == 2 and 'only entities, domains may be skipped' in bad.stderr

"""Bad input is quarantined with a reason and a count, never a traceback or a silent drop; failed stages resume."""
import json
from pathlib import Path
import pyarrow.parquet as pq
import pytest
from conftest import run_cli
from tweetnb.core import read_json


def tweet(i, text=None, day=15):
    return {'id': str(1000 + i), 'text': text or f'post number {i} about the weather in Singapore today',
            'created_at': f'2023-05-{day}T{i % 24:02d}:00:00.000Z', 'author_id': '7', 'lang': 'en'}


def page(tweets):
    return {'data': tweets, 'includes': {'users': [{'id': '7', 'username': 'ann', 'name': 'Ann'}]}, 'meta': {'result_count': len(tweets)}}


@pytest.fixture
def bad_inputs(tmp_path):
    d = tmp_path / 'in'; d.mkdir()
    (d / 'good.jsonl').write_text(json.dumps(page([tweet(i) for i in range(30)])) + '\n')
    (d / 'corrupt.jsonl').write_text(json.dumps(page([tweet(100)])) + '\n{"data": [{"id": "1\n' + json.dumps(tweet(101)) + '\n')
    (d / 'latin1.jsonl').write_bytes(json.dumps(tweet(200, 'caf\u00e9 au lait', 16), ensure_ascii=False).encode('latin-1') + b'\n'
                                     + json.dumps(tweet(201)).encode() + b'\n')
    (d / 'empty.jsonl').write_bytes(b'')
    (d / 'long.jsonl').write_text(json.dumps(tweet(300, 'a' * 10_000)) + '\n')
    return d


def test_bad_files_are_quarantined_with_clear_messages(bad_inputs, tmp_path):
    out = tmp_path / 'run'
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--source', bad_inputs, '--out', out,
                '--lake', tmp_path / 'lake', '--to-stage', 'clean')
    assert 'Traceback' not in p.out
    c = read_json(out / 'manifest' / 'crawl.json')['counts']
    assert c['quarantine'] == {'invalid_json': 1, 'not_utf8': 1, 'empty_file': 1, 'text_too_long': 1}, c
    assert c["posts_out"] == 30 + 2 + 1   # good.jsonl, the 2 good lines of corrupt.jsonl, the UTF-8 line of latin1.jsonl
    assert c['posts_in'] == c['posts_out'] + sum(c['set_aside'].values())
    for msg in ('is not valid JSON', 'is not valid UTF-8', 'is empty', '10,000 characters'):
        assert msg in p.out, f'{msg!r} not shown:\n{p.out}'
    q = [json.loads(l) for l in (out / 'quarantine.jsonl').read_text().splitlines()]
    assert {r['reason'] for r in q} == set(c['quarantine'])
    assert any(r['reason'] == 'text_too_long' and len(r['raw']) > 10_000 for r in q), 'the long post is kept whole in quarantine'
    run_cli('report', out)   # the report lists the quarantine even for a run stopped after clean
    html = (out / 'report.html').read_text()
    assert 'Quarantined input' in html and 'invalid_json' in html


def test_unknown_source_is_a_clear_error(tmp_path):
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-15', '--source', tmp_path / 'nope', '--out', tmp_path / 'r',
                '--lake', tmp_path / 'lake', '--to-stage', 'crawl', check=False)
    assert p.returncode == 1 and 'neither a known source' in p.out and 'Traceback' not in p.out
    assert read_json(tmp_path / 'r' / 'run.json')['stages']['crawl']['status'] == 'failed'


def test_bad_dates_are_clear_errors(tmp_path):
    p = run_cli('run', '--start', '2023-05-31', '--end', '2023-05-14', '--out', tmp_path / 'r', check=False)
    assert p.returncode == 2 and 'before start date' in p.stderr and 'Traceback' not in p.out


def test_failed_stage_then_resume(bad_inputs, tmp_path):
    out, lake = tmp_path / 'run', tmp_path / 'lake'
    p = run_cli('run', '--start', '2023-05-14', '--end', '2023-05-31', '--source', bad_inputs, '--out', out, '--lake', lake,
                '--to-stage', 'language', '-p', 'language.model=nosuchmodel', check=False)
    assert p.returncode == 1 and 'language FAILED' in p.out and "unknown language model 'nosuchmodel'" in p.out and '--resume' in p.out
    st = read_json(out / 'run.json')['stages']
    assert (st['crawl']['status'], st['clean']['status'], st['language']['status']) == ('done', 'done', 'failed')
    crawl_nb = (out / 'notebooks' / '01_crawl.ipynb').stat().st_mtime_ns
    p = run_cli('run', '--out', out, '--resume', '--to-stage', 'language', '-p', 'language.model=fasttext-lid176')
    assert '[3/8] language done' in p.out and '[1/8]' not in p.out
    assert (out / 'notebooks' / '01_crawl.ipynb').stat().st_mtime_ns == crawl_nb
    assert pq.read_table(out / 'language.parquet').num_rows == read_json(out / 'manifest' / 'clean.json')['counts']['posts_out']
    # a new run into the same folder removes the outputs of the stages it will redo, so nothing stale is reported
    run_cli('run', '--start', '2023-05-15', '--end', '2023-05-15', '--source', bad_inputs, '--out', out, '--lake', lake, '--to-stage', 'crawl')
    assert not (out / 'clean.parquet').exists() and not (out / 'language.parquet').exists()
    assert sorted(p.name for p in (out / 'manifest').iterdir()) == ['crawl.json']

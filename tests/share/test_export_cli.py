"""`tweetnb export posts --pseudonymise` and `tweetnb export ids`: the real commands on a small lake whose posts
carry canary handles, ids, names and locations; no canary and not the salt may reach any exported byte."""
import json
import pandas as pd
import pytest
from conftest import run_cli
from tweetnb.lake import Lake
from tweetnb.schema import empty_post, posts_table

pytestmark = pytest.mark.timeout(60)
SALT = 'canary-salt-9d2e71'
CANARIES = ['canary_handle_7x', 'canary_friend_3q', '555000111222333', 'Canary Q. Person', 'Canaryville', SALT]


def corpus():
    "Three X posts on two days between the canary account and a friend, and a Bluesky post that mentions it."
    c = dict(author_handle='Canary_Handle_7x', author_id='555000111222333', author_name='Canary Q. Person',
             user_location='Canaryville', raw='{"username": "canary_handle_7x", "name": "Canary Q. Person"}')
    return posts_table([
        empty_post(platform='x', id='1', created_at='2026-03-01T10:00:00Z', text='hi @canary_friend_3q',
                   mentions=['canary_friend_3q'], source='from:canary_handle_7x', **c),
        empty_post(platform='x', id='2', created_at='2026-03-01T12:00:00Z', author_handle='canary_friend_3q',
                   author_id='77', in_reply_to_user_id='555000111222333', is_reply=True, replied_to_id='1',
                   text='@Canary_Handle_7x RT @canary_handle_7x: yes', mentions=['canary_handle_7x'], source='q1',
                   urls=['https://x.com/canary_handle_7x/status/1']),
        empty_post(platform='x', id='3', created_at='2026-03-02T09:00:00Z', text='day two', source='q1', **c),
        empty_post(platform='bluesky', id='at://did:plc:z/app.bsky.feed.post/1', created_at='2026-03-01T08:00:00Z',
                   author_handle='dora.bsky.social', text='hello @canary_handle_7x', mentions=['canary_handle_7x'],
                   source='jetstream'),
    ])


def test_export_pseudonymised_posts_and_ids(tmp_path):
    Lake(tmp_path / 'lake').write(corpus())
    env = {'TWEETNB_PSEUDONYM_SALT': SALT}
    out = tmp_path / 'share' / 'posts.jsonl'
    p = run_cli('export', 'posts', '--lake', tmp_path / 'lake', '--start', '2026-03-01', '--end', '2026-03-01',
                '--out', out, '--pseudonymise', '--licence', 'CC BY 4.0', env=env, timeout=60)
    assert json.loads(p.stdout.strip().splitlines()[-1])['posts'] == 3   # day 2 left out
    assert SALT not in p.out
    df = pd.read_json(out, lines=True, dtype=False)
    me = df.loc[df['id'] == '2', 'in_reply_to_user_id'].iat[0]
    assert me == df.loc[df['id'] == '1', 'author_id'].iat[0] and me.startswith('u_')
    ids = run_cli('export', 'ids', '--lake', tmp_path / 'lake', '--out', tmp_path / 'share' / 'ids.txt', env=env,
                  timeout=60)
    assert json.loads(ids.stdout.strip().splitlines()[-1])['posts'] == 4
    lines = sorted((tmp_path / 'share' / 'ids.txt').read_text().splitlines())
    assert lines == ['bluesky\tat://did:plc:z/app.bsky.feed.post/1', 'x\t1', 'x\t2', 'x\t3']
    files = sorted((tmp_path / 'share').iterdir())
    assert [f.name for f in files] == ['ids.txt', 'ids.txt.card.md', 'posts.jsonl', 'posts.jsonl.card.md']
    for f in files:
        if f.name.startswith('posts'):
            b = f.read_bytes().lower()
            assert not [c for c in CANARIES if c.lower().encode() in b], f
    card = (tmp_path / 'share' / 'posts.jsonl.card.md').read_text()
    assert '2026-03-01 08:00:00 to 2026-03-01 12:00:00 UTC' in card and '| jetstream | 1 |' in card
    assert 'CC BY 4.0' in card and SALT not in (tmp_path / 'share' / 'ids.txt.card.md').read_text()


def test_export_without_salt_is_a_usage_error(tmp_path):
    Lake(tmp_path / 'lake').write(corpus())
    p = run_cli('export', 'posts', '--lake', tmp_path / 'lake', '--out', tmp_path / 'p.parquet', '--pseudonymise',
                env={'TWEETNB_PSEUDONYM_SALT': ''}, check=False, timeout=60)
    assert p.returncode == 2 and 'TWEETNB_PSEUDONYM_SALT' in p.out and len(p.out.strip().splitlines()) == 1
    assert not (tmp_path / 'p.parquet').exists()


def test_report_pseudonymised(tmp_path):
    "A run's report rebuilt with --pseudonymise names no canary account anywhere in the page, nor the salt."
    Lake(tmp_path / 'lake').write(corpus())
    run = tmp_path / 'run'
    run_cli('run', '--source', 'lake', '--lake', tmp_path / 'lake', '--start', '2026-03-01', '--end', '2026-03-02',
            '--out', run, '--to-stage', 'clean', timeout=120)
    run_cli('networks', 'build', '--run', run, timeout=60)
    plain = run_cli('report', run, timeout=120)
    page = (run / 'report.html').read_text().lower()
    assert 'canary_friend_3q' in page   # the plain report names the accounts ...
    env = {'TWEETNB_PSEUDONYM_SALT': SALT}
    p = run_cli('report', run, '--pseudonymise', env=env, timeout=120)
    page = (run / 'report.html').read_text()
    assert 'pseudonymised' in page and 'u_' in page and plain.returncode == p.returncode == 0
    assert not [c for c in CANARIES if c.lower() in page.lower()]   # ... the pseudonymised one none of them

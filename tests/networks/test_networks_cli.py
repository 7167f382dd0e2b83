"""`tweetnb networks build --lake`: the real command on a small lake of posts between five accounts, where `hub` is
mentioned by everyone and replied to most; checks the files Gephi opens, the summary's top node and a date filter."""
import json
import networkx as nx
import pandas as pd
import pytest
from conftest import run_cli
from tweetnb.lake import Lake
from tweetnb.schema import empty_post, posts_table

pytestmark = pytest.mark.timeout(60)


def corpus():
    "Day 1: a, b, c, d mention and reply to hub (hub replies to a); day 2: one post that --end leaves out."
    posts, i = [], 0
    for day, who in (('2026-03-01', 'abcd'), ('2026-03-01', 'ab'), ('2026-03-02', 'e')):
        for w in who:
            i += 1
            posts.append(empty_post(platform='x', id=str(i), created_at=f'{day}T12:00:00Z', author_handle=w,
                                    author_id=f'u{w}', text=f'@hub post {i} #Net #gephi', mentions=['hub'],
                                    hashtags=['Net', 'gephi'], is_reply=True, replied_to_id='100', lang='en'))
    posts.append(empty_post(platform='x', id='100', created_at='2026-03-01T08:00:00Z', author_handle='hub',
                            author_id='uhub', text='hello @a #net', mentions=['a'], hashtags=['net'], lang='en'))
    return posts_table(posts)


def test_networks_build_from_lake(tmp_path):
    Lake(tmp_path / 'lake').write(corpus())
    out = tmp_path / 'out'
    p = run_cli('networks', 'build', '--lake', tmp_path / 'lake', '--start', '2026-03-01', '--end', '2026-03-01',
                '--out', out, timeout=60)
    counts = json.loads(p.stdout.strip().splitlines()[-1])
    assert counts['posts'] == 7   # day 2 left out
    assert (counts['mention_nodes'], counts['mention_edges']) == (5, 5)   # a..d -> hub, hub -> a
    assert (counts['reply_nodes'], counts['reply_edges']) == (5, 4)
    assert (counts['hashtags_nodes'], counts['hashtags_edges']) == (2, 1)
    folder = out / 'networks'
    for kind in ('mention', 'reply', 'repost', 'quote', 'hashtags'):
        assert (folder / f'{kind}.gexf').stat().st_size and (folder / f'{kind}.graphml').stat().st_size
    G = nx.read_gexf(folder / 'mention.gexf')
    assert G['x:a']['x:hub']['weight'] == 2 and G.nodes['x:hub']['posts'] == 1
    s = pd.read_parquet(folder / 'network_summary.parquet')
    top = s[s['kind'] == 'mention'].iloc[0]
    assert (top['node'], top['label'], top['in_degree']) == ('x:hub', 'hub', 6)
    stats = json.loads((folder / 'network_stats.json').read_text())
    assert stats['hashtags']['nodes'] == 2 and stats['mention']['reciprocity'] == 2 / 5


def test_networks_build_usage_error(tmp_path):
    p = run_cli('networks', 'build', '--lake', tmp_path, check=False, timeout=60)
    assert p.returncode == 2 and 'needs --out' in p.out

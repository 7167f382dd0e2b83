"""Time to build the interaction and co-hashtag networks of 100k posts (`tweetnb.networks`): synthetic, seeded posts
of 3k accounts whose popularity is Zipf-like (a few accounts get most mentions, replies and reposts), with X-like
mixes: 35% retweets, 20% replies, 5% quotes, 60% of posts mentioning 1-3 accounts, 0-4 hashtags of 800.
Prints, per network, seconds to build the graph, to summarise it (PageRank, sampled betweenness, Louvain) and to
write GEXF + GraphML, then the total and the peak memory of the process.

    .venv/bin/python bench/networks_bench.py [--posts 100000] [--accounts 3000] [--seed 0]
"""
import argparse, resource, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd
from tweetnb.networks.build import cooccurrence_network, interaction_network
from tweetnb.networks.stats import network_summary, write_network


def synthetic_posts(n: int, accounts: int, seed: int) -> pd.DataFrame:
    "`n` posts in the lake schema's network columns, seeded; targets outside the corpus are 10% of references."
    rng = np.random.default_rng(seed)
    pop = 1 / np.arange(1, accounts + 1) ** 1.1
    pop /= pop.sum()
    handles = np.array([f'user{i}' for i in range(accounts)])
    author = rng.integers(0, accounts, n)
    ids = np.array([str(10**12 + i) for i in range(n)])
    kind = rng.choice(['post', 'retweet', 'reply', 'quote'], n, p=[0.40, 0.35, 0.20, 0.05])
    target_author = rng.choice(accounts, n, p=pop)
    by_author = pd.Series(np.arange(n)).groupby(author).apply(np.array)   # a post of a given author, when any
    pick = [by_author[a][rng.integers(len(by_author[a]))] if a in by_author.index else -1 for a in target_author]
    ref = np.where((rng.random(n) < 0.9) & (np.array(pick) >= 0), ids[np.maximum(pick, 0)], '9' + ids)
    text = np.where(kind == 'retweet', np.char.add(np.char.add('RT @', handles[target_author]), ': text'), 'text')
    nm = rng.choice([0, 1, 2, 3], n, p=[0.4, 0.35, 0.17, 0.08])
    mentions = [list(handles[rng.choice(accounts, k, p=pop)]) for k in nm]
    tag_pop = 1 / np.arange(1, 801) ** 1.0
    nh = rng.choice([0, 1, 2, 3, 4], n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    hashtags = [[f'tag{t}' for t in rng.choice(800, k, p=tag_pop / tag_pop.sum())] for k in nh]
    return pd.DataFrame({
        'platform': 'x', 'id': ids, 'author_id': [f'u{a}' for a in author], 'author_handle': handles[author],
        'text': text, 'lang': rng.choice(['en', 'fr', 'de'], n, p=[0.7, 0.2, 0.1]),
        'is_retweet': kind == 'retweet', 'is_reply': kind == 'reply', 'is_quote': kind == 'quote',
        'retweeted_id': np.where(kind == 'retweet', ref, None), 'replied_to_id': np.where(kind == 'reply', ref, None),
        'quoted_id': np.where(kind == 'quote', ref, None),
        'in_reply_to_user_id': np.where(kind == 'reply', [f'u{a}' for a in target_author], None),
        'mentions': mentions, 'hashtags': hashtags, 'sentiment_score': rng.uniform(-1, 1, n)})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--posts', type=int, default=100_000)
    ap.add_argument('--accounts', type=int, default=3_000)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    df = synthetic_posts(a.posts, a.accounts, a.seed)
    print(f'{len(df):,} synthetic posts of {a.accounts:,} accounts in {time.perf_counter() - t0:.1f} s')
    print(f"{'network':<10}{'nodes':>8}{'edges':>9}{'build s':>9}{'summary s':>11}{'write s':>9}{'total s':>9}")
    total, out = 0.0, Path(tempfile.mkdtemp())
    for kind in ('mention', 'reply', 'repost', 'quote', 'hashtags'):
        t = [time.perf_counter()]
        G = cooccurrence_network(df, kind) if kind == 'hashtags' else interaction_network(df, kind)
        t.append(time.perf_counter())
        network_summary(G, top=None)
        t.append(time.perf_counter())
        write_network(G, out, kind)
        t.append(time.perf_counter())
        s = np.diff(t)
        total += s.sum()
        print(f'{kind:<10}{G.number_of_nodes():>8,}{G.number_of_edges():>9,}{s[0]:>9.2f}{s[1]:>11.2f}{s[2]:>9.2f}'
              f'{s.sum():>9.2f}')
    print(f"{'all':<10}{'':>37}{total:>9.2f}")
    print(f'peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB')


if __name__ == '__main__':
    main()

"""`serve_dashboard` in Chromium with the network closed: its KPIs are the lake's (counted here with DuckDB, not
with the dashboard's own queries), and a batch committed while the page is open shows within seconds.
Screenshots go to $TWEETNB_TEST_ARTIFACTS (default: the test's tmp folder)."""
import os, socket, time, urllib.request
from pathlib import Path
import duckdb
import numpy as np
import pandas as pd
import pytest

from browser import chromium_page, have_chromium, kpi, shot, wait_kpi, wait_plots

pytestmark = [pytest.mark.timeout(120), pytest.mark.skipif(have_chromium() is not None, reason=str(have_chromium()))]
T0 = pd.Timestamp('2024-03-01 09:00', tz='UTC')
TAGS = ['news', 'rain', 'election', 'match', 'coffee']
ENTITIES = [('Kyiv', 'LOC'), ('Moscow', 'LOC'), ('NATO', 'ORG'), ('Red Cross', 'ORG'), ('Oslo', 'LOC')]
DOMAINS = ['news_&_social_concern', 'sports', 'music', 'diaries_&_daily_life']


def add_batch(lake, start: int, n: int, minutes: tuple, seed: int):
    "Posts start..start+n, `minutes` (from, to) after T0, from the rules ukraine and russia; scored in one batch."
    from tweetnb.live.store import EnrichStore
    from tweetnb.schema import empty_post, posts_table

    rng = np.random.default_rng(seed)
    ids = [str(i) for i in range(start, start + n)]
    src = rng.choice(['ukraine', 'russia'], n)
    mins = np.sort(rng.uniform(*minutes, n)).round(3)
    lake.write(posts_table([empty_post(
        platform='x', id=i, created_at=T0 + pd.Timedelta(minutes=float(m)), text=f'post {i}', lang='en', source=s,
        hashtags=list(rng.choice(TAGS, 2, replace=False)) + (['ceasefire'] if m > 150 else []))
        for i, s, m in zip(ids, src, mins)]))
    keep = rng.random(n) < 0.85
    k = [i for i, kk in zip(ids, keep) if kk]
    ents = [[dict(key=e.lower(), text=e, type=t, score=0.9) for e, t in rng.permutation(ENTITIES)[:2]] for _ in k]
    frames = dict(
        enriched=pd.DataFrame(dict(platform='x', id=ids, keep=keep, flag=None, scored_at=pd.Timestamp.now('UTC'))),
        languages=pd.DataFrame(dict(platform='x', id=k, lang_pred=rng.choice(['en', 'en', 'uk', 'ru', 'de'], len(k)),
                                    lang_conf=0.9, is_english=False)),
        sentiment=pd.DataFrame(dict(platform='x', id=k, sentiment_model='vader', sentiment_skipped=None,
                                    sentiment_label=rng.choice(['negative', 'neutral', 'positive', None], len(k)),
                                    sentiment_score=0.7)),
        entities=pd.DataFrame(dict(platform='x', id=k, ner_model='spacy', entities_skipped=None, n_entities=2,
                                   entities=ents)),
        domains=pd.DataFrame(dict(platform='x', id=k, domain_labels=[list(rng.choice(DOMAINS, 2)) for _ in k],
                                  domain_top=DOMAINS[0], domains_model='tweettopic',
                                  domains_skipped=[None if i % 5 else 'language' for i in range(len(k))])))
    with EnrichStore(lake) as store:
        return store.commit(frames)


def truth(lake) -> dict:
    "The KPIs counted straight from the Parquet files."
    con = duckdb.connect()
    enr, root = f"read_parquet('{lake.root}/enrich/{{}}/b*.parquet', union_by_name=true)", lake.root
    r = con.execute(f"""
        select count(*), count(*) filter (where e.keep), count(s.sentiment_label),
               count(*) filter (where s.sentiment_label = 'negative'), count(distinct l.lang_pred),
               strftime(max(p.created_at) at time zone 'UTC', '%Y-%m-%dT%H:%M:%S')
        from {enr.format('enriched')} e join read_parquet('{root}/posts/*/posts.parquet') p using (platform, id)
        left join {enr.format('sentiment')} s using (platform, id) left join {enr.format('languages')} l
        using (platform, id)""").fetchone()
    batches = len(list((root / 'enrich' / 'enriched').glob('b*.parquet')))
    return dict(posts=str(r[0]), kept=str(r[1]), negative=f'{r[3] / r[2]:.4f}', languages=str(r[4]),
                batches=str(batches), newest=r[5])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5).status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_dashboard_shows_the_lake_and_follows_new_batches(tmp_path):
    from tweetnb.lake import Lake
    from tweetnb.live.dashboard import serve_dashboard

    art = Path(os.environ.get('TWEETNB_TEST_ARTIFACTS') or tmp_path / 'screenshots')
    lake = Lake(tmp_path / 'lake')
    add_batch(lake, 0, 150, (0, 90), seed=0)
    add_batch(lake, 150, 150, (90, 180), seed=1)
    from tweetnb.live.store import EnrichStore
    ids = [str(i) for i in range(300)]   # a topics refresh: 'ceasefire talks' rises in the last hour
    label = ['ceasefire talks' if i >= 200 and i % 2 else 'weather' if i % 3 else 'football' for i in range(300)]
    with EnrichStore(lake) as store:
        store.commit({'topics': pd.DataFrame(dict(platform='x', id=ids, topic=[hash(t) % 7 for t in label],
                                                  topic_label=label, topic_new=False, refresh=1))})
    want = truth(lake)
    port = free_port()
    url = f'http://127.0.0.1:{port}/'
    server = serve_dashboard(lake, port=port, refresh=1, threaded=True)
    try:
        wait_http(url)
        t = time.monotonic()
        with chromium_page(url) as page:
            wait_kpi(page, 'posts', lambda v: v == want['posts'], timeout=20)
            assert wait_plots(page, 8) >= 8, 'not every chart drew'
            loaded = time.monotonic() - t
            got = {k: kpi(page, k) for k in want}
            assert got == {**want, 'newest': got['newest']} and got['newest'].startswith(want['newest']), (got, want)
            assert page.locator('text=no posts in this range').count() == 0
            assert page.locator('svg text', has_text='ceasefire talks').count() >= 1, 'no trending topic'
            first = shot(page, art / 'dashboard.png')
            add_batch(lake, 300, 40, (180, 185), seed=9)
            after = truth(lake)
            t = time.monotonic()
            for name in ('posts', 'kept', 'negative', 'batches'):  # a refresh during the commit may show part of it
                wait_kpi(page, name, lambda v: v == after[name], timeout=max(0.1, t + 5 - time.monotonic()))
            followed = time.monotonic() - t
            page.get_by_role('button', name='1h').click()
            wait_kpi(page, 'posts', lambda v: v is not None and int(v) < int(after['posts']), timeout=5)
            page.locator('select').nth(1).select_option(label='language')  # compare by language: small groups
            page.locator('table.ratios th', has_text='language').wait_for(timeout=5000)
            second = shot(page, art / 'dashboard-1h.png')
            assert not page.blocked, f'the page asked for off-host resources: {page.blocked}'
    finally:
        server.stop()
    print(f'\nscreenshots: {first} {second}')
    print(f'page with 8 charts in {loaded:.1f}s; new batch shown after {followed:.1f}s')


def test_dashboard_command_over_a_lake_the_fake_stream_fed(tmp_path):
    "`tweetnb watch` on the fake X filtered stream fills the lake; `tweetnb dashboard` shows it, then the next batch."
    import subprocess
    from conftest import BIN, SECRET, run_cli
    from xserver import XServer, make_corpus
    from tweetnb.lake import Lake

    art = Path(os.environ.get('TWEETNB_TEST_ARTIFACTS') or tmp_path / 'screenshots')
    lake = Lake(tmp_path / 'lake')
    posts = make_corpus(400, start=T0.to_pydatetime(), hours=2, seed=8)
    watch = ['watch', '--rule', 'alpha=alpha', '--rule', 'beta=beta', '--exclusive', '--every', '1s', '--duration', '4',
             '--flush-seconds', '0.5', '--sentiment-model', 'vader']
    with XServer(posts, token=SECRET, stream_delay=0.002) as srv:
        env = {'TWEETNB_X_API_URL': srv.url, 'X_BEARER_TOKEN': SECRET, 'TWEETNB_LAKE': str(lake.root)}
        srv.stream_posts = posts[:250]
        run_cli(*watch, env=env, timeout=120)
        want = truth(lake)
        port = free_port()
        url = f'http://127.0.0.1:{port}/'
        dash = subprocess.Popen([str(BIN / 'tweetnb'), 'dashboard', '--port', str(port), '--refresh', '1'],
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            wait_http(url, timeout=30)
            with chromium_page(url) as page:
                wait_kpi(page, 'posts', lambda v: v == want['posts'], timeout=20)
                got = {k: kpi(page, k) for k in want}
                assert got == {**want, 'newest': got['newest']} and got['newest'].startswith(want['newest']), (got, want)
                assert wait_plots(page, 7) >= 7, 'not every chart drew'
                srv.stream_posts.extend(posts[250:])   # more posts arrive; the watcher scores them while the page is open
                run_cli(*watch, env=env, timeout=120)
                after = truth(lake)
                assert int(after['posts']) > int(want['posts'])
                for name in ('posts', 'kept', 'negative', 'languages', 'batches'):
                    wait_kpi(page, name, lambda v: v == after[name], timeout=10)
                path = shot(page, art / 'dashboard-stream.png')
                assert not page.blocked, page.blocked
        finally:
            dash.terminate()
            out = dash.communicate(timeout=10)[0]
    assert 'Traceback' not in out, out
    print(f'\n{want["posts"]} then {after["posts"]} posts scored from the fake stream; screenshot {path}')

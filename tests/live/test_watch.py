"""`tweetnb watch` against the fake X filtered stream on 127.0.0.1: SIGKILLed twice while the stream runs, restarted,
every post ends up in the lake and in the enrichment tables exactly once (the backfill's resends are absorbed)."""
import json, os, signal, subprocess, sys, time
from datetime import datetime, timezone
from pathlib import Path
import pytest
from conftest import BIN, SECRET, run_cli

from xserver import XServer, make_corpus, matches

pytestmark = pytest.mark.timeout(240)
T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
WATCH = ['watch', '--rule', 'alpha=alpha', '--rule', 'beta=beta', '--exclusive', '--every', '1s', '--flush-seconds', '0.5',
         '--stages', 'language,sentiment', '--sentiment-model', 'vader', '-v']


def batches(lake: Path) -> int:
    return len(list((lake / 'enrich' / 'enriched').glob('b*.parquet')))


def start(env, *extra):
    return subprocess.Popen([str(BIN / 'tweetnb'), *WATCH, *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def kill_after(p, lake, srv, n_batches, timeout=60):
    "SIGKILL the watcher once the lake holds `n_batches` and the stream is still running; the server's cursor then."
    t = time.monotonic()
    while batches(lake) < n_batches:
        assert p.poll() is None, p.communicate()
        assert time.monotonic() - t < timeout, 'no batch committed'
        time.sleep(0.1)
    p.send_signal(signal.SIGKILL); p.wait()
    return srv.stream_cursor


def test_watch_survives_two_sigkills_scoring_every_post_once(tmp_path):
    posts = make_corpus(500, start=T0, hours=1, seed=5)
    lake = tmp_path / 'lake'
    env = {**os.environ, 'TWEETNB_X_API_URL': '', 'X_BEARER_TOKEN': SECRET, 'TWEETNB_X_BACKOFF': '0.02',
           'TWEETNB_LAKE': str(lake)}
    with XServer(posts, token=SECRET, stream_delay=0.05) as srv:
        srv.stream_posts = posts
        env['TWEETNB_X_API_URL'] = srv.url
        want = {p['data']['id'] for p in posts if (matches('alpha -beta', p) or matches('beta -alpha', p)) and not p['is_retweet']}
        at = [kill_after(start(env), lake, srv, 2)]
        at.append(kill_after(start(env), lake, srv, batches(lake) + 1))
        assert at[0] < at[1] < len(posts), f'the kills did not land while the stream ran: cursor {at} of {len(posts)}'
        out = run_cli(*WATCH, '--duration', '8', env=env, timeout=120)   # the stream stops after 8 s, then one last batch
        c = json.loads(out.stdout.strip().splitlines()[-1])
        resent = sum(1 for r in srv.requests if r['path'] == '/2/tweets/search/stream' and r['params'].get('backfill_minutes') == '5')
    from tweetnb.lake import Lake
    L = Lake(lake)
    ids = L.read().column('id').to_pylist()
    assert len(ids) == len(set(ids)) and set(ids) == want, (len(ids), len(want))
    n = L.sql('select count(*) n, count(distinct (platform, id)) k, count(distinct batch) b from '
              '(select *, regexp_extract(filename, \'b(\\d+)\', 1) batch from read_parquet(\'' + str(lake / 'enrich/enriched') + '/b*.parquet\', filename=true))').iloc[0]
    assert n['n'] == n['k'] == len(want), n   # every post scored once: none lost, none twice
    lang = L.sql('select count(*) n, count(distinct (platform, id)) k from languages').iloc[0]
    kept = L.sql('select count(*) from enriched where keep').iloc[0, 0]
    assert lang['n'] == lang['k'] == kept > 0
    assert not list((lake / 'enrich' / '.pending').glob('b*'))
    assert resent == 3 and c.get('stream_posts', 0) >= 1, (resent, c)
    print(f'{len(want)} posts; kills at stream cursor {at}; {int(n["b"])} batches; {kept} kept; last run {c}')

"""`tweetnb watch --from-lake` beside `tweetnb crawl bluesky --jetstream` (the fake Jetstream on 127.0.0.1): the
posts the collector streams into the lake are scored as they arrive, each exactly once."""
import os, subprocess, time
import pytest
from conftest import BIN, run_cli

from jetstream_server import JetstreamServer, make_events, post_uris

pytestmark = pytest.mark.timeout(180)


def test_watch_scores_a_streaming_bluesky_collection_once(tmp_path):
    events = make_events(400, seed=11)
    truth = post_uris(events)
    srv = JetstreamServer(events, rate=40).start()   # ~10 s of stream
    lake = tmp_path / 'lake'
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'HF_HUB_OFFLINE': '1'}
    crawl = subprocess.Popen([str(BIN / 'tweetnb'), 'crawl', 'bluesky', '--jetstream', srv.url, '--lake', str(lake),
                              '--job', 'js', '--max-posts', str(len(truth)), '--duration', '60', '--flush-every', '20'],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(1)
        watch = run_cli('watch', '--from-lake', '--lake', lake, '--every', '2s', '--duration', '25',
                        '--stages', 'language,sentiment', '--sentiment-model', 'vader', '--topics-every', '0',
                        env=env, timeout=120)
        out = crawl.communicate(timeout=60)[0]
    finally:
        crawl.kill()
        srv.stop()
    assert crawl.returncode == 0, out
    q = ("select (select count(*) from posts) posts, (select count(*) from enriched) enriched, "
         "(select count(distinct id) from enriched) distinct_ids, (select count(*) from sentiment) scored")
    got = run_cli('sql', '--lake', lake, q, '--format', 'csv').stdout.strip().splitlines()[-1]
    assert got == f'{len(truth)},{len(truth)},{len(truth)},{len(truth)}', (got, watch.out[-2000:])
    assert '"batches": 1,' not in watch.out   # scored in several batches while the stream ran, not once at the end

"""A fake Jetstream on 127.0.0.1 (websockets' sync server in a thread): a deterministic list of events served at a
given rate, replayed from `cursor`, filtered by `wantedCollections`/`wantedDids`, with an injected drop and a
malformed frame. Shapes from https://github.com/bluesky-social/jetstream (README: events, cursor, filters)."""
import json, random, threading, time
from urllib.parse import parse_qs, urlsplit
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

POST = 'app.bsky.feed.post'
BASE_US = 1_725_000_000_000_000   # 2024-08-30
FACET = 'app.bsky.richtext.facet#'


def uri(did, rkey, coll=POST):
    return f'at://{did}/{coll}/{rkey}'


def make_events(n: int, seed: int = 0, step_us: int = 1000) -> list:
    """`n` events `step_us` apart: mostly created posts (facets, replies, quotes), and likes, deletes, updates,
    identity and account events."""
    rng, dids, posts, out = random.Random(seed), [f'did:plc:user{i:03d}' for i in range(40)], [], []
    for i in range(n):
        t, did, r = BASE_US + i * step_us, rng.choice(dids), rng.random()
        ev = {'did': did, 'time_us': t}
        if r < 0.03:
            ev.update(kind='identity', identity={'did': did, 'handle': f'{did[8:]}.bsky.social', 'seq': i,
                                                 'time': '2024-08-30T00:00:00Z'})
        elif r < 0.05:
            ev.update(kind='account', account={'active': rng.random() < 0.5, 'did': did, 'seq': i,
                                               'time': '2024-08-30T00:00:00Z'})
        elif r < 0.08 and posts:
            d, k = rng.choice(posts)
            ev.update(did=d, kind='commit', commit={'rev': f'v{i}', 'operation': 'delete', 'collection': POST,
                                                    'rkey': k})
        elif r < 0.12:
            ev.update(kind='commit', commit={'rev': f'v{i}', 'operation': 'create', 'collection': 'app.bsky.feed.like',
                                             'rkey': f'l{i}', 'cid': f'c{i}', 'record': {
                                                 '$type': 'app.bsky.feed.like', 'createdAt': '2024-08-30T00:00:00Z',
                                                 'subject': {'uri': uri(*posts[-1]) if posts else '', 'cid': 'x'}}})
        elif r < 0.13 and posts:
            d, k = rng.choice(posts)
            ev.update(did=d, kind='commit', commit={'rev': f'v{i}', 'operation': 'update', 'collection': POST,
                                                    'rkey': k, 'record': {'$type': POST, 'text': 'edited',
                                                                          'createdAt': '2024-08-30T00:00:00Z'}})
        else:
            rkey = f'3k{i:06d}'
            rec = {'$type': POST, 'createdAt': f'2024-08-30T00:{i // 60 % 60:02d}:{i % 60:02d}.000Z',
                   'langs': [rng.choice(['en', 'de', 'ja'])], 'text': f'post {i} #tag{i % 7}'}
            rec['facets'] = [{'index': {'byteStart': 0, 'byteEnd': 1}, 'features': [
                {'$type': FACET + 'tag', 'tag': f'tag{i % 7}'}]}]
            if posts and rng.random() < 0.3:
                p = uri(*rng.choice(posts))
                rec['reply'] = {'parent': {'uri': p, 'cid': 'x'}, 'root': {'uri': p, 'cid': 'x'}}
            elif posts and rng.random() < 0.1:
                q = uri(*rng.choice(posts))
                rec['embed'] = {'$type': 'app.bsky.embed.record', 'record': {'uri': q, 'cid': 'x'}}
            ev.update(kind='commit', commit={'rev': f'v{i}', 'operation': 'create', 'collection': POST, 'rkey': rkey,
                                             'record': rec, 'cid': f'c{i}'})
            posts.append((did, rkey))
        out.append(ev)
    return out


def post_uris(events) -> list:
    "The at:// URIs of the created posts among `events`: what a collection of them must hold."
    return [uri(e['did'], e['commit']['rkey']) for e in events if e['kind'] == 'commit'
            and e['commit']['operation'] == 'create' and e['commit']['collection'] == POST]


class JetstreamServer:
    """Serves `events` on ws://127.0.0.1:<port>/subscribe at `rate` events/s (None: as fast as it can); without a
    cursor from the first event (a deterministic stand-in for "live"). `drop_after`: close the connection (once)
    when this many events have been sent in all; `malformed_at`: send a frame that is not JSON just before the
    event of that index, each time a stream passes it."""

    def __init__(self, events, rate=None, drop_after=None, malformed_at=None):
        self.events, self.rate, self.drop_after, self.malformed_at = events, rate, drop_after, malformed_at
        self.sent = self.drops = self.malformed = 0
        self.requests, self._lock, self._stopping = [], threading.Lock(), False

    def start(self):
        self._server = serve(self._handle, '127.0.0.1', 0, compression=None)
        self.url = f'ws://127.0.0.1:{self._server.socket.getsockname()[1]}/subscribe'
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping = True
        self._server.shutdown()
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *a):
        self.stop()

    def _handle(self, ws):
        q = parse_qs(urlsplit(ws.request.path).query)
        self.requests.append(q)
        colls, dids = set(q.get('wantedCollections', [])), set(q.get('wantedDids', []))
        cursor = int(q['cursor'][0]) if 'cursor' in q else None
        t0, n = time.monotonic(), 0
        try:
            for i, ev in enumerate(self.events):
                if self._stopping:
                    return
                if cursor is not None and ev['time_us'] < cursor:
                    continue
                if dids and ev['did'] not in dids:
                    continue
                if colls and ev['kind'] == 'commit' and ev['commit']['collection'] not in colls:
                    continue
                if i == self.malformed_at:
                    self.malformed += 1
                    ws.send('{"did": "did:plc:broken", "time_us": ')
                with self._lock:
                    drop = self.drop_after is not None and not self.drops and self.sent >= self.drop_after
                    self.drops += drop
                if drop:
                    ws.close(1011, 'injected drop')
                    return
                ws.send(json.dumps(ev))
                n += 1
                with self._lock:
                    self.sent += 1
                if self.rate and n % 20 == 0 and (ahead := n / self.rate - (time.monotonic() - t0)) > 0:
                    time.sleep(ahead)
            while not self._stopping:   # the stream is idle now, as a quiet Jetstream is
                try:
                    ws.recv(timeout=0.2)
                except TimeoutError:
                    pass
        except ConnectionClosed:
            return


if __name__ == '__main__':   # for benchmarks: serve in a process of its own; prints the URL, stops when stdin closes
    import argparse, sys
    ap = argparse.ArgumentParser()
    ap.add_argument('--events', type=int, default=50_000)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--rate', type=float)
    a = ap.parse_args()
    with JetstreamServer(make_events(a.events, a.seed), rate=a.rate) as s:
        print(s.url, flush=True)
        sys.stdin.read()

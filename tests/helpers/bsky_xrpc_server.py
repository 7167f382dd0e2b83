"""A fake Bluesky AppView (and PDS login) on 127.0.0.1 for tests: `app.bsky.feed.searchPosts` (newest first, an
opaque cursor, since/until on the post's time, limit 1-100), `app.bsky.feed.getPosts` (up to 25 `uris`, deleted posts
left out) and `com.atproto.server.createSession`, over a deterministic corpus of postViews, with injectable faults.

Shapes from the lexicons (app.bsky.feed.searchPosts / getPosts / defs#postView, com.atproto.server.createSession) and
the AppView's rate-limit headers (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` in epoch seconds).

    srv = BskyServer(make_posts(500)).start()            # srv.url -> http://127.0.0.1:PORT
    srv.inject('app.bsky.feed.searchPosts', '429', at=3)  # the 3rd search request gets a 429 (reset 1 s ahead)
"""
from __future__ import annotations
import base64, json, random, threading, time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

UTC = timezone.utc
POST = 'app.bsky.feed.post'
FACET = 'app.bsky.richtext.facet#'
WORDS = 'rain river city market bus night coffee school phone game music price train heat food beach road'.split()


def iso(d: datetime) -> str:
    return d.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.') + f'{d.microsecond // 1000:03d}Z'


def parse_time(s: str) -> datetime:
    return datetime.fromisoformat(s.replace('Z', '+00:00')).astimezone(UTC)


def make_posts(n: int = 500, start: datetime = datetime(2024, 3, 1, tzinfo=UTC), hours: int = 72,
               seed: int = 5) -> list[dict]:
    "`n` postViews spread over `hours` hours from `start`, newest first, by 50 authors with handles and counts."
    rng = random.Random(seed)
    authors = [dict(did=f'did:plc:author{i:03d}', handle=f'author{i}.bsky.social', displayName=f'Author {i}',
                    avatar=f'https://cdn.example/a{i}.jpg', labels=[]) for i in range(50)]
    secs = sorted(rng.uniform(0, hours * 3600) for _ in range(n))
    out = []
    for i, s in enumerate(secs):
        t, a = start + timedelta(seconds=s), rng.choice(authors)
        subj, tag = rng.choice(['cats', 'dogs', 'cats dogs']), rng.choice(WORDS)
        text = f"{' '.join(rng.sample(WORDS, 4))} {subj} #{tag}"
        rec = {'$type': POST, 'createdAt': iso(t), 'langs': [rng.choice(['en', 'en', 'de', 'ja'])], 'text': text,
               'facets': [{'index': {'byteStart': text.index('#'), 'byteEnd': len(text)},
                           'features': [{'$type': FACET + 'tag', 'tag': tag}]}]}
        uri = f"at://{a['did']}/{POST}/3k{i:07d}"
        if out and rng.random() < 0.2:
            p = rng.choice(out[-30:])['uri']
            rec['reply'] = {'parent': {'uri': p, 'cid': 'bafyp'}, 'root': {'uri': p, 'cid': 'bafyp'}}
        out.append(dict(uri=uri, cid=f'bafy{i:08d}', author=a, record=rec, replyCount=rng.randint(0, 9),
                        repostCount=rng.randint(0, 20), likeCount=rng.randint(0, 99), quoteCount=rng.randint(0, 3),
                        indexedAt=iso(t + timedelta(seconds=1)), labels=[], t=t))
    out.sort(key=lambda p: p['t'], reverse=True)
    return out


def matches(q: str, post: dict) -> bool:
    "All words of `q` are in the text (a tiny subset of the real query language)."
    words = set(post['record']['text'].lower().replace('#', ' ').split())
    return all(w.lstrip('#') in words for w in q.lower().split())


def view(p: dict) -> dict:
    return {k: v for k, v in p.items() if k != 't'}


class BskyServer:
    "The fake AppView. `requests` logs every request; `inject` queues faults; `deleted` holds URIs getPosts omits."

    def __init__(self, posts: list[dict] | None = None, handle: str = 'me.test', password: str | None = None,
                 access_jwt: str = 'eyJhbGciOiJIUzI1NiJ9.fake-access.sig', require_auth: bool = False,
                 page_delay: float = 0.0):
        self.posts = posts if posts is not None else make_posts()
        self.by_uri = {p['uri']: p for p in self.posts}
        self.handle, self.password, self.access_jwt, self.require_auth = handle, password, access_jwt, require_auth
        self.page_delay, self.deleted = page_delay, set()
        self.requests, self.faults, self.counts, self.lock, self.httpd = [], [], {}, threading.Lock(), None

    def start(self) -> 'BskyServer':
        srv = self

        class H(_Handler):
            state = srv

        self.httpd = _Server(('127.0.0.1', 0), H)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.httpd.server_port}'

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *a):
        self.stop()

    def inject(self, nsid: str, kind: str, at: int | None = None, times: int = 1, reset_in: float = 1.0):
        "Fault for requests to `nsid`: '429' (ratelimit-reset `reset_in` s ahead), '500', 'malformed' (a cut body)."
        for _ in range(times):
            self.faults.append(dict(nsid=nsid, kind=kind, at=at, reset_in=reset_in))

    def _fault(self, nsid: str) -> dict | None:
        with self.lock:
            n = self.counts[nsid] = self.counts.get(nsid, 0) + 1
            for f in self.faults:
                if f['nsid'] == nsid and (f['at'] is None or f['at'] == n):
                    self.faults.remove(f)
                    return f
        return None

    def ground_truth(self, q: str, since: datetime, until: datetime) -> list[str]:
        "URIs the server holds for `q` in [since, until)."
        return [p['uri'] for p in self.posts if since <= p['t'] < until and matches(q, p)]

    def search_requests(self) -> list[dict]:
        return [r for r in self.requests if r['nsid'] == 'app.bsky.feed.searchPosts']


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):   # clients killed mid-request are expected here, not news
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError, TimeoutError)):
            super().handle_error(request, client_address)


def _cursor(i: int) -> str:
    return base64.urlsafe_b64encode(f'offset:{i}'.encode()).decode()


def _uncursor(c: str) -> int:
    return int(base64.urlsafe_b64decode(c.encode()).decode().split(':')[1])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True
    state: BskyServer = None

    def log_message(self, *a):
        pass

    def _json(self, status: int, obj, headers: dict | None = None, raw: bytes | None = None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('content-type', 'application/json; charset=utf-8')
        self.send_header('content-length', str(len(body)))
        h = {'ratelimit-limit': '3000', 'ratelimit-remaining': '2999',
             'ratelimit-reset': str(int(time.time()) + 300), 'ratelimit-policy': '3000;w=300', **(headers or {})}
        for k, v in h.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, error: str, message: str):
        self._json(status, dict(error=error, message=message))

    def _route(self, method: str):
        S, u = self.state, urlsplit(self.path)
        nsid = u.path.removeprefix('/xrpc/')
        params = parse_qs(u.query, keep_blank_values=True)
        body = None
        if method == 'POST':
            n = int(self.headers.get('content-length') or 0)
            body = json.loads(self.rfile.read(n) or b'{}')
        with S.lock:
            S.requests.append(dict(method=method, nsid=nsid, params=params, body=body, t=time.time(),
                                   auth=self.headers.get('Authorization', '')))
        if nsid == 'com.atproto.server.createSession':
            if body.get('identifier') != S.handle or (S.password and body.get('password') != S.password):
                return self._error(401, 'AuthenticationRequired', 'Invalid identifier or password')
            return self._json(200, dict(did='did:plc:me', handle=S.handle, accessJwt=S.access_jwt,
                                        refreshJwt=S.access_jwt + '.refresh', active=True))
        if S.require_auth and self.headers.get('Authorization') != f'Bearer {S.access_jwt}':
            return self._error(403, 'Forbidden', 'this method needs a login')
        f = S._fault(nsid)
        if f and f['kind'] == '429':
            return self._json(429, dict(error='RateLimitExceeded', message='Rate Limit Exceeded'),
                              {'ratelimit-remaining': '0', 'ratelimit-reset': str(int(time.time() + f['reset_in']))})
        if f and f['kind'] == '500':
            return self._error(500, 'InternalServerError', 'Internal Server Error')
        if nsid == 'app.bsky.feed.searchPosts':
            return self._search(params, f)
        if nsid == 'app.bsky.feed.getPosts':
            return self._get_posts(params, f)
        self._error(501, 'MethodNotImplemented', f'Method Not Implemented: {nsid}')

    def do_GET(self):
        self._route('GET')

    def do_POST(self):
        self._route('POST')

    def _search(self, params, fault):
        S = self.state
        one = lambda k, d=None: params.get(k, [d])[-1]
        q, limit = one('q', ''), int(one('limit', 25))
        if not q:
            return self._error(400, 'InvalidRequest', 'Error: Params must have the property "q"')
        if not 1 <= limit <= 100:
            return self._error(400, 'InvalidRequest', 'Error: limit must be <= 100')
        since = parse_time(one('since')) if one('since') else datetime.min.replace(tzinfo=UTC)
        until = parse_time(one('until')) if one('until') else datetime.max.replace(tzinfo=UTC)
        sel = [p for p in S.posts if since <= p['t'] < until and matches(q, p)]
        i = _uncursor(one('cursor')) if one('cursor') else 0
        page = sel[i:i + limit]
        if S.page_delay:
            time.sleep(S.page_delay)
        out = dict(posts=[view(p) for p in page], hitsTotal=len(sel))
        if i + limit < len(sel):
            out['cursor'] = _cursor(i + limit)
        raw = json.dumps(out).encode()
        self._json(200, out, raw=raw[:len(raw) // 2] if fault and fault['kind'] == 'malformed' else None)

    def _get_posts(self, params, fault):
        S = self.state
        uris = params.get('uris', [])
        if len(uris) > 25:
            return self._error(400, 'InvalidRequest', 'Error: uris must not have more than 25 elements')
        posts = [view(S.by_uri[u]) for u in uris if u in S.by_uri and u not in S.deleted]
        raw = json.dumps(dict(posts=posts)).encode()
        self._json(200, dict(posts=posts), raw=raw[:len(raw) // 2] if fault and fault['kind'] == 'malformed' else None)

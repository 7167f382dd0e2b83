"""A fake X API v2 on 127.0.0.1 for tests and benchmarks: search (recent/all) with next_token paging, counts, lookup by ids, the
filtered stream with its rules, and the sample stream, over a deterministic corpus, with injectable faults.

Response shapes follow the X API v2 documentation and recorded responses (data / includes.users|places|tweets /
meta.result_count|newest_id|oldest_id|next_token; rules meta.summary; streams as CRLF-delimited JSON with blank
keep-alive lines). The fixtures are generated here from a seed; nothing is copied from recorded files.

    srv = XServer(corpus=make_corpus(3000), token='secret').start()   # srv.url -> http://127.0.0.1:PORT
    srv.inject('/2/tweets/search/recent', '429', at=3)                 # the 3rd request to that path gets a 429
    srv.stop()

Run alone: `python tests/xserver.py --posts 5000` prints the URL and serves until interrupted.
"""
from __future__ import annotations
import base64, bisect, json, random, re, socket, threading, time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

UTC = timezone.utc
TW_EPOCH_MS = 1288834974657
WORDS = ('rain river city market bus night coffee school phone game music price election train heat food beach '
         'road festival office market health sky garden match movie job ticket morning weekend news').split()
SUBJECTS = ('alpha', 'beta', 'gamma')
PLACES = [dict(id=f'{i:016x}', full_name=f, name=f.split(',')[0], country=c, country_code=cc, place_type='city',
               geo=dict(type='Feature', bbox=[lon - .2, lat - .2, lon + .2, lat + .2], properties={}))
          for i, (f, c, cc, lon, lat) in enumerate([('Kuala Lumpur, Malaysia', 'Malaysia', 'MY', 101.69, 3.14),
                                                     ('Singapore, Singapore', 'Singapore', 'SG', 103.82, 1.35),
                                                     ('Jakarta, Indonesia', 'Indonesia', 'ID', 106.85, -6.21)], 0x1a2b)]


def iso(d: datetime) -> str: return d.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.') + f'{d.microsecond // 1000:03d}Z'
def parse_time(s: str) -> datetime: return datetime.fromisoformat(s.replace('Z', '+00:00')).astimezone(UTC)


def make_corpus(n: int = 3000, start: datetime = datetime(2024, 3, 1, tzinfo=UTC), hours: int = 72, seed: int = 7,
                empty_hours: tuple = ()) -> list[dict]:
    "`n` posts (with their includes) spread over `hours` hours from `start`, newest first; none in `empty_hours`."
    rng = random.Random(seed)
    users = [dict(id=str(10**9 + i), username=f'user{i}', name=f'User {i}', created_at=iso(start - timedelta(days=100 + i)),
                  location=rng.choice(['Kuala Lumpur', 'Singapore', 'Jakarta', '', 'Earth']), verified=False,
                  description=f'posting about {rng.choice(WORDS)}',
                  public_metrics=dict(followers_count=rng.randint(0, 5000), following_count=rng.randint(0, 900),
                                      tweet_count=rng.randint(10, 9000), listed_count=rng.randint(0, 20)))
             for i in range(300)]
    secs = sorted(rng.uniform(0, hours * 3600) for _ in range(n))
    secs = [s for s in secs if int(s // 3600) not in set(empty_hours)]
    out = []
    for i, s in enumerate(secs):
        t = start + timedelta(seconds=s); ms = int(t.timestamp() * 1000)
        pid = str(((ms - TW_EPOCH_MS) << 22) | (i % 4096)); u = rng.choice(users)
        subj = rng.choice(SUBJECTS + ('alpha beta',)); words = rng.sample(WORDS, 6)
        tags = [subj.split()[0]] + ([rng.choice(WORDS)] if rng.random() < .3 else [])
        mention = rng.choice(users) if rng.random() < .2 else None
        text = ' '.join(words[:3]) + f' {subj} ' + ' '.join(words[3:]) + ''.join(f' #{h}' for h in tags) + (f' @{mention["username"]}' if mention else '')
        tw = dict(id=pid, text=text, created_at=iso(t), author_id=u['id'], conversation_id=pid, edit_history_tweet_ids=[pid],
                  lang=rng.choice(['en', 'en', 'en', 'ms', 'id', 'es']), possibly_sensitive=False, reply_settings='everyone',
                  public_metrics=dict(retweet_count=rng.randint(0, 50), reply_count=rng.randint(0, 10), like_count=rng.randint(0, 300),
                                      quote_count=rng.randint(0, 5), bookmark_count=rng.randint(0, 5), impression_count=rng.randint(10, 9000)),
                  entities=dict(hashtags=[dict(start=text.index('#' + h), end=text.index('#' + h) + len(h) + 1, tag=h) for h in tags]),
                  context_annotations=[dict(domain=dict(id='131', name='Unified Twitter Taxonomy', description='A taxonomy view into the Twitter interest graph'),
                                            entity=dict(id=str(1500 + SUBJECTS.index(subj.split()[0])), name=subj.split()[0].title()))])
        if mention:
            k = text.index('@' + mention['username'])
            tw['entities']['mentions'] = [dict(start=k, end=k + len(mention['username']) + 1, username=mention['username'], id=mention['id'])]
        inc = dict(users=[u], tweets=[], places=[])
        r = rng.random()
        if r < .15:   # a retweet: the text is truncated, the original comes in includes.tweets
            ou = rng.choice(users); oid = str(int(pid) - 10**12)
            orig = dict(id=oid, text=f'original {subj} post ' + ' '.join(rng.sample(WORDS, 8)), author_id=ou['id'],
                        created_at=iso(t - timedelta(hours=3)), edit_history_tweet_ids=[oid], lang='en')
            tw['text'] = f'RT @{ou["username"]}: {orig["text"]}'[:140]; tw['referenced_tweets'] = [dict(type='retweeted', id=oid)]
            inc['tweets'].append(orig); inc['users'].append(ou)
        elif r < .25 and out:   # a reply to an earlier post of the corpus
            parent = rng.choice(out[-50:])['data']
            tw['referenced_tweets'] = [dict(type='replied_to', id=parent['id'])]; tw['in_reply_to_user_id'] = parent['author_id']
            tw['conversation_id'] = parent['conversation_id']
        if rng.random() < .06:
            p = rng.choice(PLACES); tw['geo'] = dict(place_id=p['id']); inc['places'].append(p)
            if rng.random() < .5: tw['geo']['coordinates'] = dict(type='Point', coordinates=[p['geo']['bbox'][0] + .2, p['geo']['bbox'][1] + .2])
        out.append(dict(data=tw, includes=inc, t=t, is_retweet=r < .15))
    out.sort(key=lambda p: int(p['data']['id']), reverse=True)
    return out


def matches(query: str, post: dict) -> bool:
    "A small subset of the v2 query language: AND of words, (groups), -negation, is:retweet, lang:xx."
    text = post['data']['text'].lower(); words = set(re.findall(r'[#@]?\w+', text)) | {w.lstrip('#@') for w in re.findall(r'[#@]?\w+', text)}
    for tok in re.findall(r'-?\([^)]*\)|-?\S+', query.lower()):
        neg = tok.startswith('-'); body = tok.lstrip('-').strip('()')
        if body == 'is:retweet': ok = post['is_retweet']
        elif body.startswith('lang:'): ok = post['data'].get('lang') == body[5:]
        else: ok = all(w in words for w in body.split())
        if ok == neg: return False
    return True


def page_of(posts: list[dict], expansions: bool = True) -> dict:
    "The `data` + `includes` of a response holding `posts` (includes deduplicated by id)."
    body = dict(data=[p['data'] for p in posts])
    if expansions:
        inc = {}
        for p in posts:
            for k, items in p['includes'].items():
                d = inc.setdefault(k, {})
                for it in items: d.setdefault(it['id'], it)
        inc = {k: list(v.values()) for k, v in inc.items() if v}
        if inc: body['includes'] = inc
    return body


class XServer:
    "The fake API. `requests` logs every request; `inject` queues faults; `stream_posts` feeds the streams."
    def __init__(self, corpus: list[dict] | None = None, token: str = 'test-token', page_delay: float = 0.0,
                 keepalive: float = 0.2, stream_delay: float = 0.0):
        self.corpus = corpus if corpus is not None else make_corpus()
        self.token, self.page_delay, self.keepalive, self.stream_delay = token, page_delay, keepalive, stream_delay
        self.requests: list[dict] = []; self.faults: list[dict] = []; self.counts: dict = {}
        self.rules: list[dict] = []; self.next_rule = 1_700_000_000_000_000_000
        self.stream_posts: list[dict] = []; self.stream_cursor = 0; self.stream_done = threading.Event()
        self.delivered: list[tuple[float, dict]] = []   # (when, post) written to a stream: what backfill_minutes resends
        self.sent_at: dict[str, float] = {}              # post id -> wall time it was first written to a stream
        self.lock = threading.Lock(); self.httpd = None
        self.deleted: set = set(); self.by_id: dict | None = None   # ids GET /2/tweets reports as not found
        self._neg_ids = [-int(p['data']['id']) for p in self.corpus]   # ascending: the corpus is newest first
        self._neg_ts = [-p['t'].timestamp() for p in self.corpus]

    def window(self, t0: datetime, t1: datetime, until: str | None = None):
        "Corpus posts in [t0, t1) (and with id < until), newest first, found by bisection."
        i = bisect.bisect_right(self._neg_ts, -t1.timestamp())
        if until is not None: i = max(i, bisect.bisect_right(self._neg_ids, -int(until)))
        for p in self.corpus[i:]:
            if p['t'] < t0: return
            if p['t'] < t1: yield p

    # -- control -------------------------------------------------------------------------------------------------
    def start(self) -> 'XServer':
        srv = self
        class H(_Handler): server_state = srv
        self.httpd = _Server(('127.0.0.1', 0), H); self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str: return f'http://127.0.0.1:{self.httpd.server_port}'

    def stop(self):
        if self.httpd: self.httpd.shutdown(); self.httpd.server_close()

    def __enter__(self): return self.start()
    def __exit__(self, *a): self.stop()

    def inject(self, path: str, kind: str, at: int | None = None, reset_in: float = 2.0, times: int = 1):
        """Fault for requests to `path` (exact): '429', '503', 'drop' (close the socket), 'truncate' (cut JSON body),
        'stream_drop' (cut the stream after 3 posts), 'stream_garbage' (an unreadable line after the first post)."""
        for _ in range(times): self.faults.append(dict(path=path, kind=kind, at=at, reset_in=reset_in))

    def _fault(self, path: str) -> dict | None:
        with self.lock:
            n = self.counts[path] = self.counts.get(path, 0) + 1
            for f in self.faults:
                if path == f['path'] and (f['at'] is None or f['at'] == n):
                    self.faults.remove(f); return f
        return None

    def ground_truth(self, query: str, start: datetime, end: datetime) -> list[str]:
        "Ids the server holds for `query` in [start, end)."
        return [p['data']['id'] for p in self.corpus if start <= p['t'] < end and matches(query, p)]

    def search_requests(self, path: str = '/2/tweets/search') -> list[dict]:
        return [r for r in self.requests if r['path'].startswith(path)]


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):   # clients killed mid-request are expected here, not news
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError, TimeoutError)): super().handle_error(request, client_address)


def _token(last_id: str) -> str: return base64.urlsafe_b64encode(f'until:{last_id}'.encode()).decode().rstrip('=')
def _untoken(tok: str) -> str:
    try: return base64.urlsafe_b64decode(tok + '=' * (-len(tok) % 4)).decode().split(':', 1)[1]
    except Exception: raise ValueError(f'invalid next_token {tok!r}')


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True   # headers and body go out as separate writes: no 40 ms delayed-ACK stall
    server_state: XServer = None

    def log_message(self, *a): pass

    def _json(self, status: int, obj, headers: dict | None = None, truncate: bool = False):
        body = json.dumps(obj).encode()
        if truncate: body = body[:max(1, len(body) // 2)]
        self.send_response(status); self.send_header('content-type', 'application/json; charset=utf-8')
        self.send_header('content-length', str(len(body)))
        h = {'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '449', 'x-rate-limit-reset': str(int(time.time()) + 900), **(headers or {})}
        for k, v in h.items(): self.send_header(k, v)
        self.end_headers(); self.wfile.write(body)

    def _error(self, status: int, title: str, detail: str, **extra):
        self._json(status, dict(title=title, detail=detail, type=f'https://api.twitter.com/2/problems/{title.lower().replace(" ", "-")}', status=status, **extra))

    def _handle(self, method: str):
        S = self.server_state; u = urlsplit(self.path); path = u.path
        params = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
        body = None
        if method == 'POST':
            n = int(self.headers.get('content-length') or 0); raw = self.rfile.read(n) if n else b''
            body = json.loads(raw) if raw else {}
        with S.lock: S.requests.append(dict(method=method, path=path, params=params, body=body, t=time.time(),
                                            auth=self.headers.get('Authorization', '')))
        if self.headers.get('Authorization') != f'Bearer {S.token}':
            return self._json(401, dict(title='Unauthorized', type='about:blank', status=401, detail='Unauthorized'))
        f = S._fault(path)
        if f and f['kind'] == '429':
            return self._json(429, dict(title='Too Many Requests', detail='Too Many Requests', type='about:blank', status=429),
                              {'x-rate-limit-remaining': '0', 'x-rate-limit-reset': str(int(time.time() + f['reset_in']))})
        if f and f['kind'] == '503':
            return self._json(503, dict(title='Service Unavailable', detail='Service Unavailable', type='about:blank', status=503))
        if f and f['kind'] == 'drop':
            self.close_connection = True; self.connection.shutdown(socket.SHUT_RDWR); return
        truncate = bool(f and f['kind'] == 'truncate')
        q = params.get('query', '')
        if 'query' in params and q.count('(') != q.count(')'):   # the real API checks the query syntax first
            return self._error(400, 'Invalid Request', 'One or more parameters to your request was invalid.',
                               errors=[dict(parameters=dict(query=[q]), message=f'There were errors processing your request: Missing closing parenthesis (at position {len(q)})')])
        if path in ('/2/tweets/search/recent', '/2/tweets/search/all'): return self._search(path, params, truncate)
        if path == '/2/tweets': return self._lookup(params, truncate)
        if path in ('/2/tweets/counts/recent', '/2/tweets/counts/all'): return self._counts(path, params, truncate)
        if path == '/2/tweets/search/stream/rules': return self._rules(method, body)
        if path in ('/2/tweets/search/stream', '/2/tweets/sample/stream'): return self._stream(path, params, f)
        self._error(404, 'Not Found Error', f'no route {path}')

    def do_GET(self): self._handle('GET')
    def do_POST(self): self._handle('POST')

    def _range(self, params):
        t1 = parse_time(params['end_time']) if params.get('end_time') else datetime.now(UTC)
        t0 = parse_time(params['start_time']) if params.get('start_time') else t1 - timedelta(days=7)
        return t0, t1

    def _search(self, path, params, truncate):
        S = self.server_state; cap = 500 if path.endswith('/all') else 100
        if not params.get('query'): return self._error(400, 'Invalid Request', 'One or more parameters to your request was invalid.',
                                                        errors=[dict(parameters=dict(query=[]), message='The `query` query parameter can not be empty')])
        mr = int(params.get('max_results', 10))
        if not 10 <= mr <= cap:
            return self._error(400, 'Invalid Request', 'One or more parameters to your request was invalid.',
                               errors=[dict(parameters=dict(max_results=[str(mr)]), message=f'The `max_results` query parameter value [{mr}] is not between 10 and {cap}')])
        t0, t1 = self._range(params)
        try: until = _untoken(params['next_token']) if params.get('next_token') else None
        except ValueError as e: return self._error(400, 'Invalid Request', str(e))
        if S.page_delay: time.sleep(S.page_delay)
        sel = []
        for p in S.window(t0, t1, until):   # newest first
            if not matches(params['query'], p): continue
            sel.append(p)
            if len(sel) > mr: break
        more = len(sel) > mr; sel = sel[:mr]
        out = page_of(sel, 'expansions' in params) if sel else {}
        meta = dict(result_count=len(sel))
        if sel: meta.update(newest_id=sel[0]['data']['id'], oldest_id=sel[-1]['data']['id'])
        if more: meta['next_token'] = _token(sel[-1]['data']['id'])
        out['meta'] = meta
        self._json(200, out, truncate=truncate)

    def _lookup(self, params, truncate):
        "GET /2/tweets?ids=: the posts found (in the order asked), each id not found as an error beside them."
        S = self.server_state; ids = [i for i in params.get('ids', '').split(',') if i]
        if not 1 <= len(ids) <= 100:
            return self._error(400, 'Invalid Request', 'One or more parameters to your request was invalid.',
                               errors=[dict(parameters=dict(ids=ids), message=f'The number of values in the `ids` query parameter list [{len(ids)}] is not between 1 and 100')])
        if S.by_id is None: S.by_id = {p['data']['id']: p for p in S.corpus}
        found = [S.by_id[i] for i in ids if i in S.by_id and i not in S.deleted]
        out = page_of(found, 'expansions' in params) if found else {}
        errs = [dict(value=i, detail=f'Could not find tweet with ids: [{i}].', title='Not Found Error', resource_type='tweet',
                     parameter='ids', resource_id=i, type='https://api.twitter.com/2/problems/resource-not-found')
                for i in ids if i not in S.by_id or i in S.deleted]
        if errs: out['errors'] = errs
        self._json(200, out, truncate=truncate)

    def _counts(self, path, params, truncate):
        S = self.server_state; t0, t1 = self._range(params)
        if params.get('granularity', 'hour') != 'hour': return self._error(400, 'Invalid Request', 'only granularity=hour here')
        n = {}
        for p in S.window(t0, t1):
            if matches(params['query'], p): k = p['t'].replace(minute=0, second=0, microsecond=0); n[k] = n.get(k, 0) + 1
        h = t0.replace(minute=0, second=0, microsecond=0); buckets = []
        while h < t1:
            a, b = max(h, t0), min(h + timedelta(hours=1), t1)
            buckets.append(dict(end=iso(b), start=iso(a), tweet_count=n.get(h, 0))); h += timedelta(hours=1)
        i = int(params.get('next_token') or 0); per = 168   # a week of hours per page, so paging is exercised
        page = buckets[i:i + per]; meta = dict(total_tweet_count=sum(b['tweet_count'] for b in page))
        if i + per < len(buckets): meta['next_token'] = str(i + per)
        self._json(200, dict(data=page, meta=meta), truncate=truncate)

    def _rules(self, method, body):
        S = self.server_state; sent = iso(datetime.now(UTC))
        if method == 'GET':
            out = dict(meta=dict(sent=sent, result_count=len(S.rules)))
            if S.rules: out['data'] = list(S.rules)
            return self._json(200, out)
        if 'add' in body:
            made, errs = [], []
            for r in body['add']:
                dup = next((x for x in S.rules if x['value'] == r['value']), None)
                if dup: errs.append(dict(value=r['value'], id=dup['id'], title='DuplicateRule', type='https://api.twitter.com/2/problems/duplicate-rules')); continue
                S.next_rule += 1; x = dict(id=str(S.next_rule), value=r['value'], **({'tag': r['tag']} if r.get('tag') else {}))
                S.rules.append(x); made.append(x)
            out = dict(meta=dict(sent=sent, summary=dict(created=len(made), not_created=len(errs), valid=len(made), invalid=len(errs))))
            if made: out['data'] = made
            if errs: out['errors'] = errs
            return self._json(201 if made else 200, out)
        if 'delete' in body:
            ids = set(body['delete'].get('ids') or []); before = len(S.rules)
            S.rules = [r for r in S.rules if r['id'] not in ids]; deleted = before - len(S.rules)
            return self._json(200, dict(meta=dict(sent=sent, summary=dict(deleted=deleted, not_deleted=len(ids) - deleted))))
        self._error(400, 'Invalid Request', 'body must have add or delete')

    def _stream(self, path, params, fault):
        S = self.server_state; filtered = path.endswith('/search/stream')
        if filtered and not S.rules:
            return self._json(200, dict(errors=[dict(title='ConnectionException', detail='no rules', type='https://api.twitter.com/2/problems/streaming-connection')]))
        self.send_response(200); self.send_header('content-type', 'application/json; charset=utf-8')
        self.send_header('transfer-encoding', 'chunked'); self.end_headers()
        chunk = lambda b: self.wfile.write(f'{len(b):x}\r\n'.encode() + b + b'\r\n')
        sent_here = 0; drop_after = 3 if fault and fault['kind'] == 'stream_drop' else None
        last = time.monotonic(); backlog = []
        if params.get('backfill_minutes'):   # the API resends what this stream delivered in the last N minutes
            horizon = time.monotonic() - 60 * float(params['backfill_minutes'])
            with S.lock: backlog = [p for t, p in S.delivered if t >= horizon]
        try:
            while True:
                replay = bool(backlog)
                with S.lock:
                    if replay: p = backlog.pop(0)
                    else:
                        p = S.stream_posts[S.stream_cursor] if S.stream_cursor < len(S.stream_posts) else None
                        if p is not None: S.stream_cursor += 1
                if p is None:
                    S.stream_done.set()
                    if time.monotonic() - last >= S.keepalive: chunk(b'\r\n'); self.wfile.flush(); last = time.monotonic()
                    time.sleep(0.02); continue
                rules = [dict(id=r['id'], tag=r.get('tag', '')) for r in S.rules if matches(r['value'], p)] if filtered else []
                if filtered and not rules: continue
                line = dict(data=p['data'], **({'includes': page_of([p])['includes']} if 'expansions' in params else {}))
                if filtered: line['matching_rules'] = rules
                if drop_after is not None and sent_here >= drop_after:   # cut mid-chunk: the client sees a broken stream
                    with S.lock: S.stream_cursor -= 1   # this post was not delivered
                    self.wfile.write(b'4000\r\n{"data": {"id"'); self.wfile.flush()
                    self.close_connection = True; self.connection.shutdown(socket.SHUT_RDWR); return
                if S.stream_delay and not replay: time.sleep(S.stream_delay)   # a backfill comes at once
                if not replay:   # sent: in the backfill window even if the socket is dead (a killed client)
                    with S.lock: S.delivered.append((time.monotonic(), p)); S.sent_at.setdefault(p['data']['id'], time.time())
                chunk(json.dumps(line).encode() + b'\r\n'); self.wfile.flush(); sent_here += 1; last = time.monotonic()
                if fault and fault['kind'] == 'stream_garbage' and sent_here == 1: chunk(b'{"data": {"id": "1", "te\r\n')
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True


if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(); ap.add_argument('--posts', type=int, default=5000); ap.add_argument('--token', default='test-token')
    a = ap.parse_args()
    with XServer(make_corpus(a.posts), token=a.token) as s:
        print(s.url, flush=True)
        try:
            while True: time.sleep(3600)
        except KeyboardInterrupt: pass

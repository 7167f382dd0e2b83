"""A fake Mastodon instance on 127.0.0.1 (stdlib ThreadingHTTPServer) speaking the documented shapes
(https://docs.joinmastodon.org/methods/timelines/, /methods/streaming/, /api/rate-limits/, /entities/Status/).

  GET /api/v1/instance, /api/v2/instance      what Mastodon.py asks before streaming (streaming URL, timelines access)
  GET /api/v1/timelines/tag/:hashtag           newest first; max_id, since_id, min_id, limit (<= 40), local; Link
  GET /api/v1/timelines/public                 next/prev; X-RateLimit-Limit/Remaining/Reset (ISO 8601)
  GET /api/v1/streaming/hashtag?tag=T          server-sent events: `event: update` / `delete` / `status.update`,
  GET /api/v1/streaming/public[/local]         heartbeats `:thump`

Statuses are synthetic: snowflake ids (ms << 16 | seq), HTML content with mentions, hashtags and links, replies,
reblogs, remote accounts, and accounts that opted out (noindex, #nobot in the bio, #nosearch in a profile field).
`published` statuses are visible from the start; `live` ones are published one by one, `rate` a second, from
`start()` or the first stream connection (REST shows them once published; a stream sends those published while it is connected).
Faults: `fail_429` / `fail_500` / `malformed` are sets of timeline request numbers (1-based) answered with a 429
(reset `reset_in` seconds ahead), a 500, or a cut-off JSON body; `drop_after` closes the stream once after that many
statuses were sent; `delay` slows every timeline answer. `auth` holds the Authorization headers seen.
"""
import json, random, threading, time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

TAG = 'peace'
WORDS = ['rain', 'tea', 'trains', 'birds', 'jazz', 'bread', 'harbour', 'snow', 'cats', 'books', 'sunrise']
T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)


def make_accounts(host: str) -> list:
    "30 accounts: local and remote, and four that opted out."
    out = []
    for i in range(30):
        dom = host if i % 3 else 'b.town'
        acct = f'user{i}' if dom == host else f'user{i}@{dom}'
        a = dict(id=str(1000 + i), username=f'user{i}', acct=acct, display_name=f'User {i}', url=f'https://{dom}/@user{i}',
                 uri=f'https://{dom}/users/user{i}', note=f'<p>I like {WORDS[i % len(WORDS)]}</p>', fields=[],
                 noindex=False, bot=False, locked=False)
        if i in (4, 11):
            a['noindex'] = True
        if i == 7:
            a['note'] = (f'<p>Hi. <a href="https://{dom}/tags/nobot" class="mention hashtag" rel="tag">#<span>NoBot</span>'
                         '</a></p>')
        if i == 19:
            a['fields'] = [{'name': 'bots', 'value': '#nosearch', 'verified_at': None}]
        out.append(a)
    return out


def make_statuses(n: int, host: str, seed: int = 0, start: datetime = T0, step_s: float = 600, tag: str = TAG) -> list:
    """`n` statuses `step_s` apart from `start` (oldest first): 80% with #tag, replies, reblogs, remote authors."""
    rng, accts, out = random.Random(seed), make_accounts(host), []
    for i in range(n):
        a = rng.choice(accts)
        t = start + timedelta(seconds=i * step_s + rng.uniform(0, step_s / 2))
        sid = (int(t.timestamp() * 1000) << 16) | (i % 65536)
        dom = urlsplit(a['url']).hostname
        tags = [tag] if rng.random() < 0.8 else []
        other = rng.choice(accts)
        html = (f'<p>{rng.choice(WORDS)} &amp; {rng.choice(WORDS)} <span class="h-card"><a href="{other["url"]}" '
                f'class="u-url mention">@<span>{other["username"]}</span></a></span>')
        html += ''.join(f' <a href="https://{host}/tags/{x}" class="mention hashtag" rel="tag">#<span>{x}</span></a>'
                        for x in tags)
        if rng.random() < 0.3:
            html += (f'<br>see <a href="https://example.com/p/{i}/long" rel="nofollow noopener" target="_blank">'
                     f'<span class="invisible">https://</span><span class="ellipsis">example.com/p/{i}</span>'
                     '<span class="invisible">/long</span></a>')
        s = dict(id=str(sid), uri=f'https://{dom}/users/{a["username"]}/statuses/{sid}', url=f'{a["url"]}/{sid}',
                 created_at=t.isoformat(timespec='milliseconds').replace('+00:00', 'Z'), account=a,
                 content=html + '</p>', spoiler_text='', sensitive=False, visibility='public', language='en',
                 in_reply_to_id=None, in_reply_to_account_id=None, reblog=None, media_attachments=[],
                 mentions=[dict(id=other['id'], username=other['username'], acct=other['acct'], url=other['url'])],
                 tags=[dict(name=x, url=f'https://{host}/tags/{x}') for x in tags], emojis=[], card=None, poll=None,
                 replies_count=rng.randint(0, 5), reblogs_count=rng.randint(0, 9), favourites_count=rng.randint(0, 30),
                 edited_at=None)
        r = rng.random()
        if out and r < 0.15:
            p = rng.choice(out)
            s.update(in_reply_to_id=p['id'], in_reply_to_account_id=p['account']['id'])
        elif out and r < 0.25:
            orig = rng.choice([o for o in out if not o['reblog']] or out)
            s.update(content='', reblog=orig, tags=orig['tags'], mentions=[], language=None,
                     uri=f'https://{dom}/users/{a["username"]}/statuses/{sid}/activity')
        elif r < 0.3:
            s['spoiler_text'] = 'cw: news'
            s['sensitive'] = True
        out.append(s)
    return out


def opted_out(s: dict) -> bool:
    "True when the status (or the status it reblogs) is by an account that opted out."
    def out(a):
        return a['noindex'] or '#<span>NoBot' in a['note'] or any('#nosearch' in f['value'] for f in a['fields'])
    return out(s['account']) or bool(s['reblog'] and out(s['reblog']['account']))


def has_tag(s: dict, tag: str) -> bool:
    return any(t['name'].lower() == tag.lower() for t in s['tags'])


def is_local(s: dict, host: str) -> bool:
    return '@' not in s['account']['acct']


class MastodonServer:
    def __init__(self, published=(), live=(), rate: float = 50, fail_429=(), reset_in: float = 1.5, fail_500=(),
                 malformed=(), drop_after: int | None = None, heartbeat: float = 0.2, deletes_every: int = 0,
                 delay: float = 0):
        self.published, self.live, self.rate = list(published), list(live), rate
        self.fail_429, self.reset_in, self.fail_500, self.malformed = set(fail_429), reset_in, set(fail_500), set(malformed)
        self.drop_after, self.heartbeat, self.deletes_every = drop_after, heartbeat, deletes_every
        self.requests, self.timeline_requests, self.sent, self.drops, self.lock = [], 0, 0, 0, threading.Lock()
        self.t_live, self.remaining, self.delay, self.auth, self.started = None, 300, delay, set(), False
        srv = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                try:
                    srv.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass   # a client killed on purpose

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), H)
        self.httpd.daemon_threads = True
        self.host = f'127.0.0.1:{self.httpd.server_port}'
        self.url = f'http://{self.host}'

    def start(self, live_on_connect: bool = False):
        "Serve; `live` statuses are published from now (or from the first stream connection)."
        if self.started:
            return self
        self.started = True
        self.t_live = None if live_on_connect else time.monotonic()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *a):
        self.stop()

    def visible(self) -> list:
        "Statuses published by now, oldest first."
        n = 0 if self.t_live is None else int((time.monotonic() - self.t_live) * self.rate)
        return self.published + self.live[:min(n, len(self.live))]

    # --- HTTP ---
    def send(self, h, code, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.send_response(code)
        h.send_header('Content-Type', 'application/json; charset=utf-8')
        h.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def ratelimit(self, reset: datetime, remaining: int) -> dict:
        return {'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': str(remaining),
                'X-RateLimit-Reset': reset.isoformat(timespec='milliseconds').replace('+00:00', 'Z')}

    def handle(self, h):
        u = urlsplit(h.path)
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        path = u.path.rstrip('/')
        with self.lock:
            self.requests.append((path, q))
            self.auth.add(h.headers.get('Authorization'))
        if path == '/api/v1/instance':
            return self.send(h, 200, dict(uri=self.host, title='fake', version='4.3.0', urls=dict(
                streaming_api=f'ws://{self.host}')))
        if path == '/api/v2/instance':
            feeds = dict(local='public', remote='public')
            return self.send(h, 200, dict(domain=self.host, title='fake', version='4.3.0', configuration=dict(
                urls=dict(streaming=f'ws://{self.host}'), timelines_access=dict(live_feeds=feeds, hashtag_feeds=feeds,
                                                                                 trending_link_feeds=feeds))))
        if path.startswith('/api/v1/streaming/'):
            return self.stream(h, path, q)
        if path == '/api/v1/timelines/public' or path.startswith('/api/v1/timelines/tag/'):
            return self.timeline(h, path, q)
        self.send(h, 404, {'error': 'Record not found'})

    def timeline(self, h, path, q):
        with self.lock:
            self.timeline_requests += 1
            n = self.timeline_requests
            self.remaining = max(0, self.remaining - 1)
        time.sleep(self.delay)
        now = datetime.now(timezone.utc)
        if n in self.fail_429:
            return self.send(h, 429, {'error': 'Too many requests'},
                             self.ratelimit(now + timedelta(seconds=self.reset_in), 0))
        rl = self.ratelimit(now + timedelta(minutes=5), self.remaining)
        if n in self.fail_500:
            return self.send(h, 500, {'error': 'Internal server error'}, rl)
        tag = path.rsplit('/', 1)[1] if '/tag/' in path else None
        local = q.get('local') in ('1', 'true', 'True')
        ss = [s for s in self.visible() if (tag is None or has_tag(s, tag)) and (not local or is_local(s, self.host))]
        limit = min(int(q.get('limit', 20)), 40)
        if 'max_id' in q:
            ss = [s for s in ss if int(s['id']) < int(q['max_id'])]
        if 'since_id' in q:
            ss = [s for s in ss if int(s['id']) > int(q['since_id'])]
        if 'min_id' in q:   # the page just above min_id
            ss = [s for s in ss if int(s['id']) > int(q['min_id'])][:limit]
        page = list(reversed(ss))[:limit]
        if page:
            base = f'{self.url}{path}?'
            keep = {k: v for k, v in q.items() if k in ('limit', 'local')}
            rl['Link'] = (f'<{base}{urlencode({**keep, "max_id": page[-1]["id"]})}>; rel="next", '
                          f'<{base}{urlencode({**keep, "min_id": page[0]["id"]})}>; rel="prev"')
        body = json.dumps(page).encode()
        if n in self.malformed:
            body = body[:len(body) // 2]
        self.send(h, 200, body, rl)

    def stream(self, h, path, q):
        tag = q.get('tag') if '/hashtag' in path else None
        local = path.endswith('/local')
        h.send_response(200)
        h.send_header('Content-Type', 'text/event-stream')
        h.send_header('Cache-Control', 'no-store')
        h.end_headers()
        with self.lock:
            if self.t_live is None:
                self.t_live = time.monotonic()
        pos = len(self.visible())
        last_beat = time.monotonic()
        try:
            while True:
                vis = self.visible()
                while pos < len(vis):
                    s = vis[pos]
                    pos += 1
                    if (tag and not has_tag(s, tag)) or (local and not is_local(s, self.host)):
                        continue
                    with self.lock:
                        self.sent += 1
                        drop = self.drop_after is not None and self.sent == self.drop_after and not self.drops
                        self.drops += drop
                    if drop:
                        return   # the connection closes mid-stream
                    out = f'event: update\ndata: {json.dumps(s)}\n\n'
                    if self.deletes_every and self.sent % self.deletes_every == 0:
                        out += f'event: delete\ndata: {vis[pos // 2]["id"]}\n\n'
                    h.wfile.write(out.encode())
                    h.wfile.flush()
                if time.monotonic() - last_beat >= self.heartbeat:
                    h.wfile.write(b':thump\n\n')
                    h.wfile.flush()
                    last_beat = time.monotonic()
                time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            pass

"""A local stand-in for the Instagram endpoints instaloader 4.16 calls to list a hashtag's and a profile's posts.

Endpoints (learned from instaloader's source: structures.py Hashtag/Profile/Post, instaloadercontext.py):
  i.instagram.com  GET  /api/v1/tags/web_info/?tag_name=T          hashtag metadata + top posts (mobile-API media, `sections`)
  www              GET  /graphql/query?query_hash=9b498c…&variables={"tag_name","first","after"}   recent hashtag posts (GraphQL nodes)
  www              GET  /<username>/                                 profile page: JSON embedded in <script type="application/json">
                                                                      (xig_user_by_username + first page of polaris_ordered_timeline_connection)
  www              GET  /                                            start page: csrftoken cookie, LSD / IG_USER_EIMU tokens
  www              POST /api/graphql doc_id=28904005159232689        further pages of a profile's posts (logged-out web app query)
  www              POST /api/graphql doc_id=27128499623469141        one post's metadata by shortcode (instaloader fetches it per profile post)
  www              POST /api/v1/web/accounts/login/ajax/             password login (sets sessionid, ds_user_id, csrftoken)
  www              POST /graphql/query doc_id=27937681195819736      logged in: profile details
  www              POST /api/graphql doc_id=29104886249145907        logged in: a profile's posts (xdt_api__v1__feed__user_timeline_graphql_connection)
Posts are synthetic. `fail_429` lists request numbers (1-based, counting every request) answered once with 429;
`fail_429_paths` {path: n} answers the first n requests to a path with 429.
"""
import json, random, sys, threading, time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

HASH_RECENT = '9b498c08113f1e09617a1703c22b2f32'
DOC_PROFILE_POSTS = '28904005159232689'
DOC_POST = '27128499623469141'
DOC_PROFILE = '27937681195819736'          # logged in: the profile's details (graphql/query)
DOC_TIMELINE = '29104886249145907'         # logged in: a profile's posts (api/graphql, mobile-API media)
ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
WORDS = ['laksa', 'chili crab', 'kaya toast', 'hawker', 'rain again', 'MRT', 'sunset', 'marina', 'teh tarik', 'durian']


def ts(s): return int(datetime.fromisoformat(s).replace(tzinfo=timezone.utc).timestamp())


def shortcode(pk: int) -> str:
    out = ''
    while pk: pk, r = divmod(pk, 64); out = ALPHABET[r] + out
    return out


class World:
    "The server's ground truth: posts per hashtag and per profile, newest first."
    def __init__(self, seed=7, n_tag=150, n_profile=120):
        rnd = random.Random(seed); self.users = {}; self.media = {}
        for i in range(8):
            uid = 5100 + i; self.users[uid] = dict(pk=str(uid), username=f'user{i}.sg', full_name=f'User {i}', is_private=False,
                                                    profile_pic_url=f'https://scontent.example/u{i}.jpg')
        self.users[5200] = dict(pk='5200', username='eat.sg', full_name='Eat SG', is_private=False, profile_pic_url='https://scontent.example/eat.jpg')
        pk = 3200000000000000000
        def make(t, uid, tag):
            nonlocal pk
            pk += rnd.randint(1000, 9999)
            cap = f"{rnd.choice(WORDS)} {rnd.choice(WORDS)} #{tag} @friend.{rnd.randint(1, 9)}"
            m = dict(pk=str(pk), id=f'{pk}_{uid}', code=shortcode(pk), media_type=1, taken_at=t, caption={'text': cap, 'pk': str(pk + 1)},
                     has_liked=False, like_count=rnd.randint(0, 500), comment_count=rnd.randint(0, 40), user=self.users[uid],
                     image_versions2={'candidates': [{'url': f'https://scontent.example/{pk}.jpg', 'width': 1080, 'height': 1080}]},
                     accessibility_caption=None, location={'pk': 2234, 'name': 'Maxwell Food Centre'} if pk % 3 == 0 else None)
            self.media[m['code']] = m
            return m
        t0 = ts('2023-06-05T12:00:00')   # newest first, every 6 h: 2023-06-05 … 2023-05-08
        self.tags = {'sgfood': [make(t0 - i * 6 * 3600 - rnd.randint(0, 3000), 5100 + rnd.randint(0, 7), 'sgfood') for i in range(n_tag)]}
        self.top = {'sgfood': [make(t, 5100 + k, 'sgfood') for k, t in enumerate(
            [ts('2023-05-20T08:00:00'), ts('2023-04-02T08:00:00'), ts('2023-05-30T23:59:59'), ts('2023-06-01T00:00:00')])]}
        self.top['sgfood'] += self.tags['sgfood'][30:33]     # top posts also among the recent ones
        t1 = ts('2023-06-03T09:00:00')
        pinned = make(ts('2023-04-01T10:00:00'), 5200, 'pinned')
        self.profiles = {'eat.sg': [pinned] + [make(t1 - i * 8 * 3600, 5200, 'makan') for i in range(n_profile)]}

    def in_range(self, start, end_excl, tag=None, profile=None):
        src = (self.tags[tag] + self.top[tag]) if tag else self.profiles[profile]
        return {m['pk'] for m in src if start <= m['taken_at'] < end_excl}


def graph_node(m):
    "A media as the hashtag GraphQL query gives it (legacy node shape)."
    return {'__typename': 'GraphImage', 'id': m['pk'], 'shortcode': m['code'], 'taken_at_timestamp': m['taken_at'], 'is_video': False,
            'edge_media_to_caption': {'edges': [{'node': {'text': m['caption']['text']}}]}, 'owner': {'id': m['user']['pk']},
            'edge_media_preview_like': {'count': m['like_count']}, 'edge_media_to_comment': {'count': m['comment_count']},
            'display_url': m['image_versions2']['candidates'][0]['url'], 'comments_disabled': False,
            'dimensions': {'height': 1080, 'width': 1080}, 'accessibility_caption': None}


def page(items, after, first, wrap):
    off = int(after.split(':')[1]) if after else 0
    chunk = items[off:off + first]; nxt = off + len(chunk)
    return {'count': len(items), 'edges': [{'node': wrap(m)} for m in chunk],
            'page_info': {'has_next_page': nxt < len(items), 'end_cursor': f'c:{nxt}' if nxt < len(items) else None}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True   # headers and body go out at once (no 40 ms delayed-ACK stall per request)
    def log_message(self, *a): pass

    def _send(self, code, body, ctype='application/json', cookies=()):
        data = (json.dumps(body) if not isinstance(body, str) else body).encode()
        self.send_response(code); self.send_header('Content-Type', ctype); self.send_header('Content-Length', str(len(data)))
        for c in cookies: self.send_header('Set-Cookie', c)
        self.end_headers(); self.wfile.write(data)

    def do_GET(self): self._handle('GET')
    def do_POST(self): self._handle('POST')

    def _handle(self, method):
        srv = self.server; u = urlsplit(self.path); q = dict(parse_qsl(u.query))
        if method == 'POST':
            n = int(self.headers.get('Content-Length') or 0); q.update(parse_qsl(self.rfile.read(n).decode()))
        with srv.lock:
            srv.n += 1; n = srv.n
            rec = dict(n=n, method=method, host=self.headers.get('X-Original-Host'), path=u.path,
                       doc_id=q.get('doc_id'), query_hash=q.get('query_hash'), variables=q.get('variables'), params=q)
            srv.requests.append(rec)
        if srv.delay: time.sleep(srv.delay)
        with srv.lock:
            by_path = srv.fail_429_paths.get(u.path, 0) > 0
            if by_path: srv.fail_429_paths[u.path] -= 1
        if n in srv.fail_429 or by_path:
            rec['status'] = 429
            return self._send(429, {'message': 'Please wait a few minutes before you try again.', 'require_login': False, 'status': 'fail'})
        rec['status'] = 200
        w: World = srv.world
        v = json.loads(q['variables']) if q.get('variables') else {}
        if u.path == '/api/v1/tags/web_info/':
            tag = q.get('tag_name'); items = w.top.get(tag)
            if items is None: return self._send(404, {'message': 'not found', 'status': 'fail'})
            sec = [{'layout_type': 'media_grid', 'layout_content': {'medias': [{'media': m} for m in items[i:i + 3]]}} for i in range(0, len(items), 3)]
            return self._send(200, {'data': {'id': '17843', 'name': tag, 'media_count': len(w.tags[tag]), 'profile_pic_url': '',
                                             'top': {'sections': sec, 'more_available': False, 'next_max_id': None}}, 'status': 'ok'})
        if u.path == '/graphql/query' and q.get('query_hash') == HASH_RECENT:
            items = w.tags.get(v.get('tag_name'), [])
            return self._send(200, {'data': {'hashtag': {'name': v.get('tag_name'), 'edge_hashtag_to_media':
                                    page(items, v.get('after'), v.get('first', 12), graph_node)}}, 'status': 'ok'})
        if u.path == '/api/graphql' and q.get('doc_id') == DOC_PROFILE_POSTS:
            name = v['id'].removeprefix('page-'); items = w.profiles[name]
            return self._send(200, {'data': {'node': {'__typename': 'XDTUserDict', 'polaris_ordered_timeline_connection':
                                    page(items, v.get('after'), v.get('first', 12), lambda m: m)}}, 'extensions': {'is_final': True}})
        if u.path == '/api/graphql' and q.get('doc_id') == DOC_POST:
            m = w.media.get(v.get('shortcode'))
            return self._send(200, {'data': {'xdt_api__v1__media__shortcode__web_info': {'items': [m] if m else []}}, 'extensions': {'is_final': True}})
        if u.path == '/graphql/query' and q.get('doc_id') == DOC_PROFILE:
            name = next((n for n, items in w.profiles.items() if items[0]['user']['pk'] == v.get('id')), None)
            if name is None: return self._send(200, {'data': {'user': None}, 'status': 'ok'})
            items = w.profiles[name]
            return self._send(200, {'data': {'user': {**items[0]['user'], 'media_count': len(items), 'friendship_status': {'following': False},
                                                      'follower_count': 999, 'following_count': 5}}, 'status': 'ok'})
        if u.path == '/api/graphql' and q.get('doc_id') == DOC_TIMELINE:
            items = w.profiles[v['username']]
            return self._send(200, {'data': {'xdt_api__v1__feed__user_timeline_graphql_connection':
                                    page(items, v.get('after'), v.get('first', 12), lambda m: m)}, 'extensions': {'is_final': True}})
        if u.path == '/api/v1/web/accounts/login/ajax/':
            ok = q.get('username') == srv.user and q.get('enc_password', '').rsplit(':', 1)[-1] == srv.password
            ck = ['csrftoken=csrf-after-login; Path=/'] + (['sessionid=sess-9f8e7d6c5b4a; Path=/', 'ds_user_id=777; Path=/'] if ok else [])
            return self._send(200, {'authenticated': ok, 'user': q.get('username') == srv.user, 'userId': '777' if ok else None, 'status': 'ok'}, cookies=ck)
        if u.path == '/' and method == 'GET':
            html = ('<html><script>requireLazy(["LSD",[],{"token":"lsd-tok-1"},323],["DTSGInitialData",[],{"token":"dtsg-1"},258]);'
                    '{"IG_USER_EIMU":"0"}</script></html>')
            return self._send(200, html, 'text/html', cookies=['csrftoken=csrf-anon-123; Path=/'])
        name = u.path.strip('/')
        if method == 'GET' and name in w.profiles:
            items = w.profiles[name]; user = next(m['user'] for m in items)
            info = {'xig_user_by_username': {**user, 'id': f'page-{name}', 'all_media_count': len(items), 'follower_count': 999, 'biography': 'food'}}
            posts = {'xig_user_by_username': {'id': f'page-{name}', 'polaris_ordered_timeline_connection': page(items, None, 12, lambda m: m)}}
            def script(d): return ('<script type="application/json" data-sjs>' + json.dumps({'require': [['ScheduledServerJS', 'handle', None, [{'__bbox': {
                'require': [['RelayPrefetchedStreamCache', 'next', [], ['adp_Query', {'__bbox': {'complete': True, 'result': {'data': d}}}]]]}}]]]}) + '</script>')
            return self._send(200, f'<html><body>{script(info)}{script(posts)}</body></html>', 'text/html')
        rec['status'] = 404
        return self._send(404, {'message': f'no such endpoint {method} {u.path}', 'status': 'fail'})


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address):   # a client killed mid-response (the SIGKILL test) is expected
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)): super().handle_error(request, client_address)


class IGServer:
    "Start with `with IGServer() as s:`; s.url is the base URL for TWEETNB_INSTAGRAM_URL; s.requests logs every request."
    def __init__(self, world=None, fail_429=(), delay=0.0, user='ann.sg', password='ig-test-pass-31415', fail_429_paths=None):
        self.httpd = QuietServer(('127.0.0.1', 0), Handler); h = self.httpd
        h.world = world or World(); h.fail_429 = set(fail_429); h.fail_429_paths = dict(fail_429_paths or {}); h.delay = delay; h.lock = threading.Lock(); h.n = 0; h.requests = []
        h.user, h.password = user, password
        self.world, self.requests = h.world, h.requests
        self.url = f'http://127.0.0.1:{h.server_address[1]}'

    def __enter__(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True); self.thread.start(); return self

    def __exit__(self, *exc): self.httpd.shutdown(); self.httpd.server_close()


if __name__ == '__main__':   # python tests/ig_server.py: serve until ^C (for trying the CLI by hand)
    import sys
    with IGServer(delay=float(sys.argv[1]) if len(sys.argv) > 1 else 0) as s:
        print(s.url, flush=True); threading.Event().wait()

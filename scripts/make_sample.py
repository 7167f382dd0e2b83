"""Generate tweetnb's bundled SYNTHETIC sample corpus, deterministically (stdlib only).

    python scripts/make_sample.py

writes tweetnb/data/sample/{x_pages.jsonl.gz, instagram_posts.jsonl.gz, README.md}. Every post, user, id, place and
link in it is made up for tweetnb from the fragments in sample_text.py; none is a real person's post.
"""
import gzip, io, json, random, string, sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sample_text import (EN, OPENERS, SINGLISH, NEUTRAL, OTHER, EMOJI_POS, EMOJI_NEG, EMOJI_NEU, SG_PLACES, OTHER_PLACES,
                         LOCATIONS, FIRST, LAST, HANDLE_WORDS)

OUT = Path(__file__).resolve().parents[1] / 'tweetnb' / 'data' / 'sample'
R = random.Random(20230514)
START = datetime(2023, 5, 14, tzinfo=timezone.utc)
DAYS = 18
LANG_SHARE = {'en': 0.55, 'zh': 0.10, 'ms': 0.10, 'ta': 0.08, 'ja': 0.08, 'es': 0.09}
SUBJECT_W = {'mrt': 1.0, 'housing': 1.0, 'hawker': 1.2, 'weather': 1.0, 'concert': 0.9, 'ai': 0.9, 'football': 0.9, 'cost': 1.0, 'dengue': 0.7}
SPIKES = {('2023-05-23', 'mrt'): 80, ('2023-05-18', 'concert'): 55, ('2023-05-28', 'weather'): 20}
N_ORIG = 1180          # original posts (besides spikes, copies and 1-character posts)
ACCOUNTS = {'mrt': 'smrt_sg_fake', 'housing': 'hdb_sg_fake', 'weather': 'nea_sg_fake', 'dengue': 'nea_sg_fake',
            'concert': 'stadium_sg_fake', 'football': 'spl_sg_fake', 'ai': 'technews_sg_fake', 'hawker': 'makan_guide_fake', 'cost': 'mof_sg_fake'}


def snowflake(t: datetime, seq: int) -> str:
    return str(((int(t.timestamp() * 1000) - 1288834974657) << 22) + (seq % 4096))


def token(n=10):
    return ''.join(R.choice(string.ascii_letters + string.digits) for _ in range(n))


def iso(t: datetime) -> str:
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + f'{t.microsecond // 1000:03d}Z'


# ---------------------------------------------------------------------------------------------------- users
def make_users(n=620):
    users, seen = [], set()
    langs, w = list(LANG_SHARE), list(LANG_SHARE.values())
    for i in range(n):
        while True:
            h = f"{R.choice(HANDLE_WORDS)}{R.choice(['_', ''])}{R.choice(HANDLE_WORDS)}{R.randint(1, 999) if R.random() < .6 else ''}"
            if h not in seen: seen.add(h); break
        created = datetime(2009 + R.randint(0, 13), R.randint(1, 12), R.randint(1, 28), tzinfo=timezone.utc)
        users.append(dict(id=str(10_000_000 + i * 7919), username=h, name=f'{R.choice(FIRST)} {R.choice(LAST)}',
                          location=R.choice(LOCATIONS), created_at=iso(created), verified=False,
                          public_metrics=dict(followers_count=int(R.lognormvariate(5, 1.5)), following_count=R.randint(20, 2000),
                                              tweet_count=R.randint(50, 40000), listed_count=R.randint(0, 30)),
                          _lang=R.choices(langs, w)[0]))
    for acc in sorted(set(ACCOUNTS.values())):
        users.append(dict(id=str(90_000_000 + len(users)), username=acc, name=acc.replace('_fake', '').replace('_', ' ').upper() + ' (synthetic)',
                          location='Singapore', created_at=iso(datetime(2010, 1, 1, tzinfo=timezone.utc)), verified=False,
                          public_metrics=dict(followers_count=250000, following_count=10, tweet_count=9000, listed_count=900), _lang='en'))
    return users


USERS = make_users()
BY_LANG = {l: [u for u in USERS if u['_lang'] == l and not u['username'].endswith('_fake')] for l in LANG_SHARE}
BY_HANDLE = {u['username']: u for u in USERS}


# ---------------------------------------------------------------------------------------------------- text
def polarity(subject):
    p_pos, p_neg = EN[subject]['bias']
    x = R.random()
    return 'pos' if x < p_pos else 'neg' if x < p_pos + p_neg else 'neu'


def emoji_for(pol):
    return R.choice({'pos': EMOJI_POS, 'neg': EMOJI_NEG, 'neu': EMOJI_NEU}[pol])


def en_text(subject, pol):
    s = EN[subject]
    body = R.choice(s['body'])
    op = R.choice(s[pol]) if pol != 'neu' else R.choice(NEUTRAL)
    tags = ' '.join('#' + t for t in R.sample(s['tags'], R.choice([0, 0, 1, 1, 2])))
    sing = (' ' + R.choice(SINGLISH)) if R.random() < .18 else ''
    emo = ''.join(emoji_for(pol) for _ in range(R.choice([0, 1, 1, 2, 3]))) if R.random() < .6 else ''
    k = R.random()
    if k < .35: t = f"{R.choice(OPENERS)}{body}. {op.capitalize()}{sing} {emo} {tags}"
    elif k < .55: t = f"{op.capitalize()}{sing}: {body} {emo} {tags}"
    elif k < .7: t = f"{body[0].upper() + body[1:]} {emo} {tags}"
    elif k < .85: t = f"{R.choice(OPENERS)}{body}, {op}{sing}. {R.choice(NEUTRAL).capitalize()} {emo}"
    else:
        b2 = R.choice([b for b in s['body'] if b != body])
        t = f"{body[0].upper() + body[1:]}. And {b2}. {op.capitalize()}{sing}, {R.choice(s[pol]) if pol != 'neu' else R.choice(NEUTRAL)} {emo} {tags}"
    if R.random() < .25: t = t.lower()
    return ' '.join(t.split())


def other_text(lang, subject, pol):
    sents, (pos, neg) = OTHER[lang]
    t = R.choice(sents[subject])
    if pol == 'pos' or (pol == 'neu' and R.random() < .3): t += ('，' if lang == 'zh' else '。' if lang == 'ja' else '. ') + R.choice(pos)
    elif pol == 'neg': t += ('，' if lang == 'zh' else '。' if lang == 'ja' else '. ') + R.choice(neg)
    if R.random() < .6: t += ' ' + emoji_for(pol)
    if R.random() < .35: t += ' #' + R.choice(EN[subject]['tags'])
    return t


def add_extras(text, subject, allow_link=True):
    "Maybe add a mention and a link; return text, mentions, urls."
    mentions, urls = [], []
    if R.random() < .12:
        acc = ACCOUNTS[subject]; text = f'@{acc} {text}' if R.random() < .5 else f'{text} cc @{acc}'; mentions.append(acc)
    if R.random() < .08:
        other = R.choice(USERS)['username']; text = f'{text} @{other}'; mentions.append(other)
    if allow_link and R.random() < .2:
        short = f'https://t.co/{token()}'
        urls.append((short, f'https://news.example.sg/{subject}/{R.randint(2023000, 2023999)}-{token(6).lower()}'))
        text = f'{text} {short}'
    return text, mentions, urls


def entities(text, mentions, urls):
    ent = {}
    import re
    tags = [dict(start=m.start(), end=m.end(), tag=m.group(1)) for m in re.finditer(r'(?<![\w#])#(\w+)', text)]
    if tags: ent['hashtags'] = tags
    ms = []
    for m in re.finditer(r'(?<![\w@])@(\w+)', text):
        u = BY_HANDLE.get(m.group(1))
        ms.append(dict(start=m.start(), end=m.end(), username=m.group(1), **({'id': u['id']} if u else {})))
    if ms: ent['mentions'] = ms
    us = []
    for short, long in urls:
        i = text.find(short)
        if i >= 0: us.append(dict(start=i, end=i + len(short), url=short, expanded_url=long, display_url=long.split('://')[1][:26] + '…'))
    if us: ent['urls'] = us
    return ent


# ---------------------------------------------------------------------------------------------------- posts
SEQ = [0]
PLACES = {}


def place_for(lang):
    if lang in ('ms',) and R.random() < .3: p = R.choice([OTHER_PLACES[0], OTHER_PLACES[4]])
    elif lang == 'ta' and R.random() < .3: p = OTHER_PLACES[1]
    elif lang == 'ja' and R.random() < .4: p = OTHER_PLACES[2]
    elif lang == 'es' and R.random() < .4: p = OTHER_PLACES[3]
    else:
        full, name, lon, lat = R.choice(SG_PLACES); p = (full, name, 'SG', 'Singapore', lon, lat)
    full, name, cc, country, lon, lat = p
    pid = f'{sum(map(ord, full)) * 7919:016x}'
    PLACES[pid] = dict(id=pid, full_name=full, name=name, country=country, country_code=cc,
                       place_type='city' if cc != 'SG' or name == 'Singapore' else 'neighborhood',
                       geo=dict(type='Feature', bbox=[round(lon - .03, 4), round(lat - .02, 4), round(lon + .03, 4), round(lat + .02, 4)], properties={}))
    return pid, lon, lat


def make_tweet(t, user, text, lang_code, subject, mentions=(), urls=(), refs=None, reply_to_user=None, conv=None, geo_lang=None):
    SEQ[0] += 1
    tid = snowflake(t, SEQ[0])
    tw = dict(id=tid, text=text, created_at=iso(t), author_id=user['id'], lang=lang_code, conversation_id=conv or tid,
              possibly_sensitive=False, source=R.choice(['Twitter for iPhone', 'Twitter for Android', 'Twitter Web App']),
              edit_history_tweet_ids=[tid],
              public_metrics=dict(retweet_count=0, reply_count=int(R.expovariate(1.2)), like_count=int(R.lognormvariate(1.2, 1.4)),
                                  quote_count=0, bookmark_count=int(R.expovariate(2)), impression_count=int(R.lognormvariate(5, 1.3))))
    ent = entities(text, list(mentions), list(urls))
    if ent: tw['entities'] = ent
    if refs: tw['referenced_tweets'] = refs
    if reply_to_user: tw['in_reply_to_user_id'] = reply_to_user
    if subject and R.random() < .4:
        ann = R.sample(EN[subject]['ctx'], R.choice([1, 1, 2]))
        tw['context_annotations'] = [dict(domain=dict(id=str(10 + sum(map(ord, d)) % 170), name=d, description=f'{d} (synthetic)'),
                                          entity=dict(id=str(10 ** 15 + sum(map(ord, e)) * 7919), name=e)) for d, e in ann]
    if geo_lang and R.random() < .10:
        pid, lon, lat = place_for(geo_lang)
        tw['geo'] = dict(place_id=pid)
        if R.random() < .3:
            tw['geo']['coordinates'] = dict(type='Point', coordinates=[round(lon + R.uniform(-.02, .02), 5), round(lat + R.uniform(-.02, .02), 5)])
    tw['_subject'], tw['_kind'] = subject, 'original'
    return tw


def x_lang(lang):
    return ('in' if R.random() < .5 else 'und') if lang == 'ms' else lang


def random_time(day, subject=None, spike=False):
    base = START + timedelta(days=day)
    if spike and subject == 'mrt': h = R.uniform(7, 11)
    elif spike: h = R.uniform(9.5, 14)
    else: h = R.choice([R.uniform(0, 24), R.gauss(8.5, 1.5), R.gauss(13, 1.5), R.gauss(20, 2)]) % 24
    return base + timedelta(hours=h, seconds=R.randint(0, 59), microseconds=R.randint(0, 999) * 1000)


def generate():
    tweets = []
    day_w = [(0.8 if (START + timedelta(days=d)).weekday() >= 5 else 1.0) * R.uniform(.85, 1.15) for d in range(DAYS)]
    subs, sw = list(SUBJECT_W), list(SUBJECT_W.values())
    langs, lw = list(LANG_SHARE), list(LANG_SHARE.values())
    plan = [(R.choices(range(DAYS), day_w)[0], R.choices(subs, sw)[0], False) for _ in range(N_ORIG)]
    for (day, subj), n in SPIKES.items():
        plan += [((datetime.fromisoformat(day).replace(tzinfo=timezone.utc) - START).days, subj, True)] * n
    for day, subj, spike in plan:
        lang = R.choices(langs, lw)[0] if not spike else R.choices(['en', 'zh', 'ms', 'ta'], [.7, .1, .1, .1])[0]
        user = R.choice(BY_LANG[lang])
        pol = polarity(subj)
        text = en_text(subj, pol) if lang == 'en' else other_text(lang, subj, pol)
        text, mentions, urls = add_extras(text, subj)
        tweets.append(make_tweet(random_time(day, subj, spike), user, text, x_lang(lang), subj, mentions, urls, geo_lang=lang))
    tweets.sort(key=lambda t: t['created_at'])
    originals = list(tweets)
    extra = []
    # replies (~8%): to an earlier post, same subject
    for _ in range(125):
        parent = R.choice(originals[:-50]); pu = next(u for u in USERS if u['id'] == parent['author_id'])
        lang = R.choices(langs, lw)[0]; user = R.choice(BY_LANG[lang]); pol = polarity(parent['_subject'])
        body = en_text(parent['_subject'], pol) if lang == 'en' else other_text(lang, parent['_subject'], pol)
        t = datetime.fromisoformat(parent['created_at'].replace('Z', '+00:00')) + timedelta(minutes=R.randint(2, 600))
        if t >= START + timedelta(days=DAYS): continue
        tw = make_tweet(t, user, f"@{pu['username']} {body}", x_lang(lang), parent['_subject'], [pu['username']],
                        refs=[dict(type='replied_to', id=parent['id'])], reply_to_user=pu['id'], conv=parent['conversation_id'], geo_lang=lang)
        tw['_kind'] = 'reply'; extra.append(tw); parent['public_metrics']['reply_count'] += 1
    # quotes (~3%)
    for _ in range(45):
        q = R.choice(originals[:-50]); qu = next(u for u in USERS if u['id'] == q['author_id'])
        user = R.choice(BY_LANG['en']); pol = polarity(q['_subject'])
        short = f'https://t.co/{token()}'
        text = f"{R.choice(EN[q['_subject']][pol] if pol != 'neu' else NEUTRAL).capitalize()} {emoji_for(pol)} {short}"
        t = datetime.fromisoformat(q['created_at'].replace('Z', '+00:00')) + timedelta(minutes=R.randint(5, 900))
        if t >= START + timedelta(days=DAYS): continue
        tw = make_tweet(t, user, text, 'en', q['_subject'], urls=[(short, f"https://twitter.com/{qu['username']}/status/{q['id']}")],
                        refs=[dict(type='quoted', id=q['id'])])
        tw['_kind'] = 'quote'; extra.append(tw); q['public_metrics']['quote_count'] += 1
    # exact-duplicate texts from other accounts (~3%): a spam campaign and copy-pasted posts
    spam = 'Win 2 FREE Coldplay tickets!! Just follow and retweet, winners announced tonight 🎟️🎶 #Coldplay #giveaway https://t.co/FreeTix2023'
    for i in range(22):
        day = R.randint(2, 8)
        tw = make_tweet(random_time(day), R.choice(BY_LANG['en']), spam, 'en', 'concert', urls=[('https://t.co/FreeTix2023', 'https://free-tickets.example.com/win')])
        tw['_kind'] = 'duplicate_text' if i else 'original'; extra.append(tw)
    for src in R.sample(originals, 24):
        t = datetime.fromisoformat(src['created_at'].replace('Z', '+00:00')) + timedelta(minutes=R.randint(1, 240))
        if t >= START + timedelta(days=DAYS): continue
        user = R.choice([u for u in USERS if u['id'] != src['author_id'] and not u['username'].endswith('_fake')])
        tw = make_tweet(t, user, src['text'], src['lang'], src['_subject'])
        tw['_kind'] = 'duplicate_text'; extra.append(tw)
    # one-character posts
    for ch in ['👍', '?', 'a', '😂', '.', '🔥', 'k', '😭']:
        tw = make_tweet(random_time(R.randrange(DAYS)), R.choice(USERS[:600]), ch, 'und' if ch.isalpha() or ch in '?.' else 'zxx', None)
        tw['_kind'] = 'one_char'; extra.append(tw)
    tweets = sorted(tweets + extra, key=lambda t: t['created_at'])
    # retweets (~12%), weighted by likes; a few of originals from before the range (only in includes)
    outside = []
    for i in range(8):
        subj = R.choice(subs); t = START - timedelta(days=R.randint(1, 5), hours=R.randint(0, 23))
        tw = make_tweet(t, USERS[-1 - i % 4], en_text(subj, polarity(subj)), 'en', subj); tw['_kind'] = 'outside'; outside.append(tw)
    pool = [t for t in tweets if t['_kind'] in ('original', 'reply') and len(t['text']) > 1]
    rts = []
    for _ in range(190):
        orig = R.choice(outside) if R.random() < .08 else R.choices(pool, [1 + t['public_metrics']['like_count'] for t in pool])[0]
        ou = next(u for u in USERS if u['id'] == orig['author_id'])
        t = max(datetime.fromisoformat(orig['created_at'].replace('Z', '+00:00')), START) + timedelta(minutes=R.randint(1, 1500))
        if t >= START + timedelta(days=DAYS): continue
        text = f"RT @{ou['username']}: {orig['text']}"
        if len(text) > 140: text = text[:139] + '…'
        user = R.choice(USERS[:600])
        tw = make_tweet(t, user, text, orig['lang'], orig['_subject'], [ou['username']], refs=[dict(type='retweeted', id=orig['id'])])
        tw['public_metrics'].update(like_count=0, reply_count=0, quote_count=0, bookmark_count=0)
        tw.pop('context_annotations', None)
        tw['_kind'] = 'retweet'; tw['_orig'] = orig; rts.append(tw); orig['public_metrics']['retweet_count'] += 1
    for rt in rts: rt['public_metrics']['retweet_count'] = rt['_orig']['public_metrics']['retweet_count']
    return sorted(tweets + rts, key=lambda t: t['created_at'], reverse=True), {t['id']: t for t in tweets + outside}


def clean(t):
    return {k: v for k, v in t.items() if not k.startswith('_')}


def pages(tweets, by_id, size=100):
    out = []
    users = {u['id']: {k: v for k, v in u.items() if not k.startswith('_')} for u in USERS}
    chunks = [tweets[i:i + size] for i in range(0, len(tweets), size)]
    # ~1% of posts also appear on a second page, as overlapping searches return them
    dup_ids = []
    for ci, chunk in enumerate(chunks[1:], 1):
        for t in R.sample(chunks[ci - 1], 2 if ci % 2 else 1):
            chunk.append(t); dup_ids.append(t['id'])
    for i, chunk in enumerate(chunks):
        refs = [by_id[r['id']] for t in chunk for r in t.get('referenced_tweets', []) if r['id'] in by_id]
        uids = dict.fromkeys([t['author_id'] for t in chunk + refs] +
                             [m['id'] for t in chunk for m in t.get('entities', {}).get('mentions', []) if 'id' in m])
        pids = dict.fromkeys(t['geo']['place_id'] for t in chunk if 'geo' in t)
        page = dict(data=[clean(t) for t in chunk],
                    includes=dict(users=[users[u] for u in uids], tweets=[clean(t) for t in dict((r['id'], r) for r in refs).values()],
                                  places=[PLACES[p] for p in pids]),
                    meta=dict(newest_id=max(t['id'] for t in chunk), oldest_id=min(t['id'] for t in chunk), result_count=len(chunk)))
        if not page['includes']['places']: del page['includes']['places']
        if i < len(chunks) - 1: page['meta']['next_token'] = token(16).lower()
        out.append(page)
    return out, dup_ids


CAPTIONS = {
    'hawker': ['Chicken rice heaven at Maxwell 🍗 worth the queue!', 'Sunday laksa run 🍜 #hawker #sgfood #foodie', 'Supper prata and teh tarik with the gang ☕️',
               'Char kway teow so good I went back for seconds 😋', 'Satay night at Lau Pa Sat 🔥 #SingaporeEats'],
    'concert': ['Still can\'t believe we got Coldplay tickets 🎶✨ #Coldplay', 'Queue number 300,000… send help 😭 #concert', 'Stadium views tonight 🏟️'],
    'weather': ['Sunset after the storm 🌅 #sgweather', '35°C and melting 🥵 stay hydrated everyone', 'Rainy day cafe hopping ☔️'],
    'housing': ['Finally got our BTO keys!! 🏠🔑 new chapter #BTO #HDB', 'Renovation day 1 💪 #hdbreno', 'Home sweet home, worth the 4 year wait ❤️'],
    'football': ['Matchday at Jalan Besar ⚽️ #SPL', 'What a season for City 💙 #MCFC'],
    'ai': ['Tried an AI art tool for my cafe menu 🤖🎨 #AI', 'Workshop on generative AI today, mind blown 🤯 #GenerativeAI'],
    'mrt': ['Another morning, another MRT delay 🙃 #MRT', 'Love the view from the Thomson-East Coast Line 🚇'],
    'cost': ['Grocery haul… prices are wild 💸 #CostOfLiving'], 'dengue': ['Mozzie patrol at home 🦟 check your plant pots! #dengue'],
}
CAPTIONS_OTHER = ['好吃的海南鸡饭 🍗 #美食', '今天的天气太热了 🥵', 'Nasi lemak pagi ini memang sedap 😋 #makan', 'Akhirnya dapat kunci rumah! 🏠',
                  '¡Qué calor hace en Singapur! 🥵', 'La mejor comida callejera del mundo 🍜 #hawker', 'コールドプレイのチケット取れた！🎶', 'இன்று பிரியாணி அருமை 😋']


def instagram(n=100):
    out = []
    owners = [dict(id=str(50_000_000 + i * 31), username=f"{R.choice(HANDLE_WORDS)}.{R.choice(HANDLE_WORDS)}{R.randint(1, 99)}") for i in range(60)]
    locs = [None, None, None, dict(id='215981', name='Maxwell Food Centre', slug='maxwell-food-centre'),
            dict(id='223415', name='National Stadium Singapore', slug='national-stadium'), dict(id='212990', name='Singapore', slug='singapore')]
    for i in range(n):
        subj = R.choices(list(CAPTIONS), [5, 3, 3, 3, 2, 2, 2, 1, 1])[0]
        cap = R.choice(CAPTIONS_OTHER) if R.random() < .2 else R.choice(CAPTIONS[subj])
        if R.random() < .3: cap += ' @' + R.choice(owners)['username']
        if R.random() < .5: cap += ' ' + ' '.join('#' + t for t in R.sample(EN[subj]['tags'], 2))
        t = START + timedelta(days=R.randrange(DAYS), hours=R.uniform(0, 24))
        typ = R.choices(['GraphImage', 'GraphSidecar', 'GraphVideo'], [6, 3, 1])[0]
        node = {'__typename': typ, 'id': str(3_100_000_000_000_000_000 + i * 104729), 'shortcode': token(11),
                'taken_at_timestamp': int(t.timestamp()), 'is_video': typ == 'GraphVideo',
                'edge_media_to_caption': {'edges': [{'node': {'text': cap}}] if R.random() > .03 else []},
                'owner': R.choice(owners), 'edge_media_preview_like': {'count': int(R.lognormvariate(3.5, 1.2))},
                'edge_media_to_comment': {'count': int(R.expovariate(0.3))}, 'location': R.choice(locs),
                'display_url': f'https://instagram.example/{token(8)}.jpg', 'comments_disabled': False}
        if R.random() < .3: node['accessibility_caption'] = 'Photo may contain: food, indoor (synthetic)'
        out.append({'node': node, 'instaloader': {'version': '4.14', 'node_type': 'Post'}})
    return out


def write_gz(path, lines):
    buf = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buf, mtime=0) as g:
        for obj in lines: g.write((json.dumps(obj, ensure_ascii=False, separators=(',', ':')) + '\n').encode())
    path.write_bytes(buf.getvalue())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    tweets, by_id = generate()
    pgs, dup_ids = pages(tweets, by_id)
    ig = instagram()
    write_gz(OUT / 'x_pages.jsonl.gz', pgs); write_gz(OUT / 'instagram_posts.jsonl.gz', ig)
    kinds = Counter(t['_kind'] for t in tweets)
    n_lang = Counter('ms' if t['lang'] in ('in', 'und') and t['_kind'] != 'one_char' else t['lang'] for t in tweets if t['_kind'] != 'retweet')
    subj = Counter(t['_subject'] for t in tweets if t['_subject'])
    c = dict(pages=len(pgs), records=sum(len(p['data']) for p in pgs), unique_posts=len(tweets), duplicate_ids=len(dup_ids),
             retweets=kinds['retweet'], replies=kinds['reply'], quotes=kinds['quote'], duplicate_texts=kinds['duplicate_text'],
             one_char=kinds['one_char'], geo=sum('geo' in t for t in tweets), coordinates=sum('coordinates' in t.get('geo', {}) for t in tweets),
             context_annotations=sum('context_annotations' in t for t in tweets), instagram_posts=len(ig))
    for k, v in c.items(): print(f'{k:20} {v}')
    print('languages (non-retweets):', dict(n_lang.most_common())); print('subjects:', dict(subj.most_common()))
    (OUT / 'README.md').write_text(README.format(
        table='\n'.join(f'| {k.replace("_", " ")} | {v:,} |' for k, v in c.items()),
        langs=', '.join(f'{k} {v}' for k, v in n_lang.most_common()), subjects=', '.join(f'{k} {v}' for k, v in subj.most_common())))


README = """# Bundled sample corpus — SYNTHETIC

**Every post, user, handle, id, place and link in these files is synthetic: written for tweetnb by
`scripts/make_sample.py` from the fragments in `scripts/sample_text.py`. None is a real person's post.** Handles ending
in `_fake` stand in for official accounts; links point to `example` domains.

It exists so that `make demo` and the tests can run the whole pipeline offline on data shaped like the real thing:
Singapore-flavoured posts from 2023-05-14 to 2023-05-31 (UTC) in Singapore's four languages (English, Chinese, Malay,
Tamil) plus Japanese and Spanish, about nine subjects with different moods: MRT breakdowns (a spike on 2023-05-23),
HDB/BTO housing, hawker food, heat/haze/rain, a concert ticket sale (spike on 2023-05-18), AI at work and school,
football, cost of living/GST, and dengue/public health.

## Files
- `x_pages.jsonl.gz`: one X API v2 full-archive search response page per line (`data`, `includes.users/tweets/places`,
  `meta` with `next_token`), newest first, as tweepy/twarc save them, with tweet.fields `created_at, author_id, lang,
  conversation_id, in_reply_to_user_id, referenced_tweets, public_metrics, entities, geo, context_annotations, source`.
- `instagram_posts.jsonl.gz`: Instagram post nodes the way instaloader saves metadata (`{{"node": ..., "instaloader": ...}}`).

## Counts
| what | n |
|---|---|
{table}

Languages of the posts (retweets excluded): {langs}.
Subjects: {subjects}.

Malay posts carry X's `lang` as `in` (Indonesian) or `und`, as X often labels Malay; tweetnb's language stage
identifies them itself. Retweet texts are truncated at 140 characters with `…`, with the full original in
`includes.tweets`; eight retweeted originals are dated before the range and appear only there. Some posts appear on two
pages (overlapping searches) and a spam text is posted by 22 accounts: the pipeline must count both, not double them.
Short non-English posts are built from a small pool of sentences, so some also repeat by chance: the clean stage
flags more exact duplicates than the planted copies counted above.

Regenerate (byte-identical): `python scripts/make_sample.py`.
"""

if __name__ == '__main__':
    main()

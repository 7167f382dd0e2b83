"""Headless Chromium for page tests: the Debian /usr/bin/chromium driven by Playwright, with the network closed.

    with chromium_page(url) as page:             # requests to any host but the page's are aborted and listed
        wait_kpi(page, 'posts', lambda v: v == '300')
        kpi(page, 'negative')                     # -> '0.3421', the data-value of #kpi-negative
        shot(page, folder / 'dashboard.png')
        assert not page.blocked, page.blocked      # nothing wanted a CDN or web font

Panel renders each pane inside its own shadow root. Playwright's CSS selectors pierce open shadow roots, so
`page.locator('#kpi-posts')` finds the span; `document.querySelector` from page.evaluate would not. XPath does not
pierce them either: use CSS. Ids are unique per pane, not per page, so give each number its own id.
"""
from __future__ import annotations
import os, time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get('TWEETNB_CHROMIUM', '/usr/bin/chromium'))
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-quic', '--disable-sync']


def have_chromium() -> str | None:
    "None when Chromium and Playwright are usable, else why not (a pytest skip reason)."
    if not CHROMIUM.exists():
        return f'{CHROMIUM} is missing (apt-get install chromium, or set TWEETNB_CHROMIUM)'
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'playwright is not installed (pip install playwright; its own browsers are not needed)'
    return None


@contextmanager
def chromium_page(url: str, screenshot: Path | str | None = None, width: int = 1400, height: int = 1000,
                  offline: bool = True, timeout: float = 30):
    "A Playwright page at `url`; `page.blocked` lists the off-host requests aborted (offline); screenshot at the end."
    from playwright.sync_api import sync_playwright

    host = urlsplit(url).hostname
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport=dict(width=width, height=height))
            page.set_default_timeout(timeout * 1000)
            page.blocked = []
            if offline:
                def route(r):
                    if urlsplit(r.request.url).hostname in (host, '127.0.0.1', 'localhost'):
                        return r.continue_()
                    page.blocked.append(r.request.url)
                    return r.abort()

                page.route('**/*', route)
            page.goto(url)
            yield page
            if screenshot:
                shot(page, screenshot)
        finally:
            browser.close()


def kpi(page, name: str) -> str | None:
    "The data-value of `#kpi-<name>` (None until the page shows it)."
    loc = page.locator(f'#kpi-{name}')
    return loc.get_attribute('data-value') if loc.count() else None


def wait_kpi(page, name: str, predicate=lambda v: v is not None, timeout: float = 10) -> str:
    "Poll `kpi(page, name)` until `predicate(value)` holds; its value, or an AssertionError naming the last one."
    deadline, value = time.monotonic() + timeout, None
    while True:
        value = kpi(page, name)
        if predicate(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'#kpi-{name} is {value!r} after {timeout:g}s')
        page.wait_for_timeout(100)


def wait_plots(page, n: int, timeout: float = 20) -> int:
    "Wait until `n` plotly charts have drawn (they hold their SVG); how many have."
    loc = page.locator('.js-plotly-plot').filter(has=page.locator('svg.main-svg'))
    deadline = time.monotonic() + timeout
    while loc.count() < n and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return loc.count()


def shot(page, path: Path | str, full_page: bool = True) -> Path:
    "A screenshot at `path` (folders made); `full_page` also what scrolls inside the page (Panel templates do)."
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    hidden = page.evaluate('Math.max(0, ...Array.from(document.querySelectorAll("*"), '
                           'e => e.scrollHeight - e.clientHeight))')
    if full_page and hidden > 0:  # grow the window by what its tallest scroll box hides
        page.set_viewport_size(dict(width=size['width'], height=min(size['height'] + hidden, 8000)))
        page.wait_for_timeout(500)  # plotly redraws on resize
    try:
        page.screenshot(path=str(path), full_page=full_page)
    finally:
        page.set_viewport_size(size)
    return path

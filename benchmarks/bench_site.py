"""Page weight of the built website: bytes a reader downloads to open each page, cold cache.

Every page of ``_build/html`` is opened in Debian's Chromium (Playwright) in a fresh browser
context (empty cache), served on 127.0.0.1 with every other request blocked, and the body of
every response is counted - uncompressed, as the local server sends it - until the network is
idle (MathJax fonts, figures, the theme's icon font all included). One row per page, goal
≤ 2,500 kB (1 kB = 1,000 bytes). ``tests/test_site_pages_browser.py`` asserts the same limit,
counted the same way (``recording_sizes``, ``settle``); this section records the numbers for the
performance notes. The measure and its goal are this benchmark's own, defined here next to the row
that reports them; the test (and ``bench_explorer``, for its one page) import them from here.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from book.browser import SITE, chromium_missing, launch, new_context, serve

from . import common

LIMIT_KB = 2500.0
SETTLE_MS = 1000  # after network idle: late font and image requests


def site_pages(site: Path = SITE) -> list[str]:
    """The reader-facing pages of a built site (no redirect stub, no static files)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts
        and "_sources" not in p.parts
        and p.relative_to(site).as_posix() != "index.html"
    )


@contextlib.contextmanager
def recording_sizes(pg):
    """While the block runs, the bytes of every response ``pg`` receives: yields a dict
    {url: bytes} that fills in as the page loads (failed responses count 0)."""
    sizes: dict[str, int] = {}

    def record(resp):
        with contextlib.suppress(Exception):  # a body can vanish with a navigation
            sizes[resp.url] = len(resp.body()) if resp.ok else 0

    pg.on("response", record)
    try:
        yield sizes
    finally:
        pg.remove_listener("response", record)


def settle(pg, loaded_at: float) -> None:
    """Wait until the network is idle and at least SETTLE_MS have passed since ``loaded_at``
    (``time.monotonic()`` at the load event): late font and image requests are in. (Network
    idle is reached once per load: a second wait for it would return at once.)"""
    pg.wait_for_load_state("networkidle")
    left = SETTLE_MS - (time.monotonic() - loaded_at) * 1000
    if left > 0:
        pg.wait_for_timeout(left)


def weigh(browser, origin: str, page: str, width: int = 1280) -> dict[str, int]:
    """Bytes of every response the page loads in a fresh context: {url: bytes}."""
    context = new_context(browser, viewport={"width": width, "height": 900})

    def route(r):
        if r.request.url.startswith((origin, "data:", "blob:")):
            r.continue_()
        else:
            r.abort()

    try:
        context.route("**/*", route)
        pg = context.new_page()
        with recording_sizes(pg) as sizes:
            pg.goto(f"{origin}/{page}", wait_until="load")
            settle(pg, time.monotonic())
    finally:
        context.close()
    return sizes


def run(mode: str) -> dict:
    title = "Page weight of the website (cold cache, uncompressed)"
    if not (SITE / "index.html").is_file():
        return common.section(
            "site", title, mode, [], skipped="no built site in _build/html: run `make book` first"
        )
    if chromium_missing():
        return common.section("site", title, mode, [], skipped=chromium_missing())
    from playwright.sync_api import sync_playwright

    pages = site_pages()
    if mode == "quick":
        pages = pages[:2]
    rows, details = [], {"pages": {}}
    with serve() as origin, sync_playwright() as p:
        browser = launch(p)
        try:
            for page in pages:
                sizes = weigh(browser, origin, page)
                kb = sum(sizes.values()) / 1e3
                biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
                note = "largest: " + ", ".join(
                    f"{u[len(origin) :].split('?')[0].rsplit('/', 1)[-1]} {s / 1e3:.0f} kB"
                    for u, s in biggest
                )
                rows.append(
                    common.row(
                        "page weight",
                        page,
                        kb,
                        "kB",
                        goal="≤ 2,500 kB",
                        limit=LIMIT_KB,
                        on="value",
                        note=note,
                        why="a figure or script too heavy for a phone",
                    )
                )
                details["pages"][page] = {"requests": len(sizes), "kb": round(kb, 1)}
        finally:
            browser.close()
    return common.section("site", title, mode, rows, details)

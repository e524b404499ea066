"""Debian's Chromium as the tests, ``site/pdf.py`` and the benchmarks drive it (Playwright): its
path and flags (the one place that names them), the built site served on 127.0.0.1, browser
contexts whose every wait has a bound, and ``settled``, the one way to wait for a promise of a
page.

Playwright bounds its own waits (``goto``, ``reload``, ``wait_for_function``, ``wait_for``,
clicks, ``expect_*``) by a context's default timeouts, which ``new_context`` sets; it never
bounds ``page.evaluate`` of a promise (``axe.run``, ``document.fonts.ready``, an animation's
``finished``, ...), which waits as long as the promise stays pending. ``settled`` races such a
promise against a timer in the page and fails with what it awaited and the bound. (``page.pdf``
has no bound either: ``site/pdf.py`` bounds its printing itself.)

Chromium is started offline (``NO_INTERNET``). Only the standard library at import time
(Playwright is imported by the callers), so that ``tests/``, ``site/pdf.py`` and
``benchmarks/`` can all import it.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .pages import SITE

CHROMIUM = "/usr/bin/chromium"  # Debian's package (scripts/system-deps.sh installs it)
# Offline by construction: every request for an address outside the loopback goes to a proxy
# that does not exist, and fails (net::ERR_PROXY_CONNECTION_FAILED); Chromium sends loopback
# requests (the served site, Jupyter) direct, never through a proxy. Pages still report the
# failed request (Playwright's "request" and "requestfailed" events), and no request has to be
# intercepted (a Playwright route sends every request through the driver and the Python side,
# and turns the HTTP cache off).
NO_INTERNET = "--proxy-server=http://127.0.0.1:9"
CHROMIUM_ARGS = [
    NO_INTERNET,
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LAUNCH_MS = 60_000  # Chromium started and connected
WAIT_MS = 30_000  # default bound of every action and wait in a context of new_context
NAVIGATION_MS = 60_000  # default bound of goto, reload and load-state waits there


def chromium_missing() -> str | None:
    """Why Chromium cannot be started here ("/usr/bin/chromium is missing"), or None."""
    return None if Path(CHROMIUM).exists() else f"{CHROMIUM} is missing"


def launch(playwright):
    """Debian's Chromium, headless, with the flags above (never Playwright's own download)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=LAUNCH_MS)


def new_context(browser, **options):
    """``browser.new_context(**options)`` with default bounds on its pages' waits
    (``WAIT_MS``) and navigations (``NAVIGATION_MS``)."""
    context = browser.new_context(**options)
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(NAVIGATION_MS)
    return context


def offline_context(browser, origin: str, blocked: list, **options):
    """``new_context`` whose pages reach nothing but ``origin`` (and ``data:`` and ``blob:``
    URLs): any other request is aborted and its URL appended to ``blocked``."""
    context = new_context(browser, **options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((origin, "data:", "blob:"))
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    return context


# The page's promise against a timer of the page's own event loop (timers run even when the
# page renders no frame, which animation and font promises wait for). A rejection comes back as
# a value, so that the Python side can name what failed.
_RACE = """async ([arg, ms]) => {
  let timer;
  const bound = new Promise(done => { timer = setTimeout(() => done({timedOut: true}), ms); });
  const work = Promise.resolve().then(() => (%s)(arg)).then(
    value => ({value}), error => ({error: String((error && error.stack) || error)}));
  try { return await Promise.race([work, bound]); } finally { clearTimeout(timer); }
}"""


def settled(pg, what: str, script: str, arg=None, timeout_ms: float = WAIT_MS):
    """What the promise returned by ``script`` (a JavaScript function of ``arg``, run in page
    ``pg``) resolves to, awaited at most ``timeout_ms``. A promise still pending then raises
    ``TimeoutError`` and a rejected one ``RuntimeError``, each naming ``what``."""
    done = pg.evaluate(_RACE % script, [arg, timeout_ms])
    if done.get("timedOut"):
        raise TimeoutError(f"{what}: still pending after {timeout_ms / 1000:g} s (the bound)")
    if "error" in done:
        raise RuntimeError(f"{what} failed in the page: {done['error']}")
    return done.get("value")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path = SITE):
    """The folder ``site`` (default: the built site) on 127.0.0.1, a free port; yields its
    origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()

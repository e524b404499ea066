"""The live-code token never leaves for a server it did not come with.

The built site (``_build/html``) is served on 127.0.0.1 and opened in Debian's Chromium, in one
tab that each test gets as a new tab would be (nothing stored); every request to anything but
127.0.0.1 is blocked and recorded. Two stand-in "Jupyter servers" on 127.0.0.1 record every
request (method, path, headers) they receive: ``home`` is the server a legitimate ``make live``
link names, ``other`` is the one a crafted link names. The rules of ``site/static/livecode.js``
(``resolve``) are unit-tested in ``tests/js/livecode.test.js``; here the whole page is checked,
as a reader would use it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from book.browser import new_context

pytestmark = pytest.mark.browser

SECRET = "s3cr3t-token-of-the-home-server"
PAGES = ("chapters/01_how_a_machine_sees.html", "chapters/02_case1_one_weight.html")
WAIT_MS = 8_000


class _Recorder(BaseHTTPRequestHandler):
    """Answers like a permissive API (CORS allowed, ``{}``) and records what it was sent."""

    def log_message(self, *args):
        pass

    def _record(self):
        self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _reply(self, body=b"{}"):
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
        self.send_header(
            "Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or "*"
        )
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):
        self._record()
        self._reply(b"")

    def do_GET(self):
        self._record()
        self._reply(b"[]" if self.path.startswith(("/api/kernels", "/api/sessions")) else b"{}")

    do_POST = do_PATCH = do_DELETE = do_GET


def _serve(handler):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.seen = []
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture
def servers():
    home, other = _serve(_Recorder), _serve(_Recorder)
    yield home, other
    for srv in (home, other):
        srv.shutdown()
        srv.server_close()


def _new_log():
    return {"requests": [], "blocked": [], "sockets": [], "dialogs": []}


@pytest.fixture(scope="module")
def reader_tab(browser):
    """One tab for the module's tests: ``(page, logs)``, where every event is recorded in the
    last log of ``logs`` (``tab`` starts a new one for each test)."""
    logs = [_new_log()]

    def route(r):
        req = r.request
        log = logs[-1]
        log["requests"].append((req.url, dict(req.headers)))
        if req.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            log["blocked"].append(req.url)
            r.abort()

    def dialog(d):
        logs[-1]["dialogs"].append(d.message)
        d.dismiss()  # the reader does not type a token

    context = new_context(browser)
    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on("websocket", lambda ws: logs[-1]["sockets"].append(ws.url))
    page.on("dialog", dialog)
    yield page, logs
    context.close()


@pytest.fixture
def tab(reader_tab):
    """The module's tab as a new tab would be (on ``about:blank``, nothing in its
    sessionStorage); returns (page, log) where log records every request with its headers,
    the blocked ones, web sockets and dialogs, from this test on. Afterwards the tab's
    sessionStorage is cleared and it leaves the page, which ends whatever that page still had
    on its way."""
    page, logs = reader_tab
    page.goto("about:blank")
    logs.append(_new_log())
    yield page, logs[-1]
    page.evaluate("() => { try { sessionStorage.clear(); } catch (e) { /* not a site page */ } }")
    page.goto("about:blank")


def _origin(srv):
    return f"http://127.0.0.1:{srv.server_port}"


def _launch(page):
    """Press the page's Live Code button, as a reader does."""
    page.click(".dropdown-launch-buttons .dropdown-toggle")
    page.click(".dropdown-launch-buttons button:has-text('Live Code')")


def _visit_with_token(page, site_origin, home):
    """A legitimate visit: the ``make live`` link of ``home`` with its token, which the page
    stores (its live-code script runs as the page is parsed, so the visit need not wait for
    figures and math). Checks that the token is stored: there is one that could leak."""
    page.goto(
        f"{site_origin}/{PAGES[0]}?livecode=local#url={_origin(home)}&token={SECRET}",
        wait_until="domcontentloaded",
    )
    stored = page.evaluate("sessionStorage.getItem('cnn-livecode')")
    assert SECRET in (stored or ""), stored


def _sent_secret(seen):
    return [(m, p) for m, p, h in seen if SECRET in p or SECRET in " ".join(h.values())]


def test_token_reaches_its_own_server(site_origin, servers, tab):
    """The control: a `make live` link hands the token to the server it names, and only there."""
    home, other = servers
    page, log = tab
    page.goto(f"{site_origin}/{PAGES[0]}?livecode=local#url={_origin(home)}&token={SECRET}")
    assert SECRET not in page.url
    _launch(page)
    deadline = time.monotonic() + WAIT_MS / 1000
    while not home.seen and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    auth = [h.get("authorization") for _, _, h in home.seen if h.get("authorization")]
    assert auth and set(auth) == {f"token {SECRET}"}, home.seen
    assert other.seen == [] and log["blocked"] == []


def test_crafted_link_sends_no_token_anywhere(site_origin, servers, tab):
    """A crafted link: after a legitimate visit stored the token, a link
    ``?livecode=local#url=http://127.0.0.1:OTHER`` (no token) must not send it to OTHER,
    nor any Authorization header anywhere."""
    home, other = servers
    page, log = tab
    _visit_with_token(page, site_origin, home)
    n_before = len(log["requests"])
    page.goto(f"{site_origin}/{PAGES[1]}?livecode=local#url={_origin(other)}")
    _launch(page)
    page.wait_for_function("document.documentElement.hasAttribute('data-livecode-status')", timeout=WAIT_MS)
    page.wait_for_timeout(500)  # let anything already on its way arrive
    after = log["requests"][n_before:]
    assert [u for u, h in after if "authorization" in {k.lower() for k in h}] == []
    assert [u for u, h in after if SECRET in u or SECRET in " ".join(h.values())] == []
    assert [s for s in log["sockets"] if SECRET in s] == []
    assert _sent_secret(other.seen) == [] and _sent_secret(home.seen) == []
    assert [h for _, _, h in other.seen if "authorization" in h] == []
    # the reader is asked for the token of the server the link names, not handed the old one
    assert log["dialogs"] and _origin(other) in log["dialogs"][-1]
    assert page.get_attribute("html", "data-livecode-status") == "no-token"
    assert SECRET not in (page.evaluate("sessionStorage.getItem('cnn-livecode')") or "")
    assert log["blocked"] == []


@pytest.mark.parametrize(
    "url", ["http://evil.example:8888", "https://127.0.0.1:{port}", "http://127.0.0.1:{port}@evil.example"]
)
def test_foreign_server_is_refused(site_origin, servers, tab, url):
    """Only http://127.0.0.1:PORT or http://localhost:PORT: anything else is refused before
    a single request, with the reason on the button."""
    home, other = servers
    page, log = tab
    _visit_with_token(page, site_origin, home)
    crafted = url.format(port=other.server_port)
    page.goto(f"{site_origin}/{PAGES[1]}?livecode=local#url={crafted}&token=other-token")
    _launch(page)
    page.wait_for_function("document.documentElement.hasAttribute('data-livecode-status')", timeout=WAIT_MS)
    page.wait_for_timeout(300)
    assert page.get_attribute("html", "data-livecode-status") == "refused"
    assert "refused the server address" in page.inner_text(".thebe-launch-button")
    assert log["blocked"] == [] and other.seen == [] and _sent_secret(home.seen) == []
    assert log["dialogs"] == []

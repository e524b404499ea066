"""``site/live.py`` (``make live``): the token stays out of argv, the link comes only once Jupyter
listens, only the kernel server runs, a Jupyter that dies is reported, and signals stop the
Jupyter child; the token is the only login (no cookie logs in, before or after a restart;
nothing is left behind); the link holds a one-time code, not the token (also in Chromium, where
live code then runs a chapter's cells and its player against the kernel: the site's test of live
code on a page against a local server); bad arguments are one line.

The tests run ``site/live.py`` as a reader does, on free 127.0.0.1 ports, with a one-file
stand-in for the built site (the built site itself beside it, for Chromium) and private Jupyter
config/runtime folders: the tests that only talk to a running one share one (``running``, whose
link Chromium claims), those that stop or restart it start their own. Processes they start are
stopped by their pid at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port, shut_down_kernels, watched
from site_support import LIVE_CALL, SITE, assert_sum_adds_up, live_target, move_and_read

ROOT = Path(__file__).resolve().parent.parent
LIVE = ROOT / "site" / "live.py"
# Seconds live.py may wait for Jupyter (its --startup-timeout): Jupyter answers within 2-4 s
# here; the bound only matters on a machine so loaded that it would otherwise hang.
STARTUP = 20.0
LINK_RE = re.compile(r"(http://127\.0\.0\.1:\d+/\S*)#url=(\S+)&code=([A-Za-z0-9_-]+)\s*$")
TOKEN_RE = re.compile(r"the token of (http://127\.0\.0\.1:\d+): (\S+)\s*$")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


class Live:
    """``site/live.py`` running in the background; its stdout lines arrive on a queue."""

    def __init__(
        self,
        tmp: Path,
        jupyter_port: int | None = None,
        site_port: int | None = None,
        site: Path | None = None,
    ):
        if site is None:
            site = tmp / "site"
            site.mkdir(exist_ok=True)
            (site / "index.html").write_text("<!doctype html><title>site</title>")
        self.site_port, self.jupyter_port = site_port or free_port(), jupyter_port or free_port()
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(tmp / "config"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
            JUPYTER_DATA_DIR=str(tmp / "data"),
        )
        env.pop("JUPYTER_TOKEN", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(LIVE),
                "--site",
                str(site),
                "--site-port",
                str(self.site_port),
                "--jupyter-port",
                str(self.jupyter_port),
                "--startup-timeout",
                str(STARTUP),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp,
        )
        self.lines: queue.Queue = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.jupyter_pids: list[int] = []
        self.page = self.url = self.code = None  # the printed link: page, Jupyter server, code

    def _pump(self):
        for line in self.proc.stdout:
            self.out.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def link(self, timeout: float = STARTUP + 1) -> tuple[str, str]:
        """(jupyter url, token) as printed with the link (kept in ``page`` and ``code``);
        fails if they do not come in time."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no link within {timeout} s; stdout {''.join(self.out)!r}")
            if line is None:
                pytest.fail(f"live.py ended without a link: {self.proc.wait()} {self.proc.stderr.read()!r}")
            m = LINK_RE.search(line)
            if m:
                self.page, self.url, self.code = m.groups()
            m = TOKEN_RE.search(line)
            if m and self.code:
                self.jupyter_pids = _children(self.proc.pid)
                assert m.group(1) == self.url, "the link names another server than the token's"
                return m.group(1), m.group(2)

    def close(self):
        """Stop live.py as a reader does (SIGTERM: it stops Jupyter and removes its private
        runtime folder); whatever still runs after that is killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=12)
        for pid in [self.proc.pid, *self.jupyter_pids]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=5)

    def runtime(self) -> Path:
        """The private runtime folder live.py gave its Jupyter server."""
        environ = Path(f"/proc/{self.jupyter_pids[0]}/environ").read_bytes().split(b"\0")
        return Path(
            next(v for v in environ if v.startswith(b"JUPYTER_RUNTIME_DIR=")).decode().partition("=")[2]
        )


@pytest.fixture
def live(tmp_path):
    """Starts live.py (``live(**Live options)``) for one test; stops what it started."""
    started = []

    def start(**kw):
        started.append(Live(tmp_path, **kw))
        return started[-1]

    yield start
    for lv in started:
        lv.close()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """One live.py for the tests that only talk to a running one (each Jupyter start costs
    seconds): ``(Live, jupyter url, token)``. Tests that stop or restart it start their own.
    Its site is the one-file stand-in with the built site under ``/book/`` (a link to
    ``_build/html``, read only when a page is asked for); its link's one-time code is left for
    the page that claims it in Chromium."""
    tmp = tmp_path_factory.mktemp("running")
    site = tmp / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>site</title>")
    (site / "book").symlink_to(SITE, target_is_directory=True)
    lv = Live(tmp, site=site)
    try:
        url, token = lv.link()
        yield lv, url, token
    finally:
        lv.close()


def test_link_only_once_jupyter_listens_and_token_not_in_argv(running):
    lv, url, token = running
    problems = []  # both checks run, each failure is reported
    # the token is not on any command line (any local user reads those in `ps`)
    assert lv.jupyter_pids, "no Jupyter child found"
    for pid in [lv.proc.pid, *lv.jupyter_pids]:
        if token in Path(f"/proc/{pid}/cmdline").read_bytes().decode():
            problems.append(f"the token is in the arguments of pid {pid}")
    # printed only once Jupyter answers: the very first request succeeds
    req = urllib.request.Request(url + "/api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as response:
            assert response.status == 200
    except OSError as err:
        problems.append(f"link printed before Jupyter listened: {err}")
    assert problems == []
    # and the site is served next to it
    with urllib.request.urlopen(f"http://127.0.0.1:{lv.site_port}/", timeout=2) as response:
        assert b"<title>site</title>" in response.read()


def test_only_the_kernel_server_runs(running):
    """Live Code needs kernels, kernel specs and sessions: no terminal (a shell), no JupyterLab
    pages, nothing else is served, even with the token."""
    _, url, token = running
    auth = {"Authorization": f"token {token}"}
    for path in ("/api/kernelspecs", "/api/kernels", "/api/sessions"):
        assert _request(url + path, headers=auth)[0] == 200, path
    for path in ("/api/terminals", "/lab", "/lsp/status", "/tree"):
        assert _request(url + path, headers=auth)[0] == 404, path


def test_jupyter_dying_at_start_is_reported(live):
    with socket.socket() as taken:  # something else already listens on the Jupyter port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        lv = live(jupyter_port=taken.getsockname()[1])
        code = lv.proc.wait(timeout=STARTUP + 2)
    stderr = lv.proc.stderr.read()
    assert code != 0
    assert "code=" not in "".join(lv.out), "a link was printed for a server that never ran"
    assert "already in use" in stderr, stderr  # Jupyter's own words
    assert "--jupyter-port" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_stops_the_jupyter_child(live, signum):
    lv = live()
    lv.link()
    assert lv.jupyter_pids
    lv.proc.send_signal(signum)
    lv.proc.wait(timeout=8)
    assert all(_wait_gone(pid, 2) for pid in lv.jupyter_pids), "Jupyter orphaned, still serving"
    assert "Traceback" not in lv.proc.stderr.read()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux only")
def test_jupyter_child_ends_when_live_is_killed(live):
    lv = live()
    _, token = lv.link()
    private = lv.runtime()
    lv.proc.kill()  # SIGKILL: no handler runs
    lv.proc.wait(timeout=5)
    try:
        assert all(_wait_gone(pid, 8) for pid in lv.jupyter_pids), "Jupyter orphaned, still serving"
        # Jupyter, stopped by SIGTERM, removed its files: no token is left on disk
        left = [
            p.name for p in private.rglob("*") if p.is_file() and token in p.read_text("utf-8", "replace")
        ]
        assert left == []
    finally:
        shutil.rmtree(private, ignore_errors=True)  # the folder itself: live.py could not


def _request(url: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    """(status, [Set-Cookie values], body) of one request; redirects are not followed."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers or {}
        )
        response = conn.getresponse()
        return response.status, response.headers.get_all("Set-Cookie") or [], response.read()
    finally:
        conn.close()


def _cookies_issued(url: str, token: str) -> dict[str, str]:
    """Every cookie the server hands a reader who uses its token: in an API request (as Thebe
    does) and through the login form (the token typed as the password)."""
    jar: dict[str, str] = {}

    def keep(set_cookies):
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            if value and value != '""':
                jar[name.strip()] = value

    status, set_cookies, _ = _request(url + "/api/kernels", headers={"Authorization": f"token {token}"})
    assert status == 200
    keep(set_cookies)
    _, set_cookies, _ = _request(url + "/login")
    keep(set_cookies)
    if "_xsrf" in jar:
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        form = urllib.parse.urlencode({"_xsrf": jar["_xsrf"], "password": token}).encode()
        _, set_cookies, _ = _request(
            url + "/login",
            "POST",
            body=form,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        keep(set_cookies)
    return jar


def _replay(url: str, jar: dict[str, str]) -> tuple[int, int]:
    """(listing kernels, writing a file): the statuses a replay of ``jar`` alone gets. A file
    it managed to write into the checkout (live.py's Jupyter root) is removed again."""
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    written = ROOT / f"replayed-{secrets.token_hex(4)}.txt"
    listed, _, _ = _request(url + "/api/kernels", headers={"Cookie": cookie})
    try:
        wrote, _, _ = _request(
            url + f"/api/contents/{written.name}",
            "PUT",
            headers={
                "Cookie": cookie,
                "X-XSRFToken": jar.get("_xsrf", ""),
                "Content-Type": "application/json",
            },
            body=json.dumps({"type": "file", "format": "text", "content": "x"}).encode(),
        )
    finally:
        written.unlink(missing_ok=True)
    return listed, wrote


def test_no_login_cookie_outlives_the_token(running):
    """A reader who used the token holds no cookie that logs in without it (cookies are per
    host, not per port: any local web server would receive it); the login form issues none."""
    _, url, token = running
    jar = _cookies_issued(url, token)
    assert _replay(url, jar) == (403, 403)
    assert not [name for name in jar if name.startswith("username")], jar


def _claim(lv: Live, code: str, origin: str | None = None):
    """What the page does with the link's one-time code: POST it to the site server."""
    return _request(
        f"http://127.0.0.1:{lv.site_port}/_livecode/claim",
        "POST",
        body=code.encode(),
        headers={"Origin": origin or f"http://127.0.0.1:{lv.site_port}", "Content-Type": "text/plain"},
    )


def _one_time_code_only(lv: Live, url: str, token: str) -> None:
    """The printed link (what the browser's history keeps) holds no token: a code that the
    site's own pages exchange once for the token; a spent code gets nothing."""
    assert token not in lv.page + lv.code
    # a page of another origin (any other local web server) gets nothing and spends nothing
    for origin in ("http://127.0.0.1:1", "null", "http://localhost:" + str(lv.site_port)):
        assert _claim(lv, lv.code, origin=origin)[0] == 403
    assert _claim(lv, "x" * len(lv.code))[0] == 410
    assert _claim(lv, "x" * 10_000)[0] == 400
    status, _, body = _claim(lv, lv.code)
    assert status == 200 and json.loads(body) == {"url": url, "token": token}
    # spent: the link reopened from the history gets nothing
    status, _, body = _claim(lv, lv.code)
    assert status == 410 and token.encode() not in body
    assert _request(f"http://127.0.0.1:{lv.site_port}/_livecode/claim")[0] == 404


def _restart_invalidates_what_was_issued(first: Live, url: str, token: str, live, tmp_path) -> None:
    """Nothing signed by ``first``'s run is accepted by the next (a fresh cookie secret per
    run, kept nowhere on disk), and nothing live.py set up for Jupyter is left once it stops."""
    jar = _cookies_issued(url, token)
    private = first.runtime()
    assert private.is_dir() and private != tmp_path / "runtime"
    # Ctrl-C stops both (the Jupyter child runs in its own session, so it is live.py's job)
    first.proc.send_signal(signal.SIGINT)
    assert first.proc.wait(timeout=8) == 0
    assert all(_wait_gone(pid, 5) for pid in first.jupyter_pids)
    assert not private.exists(), f"live.py left {sorted(private.iterdir())}"
    runtime = tmp_path / "runtime"  # the reader's Jupyter runtime folder: nothing of ours in it
    assert not runtime.exists() or not list(runtime.iterdir()), list(runtime.iterdir())
    second = live(jupyter_port=first.jupyter_port, site_port=first.site_port)
    url2, token2 = second.link()
    assert url2 == url and token2 != token
    assert _replay(url2, jar) == (403, 403)
    # the old token is worthless too
    assert _request(url2 + "/api/kernels", headers={"Authorization": f"token {token}"})[0] == 403


def test_one_time_code_then_a_restart(live, tmp_path, subtests):
    """One run of live.py, then the next on the same ports: the first run's link carries a
    one-time code, not the token; the restart invalidates what the first run issued."""
    first = live()
    url, token = first.link()
    with subtests.test(msg="the link carries a one-time code, not the token"):
        _one_time_code_only(first, url, token)
    with subtests.test(msg="a restart invalidates what was issued before"):
        _restart_invalidates_what_was_issued(first, url, token, live, tmp_path)


def _committed_text_outputs(pg) -> list[str]:
    """For each code cell of the page, its text output as the site was built with it (blank
    for a cell without one, or whose code glues numbers), whitespace collapsed."""
    code_cells = pg.locator(".cell:has(.cell_input pre)")
    return [
        " ".join(t.split()) if t else ""
        for t in code_cells.evaluate_all(
            "cs => cs.map(c => { const o = c.querySelector('.cell_output .output.text_plain');"
            " const src = c.querySelector('.cell_input pre').innerText;"
            " return o && !src.includes('glue') ? o.innerText : ''; })"
        )
    ]


def _rerun_up_to_the_player(pg, texts: list[str]) -> None:
    """With live code started: "Run up to here" on the cell of the sweep player (it comes
    after the first text output); the first text output (``texts``, the committed ones),
    recomputed by the kernel, equals the committed one; the player the kernel produced (not
    the saved static copy) moves, and its sum adds up."""
    first = next(i for i, t in enumerate(texts) if t)
    cells = pg.locator(".cell:has(.thebe-cell)")
    player_cell = pg.locator(f".cell:has(.thebe-cell:has-text('{LIVE_CALL}'))").first
    player_cell.locator(".cnn-run-upto").click()
    # Thebe renders outputs into the cell's live output box as JupyterLab output areas (glue
    # outputs of the same cell render empty, so look at all of its outputs)
    cells.nth(first).locator(".cnn-live-output .jp-OutputArea-output").first.wait_for(timeout=90_000)
    try:
        pg.wait_for_function(
            "([el, want]) => el.innerText.replace(/\\s+/g, ' ').includes(want)",
            arg=[cells.nth(first).locator(".cnn-live-output").element_handle(), texts[first]],
            timeout=90_000,
        )
    except Exception:
        got = cells.nth(first).locator(".cnn-live-output").inner_text()
        src = cells.nth(first).inner_text()
        raise AssertionError(
            f"cell {first}: want {texts[first]!r}, got {got!r}; cell {src[:300]!r}"
        ) from None
    player = player_cell.locator(".cnn-live-output .cnn-sweep:has(input[type=range])")
    player.wait_for(timeout=90_000)
    before, after = move_and_read(pg, player)
    assert before[:2] == (0, 0) and after[:2] == (0, 1)
    assert_sum_adds_up(player.locator(".sum").first.inner_text())


@pytest.mark.browser
def test_page_claims_the_token_once_and_live_code_runs(running, built_site, browser):
    """In Chromium, on the built site served by live.py: the printed link (it names a page of
    the site; its query and fragment here open the chapter with a sweep player) hands the page
    the token (bound to the Jupyter server), the code leaves the address bar, and Live Code
    reaches a kernel with the token alone (no login cookie is ever set): the page's cells up to
    the player's run, the first text output recomputed by the kernel equals the built one,
    the player the kernel produced moves a sum that adds up, and nothing is blocked, fails or logs an
    error. The same link opened again (from the history, in the same tab) gets no token, and the
    page drops the one it holds: it asks for the token instead.

    This one visit is also the site's test of live code on a page against a local Jupyter
    server (the server of ``make live``); tests/test_site_browser.py keeps the page whose
    kernel cannot be reached, tests/test_livecode_page.py what a reader does on a page with
    live code on (its controls, answer boxes, editors and run buttons)."""
    lv, url, token = running
    printed = urllib.parse.urlsplit(lv.page)
    assert (built_site / printed.path.lstrip("/")).is_file(), lv.page
    site = f"http://127.0.0.1:{lv.site_port}"
    link = f"{site}/book/{live_target()[1]}?{printed.query}#url={url}&code={lv.code}"

    def launch(page):
        page.click(".dropdown-launch-buttons .dropdown-toggle")
        page.click(".dropdown-launch-buttons button:has-text('Live Code')")

    try:
        with watched(browser, "live-server-handover", site, url) as w:
            page, dialogs = w.page, []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(link)
            page.wait_for_function(
                "document.documentElement.dataset.livecodeHandover === 'claimed'", timeout=10_000
            )
            assert lv.code not in page.url and token not in page.url
            stored = json.loads(page.evaluate("sessionStorage.getItem('cnn-livecode')"))
            assert stored == {"server": "local", "url": url, "token": token, "tokenUrl": url}
            texts = _committed_text_outputs(page)
            launch(page)
            page.wait_for_function(
                "document.documentElement.dataset.livecodeStatus === 'ready'", timeout=90_000
            )
            assert dialogs == []
            assert [c["name"] for c in w.context.cookies() if c["name"].startswith("username")] == []
            _rerun_up_to_the_player(page, texts)
            assert w.blocked == []
            assert [p for p in w.problems if "favicon" not in p] == []

            # the link again, as the browser's history keeps it; this tab holds the claimed
            # token, which the page must neither use nor keep
            assert token in page.evaluate("sessionStorage.getItem('cnn-livecode')")
            page.goto("about:blank")  # a new document, not a jump to the fragment
            dialogs.clear()
            page.goto(link)
            page.wait_for_function(
                "document.documentElement.dataset.livecodeHandover === 'failed'", timeout=10_000
            )
            assert token not in (page.evaluate("sessionStorage.getItem('cnn-livecode')") or "")
            launch(page)
            page.wait_for_function(
                "document.documentElement.dataset.livecodeStatus === 'no-token'", timeout=10_000
            )
            assert len(dialogs) == 1 and "one-time code" in dialogs[0] and url in dialogs[0]
    finally:
        shut_down_kernels(url, token)  # the server runs on for the module's other tests


@pytest.mark.parametrize(
    "args",
    [
        ["--startup-timeout", "nan"],
        ["--startup-timeout", "-1"],
        ["--startup-timeout", "0"],
        ["--startup-timeout", "inf"],
        ["--startup-timeout", "soon"],
        ["--site-port", "0"],
        ["--jupyter-port", "70000"],
    ],
)
def test_bad_arguments_are_one_line_before_anything_starts(tmp_path, args):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>site</title>")
    res = subprocess.run(
        [sys.executable, str(LIVE), "--site", str(site), *args],
        capture_output=True,
        text=True,
        timeout=10,
        cwd=tmp_path,
    )
    assert res.returncode == 2 and res.stdout == "", (res.returncode, res.stdout)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and args[0] in lines[0], res.stderr

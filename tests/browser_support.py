"""What every browser test module shares: Debian's Chromium under Playwright, pages whose
errors and blocked requests are recorded (a screenshot in test-artifacts/ on failure), a
Jupyter server or JupyterLab on 127.0.0.1 working on a copy of the book, and opening a
notebook there until its kernel is idle.

Chromium is started, and its contexts made, by ``book.browser`` (site/pdf.py and the
benchmarks drive the same browser the same way): every context has default bounds on its
waits, and a promise of a page is awaited with ``settled``, never with a bare ``evaluate``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from book.browser import chromium_missing, launch, new_context

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def _chromium():
    """Playwright and one headless Chromium for the whole session, i.e. per pytest-xdist worker
    (Playwright's own browser download fails offline): starting them costs about as much as a
    page visit, and every test works in a context of its own. Relaunched when it has gone."""
    if chromium_missing():
        pytest.fail(f"{chromium_missing()}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        held = {"browser": launch(p), "playwright": p}
        yield held
        if held["browser"].is_connected():
            held["browser"].close()


@pytest.fixture(scope="module")
def browser(_chromium):
    """The session's Chromium, launched again if a crash or a test closed it; the contexts a
    module leaves open close with the module, as they did with a browser of its own."""
    if not _chromium["browser"].is_connected():
        _chromium["browser"] = launch(_chromium["playwright"])
    b = _chromium["browser"]
    yield b
    for context in list(b.contexts) if b.is_connected() else []:
        context.close()


def open_in_lab(pg, url: str, token: str, notebook: str) -> None:
    """Open ``notebook`` (a path under the server's root) in JupyterLab at ``url`` and wait
    until its kernel is idle. JupyterLab may first ask which kernel to use: take the preferred
    one (the dialog appears only on some set-ups)."""
    pg.goto(f"{url}/lab/tree/{notebook}?token={token}&reset")
    pg.locator(".jp-Notebook").first.wait_for(timeout=90_000)
    with contextlib.suppress(Exception):
        pg.locator(".jp-Dialog button:has-text('Select')").click(timeout=8_000)
    pg.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=90_000
    )


def lab_menu(pg, menu: str, item: str) -> None:
    """JupyterLab's menu ``menu`` > ``item`` (the item's exact label)."""
    pg.click(f"li.lm-MenuBar-item:has-text('{menu}')")
    pg.click(f"li.lm-Menu-item:has(.lm-Menu-itemLabel:text-is('{item}'))")


def run_all_cells(pg) -> None:
    """JupyterLab's Run > Run All Cells."""
    lab_menu(pg, "Run", "Run All Cells")


def wait_until_all_cells_ran(pg, timeout: float = 240_000) -> None:
    """Wait until no cell is queued or running (no ``[*]`` prompt): outputs that later cells
    add move the page, so a test that draws or clicks waits for them first."""
    pg.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputPrompt')].some(e => e.textContent.includes('*'))",
        timeout=timeout,
    )


# ----------------------------------------------------------------------------- servers
def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _jupyter(kind, origin, tmp, root):
    """Start ``jupyter server`` or ``jupyter lab`` on 127.0.0.1 with a random token; wait for it."""
    port, token = free_port(), secrets.token_hex(24)
    # JupyterLab settings: no autosave (the copy stays as it was); every cell rendered, not only
    # those in view (windowing moves outputs while a test points at them); no news prompt
    for plugin, name, value in (
        ("docmanager-extension", "plugin", '{"autosave": false}'),
        ("notebook-extension", "tracker", '{"windowingMode": "none"}'),
        ("apputils-extension", "notification", '{"fetchNews": "false"}'),
    ):
        folder = tmp / "settings" / "@jupyterlab" / plugin
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.jupyterlab-settings").write_text(value)
    env = dict(
        os.environ,
        PYTHONPATH=str(root),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        TF_CPP_MIN_LOG_LEVEL="3",
        JUPYTER_TOKEN=token,
    )  # the token stays out of the process arguments
    env.pop("CNN_BOOK_OUTPUTS", None)  # its kernels make self-contained, working controls
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        kind,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
    ]
    if origin:
        cmd.append(f"--ServerApp.allow_origin={origin}")
    if kind == "lab":
        cmd += ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    else:  # the kernel server of `make live`, configured as site/live.py configures it
        cmd.append(f"--config={ROOT / 'site' / 'live_jupyter_config.py'}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / f"{kind}.log", "w")  # noqa: SIM115 - closed by jupyter() when the server stops
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        if proc.poll() is not None:
            break
        try:
            req = urllib.request.Request(url + "/api/status", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=2):
                return proc, url, token, log
        except OSError:
            time.sleep(0.25)
    proc.kill()
    said = (tmp / f"{kind}.log").read_text()[-2000:].replace(token, "<token>")  # no token in reports
    raise RuntimeError(f"jupyter {kind} did not start: {said}")


@contextlib.contextmanager
def jupyter(kind, origin=None):
    """The server works on a copy of chapters/, helpers/ and data/: nothing it runs or saves
    can touch the repository's notebooks."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book"
        for d in ("chapters", "helpers", "data"):
            shutil.copytree(ROOT / d, root / d, ignore=shutil.ignore_patterns("__pycache__"))
        proc, url, token, log = _jupyter(kind, origin, Path(tmp), root)
        try:
            yield url, token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


# ----------------------------------------------------------------------------- browser


class Watched:
    """A page whose console errors, page errors, failed and blocked requests are recorded."""

    def __init__(self, browser, allowed, width=1280, dark=False):
        self.context = new_context(browser, viewport={"width": width, "height": 900})
        if dark:  # the theme reads the reader's choice from localStorage before it paints
            self.context.add_init_script("localStorage.setItem('mode', 'dark')")
        self.problems, self.blocked = [], []
        self.allowed = tuple(allowed)
        self.page = self.context.new_page()
        self.context.on("request", self._outside)
        self.page.on(
            "console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text[:300]}")
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "requestfailed", lambda r: self.problems.append(f"failed request: {r.url} ({r.failure})")
        )
        self.page.on(
            "response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}")
        )

    def _outside(self, request):
        """A request outside the allowed origins is recorded as blocked (Chromium itself fails
        every request outside the loopback: ``book.browser.NO_INTERNET``)."""
        if not request.url.startswith((*self.allowed, "data:", "blob:")):
            self.blocked.append(request.url)

    def screenshot(self, name: str) -> None:
        """The whole page as test-artifacts/<name>.png (for a failure report; never raises)."""
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            self.page.screenshot(
                path=str(ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"), full_page=True
            )

    def close(self):
        self.context.close()


@contextlib.contextmanager
def watched(browser, name, *allowed, width=1280, dark=False):
    """A ``Watched`` page for the block; a screenshot in test-artifacts/ if the block fails."""
    w = Watched(browser, allowed, width=width, dark=dark)
    try:
        yield w
    except BaseException:
        w.screenshot(name)
        raise
    finally:
        w.close()


@contextlib.contextmanager
def lab_running(browser, lab, notebook: str, name: str, on_open=None, run=run_all_cells):
    """In the JupyterLab ``lab`` (``(url, token)`` of ``jupyter("lab")``, working on a copy
    of the book), ``notebook`` (a path under the book) open and ``run(page)`` done (Run All
    Cells unless told otherwise): yields the watched page (``w.page``, ``w.blocked``).
    ``on_open(page)`` is called first, on the notebook as it opens (the committed outputs,
    nothing run). The notebook's kernel is shut down afterwards."""
    url, token = lab
    with watched(browser, name, url) as w:
        open_in_lab(w.page, url, token, notebook)
        if on_open is not None:
            on_open(w.page)
        run(w.page)
        try:
            yield w
        finally:
            shut_down_kernels(url, token)


def shut_down_kernels(url: str, token: str) -> None:
    """Every kernel of the server, shut down (REST API; the token in a header, not the URL)."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(
        urllib.request.Request(f"{url}/api/kernels", headers=headers), timeout=10
    ) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(f"{url}/api/kernels/{k['id']}", headers=headers, method="DELETE")
        with contextlib.suppress(OSError), urllib.request.urlopen(req, timeout=30):
            pass

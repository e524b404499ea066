"""The built website in a real browser, offline: Debian's Chromium driven by Playwright.

Every page of ``_build/html`` (whatever pages the book has) is served on 127.0.0.1 while every
other request is blocked, and must load with no console error, no failed request, its math
typeset, its images decoded and described, its internal links resolving and no CDN address in
its HTML. Then the interactive parts: a kernel-free control changes the page; in JupyterLab a
chapter's live slider recomputes its number; live code on a page runs against a local Jupyter
server. On failure a screenshot goes to ``test-artifacts/``.

``make test`` builds the site (``-W``) before pytest; run alone, this module builds it if it is
missing. Servers bind 127.0.0.1 and are stopped at the end.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
CDN_HOSTS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "ajax.googleapis.com",
             "fonts.googleapis.com", "fonts.gstatic.com", "cdn.mathjax.org", "code.jquery.com",
             "stackpath.bootstrapcdn.com", "cdn.plot.ly", "polyfill.io", "esm.sh")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SUM_RE = re.compile(r"\[(\d+), (\d+)\] = .*= (-?[0-9][0-9.]*)\s*$")

def _build_site_if_missing():
    if not (SITE / "index.html").is_file():
        jb = Path(sys.executable).with_name("jupyter-book")
        subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


PAGES = _build_site_if_missing()


# ----------------------------------------------------------------------------- servers
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_origin():
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _jupyter(kind, origin, tmp, root):
    """Start ``jupyter server`` or ``jupyter lab`` on 127.0.0.1 with a random token; wait for it."""
    port, token = _free_port(), secrets.token_hex(24)
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    env = dict(os.environ, PYTHONPATH=str(root), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "ws"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"), TF_CPP_MIN_LOG_LEVEL="3")
    cmd = [sys.executable, "-m", "jupyter", kind, "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if origin:
        cmd.append(f"--ServerApp.allow_origin={origin}")
    if kind == "lab":
        cmd += ["--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / f"{kind}.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        if proc.poll() is not None:
            break
        try:
            req = urllib.request.Request(url + "/api/status",
                                         headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=2):
                return proc, url, token, log
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"jupyter {kind} did not start: {(tmp / f'{kind}.log').read_text()[-2000:]}")


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
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page whose console errors, page errors, failed and blocked requests are recorded."""

    def __init__(self, browser, allowed):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.problems, self.blocked = [], []
        self.context.route("**/*", self._route)
        self.allowed = tuple(allowed)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text[:300]}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(
            f"failed request: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.context.close()


@contextlib.contextmanager
def watched(browser, name, *allowed):
    w = Watched(browser, allowed)
    try:
        yield w
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            w.page.screenshot(path=str(ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"),
                              full_page=True)
        raise
    finally:
        w.close()


# ----------------------------------------------------------------------------- static checks
class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)


@functools.lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset:
    p = _Ids()
    p.feed(path.read_text(encoding="utf-8"))
    return frozenset(p.ids)


def test_site_has_pages():
    assert "index.html" in PAGES and any(p.startswith("chapters/") for p in PAGES), PAGES


@pytest.mark.parametrize("page", PAGES)
def test_no_cdn_address_in_html(page):
    text = (SITE / page).read_text(encoding="utf-8")
    assert not [h for h in CDN_HOSTS if h in text], f"{page} names a CDN"
    # no resource (script, style, image, frame) loaded from another host
    remote = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"', text)
    remote += [h for tag, h in re.findall(r'<(link)\b[^>]*\bhref="(https?://[^"]+)"', text)]
    assert not remote, f"{page} loads {remote}"


@pytest.mark.parametrize("page", PAGES)
def test_page_offline_in_chromium(browser, site_origin, page):
    with watched(browser, page, site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        pg.wait_for_load_state("networkidle")
        # math: every math element typeset by the shipped MathJax, no MathJax error
        n_math = pg.evaluate("document.querySelectorAll('span.math, div.math').length")
        if n_math:
            pg.wait_for_function(
                "[...document.querySelectorAll('span.math, div.math')]"
                ".every(e => e.querySelector('mjx-container'))", timeout=30_000)
            assert pg.evaluate("document.querySelectorAll('mjx-merror').length") == 0
        # saved widget state rendered by the shipped widget manager
        n_views = pg.evaluate(f"document.querySelectorAll('script[type=\"{WIDGET_VIEW}\"]').length")
        if n_views:
            pg.wait_for_function(
                f"[...document.querySelectorAll('script[type=\"{WIDGET_VIEW}\"]')].every("
                "s => s.parentElement.querySelector('.jupyter-widgets'))", timeout=30_000)
            assert pg.evaluate("document.querySelectorAll('.jupyter-widgets-error-widget').length") == 0
        # images decoded and described
        pg.wait_for_function("[...document.images].every(i => i.complete)")
        images = pg.evaluate("[...document.images].map(i => [i.currentSrc || i.src, i.naturalWidth,"
                             " i.getAttribute('alt')])")
        assert [src for src, width, _ in images if width == 0] == [], "images not decoded"
        assert [src for src, _, alt in images if not (alt or "").strip()] == [], "images without alt"
        # internal links resolve: file exists, and its #anchor too
        hrefs = pg.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        broken = []
        for href in hrefs:
            u = urlsplit(href)
            if f"{u.scheme}://{u.netloc}" != site_origin:
                continue
            target = SITE / unquote(u.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(href)
            elif u.fragment and target.suffix == ".html" and unquote(u.fragment) not in _ids(target):
                broken.append(href)
        assert broken == [], f"broken internal links on {page}"
        assert w.blocked == [], f"{page} tried to reach the network"
        assert w.problems == [], f"{page}: " + "; ".join(w.problems)


def test_figures_are_opaque_for_dark_mode():
    """Figure PNGs carry their own white background: readable in the dark theme too."""
    from PIL import Image
    pngs = sorted((SITE / "_images").glob("*.png"))
    assert pngs, "no figures in the site"
    see_through = []
    for p in pngs:
        with Image.open(p) as im:
            if im.mode in ("RGBA", "LA") or "transparency" in im.info:
                alpha = np.asarray(im.convert("RGBA"))[..., 3]
                if alpha.min() < 255:
                    see_through.append(p.name)
    assert see_through == []


# ----------------------------------------------------------------------------- controls
def _pages_with(marker):
    return [p for p in PAGES if marker in (SITE / p).read_text(encoding="utf-8")]


def _sum_value(text):
    m = SUM_RE.search(" ".join(text.split()))
    assert m, f"no 'output[i, j] = ... = VALUE' in {text!r}"
    return int(m.group(1)), int(m.group(2)), float(m.group(3))


def _assert_sum_adds_up(text):
    """The written-out sum 'a×b + c×d = V' must add up: the page computes what it says."""
    m = re.search(r"= (.*) = (-?[0-9][0-9.]*)\s*$", " ".join(text.split()))
    assert m, f"no sum in {text!r}"
    terms = [t.split("×") for t in m.group(1).split(" + ") if "×" in t]
    total = sum(float(a) * float(b) for a, b in terms)
    assert total == pytest.approx(float(m.group(2)), abs=0.02 * max(len(terms), 1) + 1e-9), text


SWEEP_PAGES = [p for p in _pages_with('class="cnn-sweep"')
               if 'type="range"' in (SITE / p).read_text(encoding="utf-8")]


def test_every_part_i_and_ii_chapter_has_a_kernel_free_sweep():
    chapters = {p.split("/")[-1][:2] for p in SWEEP_PAGES}
    assert {"02", "03", "04", "05", "06", "07", "09"} <= chapters, sorted(SWEEP_PAGES)


@pytest.mark.parametrize("page", SWEEP_PAGES)
def test_kernel_free_control_changes_the_page(browser, site_origin, page):
    with watched(browser, f"control-{page}", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        players = pg.locator(".cnn-sweep:has(input[type=range])")
        assert players.count() >= 1
        for i in range(players.count()):
            player = players.nth(i)
            player.scroll_into_view_if_needed()
            before = _sum_value(player.locator(".sum").first.inner_text())
            assert before[:2] == (0, 0)
            slider = player.locator("input[type=range]")
            assert slider.get_attribute("aria-label"), "slider has no accessible name"
            slider.focus()  # keyboard only
            pg.keyboard.press("ArrowRight")
            pg.keyboard.press("ArrowRight")
            text = player.locator(".sum").first.inner_text()
            after = _sum_value(text)
            assert after[:2] != before[:2], "the window did not move"
            _assert_sum_adds_up(text)
            assert player.locator("table.out td.cur").count() >= 1
            assert player.locator(".pos").inner_text().startswith("3 /")
        # the Play button works from the keyboard as well
        button = players.first.locator("button")
        button.focus()
        pg.keyboard.press("Enter")
        pg.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'",
                             arg=button.element_handle())
        assert w.problems == [] and w.blocked == []


LIVE_CHAPTER = ROOT / "chapters" / "03_case2_pair_of_weights.ipynb"


FORM_PAGES = [p for p in PAGES if p.startswith("chapters/") and re.search(
    r'<select aria-label|<select name="[^"]*" aria-label|<input type="number"',
    (SITE / p).read_text(encoding="utf-8"))]


def test_every_part_ii_control_page_is_covered():
    chapters = {p.split("/")[-1][:2] for p in FORM_PAGES}
    assert {"08", "09", "10", "11", "12"} <= chapters, FORM_PAGES


@pytest.mark.parametrize("page", FORM_PAGES)
def test_kernel_free_form_controls_change_the_page(browser, site_origin, page):
    """Menus and number boxes that run in the page (no kernel): each one, used with the
    keyboard, changes what its output area shows."""
    with watched(browser, f"form-{page}", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        controls = pg.locator(".cell_output select[aria-label], "
                              ".cell_output input[type=number][aria-label]")
        assert controls.count() >= 1
        for i in range(controls.count()):
            control = controls.nth(i)
            control.scroll_into_view_if_needed()
            area = control.locator("xpath=ancestor::div[contains(@class,'cell_output')][1]")
            before = area.inner_html()
            control.focus()
            tag = control.evaluate("e => e.tagName")
            pg.keyboard.press("ArrowDown" if tag == "SELECT" else "ArrowUp")
            if tag != "SELECT":
                control.dispatch_event("change")
            pg.wait_for_function("([el, t]) => el.innerHTML !== t",
                                 arg=[area.element_handle(), before], timeout=5_000)
        assert w.problems == [] and w.blocked == []


def _live_target():
    """(notebook, html page) of the Part I chapter whose live sweep_widget the tests drive."""
    assert "sweep_widget(" in LIVE_CHAPTER.read_text(encoding="utf-8"), LIVE_CHAPTER
    return LIVE_CHAPTER, LIVE_CHAPTER.relative_to(ROOT).with_suffix(".html").as_posix()


def _move_and_read(pg, scope):
    """Move the first live slider in ``scope`` with the keyboard; return the two numbers."""
    sum_box = scope.locator(".cnn-sweep .sum").first
    sum_box.wait_for(state="visible", timeout=60_000)
    pg.wait_for_function("el => / = .* = /.test(el.innerText)", arg=sum_box.element_handle(),
                         timeout=60_000)
    before = _sum_value(sum_box.inner_text())
    handle = scope.locator("[role=slider], .widget-slider .noUi-handle").first
    handle.focus()
    pg.keyboard.press("ArrowRight")
    # the widget re-renders its whole HTML, so query the sum afresh from the output area
    pg.wait_for_function(
        "([el, t]) => { const s = el.querySelector('.cnn-sweep .sum');"
        " return s && s.innerText.replace(/\\s+/g, ' ').trim() !== t; }",
        arg=[scope.element_handle(), " ".join(sum_box.inner_text().split())],
        timeout=150_000)  # the kernel may still be running later cells
    return before, _sum_value(scope.locator(".cnn-sweep .sum").first.inner_text())


def test_live_code_on_page_against_local_server(browser, site_origin):
    nb, page = _live_target()
    with jupyter("server", origin=site_origin) as (url, token):
        with watched(browser, f"livecode-{page}", site_origin, url) as w:
            pg = w.page
            pg.goto(f"{site_origin}/{page}?livecode=local#url={url}&token={token}")
            assert token not in pg.url, "token left in the address bar"
            # committed text output of the first code cell that has one (index among code cells)
            code_cells = pg.locator(".cell:has(.cell_input pre)")
            texts = [" ".join(t.split()) if t else "" for t in code_cells.evaluate_all(
                "cs => cs.map(c => { const o = c.querySelector('.cell_output .output.text_plain');"
                " const src = c.querySelector('.cell_input pre').innerText;"
                " return o && !src.includes('glue') ? o.innerText : ''; })")]
            first = next(i for i, t in enumerate(texts) if t)
            pg.click(".dropdown-launch-buttons .dropdown-toggle")
            pg.click(".dropdown-launch-buttons button:has-text('Live Code')")
            pg.wait_for_function(
                "document.documentElement.getAttribute('data-livecode-status') === 'ready'",
                timeout=90_000)
            # run every cell from the one with the live slider
            cells = pg.locator(".cell:has(.thebe-cell)")
            widget_cell = pg.locator(".cell:has(.thebe-cell:has-text('sweep_widget('))").first
            widget_cell.locator(".thebe-runall-button").click()
            # Thebe renders outputs into the cell's output box as JupyterLab output areas:
            # the first text output, recomputed by the kernel, equals the committed one
            # (glue outputs of the same cell render empty, so look at all of its outputs)
            live_out = cells.nth(first).locator(".cell_output .jp-OutputArea-output")
            live_out.first.wait_for(timeout=90_000)
            try:
                pg.wait_for_function(
                    "([el, want]) => el.innerText.replace(/\\s+/g, ' ').includes(want)",
                    arg=[cells.nth(first).locator(".cell_output").element_handle(), texts[first]],
                    timeout=90_000)
            except Exception:
                got = cells.nth(first).locator(".cell_output").inner_text()
                src = cells.nth(first).inner_text()
                raise AssertionError(f"cell {first}: want {texts[first]!r}, got {got!r}; cell {src[:300]!r}")
            # the kernel's widget (Thebe's output area), not the saved static copy
            live = widget_cell.locator(".jp-OutputArea-output:has(.widget-slider)").last
            live.wait_for(timeout=90_000)
            before, after = _move_and_read(pg, live)
            assert before[:2] == (0, 0) and after[:2] != (0, 0)
            _assert_sum_adds_up(live.locator(".cnn-sweep .sum").first.inner_text())
            assert w.blocked == []
            assert [p for p in w.problems if "favicon" not in p] == []


def test_jupyterlab_slider_changes_the_number(browser):
    nb, _ = _live_target()
    rel = nb.relative_to(ROOT).as_posix()
    with jupyter("lab") as (url, token):
        with watched(browser, f"lab-{nb.stem}", url) as w:
            pg = w.page
            pg.goto(f"{url}/lab/tree/{rel}?token={token}&reset")
            pg.locator(".jp-Notebook").first.wait_for(timeout=90_000)
            # JupyterLab may ask which kernel to use: take the preferred one
            with contextlib.suppress(Exception):
                pg.locator(".jp-Dialog button:has-text('Select')").click(timeout=8_000)
            pg.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
                state="attached", timeout=90_000)
            pg.click("li.lm-MenuBar-item:has-text('Run')")
            pg.click("li.lm-Menu-item:has-text('Run All Cells')")
            out = pg.locator(".jp-OutputArea-output:has(.widget-slider)").last
            out.wait_for(timeout=120_000)
            out.scroll_into_view_if_needed()
            before, after = _move_and_read(pg, out)
            assert after[:2] != before[:2] and after[2] != before[2], (before, after)
            assert w.blocked == []

"""The built website in a real browser, offline: Debian's Chromium driven by Playwright.

Every page of the book (from ``_toc.yml``, plus the index and search pages) is served on
127.0.0.1 while every other request is blocked, and must load with no console error, no failed
request, its math typeset, its images decoded and described, its internal links resolving and
no CDN address in its HTML. Readers' checks on every page (axe-core light and dark in
tests/test_site_axe_browser.py; a 390 px phone and the 2.5 MB page weight in
tests/test_site_pages_browser.py, modules of their own so that pytest-xdist spreads them): no dead
control (no ipywidgets; every control on the page is of a kind in ``LIVE_CONTROLS``, whose
entry names the tests that drive it, here or in tests/test_explorer_browser.py); every exercise
answer box answers right and wrong from the keyboard. Then the interactive parts: a
kernel-free control changes the page; in JupyterLab a chapter's live slider recomputes its
number; live code on a page runs against a local Jupyter server. On failure a screenshot goes
to ``test-artifacts/``.

``make test`` builds the site (``-W``) before pytest; run alone, the session fixture ``site``
builds it when it is missing. Servers bind 127.0.0.1 and are stopped at the end.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import html
import html.parser
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
import yaml
from browser_support import free_port, jupyter, lab_running, watched

from benchmarks import bench_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SITE = bench_site.SITE
AXE = ROOT / "site" / "node_modules" / "axe-core" / "axe.min.js"
CDN_HOSTS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "ajax.googleapis.com",
             "fonts.googleapis.com", "fonts.gstatic.com", "cdn.mathjax.org", "code.jquery.com",
             "stackpath.bootstrapcdn.com", "cdn.plot.ly", "polyfill.io", "esm.sh")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SUM_RE = re.compile(r"\[(\d+), (\d+)\] = .*= (-?[0-9][0-9.]*)\s*$")
PHONE = 390  # px: the narrowest screen every page must fit


def _load_offline():
    """site/offline.py (the Sphinx extension) as a module, for its rules and constants."""
    spec = importlib.util.spec_from_file_location("cnn_site_offline", ROOT / "site" / "offline.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


OFFLINE = _load_offline()


def _toc_pages() -> list[str]:
    """The book's pages as HTML paths, from _toc.yml (known before anything is built)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [f"{f}.html" for f in files]


READER_PAGES = _toc_pages() + ["genindex.html", "search.html"]
PAGES = ["index.html"] + READER_PAGES  # index.html: the redirect to the first page
CHAPTER_PAGES = [p for p in READER_PAGES if p.startswith("chapters/")]


def _notebook(page: str) -> Path:
    return ROOT / Path(page).with_suffix(".ipynb")


@pytest.fixture(scope="session")
def site(built_site):
    """The built site (tests/conftest.py builds it when ``make test`` has not already)."""
    missing = [p for p in PAGES if not (SITE / p).is_file()]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"
    return SITE


def _html(page: str) -> str:
    return (SITE / page).read_text(encoding="utf-8")


PDF_DIR = SITE / OFFLINE.PDF_DIR
BOOK_PDF = PDF_DIR / OFFLINE.BOOK_PDF


@pytest.fixture(scope="session")
def pdfs(site):
    """The book's PDFs (``make pdf``: site/pdf.py), printed here when missing or older than
    the site they are printed from."""
    chapters = [PDF_DIR / (Path(p).stem + ".pdf") for p in CHAPTER_PAGES]
    built = (SITE / "intro.html").stat().st_mtime
    if not all(p.is_file() and p.stat().st_mtime >= built for p in [BOOK_PDF, *chapters]):
        subprocess.run([sys.executable, str(ROOT / "site" / "pdf.py"), "--site", str(SITE)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return BOOK_PDF, chapters



# ----------------------------------------------------------------------------- static checks
class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("id", "name") and v:
                self.ids.add(v)


@functools.cache
def _ids(path: Path) -> frozenset:
    p = _Ids()
    p.feed(path.read_text(encoding="utf-8"))
    return frozenset(p.ids)


def test_site_has_pages(site):
    assert "index.html" in PAGES and any(p.startswith("chapters/") for p in PAGES), PAGES


@pytest.mark.parametrize("page", PAGES)
def test_no_cdn_address_in_html(site, page):
    text = (SITE / page).read_text(encoding="utf-8")
    assert not [h for h in CDN_HOSTS if h in text], f"{page} names a CDN"
    # no resource (script, style, image, frame) loaded from another host
    remote = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"', text)
    remote += [h for tag, h in re.findall(r'<(link)\b[^>]*\bhref="(https?://[^"]+)"', text)]
    assert not remote, f"{page} loads {remote}"


@pytest.mark.parametrize("page", PAGES)
def test_page_offline_in_chromium(browser, site_origin, pdfs, page):
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
            # screen readers read each formula's hidden MathML (MathJax's a11y/assistive-mml)
            assert pg.evaluate("[...document.querySelectorAll('mjx-container')].every(c =>"
                               " c.querySelector(':scope > mjx-assistive-mml > math'))")
        _assert_no_dead_controls(pg, page)
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
            missing_id = u.fragment and target.suffix == ".html" and unquote(u.fragment) not in _ids(target)
            if not target.is_file() or missing_id:
                broken.append(href)
        assert broken == [], f"broken internal links on {page}"
        assert w.blocked == [], f"{page} tried to reach the network"
        assert w.problems == [], f"{page}: " + "; ".join(w.problems)


def test_mathjax_only_where_there_is_math(site):
    """Pages with math load MathJax's loader (startup.js) with the book's components and TeX
    packages, and nothing of the combined tex-chtml.js or the contextual menu; pages
    without math load no MathJax at all. (Typesetting itself: test_page_offline_in_chromium.)"""
    with_math = 0
    for page in READER_PAGES:
        text = _html(page)
        has_math = bool(re.search(r'class="math[ "]', text))
        config = re.search(r"<script>window\.MathJax = (\{.*?\})</script>", text)
        assert (OFFLINE.MATHJAX_SCRIPT in text) == has_math == bool(config), page
        assert not re.search(r'<script[^>]*src="[^"]*(tex-chtml|ui/menu)', text), page
        if has_math:
            with_math += 1
            cfg = json.loads(config.group(1))
            assert cfg["loader"]["load"] == OFFLINE.MATHJAX_COMPONENTS, page
            assert cfg["tex"]["packages"] == OFFLINE.MATHJAX_TEX_PACKAGES, page
    assert with_math >= 10, with_math
    shipped = SITE / "_static" / "vendor" / "mathjax"
    assert not (shipped / "ui").exists() and not (shipped / "tex-chtml.js").exists()


def test_mathjax_config_keeps_what_others_set():
    given = {"options": {"processHtmlClass": "math"}, "tex": {"packages": ["color"]},
             "loader": {"load": ["[tex]/color"]}}
    cfg = OFFLINE.mathjax_config(given)
    assert cfg["options"] == {"processHtmlClass": "math"}
    assert cfg["tex"]["packages"] == [*OFFLINE.MATHJAX_TEX_PACKAGES, "color"]
    assert cfg["loader"]["load"] == ["[tex]/color", *OFFLINE.MATHJAX_COMPONENTS]
    assert given["tex"]["packages"] == ["color"], "the given configuration was changed"
    assert OFFLINE.mathjax_config(None)["loader"]["load"] == OFFLINE.MATHJAX_COMPONENTS


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


# ----------------------------------------------------------------------------- readers' checks
class Control(NamedTuple):
    """A kind of kernel-free control: what it is on a page, and the tests that drive it
    (``"module::test"`` in tests/)."""

    selector: str
    driven_by: tuple[str, ...]


# Every control in a cell's output is one of these kinds (test_page_offline_in_chromium), and
# each kind is driven by the tests it names (test_every_control_kind_is_driven_by_its_tests).
LIVE_CONTROLS = {
    "sweep slider and Play": Control(
        ".cnn-sweep:not(.cnn-flat) :is(input[type=range], button)",
        ("test_site_browser::test_kernel_free_control_changes_the_page",)),
    "flattening slider and Play": Control(
        ".cnn-flat :is(input[type=range], button)",
        ("test_site_browser::test_flattening_player_follows_the_keyboard",)),
    "typed weights": Control(
        ".cnn-sweep form.weights input[name=w]",
        ("test_site_browser::test_typed_weights_recompute_the_sweep",)),
    "menu or number box": Control(
        ".cell_output select[aria-label], .cell_output input[type=number][aria-label]",
        ("test_site_browser::test_kernel_free_form_controls_change_the_page",)),
    "answer box": Control(
        "form.cnn-exercise :is(input, button)",
        ("test_site_browser::test_answer_boxes_by_keyboard",)),
    "explorer Clear and Undo": Control(
        ".digit-explorer :is(.dx-clear, .dx-undo)",
        ("test_explorer_browser::test_drawn_vertical_bar_reads_1",)),
    "explorer test-digit list": Control(
        ".digit-explorer .dx-select",
        ("test_explorer_browser::test_five_shipped_digits_read_what_keras_reads",
         "test_explorer_browser::test_keyboard_only")),
    "explorer image upload": Control(
        ".digit-explorer .dx-file",
        ("test_explorer_browser::test_uploaded_png_reads_what_python_reads",)),
    "explorer feature-map cells": Control(
        ".digit-explorer .dx-map",
        ("test_explorer_browser::test_clicked_cell_arithmetic_equals_the_maps_value",
         "test_explorer_browser::test_keyboard_only")),
    "explorer epoch slider": Control(
        ".digit-explorer .dx-epoch",
        ("test_explorer_browser::test_keyboard_only",)),
}


def _test_source(ref: str) -> str:
    """The source of the test function ``"module::name"`` of tests/ (read, not imported)."""
    module, name = ref.split("::")
    path = ROOT / "tests" / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(text, node)
    raise AssertionError(f"{ref}: no such test in {path}")


def test_every_control_kind_is_driven_by_its_tests():
    """Each kind of control names tests that exist and that drive it: a test's code uses the
    kind's registry entry, or names every class its selector names (outside ``:not()``)."""
    for kind, control in LIVE_CONTROLS.items():
        assert control.driven_by, kind
        classes = set(re.findall(r"\.([A-Za-z][\w-]*)", re.sub(r":not\([^)]*\)", "", control.selector)))
        for ref in control.driven_by:
            assert ref.split("::")[1].startswith("test_"), ref
            source = _test_source(ref)
            uses_entry = f'LIVE_CONTROLS["{kind}"]' in source
            missing = sorted(c for c in classes if c not in source)
            assert uses_entry or (classes and not missing), (kind, ref, missing)


def _assert_no_dead_controls(pg, page):
    """No ipywidgets (no view, no saved state, no widget manager), and every control in the
    page's outputs is a kernel-free one that a test drives."""
    assert pg.evaluate(f"document.querySelectorAll('script[type=\"{WIDGET_VIEW}\"], "
                       f"script[type=\"{WIDGET_STATE}\"], .jupyter-widgets').length") == 0
    loaded = pg.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [u for u in loaded if "html-manager" in u or "embed-amd" in u], loaded
    known = ", ".join(c.selector for c in LIVE_CONTROLS.values())
    dead = pg.evaluate(
        "known => [...document.querySelectorAll('.cell_output :is(input, select, textarea, "
        "button:not(.copybtn), [role=slider], [contenteditable])')].filter(e => !e.matches(known))"
        ".map(e => e.outerHTML.slice(0, 160))", known)
    assert dead == [], f"{page}: controls no test drives: {dead}"
    # each ipywidgets output says where it runs instead
    nb = _notebook(page)
    if nb.is_file():
        views = sum(WIDGET_VIEW in o.get("data", {}) for c in json.loads(nb.read_text())["cells"]
                    for o in c.get("outputs", []))
        lines = pg.locator("p.cnn-live-only").all_inner_texts()
        assert lines == [OFFLINE.LIVE_ONLY] * views, (page, views, lines)


@functools.lru_cache(maxsize=1)
def _axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix site` (axe-core is pinned there)"
    return AXE.read_text(encoding="utf-8")


def _typed(values) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _exercise_keys(nb: Path) -> list[str]:
    """The reader cells ``check_answer("key", None)`` of a notebook, in order."""
    if not nb.is_file():
        return []
    keys = []
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            keys += [m.group("key") for m in OFFLINE.CHECK_RE.finditer("".join(cell["source"]))]
    return keys


def test_answer_boxes_carry_the_registry(site):
    """Each reader cell check_answer("key", None) became an answer box on its page, and the
    box's data is what helpers.exercises exports for that key today (one source)."""
    from helpers.exercises import answer_spec

    total = 0
    for page in CHAPTER_PAGES:
        found = [json.loads(html.unescape(m)) for m in
                 re.findall(r'<form class="cnn-exercise"[^>]*data-exercise="([^"]*)"', _html(page))]
        assert [f["key"] for f in found] == _exercise_keys(_notebook(page)), page
        for spec in found:
            assert spec == json.loads(json.dumps(answer_spec(spec["key"]))), (page, spec["key"])
        total += len(found)
    assert total >= 15, "too few answer boxes: are the reader cells check_answer(key, None)?"


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_answer_boxes_by_keyboard(browser, site_origin, page):
    """Type a wrong answer and press Enter: "Not quite" and the hint; type the right one
    (from the registry) and press Enter, then Tab to Check and press Enter: "Correct."."""
    from helpers.exercises import answer_spec

    keys = _exercise_keys(_notebook(page))
    with watched(browser, f"exercises-{page}", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        boxes = pg.locator("form.cnn-exercise[data-ready=true]")
        assert boxes.count() == len(keys)
        for i, key in enumerate(keys):
            box, spec = boxes.nth(i), answer_spec(key)
            box.scroll_into_view_if_needed()
            result = box.locator("[role=status][aria-live=polite]")
            if spec["kind"] == "choice":
                right = spec["options"].index(spec["expected"])
                wrong = (right + 1) % len(spec["options"])
                attempts = [(wrong, "Not quite"), (right, "Correct.")]
                for index, verdict in attempts:
                    box.locator("input[type=radio]").nth(index).focus()
                    pg.keyboard.press("Space")
                    pg.keyboard.press("Enter")
                    assert result.inner_text().startswith(verdict), (key, result.inner_text())
                continue
            field = box.locator("input[name=answer]")
            assert field.evaluate("e => e.labels.length === 1 && e.labels[0].innerText.length > 0")
            if spec["kind"] == "number":
                right = _typed(spec["expected"])
                wrong = _typed([v + 1 + abs(v) for v in spec["expected"]])
            else:
                right, wrong = spec["expected"], spec["expected"] + " not"
            field.focus()
            pg.keyboard.type(wrong)
            pg.keyboard.press("Enter")
            text = result.inner_text()
            assert text.startswith("Not quite") and spec["hint"] in text, (key, text)
            assert field.get_attribute("aria-invalid") == "true"
            field.fill("")
            field.focus()
            pg.keyboard.type(right)
            pg.keyboard.press("Enter")
            assert result.inner_text() == f"Correct. {spec['why']}", key
            pg.keyboard.press("Tab")  # the Check button, then Enter on it
            assert pg.evaluate("document.activeElement.textContent") == "Check"
            pg.keyboard.press("Enter")
            assert result.inner_text().startswith("Correct."), key
        assert w.problems == [] and w.blocked == []


def _launch_links(page: str) -> list[str]:
    menu = re.search(r'dropdown-launch-buttons.*?</ul>', _html(page), re.S)
    return re.findall(r'href="([^"]+)"', menu.group(0)) if menu else []


def test_launch_menu_from_the_one_repository_setting(site):
    """Every launch URL (Binder, Colab, JupyterHub when set, live code) is built from
    _config.yml's repository.url; no JupyterHub entry while no hub is configured; the Colab
    set-up cells clone the same repository."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].rstrip("/")
    org_repo = repo.split("github.com/")[-1]
    hub = (config["launch_buttons"].get("jupyterhub_url") or "").strip()
    for page in CHAPTER_PAGES:
        links = _launch_links(page)
        assert links, f"{page} has no launch menu"
        for link in links:
            assert org_repo in unquote(link), (page, link)
        assert any("mybinder.org" in u for u in links) and any("colab" in u for u in links)
        assert any("git-pull" in u for u in links) == bool(hub), (page, links)
        assert not [u for u in links if OFFLINE.is_placeholder(u)], (page, links)
        live = re.search(r"window\.CNN_LIVECODE = (\{.*?\});", _html(page))
        assert live and json.loads(live.group(1))["repo"] == org_repo, page
        clone = re.findall(r'git", "clone"[^\]]*"(https://[^"\\]+)"', _notebook(page).read_text())
        assert set(clone) <= {repo}, (page, clone)


def test_placeholder_launch_settings_warn():
    """A placeholder hub or repository is reported (a warning: the -W build fails) and the
    placeholder hub is left out of the menu; real settings pass silently."""
    opts = {"repository_url": "https://github.com/cnns-demystified/cnns-demystified",
            "launch_buttons": {"binderhub_url": "https://mybinder.org",
                               "jupyterhub_url": "https://hub.example.org"}}
    problems = OFFLINE.check_launch_settings(opts)
    assert len(problems) == 1 and "jupyterhub_url" in problems[0]
    assert opts["launch_buttons"]["jupyterhub_url"] == ""
    assert OFFLINE.check_launch_settings(opts) == []
    bad_repo = {"repository_url": "https://github.com/<your-org>/<repo>", "launch_buttons": {}}
    assert "repository.url" in OFFLINE.check_launch_settings(bad_repo)[0]
    assert not OFFLINE.is_placeholder("https://jupyter.university.edu")


def _page_title(page: str) -> str:
    article = _html(page).split('<article class="bd-article">', 1)[1]
    h1 = re.search(r"<h1>(.*?)</h1>", article, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", h1)).strip().rstrip("#").strip()


def _pdftext(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils (.ci/run does)")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return " ".join(out.stdout.split())


def _outline_top(path: Path) -> list[str]:
    """Top-level PDF bookmarks (poppler's pdftohtml -xml lists the outline)."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(path)],
                         capture_output=True, text=True, check=True).stdout
    outline = xml[xml.index("<outline>") + len("<outline>"):] if "<outline>" in xml else ""
    top, depth = [], 0
    for m in re.finditer(r"<(/?)(outline|item)[^>]*>([^<]*)", outline):
        closing, kind, text = m.groups()
        if kind == "outline":
            depth += -1 if closing else 1
            if depth < 0:
                break
        elif not closing and depth == 0:
            top.append(html.unescape(text).strip())
    return top


def test_book_pdf_one_section_per_chapter(pdfs):
    """make pdf: one PDF with a contents page and one outline section per page of _toc.yml,
    in order; its text has every chapter title, the corrected stride-2 value 851, the
    static state of the controls and no raw TeX; the site links it."""
    book, _ = pdfs
    titles = [_page_title(p) for p in _toc_pages()]
    top = _outline_top(book)
    assert len(top) == len(titles) + 1 and top[0] == "Contents", top
    for title, entry in zip(titles, top[1:]):
        # Chromium's tagged outline may repeat the first line of a heading in its bookmark
        assert "".join(entry.split()).endswith("".join(title.split())), (title, entry)
    text = _pdftext(book)
    for title in titles:
        assert " ".join(title.split()) in text, title
    assert re.search(r"\b851\b", text)
    assert OFFLINE.LIVE_ONLY.split(":")[0] in text  # each ipywidgets control, as its note
    assert "Your answer" in text  # the answer boxes
    assert not re.search(r"\\\(|\\frac|\\times|\$\$", text), "raw TeX in the PDF"
    images = subprocess.run(["pdfimages", "-list", str(book)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    site_images = {m for p in READER_PAGES
                   for m in re.findall(r'<img[^>]+src="([^"]+_images/[^"]+)"', _html(p))}
    assert len(images) >= len({Path(m).name for m in site_images}), "figures missing from the PDF"
    for page in _toc_pages():  # every page with a download menu
        assert f'{OFFLINE.PDF_DIR}/{OFFLINE.BOOK_PDF}"' in _html(page), f"{page} does not link the PDF"


def test_chapter_pdfs(pdfs):
    """Each chapter alone: its own PDF, linked from its page, with its title and figures."""
    _, chapters = pdfs
    for page, pdf in zip(CHAPTER_PAGES, chapters):
        assert pdf.stat().st_size > 10_000, pdf
        assert " ".join(_page_title(page).split()) in _pdftext(pdf), pdf
        assert f'{OFFLINE.PDF_DIR}/{pdf.name}"' in _html(page), f"{page} does not link {pdf.name}"


def test_search_snippets_read_as_text(browser, site_origin):
    """Search results quote the pages as a reader reads them: formulas as plain text (no raw
    TeX), no header-button labels (".ipynb", ".pdf"), not the page's contents list. Words
    that sit next to formulas in the chapters ("kernel" finds raw TeX without the fix)."""
    with watched(browser, "search", site_origin) as w:
        pg = w.page
        for query in ("kernel", "pixel", "stride", "weights"):
            pg.goto(f"{site_origin}/search.html?q={query}", wait_until="load")
            pg.wait_for_function("document.querySelectorAll('#search-results li p.context')"
                                 ".length >= 3", timeout=60_000)
            pg.wait_for_load_state("networkidle")
            snippets = pg.locator("#search-results li p.context").all_inner_texts()
            raw = [s for s in snippets if re.search(r"\\[A-Za-z,;(\[]|[_^]\{|\$", s)]
            assert raw == [], (query, raw)
            assert not [s for s in snippets if re.search(r"\.(pdf|ipynb)\b|^\W*Contents", s)], snippets
        assert w.problems == [] and w.blocked == []


# ----------------------------------------------------------------------------- controls


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


def _has_sweep(page):
    text = _html(page)
    return 'class="cnn-sweep"' in text and 'type="range"' in text


def test_every_part_i_and_ii_chapter_has_a_kernel_free_sweep(site):
    chapters = {p.split("/")[-1][:2] for p in CHAPTER_PAGES if _has_sweep(p)}
    assert {"02", "03", "04", "05", "06", "07", "09"} <= chapters, sorted(chapters)


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_kernel_free_control_changes_the_page(browser, site_origin, page):
    with watched(browser, f"control-{page}", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        players = pg.locator(".cnn-sweep:not(.cnn-flat):has(input[type=range])")
        assert (players.count() >= 1) == _has_sweep(page)
        if not players.count():
            return
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
        _play_advances(pg, players.first)
        assert w.problems == [] and w.blocked == []


def _play_advances(pg, player):
    """Enter on the player's Play button: it is pressed and the frame moves on by itself;
    Enter again pauses it."""
    button, pos = player.locator(".controls button"), player.locator(".pos")
    before = pos.inner_text()
    button.focus()
    pg.keyboard.press("Enter")
    pg.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'",
                         arg=button.element_handle())
    pg.wait_for_function("([el, t]) => el.textContent !== t", arg=[pos.element_handle(), before],
                         timeout=10_000)
    pg.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "false" and button.inner_text() == "Play"


@contextlib.contextmanager
def _player_on(browser, site_origin, page, selector, name):
    """The watched ``page`` of the site with its first ``selector`` control scrolled into view."""
    with watched(browser, f"{name}-{page}", site_origin) as w:
        w.page.goto(f"{site_origin}/{page}", wait_until="load")
        player = w.page.locator(selector).first
        player.scroll_into_view_if_needed()
        yield w, player


def test_typed_weights_recompute_the_sweep(browser, site_origin):
    """ch03 invites readers to change the two weights: in the page player they type them, and
    every output cell and the written-out sum follow (the same numbers as helpers.ops)."""
    from helpers import ops
    from helpers.fmt import fmt_number

    pages = [p for p in CHAPTER_PAGES if 'class="weights"' in _html(p)]
    assert "chapters/03_case2_pair_of_weights.html" in pages, pages
    for page in pages:
        with _player_on(browser, site_origin, page, ".cnn-sweep:has(form.weights)", "weights") as (w, player):
            pg = w.page
            D = json.loads(player.get_attribute("data-cnn"))
            boxes = player.locator("form.weights input[name=w]")
            assert boxes.count() == np.asarray(D["k"]).size
            typed = (np.arange(boxes.count()) * 1.5 - 2).tolist()  # -2, -0.5, 1, ...
            for i, v in enumerate(typed):
                boxes.nth(i).focus()
                pg.keyboard.press("Control+A")
                pg.keyboard.type(fmt_number(v))
            kernel = np.reshape(typed, np.shape(D["k"]))
            want = ops.conv2d(np.asarray(D["x"], float), kernel, (D["sh"], D["sw"]))
            cells = player.locator("table.out td")
            got = {(int(c.get_attribute("data-r")), int(c.get_attribute("data-c"))): c.inner_text()
                   for c in cells.all()}
            assert got == {(r, c): fmt_number(v) for (r, c), v in np.ndenumerate(want)}
            text = player.locator(".sum").first.inner_text()
            _assert_sum_adds_up(text)
            assert text.startswith("output[0, 0]") and text.endswith(f"= {fmt_number(want[0, 0])}")
            slider = player.locator("input[type=range]")
            slider.focus()
            pg.keyboard.press("ArrowRight")
            _assert_sum_adds_up(player.locator(".sum").first.inner_text())
            assert w.problems == [] and w.blocked == []


def test_flattening_player_follows_the_keyboard(browser, site_origin):
    """ch01's flattening explorer: each arrow key moves both orders' highlighted value and
    the pixel each one takes, and the sentence says which."""
    pages = [p for p in CHAPTER_PAGES if 'class="cnn-sweep cnn-flat"' in _html(p)]
    assert pages, "no page has the flattening explorer"
    for page in pages:
        with _player_on(browser, site_origin, page, ".cnn-flat", "flatten") as (w, player):
            pg = w.page
            slider = player.locator("input[type=range]")
            assert slider.get_attribute("aria-label")
            slider.focus()
            for step in (1, 2, 3):
                pg.keyboard.press("ArrowRight")
                text = player.locator(".arith").inner_text()
                assert text.startswith(f"value {step}:"), text
                assert player.locator(f".flat.order-rm span.rm[data-k='{step}']").count() == 1
                assert player.locator(f".flat.order-cm span.cm[data-k='{step}']").count() == 1
                assert player.locator("table.in td.rm").count() == 1
            # both rows laid out by the image's shape: one image row / column per line
            h, wd = (player.locator("table.in tr").count(),
                     player.locator("table.in tr").first.locator("td").count())
            for order, run in (("rm", wd), ("cm", h)):
                lines = player.locator(f".flat.order-{order} span").evaluate_all(
                    "spans => { const tops = {}; spans.forEach(s => {"
                    " tops[s.offsetTop] = (tops[s.offsetTop] || 0) + 1; }); return Object.values(tops); }")
                assert lines == [run] * (h * wd // run), (order, lines)
            _play_advances(pg, player)
            assert w.problems == [] and w.blocked == []


LIVE_CHAPTER = ROOT / "chapters" / "03_case2_pair_of_weights.ipynb"


FORM_RE = re.compile(r'<select aria-label|<select name="[^"]*" aria-label|<input type="number"')


def test_every_part_ii_control_page_is_covered(site):
    chapters = {p.split("/")[-1][:2] for p in CHAPTER_PAGES if FORM_RE.search(_html(p))}
    assert {"08", "09", "10", "11", "12"} <= chapters, sorted(chapters)


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_kernel_free_form_controls_change_the_page(browser, site_origin, page):
    """Menus and number boxes that run in the page (no kernel): each one, used with the
    keyboard, changes what its output area shows."""
    with watched(browser, f"form-{page}", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        controls = pg.locator(LIVE_CONTROLS["menu or number box"].selector)
        assert (controls.count() >= 1) == bool(FORM_RE.search(_html(page)))
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
    _, page = _live_target()
    with jupyter("server", origin=site_origin) as (url, token), \
            watched(browser, f"livecode-{page}", site_origin, url) as w:
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
            raise AssertionError(
                f"cell {first}: want {texts[first]!r}, got {got!r}; cell {src[:300]!r}") from None
        # the kernel's widget (Thebe's output area), not the saved static copy
        live = widget_cell.locator(".jp-OutputArea-output:has(.widget-slider)").last
        live.wait_for(timeout=90_000)
        before, after = _move_and_read(pg, live)
        assert before[:2] == (0, 0) and after[:2] != (0, 0)
        _assert_sum_adds_up(live.locator(".cnn-sweep .sum").first.inner_text())
        assert w.blocked == []
        assert [p for p in w.problems if "favicon" not in p] == []


@pytest.mark.parametrize("server", ["local", "binder"])
def test_live_code_unreachable_kernel_restores_the_page(browser, site_origin, server):
    """Live Code with no kernel to reach (a local server that is not running; Binder while
    offline): the page returns to its rendered state - same text, no editor boxes, the
    kernel-free controls still work - with one line saying what happened."""
    _, page = _live_target()
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    query = f"?livecode=local#url={dead}&token=no-server" if server == "local" else "?livecode=binder"
    with watched(browser, f"livecode-offline-{server}", site_origin, dead) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}{query}", wait_until="load")
        article = pg.locator("article.bd-article")
        before = " ".join(article.inner_text().split())
        n_code = pg.locator(".cell_input pre").count()
        pg.click(".dropdown-launch-buttons .dropdown-toggle")
        pg.click(".dropdown-launch-buttons button:has-text('Live Code')")
        pg.wait_for_function("document.documentElement.getAttribute('data-livecode-status')"
                             " === 'failed'", timeout=90_000)
        assert pg.locator(".thebe-cell, [data-executable], [data-output], .CodeMirror").count() == 0
        assert pg.locator(".cell_input pre").count() == n_code
        message = pg.locator("#cnn-livecode-message[role=status]")
        assert message.count() == 1 and "\n" not in message.inner_text().strip()
        assert "could not reach a kernel" in message.inner_text()
        after = " ".join(article.inner_text().split())
        assert after.replace(" ".join(message.inner_text().split()), "").strip() == before
        player = pg.locator(".cnn-sweep:not(.cnn-flat):has(input[type=range])").first
        player.scroll_into_view_if_needed()
        first = _sum_value(player.locator(".sum").first.inner_text())
        player.locator("input[type=range]").focus()
        pg.keyboard.press("ArrowRight")
        assert _sum_value(player.locator(".sum").first.inner_text())[:2] != first[:2]
        # the only failures are the unreachable kernel's own requests
        assert all(re.search(r"net::ERR_|Lost connection to binder|Server not reachable", p)
                   for p in w.problems), w.problems
        assert all(u.startswith("https://mybinder.org/") for u in w.blocked), w.blocked


def test_jupyterlab_slider_changes_the_number(browser):
    nb, _ = _live_target()
    rel = nb.relative_to(ROOT).as_posix()
    with lab_running(browser, rel, f"lab-{nb.stem}") as w:
        pg = w.page
        out = pg.locator(".jp-OutputArea-output:has(.widget-slider)").last
        out.wait_for(timeout=120_000)
        out.scroll_into_view_if_needed()
        before, after = _move_and_read(pg, out)
        assert after[:2] != before[:2] and after[2] != before[2], (before, after)
        assert w.blocked == []

"""Every page of the built site, opened once in Debian's Chromium, offline, and checked as a
reader meets it. One visit per page runs every per-page check as a subtest of its own (a page
load per check made ``make test`` miss its five minutes):

* **1280 px, light, cold cache** - *offline*: no console error, failed or outside request,
  math typeset with its hidden MathML, images decoded and described (an alt text, not a file
  path), internal links and anchors resolving, no dead control; *axe light*: axe-core finds no
  critical or serious violation and nothing outside landmarks; *page weight*: at most 2.5 MB, counted as
  ``benchmarks/bench_site`` counts it; then the kernel-free controls used from the keyboard:
  *sweep players*, *menus and number boxes*, *answer boxes*.
* **the same page switched to dark** - *axe dark*, and no light HTML panel on the dark page.
* **the same page narrowed to a 390 px phone, dark** - nothing wider than the screen, no
  control wider than its column. (Narrowed, not reloaded: the layout is CSS media queries, no
  page code sizes itself at load, test_no_page_code_sizes_itself_at_load, and MathJax 3 does
  not break lines, so a page loaded at 390 px lays out as this one.)

index.html (the redirect to the first page) gets the offline checks only. On a failed check a
screenshot goes to test-artifacts/<check>-<page>.png.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import Watched
from site_support import (
    AXE_MS,
    BOOK_PDF,
    FORM_RE,
    LIVE_CONTROLS,
    PAGES,
    PDF_DIR,
    SITE,
    WIDGET_STATE,
    WIDGET_VIEW,
    assert_sum_adds_up,
    axe_source,
    chapter_pdfs,
    exercise_keys,
    has_sweep,
    html_of,
    notebook_of,
    play_advances,
    sum_value,
    typed_answer,
    undescribed,
)

from benchmarks import bench_site
from book.browser import settled

pytestmark = pytest.mark.browser

PHONE = 390  # px: the narrowest screen every page must fit
MATH = "span.math, div.math"


def pytest_generate_tests(metafunc):
    if metafunc.cls is not None and "page" in metafunc.fixturenames:
        metafunc.parametrize("page", metafunc.cls.pages)


class TestPagesOfPartI:
    """The visits in four parts, each a class: ``make test`` hands out test scopes (``--dist
    loadscope``: a class, or else a module, stays whole on one worker), so several workers
    visit the site at once."""

    pages = PAGES[: PAGES.index("chapters/07_convolution_layer.html")]

    def test_page_in_chromium(self, browser, site_origin, site, subtests, page):
        visit(browser, site_origin, subtests, page)


class TestPagesOfPartII(TestPagesOfPartI):
    pages = PAGES[
        PAGES.index("chapters/07_convolution_layer.html") : PAGES.index(
            "chapters/13_article_keras_model.html"
        )
    ]


class TestPagesOfPartIII(TestPagesOfPartI):
    pages = PAGES[
        PAGES.index("chapters/13_article_keras_model.html") : PAGES.index("chapters/17_classic_designs.html")
    ]


class TestPagesOfPartIVAndAfter(TestPagesOfPartI):
    pages = PAGES[PAGES.index("chapters/17_classic_designs.html") :]


# Code and text outputs wrap (site/codelines.py, static/site.css); the kernel-free controls and
# HTML tables may scroll in their own box.
CODE_AND_OUTPUT = "article div.highlight pre, article .cell_output .output:not(.text_html)"
CUT_OFF = (
    "sel => [...document.querySelectorAll(sel)].filter(e => e.scrollWidth > e.clientWidth + 1)"
    ".map(e => e.innerText.slice(0, 80))"
)


def visit(browser, site_origin, subtests, page):
    """One visit of ``page``, every check a subtest (the order matters: the weight is read
    before the controls are used, dark is switched on after them)."""
    w = Watched(browser, [site_origin])
    pg = w.page

    @contextlib.contextmanager
    def check(name):
        with subtests.test(msg=name):
            try:
                yield
            except BaseException:
                w.screenshot(f"{name.replace(' ', '-')}-{page}")
                raise

    try:
        with bench_site.recording_sizes(pg) as sizes:  # a new context: the cache is cold
            pg.goto(f"{site_origin}/{page}", wait_until="load")
            loaded_at = time.monotonic()
            pg.wait_for_load_state("networkidle")
            with check("offline"):
                check_offline(w, site_origin, page)
            if page == "index.html":
                return
            with check("axe light"):
                check_axe(pg, "light")
            bench_site.settle(pg, loaded_at)
        with check("page weight"):
            total = sum(sizes.values())
            biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
            assert total <= bench_site.LIMIT_KB * 1e3, (total, biggest)
        with check("sweep players"):
            check_sweep_players(pg, page)
        with check("menus and number boxes"):
            check_menus_and_number_boxes(pg, page)
        with check("answer boxes"):
            check_answer_boxes(pg, page)
        with check("no line cut off at 1280 px"):
            cut = pg.evaluate(CUT_OFF, CODE_AND_OUTPUT)
            assert cut == [], f"{len(cut)} boxes scroll sideways: {cut[:3]}"
        with check("no error while the controls ran"):
            assert w.problems == [] and w.blocked == []
        # dark, set as the theme's switch sets it: the palette is CSS under html[data-theme],
        # and no page code reads the theme
        pg.evaluate(
            "() => { localStorage.setItem('mode', 'dark'); const h = document.documentElement;"
            " h.dataset.mode = 'dark'; h.dataset.theme = 'dark'; }"
        )
        with check("axe dark"):
            check_axe(pg, "dark")
        pg.set_viewport_size({"width": PHONE, "height": 900})
        settled(pg, "two frames after the resize", TWO_FRAMES)
        with check("phone"):
            check_phone(pg)
        with check("no error dark or on the phone"):
            assert w.problems == [] and w.blocked == []
    finally:
        w.close()


def test_no_page_code_sizes_itself_at_load():
    """The phone check narrows a loaded page instead of loading it at 390 px: sound only while
    the book's page code leaves layout to CSS (nothing reads the window's or an element's
    width; pointer positions aside, which the explorer reads when the reader draws)."""
    root = Path(__file__).resolve().parent.parent
    scripts = sorted((root / "helpers" / "interactive" / "static").glob("*.js"))
    scripts += sorted((root / "site" / "static").glob("*.js"))
    sizes = re.compile(
        r"innerWidth|outerWidth|clientWidth|offsetWidth|ResizeObserver|matchMedia|screen\.width"
    )
    assert [p.name for p in scripts if sizes.search(p.read_text(encoding="utf-8"))] == []
    assert sizes.search("window.innerWidth < 600")  # the pattern finds a reader


def test_no_page_code_reads_the_theme():
    """The visit switches a loaded page to dark instead of reloading it: sound only while the
    book's page code leaves colours to CSS (nothing reads the theme or the colour scheme)."""
    root = Path(__file__).resolve().parent.parent
    scripts = sorted((root / "helpers" / "interactive" / "static").glob("*.js"))
    scripts += sorted((root / "site" / "static").glob("*.js"))
    assert len(scripts) >= 5, scripts
    reads = re.compile(
        r"data-theme|data-mode|dataset\.(theme|mode)|matchMedia|prefers-color-scheme"
        r"|getItem\(\s*['\"]mode"
    )
    assert [p.name for p in scripts if reads.search(p.read_text(encoding="utf-8"))] == []
    assert reads.search("document.documentElement.dataset.theme")  # the pattern finds a reader


# ----------------------------------------------------------------------------- offline
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


@functools.cache
def _printed_pdfs() -> frozenset:
    """The PDFs site/pdf.py prints (test_site_browser's PDF tests check that they are there)."""
    return frozenset([BOOK_PDF, *chapter_pdfs()])


def _broken_links(hrefs, origin):
    """Links into the site whose file, or whose #anchor in it, does not exist. A link to a
    PDF must name one site/pdf.py prints (the PDFs are printed after the build)."""
    broken = []
    for href in hrefs:
        u = urlsplit(href)
        if f"{u.scheme}://{u.netloc}" != origin:
            continue
        target = SITE / unquote(u.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if target.parent == PDF_DIR:
            if target not in _printed_pdfs():
                broken.append(href)
            continue
        missing_id = u.fragment and target.suffix == ".html" and unquote(u.fragment) not in _ids(target)
        if not target.is_file() or missing_id:
            broken.append(href)
    return broken


def check_offline(w, origin, page):
    """Math typeset with its MathML, no dead control, images decoded and described, internal
    links resolving, nothing asked of the network, no error."""
    pg = w.page
    if pg.evaluate(f"document.querySelectorAll('{MATH}').length"):
        _wait_for_math(pg)
        assert pg.evaluate("document.querySelectorAll('mjx-merror').length") == 0
        # screen readers read each formula's hidden MathML (MathJax's a11y/assistive-mml)
        assert pg.evaluate(
            "[...document.querySelectorAll('mjx-container')].every(c =>"
            " c.querySelector(':scope > mjx-assistive-mml > math'))"
        )
    _assert_no_dead_controls(pg, page)
    pg.wait_for_function("[...document.images].every(i => i.complete)")
    images = pg.evaluate(
        "[...document.images].map(i => [i.currentSrc || i.src, i.naturalWidth, i.getAttribute('alt')])"
    )
    assert [src for src, width, _ in images if width == 0] == [], "images not decoded"
    assert [(src, alt) for src, _, alt in images if undescribed(alt)] == [], "images not described"
    hrefs = pg.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert _broken_links(hrefs, origin) == [], f"broken internal links on {page}"
    assert w.blocked == [], f"{page} tried to reach the network"
    assert w.problems == [], f"{page}: " + "; ".join(w.problems)


def _wait_for_math(pg):
    pg.wait_for_function(
        f"[...document.querySelectorAll('{MATH}')].every(e => e.querySelector('mjx-container'))",
        timeout=30_000,
    )


TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _assert_no_dead_controls(pg, page):
    """No ipywidgets (no view, no saved state, no widget manager), and every control in the
    page's outputs is a kernel-free one that a test drives."""
    assert (
        pg.evaluate(
            f'document.querySelectorAll(\'script[type="{WIDGET_VIEW}"], '
            f'script[type="{WIDGET_STATE}"], .jupyter-widgets\').length'
        )
        == 0
    )
    loaded = pg.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [u for u in loaded if "html-manager" in u or "embed-amd" in u], loaded
    known = ", ".join(c.selector for c in LIVE_CONTROLS.values())
    dead = pg.evaluate(
        "known => [...document.querySelectorAll('.cell_output :is(input, select, textarea, "
        "button:not(.copybtn), [role=slider], [contenteditable])')].filter(e => !e.matches(known))"
        ".map(e => e.outerHTML.slice(0, 160))",
        known,
    )
    assert dead == [], f"{page}: controls no test drives: {dead}"


# ----------------------------------------------------------------------------- readers
# What the dark theme can change: colours only (a stylesheet under html[data-theme]; no page
# code reads the theme, test_no_page_code_reads_the_theme). So the dark visit runs axe's colour
# rules; names, labels, landmarks and the rest are the light visit's, and the same in both.
AXE_RULES = {
    "light": "{resultTypes: ['violations']}",
    "dark": "{resultTypes: ['violations'], runOnly: {type: 'rule', values: "
    "['color-contrast', 'link-in-text-block']}}",
}


def check_axe(pg, mode):
    """axe-core (version pinned in site/package.json) on the rendered page: no critical or
    serious violation (contrast, names, labels, ...), no content outside landmarks (region);
    dark: no colour violation (``AXE_RULES``), and HTML outputs (a model summary, a table) are
    dark too."""
    pg.wait_for_function("m => document.documentElement.dataset.theme === m", arg=mode)
    if pg.evaluate(f"document.querySelectorAll('{MATH}').length"):
        _wait_for_math(pg)
    # colours still in a CSS transition (the theme's buttons fade into the dark palette) are
    # neither the old nor the new ones: every finite animation jumps to its end at once.
    # (Never awaited: Chromium can drop the `finished` promise of a transition that ended.)
    pg.evaluate(
        "() => { for (const a of document.getAnimations())"
        " if (a.playbackRate && a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
        " a.finish(); }"
    )
    if not pg.evaluate("typeof axe !== 'undefined'"):
        pg.add_script_tag(content=axe_source())
    found = settled(
        pg,
        f"axe-core's run ({mode})",
        f"() => axe.run(document, {AXE_RULES[mode]}).then(r => r.violations.map(v =>"
        " ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n =>"
        " n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n')[1])})))",
        timeout_ms=AXE_MS,
    )
    bad = [v for v in found if v["impact"] in ("critical", "serious") or v["id"] == "region"]
    assert bad == [], json.dumps(bad, indent=1)
    if mode == "dark":
        light = pg.evaluate(
            "[...document.querySelectorAll('.cell_output .output.text_html')].filter(e => {"
            " const m = getComputedStyle(e).backgroundColor.match(/[0-9.]+/g).map(Number);"
            " return (m.length < 4 || m[3] > 0) && (0.299*m[0] + 0.587*m[1] + 0.114*m[2]) > 128;"
            "}).map(e => e.innerText.slice(0, 60))"
        )
        assert light == [], f"light panels in dark mode: {light}"


def check_phone(pg):
    """At 390 px no page is wider than the screen, and no control sticks out of its column."""
    width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE, f"{width} px wide on a {PHONE} px screen"
    cut = pg.evaluate(
        "() => [...document.querySelectorAll('article :is(input, select, button, textarea)')]"
        ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().width >"
        " e.closest('.cell_output, article').getBoundingClientRect().width + 0.5)"
        ".map(e => e.outerHTML.slice(0, 120))"
    )
    assert cut == [], f"controls wider than their column: {cut}"


# ----------------------------------------------------------------------------- controls
def check_sweep_players(pg, page):
    """Each sweep player: two arrow keys move its window two places, the written-out sum adds
    up and the current output cell is marked; Enter on Play runs it and pauses it."""
    players = pg.locator(".cnn-sweep:not(.cnn-flat):has(input[type=range])")
    assert (players.count() >= 1) == has_sweep(page)
    for i in range(players.count()):
        player = players.nth(i)
        player.scroll_into_view_if_needed()
        before = sum_value(player.locator(".sum").first.inner_text())
        assert before[:2] == (0, 0)
        slider = player.locator("input[type=range]")
        assert slider.get_attribute("aria-label"), "slider has no accessible name"
        slider.focus()  # keyboard only
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")
        text = player.locator(".sum").first.inner_text()
        after = sum_value(text)
        assert after[:2] != before[:2], "the window did not move"
        assert_sum_adds_up(text)
        assert player.locator("table.out td.cur").count() >= 1
        assert player.locator(".pos").inner_text().startswith("3 /")
    if players.count():  # the Play button works from the keyboard as well
        play_advances(pg, players.first)


def check_menus_and_number_boxes(pg, page):
    """Menus and number boxes that run in the page (no kernel): each one, used with the
    keyboard, changes what its output area shows; a number box emptied says what to type
    (never a number computed from nothing), and its number back restores the output."""
    controls = pg.locator(LIVE_CONTROLS["menu or number box"].selector)
    assert (controls.count() >= 1) == bool(FORM_RE.search(html_of(page)))
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
        pg.wait_for_function(
            "([el, t]) => el.innerHTML !== t", arg=[area.element_handle(), before], timeout=5_000
        )
        if tag == "INPUT" and control.get_attribute("type") == "number":
            value, shown = control.input_value(), area.inner_text()
            control.fill("")
            assert (
                "type a" in area.inner_text().lower() and control.get_attribute("aria-invalid") == "true"
            ), page
            control.fill(value)
            assert area.inner_text() == shown and control.get_attribute("aria-invalid") == "false", page


def check_answer_boxes(pg, page):
    """One box per reader cell ``check_answer(key, None)``. Type a wrong answer and press
    Enter: "Not quite" and the hint; type the right one and press Enter, then Tab to Check and
    press Enter: "Correct.". The answers are the box's own data, which
    test_site_browser.test_answer_boxes_carry_the_registry checks against the registry."""
    keys = exercise_keys(notebook_of(page))
    boxes = pg.locator("form.cnn-exercise[data-ready=true]")
    assert boxes.count() == len(keys)
    for i, key in enumerate(keys):
        box = boxes.nth(i)
        spec = json.loads(box.get_attribute("data-exercise"))
        assert spec["key"] == key
        box.scroll_into_view_if_needed()
        result = box.locator("[role=status][aria-live=polite]")
        field = box.locator("input[name=answer]")
        assert field.evaluate("e => e.labels.length === 1 && e.labels[0].innerText.length > 0")
        if spec["kind"] == "number":
            right = typed_answer(spec["expected"])
            wrong = typed_answer([v + 1 + abs(v) for v in spec["expected"]])
        else:  # a choice, with the reasons the question asks for (never graded)
            other = next(o for o in spec["options"] if o != spec["expected"])
            right, wrong = f'"{spec["expected"]}", because', f"{other.upper()}. Because"
        field.focus()
        pg.keyboard.insert_text(wrong)  # as typed, in one input event (a key per character is slow)
        pg.keyboard.press("Enter")
        text = result.inner_text()
        assert text.startswith("Not quite") and spec["hint"] in text, (key, text)
        assert field.get_attribute("aria-invalid") == "true"
        field.fill("")
        field.focus()
        pg.keyboard.insert_text(right)
        pg.keyboard.press("Enter")
        assert result.inner_text() == f"Correct. {spec['why']}", key
        pg.keyboard.press("Tab")  # the Check button, then Enter on it
        assert pg.evaluate("document.activeElement.textContent") == "Check"
        pg.keyboard.press("Enter")
        assert result.inner_text().startswith("Correct."), key

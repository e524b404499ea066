"""A chapter page with Live Code on, as a reader uses it: in Debian's Chromium, the built site
served on 127.0.0.1 and a local Jupyter server as the kernel (the kernel server of ``make
live``, on a copy of the book: ``browser_support.jupyter("server")``), Live Code switched on
from the rocket menu with a link that carries the server and its token.

- The page's kernel-free controls keep working once Thebe has the cells: the same elements,
  never mounted again (chapter 2's sweep player, chapter 9's calculator and players, chapter
  16's draw-a-digit explorer), with the checks the offline pages get.
- Answer boxes check on Enter and never load a page: nor a box made anew from its HTML (no
  listener of its own), nor one whose submission no script stops.
- Editors are as tall as their code (three lines at least), each cell has one compact row of
  buttons (Run, Run up to here) instead of Thebe's four, and the page one bar (what ran,
  Restart kernel); a cell runs from the keyboard, typed code too; its kernel output replaces its rendered
  output, whose control then mounts once; axe-core finds no critical or serious violation,
  light before and after cells ran, dark after (a traceback included); a 390 px phone fits.

Chapter 2's tests share one page and one kernel (the ``ch02_live`` fixture) and run in file
order on it.

How live code connects (tokens, the handover of ``make live``) is tests/test_live_server.py
and tests/test_livecode_security.py; a kernel that cannot be reached, tests/test_site_browser.py.
Each test opens its page in a new watched tab and shuts down the kernels it started.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from browser_support import jupyter, shut_down_kernels, watched
from site_support import draw, exercise_keys, notebook_of, typed_answer
from test_site_pages_browser import (
    PHONE,
    TWO_FRAMES,
    check_answer_boxes,
    check_axe,
    check_menus_and_number_boxes,
    check_phone,
    check_sweep_players,
)

from book.browser import settled

pytestmark = pytest.mark.browser

CH02 = "chapters/02_case1_one_weight.html"
CH09 = "chapters/09_stride_and_padding.html"
CH16 = "chapters/16_draw_a_digit.html"
READY_MS = 90_000  # a kernel started and connected, on a loaded 2-core machine
RUN_MS = 120_000  # a few cells run by that kernel (numpy and the book's data)
THEBE_BUTTONS = ".thebe-run-button, .thebe-runall-button, .thebe-restart-button, .thebe-restartall-button"


@pytest.fixture(scope="module")
def server(site_origin):
    """A Jupyter kernel server on 127.0.0.1 that accepts the site's pages: ``(url, token)``."""
    with jupyter("server", origin=site_origin) as (url, token):
        yield url, token


# Before Live Code: every control of the page mounted; the elements kept, and each kind's
# start counted from now on (cnnBook.mount reads cnnBook.kinds when it mounts).
COUNT_MOUNTS = """() => {
  window.cnnBefore = [...document.querySelectorAll('[data-cnn-kind]')];
  window.cnnMounts = 0;
  for (const k of Object.keys(cnnBook.kinds)) {
    const start = cnnBook.kinds[k];
    cnnBook.kinds[k] = (el, data) => { window.cnnMounts++; return start(el, data); };
  }
  return window.cnnBefore.length;
}"""
SAME_CONTROLS = """() => {
  const now = [...document.querySelectorAll('[data-cnn-kind]')];
  return {mounts: window.cnnMounts,
          same: now.length === cnnBefore.length && now.every((e, i) => e === cnnBefore[i]),
          mounted: now.every(e => e.getAttribute('data-cnn-mounted'))};
}"""


@contextlib.contextmanager
def live_page(browser, site_origin, server, page, name, before=None):
    """``page`` in a new watched tab (1280 px, light) with Live Code on and its
    kernel ready; ``before(pg)`` runs on the page first, when its controls are mounted. Yields
    the watched page; afterwards nothing was blocked or failed, and the kernels are shut down."""
    url, token = server
    with watched(browser, name, site_origin, url) as w:
        pg = w.page
        try:
            pg.goto(f"{site_origin}/{page}?livecode=local#url={url}&token={token}")
            pg.wait_for_function(
                "() => !document.querySelector('[data-cnn-kind]:not([data-cnn-mounted])')", timeout=30_000
            )
            if before:
                before(pg)
            pg.click(".dropdown-launch-buttons .dropdown-toggle")
            pg.click(".dropdown-launch-buttons button:has-text('Live Code')")
            pg.wait_for_function(
                "document.documentElement.dataset.livecodeStatus === 'ready'", timeout=READY_MS
            )
            yield w
            assert w.blocked == []
            assert [p for p in w.problems if "favicon" not in p] == []
        finally:
            shut_down_kernels(url, token)


def _explorer_draws(pg, page):
    """Chapter 16's explorer: a vertical bar drawn with the mouse reads 1."""
    assert pg.get_attribute(".digit-explorer .dx-prediction", "data-prediction") == "4"  # its example
    draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)])
    pg.wait_for_function(
        "() => document.querySelector('.digit-explorer .dx-prediction').dataset.prediction === '1'",
        timeout=10_000,
    )


CONTROL_CHECKS = {
    CH02: (check_sweep_players,),
    CH09: (check_sweep_players, check_menus_and_number_boxes),
    CH16: (_explorer_draws,),
}


def _controls_keep_working(pg, page, mounted_before):
    """Every kernel-free control is still the element the page mounted, mounted once, and
    answers the reader as on the offline page."""
    assert mounted_before >= 1
    assert pg.locator(".thebe-cell").count() >= 1
    assert pg.evaluate(SAME_CONTROLS) == {"mounts": 0, "same": True, "mounted": True}
    for check in CONTROL_CHECKS[page]:
        check(pg, page)
    assert pg.evaluate(SAME_CONTROLS)["mounts"] == 0


@pytest.fixture(scope="module")
def ch02_live(browser, site_origin, server):
    """Chapter 2 with Live Code on (1280 px, light), one page and one kernel for the chapter-2
    tests below, which run in file order on it: ``(watched page, controls mounted before Live
    Code)``."""
    counted = []
    with live_page(
        browser,
        site_origin,
        server,
        CH02,
        "livecode-ch02",
        before=lambda pg: counted.append(pg.evaluate(COUNT_MOUNTS)),
    ) as w:
        yield w, counted[0]


@contextlib.contextmanager
def _on(ch02_live, name):
    """The shared chapter-2 page for one test; a screenshot in test-artifacts/ if it fails."""
    w, _ = ch02_live
    try:
        yield w.page
    except BaseException:
        w.screenshot(name)
        raise


@pytest.mark.parametrize("page", [CH09, CH16], ids=lambda p: p.split("/")[-1][:2])
def test_kernel_free_controls_keep_working(browser, site_origin, server, page):
    """Thebe takes the page's code cells: every kernel-free control is still the element the
    page mounted, mounted once, and answers the reader as on the offline page."""
    counted = []
    with live_page(
        browser,
        site_origin,
        server,
        page,
        f"livecode-controls-{page[9:11]}",
        before=lambda pg: counted.append(pg.evaluate(COUNT_MOUNTS)),
    ) as w:
        _controls_keep_working(w.page, page, counted[0])


def test_chapter_2_controls_keep_working(ch02_live):
    """The same for chapter 2, on the page the next tests use: its sweep players."""
    with _on(ch02_live, "livecode-controls-02") as pg:
        _controls_keep_working(pg, CH02, ch02_live[1])


def _enter(pg, form, text):
    field = form.locator("input[name=answer]")
    field.fill("")
    field.focus()
    pg.keyboard.insert_text(text)
    pg.keyboard.press("Enter")


EDITORS = """() => [...document.querySelectorAll('.thebe-cell')].map(c => {
  const cm = c.querySelector('.CodeMirror').CodeMirror;
  const box = c.querySelector('.CodeMirror').getBoundingClientRect();
  const pad = parseFloat(getComputedStyle(c.querySelector('.CodeMirror')).paddingTop)
            + parseFloat(getComputedStyle(c.querySelector('.CodeMirror')).paddingBottom);
  return {lines: cm.lineCount(), line: cm.defaultTextHeight(), height: box.height, pad,
          scrollbar: parseFloat(getComputedStyle(c.querySelector('.CodeMirror-sizer')).paddingBottom),
          label: cm.getInputField().getAttribute('aria-label'), role: cm.getInputField().getAttribute('role'),
          buttons: [...c.querySelectorAll('button')].map(b => [b.innerText, b.getAttribute('aria-label')])};
})"""


def _editors_fit_their_code(pg):
    """Each editor as tall as its code (and the room CodeMirror keeps for a scroll bar under a
    line too long, if the browser's scroll bars take room), three lines at least, also in a
    folded cell once opened; named; two buttons per cell."""
    folded = pg.locator("details.hide:has(.thebe-cell)")
    assert folded.count() >= 1
    for i in range(folded.count()):
        if not folded.nth(i).evaluate("d => d.open"):
            folded.nth(i).locator("summary").click()
    editors = pg.evaluate(EDITORS)
    n = len(editors)
    assert n == pg.locator(".cell .cell_input").count() and n >= 5
    for i, e in enumerate(editors, 1):
        want = max(e["lines"] * e["line"] + e["scrollbar"], 3 * e["line"]) + e["pad"]
        assert want - 1 <= e["height"] <= want + 2, json.dumps([i, e])
        assert e["label"].startswith(f"Code, cell {i} of {n}") and e["role"] == "textbox", e
        upto = "Run up to here (cell 1)" if i == 1 else f"Run up to here (cells 1 to {i})"
        assert e["buttons"] == [["Run", f"Run cell {i}"], ["Run up to here", upto]], e["buttons"]
    one_line = [e["height"] for e in editors if e["lines"] == 1]
    assert one_line and max(one_line) < 90, one_line
    assert pg.locator(THEBE_BUTTONS).count() == 0
    bar = pg.locator(".cnn-livebar")
    assert bar.count() == 1
    assert bar.locator("button").all_inner_texts() == ["Restart kernel"]


def _run_from_the_keyboard(pg, cell):
    """Shift+Enter in the editor of ``cell`` runs it alone (a NameError: nothing above ran, and
    the bar says what to do); Esc and Tab reach its Run up to here, and Enter runs the cells
    above and this one: its rendered output gives way to the kernel's, whose control mounts
    once and answers."""
    cell.scroll_into_view_if_needed()
    cell.locator(".CodeMirror").evaluate("e => e.CodeMirror.focus()")
    pg.keyboard.press("Shift+Enter")
    pg.wait_for_function("c => c.dataset.cnnRun === 'error'", arg=cell.element_handle(), timeout=RUN_MS)
    assert cell.locator(".cnn-run-state").inner_text() == "stopped: NameError"
    said = pg.inner_text(".cnn-livebar [role=status]")
    assert "(NameError:" in said and "Run up to here runs the cells above it first." in said, said
    assert cell.locator(".cell_output").count() == 0  # the rendered output left with the run
    pg.keyboard.press("Escape")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.className") == "cnn-run"
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.className") == "cnn-run-upto"
    pg.keyboard.press("Enter")
    pg.wait_for_function("c => c.dataset.cnnRun === 'ran'", arg=cell.element_handle(), timeout=RUN_MS)
    assert cell.locator(".cnn-run-state").inner_text() == "ran"
    player = cell.locator(".cnn-live-output .cnn-sweep:has(input[type=range])")
    player.wait_for(timeout=30_000)
    pg.wait_for_function(
        "p => p.getAttribute('data-cnn-mounted')", arg=player.element_handle(), timeout=10_000
    )
    player.locator("input[type=range]").focus()
    pg.keyboard.press("ArrowRight")
    assert player.locator(".pos").inner_text().startswith("2 /")
    ids = pg.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _edit_and_run(pg):
    """The reader's own code: typed into the first cell's editor (its code selected and
    replaced), run with Shift+Enter, printed under it."""
    cell = pg.locator(".cell:has(.thebe-cell)").first
    cell.scroll_into_view_if_needed()
    cell.locator(".CodeMirror").evaluate(
        "e => { e.CodeMirror.focus(); e.CodeMirror.execCommand('selectAll'); }"
    )
    pg.keyboard.type("print(6 * 7)")
    assert cell.locator(".CodeMirror").evaluate("e => e.CodeMirror.getValue()") == "print(6 * 7)"
    pg.keyboard.press("Shift+Enter")
    pg.wait_for_function("c => c.dataset.cnnRun === 'ran'", arg=cell.element_handle(), timeout=RUN_MS)
    assert cell.locator(".cnn-live-output").inner_text().strip() == "42"


def _restart_forgets(pg, cell):
    """Restart kernel: the cells' states are cleared and nothing is defined any more (Run on
    the cell leaves a traceback in its output)."""
    pg.click(".cnn-livebar button")
    pg.wait_for_function(
        "() => document.querySelector('.cnn-livebar [role=status]').innerText.startsWith('Kernel restarted')",
        timeout=RUN_MS,
    )
    assert pg.locator(".cell[data-cnn-run]").count() == 0
    cell.locator(".cnn-run").click()
    pg.wait_for_function("c => c.dataset.cnnRun === 'error'", arg=cell.element_handle(), timeout=RUN_MS)
    assert "NameError" in cell.locator(".cnn-live-output").inner_text()


def test_editors_fit_their_code_and_cells_run(ch02_live):
    """Chapter 2 with Live Code on: compact editors, one row of buttons per cell and one bar;
    readable (axe-core) before and after cells ran; a cell runs from the keyboard, and code
    typed into an editor runs; Restart kernel forgets."""
    with _on(ch02_live, "livecode-editors") as pg:
        _editors_fit_their_code(pg)
        assert pg.locator(".cnn-livebar [role=status]").inner_text().startswith("Live code ready")
        check_axe(pg, "light")
        sweep = pg.locator(".cell:has(.thebe-cell:has-text('sweep_player('))").first
        assert sweep.locator(".cell_output .cnn-sweep").count() == 1
        _run_from_the_keyboard(pg, sweep)
        box = pg.locator(".cnn-livebar").bounding_box()  # the bar stays in sight while the article scrolls
        assert box["y"] >= 0 and box["y"] + box["height"] <= pg.viewport_size["height"] + 1, box
        _edit_and_run(pg)
        _restart_forgets(pg, sweep)
        check_axe(pg, "light")


def test_dark_on_a_phone_the_live_page_reads_and_fits(ch02_live):
    """The same page, its cells run (a traceback among the outputs), switched to dark as the
    theme's switch does and narrowed to a 390 px phone: the editors still fit their code,
    axe-core finds no colour violation, and the screen holds it all."""
    with _on(ch02_live, "livecode-editors-390-dark") as pg:
        pg.evaluate(
            "() => { localStorage.setItem('mode', 'dark'); const h = document.documentElement;"
            " h.dataset.mode = 'dark'; h.dataset.theme = 'dark'; }"
        )
        pg.set_viewport_size({"width": PHONE, "height": 900})
        settled(pg, "two frames after the resize", TWO_FRAMES)
        _editors_fit_their_code(pg)
        check_axe(pg, "dark")
        check_phone(pg)


def test_answer_boxes_check_on_enter_and_never_load_a_page(ch02_live):
    """With Live Code on, Enter in an answer box checks the answer in the page (the checks of
    the offline pages), the page is never left (its live session and edits stay): also for a
    box made anew from its HTML (no listener of its own), and for a box whose submission no
    script stops (its method goes nowhere). Last on the shared page: it stops every submit
    event."""
    with _on(ch02_live, "livecode-answers") as pg:
        address = pg.url
        loads = []
        pg.on("framenavigated", lambda f: f == pg.main_frame and loads.append(f.url))
        pg.evaluate("window.cnnSameDocument = true")
        check_answer_boxes(pg, CH02)
        spec = json.loads(pg.locator("form.cnn-exercise").first.get_attribute("data-exercise"))
        assert spec["key"] == exercise_keys(notebook_of(CH02))[0]
        right = typed_answer(spec["expected"])

        # a copy made from the box's HTML, as another script would make it
        pg.evaluate(
            "() => { const f = document.querySelector('form.cnn-exercise'); f.outerHTML = f.outerHTML; }"
        )
        copy = pg.locator("form.cnn-exercise").first
        _enter(pg, copy, right)
        assert copy.locator(".cnn-exercise-result").inner_text() == f"Correct. {spec['why']}"

        # no script stops the submission: the form itself goes nowhere
        pg.evaluate("window.addEventListener('submit', e => e.stopImmediatePropagation(), true)")
        _enter(pg, copy, "1")
        pg.wait_for_timeout(1_000)  # a navigation would have started by now
        assert loads == [] and pg.url == address and "answer=" not in pg.url
        assert pg.evaluate("window.cnnSameDocument === true")
        assert pg.evaluate("document.documentElement.dataset.livecodeServer") == "local"
        assert pg.locator(".thebe-cell").count() >= 1

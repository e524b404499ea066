"""The built site as the browser tests see it, shared by tests/test_site_browser.py (site-wide
checks, PDFs, search, live code) and tests/test_site_pages_browser.py (every page visited
once): the page lists (from ``_toc.yml``, read by ``book.pages``), each page's HTML and
notebook, the PDFs' paths, site/offline.py's rules, the kinds of kernel-free control with the
checks that drive them, axe-core, and the sweep players' written-out sums."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from book import pages
from book.pages import ROOT, SITE

AXE = ROOT / "site" / "node_modules" / "axe-core" / "axe.min.js"
AXE_MS = 90_000  # bound of one axe-core run over a whole page, on a slow machine under load

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SUM_RE = re.compile(r"\[(\d+), (\d+)\] = .*= (-?[0-9][0-9.]*)\s*$")
# an alt text that is a file's name or path, not a description (Sphinx writes the image's path
# when it is given none)
PATH_LIKE_ALT = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$|_images/", re.I)


def undescribed(alt: str | None) -> bool:
    """True for an image's alt text that describes nothing: missing, blank, or a file path."""
    return not (alt or "").strip() or bool(PATH_LIKE_ALT.search(alt))


def load_site_module(name: str):
    """``site/<name>.py`` as a module (``site`` is not a package: the name is the standard
    library's), for its rules and constants."""
    spec = importlib.util.spec_from_file_location(f"cnn_site_{name}", ROOT / "site" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


OFFLINE = load_site_module("offline")  # the Sphinx extension


def toc_pages() -> list[str]:
    """The book's pages as HTML paths, from _toc.yml (known before anything is built)."""
    return [p["path"] for p in pages.book_pages()]


READER_PAGES = toc_pages() + ["genindex.html", "search.html"]
PAGES = ["index.html"] + READER_PAGES  # index.html: the redirect to the first page
CHAPTER_PAGES = [p["path"] for p in pages.chapter_pages(pages.book_pages())]


def notebook_of(page: str) -> Path:
    return ROOT / Path(page).with_suffix(".ipynb")


def html_of(page: str) -> str:
    return (SITE / page).read_text(encoding="utf-8")


PDF_DIR = SITE / pages.PDF_DIR
BOOK_PDF = PDF_DIR / pages.BOOK_PDF


def chapter_pdfs() -> list[Path]:
    """The chapter PDFs site/pdf.py writes, one per chapter page, in reading order."""
    return [PDF_DIR / pages.chapter_pdf(p) for p in CHAPTER_PAGES]


class Control(NamedTuple):
    """A kind of kernel-free control: what it is on a page, and the tests that drive it
    (``"module::function"`` in tests/: a test, or a check that a test of that module runs)."""

    selector: str
    driven_by: tuple[str, ...]


# Every control in a cell's output is one of these kinds (test_site_pages_browser's offline
# check), and each kind is driven by the tests it names
# (test_site_browser::test_every_control_kind_is_driven_by_its_tests).
LIVE_CONTROLS = {
    "sweep slider and Play": Control(
        ".cnn-sweep:not(.cnn-flat) :is(input[type=range], button)",
        ("test_site_pages_browser::check_sweep_players",),
    ),
    "flattening slider and Play": Control(
        ".cnn-flat :is(input[type=range], button)",
        ("test_site_browser::test_flattening_player_follows_the_keyboard",),
    ),
    "typed weights": Control(
        ".cnn-sweep form.weights input[name=w]",
        ("test_site_browser::test_typed_weights_recompute_the_sweep",),
    ),
    "menu or number box": Control(
        ".cell_output select[aria-label], .cell_output input[type=number][aria-label]",
        ("test_site_pages_browser::check_menus_and_number_boxes",),
    ),
    "answer box": Control(
        "form.cnn-exercise :is(input, button)", ("test_site_pages_browser::check_answer_boxes",)
    ),
    "explorer Clear and Undo": Control(
        ".digit-explorer :is(.dx-clear, .dx-undo)",
        ("test_explorer_browser::test_opens_on_an_example_and_a_drawn_vertical_bar_reads_1",),
    ),
    "explorer test-digit list": Control(
        ".digit-explorer .dx-select",
        (
            "test_explorer_browser::test_five_shipped_digits_read_what_keras_reads",
            "test_explorer_browser::test_keyboard_only",
        ),
    ),
    "explorer image upload": Control(
        ".digit-explorer .dx-file", ("test_explorer_browser::test_uploaded_png_reads_what_python_reads",)
    ),
    "explorer feature-map cells": Control(
        ".digit-explorer .dx-map",
        (
            "test_explorer_browser::test_clicked_cell_arithmetic_equals_the_maps_value",
            "test_explorer_browser::test_keyboard_only",
        ),
    ),
    "explorer epoch slider": Control(
        ".digit-explorer .dx-epoch", ("test_explorer_browser::test_keyboard_only",)
    ),
    "playground design, data and training choices": Control(
        ".cnn-playground .pg-form :is(select, input)",
        (
            "test_playground_browser::test_keyboard_design_then_train_to_done",
            "test_playground_browser::test_pause_step_shows_a_gradient_and_bad_choices_get_a_sentence",
        ),
    ),
    "playground Train, Pause, Step and Reset": Control(
        ".cnn-playground .pg-run button",
        (
            "test_playground_browser::test_keyboard_design_then_train_to_done",
            "test_playground_browser::test_pause_step_shows_a_gradient_and_bad_choices_get_a_sentence",
        ),
    ),
    "playground's Explore button (to chapter 16's explorer)": Control(
        ".cnn-playground .pg-explore button",
        ("test_playground_browser::test_explore_the_trained_network_in_chapter_16_and_back",),
    ),
    "explorer's way back from a network trained in chapter 21": Control(
        ".digit-explorer .dx-handoff button",
        ("test_playground_browser::test_explore_the_trained_network_in_chapter_16_and_back",),
    ),
    "playground drawing pad and classes": Control(
        ".cnn-playground .pg-own :is(canvas, select, input, button)",
        ("test_playground_browser::test_own_classes_drawn_trained_read_and_explored",),
    ),
}


@functools.cache
def axe_source() -> str:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix site` (axe-core is pinned there)"
    return AXE.read_text(encoding="utf-8")


def axe_serious(pg, selector: str, what: str) -> list[str]:
    """axe-core's critical and serious violations inside the element ``selector`` of page
    ``pg`` (axe added to the page when it is not there yet), each as "rule: first targets";
    the run bounded by ``AXE_MS``, a hang named by ``what``."""
    from book.browser import settled

    if not pg.evaluate("typeof axe !== 'undefined'"):
        pg.add_script_tag(content=axe_source())  # axe-core pinned in site/package.json
    return settled(
        pg,
        f"axe-core's run on {what}",
        """async (sel) =>
        (await axe.run(document.querySelector(sel), {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""",
        selector,
        timeout_ms=AXE_MS,
    )


def typed_answer(values) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def exercise_keys(nb: Path) -> list[str]:
    """The reader cells ``check_answer("key", None)`` of a notebook, in order."""
    if not nb.is_file():
        return []
    keys = []
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            keys += [m.group("key") for m in OFFLINE.CHECK_RE.finditer("".join(cell["source"]))]
    return keys


def sum_value(text):
    m = SUM_RE.search(" ".join(text.split()))
    assert m, f"no 'output[i, j] = ... = VALUE' in {text!r}"
    return int(m.group(1)), int(m.group(2)), float(m.group(3))


def assert_sum_adds_up(text):
    """The written-out sum 'a×b + c×d = V' must add up: the page computes what it says."""
    m = re.search(r"= (.*) = (-?[0-9][0-9.]*)\s*$", " ".join(text.split()))
    assert m, f"no sum in {text!r}"
    terms = [t.split("×") for t in m.group(1).split(" + ") if "×" in t]
    total = sum(float(a) * float(b) for a, b in terms)
    assert total == pytest.approx(float(m.group(2)), abs=0.02 * max(len(terms), 1) + 1e-9), text


def has_sweep(page):
    text = html_of(page)
    return 'class="cnn-sweep"' in text and 'type="range"' in text


def play_advances(pg, player):
    """Enter on the player's Play button: it is pressed and the frame moves on by itself;
    Enter again pauses it."""
    button, pos = player.locator(".controls button"), player.locator(".pos")
    before = pos.inner_text()
    button.focus()
    pg.keyboard.press("Enter")
    pg.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=button.element_handle())
    pg.wait_for_function(
        "([el, t]) => el.textContent !== t", arg=[pos.element_handle(), before], timeout=10_000
    )
    pg.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "false" and button.inner_text() == "Play"


LIVE_CHAPTER = ROOT / "chapters" / "03_case2_pair_of_weights.ipynb"
LIVE_CALL = "players.sweep_player("


def live_target() -> tuple[Path, str]:
    """(notebook, html page) of the Part I chapter whose sweep player (the cell calling
    ``LIVE_CALL``) the live-code and JupyterLab tests run in a kernel."""
    assert LIVE_CALL in LIVE_CHAPTER.read_text(encoding="utf-8"), LIVE_CHAPTER
    return LIVE_CHAPTER, LIVE_CHAPTER.relative_to(ROOT).with_suffix(".html").as_posix()


# the kernel-free menus and number boxes, named by their aria-label (the playground's form, named
# by its <label for> elements, is driven by its own tests)
FORM_RE = re.compile(
    r'<select aria-label|<select name="[^"]*" aria-label|<input type="number"[^>]*aria-label'
)


def move_and_read(pg, player):
    """Move a sweep player that a kernel just produced (``player``, a locator) one window on,
    once its page script has started it; return the two sums (``sum_value``) before and after.
    The slider is set as a drag sets it (its value, then an "input" event): JupyterLab keeps
    the arrow keys for moving between cells."""
    pg.wait_for_function(
        "p => p.getAttribute('data-cnn-mounted')", arg=player.element_handle(), timeout=30_000
    )
    player.scroll_into_view_if_needed()
    sum_box, slider = player.locator(".sum").first, player.locator("input[type=range]")
    before = sum_value(sum_box.inner_text())
    slider.fill(str(int(slider.input_value()) + 1))  # the page script redraws at once
    return before, sum_value(sum_box.inner_text())


def draw(pg, points, root=None):
    """One stroke through ``points`` (fractions of the pad), with real mouse events (on the
    pad of ``root``, an explorer's locator; default: the page's only explorer)."""
    pad = (root or pg).locator(".digit-explorer .dx-pad" if root is None else ".dx-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    for _ in range(50):  # wait until the page stops moving under the pad
        pg.wait_for_timeout(50)
        box, last = pad.bounding_box(), box
        if box == last:
            break
    at = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    pg.mouse.move(*at[0])
    pg.mouse.down()
    for x, y in at[1:]:
        pg.mouse.move(x, y, steps=3)
    pg.mouse.up()

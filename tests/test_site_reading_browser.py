"""The built site read and used in Debian's Chromium: a long code or output line wraps under its
own indentation (``site/codelines.py`` and ``static/site.css``; that no box of any page scrolls
sideways at 1280 px is a check of every page's visit, tests/test_site_pages_browser.py), and
the colour-mode switch keeps the keyboard focus when it is pressed (``static/theme-switch.js``).
On failure a screenshot goes to ``test-artifacts/``."""

from __future__ import annotations

import json

import nbformat
import pytest
from browser_support import watched
from site_support import notebook_of

pytestmark = pytest.mark.browser

PHONE = 390
WRAPPED_PAGE = "chapters/10_filters_and_activation_maps.html"  # its ValueError line was cut off


def test_a_long_line_wraps_under_its_own_start_and_copies_as_written(browser, site_origin):
    """Chapter 10's ValueError line wraps, its continuation starts further in than the line,
    and the code cell above it holds exactly its source (what the copy button copies)."""
    page = WRAPPED_PAGE
    with watched(browser, "wrapped-lines", site_origin) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        line = pg.locator(".cell_output .cnn-line", has_text="ValueError: kernel depth 1").first
        starts = line.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " const seen = []; for (const b of r.getClientRects())"
            " if (!seen.some(t => Math.abs(t.top - b.top) < 2)) seen.push(b);"
            " return seen.map(b => [b.top, b.left]); }"
        )
        assert len(starts) >= 2, f"the ValueError line does not wrap at 1280 px: {starts}"
        assert starts[1][1] > starts[0][1] + 5, f"its continuation is not indented: {starts}"
        box = line.locator("xpath=ancestor::pre[1]")
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        source = next(
            c.source
            for c in nbformat.read(notebook_of(page), as_version=4).cells
            if c.cell_type == "code" and c.source.startswith("try:\n    ops.conv2d")
        )
        code = pg.locator("article .cell_input div.highlight pre", has_text="ops.conv2d(np.zeros").first
        assert code.evaluate("e => e.textContent") == source + "\n"


@pytest.mark.parametrize("width", [1280, PHONE])
def test_theme_switch_keeps_the_keyboard_focus(browser, site_origin, width):
    """Tab to the colour-mode switch and press Enter twice: the focus stays on it each time,
    and the theme cycles as the theme's own switch does, light -> auto (light here) -> dark. A
    mouse click still lets go of it (the theme hides its tooltip so)."""
    mode = "() => [document.documentElement.dataset.mode, document.documentElement.dataset.theme]"
    on_switch = "() => document.activeElement.matches('.theme-switch-button')"
    with watched(browser, f"theme-switch-{width}", site_origin, width=width) as w:
        pg = w.page
        pg.goto(f"{site_origin}/chapters/02_case1_one_weight.html", wait_until="load")
        assert pg.evaluate(mode) == ["light", "light"]
        for _ in range(80):  # the switch is about 30 stops in at 1280 px, 7 on a phone
            pg.keyboard.press("Tab")
            if pg.evaluate(on_switch):
                break
        assert pg.evaluate(on_switch), "Tab never reached the colour-mode switch"
        for expected in (["auto", "light"], ["dark", "dark"]):
            pg.keyboard.press("Enter")
            assert pg.evaluate(mode) == expected
            assert pg.evaluate(on_switch), "the switch lost the focus: " + json.dumps(
                pg.evaluate("document.activeElement.outerHTML.slice(0, 80)")
            )
        pg.keyboard.press("Shift+Tab")
        pg.keyboard.press("Tab")
        assert pg.evaluate(on_switch), "the next Tab does not go on from the switch"
        pg.locator(".theme-switch-button").click()
        assert pg.evaluate(mode) == ["light", "light"]
        assert not pg.evaluate(on_switch), "a mouse click keeps the focus (and the tooltip)"
        assert w.problems == [] and w.blocked == []

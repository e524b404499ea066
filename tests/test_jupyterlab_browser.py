"""The book's notebooks in JupyterLab, driven in Debian's Chromium (Playwright): one JupyterLab
for the module, on 127.0.0.1 with a token, working on a copy of the book (nothing it runs or
saves touches the repository).

Chapter 3, every cell run: its live ipywidgets slider recomputes the written-out number, and
the kernel-free player of an output the kernel just produced works there too. Chapter 16,
saved outputs cleared and every cell run: the draw-a-digit explorer the kernel shows reads a
drawn vertical bar as 1.
"""

from __future__ import annotations

import pytest
from browser_support import jupyter, lab_running, wait_until_all_cells_ran
from site_support import ROOT, draw, live_target, move_and_read

pytestmark = pytest.mark.browser

EXPLORER_CHAPTER = ROOT / "chapters" / "16_draw_a_digit.ipynb"


@pytest.fixture(scope="module")
def lab():
    with jupyter("lab") as server:
        yield server


def test_chapter_3_live_slider_and_kernel_free_player(browser, lab, subtests):
    notebook, _ = live_target()
    with lab_running(browser, lab, notebook.relative_to(ROOT).as_posix(), f"lab-{notebook.stem}") as w:
        pg = w.page
        with subtests.test(msg="the live slider recomputes the number"):
            out = pg.locator(".jp-OutputArea-output:has(.widget-slider)").last
            out.wait_for(timeout=120_000)
            out.scroll_into_view_if_needed()
            before, after = move_and_read(pg, out)
            assert after[:2] != before[:2] and after[2] != before[2], (before, after)
        with subtests.test(msg="the kernel-free player runs"):
            # JupyterLab runs the scripts of an output the kernel just produced
            player = pg.locator(".jp-OutputArea-output .cnn-sweep[data-cnn-mounted]").last
            player.wait_for(timeout=150_000)
            player.scroll_into_view_if_needed()
            total = player.locator(".pos").text_content().split(" / ")[1]
            slider = player.locator("input[type=range]")
            slider.fill("1")  # sets the value and fires "input", as dragging does
            assert player.locator(".pos").text_content() == f"2 / {total}"
            assert player.locator(".sum .head").text_content().startswith("output[0, 1]")
        assert w.blocked == []


def test_the_same_explorer_runs_in_jupyterlab(browser, lab):
    rel = EXPLORER_CHAPTER.relative_to(ROOT).as_posix()
    # the saved outputs cleared, then every cell run: the explorer is what the kernel shows
    with lab_running(browser, lab, rel, "lab-explorer", clear_outputs=True) as w:
        pg = w.page
        root = pg.locator(".jp-OutputArea-output .digit-explorer[data-cnn-mounted]").first
        root.wait_for(timeout=240_000)
        wait_until_all_cells_ran(pg)
        root.scroll_into_view_if_needed()
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)], root=root)
        assert root.locator(".dx-prediction").get_attribute("data-prediction") == "1"
        assert w.blocked == []

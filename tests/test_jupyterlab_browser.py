"""The book's notebooks in JupyterLab, driven in Debian's Chromium (Playwright): one JupyterLab
for the module, on 127.0.0.1 with a token, working on a copy of the book (nothing it runs or
saves touches the repository).

Chapter 3 as it opens: its prose reads as on the website (no raw MyST, the numbers written
out, the exercises' titles shown, every answer folded). Then, its outputs cleared, the cells
up to its kernel-free sweep player run in the kernel: a text output comes back as committed,
and the player the kernel just produced works there (slider and typed weights). Chapter 16's
draw-a-digit explorer, shown by a JupyterLab kernel (a notebook of the chapter's explorer
call alone, put on the server through its REST API: the chapter's trainings need not run
again for it), reads a drawn vertical bar as 1. Chapter 21's playground, shown the same way, trains
in its Web Worker started from the scripts' text.
"""

from __future__ import annotations

import contextlib
import json
import urllib.request

import nbformat
import pytest
from browser_support import jupyter, lab_menu, lab_running, wait_until_all_cells_ran
from site_support import LIVE_CALL, ROOT, assert_sum_adds_up, draw, live_target, move_and_read
from test_playground_browser import VAL_BOUND

from book import markup

pytestmark = pytest.mark.browser

EXPLORER_CHAPTER = ROOT / "chapters" / "16_draw_a_digit.ipynb"


@pytest.fixture(scope="module")
def lab():
    with jupyter("lab") as server:
        yield server


def _rendered_markdown(pg) -> dict:
    """What JupyterLab shows of the notebook's markdown cells."""
    pg.locator(".jp-MarkdownCell .jp-RenderedMarkdown").first.wait_for(timeout=60_000)
    return pg.evaluate(
        """() => {
          const cells = [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')];
          const q = (sel) => [...document.querySelectorAll('.jp-RenderedMarkdown ' + sel)];
          return {
            cells: cells.length,
            text: cells.map((c) => c.textContent).join('\\n'),
            answers: q('details.answer').map((d) => [d.open, d.querySelector('summary').textContent]),
            exercises: q('div.exercise > p.admonition-title').map((p) => p.textContent),
            errata: q('details.erratum > summary').map((s) => s.textContent),
          };
        }"""
    )


def _player_cell(pg):
    return pg.locator(f".jp-CodeCell:has(.jp-InputArea-editor:has-text('{LIVE_CALL}'))").first


def _run_up_to_the_player(pg) -> None:
    """Every output cleared, then Run All Above Selected Cell and Run Selected Cell on the
    player's cell: what shows afterwards is the kernel's, and the rest of the chapter is not
    run."""
    lab_menu(pg, "Edit", "Clear Outputs of All Cells")
    prompt = _player_cell(pg).locator(".jp-InputPrompt")
    prompt.click()  # selects the cell
    lab_menu(pg, "Run", "Run All Above Selected Cell")
    prompt.click()
    lab_menu(pg, "Run", "Run Selected Cell and Do not Advance")


def test_chapter_3_reads_right_then_its_code_and_kernel_free_player_run(browser, lab, subtests):
    notebook, _ = live_target()
    nb = nbformat.read(notebook, as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = [c for c in nb.cells if c.cell_type == "code"]
    upto = next(k for k, c in enumerate(code) if LIVE_CALL in c.source)
    # the first text result above the player, as committed
    source, text = next(
        (c.source, o["data"]["text/plain"])
        for c in code[:upto]
        for o in c.outputs
        if o.output_type == "execute_result" and "text/html" not in o.data
    )
    seen = {}
    with lab_running(
        browser,
        lab,
        notebook.relative_to(ROOT).as_posix(),
        f"lab-{notebook.stem}",
        on_open=lambda pg: seen.update(_rendered_markdown(pg)),
        run=_run_up_to_the_player,
    ) as w:
        pg = w.page
        with subtests.test(msg="the prose reads as on the website"):
            assert seen["cells"] == sum(c.cell_type == "markdown" for c in nb.cells)
            assert markup.raw_myst(seen["text"]) == [] and "{glue}" not in seen["text"]
            for m in list(markup.NUMBER.finditer(prose))[:5]:
                assert markup.unescape(m.group("text")) in seen["text"], m.group(0)
            assert len(seen["answers"]) == prose.count('<details class="answer">') >= 3
            assert all(not opened and title == "Answer" for opened, title in seen["answers"]), seen["answers"]
            assert seen["exercises"][0].startswith("Exercise 1") and len(seen["exercises"]) >= 3
            assert seen["errata"] and all(t.startswith("Article error: ") for t in seen["errata"])
        with subtests.test(msg="the kernel runs the code above the player"):
            last_line = json.dumps(source.splitlines()[-1])
            cell = pg.locator(f".jp-CodeCell:has(.jp-InputArea-editor:has-text({last_line}))").first
            result = cell.locator(".jp-OutputArea-output")
            result.first.wait_for(timeout=90_000)  # the outputs were cleared: this is the kernel's
            assert result.first.inner_text().strip() == text
        with subtests.test(msg="the kernel-free player runs"):
            # JupyterLab runs the scripts of an output the kernel just produced (the committed
            # outputs, cleared, carried none)
            player = _player_cell(pg).locator(".jp-OutputArea-output .cnn-sweep")
            player.wait_for(timeout=90_000)
            before, after = move_and_read(pg, player)
            assert before[:2] == (0, 0) and after[:2] == (0, 1) and after[2] != before[2], (before, after)
            total = player.locator(".pos").text_content().split(" / ")[1]
            assert player.locator(".pos").text_content() == f"2 / {total}"
            player.locator("form.weights input[name=w]").first.fill("2")
            text_now = player.locator(".sum").first.inner_text()
            assert_sum_adds_up(text_now)
            assert text_now.replace(" ", "").startswith("output[0,1]=4×2")
        wait_until_all_cells_ran(pg, timeout=60_000)
        assert w.blocked == []


def _put_notebook(lab, path: str, code: str) -> None:
    """A one-cell notebook at ``path`` on the server (Jupyter's contents API, token in a header)."""
    url, token = lab
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(code))
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    req = urllib.request.Request(
        f"{url}/api/contents/{path}",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201), r.status


@contextlib.contextmanager
def _control_alone(browser, lab, chapter, module, call, closing, selector):
    """The control the code cell of ``chapter`` that holds ``call`` shows, run alone in a new
    notebook (``from helpers.interactive import module``, then ``call + closing``): yields the
    watched page and the mounted control, every cell run and the control scrolled into view."""
    cells = nbformat.read(chapter, as_version=4).cells
    assert any(call in c.source for c in cells if c.cell_type == "code"), f"{chapter.name} changed"
    alone = f"chapters/{module}_alone.ipynb"
    _put_notebook(lab, alone, f"from helpers.interactive import {module}\n\n{call}{closing}")
    with lab_running(browser, lab, alone, f"lab-{module}") as w:
        root = w.page.locator(f".jp-OutputArea-output {selector}[data-cnn-mounted]").first
        root.wait_for(timeout=240_000)
        wait_until_all_cells_ran(w.page)
        root.scroll_into_view_if_needed()
        yield w, root


def test_the_same_explorer_runs_in_jupyterlab(browser, lab):
    call = "explorer.explorer(explorer.test_digits(per_digit=3"
    shown = _control_alone(browser, lab, EXPLORER_CHAPTER, "explorer", call, "))", ".digit-explorer")
    with shown as (w, root):
        pg = w.page
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)], root=root)
        assert root.locator(".dx-prediction").get_attribute("data-prediction") == "1"
        assert w.blocked == []


def test_the_playground_trains_in_jupyterlab(browser, lab):
    """Chapter 21's playground shown by a JupyterLab kernel: its worker starts from the scripts'
    text (no file server), the digits come inlined, and the run the site's test makes (one conv
    layer of 4 filters, 250 digits, 1 epoch) ends above the same bound (tests/test_playground_browser.py:
    VAL_BOUND, 0.1 below every recorded run)."""
    chapter = ROOT / "chapters" / "21_train_a_cnn_in_the_page.ipynb"
    call = "playground.playground()"
    with _control_alone(browser, lab, chapter, "playground", call, "", ".cnn-playground") as (w, root):
        pg = w.page
        root.locator("[name=count]").select_option("250")
        root.locator("[name=convs]").select_option("1")
        root.locator("[name=f1]").select_option("4")
        root.locator("[name=epochs]").fill("1")
        root.locator(".pg-run").get_by_role("button", name="Train", exact=True).click()
        pg.wait_for_function(
            "document.querySelector('.jp-OutputArea-output .cnn-playground').dataset.state === 'done'",
            timeout=120_000,
        )
        assert float(root.locator(".pg-val").get_attribute("data-val-accuracy")) > VAL_BOUND
        assert w.blocked == []

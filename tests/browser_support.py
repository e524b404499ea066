"""What every browser test module shares: Debian's Chromium under Playwright, and opening a
notebook in JupyterLab until its kernel is idle.

The Chromium path and flags come from ``benchmarks.bench_site`` (the page-weight benchmark
drives the same browser), so tests and benchmarks start it one way.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from benchmarks.bench_site import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright's own browser download fails offline)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_in_lab(pg, url: str, token: str, notebook: str) -> None:
    """Open ``notebook`` (a path under the server's root) in JupyterLab at ``url`` and wait
    until its kernel is idle. JupyterLab may first ask which kernel to use: take the preferred
    one (the dialog appears only on some set-ups)."""
    pg.goto(f"{url}/lab/tree/{notebook}?token={token}&reset")
    pg.locator(".jp-Notebook").first.wait_for(timeout=90_000)
    with contextlib.suppress(Exception):
        pg.locator(".jp-Dialog button:has-text('Select')").click(timeout=8_000)
    pg.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=90_000)


def run_all_cells(pg) -> None:
    """JupyterLab's Run > Run All Cells."""
    pg.click("li.lm-MenuBar-item:has-text('Run')")
    pg.click("li.lm-Menu-item:has-text('Run All Cells')")


def wait_until_all_cells_ran(pg, timeout: float = 240_000) -> None:
    """Wait until no cell is queued or running (no ``[*]`` prompt): outputs that later cells
    add move the page, so a test that draws or clicks waits for them first."""
    pg.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputPrompt')]"
        ".some(e => e.textContent.includes('*'))", timeout=timeout)

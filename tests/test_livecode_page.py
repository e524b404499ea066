"""A chapter page with Live Code on, as a reader uses it: in Debian's Chromium, the built site
served on 127.0.0.1 and a local Jupyter server as the kernel (the kernel server of ``make
live``, on a copy of the book: ``browser_support.jupyter("server")``), Live Code switched on
from the rocket menu with a link that carries the server and its token.

- Answer boxes check on Enter and never load a page: nor a box made anew from its HTML (no
  listener of its own), nor one whose submission no script stops.

How live code connects (tokens, the handover of ``make live``) is tests/test_live_server.py
and tests/test_livecode_security.py; a kernel that cannot be reached, tests/test_site_browser.py.
Each test opens its page in a new watched tab and shuts down the kernels it started.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from browser_support import jupyter, shut_down_kernels, watched
from site_support import exercise_keys, notebook_of, typed_answer
from test_site_pages_browser import check_answer_boxes

pytestmark = pytest.mark.browser

CH02 = "chapters/02_case1_one_weight.html"
READY_MS = 90_000  # a kernel started and connected, on a loaded 2-core machine


@pytest.fixture(scope="module")
def server(site_origin):
    """A Jupyter kernel server on 127.0.0.1 that accepts the site's pages: ``(url, token)``."""
    with jupyter("server", origin=site_origin) as (url, token):
        yield url, token


@contextlib.contextmanager
def live_page(browser, site_origin, server, page, name, width=1280, dark=False, before=None):
    """``page`` in a new watched tab (``width`` px, dark or light) with Live Code on and its
    kernel ready; ``before(pg)`` runs on the page first, when its controls are mounted. Yields
    the watched page; afterwards nothing was blocked or failed, and the kernels are shut down."""
    url, token = server
    with watched(browser, name, site_origin, url, width=width, dark=dark) as w:
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


def _enter(pg, form, text):
    field = form.locator("input[name=answer]")
    field.fill("")
    field.focus()
    pg.keyboard.insert_text(text)
    pg.keyboard.press("Enter")


def test_answer_boxes_check_on_enter_and_never_load_a_page(browser, site_origin, server):
    """With Live Code on, Enter in an answer box checks the answer in the page (the checks of
    the offline pages), the page is never left (its live session and edits stay): also for a
    box made anew from its HTML (no listener of its own), and for a box whose submission no
    script stops (its method goes nowhere)."""
    with live_page(browser, site_origin, server, CH02, "livecode-answers") as w:
        pg = w.page
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

"""axe-core on every page of the built site, light and dark, in Debian's Chromium, offline
(the site, its server and the page list come from tests/test_site_browser.py; a module of its
own so that pytest-xdist runs it beside the other browser modules)."""

from __future__ import annotations

import json

import pytest
from browser_support import watched
from test_site_browser import (
    READER_PAGES,
    _axe_source,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", READER_PAGES)
def test_axe_no_critical_or_serious_violation(browser, site_origin, page, mode):
    """axe-core (version pinned in site/package.json) on the rendered page, light and dark:
    no critical or serious violation (contrast, names, labels, ...), no content outside
    landmarks (region)."""
    with watched(browser, f"axe-{mode}-{page}", site_origin, dark=mode == "dark") as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        pg.wait_for_load_state("networkidle")
        pg.wait_for_function("m => document.documentElement.dataset.theme === m", arg=mode)
        if pg.evaluate("document.querySelectorAll('span.math, div.math').length"):
            pg.wait_for_function("[...document.querySelectorAll('span.math, div.math')]"
                                 ".every(e => e.querySelector('mjx-container'))", timeout=30_000)
        pg.add_script_tag(content=_axe_source())
        found = pg.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>"
            " ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n =>"
            " n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n')[1])})))")
        bad = [v for v in found if v["impact"] in ("critical", "serious") or v["id"] == "region"]
        assert bad == [], json.dumps(bad, indent=1)
        if mode == "dark":  # HTML outputs (a model summary, a table) stay on the dark page
            light = pg.evaluate(
                "[...document.querySelectorAll('.cell_output .output.text_html')].filter(e => {"
                " const m = getComputedStyle(e).backgroundColor.match(/[0-9.]+/g).map(Number);"
                " return (m.length < 4 || m[3] > 0) && (0.299*m[0] + 0.587*m[1] + 0.114*m[2]) > 128;"
                "}).map(e => e.innerText.slice(0, 60))")
            assert light == [], f"light panels in dark mode: {light}"

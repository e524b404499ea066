"""Every page of the built site on a 390 px phone and on the scale: nothing wider than the
screen, and at most 2.5 MB cold (the site, its server and the page list come from
tests/test_site_browser.py; a module of its own so that pytest-xdist runs it beside the
other browser modules)."""

from __future__ import annotations

import pytest
from browser_support import watched
from test_site_browser import (
    PHONE,
    READER_PAGES,
)

from benchmarks import bench_site

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", READER_PAGES)
def test_fits_a_phone(browser, site_origin, page):
    """At 390 px no page is wider than the screen, and no control sticks out of it."""
    with watched(browser, f"phone-{page}", site_origin, width=PHONE) as w:
        pg = w.page
        pg.goto(f"{site_origin}/{page}", wait_until="load")
        pg.wait_for_load_state("networkidle")
        width = pg.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= PHONE, f"{page} is {width} px wide on a {PHONE} px screen"
        cut = pg.evaluate(
            "w => [...document.querySelectorAll('article :is(input, select, button, textarea)')]"
            ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().width >"
            " e.closest('.cell_output, article').getBoundingClientRect().width + 0.5)"
            ".map(e => e.outerHTML.slice(0, 120))", PHONE)
        assert cut == [], f"{page}: controls wider than their column: {cut}"


@pytest.mark.parametrize("page", READER_PAGES)
def test_page_weight(browser, site_origin, page):
    """Cold cache, uncompressed: every page at most 2.5 MB (what benchmarks/ records)."""
    sizes = bench_site.weigh(browser, site_origin, page)
    total = sum(sizes.values())
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    assert total <= bench_site.LIMIT_KB * 1e3, (page, total, biggest)

"""Two copies of every kernel-free control on one page work independently, in Debian's
Chromium (Playwright), offline: a generated page served on 127.0.0.1, every other request
blocked. Moving one copy changes that copy and leaves the other as it was; every control's
element id is unique; no console error. The calculators read real networks' sizes and name a
box they cannot read instead of clamping it. (The built site's own pages are tested by
tests/test_site_browser.py.)"""

from __future__ import annotations

import re

import numpy as np
import pytest

from book.browser import new_context, serve
from helpers import data
from helpers.interactive import calculator, gallery, players, softmax

pytestmark = pytest.mark.browser

B = data.load("image_b")
PAIRS = [data.load("case2_weights"), data.load("case4_weights")]
PX = np.arange(64, dtype=np.uint8).reshape(8, 8)

# kind -> a function making one copy (called twice: same arguments, as a chapter would)
CONTROLS = {
    "sweep": lambda: players.sweep_player(B, PAIRS[0]),
    "weights": lambda: players.sweep_player(B, PAIRS[0], editable=True),
    "bank": lambda: players.filter_bank_player(B, PAIRS, names=["a", "b"]),
    "bank-weights": lambda: players.filter_bank_player(B, PAIRS, names=["a", "b"], editable=True),
    "flatten": lambda: players.flatten_player(data.load("digit4")),
    "calc": lambda: calculator.calculator_html(),
    "volume": lambda: calculator.volume_html(),
    "softmax": lambda: softmax.softmax_html(),
    "gallery": lambda: gallery.gallery_html(PX.astype(float), names=["identity", "Sobel x"]),
    "switcher": lambda: gallery.switcher_html(
        [("a", PX, "cap a", "alt a"), ("b", 255 - PX, "cap b", "alt b")]
    ),
}


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("controls")
    parts = []
    for kind, make in CONTROLS.items():
        for copy in (0, 1):
            parts.append(
                f'<section class="copy" data-kind="{kind}" data-copy="{copy}">{make().data}</section>'
            )
    (root / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>controls</title>"
        "<link rel='icon' href='data:,'>"
        "</head><body>" + "".join(parts) + "</body></html>",
        encoding="utf-8",
    )

    with serve(root) as origin:
        yield f"{origin}/index.html", root / "index.html"


@pytest.fixture(scope="module")
def page(browser, page_url):
    url, _ = page_url
    origin = url.rsplit("/", 1)[0]
    context = new_context(browser, viewport={"width": 1200, "height": 900})
    problems = []
    # outside the loopback every request fails (book.browser.NO_INTERNET); any outside the page's
    # origin is a problem
    context.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else problems.append(f"blocked {r.url}"),
    )
    pg = context.new_page()
    pg.on("console", lambda m: m.type == "error" and problems.append(m.text))
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.goto(url, wait_until="load")
    pg.problems = problems
    yield pg
    context.close()


def _copies(page, kind):
    return [page.locator(f'section.copy[data-kind="{kind}"][data-copy="{i}"]') for i in (0, 1)]


def _state(copy):
    return copy.locator("[data-cnn-kind]").first.inner_html()


def test_every_control_id_is_unique_and_mounted(page, page_url):
    html = page_url[1].read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == 2 * len(CONTROLS) and len(set(ids)) == len(ids), ids
    mounted = page.evaluate("document.querySelectorAll('[data-cnn-mounted]').length")
    assert mounted == 2 * len(CONTROLS)
    assert page.problems == []


@pytest.mark.parametrize("kind", ["sweep", "bank", "bank-weights", "flatten"])
def test_players_move_independently(page, kind):
    a, b = _copies(page, kind)
    total = a.locator(".pos").inner_text().split(" / ")[1]
    before_b = _state(b)
    a.locator("input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert a.locator(".pos").inner_text() == f"3 / {total}"
    assert b.locator(".pos").inner_text() == f"1 / {total}"
    assert _state(b) == before_b
    first_a = a.locator(".arith").first.inner_text()
    assert first_a != b.locator(".arith").first.inner_text()
    b.locator(".controls button").click()
    assert b.locator(".controls button").get_attribute("aria-pressed") == "true"
    assert a.locator(".controls button").get_attribute("aria-pressed") == "false"
    b.locator(".controls button").click()  # pause again
    assert page.problems == []


@pytest.mark.parametrize("kind, field", [("calc", "n"), ("volume", "k"), ("softmax", "z0")])
def test_forms_change_only_their_own_copy(page, kind, field):
    a, b = _copies(page, kind)
    before_a, before_b = _state(a), _state(b)
    box = a.locator(f"input[name={field}]")
    box.focus()
    page.keyboard.press("ArrowUp")
    page.wait_for_function(
        "([el, t]) => el.innerHTML !== t", arg=[a.locator("[data-cnn-kind]").first.element_handle(), before_a]
    )
    assert _state(b) == before_b
    assert page.problems == []


def test_calculator_convention_menu_is_per_copy(page):
    a, b = _copies(page, "calc")
    grid_b = b.locator(".grid").inner_html()
    a.locator("select[name=conv]").select_option("torch_same")
    assert "PyTorch raises" in a.locator(".grid").inner_text()
    assert b.locator(".grid").inner_html() == grid_b


@pytest.mark.parametrize("kind", ["gallery", "switcher"])
def test_image_menus_swap_only_their_own_image(page, kind):
    a, b = _copies(page, kind)
    src_b = b.locator("img").get_attribute("src")
    old = a.locator("img").evaluate("i => i.src")
    a.locator("select").select_option(index=1)
    assert a.locator("img").evaluate("i => i.src") != old
    assert b.locator("img").get_attribute("src") == src_b
    assert a.locator(".text").inner_text() != b.locator(".text").inner_text()
    assert a.locator("img").get_attribute("alt") != b.locator("img").get_attribute("alt")
    assert page.problems == []


def _results(copy) -> str:
    return " ".join(copy.locator(".results").inner_text().split())


def test_calculator_reads_real_networks_and_names_a_box_it_cannot_read(page):
    """The ResNet stem typed into the boxes (n 224, k 7, s 2, p 3) gives 112 with the box still
    showing 224, and the grid says why it is not drawn; an empty, negative, fractional or
    out-of-range box gives one message naming it and no number at all, until it is fixed."""
    a, _ = _copies(page, "calc")
    boxes = {name: a.locator(f"input[name={name}]") for name in "nkspd"}
    for name, value in zip("nksp", ("224", "7", "2", "3")):
        boxes[name].fill(value)
    a.locator("select[name=conv]").select_option("symmetric")
    assert boxes["n"].input_value() == "224"
    assert "formula, p zeros each side (= PyTorch padding=p) 112 (pads 3 before, 3 after)" in _results(a)
    assert "grid not drawn: the padded input is 230 cells a side" in a.locator(".grid").inner_text()
    message = "input size n: type a whole number from 1 to 4096"
    for typed in ("", "-5", "2.5", "4097", "1e3"):
        boxes["n"].fill(typed)
        assert _results(a) == message, typed
        assert a.locator(".grid").inner_text() == ""
        assert boxes["n"].get_attribute("aria-invalid") == "true"
        assert a.locator(".results").get_attribute("aria-live") == "polite"
    boxes["n"].fill("6")
    assert boxes["n"].get_attribute("aria-invalid") == "false"
    assert "112" not in _results(a) and "(pads" in _results(a)
    boxes["k"].fill("")
    assert _results(a) == "kernel size k: type a whole number from 1 to 15"
    for name, value in zip("nksp", ("6", "3", "2", "1")):  # the first view again, for the other tests
        boxes[name].fill(value)
    a.locator("select[name=conv]").select_option("keras_same")
    assert page.problems == []


def test_volume_calculator_names_a_box_it_cannot_read(page):
    """An empty box gives its message, not a volume; the ResNet stem's volume is exact."""
    a, _ = _copies(page, "volume")
    out, box = a.locator(".out"), {name: a.locator(f"input[name={name}]") for name in "ncfksp"}
    before = {name: b.input_value() for name, b in box.items()}
    box["f"].fill("")
    assert out.inner_text() == "number of filters: type a whole number from 1 to 4096"
    assert box["f"].get_attribute("aria-invalid") == "true" and "cnn-calc-error" in out.get_attribute("class")
    for name, value in zip("ncfksp", ("224", "3", "64", "7", "2", "3")):
        box[name].fill(value)
    assert out.inner_text() == calculator.volume_text(224, 3, 64, 7, 2, 3)
    assert out.inner_text().startswith("224×224×3 → 112×112×64;")
    for name, value in before.items():
        box[name].fill(value)
    assert page.problems == []


def test_an_emptied_weight_keeps_its_last_value_and_says_so(page):
    """Chapter 3's typed weights: a box emptied (or holding what a number box cannot read)
    keeps the weight the reader typed last - never the chapter's kernel silently - and a note
    under the boxes, a live region each box points to, names it and the value kept."""
    from helpers import ops
    from helpers.fmt import fmt_number

    a, b = _copies(page, "weights")
    boxes = a.locator("form.weights input[name=w]")
    note = a.locator("form.weights .weights-note[role=status]")
    assert note.count() == 1 and note.inner_text() == ""
    assert boxes.nth(1).get_attribute("aria-describedby") == note.get_attribute("id")
    boxes.nth(0).fill("2")
    boxes.nth(1).fill("-1.5")
    out_before = a.locator("table.out").inner_text()
    boxes.nth(1).fill("")
    assert (
        note.inner_text()
        == "w[0, 1] holds no number: the sweep keeps its last value, -1.5. Type a number to change it."
    )
    assert boxes.nth(1).get_attribute("aria-invalid") == "true"
    assert a.locator("table.out").inner_text() == out_before  # the kernel [2, -1.5], still
    want = ops.conv2d(np.asarray(B, float), [[2, -1.5]])
    assert a.locator("table.out td").first.inner_text() == fmt_number(want[0, 0])
    boxes.nth(1).fill("0.5")
    assert note.inner_text() == "" and boxes.nth(1).get_attribute("aria-invalid") == "false"
    assert b.locator(".weights-note").inner_text() == ""  # the other copy is left alone
    assert page.problems == []


def test_a_filter_banks_typed_weights_recompute_only_their_filter(page):
    """Chapter 5's two filters, editable: a weight typed into one filter's line changes that
    filter's kernel, output channel and written-out sum (helpers.ops' numbers) and leaves the
    other filter as it was; an emptied box keeps its weight and the note names its filter."""
    from helpers import ops
    from helpers.fmt import fmt_number

    a, b = _copies(page, "bank-weights")
    a.locator("input[type=range]").fill("0")  # the first window (another test moves this copy)
    lines = a.locator("form.weights > div")
    assert lines.count() == 2 and lines.nth(1).locator(".cap").inner_text() == "b:"
    boxes = a.locator("form.weights input[name=w]")
    assert boxes.nth(2).get_attribute("aria-label") == "b weight [0, 0]"
    outs, sums = a.locator("table.out"), a.locator(".sum .arith")
    first_before = outs.nth(0).inner_text()
    boxes.nth(2).fill("2")  # the second filter becomes (2, 5)
    want = ops.conv2d(np.asarray(B, float), [[2, 5]])
    got = [td.inner_text() for td in outs.nth(1).locator("td").all()]
    assert got == [fmt_number(v) for v in want.ravel()]
    assert a.locator("table.k").nth(1).locator("td").first.inner_text() == "2"
    assert sums.nth(1).inner_text() == f"86×2 + 4×5 = {fmt_number(want[0, 0])}"
    assert outs.nth(0).inner_text() == first_before and sums.nth(0).inner_text() == "86×1 + 4×0.3 = 87.2"
    a.locator("input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    assert sums.nth(1).inner_text() == f"4×2 + 8×5 = {fmt_number(want[0, 1])}"
    boxes.nth(3).fill("")
    note = a.locator("form.weights .weights-note[role=status]")
    assert note.inner_text() == (
        "b: w[0, 1] holds no number: the filter keeps its last value, 5. Type a number to change it."
    )
    assert boxes.nth(3).get_attribute("aria-invalid") == "true"
    assert [td.inner_text() for td in outs.nth(1).locator("td").all()] == got
    boxes.nth(3).fill("5")
    assert note.inner_text() == "" and b.locator(".weights-note").inner_text() == ""
    assert b.locator("table.out").nth(1).inner_text() != outs.nth(1).inner_text()
    assert page.problems == []

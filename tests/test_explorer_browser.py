"""The draw-a-digit explorer of chapter 16 in a real browser, offline: Debian's Chromium via
Playwright on the built site (every request outside 127.0.0.1 blocked), with the browser, the
server and the failure screenshots of ``tests/browser_support.py``. The tests share one watched
page (``tab``); each test loads its page afresh in it, with its own viewport and colour scheme,
and finds no blocked request and no error of its own.

Checked: a vertical bar drawn with mouse events reads 1, the network's input being the whole
pad preprocessed afresh; a layer of maps far below the pad is not redrawn while the reader
draws and shows the current input's maps once scrolled to; five shipped test digits read what
Keras reads; an uploaded PNG (dark on light, and light on dark) reads what the Python
preprocessing + forward pass give on the same pixels; a clicked cell's written-out arithmetic
adds up to the map's value (and to NumPy's); everything works from the keyboard alone; axe-core
finds no critical or serious violation in the explorer, light and dark; nothing is wider than
a 390 px phone. Two explorers on one page work independently. (The same explorer in JupyterLab:
tests/test_jupyterlab_browser.py.)

The site and its 127.0.0.1 server come from tests/conftest.py (``built_site``, ``site_origin``:
built there when ``make test`` has not built it).
"""

from __future__ import annotations

import base64
import contextlib
import io
import re

import numpy as np
import pytest
from browser_support import Watched
from site_support import axe_serious, draw

from book.browser import serve
from helpers import digitnet
from helpers.digitnet import drawn_training
from helpers.interactive.explorer import colour_maps

PAGE = "chapters/16_draw_a_digit.html"

pytestmark = pytest.mark.browser


#: the explorer's network (``load_drawn`` checks that its export holds these layers)
LAYERS = drawn_training.layers_with()


@pytest.fixture(scope="module")
def weights():
    return drawn_training.load_drawn()[0].weights


VIEWPORT = {"width": 1280, "height": 900}  # the size of a Watched page


@pytest.fixture(scope="module")
def tab(browser):
    """One watched page (``browser_support.Watched``) for the module's tests; ``visit`` gives
    each test a fresh document in it."""
    w = Watched(browser, ())
    yield w
    w.close()


@contextlib.contextmanager
def visit(tab, name, url, viewport=VIEWPORT, color_scheme="light"):
    """``url`` loaded afresh in ``tab`` at ``viewport`` and ``color_scheme``, with only its own
    origin allowed and empty lists of blocked requests and problems; yields ``tab``. A failing
    block leaves test-artifacts/<name>.png. Afterwards the page's local and session storage
    are cleared."""
    pg = tab.page
    pg.goto("about:blank")  # the previous document's last events are recorded before the lists empty
    tab.allowed = ("/".join(url.split("/")[:3]),)  # scheme://host:port
    tab.blocked.clear()
    tab.problems.clear()
    pg.set_viewport_size(viewport)
    pg.emulate_media(color_scheme=color_scheme)
    try:
        pg.goto(url, wait_until="load")
        yield tab
    except BaseException:
        tab.screenshot(name)
        raise
    finally:
        with contextlib.suppress(Exception):
            pg.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")


@contextlib.contextmanager
def explorer_page(tab, site_origin, name, **emulation):
    """The chapter loaded afresh in ``tab`` (``visit``; ``emulation``: its viewport and colour
    scheme), its explorer mounted; no blocked request and no problem at the end."""
    with visit(tab, name, f"{site_origin}/{PAGE}", **emulation) as w:
        w.page.locator(".digit-explorer[data-cnn-mounted]").wait_for()
        yield w
        assert w.blocked == [], w.blocked
        assert w.problems == [], w.problems


def prediction(pg):
    return pg.get_attribute(".digit-explorer .dx-prediction", "data-prediction")


def state(pg, expr):
    return pg.evaluate(
        f"() => {{ const s = document.querySelector('.digit-explorer').digitExplorer.state; return {expr}; }}"
    )


def reads_the_whole_pad(pg):
    """True when the network's input is the whole pad's pixels preprocessed afresh (the
    explorer reads again only the box a stroke inks)."""
    return pg.evaluate("""() => {
      const ex = document.querySelector('.digit-explorer').digitExplorer, D = ex.D;
      const pad = document.querySelector('.digit-explorer .dx-pad'), n = pad.width;
      const rgba = pad.getContext('2d').getImageData(0, 0, n, n).data;
      const fresh = D.preprocess(D.luminance(rgba, n, n), n, n, ex.net.preprocessing);
      return fresh.image.length === 784 && fresh.image.every((v, k) => v === ex.state.pre.image[k]);
    }""")


def test_opens_on_an_example_and_a_drawn_vertical_bar_reads_1(tab, site_origin):
    """The explorer opens on a shipped 4 (every map shows something before the reader acts);
    the first stroke replaces it."""
    with explorer_page(tab, site_origin, "explorer-draw") as w:
        pg = w.page
        assert prediction(pg) == "4" and state(pg, "s.base !== null && s.strokes.length === 0")
        # first in its chapter: its top within the first screen (1280 × 900)
        assert pg.evaluate("document.querySelector('.digit-explorer').getBoundingClientRect().top") < 900
        assert "example" in pg.inner_text(".digit-explorer .dx-status")
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)])
        assert state(pg, "s.base === null && s.strokes.length === 1")
        assert reads_the_whole_pad(pg)
        assert pg.inner_text(".digit-explorer .dx-status").strip() == ""
        assert prediction(pg) == "1"
        assert "your drawing" in pg.inner_text(".digit-explorer .dx-alt")
        # Undo removes the stroke, Clear empties the pad
        pg.click(".digit-explorer .dx-undo")
        assert prediction(pg) == ""
        draw(pg, [(0.3 + 0.02 * k, 0.5) for k in range(20)])
        assert prediction(pg) != ""
        draw(pg, [(0.2 + 0.6 * abs((k / 10) % 2 - 1), 0.1 + 0.04 * k) for k in range(21)])  # a zigzag
        assert reads_the_whole_pad(pg)
        pg.click(".digit-explorer .dx-clear")
        assert prediction(pg) == "" and state(pg, "s.strokes.length") == 0


def _map_pixels(values, cmap):
    """The RGB a map's values (H x W) are drawn in: explorer.js mapPixels's rule, 0 (or the
    smallest value below 0) -> the colour map's first colour, the largest -> its last."""
    hi, lo = max(0.0, values.max()), min(0.0, values.min())
    if hi == lo:
        return cmap[np.zeros(values.shape, int)]
    return cmap[np.floor((values - lo) / (hi - lo) * 255 + 0.5).astype(int)]


def test_a_far_layer_is_drawn_with_the_current_input_when_it_comes_near(tab, site_origin):
    """While the reader draws, a layer of maps far below the pad is not redrawn (nor
    composited: .dx-far); scrolled to, or printed, it shows the maps of the input as it is
    then."""
    cmap = np.frombuffer(base64.b64decode(colour_maps()["magma"]), np.uint8).reshape(256, 3)
    pixels = """(layer) => [...document.querySelectorAll(
        `.digit-explorer .dx-layer[data-layer="${layer}"] .dx-map canvas`)].map(c =>
        Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data))"""
    with explorer_page(tab, site_origin, "explorer-far") as w:
        pg = w.page
        layer = pg.locator(".digit-explorer .dx-layer").last
        name = layer.get_attribute("data-layer")
        far = pg.locator(f'.digit-explorer .dx-layer[data-layer="{name}"].dx-far')
        far.wait_for()  # below the screen

        def current_maps():  # the layer's maps as shown, checked against the current input's
            shape = state(pg, f"s.result.shapes.{name}")
            values = np.array(state(pg, f"Array.from(s.result.{name})")).reshape(shape)
            shown = np.array(pg.evaluate(pixels, name)).reshape(shape[2], shape[0], shape[1], 4)
            for f in range(shape[2]):
                assert (shown[f, :, :, :3] == _map_pixels(values[:, :, f], cmap)).all(), f
            return shown

        before = pg.evaluate(pixels, name)  # the example's maps
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)])
        assert prediction(pg) == "1"
        assert pg.evaluate(pixels, name) == before  # not redrawn while far
        layer.scroll_into_view_if_needed()
        pg.locator(f'.digit-explorer .dx-layer[data-layer="{name}"]:not(.dx-far)').wait_for()
        shown = current_maps()
        assert not np.array_equal(shown.reshape(len(before), -1), np.array(before))
        # far again, and printed: drawn before the print, and shown by it
        pg.locator(".digit-explorer .dx-pad").scroll_into_view_if_needed()
        far.wait_for()
        before = pg.evaluate(pixels, name)
        draw(pg, [(0.3 + 0.02 * k, 0.5) for k in range(20)])
        assert pg.evaluate(pixels, name) == before
        pg.emulate_media(media="print")
        pg.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        current_maps()
        visible = "c => getComputedStyle(c).contentVisibility"
        assert layer.locator("canvas").first.evaluate(visible) == "visible"
        pg.emulate_media(media="screen")
        assert layer.locator("canvas").first.evaluate(visible) == "hidden"


def test_five_shipped_digits_read_what_keras_reads(tab, site_origin, weights):
    model = digitnet.build_model(LAYERS)
    model.set_weights(list(weights.values()))
    parts = digitnet.load_split()["test"]
    with explorer_page(tab, site_origin, "explorer-pick") as w:
        pg = w.page
        options = pg.locator(".digit-explorer .dx-select option").all_inner_texts()[1:]
        chosen = [0, 7, 13, 22] + [next(i for i, t in enumerate(options) if "misread" in t)]
        for k in chosen:
            row = int(re.search(r"test digit (\d+)", options[k]).group(1))
            x = parts.x[list(parts.rows).index(row)]
            keras_probs = model.predict(x[None], verbose=0)[0]
            pg.select_option(".digit-explorer .dx-select", value=str(k))
            assert prediction(pg) == str(int(keras_probs.argmax())), options[k]
            page_probs = np.array(state(pg, "Array.from(s.result.probabilities)"))
            assert np.abs(page_probs - keras_probs).max() < 1e-5


def _png(pixels) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("light_on_dark", [False, True], ids=["dark-on-light", "light-on-dark"])
def test_uploaded_png_reads_what_python_reads(tab, site_origin, weights, light_on_dark):
    images, labels, split = digitnet.data.load_mnist_5k()

    def upload(row):  # the PNG, and what Python's preprocessing and forward pass make of it
        ink = np.kron(images[row], np.ones((6, 6), np.uint8))  # 168×168: no browser resampling
        rgb = np.repeat((ink if light_on_dark else 255 - ink)[..., None], 3, axis=2)
        out, info = digitnet.preprocess(digitnet.luminance(rgb))
        read = int(digitnet.forward(weights, np.float32(out / 255), LAYERS)["probabilities"].argmax())
        return rgb, out, info, read

    # the first test 7 that Python reads as 7 once uploaded (the page must then read it so too)
    rgb, out, info, want = next(
        u for r in split["test"][labels[split["test"]] == 7] if (u := upload(int(r)))[3] == 7
    )
    with explorer_page(tab, site_origin, f"explorer-upload-{light_on_dark}") as w:
        pg = w.page
        pg.set_input_files(
            ".digit-explorer .dx-file",
            files=[{"name": "seven.png", "mimeType": "image/png", "buffer": _png(rgb)}],
        )
        pg.wait_for_function(
            "() => document.querySelector('.digit-explorer .dx-alt').innerText.includes('seven.png')"
        )
        alt = pg.inner_text(".digit-explorer .dx-alt")
        assert ("light ink on a dark" in alt) == light_on_dark and info["polarity"] in (
            "light-on-dark" if light_on_dark else "dark-on-light"
        )
        assert prediction(pg) == str(want) == "7"
        page_image = np.array(state(pg, "Array.from(s.pre.image)")).reshape(28, 28)
        assert np.abs(page_image - out).max() < 1e-9


NUM = r"-?\d+\.\d+"


def _check_sum(text):
    """'a×b + c×(−d) + ... = S' adds up (to the rounding of the shown numbers)."""
    terms = re.findall(rf"({NUM})×\(?({NUM})\)?", text)
    total = float(re.findall(rf"= ({NUM})\s*$", text)[0])
    assert terms, text
    tolerance = 6e-4 * len(terms) + 1e-3
    assert sum(float(a) * float(b) for a, b in terms) == pytest.approx(total, abs=tolerance), text
    return total


def test_clicked_cell_arithmetic_equals_the_maps_value(tab, site_origin, weights):
    with explorer_page(tab, site_origin, "explorer-cell") as w:
        pg = w.page
        pg.select_option(".digit-explorer .dx-select", value="5")
        x = np.array(state(pg, "Array.from(s.input)")).reshape(28, 28)
        ours = digitnet.forward(weights, x, LAYERS)
        explain = pg.locator(".digit-explorer .dx-explain")
        cases = (
            ("relu1", 3, (0.45, 0.4)),
            ("relu2", 10, (0.5, 0.5)),
            ("pool1", 1, (0.5, 0.3)),
            ("pool2", 5, (0.5, 0.5)),
        )
        for layer, f, frac in cases:
            m = pg.locator(f'.digit-explorer .dx-layer[data-layer="{layer}"] .dx-map').nth(f)
            m.scroll_into_view_if_needed()
            box = m.locator("canvas").bounding_box()
            pg.mouse.click(box["x"] + frac[0] * box["width"], box["y"] + frac[1] * box["height"])
            i, j = int(explain.get_attribute("data-i")), int(explain.get_attribute("data-j"))
            value = float(explain.get_attribute("data-value"))
            assert explain.get_attribute("data-layer") == layer
            assert value == pytest.approx(float(ours[layer][i, j, f]), abs=1e-5)  # = NumPy
            page_value = state(
                pg,
                f"s.result.{layer}[({i} * s.result.shapes.{layer}[1] + {j}) * "
                f"s.result.shapes.{layer}[2] + {f}]",
            )
            assert value == page_value  # = the map
            head = explain.locator(".dx-cap").inner_text()
            assert f"cell ({i}, {j}) = {value:.3f}" in head
            if layer.startswith("relu"):
                # every channel's products, also those folded away (text, not what is shown)
                partials = [_check_sum(t) for t in explain.locator(".dx-products").all_text_contents()]
                assert (
                    len(partials) == weights[layer.replace("relu", "conv") + "/kernel"].shape[2]
                )  # channels in
                total_text = explain.locator(".dx-total").inner_text()
                total = float(
                    re.findall(rf"= ({NUM})$", total_text)[0]
                    if "+" in total_text
                    else re.findall(NUM, total_text)[-1]
                )
                assert sum(partials) == pytest.approx(total, abs=1e-3 * len(partials))
                bias, pre = map(float, re.findall(NUM, explain.locator(".dx-bias").inner_text()))
                assert total + bias == pytest.approx(pre, abs=2e-3)
                assert explain.locator(".dx-relu").inner_text().endswith(f"{max(pre, 0):.3f}")
                assert f"{value:.3f}" == f"{max(pre, 0):.3f}".replace("-0.000", "0.000")
            else:
                vals = [float(v) for v in re.findall(NUM, explain.locator(".dx-max").inner_text())]
                assert max(vals[:-1]) == vals[-1] == pytest.approx(value, abs=6e-4)
            size = {"relu1": 3, "pool1": 4, "relu2": 8, "pool2": 10}[layer]
            assert f"{size}×{size} pixels" in explain.locator(".dx-field").inner_text()
            # the cause beside the effect: the input with the field, on one screen with the sums
            picture = explain.locator("canvas.dx-field-pic")
            where = picture.get_attribute("aria-label").split("outlined in orange: ")[1]
            assert picture.is_visible() and where in explain.locator(".dx-field").inner_text(), where
            assert explain.bounding_box()["height"] <= 700, (layer, explain.bounding_box())


def test_keyboard_only(tab, site_origin):
    with explorer_page(tab, site_origin, "explorer-keyboard") as w:
        pg = w.page
        pg.locator(".digit-explorer .dx-select").focus()
        pg.keyboard.press("ArrowDown")  # the first test digit
        assert prediction(pg) != ""
        assert "shipped test digit" in pg.inner_text(".digit-explorer .dx-alt")
        pg.keyboard.press("Tab")  # the next control: the first map
        assert pg.evaluate("document.activeElement.classList.contains('dx-map')")
        label = pg.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith("conv1 + ReLU, map 0") and "cell (13, 13)" in label
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowUp")
        pg.keyboard.press("Enter")
        explain = pg.locator(".digit-explorer .dx-explain")
        assert (explain.get_attribute("data-i"), explain.get_attribute("data-j")) == ("12", "15")
        # Page Down moves to the next map of the layer; each layer is one Tab stop
        pg.keyboard.press("PageDown")
        label = pg.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith("conv1 + ReLU, map 1")
        pg.keyboard.press("Enter")
        assert explain.get_attribute("data-map") == "1"
        pg.keyboard.press("Tab")
        label = pg.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith("pool1, map 0")
        pg.keyboard.press("Shift+Tab")  # back to the map last used in conv1
        label = pg.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith("conv1 + ReLU, map 1")
        # on to the epoch slider with Tab alone (a few stops: one per layer), and back through
        # the epochs with the arrows
        for _ in range(8):
            pg.keyboard.press("Tab")
            if pg.evaluate("document.activeElement.classList.contains('dx-epoch')"):
                break
        else:
            pytest.fail("the epoch slider cannot be reached with Tab")
        before = pg.inner_text(".digit-explorer .dx-epoch-text")
        pg.keyboard.press("Home")
        after = pg.inner_text(".digit-explorer .dx-epoch-text")
        assert before.startswith("After epoch") and after.startswith("Epoch 0: the random")
        assert "validation accuracy" in after and after != before


def _hand_check_labels(pg):
    """Every control and picture of the explorer has an accessible name."""
    return pg.evaluate("""() => [...document.querySelectorAll(
        '.digit-explorer button, .digit-explorer input, .digit-explorer select, ' +
        '.digit-explorer canvas[role], .digit-explorer svg')]
      .filter(e => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') ||
                     (e.id && document.querySelector('label[for="' + e.id + '"]')) || e.textContent.trim()))
      .map(e => e.outerHTML.slice(0, 120))""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessible_and_fits_a_phone(tab, site_origin, scheme):
    with explorer_page(
        tab,
        site_origin,
        f"explorer-a11y-{scheme}",
        color_scheme=scheme,
        viewport={"width": 390, "height": 844},
    ) as w:
        pg = w.page
        pg.evaluate(f"document.documentElement.dataset.theme = '{scheme}'")
        pg.select_option(".digit-explorer .dx-select", value="2")
        pg.locator('.digit-explorer .dx-layer[data-layer="relu1"] .dx-map').first.click()
        assert _hand_check_labels(pg) == []
        wide = pg.evaluate("""() => [...document.querySelectorAll('.digit-explorer *')]
            .filter(e => e.getBoundingClientRect().right > 390 + 1 && !e.closest('.dx-explain'))
            .map(e => e.className || e.tagName).slice(0, 5)""")
        assert wide == []
        assert axe_serious(pg, ".digit-explorer", f"the explorer ({scheme})") == []


@pytest.fixture(scope="module")
def two_explorers(tmp_path_factory):
    """A page with two copies of the explorer output (as a chapter showing it twice), served
    on 127.0.0.1; yields its origin."""
    from helpers.interactive import explorer

    digits = explorer.test_digits(per_digit=1)
    root = tmp_path_factory.mktemp("two-explorers")
    body = "".join(f'<section data-copy="{i}">{explorer.explorer(digits).data}</section>' for i in (0, 1))
    (root / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
        "<title>two explorers</title>"
        "</head><body><main>" + body + "</main></body></html>",
        encoding="utf-8",
    )

    with serve(root) as origin:
        yield origin


def test_two_explorers_on_one_page_work_independently(tab, two_explorers):
    with visit(tab, "explorer-two", f"{two_explorers}/index.html") as w:
        pg = w.page
        roots = pg.locator(".digit-explorer[data-cnn-mounted]")
        roots.nth(1).wait_for()
        a, b = roots.nth(0), roots.nth(1)
        ids = pg.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) > 10 and len(ids) == len(set(ids))
        opened_b = b.locator(".dx-prediction").get_attribute("data-prediction")
        a.locator(".dx-select").select_option(index=1)
        read_a = a.locator(".dx-prediction").get_attribute("data-prediction")
        assert read_a not in ("", "4")
        assert b.locator(".dx-prediction").get_attribute("data-prediction") == opened_b
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)], root=b)
        assert b.locator(".dx-prediction").get_attribute("data-prediction") == "1"
        assert a.locator(".dx-prediction").get_attribute("data-prediction") == read_a
        # a label of b focuses b's own control
        b.locator(".dx-pick label").click()
        assert b.evaluate("(el) => el.contains(document.activeElement)")
        assert w.blocked == [] and w.problems == []


SVG_HTML = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><foreignObject '
    b'width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml" style="width:'
    b'100px;height:100px;background:#000"></div></foreignObject></svg>'
)


def _unreadable_uploads():
    """(file name, MIME type, bytes, what the status line must say)."""
    seven = _png(np.kron(255 - digitnet.data.load_mnist_5k()[0][0], np.ones((6, 6), np.uint8)))
    return [
        ("html.svg", "image/svg+xml", SVG_HTML, "does not let the page read the pixels of html.svg"),
        ("blank.png", "image/png", _png(np.full((50, 50), 255)), "blank.png is all white"),
        ("dot.png", "image/png", _png(np.zeros((1, 1))), "dot.png is only 1×1 pixel"),
        ("clear.png", "image/png", _png(np.zeros((50, 50, 4))), "clear.png is fully transparent"),
        ("black.png", "image/png", _png(np.zeros((50, 50))), "black.png is all black"),
        ("half.png", "image/png", seven[: len(seven) // 2], "half.png is cut short"),
        ("notes.txt", "text/plain", b"not a picture", "Could not read notes.txt as an image"),
    ]


def test_unreadable_uploads_say_why(tab, site_origin):
    """Each upload the network cannot read gets one line in the explorer's status line
    (role=status), no uncaught error, and clears what the explorer showed before; after an
    all-black upload a stroke reads at once."""
    with explorer_page(tab, site_origin, "explorer-unreadable") as w:
        pg = w.page
        status = pg.locator(".digit-explorer .dx-status[role=status]")
        for name, mime, data, says in _unreadable_uploads():
            pg.select_option(".digit-explorer .dx-select", index=1)
            assert prediction(pg) != "", "a test digit is read before the upload"
            pg.set_input_files(
                ".digit-explorer .dx-file", files=[{"name": name, "mimeType": mime, "buffer": data}]
            )
            status.filter(has_text=says).wait_for(timeout=5_000)
            text = status.inner_text().strip()
            assert "\n" not in text and text.count(name) == 1, text
            assert prediction(pg) == "", f"{name}: the previous prediction is still shown"
            assert state(pg, "s.base === null && s.strokes.length === 0"), name
            assert w.problems == [], (name, w.problems)
        # after the last (all-black) picture was refused, a stroke reads at once
        pg.set_input_files(
            ".digit-explorer .dx-file",
            files=[{"name": "black.png", "mimeType": "image/png", "buffer": _png(np.zeros((50, 50)))}],
        )
        status.filter(has_text="black.png is all black").wait_for(timeout=5_000)
        draw(pg, [(0.5, 0.12 + 0.04 * k) for k in range(20)])
        assert prediction(pg) == "1"
        assert status.inner_text().strip() == ""

"""helpers.interactive: the page plumbing (static files, the one id helper, templates), the
kernel-free players and forms (their first view, their data), the checks of the calculator,
the photo controls (their data), and the digit explorer of chapter 16 (its data and ids).

The page JavaScript itself is tested in Node (tests/js/, run by tests/test_node.py) and in
Chromium (tests/test_controls_browser.py, tests/test_site_browser.py).
"""

import base64
import html
import io
import json
import re
from html import escape as html_escape
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import data, filters, ops, tfenv
from helpers.fmt import fmt_number
from helpers.interactive import calculator, gallery, page, players, softmax
from helpers.sweep import ChannelSweep, SweepFrames

ROOT = Path(__file__).resolve().parent.parent
A = data.load("digit4")
B = data.load("image_b")
PAIR = data.load("case2_weights")[0]
PAIR2 = data.load("case4_weights")[0]
PHOTO = data.load_photo("chelsea", gray=True)


def _arith(view_html):
    """The written-out sums of an HTML view (one per filter), unescaped."""
    return [html.unescape(s) for s in re.findall(r'<span class="arith">(.*?)</span>', view_html)]


def _cell_class(view_html, table, r, c):
    m = re.search(rf'<table class="cnn-grid {table}">.*?</table>', view_html, re.S)
    td = re.search(rf'data-r="{r}" data-c="{c}" class="([^"]*)"', m.group(0))
    return td.group(1).split()


def _player_data(h):
    m = re.search(r"data-cnn='([^']*)'", h.data)
    return json.loads(html.unescape(m.group(1)))


def _value(html_text):
    m = re.search(r"output\[(\d+), (\d+)\] = .*= ([-0-9.]+)</span>", html_text)
    assert m, html_text[:200]
    return int(m.group(1)), int(m.group(2)), float(m.group(3))


@pytest.fixture(autouse=True)
def _self_contained_outputs(monkeypatch):
    """The outputs of a reader's kernel (the committed form: tests/test_page_outputs.py)."""
    monkeypatch.delenv(page.OUTPUTS_ENV, raising=False)


# ----------------------------------------------------------------------------- page
def test_no_page_code_in_python_strings():
    """Scripts and styles live in static/; Python under helpers/ holds none (a JavaScript
    function is ``function name(args) {``; the English word "function" is fine)."""
    page_code = re.compile(r"<script|<style|addEventListener|\bfunction\s*\w*\s*\([\w\s,]*\)\s*\{")
    bad = []
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        found = page_code.search(path.read_text(encoding="utf-8"))
        if found:
            bad.append(f"{path.relative_to(ROOT)}: {found.group()}")
    assert bad == []
    assert page_code.search("var f = function (a, b) { return a; }")  # what it catches
    assert not page_code.search("a function (``lambda``) that computes it")


@pytest.mark.parametrize("uid", ["", "a b", 'x"onload="y', "<b>", "é", 7, "a;b"])
def test_a_given_uid_must_be_a_safe_id(uid):
    with pytest.raises(ValueError, match="uid"):
        page.element_id("sweep", uid)
    with pytest.raises(ValueError, match="uid"):
        calculator.calculator_html(uid=uid)


def test_generated_ids_are_unique_and_valid():
    ids = [page.element_id("calc", payload="same") for _ in range(3)]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"cnn-calc-[0-9a-f]{10}-\d+", i) for i in ids)
    assert page.element_id("calc", "my-calc_1") == "my-calc_1"
    outs = [calculator.calculator_html().data, calculator.calculator_html().data]
    assert re.search(r'id="([^"]+)"', outs[0]).group(1) != re.search(r'id="([^"]+)"', outs[1]).group(1)


def test_templates_and_static_files():
    assert (
        page.render("element.html", classes="k", attrs=' id="i"', body="b") == '<div class="k" id="i">b</div>'
    )
    assert page.render("frame.html", css="c", element="<div>b</div>") == "<style>c</style><div>b</div>"
    with pytest.raises(KeyError):
        page.render("frame.html", css="c")
    with pytest.raises(FileNotFoundError, match="static"):
        page.static_text("nope.js")
    obj = {"a": 'it\'s <b> & "c"', "n": [1, 2.5]}
    attr = page.data_attr(obj)
    assert "'" not in attr and "<" not in attr and json.loads(html.unescape(attr)) == obj


def test_data_reaches_the_page_intact():
    names = ["it's <b>", 'a "&" b']
    h = players.filter_bank_player([[1.0, 2.0], [3.0, 4.0]], [[[0.5]], [[2.0]]], names=names)
    d = _player_data(h)
    assert d["names"] == names and d["frames"][0] == [0, 0, "1×0.5 = 0.5", "1×2 = 2"]
    assert "it&#x27;s &lt;b&gt;[0, 0] = " in h.data  # the first view, escaped as text


# ----------------------------------------------------------------------------- players
def test_sweep_player_frames_and_single_sum_compat():
    h = players.sweep_player(A, [[3]])
    d = _player_data(h)
    assert len(d["frames"]) == A.size
    assert d["frames"][0] == [0, 0, "25×3 = 75"]
    assert 'type="range"' in h.data and ">Play</button>" in h.data
    assert 'aria-label="window position"' in h.data
    assert h.data.count(players.page.static_text("player.js")) == 1


def test_filter_bank_player_has_one_sum_per_filter():
    h = players.filter_bank_player(B, [PAIR[None, :], PAIR2[None, :]], names=["a", "b"])
    d = _player_data(h)
    assert d["names"] == ["a", "b"]
    assert d["frames"][0] == [0, 0, "86×1 + 4×0.3 = 87.2", "86×0.1 + 4×5 = 28.6"]
    assert h.data.count('class="arith"') == 2
    assert h.data.count('<table class="cnn-grid out">') == 2


def test_filter_bank_rejects_mixed_kernel_shapes():
    with pytest.raises(ValueError, match="same shape"):
        players.filter_bank_player(B, [[[1, 0.3]], [[1, 0.3, 2]]])


def test_flatten_player_frames():
    h = players.flatten_player(A)
    d = _player_data(h)
    assert len(d["frames"]) == 68
    assert d["frames"][17][:4] == [4, 1, 0, 1]
    assert "row-major takes x[4, 1] = 7" in d["frames"][17][4]
    assert "column-major takes x[0, 1] = 2" in d["frames"][17][4]
    assert "rm" in _cell_class(h.data, "in", 0, 0) and "cm" in _cell_class(h.data, "in", 0, 0)


def test_players_have_unique_ids():
    ids = [re.search(r'id="([^"]+)"', players.sweep_player(A, [[3]]).data).group(1) for _ in range(2)]
    assert ids[0] != ids[1]


# ----------------------------------------------------------------------------- calculator
def test_calculator_article_cases():
    r = calculator.sizes(6, 3, 2, 0)
    assert r["keras_valid"]["out"] == r["symmetric"]["out"] == 2  # floor(1.5) + 1
    r = calculator.sizes(6, 3, 2, 1)
    assert r["keras_same"] == {"out": 3, "pads": [0, 1]}
    assert r["symmetric"] == {"out": 3, "pads": [1, 1]}
    assert "strided" in r["torch_same"]["error"]
    assert calculator.sizes(6, 3, 1, 1)["torch_same"] == {"out": 6, "pads": [1, 1]}
    assert calculator.sizes(6, 4, 1)["torch_same"]["pads"] == [1, 2]
    with pytest.raises(ValueError, match="s must be"):
        calculator.sizes(6, 3, 0)


def test_calculator_agrees_with_keras_on_random_cases():
    keras = tfenv.keras()
    rng = np.random.default_rng(2017)
    checked = 0
    for _ in range(260):
        n, k, s = int(rng.integers(1, 41)), int(rng.integers(1, 10)), int(rng.integers(1, 6))
        d = 1 if rng.random() < 0.7 else int(rng.integers(2, 4))
        padding = str(rng.choice(["valid", "same"]))
        ours = calculator.sizes(n, k, s, 0, d)["keras_" + padding]
        try:
            layer = keras.layers.Conv2D(1, k, strides=s, padding=padding, dilation_rate=d)
            shape = layer.compute_output_shape((None, n, n + 3, 2))
        except ValueError:
            assert "error" in ours, (n, k, s, d, padding)
            checked += 1
            continue
        assert "out" in ours, (n, k, s, d, padding, shape)
        other = calculator.sizes(n + 3, k, s, 0, d)["keras_" + padding]["out"]
        assert shape == (None, ours["out"], other, 1), (n, k, s, d, padding)
        checked += 1
    assert checked >= 200


def test_grid_marks_cells_no_window_reads():
    # valid stride 2 on 6x6 with a 3x3 kernel never reads row 5 or column 5: 11 cells
    html = calculator.grid_html(6, 0, 0, 3, 2, 1, 2)
    assert html.count('class="x u') == 11
    assert html.count(" w") == 9
    same = calculator.grid_html(6, 1, 1, 3, 1, 1, 6)
    assert same.count('class="z') == 8 * 8 - 36 and " u" not in same


def test_sizes_use_the_ops_rule():
    for n, k, s, p, d in [(6, 3, 2, 1, 1), (7, 3, 2, 0, 2), (5, 4, 3, 2, 1), (1, 1, 1, 0, 1)]:
        res = calculator.sizes(n, k, s, p, d)
        assert (res["symmetric"]["out"], tuple(res["symmetric"]["pads"])) == ops.output_size(
            n, k, s, p, d, return_padding=True
        )
        if not (s > 1 and d > 1):
            assert (res["keras_same"]["out"], tuple(res["keras_same"]["pads"])) == ops.output_size(
                n, k, s, "same", d, return_padding=True
            )


def test_calculator_accepts_numpy_integers_and_is_exact_for_huge_sizes():
    assert calculator.sizes(np.int64(6), np.uint8(3), np.int32(2), np.int16(1)) == calculator.sizes(
        6, 3, 2, 1
    )
    assert calculator.volume(np.int64(32), 3, np.uint8(10), 5) == calculator.volume(32, 3, 10, 5)
    n = 2**53 + 2  # float floor would give 2**53 + 1 here
    assert calculator.sizes(n, 1)["symmetric"]["out"] == n
    assert calculator.sizes(n + 1, 2, 2)["keras_same"] == {"out": 2**52 + 2, "pads": [0, 1]}
    for bad in (2.0, True, "6", None):
        with pytest.raises(TypeError, match="n must be a positive integer"):
            calculator.sizes(bad, 3)


def test_calculator_checks_the_convention():
    for call in (
        lambda: calculator.calculator_html(convention="tf_same"),
        lambda: calculator.draw_convention(calculator.sizes(6, 3), 6, 3, 1, 1, "same"),
        lambda: calculator.grid_view(6, 3, convention=None),
    ):
        with pytest.raises(ValueError, match="convention must be one of"):
            call()


def test_volume_text_checks_its_inputs_first():
    assert calculator.volume_text(5, 1, 1, 7) == "kernel 7 is larger than the padded input 5"
    with pytest.raises(ValueError, match="c must be a positive integer, got 0"):
        calculator.volume_text(5, 0, 1, 7)  # the kernel is too big, but c = 0 is wrong first
    with pytest.raises(TypeError, match=r"k must be a positive integer, got 7\.0"):
        calculator.volume_text(5, 1, 1, 7.0)
    with pytest.raises(ValueError, match="p must be a non-negative integer, got -1"):
        calculator.volume_text(5, 1, 1, 3, 1, -1)


def test_calculator_html():
    out = calculator.calculator_html(uid="c1").data
    assert 'id="c1"' in out and "pads 0 before, 1 after" in out
    assert page.static_text("calc.js") in out
    assert "x u" not in calculator.calculator_html(n=6, k=3, s=2, p=1, convention="symmetric").data
    assert calculator.calculator_html(n=6, k=3, s=2, p=0, convention="symmetric").data.count("x u") == 11


def test_volume_calculator_and_pages():
    assert calculator.volume(32, 3, 10, 5) == {"out": 28, "weights": 750, "params": 760}
    with pytest.raises(ValueError, match="larger"):
        calculator.volume(3, 3, 10, 5)
    assert "28×28×10" in calculator.volume_html(uid="v1").data
    three = calculator.volume_html(k=3).data
    assert "30×30×10" in three and "= 280 parameters" in three
    assert "0.333, 0.333, 0.333" in softmax.softmax_html(z=(0.0, 0.0, 0.0)).data
    out = softmax.softmax_html(uid="s1").data
    assert softmax.softmax_text((2.0, 1.0, -1.0), 0) in out and page.static_text("softmax.js") in out


def test_grid_view_is_the_grid_of_one_convention():
    out = calculator.grid_view(6, 3, 2, 0, 1, "keras_valid").data
    assert calculator.grid_html(6, 0, 0, 3, 2, 1, 2) in out and calculator.LEGEND in out
    assert "PyTorch raises" in calculator.grid_view(6, 3, 2, convention="torch_same").data


# ----------------------------------------------------------------------------- menus, softmax
def _control_data(out: str) -> dict:
    return json.loads(html.unescape(re.search(r"data-cnn='([^']*)'", out).group(1)))


def test_kernel_editor_carries_the_photo_and_draws_its_first_view():
    out = gallery.kernel_editor_html(PHOTO, "Sobel x", name="the cat photo", uid="k1").data
    d = _control_data(out)
    px = np.frombuffer(base64.b64decode(d["px"]), np.uint8).reshape(d["h"], d["w"])
    np.testing.assert_array_equal(px, np.round(PHOTO))
    assert [n for n, _ in d["presets"]] == list(filters.KERNELS)
    for (_, texts), k in zip(d["presets"], filters.KERNELS.values()):
        assert [float(t) for t in texts] == k.ravel().tolist()  # read back exactly (1/9 too)
    assert "<option selected>Sobel x</option>" in out and out.count("<option") == len(filters.KERNELS) + 1
    assert out.count('<input type="number" name="w"') == 9 and 'aria-label="weight row 3, column 2"' in out
    first = re.search(r'<img src="data:image/jpeg;base64,([^"]+)" alt="([^"]+)"', out)
    assert html.unescape(first.group(2)) == gallery.kernel_text(
        "the cat photo", ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]
    )
    assert first.group(2).startswith("The cat photo filtered with the 3×3 kernel whose rows are [-1, 0, 1],")
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(first.group(1)))))
    want = gallery.filtered_pixels(px, filters.kernel("Sobel x"))
    assert np.abs(shown.astype(int) - want).mean() < 3  # a JPEG of Python's pixels
    own = gallery.kernel_editor_html(PHOTO, [[0, 0, 1], [0, 0, 0], [0, 0, 0]], uid="k2").data
    assert "<option selected>your own</option>" in own


def test_kernel_editor_filters_as_filters_apply_on_the_8bit_photo():
    px = gallery.grey_pixels(PHOTO)
    k = np.array([[0, 0, 1], [0, 0, 0], [0, 0, 0]], float)
    shifted = gallery.filtered_pixels(px, k)  # each pixel takes its up-right neighbour
    np.testing.assert_array_equal(shifted[1:, :-1], px[:-1, 1:])
    assert not shifted[0].any() and not shifted[:, -1].any()  # zeros past the border
    sobel = filters.kernel("Sobel x")
    np.testing.assert_array_equal(
        gallery.filtered_pixels(px, sobel),
        filters.to_uint8(filters.apply_cv2(px.astype(float), sobel), sobel),
    )


@pytest.mark.parametrize(
    "args, message",
    [
        ((PHOTO, "blur"), "no kernel named 'blur'"),
        ((PHOTO, np.ones((5, 5))), "kernel must be 3×3"),
        ((PHOTO, np.full((3, 3), 1001.0)), "kernel weights must be from -1000 to 1000"),
        ((np.stack([PHOTO] * 3, axis=2),), "photo must be 2-D"),
        ((PHOTO * 2,), "grey values from 0 to 255"),
        ((np.zeros((600, 10)),), "at most 512 pixels a side"),
    ],
)
def test_kernel_editor_refuses_what_it_cannot_show(args, message):
    with pytest.raises((ValueError, KeyError), match=re.escape(message)):
        gallery.kernel_editor_html(*args)


def test_pool_explorer_carries_the_photo_and_draws_its_first_view():
    out = gallery.pool_explorer_html(PHOTO, "l2", 4, 2, name="the cat photo", uid="p1").data
    d = _control_data(out)
    assert (d["h"], d["w"], d["bounds"]) == (
        300,
        300,
        {"size": [1, 16, "window size"], "stride": [1, 16, "stride"]},
    )
    assert '<option value="l2" selected>L2</option>' in out
    text = gallery.pool_text("the cat photo", 300, 300, "l2", 4, 2)
    assert text == (
        "The cat photo after L2 pooling with 4×4 windows, stride 2: 300×300 pixels become "
        "149×149, each value divided by 4 to show it."
    )
    first = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', out)
    assert html.unescape(first.group(2)) == text
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(first.group(1)))))
    px = gallery.grey_pixels(PHOTO)
    np.testing.assert_array_equal(shown, gallery.pooled_pixels(px, "l2", 4, 2))
    np.testing.assert_array_equal(
        gallery.pooled_pixels(px, "avg", 4, 4), np.round(px.reshape(75, 4, 75, 4).mean(axis=(1, 3)))
    )
    np.testing.assert_array_equal(
        gallery.pooled_pixels(px, "max", 4, 4), px.reshape(75, 4, 75, 4).max(axis=(1, 3))
    )
    with pytest.raises(ValueError, match="size must be an integer from 1 to 16"):
        gallery.pool_explorer_html(PHOTO, "max", 17)
    with pytest.raises(ValueError, match="mode must be one of"):
        gallery.pool_explorer_html(PHOTO, "min", 2)


def test_switcher_swaps_precomputed_images():
    px = np.zeros((4, 4), np.uint8)
    out = gallery.switcher_html([("a", px, "cap a", "alt a"), ("b", px + 9, "cap b", "alt b")], uid="sw").data
    assert out.count("<option ") == 2 and "cap a" in out and out.count("data:image/jpeg") == 3
    assert 'id="sw"' in out


def test_softmax_control_starts_with_pythons_line():
    out = softmax.softmax_html(z=(1.0, 0.0, -2.0), y=2).data
    assert html_escape(softmax.softmax_text([1.0, 0.0, -2.0], 2)) in out
    with pytest.raises(ValueError, match="y must be"):
        softmax.softmax_html(y=3)


# ----------------------------------------------------------------------------- frames
def test_a_sweep_frame_marks_the_window_the_output_cell_and_the_sum():
    f = SweepFrames(B, PAIR[None, :])
    assert _arith(players.sweep_html(f, 0)) == ["86×1 + 4×0.3 = 87.2"]
    view = players.sweep_html(f, 1)  # row 0, second window
    assert _arith(view) == ["4×1 + 8×0.3 = 6.4"]
    assert "win" in _cell_class(view, "in", 0, 1) and "win" in _cell_class(view, "in", 0, 2)
    assert "win" not in _cell_class(view, "in", 0, 0)
    assert "cur" in _cell_class(view, "out", 0, 1) and "done" in _cell_class(view, "out", 0, 0)
    assert _arith(players.sweep_html(f, 4))[0].endswith("= 5.4")  # row 1, column 1: the formula cell


def test_sweep_frames_follow_the_kernel_stride_and_padding():
    x = np.arange(20, dtype=float).reshape(4, 5)
    k = np.array([[1.0, -1.0], [0.5, 2.0]])
    f, out = SweepFrames(x, k), ops.conv2d(x, k)
    for pos in (1, 5, out.size - 1):
        i, j = divmod(pos, out.shape[1])
        assert _value(players.sweep_html(f, pos)) == (i, j, pytest.approx(round(out[i, j], 2)))
    frames = _player_data(players.sweep_player(np.ones((5, 5)), np.ones((3, 3)), 2, "same"))["frames"]
    assert len(frames) == ops.conv2d(np.ones((5, 5)), np.ones((3, 3)), 2, "same").size
    case3 = _player_data(players.sweep_player(B, PAIR[None, :], padding=((0, 0), (1, 1))))["frames"]
    assert len(case3) == 17 * 5 and case3[0][2] == "0×1 + 86×0.3 = 25.8"  # the pad zero is shown
    K = data.load("case5_kernel")
    case5 = _player_data(players.sweep_player(A, K))["frames"]
    assert case5[0][2] == "25×1 + 2×0.3 + 223×0.3 + 7×1 = 99.5"
    assert case5[-1][2].endswith(f"= {fmt_number(ops.conv2d(A, K)[-1, -1])}")


def test_an_editable_sweep_gives_the_page_its_padded_input_kernel_and_boxes():
    h = players.sweep_player(B, PAIR[None, :], padding=((0, 0), (1, 1)), decimals=3, editable=True)
    d = _player_data(h)
    assert d["x"] == np.pad(B, ((0, 0), (1, 1))).tolist() and d["k"] == [PAIR.tolist()] and d["dec"] == 3
    assert h.data.count('name="w"') == 2 and 'aria-label="weight [0, 1]"' in h.data
    assert "data-f=" not in h.data
    plain = players.sweep_player(B, PAIR[None, :])
    assert 'class="weights"' not in plain.data and "k" not in _player_data(plain)


def test_an_editable_filter_bank_has_one_line_of_boxes_per_filter():
    names = ["it's <b>", "b"]
    h = players.filter_bank_player(B, [PAIR[None, :], PAIR2[None, :]], names=names, editable=True)
    d = _player_data(h)
    assert d["ks"] == [[PAIR.tolist()], [PAIR2.tolist()]] and d["x"] == B.tolist() and d["dec"] == 2
    assert d["frames"][8 * 3 + 2][2:] == ["204×1 + 253×0.3 = 279.9", "204×0.1 + 253×5 = 1285.4"]
    assert h.data.count('name="w"') == 4 and h.data.count('data-f="1"') == 2
    assert '<span class="cap">it&#x27;s &lt;b&gt;:</span>' in h.data
    assert 'aria-label="it&#x27;s &lt;b&gt; weight [0, 1]"' in h.data
    plain = players.filter_bank_player(B, [PAIR[None, :], PAIR2[None, :]], names=names)
    assert 'class="weights"' not in plain.data and "ks" not in _player_data(plain)


def test_a_sweep_over_channels_shows_every_channel_its_map_and_the_output():
    x, kernels, biases = data.two_channel()
    h = players.sweep_player(x, kernels[..., 0], bias=biases[0], label="window")
    d = _player_data(h)
    assert d["names"] == ["channel 0", "channel 1", "output"] and len(d["frames"]) == 9
    assert d["frames"][0][2:] == ["3×1 + 4×2 = 11", "1×-1 + 0×1 + 3×1 = 2", "11 + 2 + -2 = 11"]
    assert "xc" not in d and 'class="weights"' not in h.data
    assert h.data.count('class="cnn-grid in"') == 2 and h.data.count('class="cnn-grid out"') == 3
    view = players.channel_html(ChannelSweep(x, kernels[..., 0], biases[0]), 4)
    assert _arith(view) == ["4×1 + 5×2 = 14", "3×-1 + 1×1 + 0×1 = -2", "14 + -2 + -2 = 10"]
    assert "cur" in _cell_class(view, "out", 1, 1) and "win" in _cell_class(view, "in", 2, 2)
    assert "output = map 0 + map 1 + b" in view
    with pytest.raises(ValueError, match="bias is for an input of several channels"):
        players.sweep_player(B, PAIR[None, :], bias=1)


def test_an_editable_sweep_over_channels_has_a_line_of_boxes_per_channel_and_a_bias_box():
    x, kernels, biases = data.two_channel()
    h = players.sweep_player(x, kernels[..., 1], bias=biases[1], editable=True)
    d = _player_data(h)
    assert d["xc"] == [x[:, :, 0].tolist(), x[:, :, 1].tolist()] and d["b"] == 1 and d["dec"] == 2
    assert d["kc"] == [kernels[:, :, 0, 1].tolist(), kernels[:, :, 1, 1].tolist()]
    assert h.data.count('name="w"') == 8 and h.data.count('data-f="1"') == 4
    assert 'aria-label="channel 1 weight [0, 1]"' in h.data and 'name="b"' in h.data
    assert 'aria-label="bias"' in h.data


# ----------------------------------------------------------------------------- explorer
@pytest.fixture(scope="module")
def few_digits():
    from helpers.interactive import explorer

    return explorer.test_digits(per_digit=1)


def test_explorer_is_a_control_made_of_the_static_files_and_the_export(few_digits):
    from helpers import digitnet
    from helpers.interactive import explorer

    h = explorer.explorer(few_digits, uid="dx-test").data
    assert h.count('id="dx-test"') == 1 and 'data-cnn-kind="explorer"' in h
    assert 'cnnBook.mount(document.getElementById("dx-test"))' in h
    for name in ("book.css", "explorer.css", "book.js", "digitnet.js", "explorer.js"):
        assert page.static_text(name) in h, name
    assert not re.search(r"\$(id|css|data|js|body|kind|classes)\b", h)  # every slot filled
    d = _player_data(explorer.explorer(few_digits, uid="dx-test"))
    assert d["net"] == json.loads(digitnet.DRAWN_EXPORT_FILE.read_text())
    assert d["digits"] == few_digits and set(d["cmaps"]) == {"magma", "rdbu"}


def test_two_explorers_on_a_page_share_no_id(few_digits):
    from helpers.interactive import explorer

    a, b = (explorer.explorer(few_digits).data for _ in range(2))
    ids_a, ids_b = (set(re.findall(r'\bid="([^"]+)"', h)) for h in (a, b))
    assert len(ids_a) > 5 and not ids_a & ids_b
    # every label and caption points at an id of its own explorer
    refs = set(re.findall(r'(?:for|aria-labelledby|aria-describedby)="([^"]+)"', a))
    assert refs and refs <= ids_a


def test_explorer_offers_the_test_digits_and_what_the_network_reads():
    from helpers import digitnet
    from helpers.interactive import explorer

    images, labels, split = data.load_mnist_5k()
    wrong_row = 4242
    digits = explorer.test_digits(per_digit=3, extra_rows=[wrong_row, int(split["test"][0])])
    assert len(digits) == 31 and sorted({d["label"] for d in digits}) == list(range(10))
    assert digits[-1]["row"] == wrong_row  # an extra row once, at the end
    weights = digitnet.load_export().weights
    for d in digits[:3] + digits[-1:]:
        pixels = explorer.unpack_digit(d["ink"])
        assert np.array_equal(pixels, images[d["row"]]) and d["label"] == labels[d["row"]]
        assert len(base64.b64decode(d["ink"])) == 98 + np.count_nonzero(pixels) < 784 // 2
        read = int(digitnet.forward(weights, pixels / 255.0)["probabilities"].argmax())
        assert d["read"] == read and d["wrong"] == (read != d["label"])


def test_misread_rows_are_the_test_digits_the_network_gets_wrong():
    from helpers.interactive import explorer

    split = data.load_mnist_5k()[2]
    rows = explorer.misread_rows()
    assert 0 < len(rows) < len(split["test"]) // 10 and set(rows) <= {int(r) for r in split["test"]}
    every = explorer.test_digits(per_digit=len(split["test"]))  # the whole test split
    assert len(every) == len(split["test"])
    assert sorted(rows) == sorted(d["row"] for d in every if d["wrong"])


def test_packed_digits_round_trip_exactly():
    from helpers.interactive import explorer

    rng = np.random.default_rng(0)
    for px in (
        np.zeros((28, 28), np.uint8),
        np.full((28, 28), 255, np.uint8),
        rng.integers(0, 256, (28, 28)).astype(np.uint8) * (rng.random((28, 28)) < 0.2),
    ):
        assert np.array_equal(explorer.unpack_digit(explorer.pack_digit(px)), px)
    with pytest.raises(ValueError, match="784"):
        explorer.pack_digit(np.zeros((20, 20)))
    with pytest.raises(ValueError, match="bytes"):
        explorer.unpack_digit(explorer.pack_digit(np.full((28, 28), 9))[:-8])


def test_explorer_colour_maps_are_the_figures_maps():
    import matplotlib

    from helpers.figures import style
    from helpers.interactive import explorer

    maps = explorer.colour_maps()
    magma = np.frombuffer(base64.b64decode(maps["magma"]), np.uint8).reshape(256, 3)
    expect = np.round(matplotlib.colormaps[style.MAPS_CMAP](np.linspace(0, 1, 256))[:, :3] * 255)
    assert np.array_equal(magma, expect)
    rdbu = np.frombuffer(base64.b64decode(maps["rdbu"]), np.uint8).reshape(256, 3)
    assert rdbu[0, 2] > rdbu[0, 0] and rdbu[-1, 0] > rdbu[-1, 2]  # blue < 0 < red


def test_confusion_table_rows_are_true_digits():
    from helpers.interactive import explorer

    m = np.zeros((10, 10), int)
    m[4, 9] = 3
    table = explorer.confusion_html(m, "a <caption>")
    assert "<caption>a &lt;caption&gt;</caption>" in table and table.count("<tr>") == 11
    assert '<th scope="row">4</th>' + "<td" in table and ">3</td>" in table


def test_calculator_html_is_bounded_like_the_page(monkeypatch):
    """The page's boxes stop at SIZE_FIELDS' limits; Python refuses beyond them at once, and
    within them never builds a grid wider than GRID_MAX cells (n = 4096 would be 16 million
    cells): the sizes, and a note instead of the grid."""
    import time

    for kwargs, name in (
        ({"n": 4097}, "n"),
        ({"k": 16}, "k"),
        ({"p": 11}, "p"),
        ({"s": 11}, "s"),
        ({"d": 6}, "d"),
    ):
        t0 = time.perf_counter()
        with pytest.raises(ValueError, match=rf"^{name} must be at most \d+ in the calculator"):
            calculator.calculator_html(**kwargs)
        assert time.perf_counter() - t0 < 0.5
    with pytest.raises(ValueError, match="n must be at most 4096"):
        calculator.grid_view(5000, 3)
    monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)  # the markup alone, no page script
    t0 = time.perf_counter()
    big = calculator.calculator_html(n=4096, k=15, s=10, p=10, convention="symmetric").data
    assert time.perf_counter() - t0 < 0.5 and big.count("<td") == 2 * len(calculator.LABELS)
    assert "grid not drawn: the padded input is 4116 cells a side" in big


def test_calculator_covers_real_networks():
    """The limits hold real networks' layers, and the sizes are ops.output_size's: the ResNet
    stem (224, k 7, s 2, p 3) gives 112, AlexNet's first layer (227, 11, 4) gives 55."""
    lims = {name: hi for name, (_, _, hi, _) in calculator.SIZE_FIELDS.items()}
    assert lims["n"] >= 1024 and lims["k"] >= 11 and lims["s"] >= 4 and lims["p"] >= 5
    assert calculator.sizes(224, 7, 2, 3)["symmetric"] == {"out": 112, "pads": [3, 3]}
    assert calculator.sizes(227, 11, 4)["keras_valid"]["out"] == 55
    view = calculator.calculator_html(224, 7, 2, 3, convention="symmetric").data
    assert "<td>112 (pads 3 before, 3 after)</td>" in view and "230 cells a side" in view


@pytest.mark.parametrize(
    "text, want",
    [
        ("224", 224),
        ("007", 7),
        ("4096", 4096),
        ("", "input size n: type a whole number from 1 to 4096"),  # empty, or text a box cannot read
        ("0", "input size n: type a whole number from 1 to 4096"),
        ("-3", "input size n: type a whole number from 1 to 4096"),
        ("4097", "input size n: type a whole number from 1 to 4096"),
        ("2.5", "input size n: type a whole number from 1 to 4096"),
        ("1e3", "input size n: type a whole number from 1 to 4096"),
        ("9" * 5000, "input size n: type a whole number from 1 to 4096"),
        ("\u0666", "input size n: type a whole number from 1 to 4096"),
    ],
)
def test_a_number_box_gives_its_number_or_a_message(text, want):
    """What a number box holds is its number or one message naming the box and the fix:
    never a number clamped into range (an empty n was 1, n = 224 was 40)."""
    lo, hi, desc = calculator.SIZE_FIELDS["n"][1:]
    assert calculator.read_field(text, lo, hi, desc) == want
    form = {"n": text, "k": "3", "s": "1", "p": "0", "d": "1"}
    got = calculator.read_form(calculator.SIZE_FIELDS, form)
    assert got == (want if isinstance(want, str) else {"n": want, "k": 3, "s": 1, "p": 0, "d": 1})


@pytest.mark.parametrize(
    "args, name",
    [
        ((6, 0, 0, 3, 2, 1, 3), "out"),  # a third window at stride 2 runs off the 6 cells
        ((6, 0, 0, 7, 1, 1, 1), "k"),  # the kernel is wider than the padded input
        ((6, 0, 0, 3, 1, 3, 1), "d"),  # dilated, it is too
        ((0, 0, 0, 1, 1, 1, 1), "n"),
        ((6, -1, 0, 3, 1, 1, 4), "before"),
        ((6, 0, 0, 3, 0, 1, 4), "s"),
        ((6, 0, 0, 3, 1, 1, 0), "out"),
        ((6.0, 0, 0, 3, 1, 1, 4), "n"),
        ((400, 0, 0, 3, 1, 1, 398), "n"),  # a grid of 160,000 cells
    ],
)
def test_grid_html_names_the_bad_argument(args, name):
    with pytest.raises((ValueError, TypeError), match=rf"^{name} "):
        calculator.grid_html(*args)

"""Part II helpers: filters, the size calculator (Python, generated JavaScript, Keras), the
kernel editor, the network trace and the gradient of one kernel weight."""

import io
import json
import os
import shutil
import subprocess

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from helpers import calculator, data, exercises, filters, network, ops

PHOTO = data.load_photo("chelsea", gray=True)


# ----------------------------------------------------------------------------- filters
@pytest.mark.parametrize("name", list(filters.KERNELS))
def test_filters_equal_opencv_on_colour_photo(name):
    rgb = data.load_photo("coffee")
    ours = filters.apply(rgb, filters.kernel(name))
    assert ours.shape == rgb.shape
    np.testing.assert_allclose(ours, filters.apply_cv2(rgb, filters.kernel(name)), atol=1e-9)


def test_convolve_flips_the_kernel():
    sx = filters.kernel("Sobel x")
    # a 180-degree turn of Sobel x is minus Sobel x: convolution negates the correlation
    np.testing.assert_allclose(filters.convolve(PHOTO, sx), -filters.apply(PHOTO, sx))
    emb = filters.kernel("emboss")
    assert not np.allclose(filters.convolve(PHOTO, emb), filters.apply(PHOTO, emb))
    sym = data.load("conv6x6_kernel")
    np.testing.assert_allclose(filters.convolve(PHOTO, sym), filters.apply(PHOTO, sym))


def test_convolve_matches_scipy():
    signal = pytest.importorskip("scipy.signal")
    emb = filters.kernel("emboss")
    np.testing.assert_allclose(filters.convolve(PHOTO, emb),
                               signal.convolve2d(PHOTO, emb, mode="same"), atol=1e-9)


def test_filter_errors_and_display():
    with pytest.raises(ValueError, match="odd"):
        filters.apply(PHOTO, np.ones((2, 2)))
    with pytest.raises(KeyError, match="known"):
        filters.kernel("nope")
    out = filters.apply(PHOTO, filters.kernel("Sobel x"))
    px = filters.to_uint8(out, filters.kernel("Sobel x"))
    assert px.dtype == np.uint8 and px.max() == 255
    blur = filters.to_uint8(filters.apply(PHOTO, filters.kernel("box blur")),
                            np.full((3, 3), 1 / 9))
    assert blur.min() >= 0 and abs(float(blur[150, 150]) - PHOTO[149:152, 149:152].mean()) <= 0.5


def test_gallery_has_one_image_per_kernel():
    html = filters.gallery_html(PHOTO[::4, ::4], uid="g1").data
    assert html.count("data:image/jpeg;base64,") == len(filters.KERNELS) + 1  # + first view
    for name in filters.KERNELS:
        assert f'<option value="{name}">' in html


# ----------------------------------------------------------------------------- calculator
def _ops_sizes(n, k, s, p, d):
    out = {}
    for key, padding in (("symmetric", p), ("keras_valid", "valid"), ("keras_same", "same")):
        try:
            size, pads = ops.output_size(n, k, s, padding, d, return_padding=True)
            out[key] = (size, list(pads))
        except ValueError:
            out[key] = None
    return out


def test_calculator_formulas_agree_with_ops():
    for n in range(1, 14):
        for k in range(1, 6):
            for s in range(1, 4):
                for p in range(3):
                    for d in range(1, 3):
                        res = calculator.sizes(n, k, s, p, d)
                        want = _ops_sizes(n, k, s, p, d)
                        for key in ("symmetric", "keras_valid", "keras_same"):
                            if key != "symmetric" and s > 1 and d > 1:
                                assert "error" in res[key]
                            elif want[key] is None:
                                assert "error" in res[key], (n, k, s, p, d, key)
                            else:
                                assert (res[key]["out"], res[key]["pads"]) == want[key]


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
    keras = pytest.importorskip("keras")
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


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_generated_javascript_matches_python():
    cases = [(n, k, s, p, d) for n in (1, 5, 6, 7, 32) for k in (1, 2, 3, 5) for s in (1, 2, 3)
             for p in (0, 1, 2) for d in (1, 2)]
    script = (calculator.javascript() + "\n" + calculator.GRID_JS + "\n"
              f"var C={json.dumps(cases)}, out=[];"
              "C.forEach(function(c){var r=cnnSizes.apply(null,c); var g=r.keras_same;"
              "out.push([r, g.out===undefined?null:"
              "cnnGrid(c[0],g.pads[0],g.pads[1],c[1],c[2],c[4],g.out)]);});"
              "console.log(JSON.stringify(out));")
    res = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                         check=True)
    got = json.loads(res.stdout)
    for (n, k, s, p, d), (js, grid) in zip(cases, got):
        py = calculator.sizes(n, k, s, p, d)
        assert js == json.loads(json.dumps(py)), (n, k, s, p, d)
        g = py["keras_same"]
        if "out" in g:
            assert grid == calculator.grid_html(n, g["pads"][0], g["pads"][1], k, s, d, g["out"])
        else:
            assert grid is None


def test_calculator_html_and_widget():
    from helpers import widgets

    page = calculator.calculator_html(uid="c1").data
    assert "function cnnSizes" in page and 'id="c1"' in page and "pads 0 before, 1 after" in page
    w = widgets.SizeCalculator(n=6, k=3, s=1, p=1, convention="symmetric")
    assert w.result["symmetric"]["out"] == 6
    w.s.value = 2
    assert w.result["symmetric"]["out"] == 3 and "x u" not in w.view.value
    w.p.value = 0
    assert w.result["symmetric"]["out"] == 2 and w.view.value.count("x u") == 11


# ----------------------------------------------------------------------------- kernel editor
def test_kernel_editor_follows_a_typed_weight():
    cv2 = pytest.importorskip("cv2")
    from PIL import Image

    from helpers import widgets

    ed = widgets.KernelEditor(PHOTO, "identity")
    np.testing.assert_allclose(ed.output, PHOTO, atol=1e-9)
    before = ed.png
    ed.set_weight(0, 2, 1.0)   # top-right weight: each pixel adds its up-right neighbour
    want = cv2.filter2D(PHOTO, cv2.CV_64F, ed.kernel, borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(ed.output, want, atol=1e-9)
    assert ed.output[10, 10] == pytest.approx(PHOTO[10, 10] + PHOTO[9, 11])
    assert ed.output[0, 10] == pytest.approx(PHOTO[0, 10])          # zero row above
    assert ed.png != before
    assert 'alt="the photo filtered' in ed.image.value
    shown = np.asarray(Image.open(io.BytesIO(ed.png)))
    np.testing.assert_array_equal(shown, filters.to_uint8(want, ed.kernel))
    ed.preset.value = "Sobel y"
    np.testing.assert_array_equal(ed.kernel, filters.kernel("Sobel y"))
    np.testing.assert_allclose(ed.output, filters.apply_cv2(PHOTO, filters.kernel("Sobel y")))


# ----------------------------------------------------------------------------- network
NETS = [
    ((32, 32, 3), [network.Conv(10, 5), network.Pool(2), network.Conv(16, 3, padding="same"),
                   network.Pool(2), network.Flatten(), network.Dense(10, "softmax")]),
    ((300, 300, 3), [network.Conv(10, 5), network.Pool(2), network.Flatten(), network.Dense(1)]),
    ((28, 28, 1), [network.Conv(8, 3, stride=2, padding="same"), network.Pool(3, 2, "same"),
                   network.Conv(4, 2), network.GlobalAvgPool(), network.Dense(3)]),
]


@pytest.mark.parametrize("shape,layers", NETS)
def test_trace_matches_keras(shape, layers):
    pytest.importorskip("keras")
    rows = network.trace(shape, layers)
    model = network.to_keras(shape, layers)
    k = network.keras_rows(model)
    assert [r["shape"] for r in rows[1:]] == [r["shape"] for r in k]
    assert [r["params"] for r in rows[1:]] == [r["params"] for r in k]
    assert sum(r["params"] for r in rows) == model.count_params()
    assert "total" in network.trace_table(rows)


def test_trace_uses_depth_examples_from_data():
    for n, depth, f, kern, s, _p, oh, ow, od in data.load("depth_examples"):
        rows = network.trace((n, n, depth), [network.Conv(int(f), int(kern), int(s))])
        assert rows[-1]["shape"] == (oh, ow, od)
        assert rows[-1]["params"] == ops.conv_params(kern, kern, depth, f)


def test_trace_errors():
    with pytest.raises(ValueError, match="Flatten"):
        network.trace((8, 8, 1), [network.Dense(2)])
    with pytest.raises(TypeError, match="unknown layer"):
        network.trace((8, 8, 1), ["conv"])


def test_finite_difference_equals_gradient_tape_and_a_step_lowers_the_loss():
    pytest.importorskip("tensorflow")
    x = data.load("conv6x6_image") / 255
    params = network.init_tiny(x.shape, seed=0)
    tape = network.tape_gradient(params, x, 1)

    def loss(p):
        return network.tiny_loss(p, x, 1)

    for idx in np.ndindex(3, 3):
        fd = network.finite_difference(loss, params, "kernel", idx)
        assert fd == pytest.approx(tape["kernel"][idx], rel=1e-5, abs=1e-9)
    assert network.finite_difference(loss, params, "bias") == pytest.approx(tape["bias"], rel=1e-5)
    assert np.abs(tape["kernel"]).max() > 1e-3      # not a trivial zero gradient
    new = network.descent_step(params, tape, 0.5)
    assert loss(new) < loss(params)
    with pytest.raises(KeyError):
        network.finite_difference(loss, params, "nope")


def test_softmax_sigmoid_cross_entropy():
    p = network.softmax([2.0, 0.0, -1.0])
    assert p.sum() == pytest.approx(1) and p[0] > p[1] > p[2]
    assert network.softmax([1000.0, 0.0])[0] == pytest.approx(1)   # no overflow
    assert network.softmax([[3.0]])[0, 0] == 1.0                   # one unit: always 1
    assert network.sigmoid(0) == 0.5
    assert network.cross_entropy([0.25, 0.75], 1) == pytest.approx(-np.log(0.75))


# ----------------------------------------------------------------------------- exercises
PART2 = {
    "conv-cell-1-1": 792, "conv-row3": [608, 913, 713, 657], "conv-dense-weights": 576,
    "blur-corner": 27.56, "sobel-flat": 0, "stride2-corner": 851, "size-7-3-2": 3,
    "tf-same-7-2": 4, "same-pad-5": 2, "params-3x3-10": 280, "params-next-layer": 5824,
    "avg-pool": [[496.75, 648.5], [701.75, 743]], "pool-size-296": [148, 148, 10],
    "softmax-2-0": 0.881, "dense-784-10": 7850,
}


@pytest.mark.parametrize("key", sorted(PART2))
def test_part2_exercises(key):
    assert exercises.is_correct(key, PART2[key])
    wrong = np.asarray(PART2[key], dtype=float) + 1
    assert not exercises.is_correct(key, wrong)


# ----------------------------------------------------------------------------- small page controls
def _node(script):
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True,
                                     timeout=60, check=True).stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_volume_and_softmax_javascript_match_python():
    cases = [(32, 3, 10, 5, 1, 0), (32, 3, 10, 3, 1, 0), (300, 3, 10, 5, 1, 0), (7, 4, 6, 3, 2, 1)]
    got = _node(calculator.volume_javascript() + f"console.log(JSON.stringify({json.dumps(cases)}"
                ".map(function(c){return cnnVolume.apply(null,c);})))")
    assert got == [calculator.volume(*c) for c in cases]
    zs = [[2, 1, -1], [0, 0, 0], [1000, 0, -3], [-2.5, 4, 0.5]]
    got = _node(network.SOFTMAX_JS
                + f"console.log(JSON.stringify({json.dumps(zs)}.map(cnnSoftmax)))")
    np.testing.assert_allclose(got, [network.softmax(z) for z in zs], rtol=1e-12)


def test_volume_calculator_and_pages():
    from helpers import widgets

    assert calculator.volume(32, 3, 10, 5) == {"out": 28, "weights": 750, "params": 760}
    with pytest.raises(ValueError, match="larger"):
        calculator.volume(3, 3, 10, 5)
    v = widgets.VolumeCalculator()
    assert "28×28×10" in v.view.value
    v.boxes["k"].value = 3
    assert "30×30×10" in v.view.value and "= 280 parameters" in v.view.value
    assert "function cnnVolume" in calculator.volume_html(uid="v1").data
    s = widgets.SoftmaxWidget(z=(0.0, 0.0, 0.0))
    assert "0.333, 0.333, 0.333" in s.view.value
    assert "function cnnSoftmax" in network.softmax_html(uid="s1").data


def test_pool_explorer_and_switcher():
    from helpers import widgets

    p = widgets.PoolExplorer(PHOTO, "avg", 4)
    np.testing.assert_allclose(p.output, PHOTO.reshape(75, 4, 75, 4).mean(axis=(1, 3)))
    p.mode.value = "max"
    np.testing.assert_allclose(p.output, PHOTO.reshape(75, 4, 75, 4).max(axis=(1, 3)))
    px = np.zeros((4, 4), np.uint8)
    html = filters.switcher_html([("a", px, "cap a", "alt a"), ("b", px + 9, "cap b", "alt b")],
                                 uid="sw").data
    assert html.count("<option>") == 2 and "cap a" in html and html.count("data:image/jpeg") == 3


def test_twin_filters_stay_twins_only_from_an_equal_start():
    pytest.importorskip("tensorflow")
    x = data.load("conv6x6_image") / 255
    same = network.twin_filter_gradients(x, same_start=True)
    assert same.shape == (2, 3, 3) and np.abs(same).max() > 0
    np.testing.assert_array_equal(same[0], same[1])
    rand = network.twin_filter_gradients(x, same_start=False)
    assert np.abs(rand[0] - rand[1]).max() > 1e-3


def test_images_figure_checks_titles():
    with pytest.raises(ValueError, match="titles"):
        filters.images_figure([PHOTO], ["a", "b"])


def test_article_layers_trace_matches_the_article_model_with_and_without_pooling():
    from helpers import models, network

    with_pool = network.trace(models.ARTICLE_INPUT_SHAPE, network.article_layers())
    without = network.trace(models.ARTICLE_INPUT_SHAPE, network.article_layers(pool=False))
    assert sum(r["params"] for r in with_pool) == models.expected_parameters()["total"] == 219801
    assert sum(r["params"] for r in without) == 876921
    assert with_pool[-2]["shape"] == (219040,)

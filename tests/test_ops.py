"""helpers.ops, by operation: conv2d, correlate_rows, pool2d, the size and parameter-count
rules, then every class of bad argument.

Results: hand-checked cases; the blocked im2col arithmetic of conv2d against the plain
definition (exact for integer data, equal to float64 rounding otherwise, for every block split
and memory budget: the speed-up, benchmarks/, must not change any result); property tests that
draw random shapes, strides and paddings (hypothesis) and require agreement with
tf.nn.conv2d / tf.nn.max_pool2d / tf.nn.avg_pool2d in float64; OpenCV filtering a real photo
shipped with the book; results that overflow float64 said so; sizes exact for numpy integers
and beyond float precision.

Bad input (``assert_clear_error``): a ValueError/TypeError (OverflowError for a result that
does not exist in float64) raised by helpers.ops itself or by the argument rules of
helpers.validate it calls, never an error from deep inside NumPy, with a short message that
names the argument and says what to do.
"""

import traceback
import tracemalloc

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import data, ops


def assert_clear_error(exc_type, words, fn, *args, **kwargs):
    with pytest.raises(exc_type) as excinfo:
        fn(*args, **kwargs)
    message = str(excinfo.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert traceback.extract_tb(excinfo.tb)[-1].filename.endswith(
        ("helpers/ops.py", "helpers/validate.py")
    ), "error should come from helpers.ops, not from NumPy"
    assert len(message) < 250, message


X = np.arange(36, dtype=float).reshape(6, 6)
K = np.ones((3, 3))


def reference(x, k, stride, padding):
    """Definition of cross-correlation, one output cell at a time (slow, obviously right)."""
    x3 = np.asarray(x, float)
    x3 = x3 if x3.ndim == 3 else x3[:, :, None]
    k4 = np.asarray(k, float)
    k4 = {2: k4[:, :, None, None], 3: k4[..., None], 4: k4}[k4.ndim]
    kh, kw, _, f = k4.shape
    sh, sw = ops.as_pair("stride", stride)
    (top, bottom), (left, right) = ops.padding_2d(padding, x3.shape[:2], (kh, kw), (sh, sw))
    xp = np.pad(x3, ((top, bottom), (left, right), (0, 0)))
    oh, ow = (xp.shape[0] - kh) // sh + 1, (xp.shape[1] - kw) // sw + 1
    out = np.zeros((oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = xp[i * sh : i * sh + kh, j * sw : j * sw + kw, :]
            for q in range(f):
                out[i, j, q] = float(np.sum(win * k4[:, :, :, q]))
    return out if np.ndim(k) == 4 else out[:, :, 0]


def _tap_loop(x, k, stride):
    """The book's original conv2d arithmetic: one matrix product per kernel tap, in order."""
    x3 = x[:, :, None]
    k4 = k[:, :, None, None]
    kh, kw = k.shape
    oh, ow = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow, 1))
    for u in range(kh):
        for v in range(kw):
            patch = x3[u : u + stride * (oh - 1) + 1 : stride, v : v + stride * (ow - 1) + 1 : stride, :]
            out += patch @ k4[u, v]
    return out[:, :, 0]


def _peak_bytes(fn, *args, **kwargs):
    tracemalloc.start()
    try:
        result = fn(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------ conv2d
def test_conv2d_hand_computed():
    x = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    k = np.array([[1, 0], [0, -1]])
    np.testing.assert_array_equal(ops.conv2d(x, k), [[1 - 5, 2 - 6], [4 - 8, 5 - 9]])


def test_conv2d_is_cross_correlation_not_convolution():
    x = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float)
    k = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], float)
    # a single 1 picks out the kernel flipped: correlation, no flip of the kernel
    np.testing.assert_array_equal(ops.conv2d(x, k, padding=1), k[::-1, ::-1])


def test_conv2d_channels_filters_bias_shapes():
    x = np.random.default_rng(0).random((7, 5, 3))
    k4 = np.random.default_rng(1).random((3, 2, 3, 4))
    out = ops.conv2d(x, k4, stride=(2, 1), padding="same", bias=np.arange(4))
    assert out.shape == (4, 5, 4)
    out1 = ops.conv2d(x, k4[..., 2], stride=(2, 1), padding="same", bias=2)
    np.testing.assert_allclose(out[..., 2], out1)


def test_teaching_case_and_2d_kernel_shapes():
    x = np.arange(36.0).reshape(6, 6)
    k = np.array([[1.0, 0.0, -1.0]] * 3)
    out = ops.conv2d(x, k)
    assert out.shape == (4, 4)
    assert np.array_equal(out, reference(x, k, 1, "valid"))
    assert np.array_equal(out, np.full((4, 4), -6.0))
    assert ops.conv2d(x, k, bias=1.5)[0, 0] == -4.5


shapes = st.tuples(
    st.integers(1, 9),
    st.integers(1, 9),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from(["valid", "same", 1, ((0, 2), (1, 0))]),
)


@given(shapes, st.integers(0, 2**31 - 1))
def test_matches_definition(shape, seed):
    h, w, kh, kw, c, f, sh, sw, padding = shape
    kh, kw = min(kh, h), min(kw, w)
    rng = np.random.default_rng(seed)
    x = rng.integers(-9, 10, (h, w, c))
    k = rng.integers(-3, 4, (kh, kw, c, f))
    got = ops.conv2d(x, k, (sh, sw), padding)
    want = reference(x, k, (sh, sw), padding)
    assert got.shape == want.shape
    assert np.array_equal(got, want), "integer data must give exactly the definition"
    xr, kr = rng.standard_normal((h, w, c)), rng.standard_normal((kh, kw, c, f))
    np.testing.assert_allclose(
        ops.conv2d(xr, kr, (sh, sw), padding), reference(xr, kr, (sh, sw), padding), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("block_bytes", [1, 200, 5000, 1 << 30])
def test_block_split_does_not_change_results(monkeypatch, block_bytes):
    rng = np.random.default_rng(8)
    x, k = rng.standard_normal((23, 17, 3)), rng.standard_normal((3, 4, 3, 5))
    want = reference(x, k, 2, "same")
    monkeypatch.setattr(ops, "_BLOCK_BYTES", block_bytes)
    np.testing.assert_allclose(ops.conv2d(x, k, 2, "same"), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "shape, kshape, block",
    [
        ((6, 40, 3), (3, 5, 3, 2), 5 * 3 * 3 * 8 * 4),  # pieces of a row (4 windows per block)
        ((7, 9, 2), (5, 4, 2, 3), 64),  # a window bigger than a block: kernel rows
        ((7, 9, 2), (5, 4, 2, 3), 8),  # a kernel row bigger than a block
    ],
)
def test_every_split_gives_the_definition(monkeypatch, shape, kshape, block):
    rng = np.random.default_rng(len(shape) + block)
    x, k = rng.integers(-9, 10, shape).astype(float), rng.integers(-3, 4, kshape).astype(float)
    want = ops.conv2d(x, k, (1, 2), "same")
    monkeypatch.setattr(ops, "_BLOCK_BYTES", block)
    got = ops.conv2d(x, k, (1, 2), "same")
    assert np.array_equal(got, want)  # integer data: exact whatever the summation order


@pytest.mark.parametrize("stride", [1, 2])
def test_single_channel_is_bitwise_the_original_tap_loop(stride):
    # Filtered photos are rounded to 0-255 pixels and encoded: the last bit matters there.
    rng = np.random.default_rng(11)
    x = rng.integers(0, 256, (61, 47)).astype(float)
    k = np.full((3, 3), 1 / 9) + rng.standard_normal((3, 3)) * 0.01
    assert np.array_equal(ops.conv2d(x, k, stride), _tap_loop(x, k, stride))


def test_large_kernel_on_photo_sized_input_stays_blocked():
    # 11x11x3 windows of a 375x500 photo would be ~0.5 GB unrolled at once; blocks keep it
    # small. Compare one random output cell with the definition.
    rng = np.random.default_rng(3)
    x, k = rng.random((375, 500, 3)), rng.standard_normal((11, 11, 3))
    out = ops.conv2d(x, k, padding="same")
    assert out.shape == (375, 500)
    i, j = 200, 321
    xp = np.pad(x, ((5, 5), (5, 5), (0, 0)))
    assert out[i, j] == pytest.approx(float(np.sum(xp[i : i + 11, j : j + 11] * k)), rel=1e-12)


def test_conv2d_memory_is_bounded_when_one_output_row_is_huge():
    """A 102x2000x3 image, a 101x101x3 kernel, a 2x1900 result (30 KB).
    One output row unrolled is 1900 windows of 30,603 numbers = 465 MB; the block budget
    splits it along the columns."""
    rng = np.random.default_rng(5)
    x, k = rng.random((102, 2000, 3)), rng.random((101, 101, 3))
    out, peak = _peak_bytes(ops.conv2d, x, k)
    assert out.shape == (2, 1900)
    # conv2d holds two copies of x (float64 + padded) and one block of unrolled windows
    budget = 2 * x.nbytes + k.nbytes + 4 * ops._BLOCK_BYTES + out.nbytes
    assert peak < budget, f"peak {peak / 2**20:.1f} MiB > {budget / 2**20:.1f} MiB"
    for i, j in [(0, 0), (1, 777), (1, 1899)]:
        assert out[i, j] == pytest.approx(float(np.sum(x[i : i + 101, j : j + 101] * k)), rel=1e-12)


def test_memory_bound_holds_for_a_window_larger_than_the_block(monkeypatch):
    monkeypatch.setattr(ops, "_BLOCK_BYTES", 1 << 12)
    rng = np.random.default_rng(6)
    x, k = rng.random((40, 300, 4)), rng.random((30, 30, 4))  # one window: 28.8 KB > 4 KB
    out, peak = _peak_bytes(ops.conv2d, x, k)
    budget = 2 * x.nbytes + k.nbytes + out.nbytes + 8 * max(ops._BLOCK_BYTES, 30 * 4 * 8) + (1 << 16)
    assert peak < budget, f"peak {peak} > {budget}"
    assert out[5, 100] == pytest.approx(float(np.sum(x[5:35, 100:130] * k)), rel=1e-12)


def test_conv2d_overflow_is_reported():
    big = np.full((4, 4), 1e308)
    assert_clear_error(
        OverflowError, ["overflows float64", "scale the inputs down"], ops.conv2d, big, np.ones((2, 2))
    )
    assert_clear_error(
        OverflowError, ["overflows"], ops.conv2d, np.full((3, 3, 2), 1e300), np.full((2, 2, 2, 3), 1e10)
    )
    assert_clear_error(
        OverflowError, ["overflows"], ops.conv2d, np.full((3, 3), 1e307), np.ones((2, 2)), bias=1.7e308
    )


@st.composite
def conv_case(draw):
    h, w = draw(st.integers(1, 11)), draw(st.integers(1, 11))
    c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    kh = draw(st.integers(1, h if padding == "valid" else 5))
    kw = draw(st.integers(1, w if padding == "valid" else 5))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    return rng.normal(size=(h, w, c)), rng.normal(size=(kh, kw, c, f)), stride, padding


@given(conv_case())
def test_conv2d_matches_tensorflow(tf, case):
    x, k, stride, padding = case
    ours = ops.conv2d(x, k, stride, padding)
    theirs = tf.nn.conv2d(x[None], k, strides=[1, *stride, 1], padding=padding.upper())[0]
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


@given(conv_case(), st.tuples(*[st.integers(0, 2)] * 4))
def test_conv2d_explicit_padding_matches_tensorflow(tf, case, pads):
    x, k, stride, _ = case
    top, bottom, left, right = pads
    if k.shape[0] > x.shape[0] + top + bottom or k.shape[1] > x.shape[1] + left + right:
        return
    ours = ops.conv2d(x, k, stride, ((top, bottom), (left, right)))
    theirs = tf.nn.conv2d(
        x[None], k, strides=[1, *stride, 1], padding=[[0, 0], [top, bottom], [left, right], [0, 0]]
    )[0]
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


KERNELS = {
    "edge": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float),
    "asymmetric": np.arange(9, dtype=float).reshape(3, 3) - 4,
    "blur5": np.full((5, 5), 1 / 25),
}


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_conv2d_matches_opencv_filter2d_on_a_photo(name):
    k = KERNELS[name]
    photo = data.load_photo("chelsea").astype(np.float64)
    theirs = cv2.filter2D(photo, cv2.CV_64F, k, borderType=cv2.BORDER_CONSTANT)
    pad = k.shape[0] // 2
    ours = np.stack([ops.conv2d(photo[..., ch], k, padding=pad) for ch in range(3)], axis=-1)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-7)


# ------------------------------------------------------------------ correlate_rows
def test_correlate_rows_matches_hand_sum_and_padding():
    img = np.array([[86, 4, 8, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3]), [[87.2, 6.4, 63.2]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], padding=1), [[25.8, 87.2, 6.4, 63.2, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], padding=(0, 1)), [[87.2, 6.4, 63.2, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], stride=2), [[87.2, 63.2]])


def test_correlate_rows_column_stride_forms_agree():
    img = np.arange(24.0).reshape(3, 8)
    np.testing.assert_array_equal(
        ops.correlate_rows(img, [1, -1], stride=(1, 3)), ops.correlate_rows(img, [1, -1], stride=3)
    )
    np.testing.assert_array_equal(ops.correlate_rows(img, [1, -1], stride=3), (img[:, 0:7:3] - img[:, 1:8:3]))


# ------------------------------------------------------------------ pool2d
def test_pool_modes():
    m = np.array([[1, 2], [3, 4]], float)
    assert ops.pool2d(m)[0, 0] == 4
    assert ops.pool2d(m, mode="avg")[0, 0] == 2.5
    assert ops.pool2d(m, mode="l2")[0, 0] == pytest.approx(np.sqrt(30))
    same = ops.pool2d(np.arange(9.0).reshape(3, 3), 2, 2, "avg", "same")
    np.testing.assert_allclose(same, [[2, 3.5], [6.5, 8]])  # padding not counted


def test_l2_pool_is_root_of_sum_of_squares():
    x = np.random.default_rng(3).random((6, 4, 2))
    expected = np.sqrt((x.reshape(3, 2, 2, 2, 2) ** 2).sum(axis=(1, 3)))
    np.testing.assert_allclose(ops.pool2d(x, 2, mode="l2"), expected)


@pytest.mark.parametrize("mode", ops.POOL_MODES)
@pytest.mark.parametrize("size, stride", [(2, 1), (3, 1), (3, 2), (4, 3), (5, 2)])
def test_pool_padding_up_to_half_a_window_has_no_nan(size, stride, mode):
    x = np.random.default_rng(size).random((6, 7, 2))
    for padding in (size // 2, "same", ((0, size // 2), (size // 2, 0))):
        out = ops.pool2d(x, size, stride, mode, padding)
        assert np.all(np.isfinite(out)), (size, stride, padding)


def test_pool_overflow_is_reported_only_when_the_result_overflows():
    big = np.full((4, 4), 1.5e308)
    np.testing.assert_array_equal(ops.pool2d(big, 2, mode="max"), np.full((2, 2), 1.5e308))
    # the mean of finite values is finite: computed without overflowing
    np.testing.assert_allclose(ops.pool2d(big, 2, mode="avg"), np.full((2, 2), 1.5e308), rtol=1e-15)
    mixed = np.array([[1e308, 1.7e308], [1.6e308, 1.2e308]])
    assert ops.pool2d(mixed, 2, mode="avg")[0, 0] == pytest.approx(1.375e308, rel=1e-15)
    # sqrt(4) * 1.5e308 = 3e308 does not exist in float64: said so
    assert_clear_error(OverflowError, ["l2 pooling", "overflows"], ops.pool2d, big, 2, mode="l2")
    # a large but representable L2 norm is computed
    assert ops.pool2d(np.full((2, 2), 1e200), 2, mode="l2")[0, 0] == pytest.approx(2e200, rel=1e-15)


def test_no_overflow_no_change():
    x = np.random.default_rng(0).standard_normal((9, 9, 2))
    assert np.array_equal(ops.pool2d(x, 3, 2, "avg", 1), ops.pool2d(x.copy(), 3, 2, "avg", 1))
    assert ops.pool2d(np.array([[1.0, 2.0], [3.0, 4.0]]), 2, mode="avg")[0, 0] == 2.5


@st.composite
def pool_case(draw):
    h, w, c = draw(st.integers(1, 10)), draw(st.integers(1, 10)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    ph = draw(st.integers(1, min(h, 4)))
    pw = draw(st.integers(1, min(w, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    x = np.random.default_rng(draw(st.integers(0, 2**16))).normal(size=(h, w, c))
    return x, (ph, pw), stride, padding


@given(pool_case(), st.sampled_from(["max", "avg"]))
def test_pool2d_matches_tensorflow(tf, case, mode):
    x, size, stride, padding = case
    fn = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    x = x.astype(np.float32)  # TF's CPU pooling kernels compute in float32
    theirs = fn(x[None], ksize=size, strides=stride, padding=padding.upper())[0].numpy()
    ours = ops.pool2d(x, size, stride, mode, padding)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ sizes and parameter counts
def test_output_size_rules():
    assert ops.output_size(6, 3) == 4
    assert ops.output_size(6, 3, stride=2) == 2  # floor(1.5) + 1
    assert ops.output_size(6, 3, padding=1) == 6
    assert ops.output_size(6, 3, 2, "same", return_padding=True) == (3, (0, 1))
    assert ops.output_size(7, 3, 1, "valid", dilation=2) == 3
    assert ops.output_size(4, 2, 1, "same", return_padding=True) == (4, (0, 1))
    for n in range(1, 20):
        for s in range(1, 5):
            assert ops.output_size(n, 3, s, "same") == -(-n // s)


@given(
    st.integers(1, 40),
    st.integers(1, 7),
    st.integers(1, 4),
    st.sampled_from(["valid", "same"]),
    st.integers(1, 3),
)
def test_output_size_matches_tensorflow(tf, n, k, s, padding, dilation):
    k_eff = dilation * (k - 1) + 1
    if padding == "valid" and k_eff > n:
        return
    conv = tf.nn.convolution(
        np.zeros((1, n, 1)),
        np.zeros((k, 1, 1)),
        strides=s if dilation == 1 else 1,
        padding=padding.upper(),
        dilations=dilation,
    )
    expected_stride = s if dilation == 1 else 1
    assert ops.output_size(n, k, expected_stride, padding, dilation) == conv.shape[1]


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.uint16])
def test_output_size_uses_python_ints(dtype):
    n = dtype(120)
    assert ops.output_size(n, 3, padding=10) == 120 + 20 - 3 + 1  # uint8: 250 + 20 wrapped
    assert ops.output_size(n, dtype(3), dtype(2), padding=dtype(10)) == (120 + 20 - 3) // 2 + 1
    assert ops.output_size(np.uint8(250), 3, padding=10) == 268  # a uint8 sum would wrap to 12
    assert ops.output_size(n, 3, padding=(dtype(10), dtype(0)), return_padding=True) == (128, (10, 0))
    assert all(type(v) is int for v in ops.padding_amounts(n, dtype(3), 1, "same"))


def test_same_padding_is_exact_for_sizes_beyond_float_precision():
    # ceil(n / s) in floats rounds 2**53 + 1 to 2**53: the rule must use integers
    n = 2**53 + 1
    assert ops.output_size(n, 2, 2, "same", return_padding=True) == (2**52 + 1, (0, 1))
    assert ops.padding_amounts(n, 3, 1, "same") == (1, 1)
    assert ops.output_size(2**53 + 2, 1) == 2**53 + 2


def test_same_padding_is_exact_beyond_float_precision():
    n = 2**53 + 1  # float division would round n / 1 to 2**53
    assert ops.output_size(n, 3, 1, "same") == n
    assert ops.output_size(n, 3, 2, "same") == n // 2 + 1
    assert ops.padding_amounts(n, 2, 2, "same") == (0, 1)


def test_param_counts():
    assert ops.conv_params(5, 5, 3, 10) == 760
    assert ops.conv_params(5, 5, 3, 10, bias=False) == 750
    assert ops.dense_params(10, 1) == 11


def test_bias_accepts_numpy_bools():
    assert ops.conv_params(3, 3, 3, 8, bias=np.bool_(False)) == 216
    assert ops.dense_params(10, 2, bias=np.True_) == 22


# ------------------------------------------------------------------ bad arguments, one test per class
def test_non_numeric_array():
    assert_clear_error(TypeError, ["x", "numbers"], ops.conv2d, [["a", "b"], ["c", "d"]], K)
    assert_clear_error(TypeError, ["x"], ops.conv2d, "image", K)


@pytest.mark.parametrize("which", ["x", "kernel"])
def test_a_masked_array_is_refused_not_silently_unmasked(which):
    """np.asarray drops a mask: the masked values would be convolved as if valid."""
    x = np.arange(25.0).reshape(5, 5)
    kernel = np.ones((3, 3))
    masked = np.ma.masked_greater(x if which == "x" else kernel * np.arange(9).reshape(3, 3), 7)
    args = (masked, kernel) if which == "x" else (x, masked)
    assert_clear_error(TypeError, [which, "masked", ".filled("], ops.conv2d, *args)
    assert_clear_error(TypeError, ["x", "masked"], ops.pool2d, np.ma.masked_greater(x, 7), 2)
    # nothing masked: the values are all there
    assert np.array_equal(ops.conv2d(np.ma.masked_array(x), kernel), ops.conv2d(x, kernel))


def test_ragged_array():
    assert_clear_error(ValueError, ["x", "rectangular"], ops.conv2d, [[1, 2], [3]], K)


def test_empty_array():
    assert_clear_error(ValueError, ["x", "empty"], ops.conv2d, np.zeros((0, 4)), K)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf(bad):
    x = X.copy()
    x[2, 3] = bad
    assert_clear_error(ValueError, ["x", "NaN", "(2, 3)"], ops.conv2d, x, K)
    assert_clear_error(ValueError, ["kernel", "NaN"], ops.conv2d, X, np.full((2, 2), bad))


def test_wrong_ndim():
    assert_clear_error(ValueError, ["x", "2-D or 3-D", "(6,)"], ops.conv2d, np.ones(6), K)
    assert_clear_error(ValueError, ["kernel"], ops.conv2d, X, np.ones((1, 1, 1, 1, 1)))


def test_channel_mismatch():
    assert_clear_error(
        ValueError, ["kernel depth 2", "3 channel"], ops.conv2d, np.ones((5, 5, 3)), np.ones((3, 3, 2))
    )
    assert_clear_error(ValueError, ["kernel", "(3, 3, 3)"], ops.conv2d, np.ones((5, 5, 3)), K)


def test_kernel_larger_than_padded_input():
    assert_clear_error(
        ValueError, ["kernel", "larger", "padding"], ops.conv2d, np.ones((2, 6)), np.ones((3, 3))
    )
    ops.conv2d(np.ones((2, 6)), np.ones((3, 3)), padding=1)  # fits once padded
    assert_clear_error(ValueError, ["kernel size", "larger"], ops.output_size, 2, 3)


def test_pool_window_larger_than_input():
    assert_clear_error(ValueError, ["pool window", "larger"], ops.pool2d, np.ones((3, 3)), 4)


@pytest.mark.parametrize(
    "stride, exc",
    [
        (0, ValueError),
        (-1, ValueError),
        (1.5, TypeError),
        ("2", TypeError),
        (True, TypeError),
        ((1, 0), ValueError),
        ((1, 2, 3), ValueError),
    ],
)
def test_bad_stride(stride, exc):
    assert_clear_error(exc, ["stride"], ops.conv2d, X, K, stride=stride)


@pytest.mark.parametrize("stride", [(3, 2), (2, 1), [2, 2]])
def test_correlate_rows_refuses_a_row_stride(stride):
    assert_clear_error(
        ValueError, ["stride", "row", "(1, step)"], ops.correlate_rows, np.ones((6, 6)), [1, 2], stride=stride
    )


def test_unknown_padding_name():
    assert_clear_error(
        ValueError, ["padding", "'valid'", "'same'", "'full'"], ops.conv2d, X, K, padding="full"
    )
    assert_clear_error(ValueError, ["padding"], ops.pool2d, X, padding="SAME")


def test_negative_padding():
    assert_clear_error(ValueError, ["padding", "-1"], ops.conv2d, X, K, padding=-1)
    assert_clear_error(ValueError, ["padding"], ops.conv2d, X, K, padding=((0, -2), (0, 0)))
    assert_clear_error(
        ValueError, ["padding", "((top, bottom), (left, right))"], ops.conv2d, X, K, padding=(1, 2)
    )


@pytest.mark.parametrize(
    "fn, args",
    [
        (ops.conv2d, (np.ones((5, 5)), np.ones((3, 3)))),
        (ops.conv2d, (np.ones((5, 5, 3)), np.ones((3, 3, 3, 4)))),
        (ops.correlate_rows, (np.ones((5, 5)), [1.0, 2.0])),
    ],
)
@pytest.mark.parametrize("padding", [10**5, 10**9, 10**30, 10**400], ids=["1e5", "1e9", "1e30", "1e400"])
def test_impossible_padding_is_a_value_error_naming_padding(fn, args, padding):
    if fn is ops.correlate_rows and padding == 10**5:
        padding = 10**9  # a 5 x 200005 array is fine: correlate_rows pads only columns
    assert_clear_error(ValueError, ["padding", "GiB", "less padding"], fn, *args, padding=padding)


def test_huge_pool_padding_is_refused_before_allocating():
    assert_clear_error(ValueError, ["padding"], ops.pool2d, np.ones((4, 4)), 2, padding=10**6)


@pytest.mark.parametrize(
    "size, padding", [(2, 2), (2, 3), (3, 2), (4, ((0, 3), (0, 0))), (3, ((0, 0), (2, 0)))]
)
def test_pool_padding_over_half_a_window_is_refused(size, padding):
    x = np.arange(49.0).reshape(7, 7)
    assert_clear_error(
        ValueError, ["padding", "half the pool window"], ops.pool2d, x, size, 1, "max", padding
    )


def test_unknown_pool_mode():
    assert_clear_error(ValueError, ["mode", "'max'", "'avg'", "'l2'"], ops.pool2d, X, mode="min")


def test_bad_bias_and_counts():
    assert_clear_error(
        ValueError, ["bias", "per filter"], ops.conv2d, X, np.ones((3, 3, 1, 2)), bias=[1, 2, 3]
    )
    assert_clear_error(ValueError, ["filters"], ops.conv_params, 3, 3, 3, 0)
    assert_clear_error(TypeError, ["n_in"], ops.dense_params, 2.5, 1)


@pytest.mark.parametrize("fn, args", [(ops.conv_params, (3, 3, 3, 8)), (ops.dense_params, (10, 2))])
@pytest.mark.parametrize("bias", ["no", "False", 0, 1, None, 2.0])
def test_bias_must_be_a_bool(fn, args, bias):
    assert_clear_error(TypeError, ["bias", "True or False"], fn, *args, bias=bias)

"""helpers.ops under hostile input: numpy integer sizes, padding
that cannot work, a row stride where there is none, non-bool flags, results that overflow,
and the memory of conv2d's unrolled windows for any shape.

Each error must come from helpers.ops itself (or the argument rules of helpers.validate it
calls), name the argument and say what to do.
"""

import traceback
import tracemalloc

import numpy as np
import pytest

from helpers import ops


def _clear(exc_type, words, fn, *args, **kwargs):
    with pytest.raises(exc_type) as excinfo:
        fn(*args, **kwargs)
    message = str(excinfo.value)
    assert all(w in message for w in words), message
    assert traceback.extract_tb(excinfo.tb)[-1].filename.endswith(
        ("helpers/ops.py", "helpers/validate.py")), "the error must come from helpers.ops, not from NumPy"
    assert len(message) < 250, message


# ------------------------------------------------------------------ sizes
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.uint16])
def test_output_size_uses_python_ints(dtype):
    n = dtype(120)
    assert ops.output_size(n, 3, padding=10) == 120 + 20 - 3 + 1  # uint8: 250 + 20 wrapped
    assert ops.output_size(n, dtype(3), dtype(2), padding=dtype(10)) == (120 + 20 - 3) // 2 + 1
    assert ops.output_size(np.uint8(250), 3, padding=10) == 268  # the reported case (was 12)
    assert ops.output_size(n, 3, padding=(dtype(10), dtype(0)), return_padding=True) == (128, (10, 0))
    assert all(type(v) is int for v in ops.padding_amounts(n, dtype(3), 1, "same"))


def test_same_padding_is_exact_beyond_float_precision():
    n = 2**53 + 1  # float division would round n / 1 to 2**53
    assert ops.output_size(n, 3, 1, "same") == n
    assert ops.output_size(n, 3, 2, "same") == n // 2 + 1
    assert ops.padding_amounts(n, 2, 2, "same") == (0, 1)


# ------------------------------------------------------------------ pool2d padding
@pytest.mark.parametrize("size, padding", [(2, 2), (2, 3), (3, 2), (4, ((0, 3), (0, 0))),
                                           (3, ((0, 0), (2, 0)))])
def test_pool_padding_over_half_a_window_is_refused(size, padding):
    x = np.arange(49.0).reshape(7, 7)
    _clear(ValueError, ["padding", "half the pool window"], ops.pool2d, x, size, 1, "max", padding)


@pytest.mark.parametrize("mode", ops.POOL_MODES)
@pytest.mark.parametrize("size, stride", [(2, 1), (3, 1), (3, 2), (4, 3), (5, 2)])
def test_pool_padding_up_to_half_a_window_has_no_nan(size, stride, mode):
    x = np.random.default_rng(size).random((6, 7, 2))
    for padding in (size // 2, "same", ((0, size // 2), (size // 2, 0))):
        out = ops.pool2d(x, size, stride, mode, padding)
        assert np.all(np.isfinite(out)), (size, stride, padding)


# ------------------------------------------------------------------ correlate_rows
@pytest.mark.parametrize("stride", [(3, 2), (2, 1), [2, 2]])
def test_correlate_rows_refuses_a_row_stride(stride):
    _clear(ValueError, ["stride", "row", "(1, step)"], ops.correlate_rows, np.ones((6, 6)), [1, 2],
           stride=stride)


def test_correlate_rows_column_stride_forms_agree():
    img = np.arange(24.0).reshape(3, 8)
    np.testing.assert_array_equal(ops.correlate_rows(img, [1, -1], stride=(1, 3)),
                                  ops.correlate_rows(img, [1, -1], stride=3))
    np.testing.assert_array_equal(ops.correlate_rows(img, [1, -1], stride=3), (img[:, 0:7:3] - img[:, 1:8:3]))


# ------------------------------------------------------------------ impossible padding
@pytest.mark.parametrize("fn, args", [
    (ops.conv2d, (np.ones((5, 5)), np.ones((3, 3)))),
    (ops.conv2d, (np.ones((5, 5, 3)), np.ones((3, 3, 3, 4)))),
    (ops.correlate_rows, (np.ones((5, 5)), [1.0, 2.0])),
])
@pytest.mark.parametrize("padding", [10**5, 10**9, 10**30, 10**400], ids=["1e5", "1e9", "1e30", "1e400"])
def test_impossible_padding_is_a_value_error_naming_padding(fn, args, padding):
    if fn is ops.correlate_rows and padding == 10**5:
        padding = 10**9  # a 5 x 200005 array is fine: correlate_rows pads only columns
    _clear(ValueError, ["padding", "GiB", "less padding"], fn, *args, padding=padding)


def test_huge_pool_padding_is_refused_before_allocating():
    _clear(ValueError, ["padding"], ops.pool2d, np.ones((4, 4)), 2, padding=10**6)


# ------------------------------------------------------------------ flags
@pytest.mark.parametrize("fn, args", [(ops.conv_params, (3, 3, 3, 8)), (ops.dense_params, (10, 2))])
@pytest.mark.parametrize("bias", ["no", "False", 0, 1, None, 2.0])
def test_bias_must_be_a_bool(fn, args, bias):
    _clear(TypeError, ["bias", "True or False"], fn, *args, bias=bias)


def test_bias_accepts_numpy_bools():
    assert ops.conv_params(3, 3, 3, 8, bias=np.bool_(False)) == 216
    assert ops.dense_params(10, 2, bias=np.True_) == 22


# ------------------------------------------------------------------ overflow
def test_conv2d_overflow_is_reported():
    big = np.full((4, 4), 1e308)
    _clear(OverflowError, ["overflows float64", "scale the inputs down"], ops.conv2d, big, np.ones((2, 2)))
    _clear(OverflowError, ["overflows"], ops.conv2d, np.full((3, 3, 2), 1e300), np.full((2, 2, 2, 3), 1e10))
    _clear(OverflowError, ["overflows"], ops.conv2d, np.full((3, 3), 1e307), np.ones((2, 2)), bias=1.7e308)


def test_pool_overflow_is_reported_only_when_the_result_overflows():
    big = np.full((4, 4), 1.5e308)
    np.testing.assert_array_equal(ops.pool2d(big, 2, mode="max"), np.full((2, 2), 1.5e308))
    # the mean of finite values is finite: computed without overflowing
    np.testing.assert_allclose(ops.pool2d(big, 2, mode="avg"), np.full((2, 2), 1.5e308), rtol=1e-15)
    mixed = np.array([[1e308, 1.7e308], [1.6e308, 1.2e308]])
    assert ops.pool2d(mixed, 2, mode="avg")[0, 0] == pytest.approx(1.375e308, rel=1e-15)
    # sqrt(4) * 1.5e308 = 3e308 does not exist in float64: said so
    _clear(OverflowError, ["l2 pooling", "overflows"], ops.pool2d, big, 2, mode="l2")
    # a large but representable L2 norm is computed
    assert ops.pool2d(np.full((2, 2), 1e200), 2, mode="l2")[0, 0] == pytest.approx(2e200, rel=1e-15)


def test_no_overflow_no_change():
    x = np.random.default_rng(0).standard_normal((9, 9, 2))
    assert np.array_equal(ops.pool2d(x, 3, 2, "avg", 1), ops.pool2d(x.copy(), 3, 2, "avg", 1))
    assert ops.pool2d(np.array([[1.0, 2.0], [3.0, 4.0]]), 2, mode="avg")[0, 0] == 2.5


# ------------------------------------------------------------------ memory
def _peak_bytes(fn, *args, **kwargs):
    tracemalloc.start()
    try:
        result = fn(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_conv2d_memory_is_bounded_when_one_output_row_is_huge():
    """The reported case: a 102x2000x3 image, a 101x101x3 kernel, a 2x1900 result (30 KB).
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
        assert out[i, j] == pytest.approx(float(np.sum(x[i:i + 101, j:j + 101] * k)), rel=1e-12)


@pytest.mark.parametrize("shape, kshape, block", [
    ((6, 40, 3), (3, 5, 3, 2), 5 * 3 * 3 * 8 * 4),  # pieces of a row (4 windows per block)
    ((7, 9, 2), (5, 4, 2, 3), 64),                   # a window bigger than a block: kernel rows
    ((7, 9, 2), (5, 4, 2, 3), 8),                    # a kernel row bigger than a block
])
def test_every_split_gives_the_definition(monkeypatch, shape, kshape, block):
    rng = np.random.default_rng(len(shape) + block)
    x, k = rng.integers(-9, 10, shape).astype(float), rng.integers(-3, 4, kshape).astype(float)
    want = ops.conv2d(x, k, (1, 2), "same")
    monkeypatch.setattr(ops, "_BLOCK_BYTES", block)
    got = ops.conv2d(x, k, (1, 2), "same")
    assert np.array_equal(got, want)  # integer data: exact whatever the summation order


def test_memory_bound_holds_for_a_window_larger_than_the_block(monkeypatch):
    monkeypatch.setattr(ops, "_BLOCK_BYTES", 1 << 12)
    rng = np.random.default_rng(6)
    x, k = rng.random((40, 300, 4)), rng.random((30, 30, 4))  # one window: 28.8 KB > 4 KB
    out, peak = _peak_bytes(ops.conv2d, x, k)
    budget = 2 * x.nbytes + k.nbytes + out.nbytes + 8 * max(ops._BLOCK_BYTES, 30 * 4 * 8) + (1 << 16)
    assert peak < budget, f"peak {peak} > {budget}"
    assert out[5, 100] == pytest.approx(float(np.sum(x[5:35, 100:130] * k)), rel=1e-12)


@pytest.mark.parametrize("which", ["x", "kernel"])
def test_a_masked_array_is_refused_not_silently_unmasked(which):
    """np.asarray drops a mask: the masked values would be convolved as if valid."""
    x = np.arange(25.0).reshape(5, 5)
    kernel = np.ones((3, 3))
    masked = np.ma.masked_greater(x if which == "x" else kernel * np.arange(9).reshape(3, 3), 7)
    args = (masked, kernel) if which == "x" else (x, masked)
    _clear(TypeError, [which, "masked", ".filled("], ops.conv2d, *args)
    _clear(TypeError, ["x", "masked"], ops.pool2d, np.ma.masked_greater(x, 7), 2)
    # nothing masked: the values are all there
    assert np.array_equal(ops.conv2d(np.ma.masked_array(x), kernel), ops.conv2d(x, kernel))

"""helpers.ops: results on small hand-checked cases, and one test per class of bad input.

Every bad input must give a ValueError/TypeError raised by helpers.ops itself whose message
names the argument, never an error from deep inside NumPy.
"""

import traceback

import numpy as np
import pytest

from helpers import ops


def raised_in_ops(excinfo) -> bool:
    frames = traceback.extract_tb(excinfo.tb)
    return frames[-1].filename.endswith("helpers/ops.py")


def assert_clear_error(exc_type, words, fn, *args, **kwargs):
    with pytest.raises(exc_type) as excinfo:
        fn(*args, **kwargs)
    message = str(excinfo.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert raised_in_ops(excinfo), "error should come from helpers.ops, not from NumPy"
    assert len(message) < 250


X = np.arange(36, dtype=float).reshape(6, 6)
K = np.ones((3, 3))


# ------------------------------------------------------------------ behaviour
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


def test_correlate_rows_matches_hand_sum_and_padding():
    img = np.array([[86, 4, 8, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3]), [[87.2, 6.4, 63.2]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], padding=1),
                               [[25.8, 87.2, 6.4, 63.2, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], padding=(0, 1)),
                               [[87.2, 6.4, 63.2, 184]])
    np.testing.assert_allclose(ops.correlate_rows(img, [1, 0.3], stride=2), [[87.2, 63.2]])


def test_output_size_rules():
    assert ops.output_size(6, 3) == 4
    assert ops.output_size(6, 3, stride=2) == 2          # floor(1.5) + 1
    assert ops.output_size(6, 3, padding=1) == 6
    assert ops.output_size(6, 3, 2, "same", return_padding=True) == (3, (0, 1))
    assert ops.output_size(7, 3, 1, "valid", dilation=2) == 3
    assert ops.output_size(4, 2, 1, "same", return_padding=True) == (4, (0, 1))
    for n in range(1, 20):
        for s in range(1, 5):
            assert ops.output_size(n, 3, s, "same") == -(-n // s)


def test_pool_modes():
    m = np.array([[1, 2], [3, 4]], float)
    assert ops.pool2d(m)[0, 0] == 4
    assert ops.pool2d(m, mode="avg")[0, 0] == 2.5
    assert ops.pool2d(m, mode="l2")[0, 0] == pytest.approx(np.sqrt(30))
    same = ops.pool2d(np.arange(9.0).reshape(3, 3), 2, 2, "avg", "same")
    np.testing.assert_allclose(same, [[2, 3.5], [6.5, 8]])   # padding not counted


def test_param_counts():
    assert ops.conv_params(5, 5, 3, 10) == 760
    assert ops.conv_params(5, 5, 3, 10, bias=False) == 750
    assert ops.dense_params(10, 1) == 11


# ------------------------------------------------------------------ bad input, one per class
def test_non_numeric_array():
    assert_clear_error(TypeError, ["x", "numbers"], ops.conv2d, [["a", "b"], ["c", "d"]], K)
    assert_clear_error(TypeError, ["x"], ops.conv2d, "image", K)


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
    assert_clear_error(ValueError, ["kernel depth 2", "3 channel"], ops.conv2d,
                       np.ones((5, 5, 3)), np.ones((3, 3, 2)))
    assert_clear_error(ValueError, ["kernel", "(3, 3, 3)"], ops.conv2d, np.ones((5, 5, 3)), K)


def test_kernel_larger_than_padded_input():
    assert_clear_error(ValueError, ["kernel", "larger", "padding"], ops.conv2d,
                       np.ones((2, 6)), np.ones((3, 3)))
    ops.conv2d(np.ones((2, 6)), np.ones((3, 3)), padding=1)  # fits once padded
    assert_clear_error(ValueError, ["kernel size", "larger"], ops.output_size, 2, 3)


@pytest.mark.parametrize("stride, exc", [(0, ValueError), (-1, ValueError),
                                         (1.5, TypeError), ("2", TypeError), (True, TypeError),
                                         ((1, 0), ValueError), ((1, 2, 3), ValueError)])
def test_bad_stride(stride, exc):
    assert_clear_error(exc, ["stride"], ops.conv2d, X, K, stride=stride)


def test_unknown_padding_name():
    assert_clear_error(ValueError, ["padding", "'valid'", "'same'", "'full'"],
                       ops.conv2d, X, K, padding="full")
    assert_clear_error(ValueError, ["padding"], ops.pool2d, X, padding="SAME")


def test_negative_padding():
    assert_clear_error(ValueError, ["padding", "-1"], ops.conv2d, X, K, padding=-1)
    assert_clear_error(ValueError, ["padding"], ops.conv2d, X, K, padding=((0, -2), (0, 0)))
    assert_clear_error(ValueError, ["padding", "((top, bottom), (left, right))"],
                       ops.conv2d, X, K, padding=(1, 2))


def test_pool_window_larger_than_input():
    assert_clear_error(ValueError, ["pool window", "larger"], ops.pool2d, np.ones((3, 3)), 4)


def test_unknown_pool_mode():
    assert_clear_error(ValueError, ["mode", "'max'", "'avg'", "'l2'"], ops.pool2d, X, mode="min")


def test_bad_bias_and_counts():
    assert_clear_error(ValueError, ["bias", "per filter"], ops.conv2d, X, np.ones((3, 3, 1, 2)),
                       bias=[1, 2, 3])
    assert_clear_error(ValueError, ["filters"], ops.conv_params, 3, 3, 3, 0)
    assert_clear_error(TypeError, ["n_in"], ops.dense_params, 2.5, 1)

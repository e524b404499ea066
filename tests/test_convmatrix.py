"""helpers.convmatrix (convolution as one matrix product): the matrix against ops.conv2d, its
tied-weight pattern, and its picture."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import convmatrix, data, ops

A = data.load("digit4")
K5 = data.load("case5_kernel")


def test_conv_matrix_of_case5():
    m = convmatrix.conv_matrix(K5, A.shape)
    assert m.shape == (48, 68)
    np.testing.assert_allclose(m @ A.ravel(), ops.conv2d(A, K5).ravel())
    assert (m != 0).sum(axis=1).tolist() == [4] * 48  # 4 tied weights per row
    taps = convmatrix.tap_index(K5.shape, A.shape)
    assert sorted(set(taps.ravel())) == [-1, 0, 1, 2, 3]
    assert taps[0, :6].tolist() == [0, 1, -1, -1, 2, 3]  # window (0, 0): pixels 0, 1, 4, 5


@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**16))
def test_conv_matrix_equals_conv2d(h, w, kh, kw, seed):
    if kh > h or kw > w:
        return
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    m = convmatrix.conv_matrix(k, (h, w))
    np.testing.assert_allclose(m @ x.ravel(), ops.conv2d(x, k).ravel(), atol=1e-12)


def test_conv_matrix_figure_and_errors():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.figures import panels

    fig = panels.conv_matrix_figure(K5.shape, A.shape, rows=12)
    assert fig.axes[0].images[0].get_array().shape == (12, 68)
    with pytest.raises(ValueError, match="larger"):
        convmatrix.conv_matrix(np.ones((3, 3)), (2, 2))

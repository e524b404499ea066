"""helpers.learn (recovering a kernel by gradient descent) and helpers.convmatrix
(convolution as one matrix product): gradients against TensorFlow's GradientTape and finite
differences, the fit recovering chapter 6's kernel, the matrix against ops.conv2d."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers import convmatrix, data, learn, ops

A = data.load("digit4")
K5 = data.load("case5_kernel")
X = A / 255
Y = ops.conv2d(X, K5)


# ----------------------------------------------------------------------------- learn
def test_gradient_matches_gradient_tape(tf):
    k0 = np.random.default_rng(3).normal(size=(2, 2))
    loss, grad = learn.loss_and_gradient(X, Y, k0)
    x = tf.constant(X[None, :, :, None])
    k = tf.Variable(k0[:, :, None, None])
    with tf.GradientTape() as tape:
        out = tf.nn.conv2d(x, k, strides=1, padding="VALID")
        tf_loss = tf.reduce_mean((out[0, :, :, 0] - Y) ** 2)
    tf_grad = tape.gradient(tf_loss, k).numpy()[:, :, 0, 0]
    assert loss == pytest.approx(float(tf_loss), rel=1e-12)
    np.testing.assert_allclose(grad, tf_grad, rtol=1e-10, atol=1e-12)


def test_gradient_matches_finite_differences():
    k0 = np.array([[0.2, -0.5, 1.0], [0.7, 0.1, -0.3]])
    y = ops.conv2d(X, np.ones((2, 3)))
    _, grad = learn.loss_and_gradient(X, y, k0)
    h = 1e-6
    for u in range(2):
        for v in range(3):
            e = np.zeros_like(k0)
            e[u, v] = h
            numeric = (learn.loss_and_gradient(X, y, k0 + e)[0]
                       - learn.loss_and_gradient(X, y, k0 - e)[0]) / (2 * h)
            assert grad[u, v] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_fit_recovers_the_case5_kernel_and_the_loss_falls():
    k, losses = learn.fit_kernel(X, Y, (2, 2), lr=2.0, steps=40)
    np.testing.assert_allclose(k, K5, atol=1e-3)
    assert all(b < a for a, b in zip(losses, losses[1:]))       # falls at every step
    assert losses[-1] < 1e-6 * losses[0]
    k2, losses2 = learn.fit_kernel(X, Y, (2, 2), lr=2.0, steps=40)
    assert np.array_equal(k, k2) and losses == losses2          # deterministic


def test_fit_from_a_start_and_too_large_a_step_diverges():
    k, _ = learn.fit_kernel(X, Y, (2, 2), steps=60, start=np.ones((2, 2)))
    np.testing.assert_allclose(k, K5, atol=1e-3)
    _, losses = learn.fit_kernel(X, Y, (2, 2), lr=5.0, steps=10)
    assert losses[-1] > losses[0]            # step beyond 2 / largest curvature: it blows up


def test_learn_argument_errors():
    with pytest.raises(ValueError, match="y has shape"):
        learn.loss_and_gradient(X, Y, np.ones((3, 3)))
    with pytest.raises(ValueError, match="lr"):
        learn.fit_kernel(X, Y, lr=-1)
    with pytest.raises(ValueError, match="steps"):
        learn.fit_kernel(X, Y, steps=0)
    with pytest.raises(ValueError, match="start has shape"):
        learn.fit_kernel(X, Y, start=np.ones((3, 3)))
    with pytest.raises(ValueError, match="kernel_shape"):
        learn.fit_kernel(X, Y, kernel_shape=(2,))


# ----------------------------------------------------------------------------- convmatrix
def test_conv_matrix_of_case5():
    m = convmatrix.conv_matrix(K5, A.shape)
    assert m.shape == (48, 68)
    np.testing.assert_allclose(m @ A.ravel(), ops.conv2d(A, K5).ravel())
    assert (m != 0).sum(axis=1).tolist() == [4] * 48          # 4 tied weights per row
    taps = convmatrix.tap_index(K5.shape, A.shape)
    assert sorted(set(taps.ravel())) == [-1, 0, 1, 2, 3]
    assert taps[0, :6].tolist() == [0, 1, -1, -1, 2, 3]       # window (0, 0): pixels 0, 1, 4, 5


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 2 ** 16))
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
    fig = convmatrix.figure(K5.shape, A.shape, rows=12)
    assert fig.axes[0].images[0].get_array().shape == (12, 68)
    with pytest.raises(ValueError, match="larger"):
        convmatrix.conv_matrix(np.ones((3, 3)), (2, 2))

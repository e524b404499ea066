"""helpers.learning: a gradient by finite difference equals TensorFlow's tape, a descent
step lowers the loss, softmax/sigmoid/cross-entropy, twin filters, and recovering a kernel by
gradient descent (the gradient against GradientTape and finite differences, the fit recovering
chapter 6's kernel)."""

import itertools

import numpy as np
import pytest

from helpers import data, learning, ops

A = data.load("digit4")
K5 = data.load("case5_kernel")
X = A / 255
Y = ops.conv2d(X, K5)


def test_finite_difference_equals_gradient_tape_and_a_step_lowers_the_loss():
    x = data.load("conv6x6_image") / 255
    params = learning.init_tiny(x.shape, seed=0)
    tape = learning.tape_gradient(params, x, 1)

    def loss(p):
        return learning.tiny_loss(p, x, 1)

    for idx in np.ndindex(3, 3):
        fd = learning.finite_difference(loss, params, "kernel", idx)
        assert fd == pytest.approx(tape["kernel"][idx], rel=1e-5, abs=1e-9)
    assert learning.finite_difference(loss, params, "bias") == pytest.approx(tape["bias"], rel=1e-5)
    assert np.abs(tape["kernel"]).max() > 1e-3  # not a trivial zero gradient
    new = learning.descent_step(params, tape, 0.5)
    assert loss(new) < loss(params)
    with pytest.raises(KeyError):
        learning.finite_difference(loss, params, "nope")


def test_softmax_sigmoid_cross_entropy():
    p = learning.softmax([2.0, 0.0, -1.0])
    assert p.sum() == pytest.approx(1) and p[0] > p[1] > p[2]
    assert learning.softmax([1000.0, 0.0])[0] == pytest.approx(1)  # no overflow
    assert learning.softmax([[3.0]])[0, 0] == 1.0  # one unit: always 1
    assert learning.sigmoid(0) == 0.5
    assert learning.cross_entropy([0.25, 0.75], 1) == pytest.approx(-np.log(0.75))


def test_twin_filters_stay_twins_only_from_an_equal_start():
    x = data.load("conv6x6_image") / 255
    same = learning.twin_filter_gradients(x, same_start=True)
    assert same.shape == (2, 3, 3) and np.abs(same).max() > 0
    np.testing.assert_array_equal(same[0], same[1])
    rand = learning.twin_filter_gradients(x, same_start=False)
    assert np.abs(rand[0] - rand[1]).max() > 1e-3


def test_softmax_cross_entropy_from_scores_is_finite_where_softmax_underflows():
    z = [2.0, 1.0, -1.0]
    assert learning.softmax_cross_entropy(z, 1) == pytest.approx(
        learning.cross_entropy(learning.softmax(z), 1), rel=1e-12
    )
    assert learning.softmax_cross_entropy([1000.0, 0.0, -3.0], 1) == pytest.approx(1000.0)
    assert learning.softmax_cross_entropy([1000.0, 0.0, -3.0], 0) >= 0


# ----------------------------------------------------------------------------- fitting a kernel
def test_gradient_matches_gradient_tape(tf):
    k0 = np.random.default_rng(3).normal(size=(2, 2))
    loss, grad = learning.loss_and_gradient(X, Y, k0)
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
    _, grad = learning.loss_and_gradient(X, y, k0)
    h = 1e-6
    for u in range(2):
        for v in range(3):
            e = np.zeros_like(k0)
            e[u, v] = h
            numeric = (
                learning.loss_and_gradient(X, y, k0 + e)[0] - learning.loss_and_gradient(X, y, k0 - e)[0]
            ) / (2 * h)
            assert grad[u, v] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_fit_recovers_the_case5_kernel_and_the_loss_falls():
    k, losses = learning.fit_kernel(X, Y, (2, 2), lr=2.0, steps=40)
    np.testing.assert_allclose(k, K5, atol=1e-3)
    assert all(b < a for a, b in itertools.pairwise(losses))  # falls at every step
    assert losses[-1] < 1e-6 * losses[0]
    k2, losses2 = learning.fit_kernel(X, Y, (2, 2), lr=2.0, steps=40)
    assert np.array_equal(k, k2) and losses == losses2  # deterministic


def test_fit_from_a_start_and_too_large_a_step_diverges():
    k, _ = learning.fit_kernel(X, Y, (2, 2), steps=60, start=np.ones((2, 2)))
    np.testing.assert_allclose(k, K5, atol=1e-3)
    _, losses = learning.fit_kernel(X, Y, (2, 2), lr=5.0, steps=10)
    assert losses[-1] > losses[0]  # step beyond 2 / largest curvature: it blows up


def test_step_limit_is_where_the_descent_stops_converging():
    """Just below 2 / λ_max the loss falls, just above it grows; raw pixels move the limit by
    255² (the curvature grows with the square of the pixels)."""
    limit = learning.step_limit(X, (2, 2))
    for factor, falls in ((0.95, True), (1.05, False)):
        _, losses = learning.fit_kernel(X, Y, (2, 2), lr=factor * limit, steps=400)
        assert (losses[-1] < losses[0]) == falls, factor
    assert learning.step_limit(X * 255, (2, 2)) == pytest.approx(limit / 255**2)


def test_learn_argument_errors():
    with pytest.raises(ValueError, match="y has shape"):
        learning.loss_and_gradient(X, Y, np.ones((3, 3)))
    with pytest.raises(ValueError, match="lr"):
        learning.fit_kernel(X, Y, lr=-1)
    with pytest.raises(ValueError, match="steps"):
        learning.fit_kernel(X, Y, steps=0)
    with pytest.raises(ValueError, match="start has shape"):
        learning.fit_kernel(X, Y, start=np.ones((3, 3)))
    with pytest.raises(ValueError, match="kernel_shape"):
        learning.fit_kernel(X, Y, kernel_shape=(2,))

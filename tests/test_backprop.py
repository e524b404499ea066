"""Backpropagation through a conv layer by hand (helpers.backprop) against loops, SciPy and
TensorFlow's GradientTape."""

import numpy as np
import pytest

from helpers import backprop, data, learning

X = data.load("conv6x6_image") / 255


def test_kernel_gradient_is_the_sum_over_positions():
    rng = np.random.default_rng(3)
    x, delta = rng.normal(size=(7, 6)), rng.normal(size=(5, 3))
    loop = np.zeros((3, 4))
    for u, v in np.ndindex(3, 4):
        loop[u, v] = sum(delta[i, j] * x[i + u, j + v] for i in range(5) for j in range(3))
    np.testing.assert_allclose(backprop.kernel_gradient(x, delta), loop)


def test_input_gradient_is_a_full_convolution():
    signal = pytest.importorskip("scipy.signal")
    rng = np.random.default_rng(4)
    k, delta = rng.normal(size=(3, 2)), rng.normal(size=(4, 5))
    loop = np.zeros((6, 6))
    for i, j in np.ndindex(4, 5):
        loop[i : i + 3, j : j + 2] += delta[i, j] * k
    got = backprop.input_gradient(k, delta)
    np.testing.assert_allclose(got, loop)
    np.testing.assert_allclose(got, signal.convolve2d(delta, k, mode="full"))


@pytest.mark.parametrize("seed,label", [(0, 1), (1, 0), (4, 1)])
def test_hand_gradients_equal_gradient_tape(seed, label):
    pytest.importorskip("tensorflow")
    params = learning.init_tiny(X.shape, seed=seed)
    params["bias"] = 0.05
    hand = backprop.gradients(params, X, label)
    tape = learning.tape_gradient(params, X, label)
    assert set(hand) == set(tape)
    for key in hand:
        np.testing.assert_allclose(hand[key], tape[key], rtol=1e-10, atol=1e-14, err_msg=key)
    delta = backprop.output_gradient(params, X, label)
    assert (delta == 0).any() and (delta != 0).any()  # the ReLU blocks some positions
    assert np.abs(hand["x"]).max() > 1e-3


def test_forward_matches_tiny_loss_and_bad_labels():
    params = learning.init_tiny(X.shape, seed=0)
    f = backprop.forward(params, X)
    assert f["pre"].shape == (4, 4) and f["probs"].sum() == pytest.approx(1)
    assert -np.log(f["probs"][1]) == pytest.approx(learning.tiny_loss(params, X, 1))
    with pytest.raises(ValueError, match="label"):
        backprop.output_gradient(params, X, 2)

"""helpers.learning: a gradient by finite difference equals TensorFlow's tape, a descent
step lowers the loss, softmax/sigmoid/cross-entropy, and twin filters."""

import numpy as np
import pytest

from helpers import data, learning


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
    assert np.abs(tape["kernel"]).max() > 1e-3      # not a trivial zero gradient
    new = learning.descent_step(params, tape, 0.5)
    assert loss(new) < loss(params)
    with pytest.raises(KeyError):
        learning.finite_difference(loss, params, "nope")


def test_softmax_sigmoid_cross_entropy():
    p = learning.softmax([2.0, 0.0, -1.0])
    assert p.sum() == pytest.approx(1) and p[0] > p[1] > p[2]
    assert learning.softmax([1000.0, 0.0])[0] == pytest.approx(1)   # no overflow
    assert learning.softmax([[3.0]])[0, 0] == 1.0                   # one unit: always 1
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
        learning.cross_entropy(learning.softmax(z), 1), rel=1e-12)
    assert learning.softmax_cross_entropy([1000.0, 0.0, -3.0], 1) == pytest.approx(1000.0)
    assert learning.softmax_cross_entropy([1000.0, 0.0, -3.0], 0) >= 0

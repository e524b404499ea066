"""helpers.flatten: the two reading orders, and a dense layer that cannot tell a consistently
shuffled image from the original."""

import numpy as np
import pytest

from helpers import data, flatten, ops

A = data.load("digit4")


def test_flatten_orders():
    assert flatten.flatten(A, "row")[:5].tolist() == [25, 2, 1, 44, 223]
    assert flatten.flatten(A, "column")[:5].tolist() == [25, 223, 196, 249, 60]
    assert np.array_equal(flatten.flatten(A, "row"), A.ravel())
    with pytest.raises(ValueError, match="order"):
        flatten.flatten(A, "diagonal")


def test_dense_layer_does_not_see_a_consistent_shuffle():
    demo = flatten.permutation_demo(A, units=3, seed=0)
    assert sorted(demo["shuffled"].ravel()) == sorted(A.ravel())
    assert not np.array_equal(demo["shuffled"], A)
    assert np.allclose(demo["original"], demo["shuffled_permuted_weights"], rtol=0, atol=1e-9)
    assert not np.allclose(demo["original"], demo["shuffled_same_weights"])
    # a convolution does see it
    k = data.load("case5_kernel")
    conv_sorted = np.sort(ops.conv2d(A, k).ravel())
    assert not np.allclose(conv_sorted, np.sort(ops.conv2d(demo["shuffled"], k).ravel()))


def test_shuffle_is_seeded_and_dense_checks_shapes():
    s1, p1 = flatten.shuffle_pixels(A, 0)
    _, p2 = flatten.shuffle_pixels(A, 0)
    assert np.array_equal(p1, p2) and np.array_equal(s1.ravel(), A.ravel()[p1])
    with pytest.raises(ValueError, match="one row per input"):
        flatten.dense(np.ones(3), np.ones((4, 2)))

"""Flattening an image into a row, and why a fully connected layer cannot see the picture.

* ``flatten(x, order)`` - the two reading orders: ``"row"`` (NumPy ``ravel()``, Keras
  ``Flatten``: row 0 left to right, then row 1, ...) and ``"column"`` (the article's printed
  row: column 0 top to bottom, then column 1, ...).
* ``shuffle_pixels`` / ``dense`` / ``permutation_demo`` - the demonstration that a fully
  connected (dense) layer gives exactly the same outputs for a shuffled image when its weights
  are shuffled the same way. Training would find those shuffled weights just as easily, so
  a dense layer has no notion of which pixels are neighbours: the spatial arrangement is
  lost. A convolution, in contrast, gives a different result on the shuffled image.
"""

from __future__ import annotations

import numpy as np

from . import ops

ORDERS = {"row": "C", "column": "F"}


def flatten(x, order: str = "row") -> np.ndarray:
    """The image as one row of ``H*W`` values, read row by row (``"row"``) or column by
    column (``"column"``, the order of the article's printed row)."""
    x = ops.as_image("x", x, (2, 3))
    if order not in ORDERS:
        raise ValueError(f"order must be 'row' (Keras Flatten) or 'column' (the article), got {order!r}")
    return x.ravel(order=ORDERS[order])


def shuffle_pixels(x, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The image with its pixels moved to random places (fixed ``seed``), and the
    permutation ``perm`` used: ``shuffled.ravel() == x.ravel()[perm]``."""
    x = ops.as_image("x", x, (2,))
    perm = np.random.default_rng(seed).permutation(x.size)
    return x.ravel()[perm].reshape(x.shape), perm


def dense(v, weights, bias=0.0) -> np.ndarray:
    """A fully connected layer without activation: ``v @ weights + bias``.

    v: ``(n,)``; weights: ``(n, units)``; bias: scalar or ``(units,)``."""
    v = ops.as_image("v", v, (1,))
    weights = ops.as_image("weights", weights, (2,))
    if weights.shape[0] != v.size:
        raise ValueError(f"weights must have one row per input value ({v.size}), got shape {weights.shape}")
    return v @ weights + np.asarray(bias, dtype=float)


def permutation_demo(x, units: int = 3, seed: int = 0) -> dict:
    """Shuffle the pixels of ``x`` and show what a dense layer and a convolution make of it.

    Returns a dict with ``shuffled`` (the image), ``perm``, ``weights`` (random, fixed seed),
    ``original`` (dense outputs for the image), ``shuffled_same_weights`` (shuffled image,
    unchanged weights: different), ``shuffled_permuted_weights`` (shuffled image, weights
    shuffled the same way: identical to ``original`` up to float rounding) and
    ``max_difference`` between those two.
    """
    x = ops.as_image("x", x, (2,))
    shuffled, perm = shuffle_pixels(x, seed)
    rng = np.random.default_rng(seed + 1)
    weights = rng.normal(0.0, 0.01, size=(x.size, units))
    original = dense(x.ravel(), weights)
    same_w = dense(shuffled.ravel(), weights)
    permuted = dense(shuffled.ravel(), weights[perm])
    return {
        "shuffled": shuffled,
        "perm": perm,
        "weights": weights,
        "original": original,
        "shuffled_same_weights": same_w,
        "shuffled_permuted_weights": permuted,
        "max_difference": float(np.max(np.abs(original - permuted))),
    }

"""Scores to probabilities and losses: softmax, sigmoid and cross-entropy, in NumPy.

The one copy that ``helpers.learning`` (gradients, descent) and ``helpers.backprop`` (the
chain rule) both use; ``learning.softmax`` and the others remain importable from
``helpers.learning``, where the chapters call them.
"""

from __future__ import annotations

import numpy as np


def softmax(z) -> np.ndarray:
    """Class probabilities from scores: ``exp(z - max) / sum`` (shifted to avoid overflow)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(z) -> np.ndarray:
    """One probability from one score: ``1 / (1 + exp(-z))``."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def cross_entropy(p, label: int) -> float:
    """The loss of class probabilities ``p`` when the true class is ``label``: ``-log p[label]``."""
    p = np.asarray(p, dtype=float)
    return float(-np.log(p[label]))


def softmax_cross_entropy(z, label: int) -> float:
    """The cross-entropy of softmax(``z``) for class ``label``, computed from the scores
    (``logsumexp(z) - z[label]``, as Keras does from logits): finite even where softmax
    rounds a probability to 0."""
    z = np.asarray(z, dtype=float)
    m = z.max()
    return float(m + np.log(np.sum(np.exp(z - m))) - z[label])

"""Backpropagation through a convolution layer, by hand: the chain rule from the loss of the
book's tiny network (``helpers.learning.tiny_loss``) back to its kernel, its bias and its input.

Two results carry the whole story, both computed with ``ops.conv2d``:

* the gradient of a shared kernel weight is a sum over every position where it was used,
  ``dL/dK[u, v] = sum_ij delta[i, j] * x[i + u, j + v]``: the input *correlated* with the
  output gradient ``delta``, i.e. ``ops.conv2d(x, delta)``;
* the gradient of the input is a *full* convolution of ``delta`` with the kernel: pad
  ``delta`` with ``k - 1`` zeros on every side and correlate it with the kernel turned by
  180°.

``learning.tape_gradient`` gets the same numbers from TensorFlow; the tests compare them.
"""

from __future__ import annotations

import numpy as np

from . import losses, ops, validate


def forward(params: dict, x) -> dict:
    """Every intermediate value of the tiny network on image ``x`` (2-D):
    ``pre`` (conv + bias), ``act`` (ReLU of it), ``scores`` (Dense output) and ``probs``
    (softmax)."""
    pre = ops.conv2d(x, params["kernel"], bias=params["bias"])
    act = np.maximum(pre, 0)
    scores = act.reshape(-1) @ params["w"] + params["b"]
    return {"pre": pre, "act": act, "scores": scores, "probs": losses.softmax(scores)}


def output_gradient(params: dict, x, label: int) -> np.ndarray:
    """``delta = dL/d pre``: the gradient of the loss with respect to each output of the
    convolution (before the ReLU), by the chain rule through softmax + cross-entropy
    (``probs - one_hot``), the Dense layer (``w @ ...``) and the ReLU (0 where ``pre <= 0``)."""
    f = forward(params, x)
    n_classes = len(f["probs"])
    label = validate.integer("label", label, 0, n_classes - 1, what="a class index")
    d_scores = f["probs"] - np.eye(n_classes)[label]
    d_act = (params["w"] @ d_scores).reshape(f["pre"].shape)
    return d_act * (f["pre"] > 0)


def kernel_gradient(x, delta) -> np.ndarray:
    """``dL/dK``: each kernel weight was used at every output position, so its gradient adds
    ``delta[i, j] * x[i + u, j + v]`` over all of them - the correlation of ``x`` with
    ``delta``."""
    return ops.conv2d(x, delta)


def input_gradient(kernel, delta) -> np.ndarray:
    """``dL/dx``: pixel (r, c) met kernel weight K[u, v] in the window at (r - u, c - v), so
    its gradient adds ``delta[r - u, c - v] * K[u, v]`` - a full convolution: ``delta``
    padded by ``k - 1`` zeros, correlated with the kernel turned by 180°."""
    kernel = ops.as_image("kernel", kernel, (2,))
    kh, kw = kernel.shape
    padded = np.pad(ops.as_image("delta", delta, (2,)), ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return ops.conv2d(padded, kernel[::-1, ::-1])


def gradients(params: dict, x, label: int) -> dict:
    """Every gradient of the tiny network by hand: ``kernel``, ``bias``, ``w``, ``b`` and the
    input ``x`` (same keys as ``learning.tape_gradient``)."""
    delta = output_gradient(params, x, label)  # checks label first
    f = forward(params, x)
    d_scores = f["probs"] - np.eye(len(f["probs"]))[int(label)]
    return {
        "kernel": kernel_gradient(x, delta),
        "bias": float(delta.sum()),
        "w": np.outer(f["act"].reshape(-1), d_scores),
        "b": d_scores,
        "x": input_gradient(params["kernel"], delta),
    }

"""The digit network's forward pass in plain NumPy (float64), layer by layer as ``LAYERS``
lists them, with the book's ``ops.conv2d`` / ``ops.pool2d``: for the chapter, the tests, and
as the reference the page's JavaScript (``digitnet.js``) is checked against."""

from __future__ import annotations

import numpy as np

from .. import losses, ops
from .architecture import INPUT_SHAPE, LAYERS, layer_table

_ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0), "softmax": losses.softmax}


def _layer(row: dict, w: dict, x: np.ndarray) -> np.ndarray:
    """One layer's values before its activation."""
    name, kind = row["name"], row["kind"]
    if kind == "conv":
        return ops.conv2d(x, w[f"{name}/kernel"], stride=row["stride"], bias=w[f"{name}/bias"])
    if kind == "maxpool":
        return ops.pool2d(x, row["size"], row["stride"])
    if kind == "flatten":
        return x.ravel()  # row-major (h, w, c), as Keras' Flatten
    return x @ w[f"{name}/kernel"] + w[f"{name}/bias"]


def forward(weights: dict, image, layers=LAYERS, input_shape=INPUT_SHAPE) -> dict[str, np.ndarray]:
    """Every map of the network for one input (values 0-1), by map name (``layer_table``):
    for the book's network ``conv1`` (before ReLU), ``relu1``, ``pool1``, ``conv2``, ``relu2``,
    ``pool2``, ``flatten``, ``logits``, ``probabilities``. ``layers`` and ``input_shape``
    describe another network of the same kinds of layers."""
    x = ops.as_image("image", image)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.shape != tuple(input_shape):
        h, w, c = input_shape
        raise ValueError(
            f"image must be {h}×{w}" + (f" (or {h}×{w}×1)" if c == 1 else f"×{c}") + f", got shape {x.shape}"
        )
    w = {n: np.asarray(v, dtype=np.float64) for n, v in weights.items()}
    out = {}
    for row in layer_table(layers):
        x = _layer(row, w, x)
        if row.get("activation"):
            out[row["linear"]] = x
            x = _ACTIVATIONS[row["activation"]](x)
        out[row["output"]] = x
    return out

"""The digit network's forward pass in plain NumPy (float64), layer by layer as ``LAYERS``
lists them: ``forward``, one image with the book's ``ops.conv2d`` / ``ops.pool2d``, for the
chapter, the tests, and as the reference the page's JavaScript (``digitnet.js``) is checked
against; ``forward_batch`` / ``predict``, the same layers on many images at once (the same
sums, a batch axis in front), for counting what the network reads on hundreds of digits.
Both walk the layers with one rule (``_maps``); the tests check the batched arithmetic equal
to ``forward`` on many images."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import losses, ops, validate
from .architecture import INPUT_SHAPE, LAYERS, layer_table

_ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0), "softmax": losses.softmax}
#: images per batch in ``predict``: few enough that the maps of a batch (a few MB) stay in cache
BATCH = 50


def _layer(row: dict, w: dict, x: np.ndarray) -> np.ndarray:
    """One layer's values before its activation, for one image ``(h, w, c)``."""
    name, kind = row["name"], row["kind"]
    if kind == "conv":
        return ops.conv2d(x, w[f"{name}/kernel"], stride=row["stride"], bias=w[f"{name}/bias"])
    if kind == "maxpool":
        return ops.pool2d(x, row["size"], row["stride"])
    if kind == "flatten":
        return x.ravel()  # row-major (h, w, c), as Keras' Flatten
    return x @ w[f"{name}/kernel"] + w[f"{name}/bias"]


def _layer_batch(row: dict, w: dict, x: np.ndarray) -> np.ndarray:
    """``_layer`` for a batch ``(n, h, w, c)``: a conv (no padding) as one matrix product per
    kernel tap, ``out[:, i, j] += x[:, i*s + u, j*s + v] @ kernel[u, v]``; a max pool as the
    largest value of each window; Flatten and Dense per image, row-major as ``_layer``."""
    name, kind = row["name"], row["kind"]
    if kind == "conv":
        kernel, s = w[f"{name}/kernel"], row["stride"]
        kh, kw, _, f = kernel.shape
        n, h, wd, _ = x.shape
        oh, ow = (h - kh) // s + 1, (wd - kw) // s + 1
        out = np.zeros((n, oh, ow, f))
        for u in range(kh):
            for v in range(kw):
                patch = x[:, u : u + s * (oh - 1) + 1 : s, v : v + s * (ow - 1) + 1 : s, :]
                out += np.tensordot(patch, kernel[u, v], axes=1)
        return out + w[f"{name}/bias"]
    if kind == "maxpool":
        p, s = row["size"], row["stride"]
        return sliding_window_view(x, (p, p), axis=(1, 2))[:, ::s, ::s].max(axis=(-2, -1))
    if kind == "flatten":
        return x.reshape(len(x), -1)
    return x @ w[f"{name}/kernel"] + w[f"{name}/bias"]


def _maps(layers, weights: dict, x: np.ndarray, layer) -> dict[str, np.ndarray]:
    """Every map, by name, of ``x`` passed through ``layers`` by ``layer`` (one image's or a
    batch's arithmetic), each activation applied after its layer."""
    w = {n: np.asarray(v, dtype=np.float64) for n, v in weights.items()}
    out = {}
    for row in layer_table(layers):
        x = layer(row, w, x)
        if row.get("activation"):
            out[row["linear"]] = x
            x = _ACTIVATIONS[row["activation"]](x)
        out[row["output"]] = x
    return out


def _shape_error(name: str, input_shape, got: tuple, batch: bool) -> ValueError:
    h, w, c = input_shape
    n = "n×" if batch else ""
    return ValueError(
        f"{name} must be {n}{h}×{w}" + (f" (or {n}{h}×{w}×1)" if c == 1 else f"×{c}") + f", got shape {got}"
    )


def forward(weights: dict, image, layers=LAYERS, input_shape=INPUT_SHAPE) -> dict[str, np.ndarray]:
    """Every map of the network for one input (values 0-1), by map name (``layer_table``):
    for the book's network ``conv1`` (before ReLU), ``relu1``, ``pool1``, ``conv2``, ``relu2``,
    ``pool2``, ``flatten``, ``logits``, ``probabilities``. ``layers`` and ``input_shape``
    describe another network of the same kinds of layers."""
    x = ops.as_image("image", image)
    if x.ndim == 2:
        x = x[:, :, None]
    if x.shape != tuple(input_shape):
        raise _shape_error("image", input_shape, x.shape, batch=False)
    return _maps(layers, weights, x, _layer)


def forward_batch(weights: dict, images, layers=LAYERS, input_shape=INPUT_SHAPE) -> dict[str, np.ndarray]:
    """``forward`` of every image of ``images`` (``(n, h, w)`` or ``(n, h, w, c)``, values 0-1)
    at once: the same maps, each with the image axis in front (``out["probabilities"][i]`` is
    ``forward(weights, images[i])["probabilities"]``, up to float64 rounding)."""
    x = ops.as_image("images", images, (3, 4))
    if x.ndim == 3:
        x = x[..., None]
    if x.shape[1:] != tuple(input_shape):
        raise _shape_error("images", input_shape, x.shape, batch=True)
    return _maps(layers, weights, x, _layer_batch)


def predict(weights: dict, images, layers=LAYERS, input_shape=INPUT_SHAPE, batch: int = BATCH) -> np.ndarray:
    """The last map (for the book's network the ten probabilities) of every image of
    ``images``, ``forward_batch`` on ``batch`` images at a time: ``(n, classes)``."""
    batch = validate.positive_integer("batch", batch)
    x = ops.as_image("images", images, (3, 4))
    last = layer_table(layers)[-1]["output"]
    return np.concatenate(
        [forward_batch(weights, x[a : a + batch], layers, input_shape)[last] for a in range(0, len(x), batch)]
    )

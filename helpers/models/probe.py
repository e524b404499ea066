"""Probe inside a Keras model of Part III: the conv layer's activation maps and the pooled
maps, the final score before its activation, and the same maps computed by ``helpers.ops``.
(Named ``probe``, not ``inspect``: a module must not share a name with the standard library.)
"""

from __future__ import annotations

import numpy as np

from .. import ops, tfenv


def feature_maps(model, images) -> tuple[np.ndarray, np.ndarray]:
    """The conv layer's activation maps (after relu) and the pooled maps for ``images``.

    ``images`` is one image (H, W, C) or a batch; returns arrays with a batch axis.
    """
    k = tfenv.keras()
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]
    conv, pool = model.get_layer("conv"), model.get_layer("pool")
    probe = k.Model(model.inputs, [conv.output, pool.output])
    conv_out, pool_out = probe.predict(x, verbose=0)
    return conv_out, pool_out


def maps_before_relu(model, images) -> np.ndarray:
    """The conv layer's maps *before* its ReLU: the same weighted sums plus bias, with their
    negative values kept (``feature_maps`` gives ReLU of these). A batch axis, like ``images``
    gets one."""
    k = tfenv.keras()
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]
    conv = model.get_layer("conv")
    kernel, bias = conv.get_weights()
    out = k.ops.conv(x, kernel, strides=conv.strides, padding=conv.padding)
    return np.asarray(k.ops.convert_to_numpy(out)) + bias


def conv_with_kernels(image2d, kernels, bias=None) -> np.ndarray:
    """relu(conv(image, kernel_f) + bias_f) for each of the (5, 5, 1, F) kernels, via helpers.ops."""
    x = np.asarray(image2d, dtype=np.float64)
    if x.ndim == 3:
        x = x[..., 0]
    k = np.asarray(kernels, dtype=np.float64)
    out = ops.conv2d(x[..., None], k)  # (H', W', F)
    if bias is not None:
        out = out + np.asarray(bias)
    return np.maximum(out, 0.0)


def logits(model, images) -> np.ndarray:
    """The final Dense layer's score *before* its activation, for each image (shape (n,))."""
    k = tfenv.keras()
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]
    flat = k.Model(model.inputs, model.get_layer("flatten").output).predict(x, verbose=0)
    w, b = model.get_layer("dense").get_weights()
    return (flat.astype(np.float64) @ w.astype(np.float64) + b)[:, 0]

"""Convolution as one matrix product: the matrix of a kernel, with tied weights and zeros.

A valid, stride-1 cross-correlation of an ``(h, w)`` image with a ``(kh, kw)`` kernel is a
linear map from the ``h*w`` pixels (flattened row by row) to the ``oh*ow`` output cells, so it
is a matrix ``M`` with ``M @ x.ravel() == conv2d(x, k).ravel()``. Row ``i*ow + j`` of ``M``
holds the kernel's weights at the pixels of window ``(i, j)`` and zeros everywhere else; the
same ``kh*kw`` weights appear in every row (they are *tied*). A dense layer is the same
product with every entry of ``M`` a free parameter (chapter 6 uses this as the bridge to the
parameter count; fastbook ch. 13 draws the same matrix). The picture of the pattern is
``helpers.figures.panels.conv_matrix_figure``.
"""

from __future__ import annotations

import numpy as np

from . import ops


def tap_index(kernel_shape, image_shape) -> np.ndarray:
    """``(oh*ow, h*w)`` ints: which kernel weight (``u*kw + v``) sits in each entry, -1 for a zero."""
    kh, kw = ops.as_pair("kernel_shape", tuple(kernel_shape))
    h, w = ops.as_pair("image_shape", tuple(image_shape))
    oh, ow = ops.output_size(h, kh), ops.output_size(w, kw)
    taps = np.full((oh * ow, h * w), -1, dtype=int)
    for i in range(oh):
        for j in range(ow):
            for u in range(kh):
                for v in range(kw):
                    taps[i * ow + j, (i + u) * w + (j + v)] = u * kw + v
    return taps


def conv_matrix(kernel, image_shape) -> np.ndarray:
    """The matrix ``M`` with ``M @ x.ravel() == ops.conv2d(x, kernel).ravel()`` for 2-D ``x``."""
    k = ops.as_image("kernel", kernel, (2,))
    taps = tap_index(k.shape, image_shape)
    return np.where(taps >= 0, k.ravel()[np.maximum(taps, 0)], 0.0)

"""Convolution as one matrix product: the matrix of a kernel, with tied weights and zeros.

A valid, stride-1 cross-correlation of an ``(h, w)`` image with a ``(kh, kw)`` kernel is a
linear map from the ``h*w`` pixels (flattened row by row) to the ``oh*ow`` output cells, so it
is a matrix ``M`` with ``M @ x.ravel() == conv2d(x, k).ravel()``. Row ``i*ow + j`` of ``M``
holds the kernel's weights at the pixels of window ``(i, j)`` and zeros everywhere else; the
same ``kh*kw`` weights appear in every row (they are *tied*). A dense layer is the same
product with every entry of ``M`` a free parameter (chapter 6 uses this as the bridge to the
parameter count; fastbook ch. 13 draws the same matrix).
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


def figure(kernel_shape, image_shape, rows: int | None = None):
    """The tied-weight pattern of ``tap_index`` as a picture: one colour per kernel weight,
    white for the zeros. ``rows`` limits the picture to the first output cells."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    taps = tap_index(kernel_shape, image_shape)
    if rows is not None:
        taps = taps[:rows]
    n = int(np.prod(kernel_shape))
    colours = ["white"] + [plt.get_cmap("tab10")(t) for t in range(n)]
    fig, ax = plt.subplots(figsize=(7, 7 * taps.shape[0] / taps.shape[1] + 1.2),
                           facecolor="white")
    ax.imshow(taps + 1, cmap=ListedColormap(colours), vmin=0, vmax=n, interpolation="nearest",
              aspect="equal")
    ax.set_xlabel(f"input pixel (row-major, {taps.shape[1]} of them)")
    ax.set_ylabel(f"output cell ({taps.shape[0]})")
    kw = int(kernel_shape[1])
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[t + 1]) for t in range(n)]
    ax.legend(handles, [f"k[{t // kw}, {t % kw}]" for t in range(n)], ncol=n,
              loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig

"""How often each input pixel is read by a sliding window, and with how much total weight.

``coverage(shape, kernel, stride, padding)`` answers two questions the article raises in
Cases 2-5: which pixels are "multiplied by the weights just once" (the edges), and why the
right side of Case 2 fades (its pixels only ever meet the small right-hand weight). It also
shows pixels a strided window never reads at all (count 0). (Which of the article's errors the
book's boxes cover is another thing: ``book.errata.errata_coverage``.)
"""

from __future__ import annotations

import numpy as np

from . import ops


def coverage(shape, kernel, stride=1, padding="valid") -> tuple[np.ndarray, np.ndarray]:
    """``(count, weight)`` arrays of ``shape``: count[r, c] is the number of windows that
    contain pixel (r, c); weight[r, c] is the sum of the kernel weights that pixel is
    multiplied by over all those windows (its total influence on the output).

    shape: ``(H, W)`` of the unpadded input; kernel: 2-D; stride and padding as ``ops.conv2d``.
    """
    if not (isinstance(shape, (tuple, list)) and len(shape) == 2):
        raise ValueError(f"shape must be (height, width), got {shape!r}")
    h, w = ops.as_pair("shape", tuple(shape))
    kernel = ops.as_image("kernel", kernel, (1, 2))
    kernel = kernel[None, :] if kernel.ndim == 1 else kernel
    kh, kw = kernel.shape
    sh, sw = ops.as_pair("stride", stride)
    (top, bottom), (left, right) = ops.padding_2d(padding, (h, w), (kh, kw), (sh, sw))
    oh = ops.output_size(h, kh, sh, (top, bottom))
    ow = ops.output_size(w, kw, sw, (left, right))
    count = np.zeros((h + top + bottom, w + left + right))
    weight = np.zeros_like(count)
    for i in range(oh):
        for j in range(ow):
            count[i * sh : i * sh + kh, j * sw : j * sw + kw] += 1
            weight[i * sh : i * sh + kh, j * sw : j * sw + kw] += kernel
    inner = (slice(top, top + h), slice(left, left + w))
    return count[inner].astype(int), weight[inner]

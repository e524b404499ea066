"""Classic 3×3 image filters by name, applied with the book's own ``ops.conv2d`` and with OpenCV.

A CNN's first-layer kernels are learnt, but many end up looking like the filters image
processing has used for decades (edges, blurs, gradients). This module names those kernels,
applies them to the shipped photos with zero padding (so a 300×300 photo stays 300×300), and
shows that ``cv2.filter2D`` - which, like every CNN library, computes a *correlation* - gives
the same numbers. ``convolve`` flips the kernel first: that is the textbook convolution.
"""

from __future__ import annotations

import base64
import io

import numpy as np

from . import ops

#: Named 3×3 kernels. Weights are the usual textbook values.
KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], float),
    "box blur": np.full((3, 3), 1 / 9),
    "gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], float) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], float),
    "edge (Laplacian)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], float),
    "Sobel x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float),
    "Sobel y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], float),
}


def kernel(name: str) -> np.ndarray:
    """A copy of the named kernel from ``KERNELS``."""
    if name not in KERNELS:
        raise KeyError(f"no kernel named {name!r}; known: {', '.join(KERNELS)}")
    return KERNELS[name].copy()


def _check_kernel(k) -> np.ndarray:
    k = ops.as_image("kernel", k, (2,))
    if k.shape[0] % 2 == 0 or k.shape[1] % 2 == 0:
        raise ValueError(f"kernel must have odd height and width (a centre pixel), got {k.shape}")
    return k


def apply(image, k) -> np.ndarray:
    """Correlate a grey ``(H, W)`` or colour ``(H, W, C)`` image with a 2-D kernel, each
    channel on its own, zero-padded so the output has the image's size (float64, unclipped).
    """
    k = _check_kernel(k)
    img = ops.as_image("image", image)
    pad = ((k.shape[0] // 2,) * 2, (k.shape[1] // 2,) * 2)
    if img.ndim == 2:
        return ops.conv2d(img, k, padding=pad)
    return np.stack([ops.conv2d(img[:, :, c], k, padding=pad) for c in range(img.shape[2])], axis=2)


def convolve(image, k) -> np.ndarray:
    """True (textbook) convolution: correlation with the kernel rotated by 180°."""
    return apply(image, np.flip(_check_kernel(k)))


def apply_cv2(image, k) -> np.ndarray:
    """The same filter computed by OpenCV: ``cv2.filter2D`` (a correlation) with zero borders."""
    import cv2

    k = _check_kernel(k)
    img = ops.as_image("image", image)
    return cv2.filter2D(img, cv2.CV_64F, k, borderType=cv2.BORDER_CONSTANT)


def to_uint8(out, k) -> np.ndarray:
    """A filtered image as displayable 0-255 pixels.

    Kernels whose weights sum to about 1 (blur, sharpen, emboss) keep the brightness: clip to
    0-255. Kernels summing to 0 (edges, gradients) give signed responses around 0: show their
    size ``|out|`` scaled so the strongest response is white.
    """
    out = np.asarray(out, dtype=float)
    if abs(float(np.sum(k))) < 1e-9:
        mag = np.abs(out)
        top = mag.max()
        return np.zeros(out.shape, np.uint8) if top == 0 else np.round(mag * 255 / top).astype(np.uint8)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def encode(pixels, fmt: str = "PNG", quality: int = 80) -> bytes:
    """uint8 pixels (grey or RGB) encoded as PNG or JPEG bytes with PIL (fast: no matplotlib)."""
    from PIL import Image

    buf = io.BytesIO()
    img = Image.fromarray(np.asarray(pixels, dtype=np.uint8))
    if fmt.upper() == "JPEG":
        img.save(buf, format="JPEG", quality=quality)
    else:
        img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def data_uri(pixels, fmt: str = "JPEG", quality: int = 80) -> str:
    """Pixels as a ``data:`` URI, to embed an image in a page with no separate file."""
    mime = "image/jpeg" if fmt.upper() == "JPEG" else "image/png"
    return f"data:{mime};base64," + base64.b64encode(encode(pixels, fmt, quality)).decode()

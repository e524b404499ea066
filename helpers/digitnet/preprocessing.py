"""The page's preprocessing in Python, step for step as in ``digitnet.js``: the luminance of
a canvas or photo, and the MNIST-style 28×28 input made from it (the Node tests compare the two
on a table of inputs). Its settings go into the export, so the page reads the same numbers."""

from __future__ import annotations

import math

import numpy as np

from .. import ops

BOX = 20  # the digit is scaled to fit in BOX×BOX (MNIST: 20×20)
SIDE = 28  # and placed in SIDE×SIDE with its centre of mass at the centre:
CENTRE = 14.0  # the pixel index (row and column) where MNIST's own digits have it
MIN_CONTRAST = 32  # below this (0-255) between background and darkest ink: no digit
INK_THRESHOLD = 16  # after stretching to 0-255, ink below this is background noise -> 0
# the same settings for the page's JavaScript (written into the export: one source)
PREPROCESSING = {
    "box": BOX,
    "side": SIDE,
    "centre": CENTRE,
    "min_contrast": MIN_CONTRAST,
    "ink_threshold": INK_THRESHOLD,
}


def _median(values) -> float:
    s = sorted(float(v) for v in values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """w[i, r]: the share of source cell r in output cell i when n_in cells are averaged
    down (or up) to n_out (each output cell covers n_in / n_out source cells)."""
    s = n_in / n_out
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        lo, hi = i * s, (i + 1) * s
        for r in range(math.floor(lo), min(n_in, math.ceil(hi))):
            w[i, r] = (min(r + 1, hi) - max(r, lo)) / s
    return w


def preprocess(gray, polarity: str = "auto"):
    """MNIST-style 28×28 input from a grey image (luminance 0-255, 0 = black), as the page does.

    1. ink = 255 - gray for dark ink on a light background, gray for light on dark;
       ``polarity="auto"`` decides by the border: mean border luminance >= 127.5 -> dark on light;
    2. background removed and contrast stretched: the border's median ink -> 0, the most ink
       -> 255; below ``INK_THRESHOLD`` -> 0; no digit (None) if the contrast < ``MIN_CONTRAST``;
    3. cropped to the ink's bounding box, padded to a centred square, area-averaged to 20×20
       (as MNIST fitted each digit in a 20×20 box, keeping its aspect ratio);
    4. placed in 28×28 so that its centre of mass lands on pixel (14, 14), shifted by whole
       pixels (as MNIST was centred; its own digits have their centre of mass there).

    Returns ``(image, info)``: image (28, 28) float64 ink 0-255; info: polarity, box (top,
    left, height, width) in the input, scaled (20×20) and shift (rows, cols); or None.
    """
    g = ops.as_image("gray", gray, (2,))
    if polarity not in ("auto", "dark-on-light", "light-on-dark"):
        raise ValueError(f"polarity must be 'auto', 'dark-on-light' or 'light-on-dark', got {polarity!r}")
    found = _ink(g, polarity)
    if found is None:
        return None
    polarity, ink = found
    box, scaled = _fit_box(ink)
    out, shift = _centre(scaled)
    return out, {"polarity": polarity, "box": box, "scaled": scaled, "shift": shift}


def _ink(g: np.ndarray, polarity: str):
    """Steps 1-2 of ``preprocess``: ``(polarity, ink)``, the ink stretched to 0-255 with the
    background and faint marks at 0, or None if the contrast is too low."""
    h, w = g.shape
    border = np.concatenate([g[0], g[-1], g[1:-1, 0], g[1:-1, -1]]) if h > 1 and w > 1 else g.ravel()
    if polarity == "auto":
        polarity = "dark-on-light" if border.mean() >= 127.5 else "light-on-dark"
    ink = 255.0 - g if polarity == "dark-on-light" else g.copy()
    border_ink = 255.0 - border if polarity == "dark-on-light" else border
    bg, peak = _median(border_ink), float(ink.max())
    if peak - bg < MIN_CONTRAST:
        return None
    ink = np.clip((ink - bg) * (255.0 / (peak - bg)), 0.0, 255.0)
    ink[ink < INK_THRESHOLD] = 0.0
    return polarity, ink


def _fit_box(ink: np.ndarray):
    """Step 3: the ink's bounding box (top, left, height, width), and the box padded to a
    centred square and area-averaged to BOX×BOX."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    top, left = int(rows[0]), int(cols[0])
    bh, bw = int(rows[-1]) - top + 1, int(cols[-1]) - left + 1
    side = max(bh, bw)
    square = np.zeros((side, side))
    oy, ox = (side - bh) // 2, (side - bw) // 2
    square[oy : oy + bh, ox : ox + bw] = ink[top : top + bh, left : left + bw]
    a = _area_weights(side, BOX)
    return (top, left, bh, bw), a @ square @ a.T


def _centre(scaled: np.ndarray):
    """Step 4: the BOX×BOX digit placed in SIDE×SIDE, shifted by whole pixels so its centre of
    mass lands nearest (CENTRE, CENTRE); and that shift (rows, cols)."""
    total = scaled.sum()
    idx = np.arange(BOX)
    cy, cx = (scaled.sum(axis=1) @ idx) / total, (scaled.sum(axis=0) @ idx) / total
    off = (SIDE - BOX) // 2
    # the whole-pixel shift that puts the centre of mass (in pixel indices) nearest CENTRE;
    # the 1e-9 keeps exact halves (symmetric digits) from rounding differently in JavaScript
    dy, dx = (math.floor(CENTRE - (off + c) + 0.5 + 1e-9) for c in (cy, cx))
    out = np.zeros((SIDE, SIDE))
    for r in range(BOX):
        rr = r + off + dy
        if 0 <= rr < SIDE:
            c0, c1 = max(0, -(off + dx)), min(BOX, SIDE - (off + dx))
            out[rr, off + dx + c0 : off + dx + c1] = scaled[r, c0:c1]
    return out, (dy, dx)


def luminance(rgb) -> np.ndarray:
    """ITU-R BT.601 luminance of an (H, W, 3) or (H, W, 4) image (alpha composited on white),
    as the page computes it from a canvas."""
    a = np.asarray(rgb, dtype=np.float64)
    if a.ndim == 2:
        return a
    y = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    if a.shape[-1] == 4:
        alpha = a[..., 3] / 255.0
        y = y * alpha + 255.0 * (1 - alpha)
    return y

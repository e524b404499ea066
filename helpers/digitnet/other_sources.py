"""Handwriting from other sources than MNIST, made into the network's 28×28 inputs by the page's
own preprocessing (``preprocessing.preprocess``), to measure how the digit network reads other
hands: scikit-learn's copy of the UCI "optical recognition of handwritten digits" test set
(``sklearn.datasets.load_digits``, shipped in its wheel: nothing is downloaded).

Those are 1,797 digits of 13 people written on preprinted forms, extracted by NIST's programs
(a collection of its own, with another scanning and normalisation than MNIST's), each an 8×8 grid of counts
0-16: how many of the 16 pixels of a 4×4 block of a 32×32 binary bitmap were ink.
``uci_digits`` turns each back into a 32×32 ink density by bilinear upscaling ×4 (each count
spread smoothly over its block and half of the next, the total ink kept; nearest-neighbour
would draw 4×4 stairs that no pen makes), draws it dark on white paper with a 4-pixel margin,
and hands it to ``preprocess`` as the page would a photo of it. Licence: UCI's data set is
CC BY 4.0 (E. Alpaydin, C. Kaynak).
"""

from __future__ import annotations

import numpy as np

from .preprocessing import preprocess

UPSCALE = 4  # 8×8 block counts back to the 32×32 bitmaps they were counted from
MARGIN = 4  # blank paper around the digit, so the page's border test sees paper
MAX_COUNT = 16  # a 4×4 block all ink


def upscale(counts: np.ndarray) -> np.ndarray:
    """One 8×8 grid of counts 0-16 as a (32 + 2·MARGIN)² grey image, 255 = paper, 0 = ink:
    bilinear ×UPSCALE (OpenCV's ``INTER_LINEAR``, pixel centres aligned) and a margin."""
    import cv2

    ink = np.asarray(counts, dtype=np.float32) * np.float32(255 / MAX_COUNT)
    side = ink.shape[0] * UPSCALE
    big = cv2.resize(ink, (side, side), interpolation=cv2.INTER_LINEAR)
    big = np.pad(big.astype(np.float64), MARGIN)
    return 255.0 - big


def uci_digits() -> tuple[np.ndarray, np.ndarray, int]:
    """scikit-learn's 1,797 UCI digits through ``upscale`` and the page's ``preprocess``:
    ``(x, labels, dropped)``, x (n, 28, 28, 1) float32 ink 0-1 as the network reads it, labels
    (n,) int64, and how many digits ``preprocess`` found no digit in (left out)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    xs, ys, dropped = [], [], 0
    for counts, label in zip(bunch.images, bunch.target):
        done = preprocess(upscale(counts))
        if done is None:
            dropped += 1
            continue
        xs.append(done[0] / 255.0)
        ys.append(int(label))
    return np.asarray(xs, dtype=np.float32)[..., None], np.asarray(ys, dtype=np.int64), dropped

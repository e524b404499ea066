"""Augmentation that matches how people draw, for the digit network: each real MNIST digit is
redrawn (on a 56×56 canvas, twice MNIST's resolution) rotated a little, stretched or squeezed,
shifted, and with a thinner or thicker stroke, then put through the page's own preprocessing
(``preprocessing.preprocess``), so the network trains on exactly the kind of 28×28 input the
page gives it. Seeded NumPy and OpenCV: the same ``rng`` gives the same digits.

What survives the preprocessing: rotation, the change of aspect ratio and the stroke
thickness. The shift and the overall size do not (the page crops the ink's box, scales it to
20×20 and centres it by its centre of mass); they only change how the strokes fall on the
pixel grid.
"""

from __future__ import annotations

import math

import numpy as np

from .preprocessing import preprocess

CANVAS = 56  # the digit is redrawn at twice MNIST's 28×28
#: how far each change goes, drawn uniformly in these ranges for every digit of every epoch
ROTATE_DEGREES = 15.0  # -15..15
SCALE = (0.85, 1.15)  # overall size
ASPECT = (0.75, 1.25)  # width over height (a narrow or a wide hand)
SHIFT = 4.0  # pixels of the 56×56 canvas, either way
#: stroke thickness: a 3×3 erosion (-1), nothing (0) or 1-2 dilations (+1, +2) on the 56×56
#: canvas (a 3×3 step there is 1 pixel of the 28×28 input), with these probabilities
THICKNESS = {-1: 0.2, 0: 0.3, 1: 0.3, 2: 0.2}


def redraw(image, rng: np.random.Generator) -> np.ndarray:
    """One 28×28 digit (ink 0-255) redrawn on a CANVAS×CANVAS grey image (255 = paper, 0 =
    ink) with a random rotation, size, aspect, shift and stroke thickness."""
    import cv2

    ink = cv2.resize(np.asarray(image, dtype=np.float32), (CANVAS, CANVAS), interpolation=cv2.INTER_LINEAR)
    angle = math.radians(rng.uniform(-ROTATE_DEGREES, ROTATE_DEGREES))
    size, aspect = rng.uniform(*SCALE), rng.uniform(*ASPECT)
    sx, sy = size * math.sqrt(aspect), size / math.sqrt(aspect)
    cos, sin = math.cos(angle), math.sin(angle)
    linear = np.array([[cos * sx, -sin * sy], [sin * sx, cos * sy]])
    centre = np.array([CANVAS / 2 - 0.5, CANVAS / 2 - 0.5])
    offset = centre - linear @ centre + rng.uniform(-SHIFT, SHIFT, 2)
    matrix = np.hstack([linear, offset[:, None]]).astype(np.float64)
    ink = cv2.warpAffine(ink, matrix, (CANVAS, CANVAS), flags=cv2.INTER_LINEAR, borderValue=0.0)
    steps = int(rng.choice(list(THICKNESS), p=list(THICKNESS.values())))
    kernel = np.ones((3, 3), np.uint8)
    if steps > 0:
        ink = cv2.dilate(ink, kernel, iterations=steps)
    elif steps < 0:
        ink = cv2.erode(ink, kernel, iterations=-steps)
    return 255.0 - np.clip(ink, 0, 255).astype(np.float64)


def drawn_inputs(images, rng: np.random.Generator) -> np.ndarray:
    """The network's inputs (n, 28, 28, 1) float32 0-1 for MNIST digits (n, 28, 28) uint8:
    each ``redraw``-n and ``preprocess``-ed as the page would; a digit whose redrawing leaves
    no ink (a thin stroke eroded away) is preprocessed as it is."""
    out = np.empty((len(images), 28, 28, 1), dtype=np.float32)
    for i, image in enumerate(images):
        done = preprocess(redraw(image, rng))
        if done is None:
            done = preprocess(255.0 - np.asarray(image, dtype=np.float64))
        out[i, ..., 0] = done[0] / 255.0
    return out

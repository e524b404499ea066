"""The exercises of chapter 16 (the draw-a-digit explorer): each expected value computed from
the explorer's exported network (``digitnet.drawn_training.load_drawn``) and the shipped test
digits, never typed. The explorer control itself, the
page's draw-a-digit box, is ``helpers.interactive.explorer``."""

from __future__ import annotations

import functools

import numpy as np

from .. import data, digitnet, runcache
from ..digitnet import augment, drawn_training
from .registry import exercise

DISTORTIONS = ("tilt", "thin", "corner")
SHIFT = 3  # exercise 16.3: pixels to the right, the digit not preprocessed again


def _tilt(img):
    from scipy import ndimage

    return ndimage.rotate(img.astype(float), 45, reshape=True, order=1)


def _thin(img):
    from scipy import ndimage

    return ndimage.grey_erosion(np.kron(img.astype(float), np.ones((4, 4))), size=(5, 5))


def _corner(img):
    canvas = np.zeros((112, 112))
    canvas[:28, :28] = img
    return canvas


@functools.lru_cache(maxsize=1)
def misread_counts() -> dict[str, int]:
    """How many of the 500 test digits the explorer's network misreads after each distortion: tilted by
    45°, drawn thinner (grey erosion at 4× size), or small in the corner of a 4× larger
    canvas - each then preprocessed as the page does. ``"none"``: the digits as they are.
    ``"shift1"`` and ``"shift3"`` (exercise 16.3): the digits as the network reads them, moved
    1 or ``SHIFT`` pixels to the right (the columns that come in are 0) and *not* preprocessed
    again. (3,000 forward passes, in batches: counted once per test session, ``helpers.runcache``.)"""
    return runcache.reuse(
        "misread",
        {"shifts": [1, SHIFT]},
        _count_misread,
        lambda counts: ({}, counts),
        lambda _, counts: counts,
    )


def shifted(x, pixels: int):
    """Digits ``x`` (n, 28, 28) moved ``pixels`` to the right; the columns that come in are 0."""
    out = np.zeros_like(x)
    out[:, :, pixels:] = x[:, :, :-pixels]
    return out


def reads(weights, layers, drawings) -> np.ndarray:
    """What the network ``layers`` with ``weights`` reads in each of ``drawings`` (grey images
    of any size, ink 0-255), each preprocessed as the page does; -1 where preprocessing finds
    no digit."""
    inputs = [digitnet.preprocess(d) for d in drawings]
    kept = [i for i, res in enumerate(inputs) if res is not None]
    read = np.full(len(inputs), -1)
    if kept:
        x = np.stack([inputs[i][0] / 255 for i in kept])
        read[kept] = digitnet.predict(weights, x, layers).argmax(1)
    return read


def _count_misread() -> dict[str, int]:
    images, labels, split = data.load_mnist_5k()
    exported, layers = drawn_training.load_drawn()
    weights = exported.weights
    funcs = {"tilt": _tilt, "thin": _thin, "corner": _corner, "none": lambda im: im.astype(float)}
    test_rows = split["test"]
    counts = {
        name: int(np.sum(reads(weights, layers, [f(images[i]) for i in test_rows]) != labels[test_rows]))
        for name, f in funcs.items()
    }
    test = digitnet.load_split()["test"]
    for pixels in (1, SHIFT):
        read = digitnet.predict(weights, shifted(test.x[..., 0], pixels), layers).argmax(1)
        counts[f"shift{pixels}"] = int(np.sum(read != test.y))
    return counts


@exercise(
    "16.1",
    why=lambda: (
        "Preprocessing undoes size and position (the corner costs nothing) and partly stroke "
        "width, but nothing undoes a rotation: the explorer's network saw digits turned by at "
        f"most {augment.ROTATE_DEGREES:g}° in training, so a 45° tilt fools it most."
    ),
    hint="ask which of the three changes the preprocessing (crop, 20×20 box, centre of "
    "mass) takes away before the network sees the digit",
    options=("tilt", "thin", "corner"),
)
def _ch16_worst_distortion():
    counts = misread_counts()
    return max(DISTORTIONS, key=counts.get)


def _ch16_third_conv_why() -> str:
    _, r, j = digitnet.receptive_fields()[-1]
    r3 = _ch16_third_conv_field()
    return (
        f"r = {r} after pool2 and the jump there is {j}, so a 3×3 conv adds (3 − 1)·{j} = {r3 - r}: "
        f"{r3}×{r3} pixels."
    )


@exercise(
    "16.2",
    why=lambda: _ch16_third_conv_why(),
    hint="use r_out = r_in + (k − 1)·j_in with the r and j the table gives after pool2",
)
def _ch16_third_conv_field():
    _, r, j = digitnet.receptive_fields()[-1]
    return r + (3 - 1) * j


def _ch16_shift_why() -> str:
    counts = misread_counts()
    return (
        f"{counts[f'shift{SHIFT}']} of the {len(digitnet.load_split()['test'])} "
        f"(against {counts['none']} unshifted, "
        f"{counts['shift1']} after a 1-pixel shift): the conv maps move with the digit, but the "
        "Dense layer has one weight per position of the last volume, and two 2×2 poolings absorb "
        "only a pixel or so. That is why the page centres every drawing."
    )


@exercise(
    "16.3",
    why=lambda: _ch16_shift_why(),
    hint=lambda: (
        f"shift the ({len(digitnet.load_split()['test'])}, 28, 28) array with a slice, "
        f"x[:, :, :-{SHIFT}] into out[:, :, {SHIFT}:], run digitnet.forward(wd, image, "
        "drawn_layers) on each digit and compare the argmax with parts['test'].y"
    ),
)
def _ch16_shift_misreads():
    return misread_counts()[f"shift{SHIFT}"]

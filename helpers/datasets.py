"""The real cats-vs-dogs path, opt-in: download, verify, extract safely, scan, stream.

The article loads 23,000 photos into one in-memory array (6.21 GB as uint8, 24.84 GB as
float32). This module does what a reader with the real data needs instead, and nothing here
runs unless a reader asks for it (tests use a generated archive on a 127.0.0.1 server):

    python -m helpers.datasets cats-vs-dogs --dest DIR          # download + verify + extract + scan
    python -m helpers.datasets train-cats-vs-dogs --dest DIR    # train the corrected article model

* ``download``: progress bar (on a terminal only), writes ``NAME.part`` and renames it to NAME
  atomically once complete and verified; an interrupted download keeps ``NAME.part`` and the
  next call resumes it with an HTTP Range request (or restarts cleanly if the server ignores
  ranges or ``resume=False``); a size or SHA-256 mismatch deletes the partial file and raises
  ``ChecksumError``. The SHA-256 of what was downloaded is recorded in ``NAME.sha256``.
* ``extract_zip``: refuses members that would land outside DEST (``../x``, absolute paths,
  symlinks) and lists them; extracts into a temporary folder first, then renames.
* ``scan_images``: decodes every file once; empty, corrupt and non-image files are skipped and
  listed with the reason (the real archive has some).
* ``make_datasets``: a streaming ``tf.data`` pipeline: shuffle the file list *before* the
  split, then read, decode, resize to 300x300, scale to [0, 1], batch, prefetch. Only a few
  batches are ever in memory (``pipeline_peak_bytes``), not the whole data set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path, PurePosixPath

from . import tfenv

# Microsoft's public "Kaggle Cats and Dogs Dataset" (PetImages/Cat, PetImages/Dog), the URL the
# Keras example "Image classification from scratch" uses. Microsoft publishes no checksum for
# it, so none is invented here: pass --sha256/--size when you have one (the download is then
# checked), otherwise the zip's own CRCs are tested and the SHA-256 of what arrived is recorded.
CATS_VS_DOGS_URL = ("https://download.microsoft.com/download/3/E/1/"
                    "3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_5340.zip")
CATS_VS_DOGS_SHA256: str | None = None
CATS_VS_DOGS_SIZE: int | None = None
# Checksums recorded by others for earlier releases of the same archive (source: TensorFlow
# Datasets, tensorflow_datasets/url_checksums/cats_vs_dogs.txt): name -> (bytes, sha256).
KNOWN_ARCHIVES = {
    "kagglecatsanddogs_3367a.zip": (
        824_894_548, "f9553e426bd725354ed3a27e3c6920caadb55c835d1ebd880d2e56d3f1fbb22b"),
}
CLASSES = ("Cat", "Dog")  # label 0 = cat, 1 = dog
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
ACCEPTED_FORMATS = ("JPEG", "PNG")


class DownloadError(RuntimeError):
    """The download did not complete (the ``.part`` file is kept so a rerun resumes)."""


class ChecksumError(DownloadError):
    """What was downloaded is not what was expected (the partial file has been deleted)."""


# ----------------------------------------------------------------------------- download
class _Progress:
    """A one-line text progress bar on stderr; silent unless enabled."""

    def __init__(self, enabled: bool, total: int | None, start: int = 0):
        self.enabled, self.total, self.done, self._last = enabled, total, start, 0.0

    def update(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.2 or (self.total and self.done >= self.total)):
            self._last = now
            if self.total:
                frac = self.done / self.total
                bar = "#" * int(30 * frac)
                sys.stderr.write(f"\r[{bar:<30}] {100 * frac:5.1f}% {self.done / 1e6:,.1f}/"
                                 f"{self.total / 1e6:,.1f} MB")
            else:
                sys.stderr.write(f"\r{self.done / 1e6:,.1f} MB")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def sha256_of(path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks (constant memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def _check_sha(sha256):
    if sha256 is None:
        return None
    s = str(sha256).strip().lower()
    if len(s) != 64 or any(c not in "0123456789abcdef" for c in s):
        raise ValueError(f"sha256 must be 64 hexadecimal digits, got {sha256!r}")
    return s


def verify_file(path, sha256: str | None = None, size: int | None = None) -> str:
    """Check size and SHA-256 (each only if given); return the SHA-256. Raises ChecksumError."""
    path = Path(path)
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        raise ChecksumError(f"{path.name}: expected {size:,} bytes, got {actual_size:,}")
    digest = sha256_of(path)
    if sha256 is not None and digest != _check_sha(sha256):
        raise ChecksumError(f"{path.name}: SHA-256 mismatch: expected {sha256}, got {digest}")
    return digest


def download(url: str, dest, *, sha256: str | None = None, size: int | None = None,
             progress: bool | None = None, resume: bool = True, timeout: float = 60.0,
             chunk: int = 1 << 20) -> Path:
    """Download ``url`` to ``dest`` safely; return ``dest``.

    The bytes go to ``dest.part``; only a complete, verified file is renamed to ``dest``
    (atomic on one file system), so ``dest`` is never half-written. On an interruption the
    ``.part`` file stays and the next call resumes it (HTTP Range) - or starts over when
    ``resume=False`` or the server ignores ranges. A wrong size or SHA-256 deletes the partial
    file and raises ``ChecksumError``. ``progress=None`` shows a bar only on a terminal.
    """
    sha256 = _check_sha(sha256)
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    record = dest.with_name(dest.name + ".sha256")
    if dest.exists():
        digest = verify_file(dest, sha256, size)
        record.write_text(f"{digest}  {dest.name}\n")
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not resume and part.exists():
        part.unlink()
    offset = part.stat().st_size if part.exists() else 0
    if progress is None:
        progress = sys.stderr.isatty()
    headers = {"User-Agent": "cnn-book-helpers", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and offset:  # the .part file is already complete (or longer)
            response = None
        else:
            raise DownloadError(f"{url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        raise DownloadError(f"cannot reach {url}: {err}; run again to retry") from None
    if response is not None:
        with response:
            if offset and response.status == 206:
                mode = "ab"
            else:  # 200: the server sent everything; start over cleanly
                offset, mode = 0, "wb"
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length is not None else size
            bar = _Progress(progress, total, offset)
            written = offset
            try:
                with open(part, mode) as f:
                    while True:
                        block = response.read(chunk)
                        if not block:
                            break
                        f.write(block)
                        written += len(block)
                        bar.update(len(block))
            except (OSError, HTTPException) as err:
                raise DownloadError(
                    f"download interrupted after {written:,} bytes ({type(err).__name__}); "
                    f"the partial file {part.name} is kept: run again to resume") from None
            finally:
                bar.close()
            if total is not None and written < total:
                raise DownloadError(f"download interrupted after {written:,} of {total:,} bytes; "
                                    f"the partial file {part.name} is kept: run again to resume")
    try:
        digest = verify_file(part, sha256, size)
    except ChecksumError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    record.write_text(f"{digest}  {dest.name}\n")
    return dest


# ----------------------------------------------------------------------------- extract
@dataclass
class Extraction:
    """What ``extract_zip`` did: ``files`` extracted, ``refused`` member names (with reason)."""

    dest: Path
    files: int = 0
    refused: list = field(default_factory=list)


def verify_zip(path) -> None:
    """Read every member and check its CRC; raise ChecksumError naming the first bad one."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise ChecksumError(f"{Path(path).name} is not a valid zip archive ({err})") from None
    if bad is not None:
        raise ChecksumError(f"{Path(path).name}: member {bad!r} fails its CRC check")


def _unsafe_reason(info: zipfile.ZipInfo, root: Path) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link"
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if ".." in pure.parts:
        return "path outside DEST ('..')"
    target = (root / pure).resolve()
    if target != root and root not in target.parents:
        return "path outside DEST"
    return None


def extract_zip(archive, dest) -> Extraction:
    """Extract ``archive`` into ``dest``, refusing members that would land outside it.

    Members go to a temporary folder inside ``dest`` first; each top-level entry is then
    renamed into place, so an interrupted extraction leaves no half-filled ``PetImages``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    result = Extraction(dest)
    tmp = Path(tempfile.mkdtemp(prefix=".extracting-", dir=dest))
    root = tmp.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                reason = _unsafe_reason(info, root)
                if reason:
                    result.refused.append((info.filename, reason))
                    continue
                target = root / PurePosixPath(info.filename.replace("\\", "/"))
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
                result.files += 1
        for entry in sorted(tmp.iterdir()):
            final = dest / entry.name
            if final.exists():
                shutil.rmtree(final) if final.is_dir() else final.unlink()
            os.replace(entry, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


# ----------------------------------------------------------------------------- scan
@dataclass
class Scan:
    """Usable image files with labels, and the skipped files with the reason."""

    files: list
    labels: list
    skipped: list

    def counts(self) -> dict:
        return {name: sum(1 for lab in self.labels if lab == i) for i, name in enumerate(CLASSES)}


def check_image(path) -> str | None:
    """Why ``path`` is not a usable image (``None`` if it is): decodes it fully once."""
    from PIL import Image

    path = Path(path)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "not an image file"
    if path.stat().st_size == 0:
        return "empty file"
    try:
        with Image.open(path) as im:
            fmt = im.format
            im.load()
    except Exception as err:  # noqa: BLE001 - any decoder failure means "corrupt"
        return f"corrupt ({type(err).__name__})"
    if fmt not in ACCEPTED_FORMATS:
        return f"unsupported format {fmt}"
    return None


def scan_images(root, classes=CLASSES) -> Scan:
    """List ``root/<class>/*`` (label = index in ``classes``), skipping unusable files."""
    root = Path(root)
    files, labels, skipped = [], [], []
    for label, name in enumerate(classes):
        folder = root / name
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is missing: expected one folder per class {list(classes)}")
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            if not path.is_file():
                continue
            reason = check_image(path)
            if reason:
                skipped.append((str(path.relative_to(root)), reason))
            else:
                files.append(str(path))
                labels.append(label)
    return Scan(files, labels, skipped)


# ----------------------------------------------------------------------------- stream
def pipeline_peak_bytes(batch_size: int = 128, image_size=(300, 300), prefetch: int = 2,
                        parallel_calls: int = 2) -> int:
    """Upper estimate of the image bytes the pipeline holds at once (float32 batches).

    Batches in the prefetch buffer + the one the model is using + the one being assembled,
    plus the images being decoded in parallel. Independent of the number of images.
    """
    per_image = image_size[0] * image_size[1] * 3 * 4
    return per_image * (batch_size * (prefetch + 2) + parallel_calls)


def make_datasets(files, labels, *, image_size=(300, 300), batch_size: int = 128,
                  val_fraction: float = 0.3, seed: int = 0, prefetch: int = 2,
                  parallel_calls: int = 2):
    """Streaming ``tf.data`` pipelines ``(train, val)`` over image files.

    The file list is shuffled (seeded) *before* the split, so both parts hold cats and dogs
    (the article's ``validation_split`` took the last 30 % unshuffled). Each element is read
    from disk, decoded, resized to ``image_size`` (aspect ratio ignored, as in the article),
    scaled to [0, 1] float32; files that still fail to decode are dropped
    (``ignore_errors``). The training order is reshuffled every epoch.
    """
    import numpy as np
    tf = tfenv.tensorflow()

    if len(files) != len(labels) or not files:
        raise ValueError(f"files and labels must be non-empty and equally long, got {len(files)}, {len(labels)}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must lie strictly between 0 and 1, got {val_fraction}")
    order = np.random.default_rng(seed).permutation(len(files))
    paths = np.asarray(files)[order]
    labs = np.asarray(labels, dtype=np.float32)[order]
    n_val = max(1, int(round(len(files) * val_fraction)))
    h, w = image_size

    def load(path, label):
        raw = tf.io.read_file(path)
        img = tf.io.decode_image(raw, channels=3, expand_animations=False)
        img = tf.image.resize(img, (h, w))  # float32, 0-255
        img.set_shape((h, w, 3))
        return img / 255.0, label

    def pipeline(p, y, shuffle):
        ds = tf.data.Dataset.from_tensor_slices((p, y))
        if shuffle:  # shuffles file names only: cheap at any data-set size
            ds = ds.shuffle(len(p), seed=seed, reshuffle_each_iteration=True)
        ds = ds.map(load, num_parallel_calls=parallel_calls).ignore_errors()
        return ds.batch(batch_size).prefetch(prefetch)

    train = pipeline(paths[n_val:], labs[n_val:], shuffle=True)
    val = pipeline(paths[:n_val], labs[:n_val], shuffle=False)
    return train, val


def train_cats_vs_dogs(root, *, epochs: int = 5, batch_size: int = 128, val_fraction: float = 0.3,
                       seed: int = 0, steps_per_epoch: int | None = None, image_size=(300, 300),
                       verbose: int | str = "auto") -> dict:
    """Train the corrected article model (sigmoid + binary cross-entropy) on ``root/Cat|Dog``.

    Streams the images (never holds the data set in memory). Returns a dict with the counts,
    the skipped files and the per-epoch history; ``steps_per_epoch`` limits an epoch (tests).
    """
    from .models import article_cnn

    scan = scan_images(root)
    if len(set(scan.labels)) < 2:
        raise ValueError(f"{root} needs images of both classes {CLASSES}, found {scan.counts()}")
    tfenv.set_determinism(seed)
    train, val = make_datasets(scan.files, scan.labels, image_size=image_size, batch_size=batch_size,
                               val_fraction=val_fraction, seed=seed)
    model = article_cnn.corrected_model((*image_size, 3))
    steps = {}
    if steps_per_epoch:  # a short run (tests, smoke checks): repeat so no epoch runs dry
        train, val = train.repeat(), val.repeat()
        steps = {"steps_per_epoch": steps_per_epoch, "validation_steps": steps_per_epoch}
    # shuffle=False: the pipeline already reshuffles the file list every epoch.
    hist = model.fit(train, validation_data=val, epochs=epochs, verbose=verbose, shuffle=False, **steps)
    return {"counts": scan.counts(), "skipped": scan.skipped,
            "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
            "parameters": int(model.count_params())}


# ----------------------------------------------------------------------------- CLI
def fetch_cats_vs_dogs(dest, *, url: str = CATS_VS_DOGS_URL, sha256: str | None = CATS_VS_DOGS_SHA256,
                       size: int | None = CATS_VS_DOGS_SIZE, progress: bool | None = None,
                       resume: bool = True, out=print) -> Scan:
    """Download (or reuse), verify, extract and scan the archive into ``dest``."""
    dest = Path(dest)
    name = PurePosixPath(urllib.request.urlparse(url).path).name or "archive.zip"
    if sha256 is None and size is None and name in KNOWN_ARCHIVES:
        size, sha256 = KNOWN_ARCHIVES[name]
    archive = download(url, dest / name, sha256=sha256, size=size, progress=progress, resume=resume)
    digest = (dest / (name + ".sha256")).read_text().split()[0]
    out(f"downloaded {archive.name}: {archive.stat().st_size:,} bytes, SHA-256 {digest}"
        + (" (matches the expected checksum)" if sha256 else " (no checksum given: recorded, not checked)"))
    verify_zip(archive)
    out("zip integrity: every member's CRC is correct")
    result = extract_zip(archive, dest)
    for member, reason in result.refused:
        out(f"refused archive member {member!r}: {reason}")
    root = dest / "PetImages"
    scan = scan_images(root)
    (dest / "skipped.txt").write_text("".join(f"{p}\t{r}\n" for p, r in scan.skipped))
    out(f"usable images: {scan.counts()}; skipped {len(scan.skipped)} files "
        f"(listed in {dest / 'skipped.txt'})")
    return scan


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.datasets", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("cats-vs-dogs", help="download, verify, extract and scan the archive")
    fetch.add_argument("--dest", required=True, help="folder for the archive and PetImages/")
    fetch.add_argument("--url", default=CATS_VS_DOGS_URL)
    fetch.add_argument("--sha256", default=CATS_VS_DOGS_SHA256, help="expected SHA-256 (checked if given)")
    fetch.add_argument("--size", type=int, default=CATS_VS_DOGS_SIZE, help="expected size in bytes")
    fetch.add_argument("--restart", action="store_true", help="discard a partial download")
    fetch.add_argument("--no-progress", action="store_true")
    train = sub.add_parser("train-cats-vs-dogs", help="train the corrected article model on DEST/PetImages")
    train.add_argument("--dest", required=True)
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--batch-size", type=int, default=128)
    train.add_argument("--steps-per-epoch", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        if args.command == "cats-vs-dogs":
            fetch_cats_vs_dogs(args.dest, url=args.url, sha256=args.sha256, size=args.size,
                               progress=False if args.no_progress else None, resume=not args.restart)
        else:
            result = train_cats_vs_dogs(Path(args.dest) / "PetImages", epochs=args.epochs,
                                        batch_size=args.batch_size, steps_per_epoch=args.steps_per_epoch)
            out = Path(args.dest) / "training_result.json"
            out.write_text(json.dumps(result, indent=1))
            print(f"validation accuracy per epoch: {[round(a, 4) for a in result['history']['val_accuracy']]}")
            print(f"full history written to {out}")
    except (DownloadError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The image scan: ``scan_images`` decodes every file of the class folders once and lists the
ones it will not feed (empty, corrupt, not an image, a name TensorFlow cannot open) with why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .files import DatasetError

CLASSES = ("Cat", "Dog")  # label 0 = cat, 1 = dog
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
ACCEPTED_FORMATS = ("JPEG", "PNG")


@dataclass
class Scan:
    """Usable image files with labels, and the skipped files (relative to ``root``) with the
    reason."""

    files: list
    labels: list
    skipped: list
    root: Path | None = None

    def counts(self) -> dict:
        return {name: sum(1 for lab in self.labels if lab == i) for i, name in enumerate(CLASSES)}

    def leave_out(self, paths, reason: str) -> Scan:
        """This scan without the files ``paths``, which join ``skipped`` with ``reason``."""
        gone = set(paths)
        keep = [i for i, f in enumerate(self.files) if f not in gone]
        shown = [(_shown(Path(f), self.root) if self.root else f, reason) for f in self.files if f in gone]
        return Scan(
            [self.files[i] for i in keep], [self.labels[i] for i in keep], self.skipped + shown, self.root
        )


def _name_problem(path) -> str | None:
    """Why TensorFlow could not open ``path`` by name (None if it can)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 (TensorFlow cannot open it): rename the file"
    return None


def check_image(path) -> str | None:
    """Why ``path`` is not a usable image (``None`` if it is): decodes it fully once."""
    from PIL import Image

    path = Path(path)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "not an image file"
    problem = _name_problem(path)
    if problem:
        return problem
    if path.stat().st_size == 0:
        return "empty file"
    try:
        with open(path, "rb") as f, Image.open(f) as im:
            fmt = im.format
            im.load()
    except OSError as err:
        if err.errno is not None:  # the system's error (PIL's own have none)
            return f"cannot be read ({err.strerror}): check the file's permissions and the disk"
        return f"corrupt ({type(err).__name__})"
    except Exception as err:
        return f"corrupt ({type(err).__name__})"
    if fmt not in ACCEPTED_FORMATS:
        return f"unsupported format {fmt}"
    return None


def _shown(path: Path, root: Path) -> str:
    """A path for a listing: undecodable bytes of a name shown as \\xNN, never a crash."""
    return os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace")


def scan_images(root, classes=CLASSES) -> Scan:
    """List ``root/<class>/*`` (label = index in ``classes``), skipping unusable files.

    Every entry of a class folder is either fed (``files``) or listed in ``skipped`` with
    the reason, folders and other non-files included: nothing is left out silently.
    """
    root = Path(root)
    listed = []  # every class folder is listed before any image is decoded
    for name in classes:
        folder = root / name
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is missing: expected one folder per class {list(classes)}")
        try:
            listed.append([folder / entry for entry in os.listdir(folder)])
        except OSError as err:
            raise DatasetError(
                f"cannot read the folder {folder} ({err.strerror}): check its permissions"
            ) from None
    files, labels, skipped = [], [], []
    for label, entries in enumerate(listed):
        for path in sorted(entries, key=lambda p: os.fsencode(p.name)):
            if path.is_symlink() or not path.is_file():
                kind = "symbolic link" if path.is_symlink() else "folder" if path.is_dir() else "not a file"
                skipped.append((_shown(path, root), f"{kind}, not an image file"))
                continue
            reason = check_image(path)
            if reason:
                skipped.append((_shown(path, root), reason))
            else:
                files.append(str(path))
                labels.append(label)
    return Scan(files, labels, skipped, root)

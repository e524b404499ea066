"""The command line: ``python -m helpers.datasets cats-vs-dogs`` (``main``, ``fetch_cats_vs_dogs``)
and what ``helpers.catsdogs`` shares with it: ``CommandLine`` (a bad argument is one line), the
argument types (``positive``, ``folder``, ``as_argument``) and ``run_command`` (an error is one
line ``error: ...`` and an exit code).
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from pathlib import Path, PurePosixPath

from .. import validate
from .archive import extract_zip, verify_zip
from .fetch import DOWNLOAD_DEADLINE, download
from .files import DatasetError, Interrupted
from .scan import Scan, scan_images

# Microsoft's public "Kaggle Cats and Dogs Dataset" (PetImages/Cat, PetImages/Dog), the URL the
# Keras example "Image classification from scratch" uses. Microsoft publishes no checksum for
# it, so none is invented here: pass --sha256/--size when you have one (the download is then
# checked), otherwise the zip's own CRCs are tested and the SHA-256 of what arrived is recorded.
CATS_VS_DOGS_URL = (
    "https://download.microsoft.com/download/3/E/1/"
    "3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_5340.zip"
)
CATS_VS_DOGS_SHA256: str | None = None
CATS_VS_DOGS_SIZE: int | None = None
# Checksums recorded by others for earlier releases of the same archive (source: TensorFlow
# Datasets, tensorflow_datasets/url_checksums/cats_vs_dogs.txt): name -> (bytes, sha256).
KNOWN_ARCHIVES = {
    "kagglecatsanddogs_3367a.zip": (
        824_894_548,
        "f9553e426bd725354ed3a27e3c6920caadb55c835d1ebd880d2e56d3f1fbb22b",
    ),
}


def _archive_name(url: str) -> str:
    """The file name of the URL's path, if it is a plain one (never '..' or a hidden name)."""
    name = PurePosixPath(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    return name if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}", name) else "archive.zip"


def fetch_cats_vs_dogs(
    dest,
    *,
    url: str = CATS_VS_DOGS_URL,
    sha256: str | None = CATS_VS_DOGS_SHA256,
    size: int | None = CATS_VS_DOGS_SIZE,
    progress: bool | None = None,
    resume: bool = True,
    timeout: float = 60.0,
    deadline: float = DOWNLOAD_DEADLINE,
    out=print,
) -> Scan:
    """Download (or reuse), verify, extract and scan the archive into ``dest``.

    Ctrl-C raises ``Interrupted`` saying what was kept and how to continue.
    """
    if not str(dest).strip():
        raise ValueError(f"dest {EMPTY_FOLDER}")
    dest = Path(dest)
    name = _archive_name(url)
    if sha256 is None and size is None and name in KNOWN_ARCHIVES:
        size, sha256 = KNOWN_ARCHIVES[name]
    part = dest / (name + ".part")
    stage = "download"
    try:
        archive = download(
            url,
            dest / name,
            sha256=sha256,
            size=size,
            progress=progress,
            resume=resume,
            timeout=timeout,
            deadline=deadline,
            check=verify_zip,
        )
        digest = (dest / (name + ".sha256")).read_text().split()[0]
        out(
            f"downloaded {archive.name}: {archive.stat().st_size:,} bytes, SHA-256 {digest}"
            + (
                " (matches the expected checksum)"
                if sha256
                else " (no checksum given: recorded, not checked)"
            )
        )
        out("zip integrity: every member's CRC is correct")
        stage = "extraction"
        result = extract_zip(archive, dest, sha256=digest)
        if result.reused:
            out(f"already extracted from this {archive.name}: nothing to do")
        for member, reason in result.refused:
            out(f"refused archive member {member!r}: {reason}")
        stage = "scan"
        root = dest / "PetImages"
        scan = scan_images(root)
        (dest / "skipped.txt").write_text(
            "".join(f"{p.replace(chr(9), ' ').replace(chr(10), ' ')}\t{r}\n" for p, r in scan.skipped)
        )
    except KeyboardInterrupt:
        if stage == "download":
            kept = (
                f"{part.name} is kept ({part.stat().st_size:,} bytes)"
                if part.is_file()
                else "nothing was kept"
            )
            raise Interrupted(
                f"download of {name} interrupted: {kept}; run the same command again to resume"
            ) from None
        if stage == "extraction":
            raise Interrupted(
                f"extraction of {name} interrupted: nothing half-extracted was left; "
                "run the same command again"
            ) from None
        raise Interrupted(f"scan of {dest / 'PetImages'} interrupted; run the same command again") from None
    out(
        f"usable images: {scan.counts()}; skipped {len(scan.skipped)} files "
        f"(listed in {dest / 'skipped.txt'})"
    )
    return scan


EMPTY_FOLDER = "must name a folder, not '' (an empty name means the current folder)"


class CommandLine(argparse.ArgumentParser):
    """argparse for the book's commands: a bad argument is one line, ``error: argument --x:
    what is wrong``, exit code 2 (``--help`` still lists every option)."""

    def error(self, message):
        self.exit(2, f"error: {message}\n")


def positive(kind):
    """An argparse type: a positive integer (``kind=int``) or a positive number (``float``,
    infinity for no limit, never NaN), by the rule of ``helpers.validate``."""
    need, check = {
        int: ("a positive integer", validate.positive_integer),
        float: (
            "a positive number",
            lambda name, value: validate.number(name, value, positive=True, allow_infinity=True),
        ),
    }[kind]

    def parse(text):
        try:
            return check("value", kind(text))
        except (TypeError, ValueError):  # not a number of this kind, or not above 0
            raise argparse.ArgumentTypeError(f"must be {need}, got {text!r}") from None

    return parse


def as_argument(convert):
    """An argparse type from a function that raises ValueError with the reason."""

    def parse(text):
        try:
            return convert(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return parse


def folder(text: str) -> str:
    """An argparse type: a folder name, never empty."""
    if not text.strip():
        raise argparse.ArgumentTypeError(EMPTY_FOLDER)
    return text


def run_command(action) -> int:
    """Run ``action()`` for a command line: exit code 0, or one line on stderr and 1 (130 for
    Ctrl-C, with what was kept when ``action`` says it)."""
    try:
        action()
    except Interrupted as err:
        print(f"\n{err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("\ninterrupted; run the same command again", file=sys.stderr)
        return 130
    except (DatasetError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # e.g. a folder that cannot be written
        where = f" ({err.filename})" if err.filename else ""
        print(f"error: {err.strerror or err}{where}; check the folder and run again", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    about = sys.modules[__package__].__doc__  # the package's first line, as --help shows it
    parser = CommandLine(prog="python -m helpers.datasets", description=about.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("cats-vs-dogs", help="download, verify, extract and scan the archive")
    fetch.add_argument("--dest", type=folder, required=True, help="folder for the archive and PetImages/")
    fetch.add_argument("--url", default=CATS_VS_DOGS_URL)
    fetch.add_argument("--sha256", default=CATS_VS_DOGS_SHA256, help="expected SHA-256 (checked if given)")
    fetch.add_argument("--size", type=positive(int), default=CATS_VS_DOGS_SIZE, help="expected size in bytes")
    fetch.add_argument(
        "--restart",
        action="store_true",
        help="delete the archive and any partial download, and download again",
    )
    fetch.add_argument(
        "--timeout",
        type=positive(float),
        default=60.0,
        help="seconds the server may stay silent (default 60)",
    )
    fetch.add_argument(
        "--deadline",
        type=positive(float),
        default=DOWNLOAD_DEADLINE,
        help=f"seconds for the whole download (default {DOWNLOAD_DEADLINE:g})",
    )
    fetch.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    return run_command(
        lambda: fetch_cats_vs_dogs(
            args.dest,
            url=args.url,
            sha256=args.sha256,
            size=args.size,
            progress=False if args.no_progress else None,
            resume=not args.restart,
            timeout=args.timeout,
            deadline=args.deadline,
        )
    )

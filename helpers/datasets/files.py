"""What the other modules of ``helpers.datasets`` share: the errors a reader can act on, the
free-space rule and its messages (``DISK_FULL``), creating DEST, the one-run-per-folder lock
and the atomic write. (Their argument rules are ``helpers.validate``'s.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

FREE_MARGIN = 64 << 20  # bytes left free on the disk after an extraction or a download
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)  # the errnos of a write to a full disk (or quota)


class DatasetError(RuntimeError):
    """Something the reader can act on went wrong; the message names the file and the fix."""


class DownloadError(DatasetError):
    """The download did not complete (the ``.part`` file is kept so a rerun resumes)."""


class ChecksumError(DownloadError):
    """What was downloaded is not what was expected (the partial file has been deleted)."""


class ExtractionError(DatasetError):
    """The archive was not extracted; nothing outside DEST was touched, no file was removed."""


class Interrupted(DatasetError):
    """Ctrl-C: what was kept, and how to continue."""


def write_atomic(path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, then rename it: the name
    only ever holds a complete file (a full disk or a kill leaves the previous one)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _make_folder(folder: Path, error: type[DatasetError]) -> None:
    """Create ``folder`` (and its parents) to write into; a failure is ``error`` naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise error(f"cannot create the folder {folder} ({err.strerror}); choose another --dest") from None


def free_bytes(folder) -> int:
    """Free bytes on the file system of ``folder`` (a function so tests can pretend: the download
    and the extraction both call it as ``files.free_bytes``, so one patch here covers both)."""
    return shutil.disk_usage(folder).free


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def _room(need: int, free: int, folder) -> str:
    """The message for too little free space: what is needed, with the margin kept free."""
    return (
        f"needs {_mb(need + FREE_MARGIN)} free ({_mb(need)} to write plus {_mb(FREE_MARGIN)} "
        f"to spare), only {_mb(free)} are free in {folder}; free some space and run again"
    )


def _too_large(folder) -> str:
    """The message for EFBIG: a download again cannot help, another file system can."""
    return (
        f"a file this large is too large for the file system of {folder} (a FAT32 disk "
        "holds at most 4 GB per file): choose a --dest on another file system"
    )


@contextlib.contextmanager
def _locked(folder: Path, what: str):
    """One download or extraction per folder at a time: an flock on the folder itself (no
    lock file to leave behind; the kernel releases it when the process ends, even killed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DatasetError(
                f"another run is already working on {what} in {folder}; wait for it to finish"
            ) from None
        yield
    finally:
        os.close(fd)

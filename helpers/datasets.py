"""The real cats-vs-dogs path, opt-in: download, verify, extract safely, scan, stream.

The article loads 23,000 photos into one in-memory array (6.21 GB as uint8, 24.84 GB as
float32). This module does what a reader with the real data needs instead, and nothing here
runs unless a reader asks for it (tests use generated archives on a 127.0.0.1 server):

    python -m helpers.datasets cats-vs-dogs --dest DIR    # download + verify + extract + scan
    python -m helpers.catsdogs --dest DIR                  # then train (helpers/catsdogs.py)

* ``download``: writes ``NAME.part`` and gives it the final name (atomic rename) only once it is
  verified: its size when known (``--size`` or the server's Content-Length), its SHA-256 when
  known, and a ``check`` (by default ``check_by_name``: a ``.zip`` must be a readable zip whose
  every CRC is right, and no file may be a web page). A dropped connection keeps
  ``NAME.part``; the next call resumes it with ``Range`` + ``If-Range``, and starts over
  cleanly when the server ignores ranges, answers from another offset or the file changed on
  the server. A stalled or dripping server hits ``timeout`` / the overall
  ``deadline``. The SHA-256 of what arrived is recorded in ``NAME.sha256``.
* ``extract_zip``: refuses members that would land outside DEST (``../x``, absolute paths,
  ``..\\x``, drive letters, symbolic links) and lists them; refuses a zip bomb (compression
  ratio over ``max_ratio``, or more bytes than the disk has free) before writing anything;
  extracts into a temporary folder, then renames each top-level entry into place. It never
  deletes or overwrites what it did not create: it records every file it writes (size and
  time), and an existing entry that the book did not extract, or one that now holds a file it
  did not write or that changed since, stops it with a message naming that file. Stale
  temporary folders of a killed run are removed on the next run.
* ``scan_images``: decodes every file once; empty, corrupt and non-image files, and names
  TensorFlow cannot open (not UTF-8), are skipped and listed with the reason.
* ``make_datasets``: a streaming ``tf.data`` pipeline: shuffle the file list *before* the
  split, then read, decode, resize to 300x300, scale to [0, 1], batch, prefetch. Only a few
  batches are ever in memory (``pipeline_peak_bytes``), not the whole data set. A file that
  TensorFlow still cannot decode is left out of the batches and counted (``StreamStats``).
* The command line (``main``) and what ``helpers.catsdogs`` shares with it: ``CommandLine``
  (a bad argument is one line), argument types (``positive``, ``folder``), ``run_command``
  (an error is one line ``error: ...`` and an exit code) and ``write_atomic``.

Why not pooch (``pooch.retrieve(url, known_hash, processor=Unzip())``, checked with pooch
1.9.0): it downloads to a temporary file and moves it into place only if the hash matches,
which is the part this module needs most, but (1) it cannot resume: an interrupted 786 MB
download starts again from zero, and the temporary file is deleted; (2) Microsoft publishes no
checksum for this archive, and with ``known_hash=None`` pooch accepts whatever a 200 response
carried - a truncated body or an HTML error page; (3) it has no overall deadline, only a
per-read timeout; (4) its ``Unzip`` is ``ZipFile.extractall`` into ``NAME.unzip``, with no
limit on the uncompressed size or ratio. Resuming, verifying without a published checksum and
bounding the extraction are what this module adds, in about as much code as wrapping pooch
would take; it uses ``hashlib.file_digest`` for the checksum and the standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import errno
import hashlib
import json
import numbers
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import urllib.error
import urllib.parse
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

DOWNLOAD_DEADLINE = 4 * 3600.0  # seconds for a whole download (786 MB at 55 kB/s); --deadline
MAX_RATIO = 100.0  # largest compression ratio extracted; JPEG photos compress about 1:1
RATIO_FLOOR = 1 << 20  # members smaller than this (1 MiB) are not ratio-checked one by one
FREE_MARGIN = 64 << 20  # bytes left free on the disk after an extraction or a download
MANIFEST = ".cnn-book-extracted.json"  # what extract_zip created in DEST (it removes only that)
TEMP_PREFIX = ".extracting-"
TEMP_MARK = ".cnn-book-temporary"  # inside every temporary folder of extract_zip


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


def sha256_of(path) -> str:
    """SHA-256 of a file, read in chunks (constant memory)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _check_sha(sha256):
    if sha256 is None:
        return None
    s = str(sha256).strip().lower()
    if len(s) != 64 or any(c not in "0123456789abcdef" for c in s):
        raise ValueError(f"sha256 must be 64 hexadecimal digits, got {sha256!r}")
    return s


def is_count(n) -> bool:
    """A positive integer (a bool is no count)."""
    return isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1


def _check_size(size):
    if size is None:
        return None
    if not is_count(size):
        raise ValueError(f"size must be a positive number of bytes, got {size!r}")
    return int(size)


def _check_seconds(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


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


def free_bytes(folder) -> int:
    """Free bytes on the file system of ``folder`` (a function so tests can pretend)."""
    return shutil.disk_usage(folder).free


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def _room(need: int, free: int, folder) -> str:
    """The message for too little free space: what is needed, with the margin kept free."""
    return (f"needs {_mb(need + FREE_MARGIN)} free ({_mb(need)} to write plus {_mb(FREE_MARGIN)} "
            f"to spare), only {_mb(free)} are free in {folder}; free some space and run again")


def _too_large(folder) -> str:
    """The message for EFBIG: a download again cannot help, another file system can."""
    return (f"a file this large is too large for the file system of {folder} (a FAT32 disk "
            "holds at most 4 GB per file): choose a --dest on another file system")


def verify_file(path, sha256: str | None = None, size: int | None = None, *, name=None) -> str:
    """Check size and SHA-256 (each only if given); return the SHA-256. Raises ChecksumError."""
    path = Path(path)
    name = name or path.name
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        raise ChecksumError(f"{name}: expected {size:,} bytes, got {actual_size:,}")
    digest = sha256_of(path)
    if sha256 is not None and digest != _check_sha(sha256):
        raise ChecksumError(f"{name}: SHA-256 mismatch: expected {sha256}, got {digest}")
    return digest


def _content_length(headers, name: str) -> int | None:
    value = headers.get("Content-Length")
    if value is None:
        return None
    if not re.fullmatch(r"\s*[0-9]{1,15}\s*", value):
        raise DownloadError(f"{name}: the server sent an invalid Content-Length {value[:40]!r}; "
                            "try again later or use another --url")
    return int(value)


def _content_range(headers) -> tuple[int, int, int | None] | None:
    """``Content-Range: bytes START-END/TOTAL`` as numbers (TOTAL None for ``*``)."""
    m = re.fullmatch(r"\s*bytes\s+([0-9]+)-([0-9]+)/([0-9]+|\*)\s*", headers.get("Content-Range") or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), None if m.group(3) == "*" else int(m.group(3))


def _redirect_advice(err: urllib.error.HTTPError) -> str:
    """Why urllib stopped at a redirect: not http(s), no Location, or a loop."""
    location = (err.headers.get("Location") or err.headers.get("URI") or "") if err.headers else ""
    if not location:
        return "it redirects without saying where (no Location): check --url"
    if urllib.parse.urlsplit(location).scheme.lower() not in ("http", "https", "ftp", ""):
        return (f"it redirects to {location[:80]!r}, which is not an http(s) address (the book "
                "follows only those): check --url")
    return "the URL redirects in a loop or too often: check --url"


def _http_advice(code: int) -> str:
    if code in (401, 403, 404, 410):
        return "check the URL (--url); the file may have moved"
    if code >= 500:
        return "the server has a problem: run again later (a partial download is kept)"
    return "check the URL (--url)"


class _Restart(Exception):
    """The server's answer does not continue the partial file: start it again from byte 0."""


def _validator(meta: dict) -> str | None:
    """What If-Range can carry: a strong ETag, else a Last-Modified date."""
    etag = meta.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    last = meta.get("last_modified")
    if last and email.utils.parsedate_to_datetime(last) is not None:
        return last
    return None


def _load_meta(meta_path: Path, url: str) -> dict | None:
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("url") == url else None


def _fetch(url, part: Path, meta_path: Path, name: str, *, size, stop_at, timeout, chunk,
           progress) -> None:
    """One HTTP request that brings ``part`` to the end of the file; raises _Restart when the
    answer does not continue it, DownloadError when it cannot (``part`` kept)."""
    meta = _load_meta(meta_path, url) if part.exists() else None
    offset = part.stat().st_size if meta else 0
    if not meta:
        part.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
    headers = {"User-Agent": "cnn-book-helpers", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if _validator(meta):
            headers["If-Range"] = _validator(meta)
    remaining = stop_at - time.monotonic()
    if remaining <= 0:
        raise DownloadError(f"{name}: the download deadline passed; run again to resume "
                            "(or give a longer --deadline)")
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                          timeout=min(timeout, remaining))
    except urllib.error.HTTPError as err:
        with err:
            if err.code == 416 and offset:  # nothing after `offset`: complete, or a changed file
                rng = _content_range(err.headers)
                if rng is None or rng[2] != offset:
                    raise _Restart from None
                return
            redirect = 300 <= err.code < 400
            said = "" if redirect else f" {str(err.reason)[:60]}"
            advice = _redirect_advice(err) if redirect else _http_advice(err.code)
            raise DownloadError(f"{name}: the server answered HTTP {err.code}{said} for {url}; "
                                f"{advice}") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(f"{name}: cannot reach {urllib.parse.urlsplit(url).netloc or url} "
                            f"({str(reason)[:80]}); check the connection or --url and run again "
                            "(a partial download resumes)") from None
    except HTTPException as err:
        raise DownloadError(f"{name}: the server sent an invalid HTTP answer ({type(err).__name__}); "
                            "try again later or use another --url") from None
    with response:
        length = _content_length(response.headers, name)
        if response.status == 206:
            rng = _content_range(response.headers)
            if rng is None or rng[0] != offset or (meta and meta.get("total") and rng[2]
                                                    and rng[2] != meta["total"]):
                raise _Restart  # another offset, or the file changed size on the server
            mode = "ab" if offset else "wb"
            total = rng[2] or (offset + length if length is not None else None)
        elif response.status == 200:  # the whole file (no ranges, or If-Range said it changed)
            offset, mode, total = 0, "wb", length
        else:
            raise DownloadError(f"{name}: unexpected HTTP {response.status} from {url}; "
                                f"{_http_advice(response.status)}")
        if size is not None and total is not None and total != size:
            part.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            raise ChecksumError(f"{name}: expected {size:,} bytes, the server sends {total:,}; "
                                "nothing was kept: check --url and --size")
        total = total if total is not None else size
        free = free_bytes(part.parent) if total is not None else 0
        if total is not None and free < total - offset + FREE_MARGIN:
            raise DownloadError(f"{name}: {_room(total - offset, free, part.parent)}")
        old = meta or {}
        meta = {"url": url, "total": total,
                "etag": response.headers.get("ETag") or (old.get("etag") if offset else None),
                "last_modified": response.headers.get("Last-Modified")
                or (old.get("last_modified") if offset else None)}
        meta_path.write_text(json.dumps(meta))
        bar = _Progress(progress, total, offset)
        written = offset
        try:
            with open(part, mode) as f:
                while True:
                    if time.monotonic() > stop_at:
                        raise DownloadError(
                            f"{name}: the download deadline passed after {written:,} bytes; "
                            f"{part.name} is kept: run again to resume (or give a longer --deadline)")
                    try:
                        block = response.read1(chunk)
                    except (OSError, HTTPException) as err:
                        raise DownloadError(
                            f"{name}: download interrupted after {written:,} bytes "
                            f"({type(err).__name__}); {part.name} is kept: run again to resume") from None
                    if not block:
                        break
                    f.write(block)
                    written += len(block)
                    bar.update(len(block))
        except OSError as err:
            if err.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DownloadError(f"{name}: the disk is full ({part.parent}) after {written:,} "
                                    f"bytes; free some space and run again (it resumes)") from None
            if err.errno == errno.EFBIG:
                raise DownloadError(f"{name}: stopped after {written:,} bytes: "
                                    f"{_too_large(part.parent)}") from None
            raise DownloadError(f"{name}: cannot write {part} ({err.strerror}); check the folder "
                                "and run again") from None
        finally:
            bar.close()
    if total is not None and written < total:
        raise DownloadError(f"{name}: download interrupted after {written:,} of {total:,} bytes; "
                            f"{part.name} is kept: run again to resume")


def download(url: str, dest, *, sha256: str | None = None, size: int | None = None,
             progress: bool | None = None, resume: bool = True, timeout: float = 60.0,
             deadline: float = DOWNLOAD_DEADLINE, chunk: int = 1 << 16, check="auto") -> Path:
    """Download ``url`` to ``dest`` safely; return ``dest``.

    The bytes go to ``dest.part``; only a complete, verified file is renamed to ``dest``
    (atomic on one file system), so ``dest`` never holds a half-written or unverified file.
    Verified means: all the bytes the server announced, ``size`` (if given), the SHA-256 (if
    ``sha256``), and ``check(path, name=...)`` (raises ChecksumError), e.g. ``verify_zip``; the
    default, ``"auto"``, is ``check_by_name``: what can be verified without a checksum (a
    ``.zip`` is a complete, readable zip; no file is a web page unless its name says so);
    ``check=None`` checks nothing more. A file that fails is deleted (ChecksumError); a
    download that stops early keeps ``dest.part`` and the next call resumes it.
    ``resume=False`` deletes ``dest`` and ``dest.part`` and starts over. ``timeout``: seconds a
    connection may stay silent; ``deadline``: seconds for the whole call. ``progress=None``
    shows a bar only on a terminal.
    """
    sha256, size = _check_sha(sha256), _check_size(size)
    timeout, deadline = _check_seconds("timeout", timeout), _check_seconds("deadline", deadline)
    check = check_by_name if check == "auto" else check
    if urllib.parse.urlsplit(str(url)).scheme not in ("http", "https"):
        raise ValueError(f"url must start with http:// or https://, got {str(url)[:80]!r}")
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    meta_path = dest.with_name(dest.name + ".part.json")
    record = dest.with_name(dest.name + ".sha256")
    for p in (dest, part):
        if p.is_dir():
            raise DownloadError(f"{p} is a folder, not a file: move it away or choose another --dest")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"cannot create the folder {dest.parent} ({err.strerror}); "
                            "choose another --dest") from None
    with _locked(dest.parent, dest.name):
        return _download(url, dest, part, meta_path, record, sha256=sha256, size=size,
                         progress=progress, resume=resume, timeout=timeout, deadline=deadline,
                         chunk=chunk, check=check)


def _download(url, dest, part, meta_path, record, *, sha256, size, progress, resume, timeout,
              deadline, chunk, check) -> Path:
    if not resume:
        for p in (dest, part, meta_path, record):
            p.unlink(missing_ok=True)
    if dest.exists():
        try:
            digest = verify_file(dest, sha256, size)
            if check is not None:
                check(dest)
        except ChecksumError as err:
            raise ChecksumError(f"{err}; it is not used: run again with --restart (resume=False) "
                                "to download it afresh") from None
        record.write_text(f"{digest}  {dest.name}\n")
        return dest
    if progress is None:
        progress = sys.stderr.isatty()
    stop_at = time.monotonic() + deadline
    for _ in range(3):  # a restart from byte 0 is allowed twice
        try:
            _fetch(url, part, meta_path, dest.name, size=size, stop_at=stop_at, timeout=timeout,
                   chunk=chunk, progress=progress)
            break
        except _Restart:
            part.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
    else:
        raise DownloadError(f"{dest.name}: the server's ranges never continue the partial file; "
                            "run again with --restart")
    try:
        digest = verify_file(part, sha256, size, name=dest.name)
        if check is not None:
            check(part, name=dest.name)
    except ChecksumError as err:
        part.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        raise ChecksumError(f"{err}; what arrived was deleted: check --url (and --sha256/--size), "
                            "then run again") from None
    os.replace(part, dest)
    meta_path.unlink(missing_ok=True)
    record.write_text(f"{digest}  {dest.name}\n")
    return dest


# ----------------------------------------------------------------------------- extract
@dataclass
class Extraction:
    """What ``extract_zip`` did: ``files`` extracted, ``refused`` member names (with reason);
    ``reused`` when the same archive had already been extracted there."""

    dest: Path
    files: int = 0
    refused: list = field(default_factory=list)
    reused: bool = False


def _bomb(infos, name: str, max_ratio: float) -> str | None:
    """Why these members look like a zip bomb (None if they do not)."""
    files = [m for m in infos if not m.is_dir()]
    for m in files:
        if m.file_size > RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
            return (f"{name}: member {m.filename!r} expands {m.file_size / max(m.compress_size, 1):,.0f}"
                    f" times ({_mb(m.file_size)}), more than the {max_ratio:g}:1 allowed (a zip bomb?)")
    total, packed = sum(m.file_size for m in files), sum(m.compress_size for m in files)
    if total > RATIO_FLOOR and total > max_ratio * max(packed, 1):
        return (f"{name} expands {total / max(packed, 1):,.0f} times, more than the "
                f"{max_ratio:g}:1 allowed (a zip bomb?)")
    return None


def verify_zip(path, *, name=None, max_ratio: float = MAX_RATIO) -> None:
    """Check that ``path`` is a zip archive that is no zip bomb (compression ratio at most
    ``max_ratio``), then read every member and check its CRC; raise ChecksumError naming the
    first bad one."""
    name = name or Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            bomb = _bomb(zf.infolist(), name, max_ratio)
            if bomb:
                raise ChecksumError(bomb)
            for info in zf.infolist():
                if info.is_dir():
                    continue
                try:
                    with zf.open(info) as member:
                        while member.read(1 << 20):
                            pass
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
                    raise ChecksumError(f"{name}: member {info.filename!r} is corrupt ({err})") from None
                except NotImplementedError:  # (a RuntimeError: caught first) e.g. deflate64
                    raise ChecksumError(
                        f"{name}: member {info.filename!r} uses a compression method Python cannot "
                        f"read (method {info.compress_type})") from None
                except RuntimeError:  # zipfile: "... is encrypted, password required"
                    raise ChecksumError(f"{name}: member {info.filename!r} is encrypted "
                                        "(password-protected)") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        if _head(path).startswith(b"<"):
            what = "the server sent a web page, not the file"
        elif isinstance(err, zipfile.BadZipFile) and "not a zip file" in str(err):
            what = "no zip directory at its end: cut short, or not a zip file"
        else:
            what = str(err)[:80]
        raise ChecksumError(f"{name} is not a complete zip archive ({what})") from None


def _head(path) -> bytes:
    """The first bytes of a file, lower case, leading white space dropped."""
    with open(path, "rb") as f:
        return f.read(64).lstrip().lower()


def check_by_name(path, *, name=None) -> None:
    """What ``download`` verifies by default, without a checksum: a ``.zip`` must be a
    complete, readable zip (``verify_zip``); any other file must not be a web page (an error
    page answered with 200) unless its name ends in .html or .htm. Raises ChecksumError."""
    name = name or Path(path).name
    if name.lower().endswith(".zip"):
        verify_zip(path, name=name)
    elif (not name.lower().endswith((".html", ".htm"))
          and _head(path).startswith((b"<!doctype html", b"<html"))):
        raise ChecksumError(f"{name}: the server sent a web page, not the file")


def _unsafe_reason(info: zipfile.ZipInfo, root: Path, name_max: int = 255) -> str | None:
    name = info.filename
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip records no Unix type
    if kind == stat.S_IFLNK:
        return "symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special file"
    flat = name.replace("\\", "/")
    pure = PurePosixPath(flat)
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", flat):
        return "absolute path"
    if ".." in pure.parts:
        return "path outside DEST ('..')"
    if not pure.parts or pure.parts[0] == MANIFEST or pure.parts[0].startswith(TEMP_PREFIX):
        return "name reserved by the book"
    if any(len(os.fsencode(part)) > name_max for part in pure.parts):
        return "name too long for the file system"
    target = (root / pure).resolve()
    if target != root and root not in target.parents:
        return "path outside DEST"
    return None


def _is_ours(temp: Path) -> bool:
    return temp.is_dir() and not temp.is_symlink() and (temp / TEMP_MARK).is_file()


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
            raise DatasetError(f"another run is already working on {what} in {folder}; "
                               "wait for it to finish") from None
        yield
    finally:
        os.close(fd)


def _manifest(dest: Path) -> dict:
    """What extract_zip recorded in ``dest``: ``entries`` (top-level names), ``files`` (path ->
    [size, mtime_ns] of every file it wrote) and ``folders``; {} if nothing readable."""
    try:
        data = json.loads((dest / MANIFEST).read_text())
        return data if isinstance(data, dict) and isinstance(data.get("entries"), list) else {}
    except (OSError, ValueError):
        return {}


def _raise(err: OSError):
    raise err


def _tree(folder: Path, top: str):
    """``folder/top`` and everything under it, as (path relative to ``folder``, lstat)."""
    first = os.lstat(folder / top)
    yield top, first
    if stat.S_ISDIR(first.st_mode):
        for here, dirs, files in os.walk(folder / top, onerror=_raise):
            rel = Path(here).relative_to(folder).as_posix()
            for entry in sorted(dirs) + sorted(files):
                yield f"{rel}/{entry}", os.lstat(os.path.join(here, entry))


def _record_tree(folder: Path, top: str, files: dict, folders: set) -> None:
    for rel, st in _tree(folder, top):
        if stat.S_ISDIR(st.st_mode):
            folders.add(rel)
        else:
            files[rel] = [st.st_size, st.st_mtime_ns]


def _foreign(dest: Path, top: str, done: dict) -> str | None:
    """The first entry under ``dest/top`` that extract_zip did not write, or that changed since
    (it may be the reader's), relative to ``dest``; None when all of it is as the book left it."""
    files, folders = done.get("files"), set(done.get("folders") or ())
    if not isinstance(files, dict):  # recorded without its files: nothing can be told apart
        return top
    try:
        for rel, st in _tree(dest, top):
            ours = (rel in folders if stat.S_ISDIR(st.st_mode)
                    else stat.S_ISREG(st.st_mode) and files.get(rel) == [st.st_size, st.st_mtime_ns])
            if not ours:
                return rel
    except OSError as err:  # a folder it cannot list: not one the book wrote as it is
        return os.path.relpath(err.filename, dest) if err.filename else top
    return None


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` allows."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def extract_zip(archive, dest, *, max_ratio: float = MAX_RATIO, sha256: str | None = None) -> Extraction:
    """Extract ``archive`` into ``dest``, refusing members that would land outside it.

    Before writing anything: the total uncompressed size must fit on the disk (with
    ``FREE_MARGIN`` to spare) and the compression ratio (whole archive, and each member over
    1 MiB) must not exceed ``max_ratio``; an existing top-level entry that this function did
    not create stops it, and so does one it created that now holds anything it did not write
    or that changed since (every file it writes is recorded, with its size and time, in
    ``dest/.cnn-book-extracted.json``). Members go to a temporary folder inside ``dest``; each
    top-level entry is then renamed into place (the one it replaces moved out first), so an
    interrupted extraction leaves no half-filled ``PetImages``. ``sha256`` (of the archive):
    when the same archive was already fully extracted, nothing is done (``reused``).
    """
    archive, dest = Path(archive), Path(dest)
    if not isinstance(max_ratio, (int, float)) or isinstance(max_ratio, bool) or not max_ratio >= 1:
        raise ValueError(f"max_ratio must be a number >= 1, got {max_ratio!r}")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExtractionError(f"cannot create the folder {dest} ({err.strerror}); "
                              "choose another --dest") from None
    name = archive.name
    with _locked(dest, name):
        for stale in dest.glob(TEMP_PREFIX + "*"):  # left by a killed run (ours: marked)
            if _is_ours(stale):
                shutil.rmtree(stale, ignore_errors=True)
        result = Extraction(dest)
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise ExtractionError(f"{name} is not a readable zip archive ({str(err)[:80]}); "
                                  "run again with --restart to download it afresh") from None
        with zf:
            root, name_max = dest.resolve(), _name_max(dest)
            members = []
            for info in zf.infolist():
                reason = _unsafe_reason(info, root, name_max)
                if reason:
                    result.refused.append((info.filename, reason))
                else:
                    members.append(info)
            bomb = _bomb(members, name, max_ratio)
            if bomb:
                raise ExtractionError(f"{bomb}; nothing was extracted")
            total = sum(m.file_size for m in members if not m.is_dir())
            free = free_bytes(dest)
            if total + FREE_MARGIN > free:
                raise ExtractionError(f"{name}, once extracted, {_room(total, free, dest)}")
            tops = sorted({PurePosixPath(m.filename.replace("\\", "/")).parts[0] for m in members})
            done = _manifest(dest)
            ours = set(done.get("entries", []))
            if (sha256 and done.get("sha256") == sha256 and done.get("complete")
                    and all((dest / t).exists() for t in tops)):
                result.reused = True
                return result
            clash = [t for t in tops if (os.path.lexists(dest / t) and t not in ours)]
            if clash:
                raise ExtractionError(
                    f"{dest / clash[0]} already exists and was not extracted by the book (it may "
                    f"hold your files); {name} would write there: move it away or choose another "
                    "--dest")
            for top in tops:
                foreign = os.path.lexists(dest / top) and _foreign(dest, top, done)
                if foreign:
                    raise ExtractionError(
                        f"{dest / foreign} is not recorded as extracted by the book, or changed "
                        f"since (it may be yours); extracting {name} would replace {dest / top}: "
                        "move it away or choose another --dest")
            tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=dest))
            try:
                (tmp / TEMP_MARK).write_text(f"temporary folder of extract_zip({name}); safe to delete\n")
                troot = tmp.resolve()
                for info in members:
                    target = troot / PurePosixPath(info.filename.replace("\\", "/"))
                    try:
                        if info.is_dir():
                            target.mkdir(parents=True, exist_ok=True)
                            continue
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with zf.open(info) as src, open(target, "xb") as out:
                            left = info.file_size
                            while block := src.read(1 << 20):
                                left -= len(block)
                                if left < 0:
                                    raise zipfile.BadZipFile("more data than its declared size")
                                out.write(block)
                    except FileExistsError:
                        result.refused.append((info.filename, "duplicate name in the archive"))
                        continue
                    except (NotADirectoryError, IsADirectoryError):
                        result.refused.append((info.filename, "clashes with another member"))
                        continue
                    except OSError as err:
                        if err.errno == errno.ENAMETOOLONG:
                            result.refused.append((info.filename, "name too long for the file system"))
                            continue
                        if err.errno in (errno.ENOSPC, errno.EDQUOT):
                            raise ExtractionError(f"{name}: the disk is full ({dest}); free some "
                                                  "space and run again") from None
                        if err.errno == errno.EFBIG:
                            raise ExtractionError(f"{name}: member {info.filename!r} "
                                                  f"({_mb(info.file_size)}): {_too_large(dest)}") from None
                        raise ExtractionError(f"{name}: cannot extract member {info.filename!r} "
                                              f"({str(err)[:60]}): check that {dest} can be "
                                              "written and run again") from None
                    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
                        raise ExtractionError(f"{name}: member {info.filename!r} is corrupt "
                                              f"({str(err)[:60]}); run again with --restart to "
                                              "download it afresh") from None
                    except NotImplementedError:  # a RuntimeError: caught first
                        raise ExtractionError(
                            f"{name}: member {info.filename!r} uses a compression method Python "
                            "cannot read; re-pack it as a plain zip") from None
                    except RuntimeError:
                        raise ExtractionError(f"{name}: member {info.filename!r} is encrypted; "
                                              "the book cannot use a password-protected archive") from None
                    result.files += 1
                _place(tmp, dest, tops, done, {"archive": name, "sha256": sha256,
                                               "entries": sorted(ours | set(tops))})
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return result


def _place(tmp: Path, dest: Path, tops, done: dict, record: dict) -> None:
    """Move the extracted top-level entries from ``tmp`` into ``dest`` and record them.

    What they replace (the book's own, checked before) is first moved into ``tmp``, which is
    removed afterwards (or, after a kill, on the next run); the record then names every file
    and folder the book wrote, those of this archive and those of entries it keeps."""
    placed = [top for top in tops if os.path.lexists(tmp / top)]
    files, folders = {}, set()
    for top in placed:
        _record_tree(tmp, top, files, folders)
    before = done.get("files") if isinstance(done.get("files"), dict) else {}
    files.update({rel: v for rel, v in before.items() if rel.split("/")[0] not in tops})
    folders.update(rel for rel in done.get("folders") or () if rel.split("/")[0] not in tops)
    replaced = tmp / (TEMP_PREFIX + "replaced")  # an archive's names never start so
    replaced.mkdir()
    for top in tops:
        if os.path.lexists(dest / top):
            os.replace(dest / top, replaced / top)
    record.update(files=files, folders=sorted(folders), complete=False)
    write_atomic(dest / MANIFEST, json.dumps(record))
    for top in placed:
        os.replace(tmp / top, dest / top)
    record["complete"] = True
    write_atomic(dest / MANIFEST, json.dumps(record))


# ----------------------------------------------------------------------------- scan
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
        shown = [(_shown(Path(f), self.root) if self.root else f, reason)
                 for f in self.files if f in gone]
        return Scan([self.files[i] for i in keep], [self.labels[i] for i in keep],
                    self.skipped + shown, self.root)


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
            raise DatasetError(f"cannot read the folder {folder} ({err.strerror}): check its "
                               "permissions") from None
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


# ----------------------------------------------------------------------------- stream
def pipeline_peak_bytes(batch_size: int = 128, image_size=(300, 300), prefetch: int = 2,
                        parallel_calls: int = 2) -> int:
    """Upper estimate of the image bytes the pipeline holds at once (float32 batches).

    Batches in the prefetch buffer + the one the model is using + the one being assembled,
    plus the images being decoded in parallel. Independent of the number of images.
    """
    per_image = image_size[0] * image_size[1] * 3 * 4
    return per_image * (batch_size * (prefetch + 2) + parallel_calls)


class StreamStats:
    """Which files the streams of ``make_datasets`` have delivered so far.

    A file that the scan accepted but TensorFlow cannot read or decode (changed on disk since,
    or a variant PIL reads and TensorFlow does not) is left out of the batches, so a long
    training goes on, and is counted here: after one full pass over both streams,
    ``dropped()`` names every file that never arrived.
    """

    def __init__(self):
        self.files: list[str] = []
        self._seen = None

    def _bind(self, files):
        tf = tfenv.tensorflow()

        self.files = list(files)
        self._seen = tf.Variable(tf.zeros([len(self.files)], tf.bool), trainable=False)

    def delivered(self) -> int:
        return int(self._seen.numpy().sum()) if self._seen is not None else 0

    def dropped(self, part: slice = slice(None)) -> list[str]:
        """The files (of ``files[part]``, in the streams' shuffled order) never delivered."""
        if self._seen is None:
            return []
        seen = self._seen.numpy()[part]
        return [f for f, ok in zip(self.files[part], seen) if not ok]


def make_datasets(files, labels, *, image_size=(300, 300), batch_size: int = 128,
                  val_fraction: float = 0.3, seed: int = 0, prefetch: int = 2,
                  parallel_calls: int = 2, stats: StreamStats | None = None):
    """Streaming ``tf.data`` pipelines ``(train, val)`` over image files.

    The file list is shuffled (seeded) *before* the split, so both parts hold cats and dogs
    (the article's ``validation_split`` took the last 30 % unshuffled). Each element is read
    from disk, decoded, resized to ``image_size`` (aspect ratio ignored, as in the article),
    scaled to [0, 1] float32. A file that still fails to decode is left out and counted in
    ``stats`` (a ``StreamStats``; pass one to see them). The training order is reshuffled
    every epoch.
    """
    import numpy as np

    if isinstance(files, (str, bytes)) or isinstance(labels, (str, bytes)):
        raise ValueError(f"files and labels must be lists (of paths, of 0/1), got {type(files).__name__} "
                         f"{files!r:.40} and {type(labels).__name__}")
    if not is_count(batch_size):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not (isinstance(image_size, (tuple, list)) and len(image_size) == 2
            and all(map(is_count, image_size))):
        raise ValueError(f"image_size must be two positive integers (height, width), got {image_size!r}")
    if len(files) != len(labels) or not files:
        raise ValueError("files and labels must be non-empty and equally long, "
                         f"got {len(files)}, {len(labels)}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must lie strictly between 0 and 1, got {val_fraction}")
    bad = next((f for f in files if _name_problem(f)), None)
    if bad is not None:
        raise ValueError(f"{os.fsencode(bad)!r}: {_name_problem(bad)}; scan_images lists such files")
    tf = tfenv.tensorflow()
    stats = stats if stats is not None else StreamStats()
    order = np.random.default_rng(seed).permutation(len(files))
    paths = np.asarray(files)[order]
    labs = np.asarray(labels, dtype=np.float32)[order]
    stats._bind(paths.tolist())
    index = np.arange(len(files), dtype=np.int64)
    n_val = max(1, round(len(files) * val_fraction))
    h, w = image_size

    def load(path, label, i):
        raw = tf.io.read_file(path)
        img = tf.io.decode_image(raw, channels=3, expand_animations=False)
        img = tf.image.resize(img, (h, w))  # float32, 0-255
        img.set_shape((h, w, 3))
        return img / 255.0, label, i

    def arrived(img, label, i):
        stats._seen.scatter_nd_update(tf.reshape(i, (1, 1)), [True])
        return img, label

    def pipeline(sl, shuffle):
        ds = tf.data.Dataset.from_tensor_slices((paths[sl], labs[sl], index[sl]))
        if shuffle:  # shuffles file names only: cheap at any data-set size
            n = len(index[sl])
            ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
        # a file that fails to decode leaves the stream here; `arrived` counts every other one
        ds = ds.map(load, num_parallel_calls=parallel_calls).ignore_errors().map(arrived)
        return ds.batch(batch_size).prefetch(prefetch)

    train = pipeline(slice(n_val, None), shuffle=True)
    val = pipeline(slice(0, n_val), shuffle=False)
    return train, val


# ----------------------------------------------------------------------------- CLI
def _archive_name(url: str) -> str:
    """The file name of the URL's path, if it is a plain one (never '..' or a hidden name)."""
    name = PurePosixPath(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    return name if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}", name) else "archive.zip"


def fetch_cats_vs_dogs(dest, *, url: str = CATS_VS_DOGS_URL, sha256: str | None = CATS_VS_DOGS_SHA256,
                       size: int | None = CATS_VS_DOGS_SIZE, progress: bool | None = None,
                       resume: bool = True, timeout: float = 60.0,
                       deadline: float = DOWNLOAD_DEADLINE, out=print) -> Scan:
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
        archive = download(url, dest / name, sha256=sha256, size=size, progress=progress,
                           resume=resume, timeout=timeout, deadline=deadline, check=verify_zip)
        digest = (dest / (name + ".sha256")).read_text().split()[0]
        out(f"downloaded {archive.name}: {archive.stat().st_size:,} bytes, SHA-256 {digest}"
            + (" (matches the expected checksum)" if sha256
               else " (no checksum given: recorded, not checked)"))
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
        (dest / "skipped.txt").write_text("".join(
            f"{p.replace(chr(9), ' ').replace(chr(10), ' ')}\t{r}\n" for p, r in scan.skipped))
    except KeyboardInterrupt:
        if stage == "download":
            kept = (f"{part.name} is kept ({part.stat().st_size:,} bytes)" if part.is_file()
                    else "nothing was kept")
            raise Interrupted(f"download of {name} interrupted: {kept}; run the same command "
                              "again to resume") from None
        if stage == "extraction":
            raise Interrupted(f"extraction of {name} interrupted: nothing half-extracted was left; "
                              "run the same command again") from None
        raise Interrupted(f"scan of {dest / 'PetImages'} interrupted; run the same command again") from None
    out(f"usable images: {scan.counts()}; skipped {len(scan.skipped)} files "
        f"(listed in {dest / 'skipped.txt'})")
    return scan


EMPTY_FOLDER = "must name a folder, not '' (an empty name means the current folder)"


class CommandLine(argparse.ArgumentParser):
    """argparse for the book's commands: a bad argument is one line, ``error: argument --x:
    what is wrong``, exit code 2 (``--help`` still lists every option)."""

    def error(self, message):
        self.exit(2, f"error: {message}\n")


def positive(kind):
    """An argparse type: a number of ``kind`` (int or float) above 0."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not value > 0:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
        return value
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
    parser = CommandLine(prog="python -m helpers.datasets", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("cats-vs-dogs", help="download, verify, extract and scan the archive")
    fetch.add_argument("--dest", type=folder, required=True, help="folder for the archive and PetImages/")
    fetch.add_argument("--url", default=CATS_VS_DOGS_URL)
    fetch.add_argument("--sha256", default=CATS_VS_DOGS_SHA256,
                       help="expected SHA-256 (checked if given)")
    fetch.add_argument("--size", type=positive(int), default=CATS_VS_DOGS_SIZE,
                       help="expected size in bytes")
    fetch.add_argument("--restart", action="store_true",
                       help="delete the archive and any partial download, and download again")
    fetch.add_argument("--timeout", type=positive(float), default=60.0,
                       help="seconds the server may stay silent (default 60)")
    fetch.add_argument("--deadline", type=positive(float), default=DOWNLOAD_DEADLINE,
                       help=f"seconds for the whole download (default {DOWNLOAD_DEADLINE:g})")
    fetch.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    return run_command(lambda: fetch_cats_vs_dogs(
        args.dest, url=args.url, sha256=args.sha256, size=args.size,
        progress=False if args.no_progress else None, resume=not args.restart,
        timeout=args.timeout, deadline=args.deadline))


if __name__ == "__main__":
    sys.exit(main())

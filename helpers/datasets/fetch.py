"""The resumable download: ``download`` brings one file over HTTP(S) into ``NAME.part``,
resumes it after a dropped connection, and gives it its final name only once it is verified
(size, SHA-256, and a ``check`` such as ``verify_zip``).
"""

from __future__ import annotations

import email.utils
import errno
import hashlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from pathlib import Path

from .. import validate
from . import files
from .archive import check_by_name
from .files import (
    DISK_FULL,
    FREE_MARGIN,
    ChecksumError,
    DownloadError,
    _locked,
    _make_folder,
    _room,
    _too_large,
)

DOWNLOAD_DEADLINE = 4 * 3600.0  # seconds for a whole download (786 MB at 55 kB/s); --deadline


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
                sys.stderr.write(
                    f"\r[{bar:<30}] {100 * frac:5.1f}% {self.done / 1e6:,.1f}/{self.total / 1e6:,.1f} MB"
                )
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


def _check_size(size):
    """An expected file size: ``None`` (unknown) or a positive integer."""
    return None if size is None else validate.integer("size", size, 1, what="a number of bytes")


def _check_seconds(name, value):
    """A time limit: a positive number of seconds, infinity for none."""
    return validate.number(name, value, positive=True, allow_infinity=True, what="a number of seconds")


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
        raise DownloadError(
            f"{name}: the server sent an invalid Content-Length {value[:40]!r}; "
            "try again later or use another --url"
        )
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
        return (
            f"it redirects to {location[:80]!r}, which is not an http(s) address (the book "
            "follows only those): check --url"
        )
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


def _fetch(url, part: Path, meta_path: Path, name: str, *, size, stop_at, timeout, chunk, progress) -> None:
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
    response = _request(url, headers, name, offset, stop_at=stop_at, timeout=timeout)
    if response is None:  # nothing after `offset`: the partial file is complete
        return
    with response:
        length = _content_length(response.headers, name)
        if response.status == 206:
            rng = _content_range(response.headers)
            if (
                rng is None
                or rng[0] != offset
                or (meta and meta.get("total") and rng[2] and rng[2] != meta["total"])
            ):
                raise _Restart  # another offset, or the file changed size on the server
            mode = "ab" if offset else "wb"
            total = rng[2] or (offset + length if length is not None else None)
        elif response.status == 200:  # the whole file (no ranges, or If-Range said it changed)
            offset, mode, total = 0, "wb", length
        else:
            raise DownloadError(
                f"{name}: unexpected HTTP {response.status} from {url}; {_http_advice(response.status)}"
            )
        if size is not None and total is not None and total != size:
            part.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            raise ChecksumError(
                f"{name}: expected {size:,} bytes, the server sends {total:,}; "
                "nothing was kept: check --url and --size"
            )
        total = total if total is not None else size
        free = files.free_bytes(part.parent) if total is not None else 0
        if total is not None and free < total - offset + FREE_MARGIN:
            raise DownloadError(f"{name}: {_room(total - offset, free, part.parent)}")
        old = meta or {}
        meta = {
            "url": url,
            "total": total,
            "etag": response.headers.get("ETag") or (old.get("etag") if offset else None),
            "last_modified": response.headers.get("Last-Modified")
            or (old.get("last_modified") if offset else None),
        }
        meta_path.write_text(json.dumps(meta))
        written = _receive(
            response,
            part,
            mode,
            name,
            offset=offset,
            total=total,
            stop_at=stop_at,
            chunk=chunk,
            progress=progress,
        )
    if total is not None and written < total:
        raise DownloadError(
            f"{name}: download interrupted after {written:,} of {total:,} bytes; "
            f"{part.name} is kept: run again to resume"
        )


def _request(url, headers: dict, name: str, offset: int, *, stop_at, timeout):
    """Send the request: the response, or None when the server has nothing after ``offset``
    (416) and confirms that the file ends there; raises _Restart when its 416 says the file
    changed, DownloadError when there is no usable answer."""
    remaining = stop_at - time.monotonic()
    if remaining <= 0:
        raise DownloadError(
            f"{name}: the download deadline passed; run again to resume (or give a longer --deadline)"
        )
    try:
        return urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=min(timeout, remaining)
        )
    except urllib.error.HTTPError as err:
        with err:
            if err.code == 416 and offset:  # nothing after `offset`: complete, or a changed file
                rng = _content_range(err.headers)
                if rng is None or rng[2] != offset:
                    raise _Restart from None
                return None
            redirect = 300 <= err.code < 400
            said = "" if redirect else f" {str(err.reason)[:60]}"
            advice = _redirect_advice(err) if redirect else _http_advice(err.code)
            raise DownloadError(
                f"{name}: the server answered HTTP {err.code}{said} for {url}; {advice}"
            ) from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(
            f"{name}: cannot reach {urllib.parse.urlsplit(url).netloc or url} "
            f"({str(reason)[:80]}); check the connection or --url and run again "
            "(a partial download resumes)"
        ) from None
    except HTTPException as err:
        raise DownloadError(
            f"{name}: the server sent an invalid HTTP answer ({type(err).__name__}); "
            "try again later or use another --url"
        ) from None


def _receive(response, part: Path, mode: str, name: str, *, offset, total, stop_at, chunk, progress) -> int:
    """Write the body of ``response`` to ``part`` (``mode`` "ab" continues it) until it ends, the
    deadline passes or the connection drops; return the size ``part`` then has."""
    bar = _Progress(progress, total, offset)
    written = offset
    try:
        with open(part, mode) as f:
            while True:
                if time.monotonic() > stop_at:
                    raise DownloadError(
                        f"{name}: the download deadline passed after {written:,} bytes; "
                        f"{part.name} is kept: run again to resume (or give a longer --deadline)"
                    )
                try:
                    block = response.read1(chunk)
                except (OSError, HTTPException) as err:
                    raise DownloadError(
                        f"{name}: download interrupted after {written:,} bytes "
                        f"({type(err).__name__}); {part.name} is kept: run again to resume"
                    ) from None
                if not block:
                    break
                f.write(block)
                written += len(block)
                bar.update(len(block))
    except OSError as err:
        if err.errno in DISK_FULL:
            raise DownloadError(
                f"{name}: the disk is full ({part.parent}) after {written:,} "
                f"bytes; free some space and run again (it resumes)"
            ) from None
        if err.errno == errno.EFBIG:
            raise DownloadError(
                f"{name}: stopped after {written:,} bytes: {_too_large(part.parent)}"
            ) from None
        raise DownloadError(
            f"{name}: cannot write {part} ({err.strerror}); check the folder and run again"
        ) from None
    finally:
        bar.close()
    return written


def download(
    url: str,
    dest,
    *,
    sha256: str | None = None,
    size: int | None = None,
    progress: bool | None = None,
    resume: bool = True,
    timeout: float = 60.0,
    deadline: float = DOWNLOAD_DEADLINE,
    chunk: int = 1 << 16,
    check="auto",
) -> Path:
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
    _make_folder(dest.parent, DownloadError)
    with _locked(dest.parent, dest.name):
        return _download(
            url,
            dest,
            part,
            meta_path,
            record,
            sha256=sha256,
            size=size,
            progress=progress,
            resume=resume,
            timeout=timeout,
            deadline=deadline,
            chunk=chunk,
            check=check,
        )


def _download(
    url, dest, part, meta_path, record, *, sha256, size, progress, resume, timeout, deadline, chunk, check
) -> Path:
    if not resume:
        for p in (dest, part, meta_path, record):
            p.unlink(missing_ok=True)
    if dest.exists():
        try:
            digest = verify_file(dest, sha256, size)
            if check is not None:
                check(dest)
        except ChecksumError as err:
            raise ChecksumError(
                f"{err}; it is not used: run again with --restart (resume=False) to download it afresh"
            ) from None
        record.write_text(f"{digest}  {dest.name}\n")
        return dest
    if progress is None:
        progress = sys.stderr.isatty()
    stop_at = time.monotonic() + deadline
    for _ in range(3):  # a restart from byte 0 is allowed twice
        try:
            _fetch(
                url,
                part,
                meta_path,
                dest.name,
                size=size,
                stop_at=stop_at,
                timeout=timeout,
                chunk=chunk,
                progress=progress,
            )
            break
        except _Restart:
            part.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
    else:
        raise DownloadError(
            f"{dest.name}: the server's ranges never continue the partial file; run again with --restart"
        )
    try:
        digest = verify_file(part, sha256, size, name=dest.name)
        if check is not None:
            check(part, name=dest.name)
    except ChecksumError as err:
        part.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        raise ChecksumError(
            f"{err}; what arrived was deleted: check --url (and --sha256/--size), then run again"
        ) from None
    os.replace(part, dest)
    meta_path.unlink(missing_ok=True)
    record.write_text(f"{digest}  {dest.name}\n")
    return dest

"""The safe zip extraction: ``verify_zip`` reads every member of an archive once (CRCs, no zip
bomb), ``extract_zip`` writes the members into DEST without ever landing outside it, deleting
or overwriting what it did not create, or leaving a half-extracted folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import validate
from . import files
from .files import (
    DISK_FULL,
    FREE_MARGIN,
    ChecksumError,
    ExtractionError,
    _locked,
    _make_folder,
    _mb,
    _room,
    _too_large,
    write_atomic,
)

MAX_RATIO = 100.0  # largest compression ratio extracted; JPEG photos compress about 1:1
RATIO_FLOOR = 1 << 20  # members smaller than this (1 MiB) are not ratio-checked one by one

MANIFEST = ".cnn-book-extracted.json"  # what extract_zip created in DEST (it removes only that)
TEMP_PREFIX = ".extracting-"
TEMP_MARK = ".cnn-book-temporary"  # inside every temporary folder of extract_zip


@dataclass
class Extraction:
    """What ``extract_zip`` did: ``files`` extracted, ``refused`` member names (with reason);
    ``reused`` when the same archive had already been extracted there."""

    dest: Path
    files: int = 0
    refused: list = field(default_factory=list)
    reused: bool = False


def _check_ratio(max_ratio) -> float:
    """A compression-ratio limit: a number of at least 1, infinity for none."""
    return validate.number("max_ratio", max_ratio, 1, allow_infinity=True)


def _bomb(infos, name: str, max_ratio: float) -> str | None:
    """Why these members look like a zip bomb (None if they do not)."""
    files = [m for m in infos if not m.is_dir()]
    for m in files:
        if m.file_size > RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
            return (
                f"{name}: member {m.filename!r} expands {m.file_size / max(m.compress_size, 1):,.0f}"
                f" times ({_mb(m.file_size)}), more than the {max_ratio:g}:1 allowed (a zip bomb?)"
            )
    total, packed = sum(m.file_size for m in files), sum(m.compress_size for m in files)
    if total > RATIO_FLOOR and total > max_ratio * max(packed, 1):
        return (
            f"{name} expands {total / max(packed, 1):,.0f} times, more than the "
            f"{max_ratio:g}:1 allowed (a zip bomb?)"
        )
    return None


class _UnreadableMember(Exception):
    """A zip member that cannot be read: ``kind`` is "corrupt" (``detail`` says how), "method"
    (a compression method Python cannot read, e.g. deflate64) or "encrypted"."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


_READ_FAULTS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError)


def _unreadable(err: Exception) -> _UnreadableMember:
    """What reading a member raised (one of ``_READ_FAULTS``), as an ``_UnreadableMember``."""
    if isinstance(err, NotImplementedError):  # a RuntimeError: tested first
        return _UnreadableMember("method")
    if isinstance(err, RuntimeError):  # zipfile: "... is encrypted, password required"
        return _UnreadableMember("encrypted")
    return _UnreadableMember("corrupt", str(err))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path | None = None) -> None:
    """Read member ``info`` of ``zf`` whole (which checks its CRC), refusing more bytes than it
    declares, and write them to the new file ``into`` (created once the member is open, so its
    header is checked first; never one that exists), or nowhere. A member that cannot be read
    raises _UnreadableMember; what creating or writing ``into`` raises passes through unchanged."""
    try:
        src = zf.open(info)
    except _READ_FAULTS as err:
        raise _unreadable(err) from None
    with src, open(into, "xb") if into else contextlib.nullcontext() as out:
        left = info.file_size
        while True:
            try:
                block = src.read(1 << 20)
            except _READ_FAULTS as err:
                raise _unreadable(err) from None
            if not block:
                return
            left -= len(block)
            if left < 0:
                raise _UnreadableMember("corrupt", "more data than its declared size")
            if out is not None:
                out.write(block)


def verify_zip(path, *, name=None, max_ratio: float = MAX_RATIO) -> None:
    """Check that ``path`` is a zip archive that is no zip bomb (compression ratio at most
    ``max_ratio``), then read every member and check its CRC; raise ChecksumError naming the
    first bad one."""
    name, max_ratio = name or Path(path).name, _check_ratio(max_ratio)
    try:
        with zipfile.ZipFile(path) as zf:
            bomb = _bomb(zf.infolist(), name, max_ratio)
            if bomb:
                raise ChecksumError(bomb)
            for info in zf.infolist():
                if info.is_dir():
                    continue
                try:
                    _read_member(zf, info)
                except _UnreadableMember as bad:
                    what = {
                        "corrupt": f"is corrupt ({bad.detail})",
                        "method": "uses a compression method Python cannot read "
                        f"(method {info.compress_type})",
                        "encrypted": "is encrypted (password-protected)",
                    }[bad.kind]
                    raise ChecksumError(f"{name}: member {info.filename!r} {what}") from None
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
    elif not name.lower().endswith((".html", ".htm")) and _head(path).startswith(
        (b"<!doctype html", b"<html")
    ):
        raise ChecksumError(f"{name}: the server sent a web page, not the file")


def _member_path(filename: str) -> PurePosixPath:
    """A member's name as a path (a backslash counts as a separator, as Windows zips write it)."""
    return PurePosixPath(filename.replace("\\", "/"))


def _unsafe_reason(info: zipfile.ZipInfo, root: Path, name_max: int = 255) -> str | None:
    name = info.filename
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip records no Unix type
    if kind == stat.S_IFLNK:
        return "symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special file"
    pure = _member_path(name)
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", name):  # a drive letter: C:x, C:\x
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
            ours = (
                rel in folders
                if stat.S_ISDIR(st.st_mode)
                else stat.S_ISREG(st.st_mode) and files.get(rel) == [st.st_size, st.st_mtime_ns]
            )
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


def _safe_members(zf: zipfile.ZipFile, dest: Path, result: Extraction) -> list[zipfile.ZipInfo]:
    """The members of ``zf`` that land inside ``dest``; the others join ``result.refused``."""
    root, name_max = dest.resolve(), _name_max(dest)
    members = []
    for info in zf.infolist():
        reason = _unsafe_reason(info, root, name_max)
        if reason:
            result.refused.append((info.filename, reason))
        else:
            members.append(info)
    return members


def _check_room(members, name: str, max_ratio: float, dest: Path) -> None:
    """Before anything is written: no zip bomb, and room on the disk for every member."""
    bomb = _bomb(members, name, max_ratio)
    if bomb:
        raise ExtractionError(f"{bomb}; nothing was extracted")
    total = sum(m.file_size for m in members if not m.is_dir())
    free = files.free_bytes(dest)
    if total + FREE_MARGIN > free:
        raise ExtractionError(f"{name}, once extracted, {_room(total, free, dest)}")


def _check_owned(dest: Path, tops, done: dict, ours: set, name: str) -> None:
    """Stop unless every existing top-level entry ``tops`` in ``dest`` is the book's (one of
    ``ours``), as the book left it (``done``: the record of what it extracted)."""
    clash = [t for t in tops if (os.path.lexists(dest / t) and t not in ours)]
    if clash:
        raise ExtractionError(
            f"{dest / clash[0]} already exists and was not extracted by the book (it may "
            f"hold your files); {name} would write there: move it away or choose another "
            "--dest"
        )
    for top in tops:
        foreign = os.path.lexists(dest / top) and _foreign(dest, top, done)
        if foreign:
            raise ExtractionError(
                f"{dest / foreign} is not recorded as extracted by the book, or changed "
                f"since (it may be yours); extracting {name} would replace {dest / top}: "
                "move it away or choose another --dest"
            )


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
    max_ratio = _check_ratio(max_ratio)
    _make_folder(dest, ExtractionError)
    name = archive.name
    with _locked(dest, name):
        for stale in dest.glob(TEMP_PREFIX + "*"):  # left by a killed run (ours: marked)
            if _is_ours(stale):
                shutil.rmtree(stale, ignore_errors=True)
        result = Extraction(dest)
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            raise ExtractionError(
                f"{name} is not a readable zip archive ({str(err)[:80]}); "
                "run again with --restart to download it afresh"
            ) from None
        with zf:
            members = _safe_members(zf, dest, result)
            _check_room(members, name, max_ratio, dest)
            tops = sorted({_member_path(m.filename).parts[0] for m in members})
            done = _manifest(dest)
            ours = set(done.get("entries", []))
            if (
                sha256
                and done.get("sha256") == sha256
                and done.get("complete")
                and all((dest / t).exists() for t in tops)
            ):
                result.reused = True
                return result
            _check_owned(dest, tops, done, ours, name)
            tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=dest))
            try:
                (tmp / TEMP_MARK).write_text(f"temporary folder of extract_zip({name}); safe to delete\n")
                troot = tmp.resolve()
                for info in members:
                    refused = _write_member(zf, info, troot, name, dest)
                    if refused:
                        result.refused.append((info.filename, refused))
                    elif not info.is_dir():
                        result.files += 1
                _place(
                    tmp,
                    dest,
                    tops,
                    done,
                    {"archive": name, "sha256": sha256, "entries": sorted(ours | set(tops))},
                )
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return result


def _write_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, troot: Path, name: str, dest: Path
) -> str | None:
    """Write member ``info`` of the archive ``name`` under ``troot`` (the temporary folder in
    ``dest``); return why it was refused, or None. A member that cannot be read, a full disk
    or a folder that cannot be written raises ExtractionError: nothing is extracted then."""
    target = troot / _member_path(info.filename)
    try:
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        _read_member(zf, info, into=target)
    except FileExistsError:
        return "duplicate name in the archive"
    except (NotADirectoryError, IsADirectoryError):
        return "clashes with another member"
    except OSError as err:
        if err.errno == errno.ENAMETOOLONG:
            return "name too long for the file system"
        if err.errno in DISK_FULL:
            raise ExtractionError(
                f"{name}: the disk is full ({dest}); free some space and run again"
            ) from None
        if err.errno == errno.EFBIG:
            raise ExtractionError(
                f"{name}: member {info.filename!r} ({_mb(info.file_size)}): {_too_large(dest)}"
            ) from None
        raise ExtractionError(
            f"{name}: cannot extract member {info.filename!r} "
            f"({str(err)[:60]}): check that {dest} can be "
            "written and run again"
        ) from None
    except _UnreadableMember as bad:
        what = {
            "corrupt": f"is corrupt ({bad.detail[:60]}); run again with --restart to download it afresh",
            "method": "uses a compression method Python cannot read; re-pack it as a plain zip",
            "encrypted": "is encrypted; the book cannot use a password-protected archive",
        }[bad.kind]
        raise ExtractionError(f"{name}: member {info.filename!r} {what}") from None
    return None


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

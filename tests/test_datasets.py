"""helpers.datasets, fully offline, by sub-module: download (``fetch.py``), archive
(``archive.py``), scan (``scan.py``), stream (``stream.py``), and the reader's command
(``cli.py``, ``python -m helpers.datasets cats-vs-dogs``).

Two servers on 127.0.0.1. ``server`` serves a generated archive that mimics the real one
(PetImages/Cat and PetImages/Dog with small real JPEGs, plus an empty file, a truncated JPEG, a
Thumbs.db and path-traversal members), with Range support, or half of it then a dropped
connection. ``srv`` is ``tests/fault_server.py``, which misbehaves on demand, and ``box`` a
download folder that already holds the reader's own files next to a neighbour folder: the
scenarios against them run the reader's command (through ``datasets.main``), and for each one
nothing is written outside the folder, no final archive exists unless it was verified, the
reader's files are untouched, the command prints one short line naming the file and what to
do (never a traceback), and once the server is fixed the same command succeeds
(``failed_cleanly``, ``fixed``). Deadlines are parameters, so every test takes a few seconds
at most.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import fault_server as fs
import numpy as np
import pytest
from PIL import Image

from helpers import datasets

ROOT = Path(__file__).resolve().parent.parent

# the generated archive and its server
N_PER_CLASS = 6


def _jpeg(seed: int, dog: bool) -> bytes:
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 80, size=(24, 32, 3), dtype=np.uint8)
    arr[..., 2 if dog else 0] += 150  # dogs bluish, cats reddish: learnable
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def make_archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for label, name in enumerate(datasets.CLASSES):
            for i in range(N_PER_CLASS):
                zf.writestr(f"PetImages/{name}/{i}.jpg", _jpeg(100 * label + i, dog=bool(label)))
        zf.writestr("PetImages/Cat/666.jpg", b"")  # empty, as in the real archive
        zf.writestr("PetImages/Dog/11702.jpg", _jpeg(7, True)[:300])  # truncated JPEG
        zf.writestr("PetImages/Dog/Thumbs.db", b"\xd0\xcf\x11\xe0 not an image")
        zf.writestr("../escaped.txt", b"must never be written")
        zf.writestr("/abs_escaped.txt", b"must never be written")
    return buf.getvalue()


ARCHIVE = make_archive()


SHA = hashlib.sha256(ARCHIVE).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    """Serves ARCHIVE with Range support; path /drop sends half of it, then hangs up."""

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        data, start = ARCHIVE, 0
        rng = self.headers.get("Range")
        if rng and self.path != "/norange":
            start = int(rng.split("=")[1].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == "/drop":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


# the misbehaving server and the reader's folder
NAME = "pets.zip"


GOOD = fs.pet_archive()


GOOD_COUNTS = "usable images: {'Cat': 3, 'Dog': 3}"


@pytest.fixture
def srv():
    with fs.FaultServer() as server:
        server.files[NAME] = GOOD
        yield server


class Box:
    """``tmp/dest`` (the download folder, with the reader's files) and ``tmp/outside``."""

    def __init__(self, tmp: Path):
        self.tmp, self.dest = tmp, tmp / "dest"
        (self.dest / "notes").mkdir(parents=True)
        (self.dest / "notes" / "important.txt").write_text("my notes")
        (self.dest / "mine.txt").write_text("mine")
        (tmp / "outside").mkdir()
        (tmp / "outside" / "keep.txt").write_text("keep")
        self.before = self._outside()

    def _outside(self) -> dict:
        return {p: p.read_bytes() for p in self.tmp.rglob("*") if p.is_file() and self.dest not in p.parents}

    def intact(self) -> bool:
        """Nothing outside dest changed, the reader's files are as they were."""
        return (
            self._outside() == self.before
            and (self.dest / "notes" / "important.txt").read_text() == "my notes"
            and (self.dest / "mine.txt").read_text() == "mine"
            and sorted(p.name for p in (self.dest / "notes").iterdir()) == ["important.txt"]
        )

    def final(self) -> Path:
        return self.dest / NAME


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path)


def run(url, dest, *args):
    """The reader's command, in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = datasets.main(["cats-vs-dogs", "--dest", str(dest), "--url", url, "--no-progress", *args])
    return code, out.getvalue(), err.getvalue()


def failed_cleanly(box, code, err, *words):
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1, err
    assert "Traceback" not in err and len(lines) == 1, err
    assert lines[0].startswith("error: ") and NAME in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert box.intact()
    return lines[0]


def fixed(box, srv, *args):
    """Fix the server, run the same command again: it succeeds."""
    srv.behaviour[NAME] = "ok"
    code, out, err = run(srv.url(NAME), box.dest, *args)
    assert code == 0, err
    assert box.final().read_bytes() == srv.files[NAME]
    assert GOOD_COUNTS in out and box.intact()
    assert not (box.dest / (NAME + ".part")).exists()
    return out


def ranges_asked(srv):
    return [h.get("range") for _, h in srv.requests if h.get("range")]


@contextlib.contextmanager
def socket_closed():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port


# -------------------------------------------------------------------------------- download: errors
def test_bad_sha_argument():
    with pytest.raises(ValueError, match="64 hexadecimal"):
        datasets.download("http://127.0.0.1:9/x", "x.zip", sha256="abc")


def test_bad_size_in_python():
    for size, error in (
        (-5, ValueError),
        (0, ValueError),
        (2.5, TypeError),
        ("5", TypeError),
        (True, TypeError),
    ):
        with pytest.raises(error, match="size must be a positive number of bytes"):
            datasets.download("http://127.0.0.1:9/x.zip", "x.zip", size=size)


def test_unreachable_server_is_a_download_error(tmp_path):
    with pytest.raises(datasets.DownloadError, match="cannot reach"):
        datasets.download("http://127.0.0.1:9/none.zip", tmp_path / "x.zip", progress=False, timeout=2)


def test_unreachable_server(box):
    with socket_closed() as port:
        code, _, err = run(f"http://127.0.0.1:{port}/{NAME}", box.dest, "--timeout", "2")
    failed_cleanly(box, code, err, "cannot reach", "run again")


@pytest.mark.parametrize(
    "behaviour, words",
    [
        ("404", ["HTTP 404", "--url"]),
        ("500", ["HTTP 500", "run again later"]),
        ("loop", ["HTTP 302", "redirects"]),
        ("badlength", ["Content-Length", "'abc'"]),
    ],
)
def test_server_errors_are_one_clear_line(srv, box, behaviour, words):
    srv.behaviour[NAME] = behaviour
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, *words)
    assert not box.final().exists()
    fixed(box, srv)


def test_redirect_to_a_file_url_is_not_called_a_loop(srv, box):
    srv.behaviour[NAME] = "redirect-file"
    code, _, err = run(srv.url(NAME), box.dest)
    line = failed_cleanly(box, code, err, "file:///etc/passwd", "http")
    assert "loop" not in line
    fixed(box, srv)


def test_deadline_stops_a_dripping_server_then_resumes(srv, box):
    srv.behaviour[NAME] = "drip"
    start = time.monotonic()
    code, _, err = run(srv.url(NAME), box.dest, "--deadline", "1")
    assert time.monotonic() - start < 4
    failed_cleanly(box, code, err, "deadline", "run again to resume")
    kept = (box.dest / (NAME + ".part")).stat().st_size
    assert 0 < kept < len(GOOD) and not box.final().exists()
    fixed(box, srv)
    assert ranges_asked(srv) == [f"bytes={kept}-"]  # resumed where the deadline stopped it


def test_target_is_a_directory(srv, box):
    box.final().mkdir()
    (box.final() / "x.txt").write_text("a reader's folder")
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "is a folder", "move it away")
    assert (box.final() / "x.txt").read_text() == "a reader's folder"
    (box.final() / "x.txt").unlink()
    box.final().rmdir()
    fixed(box, srv)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_disk_full_while_writing(srv, box):
    """Writes go to /dev/full (the kernel answers ENOSPC), as on a full disk."""
    part = box.dest / (NAME + ".part")
    part.symlink_to("/dev/full")
    (box.dest / (NAME + ".part.json")).write_text(f'{{"url": "{srv.url(NAME)}"}}')
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "disk is full", "free some space")
    part.unlink()
    fixed(box, srv)


def test_not_enough_free_space_is_checked_first(srv, box, monkeypatch):
    monkeypatch.setattr(datasets.files, "free_bytes", lambda folder: 1000)
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "free", "free some space")
    assert srv.requests and not (box.dest / (NAME + ".part")).exists()
    monkeypatch.undo()
    fixed(box, srv)


# ------------------------------------------------ download: verified before it gets the final name
def test_download_verifies_and_renames_atomically(server, tmp_path):
    dest = datasets.download(
        server + "/cats.zip", tmp_path / "cats.zip", sha256=SHA, size=len(ARCHIVE), progress=False
    )
    assert dest.read_bytes() == ARCHIVE
    assert not (tmp_path / "cats.zip.part").exists()
    assert (tmp_path / "cats.zip.sha256").read_text().split()[0] == SHA


def test_wrong_checksum_leaves_nothing(server, tmp_path):
    with pytest.raises(datasets.ChecksumError, match="SHA-256 mismatch"):
        datasets.download(server + "/cats.zip", tmp_path / "cats.zip", sha256="0" * 64, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_wrong_size_leaves_nothing(server, tmp_path):
    with pytest.raises(datasets.ChecksumError, match="expected 5 bytes"):
        datasets.download(server + "/cats.zip", tmp_path / "cats.zip", size=5, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "behaviour, words", [("html", "web page"), ("truncate-nolen", "not a complete zip archive")]
)
def test_download_checks_a_zip_by_default(srv, tmp_path, behaviour, words):
    """Without check, size or sha256: what can be verified (a readable zip) still is."""
    srv.behaviour[NAME] = behaviour
    with pytest.raises(datasets.ChecksumError, match=words):
        datasets.download(srv.url(NAME), tmp_path / NAME, progress=False)
    assert list(tmp_path.iterdir()) == []
    srv.behaviour["data.bin"], srv.files["data.bin"] = "html", b"x"
    with pytest.raises(datasets.ChecksumError, match="web page"):  # any file: no HTML page
        datasets.download(srv.url("data.bin"), tmp_path / "data.bin", progress=False)
    srv.behaviour[NAME] = "ok"
    assert datasets.download(srv.url(NAME), tmp_path / NAME, progress=False).read_bytes() == GOOD
    srv.behaviour[NAME] = "truncate-nolen"  # check=None: the caller's choice, no check
    datasets.download(srv.url(NAME), tmp_path / "raw.zip", progress=False, check=None)
    assert len((tmp_path / "raw.zip").read_bytes()) == len(GOOD) // 2


@pytest.mark.parametrize(
    "behaviour, words",
    [
        ("html", ["web page", "--url"]),
        ("truncate-nolen", ["not a complete zip archive"]),
    ],
)
def test_unverified_bytes_never_get_the_final_name(srv, box, behaviour, words):
    srv.behaviour[NAME] = behaviour
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, *words)
    assert not box.final().exists() and not (box.dest / (NAME + ".part")).exists()
    fixed(box, srv)


def test_wrong_checksum_deletes_and_says_so(srv, box):
    code, _, err = run(srv.url(NAME), box.dest, "--sha256", "0" * 64)
    failed_cleanly(box, code, err, "SHA-256 mismatch")
    assert not box.final().exists() and not (box.dest / (NAME + ".part")).exists()
    fixed(box, srv, "--sha256", hashlib.sha256(GOOD).hexdigest())


def test_wrong_size_deletes_and_says_so(srv, box):
    code, _, err = run(srv.url(NAME), box.dest, "--size", str(len(GOOD) + 1))
    failed_cleanly(box, code, err, f"expected {len(GOOD) + 1:,} bytes")
    fixed(box, srv, "--size", str(len(GOOD)))


def test_a_bad_final_file_is_not_reused_and_restart_removes_it(srv, box):
    """An older version of the book could leave an HTML page under the final name."""
    box.final().write_bytes(fs.HTML)
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "--restart")
    assert box.final().read_bytes() == fs.HTML and srv.requests == []
    fixed(box, srv, "--restart")


def test_restart_downloads_a_changed_file_again(srv, box):
    fixed(box, srv)
    srv.files[NAME] = fs.pet_archive(seed=50)
    code, _, err = run(srv.url(NAME), box.dest)
    assert code == 0 and box.final().read_bytes() == GOOD, err  # reused, verified
    fixed(box, srv, "--restart")


# ------------------------------------------------------------------------------ download: resuming
def test_dropped_connection_then_resume(server, tmp_path):
    dest = tmp_path / "cats.zip"
    with pytest.raises(datasets.DownloadError, match="interrupted"):
        datasets.download(server + "/drop", dest, sha256=SHA, progress=False)
    part = tmp_path / "cats.zip.part"
    assert not dest.exists()  # never a half-written archive under the real name
    assert 0 < part.stat().st_size < len(ARCHIVE)
    datasets.download(server + "/cats.zip", dest, sha256=SHA, progress=False)  # resumes (206)
    assert dest.read_bytes() == ARCHIVE and not part.exists()


def test_server_without_ranges_restarts_cleanly(server, tmp_path):
    part = tmp_path / "cats.zip.part"
    part.write_bytes(b"garbage from an older attempt")
    datasets.download(server + "/norange", tmp_path / "cats.zip", sha256=SHA, progress=False)
    assert (tmp_path / "cats.zip").read_bytes() == ARCHIVE


def test_restart_discards_partial(server, tmp_path):
    part = tmp_path / "cats.zip.part"
    part.write_bytes(ARCHIVE[:100][::-1])  # wrong bytes: resuming them would fail the checksum
    datasets.download(server + "/cats.zip", tmp_path / "cats.zip", sha256=SHA, progress=False, resume=False)
    assert (tmp_path / "cats.zip").read_bytes() == ARCHIVE


def test_truncated_with_length_is_kept_and_resumed(srv, box):
    srv.behaviour[NAME] = "truncate"
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "interrupted", "run again to resume")
    half = len(GOOD) // 2
    assert (box.dest / (NAME + ".part")).stat().st_size == half and not box.final().exists()
    fixed(box, srv)
    assert ranges_asked(srv) == [f"bytes={half}-"]


@pytest.mark.parametrize("second", ["from-zero", "norange"])
def test_resume_that_does_not_continue_restarts_cleanly(srv, box, second):
    """A 206 from byte 0 (not the offset asked for), or a 200 ignoring Range: never appended."""
    srv.behaviour[NAME] = "truncate"
    run(srv.url(NAME), box.dest)
    assert (box.dest / (NAME + ".part")).stat().st_size == len(GOOD) // 2
    srv.behaviour[NAME] = second
    code, out, err = run(srv.url(NAME), box.dest)
    assert code == 0, err
    assert box.final().read_bytes() == GOOD and box.intact() and GOOD_COUNTS in out
    assert ranges_asked(srv) == [f"bytes={len(GOOD) // 2}-"]  # asked once, then from byte 0
    assert len(srv.requests) == (3 if second == "from-zero" else 2)


def test_file_changed_between_attempts_if_range(srv, box):
    srv.behaviour[NAME] = "truncate"
    run(srv.url(NAME), box.dest)
    srv.files[NAME] = new = fs.pet_archive(seed=77)
    fixed(box, srv)
    assert box.final().read_bytes() == new
    last = srv.requests[-1][1]
    assert last.get("if-range") and last.get("range")  # asked with the validator, got 200


def test_file_changed_size_without_validators(srv, box):
    srv.validators = False
    srv.behaviour[NAME] = "truncate"
    run(srv.url(NAME), box.dest)
    srv.files[NAME] = new = fs.pet_archive(n=3, seed=5, extra=[("PetImages/readme.txt", b"x" * 999)])
    fixed(box, srv)
    assert box.final().read_bytes() == new
    assert "if-range" not in srv.requests[-1][1]


def test_file_changed_same_size_without_validators_is_caught(srv, box):
    """No ETag, no Last-Modified, same length: only the zip's own CRCs can tell."""
    srv.validators = False
    srv.behaviour[NAME] = "truncate"
    run(srv.url(NAME), box.dest)
    changed = bytearray(GOOD)
    first = zipfile.ZipFile(io.BytesIO(GOOD)).infolist()[-1]  # a member after the cut
    changed[first.header_offset + 40] ^= 0xFF
    srv.files[NAME] = bytes(changed)
    srv.behaviour[NAME] = "ok"
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "corrupt", "deleted", "run again")
    assert not box.final().exists() and not (box.dest / (NAME + ".part")).exists()
    srv.files[NAME] = GOOD
    fixed(box, srv)


# -------------------------------------------------------- archive: hostile and unreadable archives
def test_extract_refuses_traversal(tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(ARCHIVE)
    dest = tmp_path / "out"
    result = datasets.extract_zip(archive, dest)
    refused = dict(result.refused)
    assert set(refused) == {"../escaped.txt", "/abs_escaped.txt"}
    assert not (tmp_path / "escaped.txt").exists() and not (dest / "abs_escaped.txt").exists()
    assert result.files == 2 * N_PER_CLASS + 3
    # no temp folder left; the record of what the book created (it never removes anything else)
    assert sorted(p.name for p in dest.iterdir()) == [datasets.MANIFEST, "PetImages"]


SLIP = [
    "../evil1.txt",
    "/tmp/evil2-{u}.txt",
    "..\\evil3.txt",
    "C:\\evil4.txt",
    "C:evil5.txt",
    "PetImages/../../evil6.txt",
    "\\\\server\\share\\evil7.txt",
    "PetImages/Cat/../../../evil8.txt",
]


def test_zip_slip_and_symlinks_are_refused(srv, box):
    u = os.urandom(4).hex()
    names = [n.format(u=u) for n in SLIP]
    links = [
        fs.symlink_member("PetImages/Cat/link.jpg", "../../../outside/keep.txt"),
        fs.symlink_member("evil-link", "/etc"),
    ]
    srv.files[NAME] = fs.zip_bytes(fs.pet_members(extra=[(n, b"evil") for n in names]) + links)
    code, out, err = run(srv.url(NAME), box.dest)
    assert code == 0, err
    refused = {
        line.split("'")[1].replace("\\\\", "\\")
        for line in out.splitlines()
        if line.startswith("refused archive member")
    }
    assert refused == set(names) | {"PetImages/Cat/link.jpg", "evil-link"}
    assert not list(box.tmp.rglob("*evil*")) and not Path(f"/tmp/evil2-{u}.txt").exists()
    assert not [p for p in box.dest.rglob("*") if p.is_symlink()]
    assert GOOD_COUNTS in out and box.intact()


def test_a_member_name_too_long_for_the_file_system_is_refused(srv, box):
    long_name = "PetImages/Cat/" + "a" * 300 + ".jpg"
    srv.files[NAME] = fs.zip_bytes(fs.pet_members(extra=[(long_name, fs.jpeg(9))]))
    code, out, err = run(srv.url(NAME), box.dest)
    assert code == 0 and "--restart" not in err + out, err
    assert f"refused archive member {long_name!r}: name too long for the file system" in out
    assert GOOD_COUNTS in out and box.intact()


def test_zip_bomb_is_refused_before_extracting(srv, box):
    srv.files[NAME] = fs.bomb_archive(64 << 20)
    assert len(srv.files[NAME]) < 1 << 20  # small on disk, 64 MiB inside
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "expands", "zip bomb")
    assert not box.final().exists() and not (box.dest / "PetImages").exists()
    srv.files[NAME] = GOOD
    fixed(box, srv)


def test_extract_checks_ratio_and_free_space(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(fs.bomb_archive(8 << 20))
    with pytest.raises(datasets.ExtractionError, match="zip bomb"):
        datasets.extract_zip(bomb, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    good = tmp_path / "good.zip"
    good.write_bytes(GOOD)
    monkeypatch.setattr(datasets.files, "free_bytes", lambda folder: datasets.FREE_MARGIN + 100)
    with pytest.raises(datasets.ExtractionError, match="free some space"):
        datasets.extract_zip(good, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    monkeypatch.undo()
    assert datasets.extract_zip(good, tmp_path / "out").files == 6


def test_verify_zip_detects_corruption(tmp_path):
    bad = bytearray(ARCHIVE)
    bad[200] ^= 0xFF  # inside the first member's compressed data
    path = tmp_path / "bad.zip"
    path.write_bytes(bytes(bad))
    with pytest.raises(datasets.ChecksumError):
        datasets.verify_zip(path)
    good = tmp_path / "good.zip"
    good.write_bytes(ARCHIVE)
    datasets.verify_zip(good)


@pytest.mark.parametrize(
    "make, words",
    [
        (fs.encrypted_archive, ["encrypted"]),
        (fs.deflate64_archive, ["compression method"]),
        (fs.corrupt_archive, ["corrupt"]),
        (lambda: GOOD[: len(GOOD) * 2 // 3], ["not a complete zip archive"]),
    ],
)
def test_unreadable_archives(srv, box, make, words):
    srv.files[NAME] = make()
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, *words)
    assert not box.final().exists() and not (box.dest / "PetImages").exists()
    srv.files[NAME] = GOOD
    fixed(box, srv)


def test_unreadable_members_stop_extract_zip_too(tmp_path):
    for make, words in (
        (fs.encrypted_archive, "encrypted"),
        (fs.deflate64_archive, "compression"),
        (fs.corrupt_archive, "corrupt"),
    ):
        archive = tmp_path / "a.zip"
        archive.write_bytes(make())
        with pytest.raises(datasets.ExtractionError, match=words):
            datasets.extract_zip(archive, tmp_path / "out")
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []


# --------------------------------------- archive: what the reader has is never deleted or replaced
def test_reader_folder_of_the_same_name_is_never_deleted(srv, box):
    """An archive with a top-level notes/ must not delete the reader's notes/."""
    srv.files[NAME] = fs.zip_bytes(fs.pet_members(extra=[("notes/important.txt", b"theirs")]))
    code, _, err = run(srv.url(NAME), box.dest)
    line = failed_cleanly(box, code, err, "notes", "not extracted by the book", "move it away")
    assert "dest" in line and not (box.dest / "PetImages").exists()
    # fixed: the reader moves the folder away; the verified archive is reused
    (box.dest / "notes").rename(box.tmp / "notes-moved")
    box.before = box._outside()
    code, out, err = run(srv.url(NAME), box.dest)
    assert code == 0 and GOOD_COUNTS in out
    assert (box.tmp / "notes-moved" / "important.txt").read_text() == "my notes"


def test_reader_petimages_is_never_replaced(srv, box):
    mine = box.dest / "PetImages" / "Cat" / "my_cat.jpg"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"the reader's own photo")
    code, _, err = run(srv.url(NAME), box.dest)
    failed_cleanly(box, code, err, "PetImages", "not extracted by the book")
    assert mine.read_bytes() == b"the reader's own photo"
    assert box.final().read_bytes() == GOOD  # verified, kept for the re-run
    (box.dest / "PetImages").rename(box.tmp / "PetImages-mine")
    box.before = box._outside()
    fixed(box, srv)


def test_another_archive_never_deletes_what_the_reader_put_in_petimages(srv, box):
    """PetImages/ was extracted by the book; the reader added a file in it and changed one the
    book wrote. Extracting another archive (another --url), or the same one without its
    SHA-256, would replace PetImages/: it stops, naming the reader's file, and deletes nothing."""
    fixed(box, srv)
    note = box.dest / "PetImages" / "Dog" / "note.txt"
    note.write_text("added by the reader")
    srv.files["other.zip"] = fs.pet_archive(n=4, seed=50)
    code, _, err = run(srv.url("other.zip"), box.dest)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("error: ") and "other.zip" in lines[0]
    assert str(note) in lines[0] and "move it away" in lines[0]
    assert note.read_text() == "added by the reader" and box.intact()
    with pytest.raises(datasets.ExtractionError, match=r"note\.txt"):
        datasets.extract_zip(box.final(), box.dest)  # the same archive, no sha256
    assert note.read_text() == "added by the reader"
    note.rename(box.tmp / "note-moved.txt")
    edited = box.dest / "PetImages" / "Cat" / "0.jpg"
    edited.write_bytes(b"the reader's edit of a photo the book extracted")
    with pytest.raises(datasets.ExtractionError, match=r"Cat/0\.jpg"):
        datasets.extract_zip(box.final(), box.dest)
    assert edited.read_bytes().startswith(b"the reader's edit")
    edited.rename(box.tmp / "edited.jpg")
    code, out, err = run(srv.url("other.zip"), box.dest)  # nothing foreign left: replaced
    assert code == 0 and "usable images: {'Cat': 4, 'Dog': 4}" in out, err
    assert sorted(p.name for p in box.dest.iterdir() if p.name.startswith(".")) == [datasets.MANIFEST]


def test_rerun_reuses_what_the_book_extracted(srv, box):
    fixed(box, srv)
    added = box.dest / "PetImages" / "Dog" / "note.txt"
    added.write_text("added by the reader")
    out = fixed(box, srv)
    assert "already extracted" in out and added.read_text() == "added by the reader"


def test_stale_temporary_folders_are_removed_but_not_foreign_ones(srv, box):
    stale = box.dest / ".extracting-abc123"
    (stale / "PetImages").mkdir(parents=True)
    (stale / datasets.TEMP_MARK).write_text("")
    foreign = box.dest / ".extracting-mine"
    foreign.mkdir()
    (foreign / "x.txt").write_text("not the book's")
    fixed(box, srv)
    assert not stale.exists() and (foreign / "x.txt").read_text() == "not the book's"


# -------------------------------------------------------------------------------------------- scan
def test_scan_requires_class_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="one folder per class"):
        datasets.scan_images(tmp_path)


def test_scan_reports_every_file_it_will_not_feed(tmp_path):
    root = tmp_path / "PetImages"
    for cls in datasets.CLASSES:
        (root / cls).mkdir(parents=True)
        (root / cls / "0.jpg").write_bytes(fs.jpeg(1))
    bad_name = os.fsencode(root / "Cat") + b"/caf\xe9.jpg"  # Latin-1 bytes: not UTF-8
    with open(bad_name, "wb") as f:
        f.write(fs.jpeg(2))  # a good image: only its name is the problem
    (root / "Dog" / "sub").mkdir()
    scan = datasets.scan_images(root)
    skipped = dict(scan.skipped)
    assert skipped == {
        "Cat/caf\\xe9.jpg": datasets.scan._name_problem(os.fsdecode(bad_name)),
        "Dog/sub": "folder, not an image file",
    }
    assert "not valid UTF-8" in skipped["Cat/caf\\xe9.jpg"]
    assert len(scan.files) == 2
    for f in scan.files:
        f.encode("utf-8")


def _unreadable(path, monkeypatch):
    """Make the file ``path`` unreadable for this process: its mode for a normal user; root
    reads any mode, so for root opening it raises PermissionError as it would."""
    if os.geteuid() != 0:
        path.chmod(0)
        return
    real_open = open

    def deny(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(datasets.scan, "open", deny, raising=False)


def test_an_unreadable_image_is_not_called_corrupt(tmp_path, monkeypatch):
    good = tmp_path / "photo.jpg"
    good.write_bytes(_jpeg(3, False))
    _unreadable(good, monkeypatch)
    reason = datasets.check_image(good)
    assert reason.startswith("cannot be read (Permission denied)") and "corrupt" not in reason
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(_jpeg(3, False)[:300])
    assert datasets.check_image(truncated) == "corrupt (OSError)"


# ------------------------------------------------------------------------------------------ stream
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"batch_size": True}, TypeError, "batch_size"),
        ({"image_size": (0, 10)}, ValueError, r"image_size\[0\]"),
        ({"image_size": (10, 2.0)}, TypeError, r"image_size\[1\]"),
        ({"image_size": (10,)}, ValueError, "image_size"),
        ({"image_size": "300"}, TypeError, "image_size"),
        ({"files": "abc", "labels": [0, 1, 0]}, ValueError, "files"),
        ({"files": b"ab", "labels": [0, 1]}, ValueError, "files"),
    ],
)
def test_make_datasets_refuses_bad_arguments_up_front(kwargs, error, words):
    args = {"files": ["a.jpg", "b.jpg", "c.jpg"], "labels": [0, 1, 0], **kwargs}
    with pytest.raises(error, match=words):
        datasets.make_datasets(args.pop("files"), args.pop("labels"), **args)


def test_pipeline_skips_undecodable_files(tmp_path):
    good = tmp_path / "good.jpg"
    good.write_bytes(_jpeg(1, False))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg at all")
    train, val = datasets.make_datasets(
        [str(good), str(bad), str(good)], [0, 1, 0], batch_size=8, val_fraction=0.34, image_size=(16, 16)
    )
    n = sum(int(x.shape[0]) for ds in (train, val) for x, _ in ds)
    assert n == 2  # both good files arrive; the undecodable one never reaches the model


def test_stream_refuses_a_name_tensorflow_cannot_open(tmp_path, tf):
    bad = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.jpg")
    Path(bad).write_bytes(fs.jpeg(3))
    good = tmp_path / "good.jpg"
    good.write_bytes(fs.jpeg(4))
    with pytest.raises(ValueError, match=r"caf\\xe9.*not valid UTF-8"):
        datasets.make_datasets([str(good), bad], [0, 1], image_size=(8, 8))


def test_stream_counts_what_it_drops(tmp_path, tf):
    files = []
    for i in range(6):
        p = tmp_path / f"{i}.jpg"
        p.write_bytes(fs.jpeg(i))
        files.append(str(p))
    Path(files[4]).write_bytes(b"changed on disk after the scan")  # accepted, then broken
    stats = datasets.StreamStats()
    train, val = datasets.make_datasets(
        files, [0, 1] * 3, image_size=(8, 8), batch_size=2, val_fraction=0.5, stats=stats
    )
    n = sum(int(x.shape[0]) for x, _ in train) + sum(int(x.shape[0]) for x, _ in val)
    assert n == 5 and stats.delivered() == 5
    assert stats.dropped() == [files[4]]


def test_pipeline_memory_bound_counts_the_real_batches(tmp_path):
    # the bound is in units of what the pipeline really yields: float32 images of image_size
    files = []
    for i in range(6):
        files.append(tmp_path / f"{i}.jpg")
        files[-1].write_bytes(_jpeg(i, bool(i % 2)))
    train, _ = datasets.make_datasets(
        [str(f) for f in files],
        [i % 2 for i in range(6)],
        batch_size=4,
        val_fraction=0.34,
        image_size=(16, 20),
    )
    xb = next(iter(train))[0].numpy()
    assert xb.shape == (4, 16, 20, 3)
    bound = datasets.pipeline_peak_bytes(batch_size=4, image_size=(16, 20), prefetch=2, parallel_calls=2)
    assert bound == (2 + 2) * xb.nbytes + 2 * xb[0].nbytes  # prefetch + in use + assembling
    full = datasets.pipeline_peak_bytes(batch_size=128, prefetch=2, parallel_calls=2)
    assert full < 1.5e9 / 2  # well under the 1.5 GB budget, leaving room for TensorFlow itself


# ----------------------------------- the command line: the whole path, its arguments, its messages
def test_full_path_cli_and_load(server, tmp_path, capsys, tf):  # tf: TensorFlow imported by the fixture
    code = datasets.main(
        [
            "cats-vs-dogs",
            "--dest",
            str(tmp_path),
            "--url",
            server + "/kagglecatsanddogs.zip",
            "--sha256",
            SHA,
            "--no-progress",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "matches the expected checksum" in out and "refused archive member '../escaped.txt'" in out
    skipped = dict(line.split("\t") for line in (tmp_path / "skipped.txt").read_text().splitlines())
    assert skipped == {
        "Cat/666.jpg": "empty file",
        "Dog/11702.jpg": "corrupt (OSError)",
        "Dog/Thumbs.db": "not an image file",
    }

    scan = datasets.scan_images(tmp_path / "PetImages")
    assert scan.counts() == {"Cat": N_PER_CLASS, "Dog": N_PER_CLASS}
    train, val = datasets.make_datasets(scan.files, scan.labels, batch_size=4, val_fraction=0.25)
    xb, _ = next(iter(train))
    assert xb.shape == (4, 300, 300, 3) and xb.dtype.name == "float32"
    assert float(xb.numpy().min()) >= 0.0 and float(xb.numpy().max()) <= 1.0
    val_labels = np.concatenate([y.numpy() for _, y in val])
    assert len(val_labels) == 3 and len(set(val_labels.tolist())) == 2  # shuffled before split


@pytest.mark.parametrize(
    "args, need",
    [
        (["--size", "-5"], "a positive integer"),
        (["--size", "abc"], "a positive integer"),
        (["--size", "5.0"], "a positive integer"),
        (["--deadline", "0"], "a positive number"),
        (["--timeout", "nan"], "a positive number"),
        (["--timeout", "-0.5"], "a positive number"),
    ],
)
def test_bad_arguments(srv, box, args, need, capsys):
    with pytest.raises(SystemExit) as exc:
        datasets.main(["cats-vs-dogs", "--dest", str(box.dest), "--url", srv.url(NAME), *args])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"error: argument {args[0]}: must be {need}, got {args[1]!r}"
    assert args[0] in err and srv.requests == [] and box.intact()


@pytest.mark.parametrize("dest", ["", "  "])
def test_an_empty_dest_is_refused(srv, dest, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where an empty --dest would write
    with pytest.raises(SystemExit) as exc:
        datasets.main(["cats-vs-dogs", "--dest", dest, "--url", srv.url(NAME), "--no-progress"])
    err = capsys.readouterr().err.strip().splitlines()
    assert exc.value.code == 2 and len(err) == 1 and "--dest" in err[0] and "folder" in err[0], err
    assert srv.requests == [] and list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="dest"):
        datasets.fetch_cats_vs_dogs(dest, url=srv.url(NAME), progress=False)
    assert srv.requests == [] and list(tmp_path.iterdir()) == []


def test_archive_name_from_url_cannot_escape(srv, box):
    srv.files[".."] = GOOD
    code, _, err = run(srv.url(".."), box.dest)
    assert code == 0, err
    assert (box.dest / "archive.zip").read_bytes() == GOOD and box.intact()
    assert sorted(p.name for p in box.tmp.iterdir()) == ["dest", "outside"]


def test_sigint_is_one_line_and_the_rerun_resumes(srv, box):
    srv.behaviour[NAME] = "drip"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpers.datasets",
            "cats-vs-dogs",
            "--dest",
            str(box.dest),
            "--url",
            srv.url(NAME),
            "--no-progress",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    part = box.dest / (NAME + ".part")
    try:
        deadline = time.monotonic() + 8
        while not part.exists() and time.monotonic() < deadline:  # the body has started
            time.sleep(0.05)
        time.sleep(0.3)  # a few bytes more (they sit in the file's buffer until it is closed)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 130 and "Traceback" not in err and len(lines) == 1, err
    assert f"{NAME}.part is kept" in lines[0] and "resume" in lines[0]
    assert not box.final().exists() and box.intact()
    kept = part.stat().st_size
    assert kept > 0
    fixed(box, srv)
    assert f"bytes={kept}-" in ranges_asked(srv)


@pytest.mark.parametrize("where", ["download", "extract"])
def test_free_space_message_counts_the_margin(srv, box, monkeypatch, where):
    if where == "extract":
        box.final().write_bytes(GOOD)  # downloaded before: only the extraction needs room
    need = (
        len(GOOD)
        if where == "download"
        else sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(GOOD)).infolist())
    )
    free = need + datasets.FREE_MARGIN // 2  # more than the file, less than file + margin
    monkeypatch.setattr(datasets.files, "free_bytes", lambda folder: free)
    code, _, err = run(srv.url(NAME), box.dest)
    line = failed_cleanly(box, code, err, "free some space")
    shown = [float(m.replace(",", "")) for m in re.findall(r"([0-9][0-9,.]*) MB", line)]
    margin = datasets.FREE_MARGIN / 1e6
    assert f"{margin:,.1f} MB" in line and "to spare" in line, line
    assert max(shown) > free / 1e6, line  # the total it needs exceeds what is free
    monkeypatch.undo()
    fixed(box, srv)


LIMIT = 1 << 20


_EXTRACT_UNDER_LIMIT = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, ({LIMIT}, {LIMIT}))  # files of at most 1 MiB here
from helpers import datasets
sys.exit(datasets.main(["cats-vs-dogs", "--dest", sys.argv[1], "--url", sys.argv[2], "--no-progress"]))
"""


@pytest.mark.parametrize("stage", ["download", "extraction"])
def test_file_too_large_for_the_file_system_does_not_say_restart(srv, box, stage):
    """RLIMIT_FSIZE in a subprocess: writes past 1 MiB fail with EFBIG, as on a FAT32 disk past
    4 GB. Downloading again cannot help, so the line says what can."""
    big = os.urandom(LIMIT + (1 << 19))  # incompressible: no zip bomb
    srv.files[NAME] = fs.zip_bytes(fs.pet_members(extra=[("PetImages/Cat/big.jpg", big)]), zipfile.ZIP_STORED)
    if stage == "extraction":
        box.final().write_bytes(srv.files[NAME])  # downloaded before, on a roomier disk
    proc = subprocess.run(
        [sys.executable, "-c", _EXTRACT_UNDER_LIMIT, str(box.dest), srv.url(NAME)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    failed_cleanly(box, proc.returncode, proc.stderr, "too large", "file system", "--dest")
    assert "--restart" not in proc.stderr and not (box.dest / "PetImages").exists()

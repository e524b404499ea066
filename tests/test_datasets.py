"""helpers.datasets, fully offline: a generated archive served from 127.0.0.1.

The archive mimics the real one: PetImages/Cat and PetImages/Dog with small real JPEGs, plus an
empty file, a truncated JPEG, a Thumbs.db and a path-traversal member.
"""

import hashlib
import io
import os
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image

from helpers import datasets

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


def test_download_verifies_and_renames_atomically(server, tmp_path):
    dest = datasets.download(server + "/cats.zip", tmp_path / "cats.zip", sha256=SHA,
                             size=len(ARCHIVE), progress=False)
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


def test_unreachable_server_is_a_download_error(tmp_path):
    with pytest.raises(datasets.DownloadError, match="cannot reach"):
        datasets.download("http://127.0.0.1:9/none.zip", tmp_path / "x.zip", progress=False, timeout=2)


def test_bad_sha_argument():
    with pytest.raises(ValueError, match="64 hexadecimal"):
        datasets.download("http://127.0.0.1:9/x", "x.zip", sha256="abc")


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


def test_full_path_cli_and_load(server, tmp_path, capsys, tf):  # tf: TensorFlow imported by the fixture
    code = datasets.main(["cats-vs-dogs", "--dest", str(tmp_path), "--url", server + "/kagglecatsanddogs.zip",
                          "--sha256", SHA, "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert "matches the expected checksum" in out and "refused archive member '../escaped.txt'" in out
    skipped = dict(line.split("\t") for line in (tmp_path / "skipped.txt").read_text().splitlines())
    assert skipped == {"Cat/666.jpg": "empty file", "Dog/11702.jpg": "corrupt (OSError)",
                       "Dog/Thumbs.db": "not an image file"}

    scan = datasets.scan_images(tmp_path / "PetImages")
    assert scan.counts() == {"Cat": N_PER_CLASS, "Dog": N_PER_CLASS}
    train, val = datasets.make_datasets(scan.files, scan.labels, batch_size=4, val_fraction=0.25)
    xb, _ = next(iter(train))
    assert xb.shape == (4, 300, 300, 3) and xb.dtype.name == "float32"
    assert float(xb.numpy().min()) >= 0.0 and float(xb.numpy().max()) <= 1.0
    val_labels = np.concatenate([y.numpy() for _, y in val])
    assert len(val_labels) == 3 and len(set(val_labels.tolist())) == 2  # shuffled before split


def test_pipeline_skips_undecodable_files(tmp_path):
    good = tmp_path / "good.jpg"
    good.write_bytes(_jpeg(1, False))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg at all")
    train, val = datasets.make_datasets([str(good), str(bad), str(good)], [0, 1, 0], batch_size=8,
                                      val_fraction=0.34, image_size=(16, 16))
    n = sum(int(x.shape[0]) for ds in (train, val) for x, _ in ds)
    assert n == 2  # both good files arrive; the undecodable one never reaches the model


def test_pipeline_memory_bound_counts_the_real_batches(tmp_path):
    # the bound is in units of what the pipeline really yields: float32 images of image_size
    files = []
    for i in range(6):
        files.append(tmp_path / f"{i}.jpg")
        files[-1].write_bytes(_jpeg(i, bool(i % 2)))
    train, _ = datasets.make_datasets([str(f) for f in files], [i % 2 for i in range(6)],
                                      batch_size=4, val_fraction=0.34, image_size=(16, 20))
    xb = next(iter(train))[0].numpy()
    assert xb.shape == (4, 16, 20, 3)
    bound = datasets.pipeline_peak_bytes(batch_size=4, image_size=(16, 20), prefetch=2,
                                         parallel_calls=2)
    assert bound == (2 + 2) * xb.nbytes + 2 * xb[0].nbytes  # prefetch + in use + assembling
    full = datasets.pipeline_peak_bytes(batch_size=128, prefetch=2, parallel_calls=2)
    assert full < 1.5e9 / 2  # well under the 1.5 GB budget, leaving room for TensorFlow itself


def test_scan_requires_class_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="one folder per class"):
        datasets.scan_images(tmp_path)


@pytest.mark.parametrize("kwargs, words", [
    ({"batch_size": 0}, "batch_size"), ({"batch_size": 2.5}, "batch_size"),
    ({"batch_size": True}, "batch_size"), ({"image_size": (0, 10)}, "image_size"),
    ({"image_size": (10,)}, "image_size"), ({"image_size": "300"}, "image_size"),
    ({"files": "abc", "labels": [0, 1, 0]}, "files"), ({"files": b"ab", "labels": [0, 1]}, "files"),
])
def test_make_datasets_refuses_bad_arguments_up_front(kwargs, words):
    args = {"files": ["a.jpg", "b.jpg", "c.jpg"], "labels": [0, 1, 0], **kwargs}
    with pytest.raises(ValueError, match=words):
        datasets.make_datasets(args.pop("files"), args.pop("labels"), **args)


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

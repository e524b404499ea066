"""``python -m helpers.catsdogs`` when things go wrong, offline and in seconds (16x16 images).

Bad arguments are one line, before any scan or TensorFlow; a full disk while saving and Ctrl-C
during training leave one run's files, never a mix with the previous run's, and say in one line
what was kept; an image TensorFlow cannot decode is counted as left out, not as trained on.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
from pathlib import Path

import fault_server as fs
import pytest

from helpers import catsdogs, datasets, tfenv

N = 8  # photos per class
SMALL = ("--epochs", "1", "--batch-size", "4", "--image-size", "16")


@pytest.fixture
def dest(tmp_path):
    """DEST as ``python -m helpers.datasets cats-vs-dogs`` leaves it: PetImages/Cat, PetImages/Dog."""
    for c, cls in enumerate(datasets.CLASSES):
        (tmp_path / "PetImages" / cls).mkdir(parents=True)
        for i in range(N):
            (tmp_path / "PetImages" / cls / f"{i}.jpg").write_bytes(fs.jpeg(10 * c + i))
    return tmp_path


@pytest.fixture(scope="module")
def keras():
    """Keras, imported once for the module's trainings (its import takes seconds)."""
    return tfenv.keras()


def run(*args):
    """The reader's command, in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = catsdogs.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C escaped the command as a traceback")
    return code, out.getvalue(), err.getvalue()


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def no_work(monkeypatch):
    """Fails the test as soon as any image is decoded or TensorFlow is asked for."""

    def work(*args, **kwargs):
        raise AssertionError("the command started working before checking its arguments")

    monkeypatch.setattr(datasets.scan, "check_image", work)
    monkeypatch.setattr(tfenv, "keras", work)


# ----------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    "args, named",
    [
        (["--steps-per-epoch", "-1"], "--steps-per-epoch"),
        (["--steps-per-epoch", "0"], "--steps-per-epoch"),
        (["--validation-steps", "-5"], "--validation-steps"),
        (["--epochs", "0"], "--epochs"),
        (["--batch-size", "-4"], "--batch-size"),
        (["--image-size", "100000"], "--image-size"),
        (["--image-size", "0"], "--image-size"),
        (["--val-fraction", "0.6", "--test-fraction", "0.5"], "--val-fraction"),
        (["--test-fraction", "nan"], "--test-fraction"),
        (["--out", ""], "--out"),
    ],
)
def test_bad_arguments_are_one_line_before_any_work(dest, no_work, args, named):
    code, _, err = run("--dest", dest, *args)
    line = one_line(err)
    assert code in (1, 2) and line.startswith("error: ") and named in line, line
    assert not (dest / "training").exists()


def test_an_empty_dest_is_refused(no_work, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an empty --dest would read ./PetImages, write ./training
    code, _, err = run("--dest", "")
    assert code == 2 and "--dest" in one_line(err) and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "kwargs, exc_type",
    [
        ({"steps_per_epoch": -1}, ValueError),
        ({"validation_steps": 0}, ValueError),
        ({"steps_per_epoch": 2.5}, TypeError),
        ({"epochs": True}, TypeError),
        ({"image_size": 100_000}, ValueError),
    ],
)
def test_train_refuses_counts_that_never_end(dest, no_work, kwargs, exc_type):
    with pytest.raises(exc_type, match="|".join(kwargs) + "|image size"):
        catsdogs.train(dest / "PetImages", dest / "training", **kwargs)


def test_out_naming_a_file_is_one_line_before_any_work(dest, no_work):
    (dest / "notes.txt").write_text("the reader's")
    code, _, err = run("--dest", dest, "--out", dest / "notes.txt")
    line = one_line(err)
    assert code == 1 and "notes.txt" in line and "--out" in line, line
    assert (dest / "notes.txt").read_text() == "the reader's"


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody can write into: its mode for a normal user; root ignores modes, so for
    root a read-only tmpfs (skipped where mounting is not allowed)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    try:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                capture_output=True,
                timeout=10,
            ).returncode
            == 0
        )
    except OSError:
        mounted = False
    if not mounted:
        pytest.skip("root ignores folder modes, and no read-only tmpfs can be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True, timeout=10)


@pytest.mark.parametrize("sub", ["", "training"])
def test_out_in_a_read_only_folder_is_one_line_before_any_work(dest, no_work, read_only, sub):
    code, _, err = run("--dest", dest, "--out", read_only / sub)
    line = one_line(err)
    assert code == 1 and str(read_only) in line and "--out" in line, line


def test_an_unreadable_class_folder_is_one_line_before_any_work(dest, no_work, monkeypatch):
    dog = dest / "PetImages" / "Dog"
    if os.geteuid() != 0:
        dog.chmod(0)
    else:  # root lists any folder: listing it fails as it would for a normal user
        real_listdir = os.listdir

        def listdir(path="."):
            if os.fspath(path) == os.fspath(dog):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_listdir(path)

        monkeypatch.setattr(os, "listdir", listdir)
    try:
        code, _, err = run("--dest", dest)
    finally:
        dog.chmod(0o755)
    line = one_line(err)
    assert code == 1 and str(dog) in line and "Permission denied" in line, line


# ----------------------------------------------------------------------------- data loss
def test_a_full_disk_while_saving_keeps_the_previous_run(dest, keras, monkeypatch):
    """ENOSPC at the right moment: ``Model.save`` is replaced by one that writes the first
    bytes of a model and then fails as a full disk does."""
    out = dest / "training"
    out.mkdir()
    for name in (catsdogs.BEST_MODEL, catsdogs.HISTORY, catsdogs.RESULT):  # the previous run's
        (out / name).write_text(f"the previous run's {name}")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full_disk(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as f:
            f.write(b"PK\x03\x04 the first bytes of a model")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(filepath))

    monkeypatch.setattr(keras.Model, "save", full_disk)
    code, _, err = run("--dest", dest, *SMALL)
    line = one_line(err)
    assert code == 1 and "No space left on device" in line and catsdogs.BEST_MODEL in line, line
    assert "kept" in line and "free some space" in line, line
    # the previous run's model, history and result, as they were; no temporary file left
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ctrl_c_during_training_is_one_line_and_no_stale_result_survives(dest, keras, monkeypatch):
    out = dest / "training"
    out.mkdir()
    (out / catsdogs.RESULT).write_text('{"the previous run": "its test accuracy"}')
    history = keras.callbacks.History  # Keras runs it after the book's callbacks
    real_epoch_end = history.on_epoch_end

    def epoch_end_then_ctrl_c(self, epoch, logs=None):  # Ctrl-C once epoch 2 is done
        real_epoch_end(self, epoch, logs)
        if epoch == 1:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(history, "on_epoch_end", epoch_end_then_ctrl_c)
    code, _, err = run("--dest", dest, *SMALL, "--epochs", "4")
    line = one_line(err)
    assert code == 130 and "interrupted after 2 of 4 epochs" in line, line
    assert f"{catsdogs.HISTORY} (2 epochs)" in line and catsdogs.BEST_MODEL in line, line
    assert f"no {catsdogs.RESULT}" in line, line
    assert not (out / catsdogs.RESULT).exists()
    assert len(json.loads((out / catsdogs.HISTORY).read_text())["loss"]) == 2
    assert sorted(p.name for p in out.iterdir()) == [catsdogs.BEST_MODEL, catsdogs.HISTORY]


def test_an_image_tensorflow_cannot_decode_is_counted_as_left_out(dest, keras, monkeypatch):
    real_scan = datasets.scan_images

    def scan_then_change_a_file(root, *args, **kwargs):  # accepted, then broken on disk
        scan = real_scan(root, *args, **kwargs)
        Path(scan.files[0]).write_bytes(b"changed on disk after the scan")
        return scan

    monkeypatch.setattr(datasets, "scan_images", scan_then_change_a_file)
    code, printed, err = run("--dest", dest, *SMALL, "--val-fraction", "0.25", "--test-fraction", "0.25")
    assert code == 0, err
    result = json.loads((dest / "training" / catsdogs.RESULT).read_text())
    assert sum(result["sizes"].values()) == 2 * N - 1  # what training, validation and test saw
    assert result["counts"] == {"Cat": N - 1, "Dog": N}
    reasons = dict(result["skipped"])
    assert list(reasons) == ["Cat/0.jpg"] and "TensorFlow cannot decode" in reasons["Cat/0.jpg"]
    assert "1 file TensorFlow cannot decode" in printed

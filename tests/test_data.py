"""helpers.data: every shipped table, photo and digit set (4s and 9s, MNIST 5k) loads; bad
names, files or folders give clear errors; the data folder can come from CNN_BOOK_DATA; the
photos and the 5,000 digits can be rebuilt by their scripts."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import data

ROOT = Path(__file__).resolve().parent.parent


def test_every_table_loads_as_2d_array():
    assert len(data.names()) >= 15
    for name in data.names():
        arr = data.load(name)
        assert arr.ndim == 2 and arr.size > 0, name


def test_images_are_8bit_integers():
    for name, shape in [("digit4", (17, 4)), ("image_b", (17, 4)), ("conv6x6_image", (6, 6))]:
        img = data.load(name)
        assert img.shape == shape and img.dtype.kind == "i"
        assert img.min() >= 0 and img.max() <= 255


def test_formula_cells_are_kept_as_printed_and_load_as_nan():
    assert data.printed_cells("case1_printed")[0][0] == "=B2*$G$5"
    assert data.printed_cells("case2_printed")[1][1] == "=SUMPRODUCT(D3:E3,$G$5:$H$5)"
    case3 = data.load("case3_printed")
    assert np.isnan(case3[0, 2:]).all() and not np.isnan(case3[1:]).any()


def test_unknown_name_lists_known_ones():
    with pytest.raises(KeyError, match="digit4") as excinfo:
        data.load("digit_four")
    assert "known tables" in str(excinfo.value)
    with pytest.raises(TypeError, match="name"):
        data.load(4)


def test_malformed_files_name_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    (tmp_path / "ragged.csv").write_text("1,2,3\n4,5\n")
    (tmp_path / "words.csv").write_text("a,b\nc,d\n")
    (tmp_path / "blank.csv").write_text("\n\n")
    with pytest.raises(ValueError, match=r"ragged\.csv.*different numbers of cells"):
        data.load("ragged")
    with pytest.raises(ValueError, match=r"words\.csv.*no numbers"):
        data.load("words")
    with pytest.raises(ValueError, match=r"blank\.csv.*no rows"):
        data.load("blank")


def test_missing_data_folder_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(KeyError, match="CNN_BOOK_DATA"):
        data.load("digit4")
    with pytest.raises(FileNotFoundError, match="CNN_BOOK_DATA"):
        data.load_digits_4_9()


def test_photos():
    assert data.photo_names() == ["astronaut", "chelsea", "coffee"]
    rgb = data.load_photo("chelsea")
    assert rgb.shape == (300, 300, 3) and rgb.dtype == np.uint8
    gray = data.load_photo("chelsea", gray=True)
    assert gray.shape == (300, 300) and gray.min() >= 0 and gray.max() <= 255
    with pytest.raises(KeyError, match="known photos"):
        data.load_photo("dog")


def test_data_folder_from_the_environment(tmp_path):
    """A non-editable install finds the data through CNN_BOOK_DATA (read at import)."""
    (tmp_path / "tiny.csv").write_text("1,2\n3,4\n")
    code = (
        "from helpers import data; print(data.DATA_DIR); print(data.names()); print(data.load('tiny').sum())"
    )
    env = dict(os.environ, CNN_BOOK_DATA=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()
    assert out == [str(tmp_path), "['tiny']", "10"]


def test_shipped_photos_are_rebuilt_pixel_for_pixel():
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_photos.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("identical to the shipped file") == len(data.photo_names())


def test_sample_photos_and_center_crop():
    photos = data.sample_photos(("chelsea",), size=300)
    assert photos["chelsea"].shape == (300, 300, 3) and photos["chelsea"].dtype == np.uint8
    img = np.arange(300 * 451).reshape(300, 451)
    crop = data.center_crop(img, 300)
    assert crop.shape == (300, 300) and crop[0, 0] == 75
    with pytest.raises(ValueError, match="smaller"):
        data.center_crop(img, 301)


def test_digits_data_and_split():
    d = data.load_digits_4_9()
    assert d.images.shape == (1000, 28, 28, 1) and d.images.dtype == np.float32
    assert d.images.min() >= 0.0 and d.images.max() == 1.0
    assert np.bincount(d.digits)[[4, 9]].tolist() == [500, 500]
    assert data.load_digits_4_9(scale=False).images.max() == 255
    train, val, test = data.split_digits(d, seed=0)
    assert (len(train), len(val), len(test)) == (600, 200, 200)
    for part in (train, val, test):
        assert part.labels.mean() == 0.5
    rows = [set(p.rows.tolist()) for p in (train, val, test)]
    assert not (rows[0] & rows[1] or rows[0] & rows[2] or rows[1] & rows[2])
    with pytest.raises(ValueError, match="even"):
        data.split_digits(d, n_val=3)


def test_dataset_bytes():
    assert data.dataset_bytes(23_000) == 6_210_000_000
    assert data.dataset_bytes(23_000, dtype="float32") == 4 * 6_210_000_000
    assert data.dataset_bytes(2, (28, 28, 1), "float64") == 2 * 784 * 8
    with pytest.raises(ValueError, match="dtype"):
        data.dataset_bytes(1, dtype="int7")
    with pytest.raises(ValueError, match="n_images"):
        data.dataset_bytes(-1)


# ----------------------------------------------------------------------------- MNIST 5k
def test_mnist_5k_file_is_what_the_script_makes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_mnist_5k", ROOT / "scripts" / "make_mnist_5k.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    monkeypatch.setattr(make, "OUT", tmp_path / "mnist_5k.npz")
    make.main()
    assert (tmp_path / "mnist_5k.npz").read_bytes() == (data.DATA_DIR / data.MNIST_5K_FILE).read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_mnist_5k_split_is_stratified_and_disjoint():
    images, labels, split = data.load_mnist_5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert list(split) == ["train", "validation", "test"]
    rows = np.concatenate(list(split.values()))
    assert np.array_equal(np.sort(rows), np.arange(5000))  # every row in exactly one part
    for name, per_digit in (("train", 400), ("validation", 50), ("test", 50)):
        assert np.array_equal(np.bincount(labels[split[name]], minlength=10), [per_digit] * 10)
    # the split is shuffled, not "the first rows of each digit"
    assert not np.array_equal(split["test"][:50], np.arange(50))


def test_mnist_5k_matches_the_4_9_subset():
    """The two shipped files come from the same source rows: same pixels for every 4 and 9."""
    images, labels, _ = data.load_mnist_5k()
    with np.load(data.DATA_DIR / "mnist_4_9.npz") as f:
        rows, sub = f["source_rows"], f["images"]
    assert np.array_equal(images[rows], sub) and set(labels[rows].tolist()) == {4, 9}


def test_load_mnist_5k_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"make_mnist_5k\.py"):
        data.load_mnist_5k(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(
        bad,
        images=np.zeros((3, 28, 28), np.uint8),
        labels=np.zeros(3, np.uint8),
        split=np.array([0, 1, 5], np.uint8),
        split_names=np.array(["train", "validation", "test"]),
    )
    with pytest.raises(ValueError, match="split"):
        data.load_mnist_5k(bad)

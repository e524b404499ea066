"""The digit network trained on every real digit the book ships, redrawn as people draw
(``augment``), and measured on MNIST digits it never saw and on handwriting from other
sources (``other_sources``).

The digits: ``data/mnist_5k.npz`` (its 4,000 training digits; its 500 validation digits stay
the validation set, its 500 test digits the test set) and ``data/mnist_more_5k.npz`` (its
4,000 training digits; its 1,000 held-out test digits are a second, larger MNIST test). So
8,000 digits train, each epoch redrawn afresh (``augment.drawn_inputs``), and 1,500 MNIST
digits and the 1,797 UCI digits are never trained on. The network is the book's with twice
the filters (``DRAWN_FILTERS``), so that it has room for the variety the redrawing adds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import data, tfenv, validate
from .architecture import INPUT_SHAPE, LAYERS, layer_table
from .augment import drawn_inputs
from .export_file import DRAWN_EXPORT_FILE, load_export
from .keras_model import BATCH_SIZE, build_model
from .numpy_forward import predict
from .other_sources import uci_digits

DRAWN_EPOCHS = 15
#: the filters of conv1 and conv2 for this training: twice the book's (8, 16), 12,810
#: parameters instead of 5,258 (benchmarks/experiments.py records both, as digitnet-drawn and
#: digitnet-drawn-small)
DRAWN_FILTERS = (16, 32)


def layers_with(filters=DRAWN_FILTERS, layers=LAYERS) -> tuple:
    """``layers`` with conv1 and conv2 given ``filters`` (everything else as it is)."""
    convs = [name for name, kind, _ in layers if kind == "conv"]
    if len(filters) != len(convs) or not all(isinstance(f, int) and f > 0 for f in filters):
        raise ValueError(
            f"filters must be {len(convs)} positive whole numbers, one per conv layer, got {filters!r}"
        )
    chosen = dict(zip(convs, filters))
    return tuple((n, k, {**s, "filters": chosen[n]} if n in chosen else s) for n, k, s in layers)


def load_drawn():
    """The explorer's committed network (``export_file.DRAWN_EXPORT_FILE``, written by
    ``scripts/export_digitnet.py --drawn``): ``(exported, layers)``, the export read back and
    the layers it was trained as (``layers_with()``, which the export's own layer list must
    match)."""
    exported, layers = load_export(DRAWN_EXPORT_FILE), layers_with()
    if exported.meta["layers"] != layer_table(layers):
        raise ValueError(f"{DRAWN_EXPORT_FILE.name} does not hold layers_with({DRAWN_FILTERS}); re-export it")
    return exported, layers


def _scaled(images: np.ndarray) -> np.ndarray:
    return images[..., None].astype(np.float32) / np.float32(255)


def digit_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{"train": (uint8 images, labels), "validation", "mnist_test", "more_test", "uci"}``:
    the training digits raw (``augment`` redraws them), the others as the network reads them
    (MNIST's as stored, scaled 0-1; UCI's through the page's preprocessing)."""
    images, labels, split = data.load_mnist_5k()
    more, more_labels, more_split = data.load_mnist_more()
    x_uci, y_uci, _ = uci_digits()
    return {
        "train": (
            np.concatenate([images[split["train"]], more[more_split["train"]]]),
            np.concatenate([labels[split["train"]], more_labels[more_split["train"]]]),
        ),
        "validation": (_scaled(images[split["validation"]]), labels[split["validation"]]),
        "mnist_test": (_scaled(images[split["test"]]), labels[split["test"]]),
        "more_test": (_scaled(more[more_split["test"]]), more_labels[more_split["test"]]),
        "uci": (x_uci, y_uci),
    }


def forward_accuracies(weights: dict, sets: dict, layers=None, names=None) -> dict[str, float]:
    """The accuracy of the network ``layers`` (default ``layers_with()``) with ``weights`` (by
    tensor name) on the sets ``names`` (default every set but ``train``), with the NumPy
    forward pass (float64): what the export records, the same on any machine."""
    layers = layers_with() if layers is None else layers
    names = [n for n in sets if n != "train"] if names is None else names
    out = {}
    for name in names:
        x, y = sets[name]
        out[name] = float(np.mean(predict(weights, x, layers).argmax(1) == y))
    return out


def accuracies(model, sets: dict) -> dict[str, float]:
    """The model's accuracy on every set but ``train``."""
    return {
        name: float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(axis=1) == y))
        for name, (x, y) in sets.items()
        if name != "train"
    }


@dataclass
class DrawnRun:
    """One ``train_drawn`` run: the model, the weights after every epoch (``[0]`` the random
    start), per-epoch metrics (epoch 0 included), the final accuracies and fit seconds."""

    model: object
    seed: int
    epoch_weights: list
    history: dict
    accuracies: dict
    seconds: float


def train_drawn(seed: int = 0, epochs: int = DRAWN_EPOCHS, layers=None, sets=None) -> DrawnRun:
    """Train ``layers`` (default ``layers_with(DRAWN_FILTERS)``) on the 8,000 training digits,
    redrawn afresh every epoch with a generator seeded by ``seed`` (which also sets the initial
    weights and the batch order)."""
    seed = validate.non_negative_integer("seed", seed)
    epochs = validate.positive_integer("epochs", epochs)
    layers = layers_with() if layers is None else layers
    sets = sets or digit_sets()
    tfenv.set_determinism(seed)
    model = build_model(layers, INPUT_SHAPE)
    rng = np.random.default_rng(seed)
    images, labels = sets["train"]
    x_val, y_val = sets["validation"]
    snapshots = [[w.copy() for w in model.get_weights()]]
    loss0, acc0 = model.evaluate(_scaled(images), labels, batch_size=500, verbose=0)
    vloss0, vacc0 = model.evaluate(x_val, y_val, batch_size=500, verbose=0)
    history = {"loss": [loss0], "accuracy": [acc0], "val_loss": [vloss0], "val_accuracy": [vacc0]}
    seconds = 0.0
    for _ in range(epochs):
        x = drawn_inputs(images, rng)
        start = time.perf_counter()
        fitted = model.fit(
            x,
            labels,
            validation_data=(x_val, y_val),
            epochs=1,
            batch_size=BATCH_SIZE,
            shuffle=True,
            verbose=0,
        )
        seconds += time.perf_counter() - start
        for m in history:
            history[m].append(float(fitted.history[m][0]))
        snapshots.append([w.copy() for w in model.get_weights()])
    history = {m: [float(v) for v in vs] for m, vs in history.items()}
    return DrawnRun(model, seed, snapshots, history, accuracies(model, sets), seconds)

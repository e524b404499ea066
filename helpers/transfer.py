"""Transfer learning on Fashion-MNIST: a small network learns five kinds of clothes (the source
task), and its convolution layers are reused for the other five kinds (the target task).

``task`` keeps the photos of some classes and relabels them 0, 1, ...: the source task is
classes 0-4 (T-shirt/top to Coat) with all 600 training photos of each, the target task
classes 5-9 (Sandal to Ankle boot, relabelled 0-4) with ``per_class`` training photos of each
(``helpers.fashion.splits`` draws them). ``pretrain`` trains ``build_base`` plus a head on the
source task once per seed (reused within a test session, ``helpers.runcache``). On the target
task, ``two_phase`` trains a new head on the frozen pretrained base, then unfreezes the base and
fine-tunes everything at a low learning rate; ``scratch`` trains the same design from random
weights for as many epochs. Chapter 19 writes these steps in Keras on the page; this module is
what its multi-seed record (``benchmarks.experiments``, "transfer") and its tests call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import runcache, tfenv, validate
from .data import FASHION_CLASSES
from .fashion import Split, splits

SOURCE = (0, 1, 2, 3, 4)  # T-shirt/top, Trouser, Pullover, Dress, Coat
TARGET = (5, 6, 7, 8, 9)  # Sandal, Shirt, Sneaker, Bag, Ankle boot
INPUT_SHAPE = (28, 28, 1)
FILTERS = (16, 32)  # conv1, conv2 (3×3 kernels, each followed by 2×2 max pooling)
BATCH_SIZE = 32
PRETRAIN_EPOCHS = 5
PRETRAIN_BATCH_SIZE = 64
HEAD_LR = 1e-3  # Adam: the pretraining, the new head, and the network trained from scratch
FINE_LR = 1e-4  # Adam: fine-tuning the unfrozen base, ten times lower
PER_CLASS = (10, 25, 50, 600)
#: epochs of each phase: fewer photos, more epochs, so that every size gets enough steps
EPOCHS = {10: 40, 25: 30, 50: 20, 600: 5}
SEEDS = (0, 1, 2, 3, 4)
#: what chapter 19 promises on any machine of this kind: the test accuracies of the five
#: recorded seeds (benchmarks/results/experiments/transfer.json), widened by about 4 points
EXPECTED = {
    "pretrained": (0.77, 0.90),
    "frozen": {10: (0.80, 0.92), 25: (0.83, 0.96), 50: (0.84, 0.95), 600: (0.87, 0.98)},
    "fine_tuned": {10: (0.80, 0.92), 25: (0.84, 0.97), 50: (0.85, 0.95), 600: (0.89, 0.99)},
    "scratch": {10: (0.77, 0.91), 25: (0.84, 0.96), 50: (0.86, 0.96), 600: (0.89, 1.0)},
}


def class_names(classes) -> list[str]:
    """The Fashion-MNIST names of ``classes``, in that order."""
    return [FASHION_CLASSES[c] for c in classes]


def subset(split: Split, classes) -> Split:
    """The photos of ``split`` whose label is in ``classes``, relabelled 0, 1, ... in the order
    of ``classes`` (so ``subset(part, (5, 6))`` turns Sandal into 0 and Shirt into 1)."""
    classes = [int(c) for c in classes]
    if not classes or len(set(classes)) != len(classes) or not set(classes) <= set(range(10)):
        raise ValueError(f"classes must be distinct labels 0-9, got {classes}")
    new = np.full(10, -1, dtype=np.int64)
    new[classes] = np.arange(len(classes))
    keep = np.isin(split.labels, classes)
    return Split(split.images[keep], new[split.labels[keep]])


def task(classes, per_class: int | None = None, seed: int = 0) -> dict[str, Split]:
    """Training, validation and test photos of ``classes`` only, relabelled 0, 1, ...: all 600
    training photos of each class, or ``per_class`` of them drawn with ``seed`` (validation and
    test stay whole: 100 photos of each class)."""
    return {name: subset(part, classes) for name, part in splits("unit", per_class, seed).items()}


def build_base():
    """The reusable part: two 3×3 convolutions with ReLU, each followed by 2×2 max pooling,
    and Flatten (28×28×1 in, 5·5·32 = 800 features out)."""
    k = tfenv.keras()
    return k.Sequential(
        [
            k.Input(shape=INPUT_SHAPE),
            k.layers.Conv2D(FILTERS[0], 3, activation="relu", name="conv1"),
            k.layers.MaxPooling2D(2, name="pool1"),
            k.layers.Conv2D(FILTERS[1], 3, activation="relu", name="conv2"),
            k.layers.MaxPooling2D(2, name="pool2"),
            k.layers.Flatten(name="flatten"),
        ],
        name="base",
    )


def with_head(base, classes: int = 5):
    """``base`` followed by a new Dense layer of ``classes`` outputs with a softmax."""
    k = tfenv.keras()
    return k.Sequential(
        [k.Input(shape=INPUT_SHAPE), base, k.layers.Dense(classes, activation="softmax", name="head")],
        name="classifier",
    )


def trainable_count(model) -> int:
    """The number of weights ``fit`` would change (what ``summary`` calls trainable params)."""
    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights))


def _compile(model, learning_rate: float) -> None:
    k = tfenv.keras()
    model.compile(
        optimizer=k.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )


def accuracy(model, split: Split) -> float:
    """Share of ``split`` the model classifies right."""
    scores = model.predict(split.images, batch_size=1000, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == split.labels))


@dataclass
class Pretrained:
    """The base after training on the source task: its ``weights``, the per-epoch ``history``
    and the source-task ``test_accuracy`` (with its head of five classes)."""

    seed: int
    weights: list = field(repr=False)
    history: dict
    test_accuracy: float

    def base(self, trainable: bool = True):
        """A fresh copy of the pretrained base."""
        base = build_base()
        base.set_weights(self.weights)
        base.trainable = trainable
        return base


def pretrain(seed: int = 0, epochs: int = PRETRAIN_EPOCHS) -> Pretrained:
    """``build_base`` plus a head, trained on the source task's 3,000 photos (Adam, learning
    rate ``HEAD_LR``, batches of ``PRETRAIN_BATCH_SIZE``); reused within a test session."""
    seed = validate.non_negative_integer("seed", seed)
    epochs = validate.positive_integer("epochs", epochs)

    def fit() -> Pretrained:
        data = task(SOURCE)
        tfenv.set_determinism(seed)
        base = build_base()
        model = with_head(base, len(SOURCE))
        _compile(model, HEAD_LR)
        h = model.fit(
            data["train"].images,
            data["train"].labels,
            validation_data=(data["validation"].images, data["validation"].labels),
            epochs=epochs,
            batch_size=PRETRAIN_BATCH_SIZE,
            verbose=0,
        )
        history = {key: [float(v) for v in values] for key, values in h.history.items()}
        return Pretrained(seed, base.get_weights(), history, accuracy(model, data["test"]))

    def dump(p: Pretrained):
        return runcache.weights_arrays("w", p.weights), {
            "history": p.history,
            "test_accuracy": p.test_accuracy,
        }

    def load(arrays, meta) -> Pretrained:
        return Pretrained(seed, runcache.weights_list("w", arrays), meta["history"], meta["test_accuracy"])

    return runcache.reuse("transfer-pretrain", {"seed": seed, "epochs": epochs}, fit, dump, load)


def drift(before: list, after: list) -> float:
    """How far weights moved: the norm of the change over the norm of ``before`` (all arrays
    taken together)."""
    change = np.sqrt(sum(float(np.sum((np.asarray(a) - np.asarray(b)) ** 2)) for a, b in zip(after, before)))
    return float(change / np.sqrt(sum(float(np.sum(np.asarray(b) ** 2)) for b in before)))


@dataclass
class TwoPhase:
    """A new head on the frozen base, then the whole network fine-tuned: the target-task test
    accuracy after each phase, the trainable counts of each phase, how far the base's weights
    moved in the fine-tuning (``drift``) and the fine-tuning's per-epoch validation accuracy."""

    frozen_accuracy: float
    fine_accuracy: float
    frozen_trainable: int
    fine_trainable: int
    drift: float
    fine_val_accuracy: list
    model: object = field(repr=False)


def two_phase(
    pretrained: Pretrained,
    data: dict[str, Split],
    seed: int = 0,
    epochs: int = 10,
    fine_lr: float = FINE_LR,
    fine_epochs: int | None = None,
) -> TwoPhase:
    """Phase 1: ``base.trainable = False``, a new head, compile, fit ``epochs`` epochs at
    ``HEAD_LR``. Phase 2: ``base.trainable = True``, compile again (a change of ``trainable``
    takes effect at ``compile``), fit ``fine_epochs`` (default ``epochs``) at ``fine_lr``."""
    epochs = validate.positive_integer("epochs", epochs)
    fine_epochs = validate.positive_integer("fine_epochs", epochs if fine_epochs is None else fine_epochs)
    fine_lr = validate.number("fine_lr", fine_lr, positive=True)
    train, test = data["train"], data["test"]
    tfenv.set_determinism(seed)
    base = pretrained.base(trainable=False)
    model = with_head(base, int(train.labels.max()) + 1)
    _compile(model, HEAD_LR)
    frozen_trainable = trainable_count(model)
    model.fit(train.images, train.labels, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    frozen_accuracy = accuracy(model, test)

    base.trainable = True
    _compile(model, fine_lr)
    fine_trainable = trainable_count(model)
    h = model.fit(
        train.images,
        train.labels,
        validation_data=(data["validation"].images, data["validation"].labels),
        epochs=fine_epochs,
        batch_size=BATCH_SIZE,
        verbose=0,
    )
    return TwoPhase(
        frozen_accuracy,
        accuracy(model, test),
        frozen_trainable,
        fine_trainable,
        drift(pretrained.weights, base.get_weights()),
        [float(v) for v in h.history["val_accuracy"]],
        model,
    )


def scratch(data: dict[str, Split], seed: int = 0, epochs: int = 20) -> float:
    """The same design from random weights, ``epochs`` epochs at ``HEAD_LR``: the target-task
    test accuracy."""
    epochs = validate.positive_integer("epochs", epochs)
    train = data["train"]
    tfenv.set_determinism(seed)
    model = with_head(build_base(), int(train.labels.max()) + 1)
    _compile(model, HEAD_LR)
    model.fit(train.images, train.labels, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    return accuracy(model, data["test"])


def compare(per_class: int, seed: int, pretrained: Pretrained | None = None) -> dict:
    """Frozen base, fine-tuned base and from scratch on the target task with ``per_class``
    training photos of each class (``EPOCHS[per_class]`` per phase; scratch gets both phases'
    epochs): their test accuracies."""
    if per_class not in EPOCHS:
        raise ValueError(f"per_class must be one of {tuple(EPOCHS)}, got {per_class!r}")
    pretrained = pretrained or pretrain(seed)
    data = task(TARGET, per_class, seed)
    e = EPOCHS[per_class]
    tp = two_phase(pretrained, data, seed, e)
    return {
        "per_class": per_class,
        "seed": seed,
        "epochs": e,
        "frozen": tp.frozen_accuracy,
        "fine_tuned": tp.fine_accuracy,
        "scratch": scratch(data, seed, 2 * e),
        "drift": tp.drift,
    }


# ----------------------------------------------------------------------------- the record
METHODS = ("frozen", "fine_tuned", "scratch")
METHOD_NAMES = {"frozen": "frozen base", "fine_tuned": "fine-tuned base", "scratch": "from scratch"}
#: the sizes the chapter's table shows (the record holds ``PER_CLASS``; 25 is for an exercise)
TABLE = (10, 50, 600)


def ranges(runs, sizes=TABLE) -> dict:
    """``{method: {per_class: (lowest, mean, highest)}}``: the test accuracies of the recorded
    ``runs`` (``benchmarks.experiments.transfer_runs``) over their seeds."""
    out = {}
    for method in METHODS:
        out[method] = {}
        for n in sizes:
            values = [r[method] for r in runs if r["per_class"] == n]
            if not values:
                raise ValueError(f"no recorded run with {n} photos per class")
            out[method][n] = (min(values), float(np.mean(values)), max(values))
    return out


def wins(runs, better: str, worse: str, per_class: int) -> int:
    """On how many recorded seeds ``better`` beat ``worse`` (strictly) with ``per_class``
    photos per class."""
    return sum(r[better] > r[worse] for r in runs if r["per_class"] == per_class)


def catch_up(runs, method: str = "fine_tuned", sizes=TABLE) -> int | None:
    """The smallest of ``sizes`` at which training from scratch is, on the mean over the seeds,
    at least as accurate as ``method``; None when it never is."""
    r = ranges(runs, sizes)
    return next((n for n in sizes if r["scratch"][n][1] >= r[method][n][1]), None)

"""Part IV's photos as a network reads them, and one seeded training on them.

``splits`` turns the shipped Fashion-MNIST photos (``helpers.data.load_fashion``: 6,000 /
1,000 / 1,000 for training, validation and test) into (n, 28, 28, 1) float32 arrays, scaled
0-1 (``"unit"``), kept 0-255 (``"raw"``) or standardised with the training part's mean and
standard deviation (``"standard"``). ``train`` compiles one design with an optimiser, fits
it with a seed and records what the chapters compare: the per-epoch curves, the test
accuracy, the seconds and the parameter count. Within a test session a training runs once
(``helpers.runcache``): the chapter that shows it and the test that checks its range share it.
The chapters write their own ``compile`` and ``fit`` on the page; this module is what their
multi-seed comparisons and the recorded experiments (``benchmarks.experiments``) call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import runcache, tfenv, validate
from .data import FASHION_CLASSES, Split, load_fashion

SCALES = ("unit", "raw", "standard")
OPTIMIZERS = ("sgd", "momentum", "adam")
SCHEDULES = ("constant", "cosine")
CLASSES = len(FASHION_CLASSES)
INPUT_SHAPE = (28, 28, 1)
MOMENTUM = 0.9  # the "momentum" optimiser: SGD with Keras's momentum 0.9


def pixel_stats() -> tuple[float, float]:
    """Mean and standard deviation of the training part's pixels, on the 0-1 scale."""
    images, _, split = load_fashion()
    x = images[split["train"]].astype(np.float64) / 255.0
    return float(x.mean()), float(x.std())


def splits(scale: str = "unit", per_class: int | None = None, seed: int = 0) -> dict[str, Split]:
    """The three parts as a network reads them. ``per_class``: only that many training
    photos of each class, drawn with ``seed`` (validation and test stay whole)."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    images, labels, split = load_fashion()
    rows = dict(split)
    if per_class is not None:
        per_class = validate.integer("per_class", per_class, 1, 600)
        rng = np.random.default_rng(seed)
        train = split["train"]
        rows["train"] = rng.permutation(
            np.concatenate(
                [rng.choice(train[labels[train] == c], per_class, replace=False) for c in range(CLASSES)]
            )
        )
    x = images[..., None].astype(np.float32)
    if scale == "unit":
        x /= 255.0
    elif scale == "standard":
        mean, std = pixel_stats()
        x = (x / np.float32(255.0) - np.float32(mean)) / np.float32(std)
    return {name: Split(x[r], labels[r]) for name, r in rows.items()}


def schedule(kind: str, learning_rate: float, decay_steps: int):
    """A learning rate: ``"constant"`` (the number itself) or ``"cosine"`` (Keras's CosineDecay
    from ``learning_rate`` to 0 over ``decay_steps`` steps)."""
    if kind not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {kind!r}")
    learning_rate = validate.number("learning_rate", learning_rate, positive=True)
    if kind == "constant":
        return learning_rate
    decay_steps = validate.positive_integer("decay_steps", decay_steps)
    return tfenv.keras().optimizers.schedules.CosineDecay(learning_rate, decay_steps)


def optimizer(name: str, learning_rate):
    """A fresh Keras optimiser: ``"sgd"``, ``"momentum"`` (SGD, momentum 0.9) or ``"adam"``;
    ``learning_rate`` a number or a rate from ``schedule``."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
    k = tfenv.keras()
    if not isinstance(learning_rate, k.optimizers.schedules.LearningRateSchedule):
        learning_rate = validate.number("learning_rate", learning_rate, positive=True)
    if name == "adam":
        return k.optimizers.Adam(learning_rate)
    return k.optimizers.SGD(learning_rate, momentum=MOMENTUM if name == "momentum" else 0.0)


def ends_in_logits(model) -> bool:
    """True when the model's last layer has no activation (its outputs are logits)."""
    k = tfenv.keras()
    return getattr(model.layers[-1], "activation", None) in (None, k.activations.linear)


@dataclass
class Run:
    """One training: its ``history`` (Keras's per-epoch ``loss``, ``accuracy``, ``val_loss``,
    ``val_accuracy``), the accuracy on the test part, the seconds ``fit`` took, the model's
    parameter count and the trained model."""

    name: str
    seed: int
    history: dict
    test_accuracy: float
    seconds: float
    params: int
    model: object = field(repr=False)

    def summary(self) -> dict:
        h = self.history
        return {
            "name": self.name,
            "seed": self.seed,
            "epochs": len(h["loss"]),
            "final_loss": h["loss"][-1],
            "val_accuracy": h["val_accuracy"][-1],
            "test_accuracy": self.test_accuracy,
            "seconds": self.seconds,
            "params": self.params,
        }


def train(
    name: str,
    build: Callable[[], object],
    seed: int = 0,
    epochs: int = 10,
    batch_size: int = 64,
    optimizer_name: str = "adam",
    learning_rate: float = 1e-3,
    scale: str = "unit",
    per_class: int | None = None,
    decay: str = "constant",
    batches: Callable | None = None,
) -> Run:
    """Fit ``build()`` (an uncompiled Keras model, built after every seed is fixed) on the
    training part and score it on the test part. ``name`` names the design: with the other
    arguments it is the key under which a test session reuses the run, so one name must
    always mean one ``build``. The loss is sparse categorical cross-entropy, from the logits
    when the model ends without an activation. ``decay``: the learning rate stays constant, or
    falls by a cosine to 0 over the whole training (``schedule``). ``batches``: when given,
    ``fit`` reads the training photos from ``batches(split, seed, batch_size)``, a tf.data
    pipeline of (photos, labels) batches that reshuffles every epoch, instead of from the arrays
    (chapter 20's flip that spares the shoes: it needs each photo's label)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string naming the design, got {name!r}")
    epochs = validate.positive_integer("epochs", epochs)
    batch_size = validate.positive_integer("batch_size", batch_size)
    params = {
        "name": name,
        "seed": seed,
        "epochs": epochs,
        "batch_size": batch_size,
        "optimizer": optimizer_name,
        "learning_rate": learning_rate,
        "scale": scale,
        "per_class": per_class,
    }
    if decay not in SCHEDULES:
        raise ValueError(f"decay must be one of {SCHEDULES}, got {decay!r}")
    if decay != "constant":
        params["decay"] = decay
    if batches is not None:
        params["batches"] = f"{batches.__module__}.{batches.__qualname__}"

    def fit() -> Run:
        data = splits(scale, per_class, seed)
        tfenv.set_determinism(seed)
        k = tfenv.keras()
        model = build()
        steps = epochs * math.ceil(len(data["train"]) / batch_size)
        model.compile(
            optimizer=optimizer(optimizer_name, schedule(decay, learning_rate, steps)),
            loss=k.losses.SparseCategoricalCrossentropy(from_logits=ends_in_logits(model)),
            metrics=["accuracy"],
        )
        if batches is None:
            train_part = data["train"]
            source = {
                "x": train_part.images,
                "y": train_part.labels,
                "batch_size": batch_size,
                "shuffle": True,
            }
        else:  # the pipeline cuts the batches and reshuffles them itself
            source = {"x": batches(data["train"], seed, batch_size), "shuffle": False}
        t0 = time.perf_counter()
        h = model.fit(
            **source,
            validation_data=(data["validation"].images, data["validation"].labels),
            epochs=epochs,
            verbose=0,
        )
        seconds = time.perf_counter() - t0
        history = {key: [float(v) for v in values] for key, values in h.history.items()}
        return Run(name, seed, history, accuracy(model, data["test"]), seconds, model.count_params(), model)

    def dump(run: Run) -> tuple[dict, dict]:
        meta = {"history": run.history, "test_accuracy": run.test_accuracy, "seconds": run.seconds}
        return runcache.weights_arrays("w", run.model.get_weights()), meta

    def load(arrays: dict, meta: dict) -> Run:
        model = build()
        model.set_weights(runcache.weights_list("w", arrays))
        return Run(
            name, seed, meta["history"], meta["test_accuracy"], meta["seconds"], model.count_params(), model
        )

    return runcache.reuse("fashion", params, fit, dump, load)


def accuracy(model, split: Split) -> float:
    """Share of ``split`` the model classifies right (one inference pass, batches of 1,000)."""
    scores = model.predict(split.images, batch_size=1000, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == split.labels))

"""The digit network in Keras: ``build_model`` from ``LAYERS``, Keras' own per-layer outputs
(``keras_layers``), and ``train``: the deterministic training on the fixed split, with the
weights kept after every epoch, done once per test session (``helpers.runcache``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import runcache, tfenv, validate
from .architecture import INPUT_SHAPE, LAYERS, TENSORS, layer_table
from .split import load_split

SEED = 0
EPOCHS = 10
BATCH_SIZE = 32
LEARNING_RATE = 3e-3
# The held-out test accuracy (500 digits) the chapter states for this recipe: the five seeds
# recorded, 0-4 (benchmarks/results/experiments/digitnet-seeds.json, made by
# benchmarks/experiments.py), lie in it; no other seed was run. tests/test_digitnet.py checks
# the record and a real retraining of seed 0, which must also reproduce the record. The upper
# bound would catch test digits leaking into training.
EXPECTED_TEST_ACCURACY = (0.93, 0.99)
TRAINING_SECONDS_LIMIT = 60.0


def _keras_layer(k, row):
    name, kind = row["name"], row["kind"]
    if kind == "conv":
        return k.layers.Conv2D(
            row["filters"],
            (row["kernel"], row["kernel"]),
            strides=row["stride"],
            activation=row["activation"],
            name=name,
        )
    if kind == "maxpool":
        return k.layers.MaxPooling2D((row["size"], row["size"]), strides=row["stride"], name=name)
    if kind == "flatten":
        return k.layers.Flatten(name=name)
    return k.layers.Dense(row["units"], activation=row["activation"], name=name)


def build_model(layers=LAYERS, input_shape=INPUT_SHAPE):
    """The network in Keras (compiled: Adam, sparse categorical cross-entropy, accuracy)."""
    k = tfenv.keras()
    model = k.Sequential(
        [k.Input(shape=input_shape, name="image")] + [_keras_layer(k, row) for row in layer_table(layers)],
        name="digitnet",
    )
    model.compile(
        optimizer=k.optimizers.Adam(LEARNING_RATE),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def keras_layers(model, layers=LAYERS):
    """A function images -> {"relu1", "pool1", "relu2", "pool2", "probabilities"}: Keras'
    own outputs of each layer, by the name of the map the layer leaves (its ``output``: the
    conv and dense layers apply their activation inside)."""
    k = tfenv.keras()
    names = {row["output"]: row["name"] for row in layer_table(layers) if row["kind"] != "flatten"}
    probe = k.Model(model.inputs, [model.get_layer(n).output for n in names.values()])

    def run(images):
        x = np.asarray(images, dtype=np.float32)
        x = x[None] if x.ndim == 3 else x
        return dict(zip(names, probe.predict(x, verbose=0)))

    return run


@dataclass
class TrainingRun:
    """One ``train`` run: the model, the weights after every epoch (``epoch_weights[0]`` are
    the random initial ones), per-epoch metrics (epoch 0 included), and the test result."""

    model: object
    seed: int
    epochs: int
    epoch_weights: list
    history: dict
    test_probabilities: np.ndarray
    test_labels: np.ndarray
    seconds: float

    @property
    def test_predictions(self) -> np.ndarray:
        return self.test_probabilities.argmax(axis=1)

    @property
    def test_accuracy(self) -> float:
        return float(np.mean(self.test_predictions == self.test_labels))

    @property
    def weights(self) -> dict[str, np.ndarray]:
        """The trained weights by name (those after the last epoch)."""
        return dict(zip(TENSORS, self.epoch_weights[-1]))


def train(seed: int = SEED, epochs: int = EPOCHS, verbose: int = 0) -> TrainingRun:
    """Train the network on the fixed split, deterministically for a given ``seed`` (the seed
    sets the initial weights and the batch order; the split is the file's). Weights are
    copied after every epoch. ``seconds`` is the wall time of ``fit`` alone. Within a test
    session the same training is done once (``helpers.runcache``)."""
    seed = validate.non_negative_integer("seed", seed)  # a plain int: it keys the run cache
    epochs = validate.positive_integer("epochs", epochs)
    return runcache.reuse(
        "digitnet",
        {"seed": seed, "epochs": epochs},
        lambda: _train(seed, epochs, verbose),
        _dump_run,
        _load_run,
    )


def _dump_run(run: TrainingRun) -> tuple[dict, dict]:
    arrays = {"test_probabilities": run.test_probabilities, "test_labels": run.test_labels}
    for e, weights in enumerate(run.epoch_weights):
        arrays.update(runcache.weights_arrays(f"epoch{e}_", weights))
    return arrays, {"seed": run.seed, "epochs": run.epochs, "history": run.history, "seconds": run.seconds}


def _load_run(arrays: dict, meta: dict) -> TrainingRun:
    epoch_weights = [runcache.weights_list(f"epoch{e}_", arrays) for e in range(meta["epochs"] + 1)]
    model = build_model()
    model.set_weights(epoch_weights[-1])
    return TrainingRun(
        model,
        meta["seed"],
        meta["epochs"],
        epoch_weights,
        meta["history"],
        arrays["test_probabilities"],
        arrays["test_labels"],
        meta["seconds"],
    )


def _history(first: dict, fitted: dict) -> dict:
    """Per-epoch metrics, epoch 0 (before training) first, as plain floats."""
    return {
        m: [first[m]] + [float(v) for v in fitted[m]]
        for m in ("loss", "accuracy", "val_loss", "val_accuracy")
    }


def _train(seed: int, epochs: int, verbose: int) -> TrainingRun:
    tfenv.set_determinism(seed)
    k = tfenv.keras()
    parts = load_split()
    tr, va, te = parts["train"], parts["validation"], parts["test"]
    model = build_model()

    def metrics(part):
        loss, acc = model.evaluate(part.x, part.y, batch_size=500, verbose=0)
        return float(loss), float(acc)

    snapshots = [[w.copy() for w in model.get_weights()]]
    (l0, a0), (vl0, va0) = metrics(tr), metrics(va)

    class Snapshot(k.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append([w.copy() for w in self.model.get_weights()])

    start = time.perf_counter()
    hist = model.fit(
        tr.x,
        tr.y,
        validation_data=(va.x, va.y),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        shuffle=True,
        verbose=verbose,
        callbacks=[Snapshot()],
    )
    seconds = time.perf_counter() - start
    history = _history({"loss": l0, "accuracy": a0, "val_loss": vl0, "val_accuracy": va0}, hist.history)
    probs = model.predict(te.x, batch_size=500, verbose=0)
    return TrainingRun(model, seed, epochs, snapshots, history, probs, te.y, seconds)

"""Overfitting and its two standard cures, measured: a deeper convnet on few real digits.

The article's one-layer network (chapter 14) has 1,701 parameters and no room to memorise. A
network with three convolution layers has about 100,000; trained on only 500 of the shipped
MNIST digits (``helpers.data.load_mnist_5k``: 50 per digit) it learns the training digits
perfectly while the validation accuracy stays well below. Two cures, trained the same way:

* data augmentation: Keras preprocessing layers at the model's input that rotate, shift and
  zoom each training digit a little, differently in every epoch (inactive in ``predict`` and
  ``evaluate``);
* Dropout: during training, half of the values entering the last Dense layer are set to 0
  at random, so it cannot lean on a few of them.

``train(variant, seed)`` trains one variant deterministically (``models.set_determinism``) and
returns its curves and test accuracy; ``layer_outputs`` / ``class_selectivity`` show what the
layers of the trained network respond to. The chapter states the accuracy ranges of
``EXPECTED`` (measured over seeds 0-4 by ``benchmarks/experiments.py``); ``tests/test_overfit.py``
re-trains and checks them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import models
from .data import load_mnist_5k

INPUT_SHAPE = (28, 28, 1)
CLASSES = 10
PER_DIGIT = 50                 # 500 training digits: a small subset of the 4,000
EPOCHS = 40
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
CONV = (("conv1", 32, 5), ("conv2", 64, 3), ("conv3", 128, 3))  # name, filters, kernel side
# Augmentation: rotations up to ±ROTATION of a full turn (0.05 -> ±18°), shifts up to SHIFT of
# the side (±2.8 pixels), zoom in or out by up to ZOOM; the new border is empty (0 = no ink).
ROTATION, SHIFT, ZOOM = 0.05, 0.1, 0.1
DROPOUT = 0.5
VARIANTS = {                   # variant -> (augmentation, dropout)
    "plain": (False, False),
    "augmentation": (True, False),
    "dropout": (False, True),
    "augmentation + dropout": (True, True),
}
SEEDS = (0, 1, 2, 3, 4)
# What the chapter promises, per variant: (low, high) for the validation accuracy after the
# last epoch and for the gap "accuracy on the training digits - validation accuracy". Measured
# over SEEDS with benchmarks/experiments.py (benchmarks/results/experiments/overfit.json):
# plain 0.924-0.944 with a gap of 0.056-0.076, augmentation + dropout 0.954-0.976 with a gap of
# 0.016-0.040; the ranges leave room for other CPUs. tests/test_overfit.py re-trains seeds 0-2.
EXPECTED = {
    "plain": {"val_accuracy": (0.90, 0.96), "gap": (0.04, 0.10)},
    "augmentation + dropout": {"val_accuracy": (0.94, 0.99), "gap": (-0.01, 0.05)},
}


@dataclass
class Split:
    """Digits scaled to [0, 1] as (n, 28, 28, 1) float32, with their labels 0-9."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def small_split(per_digit: int = PER_DIGIT, seed: int = 0) -> dict[str, Split]:
    """``per_digit`` training digits of each class, drawn (seeded) from the file's training
    part, and the file's whole validation (500) and test (500) parts."""
    if isinstance(per_digit, bool) or not isinstance(per_digit, int) or not 1 <= per_digit <= 400:
        raise ValueError(f"per_digit must be an integer from 1 to 400, got {per_digit!r}")
    images, labels, split = load_mnist_5k()
    rng = np.random.default_rng(seed)
    train_rows = split["train"]
    picked = np.concatenate([rng.choice(train_rows[labels[train_rows] == d], per_digit, replace=False)
                             for d in range(CLASSES)])
    rows = {"train": rng.permutation(picked), "validation": split["validation"], "test": split["test"]}
    x = images[..., None].astype(np.float32) / 255.0
    return {name: Split(x[r], labels[r]) for name, r in rows.items()}


def build(augmentation: bool = False, dropout: bool = False, name: str = "deeper_cnn"):
    """The deeper convnet (uncompiled): [augmentation] -> conv1 5x5x32 -> pool -> conv2 3x3x64
    -> pool -> conv3 3x3x128 -> Flatten -> [Dropout 0.5] -> Dense(10, softmax)."""
    k = models.keras()
    layers = k.layers
    stack = [k.Input(shape=INPUT_SHAPE, name="digit")]
    if augmentation:
        stack += augmentation_layers()
    for i, (lname, filters, side) in enumerate(CONV):
        stack.append(layers.Conv2D(filters, side, activation="relu", name=lname))
        if i < len(CONV) - 1:
            stack.append(layers.MaxPooling2D(2, name=f"pool{i + 1}"))
    stack.append(layers.Flatten(name="flatten"))
    if dropout:
        stack.append(layers.Dropout(DROPOUT, name="dropout"))
    stack.append(layers.Dense(CLASSES, activation="softmax", name="dense"))
    return k.Sequential(stack, name=name)


def augmentation_layers() -> list:
    """Keras preprocessing layers that rotate, shift and zoom each image a little, at random,
    filling the new border with 0 (no ink). Active only in training (``fit``)."""
    layers = models.keras().layers
    return [layers.RandomRotation(ROTATION, fill_mode="constant", name="rotate"),
            layers.RandomTranslation(SHIFT, SHIFT, fill_mode="constant", name="shift"),
            layers.RandomZoom(ZOOM, fill_mode="constant", name="zoom")]


def augmented_views(image, n: int = 7, seed: int = 0) -> np.ndarray:
    """``n`` random views of one (28, 28, 1) image through ``augmentation_layers`` (seeded)."""
    models.set_determinism(seed)
    x = np.repeat(np.asarray(image, dtype=np.float32)[None], n, axis=0)
    for layer in augmentation_layers():
        x = layer(x, training=True)
    return np.asarray(x)


@dataclass
class Run:
    """One training: the model, its per-epoch ``history`` and what it scores on the test part."""

    variant: str
    seed: int
    model: object
    history: dict
    test_accuracy: float
    seconds: float
    data: dict

    @property
    def gap(self) -> float:
        """Accuracy on the training digits (as they are, no augmentation, no dropout) minus
        validation accuracy, after the last epoch."""
        return self.history["clean_accuracy"][-1] - self.history["val_accuracy"][-1]

    def summary(self) -> dict:
        h = self.history
        return {"variant": self.variant, "seed": self.seed, "epochs": len(h["loss"]),
                "accuracy": h["accuracy"][-1], "clean_accuracy": h["clean_accuracy"][-1],
                "val_accuracy": h["val_accuracy"][-1],
                "gap": self.gap, "best_val_loss_epoch": int(np.argmin(h["val_loss"])) + 1,
                "test_accuracy": self.test_accuracy, "seconds": self.seconds}


def train(variant: str = "plain", seed: int = 0, epochs: int = EPOCHS, per_digit: int = PER_DIGIT,
          verbose: int = 0) -> Run:
    """Train one variant of ``VARIANTS`` on ``per_digit`` digits per class, deterministically.

    Adam (learning rate 0.001), batches of 32, sparse categorical cross-entropy; validation on
    the 500 validation digits after every epoch; the test digits are used once, at the end.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {list(VARIANTS)}, got {variant!r}")
    augmentation, dropout = VARIANTS[variant]
    models.set_determinism(seed)
    data = small_split(per_digit, seed)
    k = models.keras()
    model = build(augmentation, dropout)
    model.compile(optimizer=k.optimizers.Adam(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    clean = _clean_training_scores(k, data["train"])
    t0 = time.perf_counter()
    hist = model.fit(data["train"].images, data["train"].labels, epochs=epochs, batch_size=BATCH_SIZE,
                     validation_data=(data["validation"].images, data["validation"].labels),
                     shuffle=True, verbose=verbose, callbacks=[clean])
    seconds = time.perf_counter() - t0
    history = {key: [float(v) for v in values] for key, values in hist.history.items()}
    history.update(clean.history)
    return Run(variant, seed, model, history, _accuracy(model, data["test"]), seconds, data)


def _scores(model, split: Split) -> tuple[float, float]:
    """(cross-entropy, accuracy) of ``model`` on ``split``, in inference mode (no augmentation,
    no dropout)."""
    k = models.keras()
    probs = np.asarray(model(split.images, training=False))
    loss = float(np.mean(k.losses.sparse_categorical_crossentropy(split.labels, probs)))
    return loss, float(np.mean(np.argmax(probs, axis=1) == split.labels))


def _accuracy(model, split: Split) -> float:
    return _scores(model, split)[1]


def _clean_training_scores(k, split: Split):
    """A callback recording, after every epoch, loss and accuracy on the training digits as they
    are (``clean_loss``, ``clean_accuracy``). Keras's own ``accuracy`` is measured on the
    augmented digits, with dropout on, while the weights still change during the epoch."""

    class CleanScores(k.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.history = {"clean_loss": [], "clean_accuracy": []}

        def on_epoch_end(self, epoch, logs=None):
            loss, acc = _scores(self.model, split)
            self.history["clean_loss"].append(loss)
            self.history["clean_accuracy"].append(acc)

    return CleanScores()


def layer_outputs(model, images, names=("conv1", "conv2", "conv3")) -> dict[str, np.ndarray]:
    """The activation maps (after ReLU) of the named layers for ``images`` (n, 28, 28, 1)."""
    k = models.keras()
    probe = k.Model(model.inputs, [model.get_layer(n).output for n in names])
    outs = probe.predict(np.asarray(images, dtype=np.float32), batch_size=500, verbose=0)
    return dict(zip(names, outs if isinstance(outs, list) else [outs]))


def class_selectivity(maps, labels, n_classes: int = CLASSES) -> np.ndarray:
    """For each channel of ``maps`` (n, H, W, C): how much more it responds to its favourite
    digit than to the others, ``(m_best - m_rest) / (m_best + m_rest)`` in [0, 1], where m is
    the channel's mean activation over the images of one digit (0 = the same for every digit,
    1 = it responds to one digit only). Channels that never respond get NaN."""
    means = class_means(maps, labels, n_classes)                        # (C, 10)
    best = means.max(axis=1)
    rest = (means.sum(axis=1) - best) / (n_classes - 1)
    total = best + rest
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (best - rest) / total, np.nan)


def class_means(maps, labels, n_classes: int = CLASSES) -> np.ndarray:
    """(C, 10): each channel's mean activation over the images of each digit."""
    per_image = np.asarray(maps, dtype=np.float64).mean(axis=(1, 2))
    labels = np.asarray(labels)
    return np.stack([per_image[labels == d].mean(axis=0) for d in range(n_classes)], axis=1)


# ----------------------------------------------------------------------------- figures
def curves_figure(runs, titles=None):
    """Loss and accuracy per epoch for each run (one column each): the training digits as they
    are (solid), the validation digits (dashed) and, where they differ, Keras's own training
    numbers measured on augmented digits with dropout on (dotted)."""
    import matplotlib.pyplot as plt

    runs = list(runs)
    fig, axes = plt.subplots(2, len(runs), figsize=(4.2 * len(runs), 5.6), facecolor="white", dpi=80,
                             squeeze=False, sharey="row")
    for col, run in enumerate(runs):
        h = run.history
        epochs = np.arange(1, len(h["loss"]) + 1)
        augmented = any(VARIANTS[run.variant])
        for row, (key, name) in enumerate((("loss", "cross-entropy"), ("accuracy", "accuracy"))):
            ax = axes[row, col]
            ax.plot(epochs, h["clean_" + key], "-", color="#1f77b4", label="training digits")
            ax.plot(epochs, h["val_" + key], "--", color="#d62728", label="validation digits")
            if augmented:
                ax.plot(epochs, h[key], ":", color="#555555", label="Keras's training number")
            ax.set_title(f"{titles[col] if titles else run.variant}: {name}", fontsize=10)
            ax.set_xlabel("epoch"), ax.grid(alpha=0.3)
            if key == "loss":
                ax.set_yscale("log")
            ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def kernels_grid(kernels, ncols: int = 8, size: float = 0.8, title: str = ""):
    """The first layer's (k, k, 1, F) kernels as a grid, one shared colour scale: red adds ink
    under it to the response, blue subtracts it."""
    import matplotlib.pyplot as plt

    k = np.asarray(kernels)[:, :, 0, :]
    f = k.shape[-1]
    nrows = int(np.ceil(f / ncols))
    lim = float(np.abs(k).max()) or 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.5), facecolor="white",
                             dpi=80, squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.set_xticks([]), ax.set_yticks([])
        if i < f:
            ax.imshow(k[..., i], cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        else:
            ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def selectivity_figure(means_by_layer: dict, n_channels: int = 24):
    """For each layer a (channels x digits) picture of the mean activation per digit, each
    channel scaled to its own maximum: flat rows respond to every digit alike, a single bright
    cell means a channel that answers one digit. Shows the ``n_channels`` most active ones."""
    import matplotlib.pyplot as plt

    names = list(means_by_layer)
    fig, axes = plt.subplots(1, len(names), figsize=(2.6 * len(names), 4.4), facecolor="white", dpi=80,
                             squeeze=False)
    for ax, name in zip(axes[0], names):
        m = np.asarray(means_by_layer[name])
        m = m[np.argsort(m.max(axis=1))[::-1][:n_channels]]
        ax.imshow(m / np.where(m.max(axis=1, keepdims=True) > 0, m.max(axis=1, keepdims=True), 1.0),
                  cmap="magma", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(CLASSES)), ax.set_yticks([])
        ax.set_xlabel("digit"), ax.set_title(name, fontsize=10)
    axes[0, 0].set_ylabel(f"the {n_channels} most active channels")
    fig.tight_layout()
    return fig

"""Chapter 17's comparisons of classic designs on Fashion-MNIST: which designs, trained how,
and what the chapter reads from the recorded runs.

The designs themselves are layer lists of ``helpers.designs``; this module adds the one the
chapter needs beyond them, ``lenet5_bn`` (LeNet-5 with batch normalization, d2l.ai §8.5), and
fixes the recipes of the three recorded experiments (``benchmarks.experiments``):

* ``"classic-designs"``: ``DESIGNS`` (LeNet-5 as d2l.ai §7.6 has it, its ReLU + max pooling
  variant, a small VGG, the same with a global-average-pooling head, an MLP of matching size),
  each trained with Adam for ``EPOCHS`` epochs on the 6,000 training photos, for every seed;
* ``"batchnorm"``: LeNet-5 with and without batch normalization, plain SGD at each of
  ``BN_LEARNING_RATES``, on ``BN_PER_CLASS`` photos of each class, the per-epoch curves
  kept (epochs to reach ``BN_TARGET``);
* ``"residual"``: ``designs.plain_deep(DEPTH)`` against ``designs.resnet_like(DEPTH)``, the
  same convs with and without skips, the training loss per epoch, and the validation accuracy
  three ways: in inference with the moving statistics the training left, with each batch's own
  statistics (``batch_statistics_accuracy``), and after ``reestimate_statistics``.

``epochs_to_reach`` reads a curve; ``spread`` turns recorded numbers into the (low, high)
ranges the chapter prints.
"""

from __future__ import annotations

import numpy as np

from . import designs, fashion, network, tfenv, validate
from .network import Activation, BatchNorm, Conv, Dense, Flatten, Pool

SEEDS = (0, 1, 2, 3, 4)

# "classic-designs": every design with the same optimiser, epochs and photos
EPOCHS = 5
LEARNING_RATE = 1e-3  # Adam


def lenet5_bn() -> list:
    """LeNet-5 of d2l.ai §8.5: ``designs.lenet5`` with batch normalization after every conv and
    hidden Dense layer, before its sigmoid (those layers lose their own activation)."""
    return [
        Conv(6, 5, padding="same", activation=None),
        BatchNorm(),
        Activation("sigmoid"),
        Pool(2, 2, kind="avg"),
        Conv(16, 5, activation=None),
        BatchNorm(),
        Activation("sigmoid"),
        Pool(2, 2, kind="avg"),
        Flatten(),
        Dense(120),
        BatchNorm(),
        Activation("sigmoid"),
        Dense(84),
        BatchNorm(),
        Activation("sigmoid"),
        Dense(designs.CLASSES),
    ]


def designs_compared() -> dict[str, list]:
    """The "classic-designs" experiment's designs by name, as layer lists."""
    return {
        "LeNet-5": designs.lenet5(),
        "LeNet-5, ReLU + max": designs.lenet5_relu_max(),
        "small VGG": designs.small_vgg(),
        "small VGG, GAP head": designs.gap_head("gap"),
        "MLP, same size": designs.mlp_matching(designs.parameters(designs.small_vgg())),
    }


DESIGNS = tuple(designs_compared())

# "batchnorm": LeNet-5 with and without batch normalization, plain SGD
BN_VARIANTS = {"without BN": designs.lenet5, "with BN": lenet5_bn}
BN_LEARNING_RATES = (0.01, 0.1, 1.0)
BN_EPOCHS = 6
BN_PER_CLASS = 300  # 3,000 training photos: three rates, two variants, five seeds
BN_TARGET = 0.50  # the validation accuracy whose first epoch the chapter counts

# "residual": the same deep convs with and without skips
DEPTH = 12
DEEP_WIDTH = 8
DEEP_PER_CLASS = 200
DEEP_EPOCHS = 8
RESIDUAL_VARIANTS = {"plain": designs.plain_deep, "with skips": designs.resnet_like}


def build(layers) -> object:
    """A fresh Keras model of a layer list, for 28×28×1 photos."""
    return network.to_keras(designs.INPUT_SHAPE, layers)


def train_design(name: str, seed: int, epochs: int = EPOCHS) -> fashion.Run:
    """One design of ``DESIGNS`` as the "classic-designs" experiment trains it."""
    layers = designs_compared()[name]
    return fashion.train(name, lambda: build(layers), seed, epochs, learning_rate=LEARNING_RATE)


def train_bn(variant: str, learning_rate: float, seed: int) -> fashion.Run:
    """LeNet-5 without or with batch normalization, plain SGD, as the "batchnorm" experiment."""
    layers = BN_VARIANTS[variant]()
    return fashion.train(
        f"LeNet-5 {variant}",
        lambda: build(layers),
        seed,
        BN_EPOCHS,
        optimizer_name="sgd",
        learning_rate=learning_rate,
        per_class=BN_PER_CLASS,
    )


def train_deep(variant: str, seed: int) -> fashion.Run:
    """The deep net without or with skips, as the "residual" experiment trains it."""
    layers = RESIDUAL_VARIANTS[variant](DEPTH, DEEP_WIDTH)
    return fashion.train(
        f"depth {DEPTH} {variant}",
        lambda: build(layers),
        seed,
        DEEP_EPOCHS,
        per_class=DEEP_PER_CLASS,
    )


def batchnorm_layers(model) -> list:
    """Every ``BatchNormalization`` layer of a Keras model, in order."""
    bn = tfenv.keras().layers.BatchNormalization
    return [layer for layer in model.layers if isinstance(layer, bn)]


def _moving(layers) -> list:
    return [(layer.moving_mean.numpy(), layer.moving_variance.numpy()) for layer in layers]


def _restore(layers, saved) -> None:
    for layer, (mean, var) in zip(layers, saved):
        layer.moving_mean.assign(mean)
        layer.moving_variance.assign(var)


def reestimate_statistics(model, images) -> None:
    """Replace every batch-normalization layer's moving mean and variance by the statistics of
    ``images``: one call in training mode with ``momentum`` 0, so that the moving statistics become
    the batch's, then ``momentum`` as it was. The weights do not change."""
    layers = batchnorm_layers(model)
    if not layers:
        raise ValueError("model has no BatchNormalization layer: there are no statistics to re-estimate")
    kept = [layer.momentum for layer in layers]
    for layer in layers:
        layer.momentum = 0.0
    try:
        model(np.asarray(images, dtype=np.float32), training=True)
    finally:
        for layer, momentum in zip(layers, kept):
            layer.momentum = momentum


def batch_statistics_accuracy(model, images, labels, batch_size: int = 64) -> float:
    """The accuracy when each batch of ``batch_size`` photos is normalised with its own statistics
    (training mode), as during training; the moving statistics are left as they were."""
    batch_size = validate.positive_integer("batch_size", batch_size)
    layers = batchnorm_layers(model)
    saved = _moving(layers)
    try:
        scores = [
            np.asarray(model(np.asarray(images[i : i + batch_size], dtype=np.float32), training=True))
            for i in range(0, len(images), batch_size)
        ]
    finally:
        _restore(layers, saved)
    return float(np.mean(np.concatenate(scores).argmax(axis=1) == np.asarray(labels)))


def validation_three_ways(run: fashion.Run) -> dict:
    """A deep run's validation accuracy with the moving statistics, with each batch's own, and
    after re-estimating the moving statistics on its training photos; the run's model is left as
    it was."""
    parts = fashion.splits(per_class=DEEP_PER_CLASS, seed=run.seed)
    val, layers = parts["validation"], batchnorm_layers(run.model)
    moving = fashion.accuracy(run.model, val)
    per_batch = batch_statistics_accuracy(run.model, val.images, val.labels)
    saved = _moving(layers)
    try:
        reestimate_statistics(run.model, parts["train"].images)
        reestimated = fashion.accuracy(run.model, val)
    finally:
        _restore(layers, saved)
    return {
        "val_accuracy_moving": moving,
        "val_accuracy_batch_statistics": per_batch,
        "val_accuracy_reestimated": reestimated,
    }


def epochs_to_reach(curve, target: float) -> int | None:
    """The first epoch (counted from 1) whose value reaches ``target``; None if none does."""
    target = validate.number("target", target)
    return next((i + 1 for i, v in enumerate(curve) if v >= target), None)


def spread(values) -> tuple[float, float]:
    """The lowest and the highest of recorded values."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("spread needs at least one value")
    return min(values), max(values)


# What the chapter promises, from the five recorded seeds with room for other machines of this
# kind (every recorded seed, and the chapter's fresh runs, must lie inside: tests/test_classic.py).
#: "classic-designs": test accuracy after ``EPOCHS`` epochs
EXPECTED_TEST = {
    "LeNet-5": (0.60, 0.77),
    "LeNet-5, ReLU + max": (0.78, 0.88),
    "small VGG": (0.79, 0.89),
    "small VGG, GAP head": (0.70, 0.83),
    "MLP, same size": (0.79, 0.88),
}
#: "batchnorm": the last validation accuracy, by (variant, learning rate)
EXPECTED_BN = {
    **{("without BN", lr): (0.0, 0.12) for lr in BN_LEARNING_RATES},
    ("with BN", 0.01): (0.30, 0.80),
    ("with BN", 0.1): (0.30, 0.85),
    ("with BN", 1.0): (0.62, 0.88),
}
#: "residual": the training loss after ``DEEP_EPOCHS`` epochs
EXPECTED_DEEP = {"plain": (0.55, 0.95), "with skips": (0.40, 0.72)}
#: "residual": the validation accuracy after re-estimating the moving statistics (both variants)
EXPECTED_DEEP_REESTIMATED = (0.55, 0.85)

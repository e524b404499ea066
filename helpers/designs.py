"""The classic CNN designs of Part IV as layer lists for 28×28×1 photos and 10 classes: LeNet-5,
VGG blocks, a deep plain net and the same depth with skips, a global-average-pooling head and
an MLP of a chosen size.

Each design is a function returning a list of ``helpers.network`` specs, so one list gives the
paper trace (``network.trace``), the Keras model (``network.to_keras``) and the figure. The
parameter counts live nowhere else: the chapters trace the designs.

The deep pair (``plain_deep``, ``resnet_like``) holds the same 3×3 convs with batch
normalization, ``depth`` of them, in the same two stages: the first conv strides 2 (28 -> 14,
``width`` filters), the first conv of the second half strides 2 again (14 -> 7, twice the
filters); global average pooling and Dense(10) end both. Only the skips differ, so a
difference in training is the skips'. The 1×1 convs of the residual blocks' shortcuts (where
the shape changes) are not counted in the depth, as in the ResNet paper.
"""

from __future__ import annotations

from . import validate
from .network import (
    Activation,
    BatchNorm,
    Conv,
    Dense,
    Flatten,
    GlobalAvgPool,
    Pool,
    Residual,
    trace,
)

#: Fashion-MNIST: 28×28 grey photos of clothes, 10 classes.
INPUT_SHAPE = (28, 28, 1)
CLASSES = 10
#: ``small_vgg``'s blocks: (convs, filters) each, the filters doubling (28 -> 14 -> 7 -> 3).
VGG_ARCH = ((1, 16), (1, 32), (1, 64))
#: The filters of the deep pair's first stage (the second has twice as many).
DEEP_WIDTH = 16
GAP_HEADS = ("gap", "flatten")


def vgg_block(n_convs: int, filters: int) -> list:
    """A VGG block (Simonyan & Zisserman 2014; d2l.ai §8.2): ``n_convs`` 3×3 same-padded ReLU
    convs of ``filters`` filters, then 2×2 max pooling, which halves the height and width."""
    n_convs = validate.positive_integer("n_convs", n_convs)
    filters = validate.positive_integer("filters", filters)
    return [Conv(filters, 3, padding="same") for _ in range(n_convs)] + [Pool(2)]


def lenet5() -> list:
    """LeNet-5 exactly as d2l.ai §7.6 (LeCun et al. 1998): sigmoid convs, average pooling."""
    return [
        Conv(6, 5, padding="same", activation="sigmoid"),
        Pool(2, 2, kind="avg"),
        Conv(16, 5, activation="sigmoid"),
        Pool(2, 2, kind="avg"),
        Flatten(),
        Dense(120, "sigmoid"),
        Dense(84, "sigmoid"),
        Dense(CLASSES),
    ]


def lenet5_relu_max() -> list:
    """LeNet-5 of d2l.ai §7.6 modernised (its exercise 1): ReLU activations and max pooling."""
    return [
        Conv(6, 5, padding="same", activation="relu"),
        Pool(2, 2),
        Conv(16, 5, activation="relu"),
        Pool(2, 2),
        Flatten(),
        Dense(120, "relu"),
        Dense(84, "relu"),
        Dense(CLASSES),
    ]


def _conv_part(arch) -> list:
    """The VGG blocks of ``arch``, ``((convs, filters), ...)``, one after the other."""
    return [spec for n_convs, filters in arch for spec in vgg_block(n_convs, filters)]


def small_vgg(arch=VGG_ARCH, units: int = 64) -> list:
    """A small VGG-style net (d2l.ai §8.2, scaled down): ``arch`` blocks, Dense(units, relu)."""
    units = validate.positive_integer("units", units)
    return _conv_part(arch) + [Flatten(), Dense(units, "relu"), Dense(CLASSES)]


def gap_head(head: str = "gap", arch=VGG_ARCH) -> list:
    """The convs of ``small_vgg`` ending in GlobalAvgPool -> Dense(10) (NiN, Lin et al. 2013;
    d2l.ai §8.3) with ``head="gap"``, or Flatten -> Dense(10) with ``head="flatten"``."""
    if head not in GAP_HEADS:
        raise ValueError(f"head must be one of {GAP_HEADS}, got {head!r}")
    return _conv_part(arch) + [GlobalAvgPool() if head == "gap" else Flatten(), Dense(CLASSES)]


def _deep_plan(depth, width) -> list[tuple[int, int]]:
    """``(filters, stride)`` of each of the deep pair's ``depth`` convs (see the module)."""
    depth, width = validate.positive_integer("depth", depth), validate.positive_integer("width", width)
    if depth % 2:
        raise ValueError(f"depth must be an even number of convs (a residual block holds two), got {depth}")
    second = 2 * (depth // 4) or depth  # the first conv of the second stage, at a block's start
    return [(width if i < second else 2 * width, 2 if i in (0, second) else 1) for i in range(depth)]


def plain_deep(depth: int, width: int = DEEP_WIDTH) -> list:
    """A plain deep net (He et al. 2016, §4.1): ``depth`` 3×3 convs, each -> BN -> ReLU."""
    convs = [
        [Conv(filters, 3, stride, "same", activation=None), BatchNorm(), Activation("relu")]
        for filters, stride in _deep_plan(depth, width)
    ]
    return [spec for conv in convs for spec in conv] + [GlobalAvgPool(), Dense(CLASSES)]


def resnet_like(depth: int, width: int = DEEP_WIDTH) -> list:
    """``plain_deep`` with skips (He et al. 2016; d2l.ai §8.6): ``depth / 2`` residual blocks."""
    blocks = [Residual(filters, stride) for filters, stride in _deep_plan(depth, width)[::2]]
    return blocks + [GlobalAvgPool(), Dense(CLASSES)]


def mlp(hidden: int) -> list:
    """A multilayer perceptron (d2l.ai §5.1): Flatten -> Dense(hidden, relu) -> Dense(10)."""
    hidden = validate.positive_integer("hidden", hidden)
    return [Flatten(), Dense(hidden, "relu"), Dense(CLASSES)]


def parameters(layers, input_shape=INPUT_SHAPE) -> int:
    """The total parameter count of a layer list, traced."""
    return sum(row["params"] for row in trace(input_shape, layers))


def mlp_matching(params: int) -> list:
    """The ``mlp`` (d2l.ai §5.1) whose parameter count is nearest ``params`` (a CNN's, say)."""
    params = validate.positive_integer("params", params)
    one, two = parameters(mlp(1)), parameters(mlp(2))  # the count grows by two - one per unit
    guess = max(1, 1 + round((params - one) / (two - one)))
    best = min(range(max(1, guess - 1), guess + 2), key=lambda h: (abs(parameters(mlp(h)) - params), h))
    return mlp(best)

"""A whole (small) CNN on paper: output shapes and parameter counts layer by layer, and the
article's model as a layer list - the one source of its shape chain.

``trace`` walks a list of layer specs (``Conv``, ``Pool`` - max or average -, ``Flatten``,
``GlobalAvgPool``, ``Dense``, ``BatchNorm``, ``Activation`` and the ``Residual`` block) and
computes every output shape and parameter count, and how many of them are trainable, with
``ops.output_size``, ``ops.conv_params`` and ``ops.dense_params`` - no framework - so the book
can put its own table beside Keras's ``model.summary()`` and the tests can compare them.
``to_keras`` builds the same list in Keras: a ``keras.Sequential``, or a functional model when
a residual block (a fork and an addition, not a chain) is in it; ``keras_rows`` reads its layers
back as rows that line up with the trace.

``article_layers(filters=, kernel=, pool=, units=)`` is the article's model (Conv2D(10, 5×5,
relu) -> MaxPooling2D(2×2) -> Flatten -> Dense(1)) with every setting an argument;
``article_parameters`` and ``article_shapes`` trace it. The Keras builders of
``helpers.models.article_cnn``, the exercises and the chapters take their numbers from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import ops, tfenv, validate

# ----------------------------------------------------------------------------- layer specs
#: The pooling kinds a ``Pool`` spec takes: Keras's MaxPooling2D and AveragePooling2D.
POOL_KINDS = ("max", "avg")
#: The activations an ``Activation`` spec takes (Keras names).
ACTIVATIONS = ("relu", "sigmoid", "tanh", "softmax", "linear")


@dataclass(frozen=True)
class Conv:
    filters: int
    kernel: int
    stride: int = 1
    padding: str = "valid"
    activation: str | None = "relu"


@dataclass(frozen=True)
class Pool:
    size: int = 2
    stride: int | None = None
    padding: str = "valid"
    kind: str = "max"

    def __post_init__(self):
        if self.kind not in POOL_KINDS:
            raise ValueError(f"kind must be one of {POOL_KINDS}, got {self.kind!r}")


@dataclass(frozen=True)
class Flatten:
    pass


@dataclass(frozen=True)
class GlobalAvgPool:
    pass


@dataclass(frozen=True)
class Dense:
    units: int
    activation: str | None = None


@dataclass(frozen=True)
class BatchNorm:
    """Keras's BatchNormalization over the last axis: per channel a trainable scale γ and shift
    β, and a moving mean and variance that are updated, not trained."""


@dataclass(frozen=True)
class Activation:
    """An activation on its own (conv -> batch norm -> ReLU puts it after the normalization)."""

    name: str

    def __post_init__(self):
        if self.name not in ACTIVATIONS:
            raise ValueError(f"name must be one of {ACTIVATIONS}, got {self.name!r}")


@dataclass(frozen=True)
class Residual:
    """A basic residual block: conv 3×3 (stride, same) -> BN -> ReLU -> conv 3×3 (same) -> BN,
    plus the shortcut - the input itself when the shapes match, else a 1×1 conv with the stride
    (no BN on it) - added, then ReLU. The convs keep their biases, as in d2l.ai §8.6."""

    filters: int
    stride: int = 1

    def __post_init__(self):
        object.__setattr__(self, "filters", validate.positive_integer("filters", self.filters))
        object.__setattr__(self, "stride", validate.positive_integer("stride", self.stride))

    def main_path(self) -> list:
        """The block's main path as layer specs."""
        return [
            Conv(self.filters, 3, self.stride, "same", activation=None),
            BatchNorm(),
            Activation("relu"),
            Conv(self.filters, 3, 1, "same", activation=None),
            BatchNorm(),
        ]

    def shortcut(self, channels: int) -> list:
        """The shortcut for an input of ``channels`` channels as layer specs: none (the identity)
        when the main path keeps the shape, else one 1×1 conv with the block's stride."""
        if self.stride == 1 and channels == self.filters:
            return []
        return [Conv(self.filters, 1, self.stride, "valid", activation=None)]


#: The article's model: input, filters, kernel side, pooling window (= stride), Dense units.
ARTICLE_INPUT_SHAPE = (300, 300, 3)
ARTICLE_FILTERS = 10
ARTICLE_KERNEL = 5
ARTICLE_POOL = 2
ARTICLE_UNITS = 1


def article_layers(
    filters: int = ARTICLE_FILTERS,
    kernel: int = ARTICLE_KERNEL,
    pool: int | None = ARTICLE_POOL,
    units: int = ARTICLE_UNITS,
    activation: str | None = None,
) -> list:
    """The article's Keras model as a layer list: Conv2D(filters, kernel×kernel, relu) ->
    MaxPooling2D(pool×pool) -> Flatten -> Dense(units, activation). ``pool=None`` drops the
    pooling layer (to show what pooling does to the parameter count)."""
    filters, kernel, units = (
        validate.positive_integer(name, v)
        for name, v in (("filters", filters), ("kernel", kernel), ("units", units))
    )
    pool = None if pool is None else validate.positive_integer("pool", pool)
    layers = [Conv(filters, kernel)]
    if pool is not None:
        layers.append(Pool(pool))
    return layers + [Flatten(), Dense(units, activation=activation)]


def article_shapes(input_shape=ARTICLE_INPUT_SHAPE, **settings) -> dict:
    """Output shapes of the article's model: ``{"conv", "pool", "flatten", "dense"}`` (no
    ``"pool"`` when ``pool=None``); ``settings`` as ``article_layers``."""
    rows = trace(input_shape, article_layers(**settings))[1:]
    keys = ["conv"] + (["pool"] if settings.get("pool", ARTICLE_POOL) is not None else [])
    return dict(zip(keys + ["flatten", "dense"], (r["shape"] for r in rows)))


def article_parameters(input_shape=ARTICLE_INPUT_SHAPE, **settings) -> dict[str, int]:
    """The layer-by-layer parameter counts of the article's model: ``{"conv", "pool",
    "flatten" (the number of values Flatten passes on), "dense", "total"}``; ``settings`` as
    ``article_layers`` (e.g. ``filters=32``)."""
    rows = trace(input_shape, article_layers(**settings))
    conv, dense = rows[1]["params"], rows[-1]["params"]
    return {"conv": conv, "pool": 0, "flatten": rows[-2]["shape"][0], "dense": dense, "total": conv + dense}


def _step(shape: tuple, layer) -> tuple[tuple, int, int, str]:
    """``(output shape, params, trainable params, row name)`` of one non-residual layer spec."""
    if isinstance(layer, Conv):
        if len(shape) != 3:
            raise ValueError(f"Conv needs a 3-D input, got {shape}: put it before Flatten")
        h, w, c = shape
        shape = (
            ops.output_size(h, layer.kernel, layer.stride, layer.padding),
            ops.output_size(w, layer.kernel, layer.stride, layer.padding),
            layer.filters,
        )
        params = ops.conv_params(layer.kernel, layer.kernel, c, layer.filters)
        name = f"Conv2D({layer.filters}, {layer.kernel}×{layer.kernel}, s={layer.stride}, {layer.padding})"
    elif isinstance(layer, Pool):
        if len(shape) != 3:
            raise ValueError(f"Pool needs a 3-D input, got {shape}: put it before Flatten")
        h, w, c = shape
        s = layer.stride or layer.size
        shape = (
            ops.output_size(h, layer.size, s, layer.padding),
            ops.output_size(w, layer.size, s, layer.padding),
            c,
        )
        kind = "MaxPooling2D" if layer.kind == "max" else "AveragePooling2D"
        params, name = 0, f"{kind}({layer.size}×{layer.size})"
    elif isinstance(layer, Flatten):
        shape, params, name = (int(np.prod(shape)),), 0, "Flatten"
    elif isinstance(layer, GlobalAvgPool):
        shape, params, name = (shape[-1],), 0, "GlobalAveragePooling2D"
    elif isinstance(layer, Dense):
        if len(shape) != 1:
            raise ValueError(f"Dense needs a flat input, got shape {shape}: add Flatten() first")
        params = ops.dense_params(shape[0], layer.units)
        shape, name = (layer.units,), f"Dense({layer.units})"
    elif isinstance(layer, BatchNorm):
        # γ and β are trained; the moving mean and variance are updated by the layer itself
        return shape, 4 * shape[-1], 2 * shape[-1], "BatchNormalization"
    elif isinstance(layer, Activation):
        params, name = 0, f"Activation({layer.name})"
    else:
        raise TypeError(
            f"unknown layer spec {layer!r}; use Conv, Pool, Flatten, GlobalAvgPool, Dense, "
            "BatchNorm, Activation or Residual from helpers.network"
        )
    return shape, params, params, name


def _row(name: str, shape: tuple, params: int, trainable: int) -> dict:
    return {"layer": name, "shape": shape, "params": params, "trainable": trainable}


def _residual_row(shape: tuple, block: Residual) -> dict:
    """One row for a whole residual block; its ``"parts"`` are the rows of the layers inside."""
    if len(shape) != 3:
        raise ValueError(f"Residual needs a 3-D input, got {shape}: put it before Flatten")
    parts, main, skip = [], shape, shape
    for layer in block.main_path():
        main, params, trainable, name = _step(main, layer)
        parts.append(_row(name, main, params, trainable))
    shortcut = block.shortcut(shape[-1])
    for layer in shortcut:
        skip, params, trainable, name = _step(skip, layer)
        parts.append(_row(f"shortcut {name}", skip, params, trainable))
    parts += [_row("Add", main, 0, 0), _row("Activation(relu)", main, 0, 0)]
    kind = "1×1 shortcut" if shortcut else "identity shortcut"
    return {
        **_row(
            f"Residual({block.filters}, s={block.stride}, {kind})",
            main,
            sum(p["params"] for p in parts),
            sum(p["trainable"] for p in parts),
        ),
        "parts": parts,
    }


def trace(input_shape, layers) -> list[dict]:
    """One row per layer spec: ``{"layer", "shape", "params", "trainable"}``, starting with the
    input. ``"trainable"`` is the part of ``"params"`` that training changes: all of it except in
    batch normalization (its moving mean and variance are not trained).

    A ``Residual`` block is one row, its whole output shape and parameter count, so the rows
    line up with the specs; its row also holds ``"parts"``, the rows of the layers inside it
    (``trace_table(rows, parts=True)`` prints them under it).

    input_shape: ``(H, W, C)``; shapes are written without the batch axis.
    """
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    rows = [_row("Input", shape, 0, 0)]
    for layer in layers:
        if isinstance(layer, Residual):
            rows.append(_residual_row(shape, layer))
            shape = rows[-1]["shape"]
        else:
            shape, params, trainable, name = _step(shape, layer)
            rows.append(_row(name, shape, params, trainable))
    return rows


def trace_table(rows, parts: bool = False) -> str:
    """The trace as aligned text, with the total - to print beside ``model.summary()``. When
    some parameters are not trainable (batch normalization's moving statistics), a last line
    says how many of the total are. ``parts=True`` lists the layers inside each residual block
    under its row, indented (the total counts the block once)."""
    inner = [p for r in rows for p in r.get("parts", [])] if parts else []
    # the layer column is 34 wide, wider when a name needs it (a residual block's)
    width = max([34] + [len(r["layer"]) + 2 for r in rows] + [len(p["layer"]) + 6 for p in inner])
    lines = [f"{'layer':<{width}}{'output shape':<20}{'params':>10}"]
    for r in rows:
        lines.append(f"{r['layer']:<{width}}{r['shape']!s:<20}{r['params']:>10,}")
        if parts:
            lines += [
                f"  · {p['layer']:<{width - 4}}{p['shape']!s:<20}{p['params']:>10,}"
                for p in r.get("parts", [])
            ]
    total = sum(r["params"] for r in rows)
    lines.append(f"{'total':<{width + 20}}{total:>10,}")
    trainable = sum(r["trainable"] for r in rows)
    if trainable != total:
        lines.append(f"{'of which trainable':<{width + 20}}{trainable:>10,}")
    return "\n".join(lines)


def _keras_layer(keras, layer, name: str | None = None):
    """The Keras layer of one non-residual layer spec."""
    if isinstance(layer, Conv):
        return keras.layers.Conv2D(
            layer.filters,
            layer.kernel,
            strides=layer.stride,
            padding=layer.padding,
            activation=layer.activation,
            name=name,
        )
    if isinstance(layer, Pool):
        kind = keras.layers.MaxPooling2D if layer.kind == "max" else keras.layers.AveragePooling2D
        return kind(layer.size, strides=layer.stride, padding=layer.padding, name=name)
    if isinstance(layer, Flatten):
        return keras.layers.Flatten(name=name)
    if isinstance(layer, GlobalAvgPool):
        return keras.layers.GlobalAveragePooling2D(name=name)
    if isinstance(layer, Dense):
        return keras.layers.Dense(layer.units, activation=layer.activation, name=name)
    if isinstance(layer, BatchNorm):
        return keras.layers.BatchNormalization(name=name)
    if isinstance(layer, Activation):
        return keras.layers.Activation(layer.name, name=name)
    raise TypeError(f"unknown layer spec {layer!r}")


#: The Keras layers of residual block number n are named ``res{n}_...``; ``res{n}_out`` is its
#: last (the ReLU after the addition), whose output is the block's.
_BLOCK_NAME = re.compile(r"(res\d+)_")


def _keras_residual(keras, x, block: Residual, n: int):
    """Residual block number ``n`` applied to the Keras tensor ``x`` (functional API)."""
    main, names = x, ["conv1", "bn1", "relu1", "conv2", "bn2"]
    for layer, name in zip(block.main_path(), names):
        main = _keras_layer(keras, layer, f"res{n}_{name}")(main)
    skip = x
    for layer in block.shortcut(x.shape[-1]):
        skip = _keras_layer(keras, layer, f"res{n}_shortcut")(skip)
    added = keras.layers.Add(name=f"res{n}_add")([main, skip])
    return keras.layers.Activation("relu", name=f"res{n}_out")(added)


def to_keras(input_shape, layers):
    """The same layer list in Keras (built, randomly initialised): a ``keras.Sequential``, or,
    when it holds a ``Residual`` block (not a chain of layers), a functional ``keras.Model``
    whose layers of block n are named ``res{n}_conv1``, ..., ``res{n}_out``."""
    keras = tfenv.keras()
    inputs = keras.Input(shape=tuple(input_shape))
    if not any(isinstance(layer, Residual) for layer in layers):
        return keras.Sequential([inputs] + [_keras_layer(keras, layer) for layer in layers])
    x, blocks = inputs, 0
    for layer in layers:
        if isinstance(layer, Residual):
            blocks += 1
            x = _keras_residual(keras, x, layer, blocks)
        else:
            x = _keras_layer(keras, layer)(x)
    return keras.Model(inputs, x)


def keras_rows(model) -> list[dict]:
    """``{"layer", "shape", "params", "trainable"}`` of each Keras layer (shape without the
    batch axis), in the order of ``trace``'s rows after the input: the layers of a residual
    block built by ``to_keras`` are one row, named ``res{n}``, with their summed counts and the
    block's output shape."""
    keras = tfenv.keras()
    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
        row = _row(layer.name, tuple(layer.output.shape[1:]), layer.count_params(), trainable)
        block = _BLOCK_NAME.match(layer.name)
        if block is None:
            rows.append(row)
            continue
        if not rows or rows[-1]["layer"] != block[1]:
            rows.append(_row(block[1], None, 0, 0))
        rows[-1]["params"] += row["params"]
        rows[-1]["trainable"] += row["trainable"]
        if layer.name == f"{block[1]}_out":
            rows[-1]["shape"] = row["shape"]
    return rows

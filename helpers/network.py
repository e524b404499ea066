"""A whole (small) CNN on paper: output shapes and parameter counts layer by layer, and the
article's model as a layer list - the one source of its shape chain.

``trace`` walks a list of layer specs (``Conv``, ``Pool``, ``Flatten``, ``GlobalAvgPool``,
``Dense``) and computes every output shape and parameter count with ``ops.output_size``,
``ops.conv_params`` and ``ops.dense_params`` - no framework - so the book can put its own
table beside Keras's ``model.summary()`` and the tests can compare them. ``to_keras`` builds
the same list as a ``keras.Sequential``.

``article_layers(filters=, kernel=, pool=, units=)`` is the article's model (Conv2D(10, 5×5,
relu) -> MaxPooling2D(2×2) -> Flatten -> Dense(1)) with every setting an argument;
``article_parameters`` and ``article_shapes`` trace it. The Keras builders of
``helpers.models.article_cnn``, the exercises and the chapters take their numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ops, tfenv, validate


# ----------------------------------------------------------------------------- layer specs
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


def trace(input_shape, layers) -> list[dict]:
    """One row per layer: ``{"layer", "shape", "params"}``, starting with the input.

    input_shape: ``(H, W, C)``; shapes are written without the batch axis.
    """
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    rows = [{"layer": "Input", "shape": shape, "params": 0}]
    for layer in layers:
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
            name = (
                f"Conv2D({layer.filters}, {layer.kernel}×{layer.kernel}, s={layer.stride}, {layer.padding})"
            )
        elif isinstance(layer, Pool):
            h, w, c = shape
            s = layer.stride or layer.size
            shape = (
                ops.output_size(h, layer.size, s, layer.padding),
                ops.output_size(w, layer.size, s, layer.padding),
                c,
            )
            params, name = 0, f"MaxPooling2D({layer.size}×{layer.size})"
        elif isinstance(layer, Flatten):
            shape, params, name = (int(np.prod(shape)),), 0, "Flatten"
        elif isinstance(layer, GlobalAvgPool):
            shape, params, name = (shape[-1],), 0, "GlobalAveragePooling2D"
        elif isinstance(layer, Dense):
            if len(shape) != 1:
                raise ValueError(f"Dense needs a flat input, got shape {shape}: add Flatten() first")
            params = ops.dense_params(shape[0], layer.units)
            shape, name = (layer.units,), f"Dense({layer.units})"
        else:
            raise TypeError(
                f"unknown layer spec {layer!r}; use Conv, Pool, Flatten, "
                "GlobalAvgPool or Dense from helpers.network"
            )
        rows.append({"layer": name, "shape": shape, "params": params})
    return rows


def trace_table(rows) -> str:
    """The trace as aligned text, with the total - to print beside ``model.summary()``."""
    lines = [f"{'layer':<34}{'output shape':<20}{'params':>10}"]
    for r in rows:
        lines.append(f"{r['layer']:<34}{r['shape']!s:<20}{r['params']:>10,}")
    lines.append(f"{'total':<54}{sum(r['params'] for r in rows):>10,}")
    return "\n".join(lines)


def to_keras(input_shape, layers):
    """The same layer list as a ``keras.Sequential`` (built, randomly initialised)."""
    keras = tfenv.keras()
    out = [keras.Input(shape=tuple(input_shape))]
    for layer in layers:
        if isinstance(layer, Conv):
            out.append(
                keras.layers.Conv2D(
                    layer.filters,
                    layer.kernel,
                    strides=layer.stride,
                    padding=layer.padding,
                    activation=layer.activation,
                )
            )
        elif isinstance(layer, Pool):
            out.append(keras.layers.MaxPooling2D(layer.size, strides=layer.stride, padding=layer.padding))
        elif isinstance(layer, Flatten):
            out.append(keras.layers.Flatten())
        elif isinstance(layer, GlobalAvgPool):
            out.append(keras.layers.GlobalAveragePooling2D())
        elif isinstance(layer, Dense):
            out.append(keras.layers.Dense(layer.units, activation=layer.activation))
        else:
            raise TypeError(f"unknown layer spec {layer!r}")
    return keras.Sequential(out)


def keras_rows(model) -> list[dict]:
    """``(output shape without batch axis, parameter count)`` of each Keras layer."""
    return [
        {"layer": layer.name, "shape": tuple(layer.output.shape[1:]), "params": layer.count_params()}
        for layer in model.layers
    ]

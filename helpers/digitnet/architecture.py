"""The digit network's architecture: ``LAYERS``, the one description of its layers that the
Keras model, the NumPy forward pass, the export and the page's JavaScript read, and what
follows from it (shapes, parameter counts, tensor shapes, receptive fields), traced with
``helpers.network`` and ``helpers.receptive``.

Every function takes the layer list and the input shape as arguments (default: the book's
network), so a test can run the same code on another network.
"""

from __future__ import annotations

from .. import network, receptive

INPUT_SHAPE = (28, 28, 1)
KERNEL = 3
FILTERS = (8, 16)  # conv1, conv2
POOL = 2
CLASSES = 10

# (name, kind, settings) of every layer, in order: the one description of the architecture
# that build_model, the forward passes, the export and the page use. Kinds: "conv" (filters,
# kernel, stride, activation; no padding), "maxpool" (size, stride), "flatten", "dense"
# (units, activation). A layer with an activation leaves two maps: the values before it
# (named "linear", default the layer's name) and after it ("output"); any other layer one,
# its "output" (default the layer's name).
LAYERS = (
    (
        "conv1",
        "conv",
        {"filters": FILTERS[0], "kernel": KERNEL, "stride": 1, "activation": "relu", "output": "relu1"},
    ),
    ("pool1", "maxpool", {"size": POOL, "stride": POOL}),
    (
        "conv2",
        "conv",
        {"filters": FILTERS[1], "kernel": KERNEL, "stride": 1, "activation": "relu", "output": "relu2"},
    ),
    ("pool2", "maxpool", {"size": POOL, "stride": POOL}),
    ("flatten", "flatten", {}),
    (
        "dense",
        "dense",
        {"units": CLASSES, "activation": "softmax", "linear": "logits", "output": "probabilities"},
    ),
)
# the trainable tensors, in the order Keras' get_weights() returns them
TENSORS = ("conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias", "dense/kernel", "dense/bias")

KINDS = ("conv", "maxpool", "flatten", "dense")
ACTIVATIONS = (None, "relu", "softmax")


def layer_table(layers=LAYERS) -> list[dict]:
    """Every layer as one complete dict: ``name``, ``kind``, its settings with the defaults
    filled in (a conv's ``stride`` 1, a pool's ``stride`` its size, ``activation`` None) and
    the names of the maps it leaves (``linear`` if it has an activation, ``output``). This is
    what the export writes for the page."""
    rows, seen = [], {"input"}
    for name, kind, s in layers:
        row = _settings(name, kind, s)
        maps = _map_names(row, s)
        for m in maps.values():
            if m in seen:
                raise ValueError(f"layer {name!r}: map name {m!r} is used twice")
            seen.add(m)
        rows.append({**row, **maps})
    return rows


def _settings(name: str, kind: str, s: dict) -> dict:
    """One layer's name, kind and settings, with its stride and activation filled in."""
    if kind not in KINDS:
        raise ValueError(f"layer {name!r}: kind must be one of {KINDS}, got {kind!r}")
    row = {"name": name, "kind": kind, **{k: v for k, v in s.items() if k not in ("linear", "output")}}
    if kind == "conv":
        row.setdefault("stride", 1)
    elif kind == "maxpool":
        row.setdefault("stride", row["size"])
    if kind in ("conv", "dense"):
        row.setdefault("activation", None)
        if row["activation"] not in ACTIVATIONS:
            raise ValueError(
                f"layer {name!r}: activation must be one of {ACTIVATIONS}, got {row['activation']!r}"
            )
    return row


def _map_names(row: dict, s: dict) -> dict:
    """``{"linear": ..., "output": ...}`` for a layer with an activation (default: its name and
    ``name_activation``), ``{"output": ...}`` for any other (default: its name)."""
    name, activation = row["name"], row.get("activation")
    if activation:
        return {"linear": s.get("linear", name), "output": s.get("output", f"{name}_{activation}")}
    if "linear" in s:
        raise ValueError(f"layer {name!r} has no activation: it leaves one map, its 'output'")
    return {"output": s.get("output", name)}


def specs(layers=LAYERS) -> list:
    """The layers as the layer specs of ``helpers.network`` (``Conv``, ``Pool``, ...)."""
    out = []
    for row in layer_table(layers):
        kind = row["kind"]
        if kind == "conv":
            out.append(
                network.Conv(
                    row["filters"], row["kernel"], stride=row["stride"], activation=row["activation"]
                )
            )
        elif kind == "maxpool":
            out.append(network.Pool(row["size"], stride=row["stride"]))
        elif kind == "flatten":
            out.append(network.Flatten())
        else:
            out.append(network.Dense(row["units"], activation=row["activation"]))
    return out


def shapes(layers=LAYERS, input_shape=INPUT_SHAPE) -> list[tuple[str, tuple[int, ...], int]]:
    """(layer name, output shape, parameters) for every layer, traced by ``network.trace``."""
    rows = network.trace(input_shape, specs(layers))[1:]
    return [(name, r["shape"], r["params"]) for (name, _, _), r in zip(layers, rows)]


def parameter_count(layers=LAYERS, input_shape=INPUT_SHAPE) -> int:
    return sum(p for _, _, p in shapes(layers, input_shape))


def tensor_shapes(layers=LAYERS, input_shape=INPUT_SHAPE) -> dict[str, tuple[int, ...]]:
    """The shape of every trainable tensor (Keras layout: kernels (kh, kw, c_in, filters))."""
    out, c, flat = {}, input_shape[2], None
    for (name, kind, s), (_, shape, _) in zip(layers, shapes(layers, input_shape)):
        if kind == "conv":
            out[f"{name}/kernel"] = (s["kernel"], s["kernel"], c, s["filters"])
            out[f"{name}/bias"] = (s["filters"],)
            c = s["filters"]
        elif kind == "flatten":
            flat = shape[0]
        elif kind == "dense":
            out[f"{name}/kernel"], out[f"{name}/bias"] = (flat, s["units"]), (s["units"],)
            flat = s["units"]
    return out


def receptive_fields(layers=LAYERS, input_shape=INPUT_SHAPE) -> list[tuple[str, int, int]]:
    """(layer, receptive field side r, jump j) after each conv/pool layer: ``receptive.trace``,
    i.e. r_out = r_in + (k - 1)·j_in and j_out = j_in·s, from r = j = 1 on the input."""
    windows = [
        (name, spec)
        for (name, _, _), spec in zip(layers, specs(layers))
        if isinstance(spec, (network.Conv, network.Pool))
    ]
    rows = receptive.trace([spec for _, spec in windows], input_shape[0])[1:]
    return [(name, r["r"], r["j"]) for (name, _), r in zip(windows, rows)]

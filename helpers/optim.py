"""Chapter 18's small network on Fashion-MNIST, how its optimisers move one weight, how many
of its first layer's ReLUs are dead before training, and its seeded trainings with a learning-
rate schedule.

``build`` is the chapter's design (the one it writes on the page): two 3×3 convolution layers
with ReLU, each followed by 2×2 max pooling, then ``Flatten`` and a ``Dense`` layer of ten
logits. ``steps_by_hand`` applies the update rules of SGD, momentum and Adam to one weight in
NumPy, written as Keras computes them, and ``steps_by_keras`` lets the Keras optimiser do the
same, so that a test can hold the two to each other. ``dead_share`` counts the first layer's
ReLU outputs that are 0 for every photo. ``train`` is ``helpers.fashion.train`` with a
learning-rate schedule added (the comparison of section "A schedule" and the recorded
experiment ``lr-schedule``); every recipe the chapter compares is named in ``RECIPES``.
"""

from __future__ import annotations

import math

import numpy as np

from . import fashion, tfenv, validate

NAME = "ch18-cnn"  # the key under which helpers.fashion.train reuses this design's runs
FILTERS = (16, 32)
SEEDS = (0, 1, 2, 3, 4)
PER_CLASS = 200  # the recorded experiments: 2,000 training photos
EPOCHS = 6
BATCH_SIZE = 64
LIVE_PER_CLASS = 100  # the chapter's own trainings: 1,000 photos, 3 epochs
LIVE_EPOCHS = 3
DEFAULT_RATES = {"sgd": 0.01, "momentum": 0.01, "adam": 0.001}  # Keras's defaults
ADAM_RATES = (1e-5, 1e-3, 1e-1)  # too small, about right, too large
SGD_RATES = (0.001, 0.1, 1.0)  # the same for plain SGD
SCHEDULE_RATE = 0.01  # Adam's rate, constant or decayed by a cosine to 0
SCALES = ("unit", "standard", "raw")
INPUT_OPTIMIZERS = (("adam", 0.001), ("sgd", 0.1))
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7  # Keras's Adam defaults


def build():
    """The chapter's network: Conv(16, 3×3)-Pool-Conv(32, 3×3)-Pool-Flatten-Dense(10 logits)."""
    keras = tfenv.keras()
    return keras.Sequential(
        [
            keras.Input(shape=fashion.INPUT_SHAPE, name="photo"),
            keras.layers.Conv2D(FILTERS[0], 3, activation="relu", name="conv1"),
            keras.layers.MaxPooling2D(2, name="pool1"),
            keras.layers.Conv2D(FILTERS[1], 3, activation="relu", name="conv2"),
            keras.layers.MaxPooling2D(2, name="pool2"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(fashion.CLASSES, name="dense"),
        ],
        name="small_cnn",
    )


def same_design(model) -> bool:
    """True when ``model`` has ``build``'s layers: the same types, names and output shapes."""
    ref = build()

    def rows(m):
        return [(type(layer).__name__, layer.name, tuple(layer.output.shape)) for layer in m.layers]

    return rows(model) == rows(ref) and model.count_params() == ref.count_params()


# ------------------------------------------------------------------ one weight
def steps_by_hand(name: str, grad, w0: float, learning_rate: float, steps: int) -> list[dict]:
    """``steps`` updates of one weight by the rule of ``name`` ("sgd", "momentum" with 0.9,
    "adam" with Keras's defaults), as Keras computes them; ``grad(w)`` gives the gradient. One
    row a step: the gradient, the step taken and the new weight."""
    if name not in fashion.OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {fashion.OPTIMIZERS}, got {name!r}")
    steps = validate.positive_integer("steps", steps)
    w, v, m, s = float(w0), 0.0, 0.0, 0.0
    rows = []
    for t in range(1, steps + 1):
        g = float(grad(w))
        if name == "sgd":
            step = -learning_rate * g
        elif name == "momentum":
            v = fashion.MOMENTUM * v - learning_rate * g
            step = v
        else:
            m = BETA_1 * m + (1 - BETA_1) * g
            s = BETA_2 * s + (1 - BETA_2) * g * g
            rate = learning_rate * math.sqrt(1 - BETA_2**t) / (1 - BETA_1**t)
            step = -rate * m / (math.sqrt(s) + EPSILON)
        w += step
        rows.append({"t": t, "grad": g, "step": step, "w": w})
    return rows


def steps_by_keras(name: str, grad, w0: float, learning_rate: float, steps: int) -> list[float]:
    """The weight after each of ``steps`` updates by Keras's own optimiser (``fashion.optimizer``)."""
    keras = tfenv.keras()
    opt = fashion.optimizer(name, learning_rate)
    w = keras.Variable(np.float32(w0), dtype="float32")
    out = []
    for _ in range(validate.positive_integer("steps", steps)):
        g = np.float32(grad(float(np.asarray(w))))
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), w)])
        out.append(float(np.asarray(w)))
    return out


# ------------------------------------------------------------------ dead ReLUs
def relu_outputs(model, images: np.ndarray, layer: str = "conv1") -> np.ndarray:
    """``layer``'s outputs (after its ReLU) for ``images``."""
    keras = tfenv.keras()
    probe = keras.Model(model.inputs, model.get_layer(layer).output)
    return np.asarray(probe.predict(images, batch_size=1000, verbose=0))


def dead_share(model, images: np.ndarray, layer: str = "conv1") -> dict:
    """``layer``'s ReLU outputs (one per position and filter) that are 0: ``share``, the share
    of outputs that are 0 for every photo of ``images`` (dead units: no photo sends a gradient
    through them); ``per_filter``, that share for each filter's positions; ``zero_share``, the
    share of 0s among all outputs of all photos (what one photo sees on average)."""
    alive, zeros, total = None, 0, 0
    for start in range(0, len(images), 1000):
        out = relu_outputs(model, images[start : start + 1000], layer) > 0
        alive = out.any(axis=0) if alive is None else alive | out.any(axis=0)
        zeros, total = zeros + int((~out).sum()), total + out.size
    dead = ~alive
    return {
        "share": float(dead.mean()),
        "per_filter": dead.mean(axis=(0, 1)).tolist(),
        "zero_share": zeros / total,
    }


def dead_at_init(scale: str, seed: int, per_class: int | None = None) -> dict:
    """``dead_share`` of ``build()``'s conv1 before training (weights drawn with ``seed``), on
    the training photos scaled by ``scale``, with conv1's pre-activation sums on a background
    pixel (the photo's value 0) for each filter."""
    images = fashion.splits(scale, per_class, seed)["train"].images
    tfenv.set_determinism(seed)
    model = build()
    result = dead_share(model, images)
    kernel, bias = model.get_layer("conv1").get_weights()
    background = float(images.min())
    result["background"] = background
    result["background_sums"] = (background * kernel.sum(axis=(0, 1, 2)) + bias).tolist()
    result["kernel_sums"] = kernel.sum(axis=(0, 1, 2)).tolist()
    return result


# ------------------------------------------------------------------ schedules and training
def steps_per_epoch(per_class: int = PER_CLASS, batch_size: int = BATCH_SIZE) -> int:
    """Batches in one epoch of ``per_class`` photos of each class."""
    return math.ceil(per_class * fashion.CLASSES / batch_size)


def train(
    seed: int,
    kind: str = "cosine",
    learning_rate: float = SCHEDULE_RATE,
    epochs: int = EPOCHS,
    per_class: int = PER_CLASS,
) -> fashion.Run:
    """``build()`` trained with Adam whose rate is constant or falls by a cosine to 0 over the
    whole training (``kind``, ``helpers.fashion.schedule``), as ``helpers.fashion.train`` does
    (0-1 photos, batches of 64, logits)."""
    return fashion.train(
        f"{NAME}-{kind}",
        build,
        seed,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        optimizer_name="adam",
        learning_rate=learning_rate,
        per_class=per_class,
        decay=kind,
    )


def record_row(run: fashion.Run, **recipe) -> dict:
    """What a recorded experiment keeps of a run: its recipe, its summary and its curves."""
    return {**recipe, **run.summary(), "history": run.history}


def ranges(runs: list[dict], key: str, **match) -> tuple[float, float]:
    """(lowest, highest) of ``key`` over the recorded ``runs`` whose fields equal ``match``."""
    values = [r[key] for r in runs if all(r.get(k) == v for k, v in match.items())]
    if not values:
        raise ValueError(f"no recorded run matches {match}")
    return float(min(values)), float(max(values))

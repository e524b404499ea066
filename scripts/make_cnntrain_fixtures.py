"""Write ``tests/js/fixtures/cnntrain-tf.json.gz``, TensorFlow's side of the Node test of the
in-page training engine (``helpers/interactive/static/cnntrain.js``, ``tests/js/cnntrain.test.js``).

    .venv/bin/python scripts/make_cnntrain_fixtures.py           # write the fixture
    .venv/bin/python scripts/make_cnntrain_fixtures.py --check   # recompute, compare, write nothing

For a few designs (the chapter-16 network; a 5x5 kernel and a conv layer without ReLU; three
conv layers and a hidden dense layer) with fixed weights and two fixed batches of training
digits: Keras' loss and the gradient of every tensor (``tf.GradientTape``, every layer in
float64, so the reference is exact to float64 rounding), and three steps (gradients of batch
A, B, A) of Keras 3's SGD, SGD with momentum and Adam applied to the first design's weights.
Also numpy's float16 rounding of a table of numbers (the export stores earlier epochs as
float16). Arrays are stored as little-endian float64, base64. Deterministic on one thread
(``TF_NUM_INTRAOP_THREADS=1``, as ``make regenerate`` runs it): the same bytes on every run (gzip
mtime 0); with more threads TensorFlow may sum in another order and change the last bits.
``tests/test_cnntrain.py`` recomputes it and compares within a tolerance.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from helpers import tfenv  # noqa: E402 - TensorFlow quiet before it loads
from helpers.digitnet.export_file import save_gz_json  # noqa: E402

FIXTURE = ROOT / "tests" / "js" / "fixtures" / "cnntrain-tf.json.gz"
SEED = 0
BATCH = 16
# designs in cnntrain.js's format (its normalise completes them)
CH16 = [
    {"kind": "conv", "filters": 8, "kernel": 3, "activation": "relu"},
    {"kind": "maxpool"},
    {"kind": "conv", "filters": 16, "kernel": 3, "activation": "relu"},
    {"kind": "maxpool"},
    {"kind": "flatten"},
    {"kind": "dense", "units": 10, "activation": "softmax"},
]
DESIGNS = {
    "chapter 16": CH16,
    "5x5 kernel without ReLU": [
        {"kind": "conv", "filters": 6, "kernel": 5},
        {"kind": "maxpool"},
        {"kind": "conv", "filters": 8, "kernel": 3, "activation": "relu"},
        {"kind": "maxpool"},
        {"kind": "flatten"},
        {"kind": "dense", "units": 10, "activation": "softmax"},
    ],
    "three conv layers and a hidden dense layer": [
        {"kind": "conv", "filters": 4, "kernel": 3, "activation": "relu"},
        {"kind": "conv", "filters": 6, "kernel": 3},
        {"kind": "maxpool"},
        {"kind": "conv", "filters": 8, "kernel": 5, "activation": "relu"},
        {"kind": "maxpool"},
        {"kind": "flatten"},
        {"kind": "dense", "units": 16, "activation": "relu"},
        {"kind": "dense", "units": 10, "activation": "softmax"},
    ],
}
# Keras 3 optimisers and their settings (keras.optimizers.SGD / Adam); stepped on CH16
OPTIMIZERS = {
    "sgd": {"class": "SGD", "learning_rate": 0.05},
    "momentum": {"class": "SGD", "learning_rate": 0.05, "momentum": 0.9},
    "adam": {"class": "Adam", "learning_rate": 0.003},
}
STEP_BATCHES = ("A", "B", "A")


def _b64(a) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def _model(design):
    k = tfenv.keras()
    layers = [k.Input(shape=(28, 28, 1), dtype="float64")]
    for L in design:
        kind = L["kind"]
        if kind == "conv":
            layers.append(
                k.layers.Conv2D(L["filters"], L["kernel"], activation=L.get("activation"), dtype="float64")
            )
        elif kind == "maxpool":
            layers.append(k.layers.MaxPooling2D(2, dtype="float64"))
        elif kind == "flatten":
            layers.append(k.layers.Flatten(dtype="float64"))
        else:
            layers.append(k.layers.Dense(L["units"], activation=L.get("activation"), dtype="float64"))
    return k.Sequential(layers)


def _weights(model, rng) -> list[np.ndarray]:
    """Glorot-uniform-sized kernels and small nonzero biases, float32-representable values."""
    out = []
    for v in model.trainable_variables:
        shape = tuple(v.shape)
        if len(shape) > 1:
            area = math.prod(shape[:-2])
            limit = math.sqrt(6 / (area * (shape[-2] + shape[-1])))
            w = rng.uniform(-limit, limit, shape)
        else:
            w = rng.uniform(-0.1, 0.1, shape)
        out.append(w.astype(np.float32).astype(np.float64))
    return out


def _loss_and_grads(model, weights, x, y):
    tf, k = tfenv.tensorflow(), tfenv.keras()
    model.set_weights(weights)
    loss_fn = k.losses.SparseCategoricalCrossentropy(dtype="float64")  # no float32 cast
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    return float(loss), [g.numpy().astype(np.float64) for g in grads]


def _steps(weights, grads_by_batch, settings) -> list[np.ndarray]:
    """Keras' optimiser applied to float64 copies of the weights, one step per batch of
    STEP_BATCHES; the weights' change after the last step."""
    k = tfenv.keras()
    args = {key: v for key, v in settings.items() if key != "class"}
    opt = getattr(k.optimizers, settings["class"])(**args)
    variables = [k.Variable(w, dtype="float64") for w in weights]
    for b in STEP_BATCHES:
        opt.apply_gradients(zip([k.ops.convert_to_tensor(g) for g in grads_by_batch[b]], variables))
    return [v.numpy() - w for v, w in zip(variables, weights)]


def _float16_table(rng) -> dict:
    values = np.concatenate(
        [
            rng.normal(0, 1, 60),
            rng.normal(0, 1e-3, 30),
            rng.normal(0, 1e-6, 20),  # subnormal halves
            [0.0, -0.0, 1.0, -2.0, 65504.0, 65519.0, 65520.0, 1e6, -1e6, 2.0**-24, 2.0**-25, 3 * 2.0**-25],
            [1 + 2.0**-11, 1 + 3 * 2.0**-11, 2.0**-14, 2.0**-14 * (1 - 2.0**-11), 1e-9, 0.1, 1 / 3],
        ]
    )
    with np.errstate(over="ignore"):  # 65520 and 1e6 round to infinity, as they should
        bits = values.astype(np.float32).astype(np.float16).view(np.uint16)
    return {"values": [float(v) for v in values], "bits": [int(b) for b in bits]}


def fixture() -> dict:
    from helpers import digitnet

    tfenv.set_determinism(SEED)
    train = digitnet.load_split()["train"]
    # spread over the split (its rows are sorted by digit), so each batch holds every digit
    picked = np.arange(2 * BATCH) * (len(train) // (2 * BATCH))
    pixels = np.round(train.x[picked, ..., 0] * 255).astype(np.uint8)
    labels = train.y[picked].astype(np.int64)
    x = pixels[..., None].astype(np.float64) / 255.0
    batches = {"A": (x[:BATCH], labels[:BATCH]), "B": (x[BATCH:], labels[BATCH:])}
    rng = np.random.default_rng(SEED)
    designs = []
    for name, design in DESIGNS.items():
        model = _model(design)
        weights = _weights(model, rng)
        res = {b: _loss_and_grads(model, weights, *batches[b]) for b in batches}
        entry = {
            "name": name,
            "design": design,
            "tensors": [list(w.shape) for w in weights],
            "weights": [_b64(w) for w in weights],
            "loss": {b: res[b][0] for b in batches},
            "grads": {b: [_b64(g) for g in res[b][1]] for b in batches},
        }
        if design is CH16:
            grads = {b: res[b][1] for b in batches}
            entry["steps"] = {
                opt: {"settings": s, "delta": [_b64(d) for d in _steps(weights, grads, s)]}
                for opt, s in OPTIMIZERS.items()
            }
        designs.append(entry)
    k, tf = tfenv.keras(), tfenv.tensorflow()
    return {
        "about": "TensorFlow's loss, float64 gradients and Keras 3 optimiser steps for cnntrain.js; "
        "written by scripts/make_cnntrain_fixtures.py, checked by tests/test_cnntrain.py",
        "keras": k.__version__,
        "tensorflow": tf.__version__,
        "batch": BATCH,
        "rows": train.rows[picked].tolist(),
        "pixels": base64.b64encode(pixels.tobytes()).decode("ascii"),
        "labels": labels.tolist(),
        "step_batches": list(STEP_BATCHES),
        "designs": designs,
        "float16": _float16_table(rng),
    }


def load(path: Path = FIXTURE) -> dict:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; make it with scripts/make_cnntrain_fixtures.py")
    return json.loads(gzip.decompress(path.read_bytes()))


def arrays(texts) -> list[np.ndarray]:
    return [np.frombuffer(base64.b64decode(t), dtype="<f8") for t in texts]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="recompute and compare; write nothing")
    args = parser.parse_args(argv)
    new = fixture()
    if args.check:
        same = json.dumps(new, sort_keys=True) == json.dumps(load(), sort_keys=True)
        print("identical to the committed fixture" if same else "differs from the committed fixture")
        return 0 if same else 1
    path = save_gz_json(new, FIXTURE)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

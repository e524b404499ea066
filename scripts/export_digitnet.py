"""Train the in-page digit network (``helpers.digitnet``) with its seed and write the committed
export ``helpers/interactive/static/digitnet-weights.json`` (the trained weights bit for bit,
the weights after each earlier epoch as float16, and each epoch's metrics), plus the Node
tests' fixtures: Keras' outputs on every test digit (``tests/js/fixtures/digitnet-keras.json.gz``)
and the Python preprocessing of a table of inputs (``tests/js/fixtures/digitnet-preprocess.json.gz``).

    .venv/bin/python scripts/export_digitnet.py            # seed helpers.digitnet.SEED
    .venv/bin/python scripts/export_digitnet.py --check    # retrain, compare, write nothing
    .venv/bin/python scripts/export_digitnet.py --drawn    # the explorer's network instead

``--drawn`` trains the explorer's network instead (``helpers.digitnet.drawn_training``: twice
the filters, 8,000 digits redrawn as people draw) and writes
``helpers/interactive/static/digitnet-drawn-weights.json``, in the same format, with its recipe
and its accuracies on the validation digits and the three held-out sets (NumPy's forward pass
of the stored weights), and its Node fixture ``tests/js/fixtures/digitnet-drawn-keras.json.gz``
(Keras' outputs on the held-out MNIST test digits and on five UCI digits of each class).

The export and the fixtures are committed so that ``node --test`` needs no Python.
``tests/test_digitnet.py`` checks that they agree with each other and with Keras; it never
compares a fresh training with them, because another CPU trains another network (oneDNN picks
other kernels, training amplifies last-digit differences). ``--check`` does that comparison, bit
for bit, for a maintainer on the machine that made the export: it exits 1 and says by how much
the weights differ when they are not identical.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from helpers import digitnet, tfenv  # noqa: E402,F401 - tfenv: TensorFlow quiet before it loads
from helpers.digitnet.export_file import save_gz_json  # noqa: E402

FIXTURE = ROOT / "tests" / "js" / "fixtures" / "digitnet-keras.json.gz"
PREPROCESS_FIXTURE = ROOT / "tests" / "js" / "fixtures" / "digitnet-preprocess.json.gz"
DRAWN_FIXTURE = ROOT / "tests" / "js" / "fixtures" / "digitnet-drawn-keras.json.gz"
UCI_PER_DIGIT = 5  # UCI digits of each class in the drawn network's Node fixture


def fixture(run: digitnet.TrainingRun) -> dict:
    """Keras' probabilities for every test digit (and the digits themselves, uint8 as base64),
    for the Node test of the page's forward pass."""
    test = digitnet.load_split()["test"]
    pixels = np.round(test.x[..., 0] * 255).astype(np.uint8)
    return {
        "about": "Keras' softmax outputs of the exported digitnet on every held-out test digit; "
        "written by scripts/export_digitnet.py",
        "rows": test.rows.tolist(),
        "labels": test.y.tolist(),
        "pixels": base64.b64encode(pixels.tobytes()).decode("ascii"),
        "probabilities": [[float(p) for p in row] for row in run.test_probabilities.astype(np.float64)],
    }


def preprocess_inputs() -> list[dict]:
    """The table of inputs on which the Python and the JavaScript preprocessing must agree:
    canvases (RGBA, as the page reads them) and grey images of every kind the page meets."""
    from helpers import data

    rng = np.random.default_rng(0)
    images, labels, split = data.load_mnist_5k()
    cases = []

    def gray(name, g):
        cases.append(
            {
                "name": name,
                "kind": "gray",
                "shape": list(g.shape),
                "pixels": np.clip(np.round(g), 0, 255).astype(np.uint8),
            }
        )

    def rgba(name, a):
        cases.append({"name": name, "kind": "rgba", "shape": list(a.shape[:2]), "pixels": a.astype(np.uint8)})

    bar = np.full((280, 280), 255.0)
    bar[40:240, 130:152] = 0.0
    gray("vertical bar, black on white 280x280 (a drawn 1)", bar)
    gray("the same bar, white on black", 255 - bar)
    dot = np.zeros((280, 280))
    dot[30:36, 200:204] = 255.0
    gray("a 6x4 dot off-centre (scaled up)", dot)
    line = np.full((120, 300), 240.0)
    line[58:64, 10:290] = 30.0
    gray("a long horizontal line on grey paper, 120x300", line)
    ring = np.zeros((100, 100))
    ring[20:80, 20:80] = 255.0
    ring[30:70, 30:70] = 0.0
    gray("a symmetric square ring (centre of mass on a half pixel)", ring)
    gray("faint marks below the contrast limit", np.full((60, 60), 128.0) + (np.arange(60) % 2) * 20)
    for i in split["test"][::97][:5]:
        big = np.kron(images[i].astype(float), np.ones((10, 10)))
        gray(f"test digit row {i} (a {labels[i]}) x10, dark on light", 255 - big)
    paper = 185 + rng.normal(0, 6, (160, 220))
    paper[30:130, 95:108] = 60 + rng.normal(0, 6, (100, 13))
    paper[30:42, 70:108] = 60
    gray("a photo-like 7: noisy grey paper, 160x220", paper)
    canvas = np.zeros((280, 280, 4))
    canvas[60:220, 120:140] = (20, 20, 20, 255)  # black ink, transparent elsewhere
    canvas[60:70, 80:140] = (20, 20, 20, 200)
    rgba("RGBA canvas: ink on a transparent background", canvas)
    photo = np.zeros((90, 70, 4))
    photo[..., :3], photo[..., 3] = (250, 240, 200), 255
    photo[10:80, 30:40, :3] = (30, 40, 160)  # a blue-ink stroke on yellowish paper
    rgba("RGBA: blue ink on yellowish paper, 90x70", photo)
    return cases


def preprocess_fixture() -> dict:
    out = []
    for case in preprocess_inputs():
        px = case["pixels"]
        g = digitnet.luminance(px)
        res = digitnet.preprocess(g)
        row = {k: v for k, v in case.items() if k != "pixels"}
        row["pixels"] = base64.b64encode(px.tobytes()).decode("ascii")
        row["python"] = (
            None
            if res is None
            else {
                "image": res[0].ravel().tolist(),
                "polarity": res[1]["polarity"],
                "box": list(res[1]["box"]),
                "shift": list(res[1]["shift"]),
            }
        )
        out.append(row)
    return {
        "about": "helpers.digitnet.preprocess on a table of inputs, for the Node test of "
        "digitnet.js; written by scripts/export_digitnet.py",
        "settings": digitnet.PREPROCESSING,
        "cases": out,
    }


def write_fixture(run, path=FIXTURE) -> Path:
    return save_gz_json(fixture(run), path)


def write_preprocess_fixture(path=PREPROCESS_FIXTURE) -> Path:
    return save_gz_json(preprocess_fixture(), path)


def drawn_training_block(sets: dict, weights: dict) -> dict:
    """The explorer's export's ``training`` entry (besides seed, epochs and versions): the
    recipe, the size of every set and the accuracies NumPy's forward pass gives the stored
    weights on every held-out set."""
    from helpers.digitnet import augment, drawn_training

    return {
        "batch_size": digitnet.BATCH_SIZE,
        "optimizer": "Adam",
        "learning_rate": digitnet.LEARNING_RATE,
        "data": "data/mnist_5k.npz and data/mnist_more_5k.npz: 4,000 + 4,000 train, redrawn every "
        "epoch; 500 validation; held out: 500 + 1,000 MNIST test, 1,797 UCI (scikit-learn)",
        "augmentation": {
            "canvas": augment.CANVAS,
            "rotate_degrees": augment.ROTATE_DEGREES,
            "scale": list(augment.SCALE),
            "aspect": list(augment.ASPECT),
            "shift": augment.SHIFT,
            "thickness": {str(k): v for k, v in augment.THICKNESS.items()},
        },
        "sets": {name: len(y) for name, (_, y) in sets.items()},
        "accuracies": {k: round(v, 6) for k, v in drawn_training.forward_accuracies(weights, sets).items()},
    }


def _shortest(probabilities) -> list:
    """float32 probabilities as the shortest decimals that read back as the same float32
    (within 1e-7 of them as float64): a third of the fixture's bytes."""
    return [[float(str(np.float32(p))) for p in row] for row in probabilities]


def drawn_fixture(model, sets: dict) -> dict:
    """Keras' probabilities of the explorer's network on every held-out MNIST test digit
    (uint8, base64) and on ``UCI_PER_DIGIT`` UCI digits of each class (float32: the page's
    preprocessing of an upscaled UCI digit is not whole grey levels), for the Node test."""
    x_mnist, y_mnist = sets["mnist_test"]
    x_uci, y_uci = sets["uci"]
    pick = np.concatenate([np.flatnonzero(y_uci == d)[:UCI_PER_DIGIT] for d in range(10)])
    x = np.concatenate([x_mnist, x_uci[pick]])
    probabilities = model.predict(x, batch_size=500, verbose=0)
    n = len(y_mnist)
    return {
        "about": "Keras' softmax outputs of the explorer's network (digitnet-drawn-weights.json) on "
        "the held-out MNIST test digits and on some UCI digits; written by "
        "scripts/export_digitnet.py --drawn",
        "mnist": {
            "labels": y_mnist.tolist(),
            "pixels": base64.b64encode(np.round(x_mnist[..., 0] * 255).astype(np.uint8).tobytes()).decode(
                "ascii"
            ),
            "probabilities": _shortest(probabilities[:n]),
        },
        "uci": {
            "indices": pick.tolist(),
            "labels": y_uci[pick].tolist(),
            "pixels": base64.b64encode(x_uci[pick][..., 0].astype("<f4").tobytes()).decode("ascii"),
            "probabilities": _shortest(probabilities[n:]),
        },
    }


def main_drawn(seed: int, check: bool) -> int:
    from helpers.digitnet import drawn_training
    from helpers.digitnet.export_file import export_drawn, save_json

    sets = drawn_training.digit_sets()
    run = drawn_training.train_drawn(seed, sets=sets)
    layers = drawn_training.layers_with()
    weights = dict(zip(digitnet.tensor_shapes(layers), run.epoch_weights[-1]))
    training = drawn_training_block(sets, weights)
    print(
        f"trained in {run.seconds:.1f} s (fit), {digitnet.parameter_count(layers)} parameters; "
        f"accuracies (NumPy) {training['accuracies']}, (Keras) {run.accuracies}"
    )
    new = export_drawn(run, layers, training)
    if check:
        old = json.loads(digitnet.DRAWN_EXPORT_FILE.read_text())
        same = [a["weights"] == b["weights"] for a, b in zip(new["epochs"], old["epochs"])]
        print(f"epochs with bitwise identical weights: {sum(same)} of {len(same)}")
        return 0 if all(same) and len(new["epochs"]) == len(old["epochs"]) else 1
    fixture_path = save_gz_json(drawn_fixture(run.model, sets), DRAWN_FIXTURE)
    written = save_json(new, digitnet.DRAWN_EXPORT_FILE), fixture_path
    for path in written:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=digitnet.SEED)
    parser.add_argument(
        "--check", action="store_true", help="retrain and compare with the committed export; write nothing"
    )
    parser.add_argument(
        "--drawn", action="store_true", help="the explorer's network (drawn_training) instead"
    )
    args = parser.parse_args(argv)
    if args.drawn:
        return main_drawn(args.seed, args.check)
    run = digitnet.train(seed=args.seed)
    print(
        f"trained in {run.seconds:.1f} s (fit), test accuracy {run.test_accuracy:.4f}, "
        f"{digitnet.parameter_count()} parameters"
    )
    if args.check:
        new = digitnet.export(run)
        old = json.loads(digitnet.EXPORT_FILE.read_text())
        same = [a["weights"] == b["weights"] for a, b in zip(new["epochs"], old["epochs"])]
        print(f"epochs with bitwise identical weights: {sum(same)} of {len(same)}")
        shipped = digitnet.load_export()
        largest = max(float(np.abs(shipped.weights[n] - run.weights[n]).max()) for n in digitnet.TENSORS)
        print(
            f"largest difference of a final weight: {largest:.3g}; test accuracy retrained "
            f"{run.test_accuracy:.4f}, committed {shipped.meta['training']['test_accuracy']:.4f}"
        )
        return 0 if all(same) and len(new["epochs"]) == len(old["epochs"]) else 1
    path = digitnet.save_export(run)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    for path in (write_fixture(run), write_preprocess_fixture()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

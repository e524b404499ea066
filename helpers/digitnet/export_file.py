"""The export: ONE small JSON file that the page's JavaScript
(``helpers/interactive/static/digitnet.js``) loads and runs, written from a training run and
read back for the chapter and the tests.

It holds the architecture (``layer_table``: every layer's kind, sizes, strides, activation and
the names of the maps it leaves, so the page computes its forward pass, the sources of each map
and the receptive fields from it), the preprocessing settings, and for every epoch (0 = random
start) all weights, little-endian, base64, in ``tensors`` order: the trained network bit for
bit (float32), the earlier epochs of the "watch it learn" slider rounded to float16 (half the
bytes; each epoch still reads the validation digits exactly as its float32 weights do, which
tests/test_digitnet.py checks), with each epoch's training and validation metrics.

Two exports, one format: the chapter's network (``EXPORT_FILE``, ``export``: the recipe the
reader runs in the chapter) and the explorer's (``DRAWN_EXPORT_FILE``, ``export_drawn``: the
wider network of ``drawn_training``, trained on digits redrawn as people draw, with its
accuracies on the three held-out sets). ``load_export`` reads either: the tensors' shapes come
from the file.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import tfenv
from .architecture import INPUT_SHAPE, LAYERS, layer_table, parameter_count, tensor_shapes
from .keras_model import BATCH_SIZE, LEARNING_RATE, TrainingRun, build_model
from .preprocessing import PREPROCESSING

EXPORT_NAME = "digitnet-weights.json"
#: The committed export, a static file of the page, next to ``digitnet.js`` (the one place
#: this package names a file of ``helpers/interactive/``, by path: it never imports it).
EXPORT_FILE = Path(__file__).resolve().parent.parent / "interactive" / "static" / EXPORT_NAME
#: the explorer's network (``drawn_training``), next to it
DRAWN_EXPORT_NAME = "digitnet-drawn-weights.json"
DRAWN_EXPORT_FILE = EXPORT_FILE.with_name(DRAWN_EXPORT_NAME)
EXPORT_FORMAT = "digitnet/2"
#: how the weights of each epoch are stored: the network itself exactly, the earlier epochs of
#: the slider as float16 (little-endian, base64)
FINAL_DTYPE, EPOCH_DTYPE = "float32", "float16"
_DTYPES = {"float32": "<f4", "float16": "<f2"}


def encode_weights(arrays, dtype: str = FINAL_DTYPE) -> str:
    """Tensors (in ``tensors`` order) as one little-endian base64 blob of ``dtype``."""
    blob = b"".join(np.asarray(a, dtype=np.float32).astype(_DTYPES[dtype]).tobytes() for a in arrays)
    return base64.b64encode(blob).decode("ascii")


def decode_weights(text: str, dtype: str = FINAL_DTYPE, shapes=None) -> dict[str, np.ndarray]:
    """A blob back as float32 arrays by tensor name (``shapes``: default the network's
    ``tensor_shapes()``)."""
    if dtype not in _DTYPES:
        raise ValueError(f"weights dtype must be one of {sorted(_DTYPES)}, got {dtype!r}")
    blob = np.frombuffer(base64.b64decode(text), dtype=_DTYPES[dtype])
    out, start = {}, 0
    for name, shape in (tensor_shapes() if shapes is None else shapes).items():
        n = math.prod(shape)
        out[name] = blob[start : start + n].reshape(shape).astype(np.float32)
        start += n
    if start != blob.size:
        raise ValueError(f"a weights blob holds {blob.size} numbers, the network has {start}")
    return out


def network_meta(layers=LAYERS, input_shape=INPUT_SHAPE) -> dict:
    """The export's description of a network, without weights: format, input, preprocessing,
    ``layers`` (``layer_table``), ``tensors`` and ``parameters``."""
    return {
        "format": EXPORT_FORMAT,
        "input": {"shape": list(input_shape), "scale": "pixel / 255, 0 = no ink"},
        "preprocessing": PREPROCESSING,
        "layers": layer_table(layers),
        "tensors": [{"name": n, "shape": list(s)} for n, s in tensor_shapes(layers, input_shape).items()],
        "parameters": parameter_count(layers, input_shape),
    }


def epoch_rows(epoch_weights, history: dict, every: int = 1) -> list[dict]:
    """The epochs (0 = random start) of a run, every ``every``-th and the last: their weights
    (float32 for the last epoch, which is the network, float16 for the others) and their
    training and validation loss and accuracy."""
    rows, last = [], len(epoch_weights) - 1
    for e, weights in enumerate(epoch_weights):
        if e % every and e != last:
            continue
        dtype = FINAL_DTYPE if e == last else EPOCH_DTYPE
        rows.append(
            {
                "epoch": e,
                **{m: round(history[m][e], 6) for m in ("loss", "accuracy", "val_loss", "val_accuracy")},
                "dtype": dtype,
                "weights": encode_weights(weights, dtype),
            }
        )
    return rows


def _versions() -> dict:
    return {"keras": tfenv.keras().__version__, "tensorflow": tfenv.tensorflow().__version__}


def export(run: TrainingRun) -> dict:
    """What the page needs, as JSON-ready data: ``network_meta()``, the training recipe, and
    ``epoch_rows``."""
    return {
        **network_meta(),
        "training": {
            "seed": run.seed,
            "epochs": run.epochs,
            "batch_size": BATCH_SIZE,
            "optimizer": "Adam",
            "learning_rate": LEARNING_RATE,
            "data": "data/mnist_5k.npz: 4,000 train / 500 validation / 500 test",
            "test_accuracy": round(run.test_accuracy, 6),
            **_versions(),
        },
        "epochs": epoch_rows(run.epoch_weights, run.history),
    }


#: The explorer's export keeps every third epoch for its slider (and the last): its network is
#: 2.4 times the size of the chapter's, and every epoch of it would take the chapter's page over
#: the site's page-weight limit (bench_site.LIMIT_KB).
DRAWN_EPOCH_STEP = 3


def export_drawn(run, layers, training: dict) -> dict:
    """The explorer's export of a ``drawn_training.DrawnRun`` of the network ``layers``:
    ``network_meta(layers)``, ``training`` (the recipe and the accuracies, from the caller)
    with the library versions, and ``epoch_rows`` of every ``DRAWN_EPOCH_STEP``-th epoch."""
    return {
        **network_meta(layers),
        "training": {"seed": run.seed, "epochs": len(run.epoch_weights) - 1, **training, **_versions()},
        "epochs": epoch_rows(run.epoch_weights, run.history, DRAWN_EPOCH_STEP),
    }


def save_json(obj: dict, path) -> Path:
    """``obj`` as compact ASCII JSON at ``path``, via a temporary file."""
    path = Path(path)
    text = json.dumps(obj, separators=(",", ":")) + "\n"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="ascii")
    tmp.replace(path)
    return path


def save_export(run: TrainingRun, path=None) -> Path:
    """Write ``export(run)`` to ``path`` (default: the committed file), via a temporary file."""
    return save_json(export(run), path if path is not None else EXPORT_FILE)


def save_gz_json(obj, path) -> Path:
    """Write ``obj`` as compact ASCII JSON, gzipped with no timestamp (the same bytes on every
    run: a test fixture that a script rewrites shows no change when nothing changed), via a
    temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:
        f.write(json.dumps(obj, separators=(",", ":")).encode("ascii"))
    tmp.replace(path)
    return path


@dataclass
class Exported:
    """The exported network read back: ``epochs[e]`` holds the weights (by tensor name, as
    float32 arrays; the float16 epochs widened exactly) and the metrics of epoch e;
    ``weights`` are the final ones."""

    meta: dict
    epochs: list

    @property
    def weights(self) -> dict[str, np.ndarray]:
        return self.epochs[-1]["weights"]


def load_export(path=None) -> Exported:
    path = Path(path) if path is not None else EXPORT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; make it with scripts/export_digitnet.py")
    meta = json.loads(path.read_text(encoding="ascii"))
    if meta.get("format") != EXPORT_FORMAT:
        raise ValueError(f"{path} is not a {EXPORT_FORMAT} export (format {meta.get('format')!r})")
    shapes = {t["name"]: tuple(t["shape"]) for t in meta["tensors"]}
    epochs = [{**e, "weights": decode_weights(e["weights"], e["dtype"], shapes)} for e in meta["epochs"]]
    if meta["epochs"][-1]["dtype"] != FINAL_DTYPE:
        raise ValueError(f"{path}: the last epoch (the network) must be stored as {FINAL_DTYPE}")
    return Exported(meta, epochs)


def save_keras(path, exported: Exported | None = None) -> Path:
    """The exported (trained) network as a Keras file at ``path`` (``.keras``): the network of
    ``build_model`` with the export's final weights, saved with ``model.save``, so that a chapter
    can reuse a trained network with ``keras.models.load_model`` and train nothing. The file
    keeps the ``compile`` settings too, the optimiser's state built but untouched."""
    exported = exported or load_export()
    model = build_model()
    for layer in model.layers:
        names = [f"{layer.name}/kernel", f"{layer.name}/bias"]
        if names[0] in exported.weights:
            layer.set_weights([exported.weights[n] for n in names])
    model.optimizer.build(model.trainable_variables)  # saved with its (unused) optimiser state
    path = Path(path)
    model.save(path)
    return path

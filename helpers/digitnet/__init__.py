"""The in-page digit network of chapter 16: a 10-class CNN small enough to draw whole, its
deterministic training on the shipped MNIST digits, its export for the page, and the
MNIST-style preprocessing that turns a drawing into its 28×28 input.

The network (``LAYERS``), 5,258 parameters, every map small enough to draw::

    28×28×1 -> Conv(8, 3×3) + ReLU -> 26×26×8 -> MaxPool 2 -> 13×13×8
            -> Conv(16, 3×3) + ReLU -> 11×11×16 -> MaxPool 2 -> 5×5×16
            -> Flatten (400) -> Dense(10) + softmax

One job per module; everything is re-exported here (``from helpers import digitnet``):

* ``architecture``: ``LAYERS``, the one description of the layers, and what follows from it:
  ``layer_table`` (every layer complete: strides, activation, the names of its maps),
  ``shapes``, ``parameter_count``, ``tensor_shapes``, ``receptive_fields`` (traced with
  ``helpers.network`` and ``helpers.receptive``, the book's one size rule and one
  receptive-field recurrence);
* ``split``: ``load_split``, the fixed train / validation / test split of ``data/mnist_5k.npz``;
* ``keras_model``: ``build_model`` (Keras), ``train(seed)`` on the 4,000 training digits (Adam,
  seeded, TensorFlow's deterministic kernels), keeping the weights after every epoch;
* ``export_file``: ``export(run)`` / ``save_export`` / ``load_export``, those weights with each
  epoch's validation accuracy and the layer list in ONE small JSON file that the page's
  JavaScript (``helpers/interactive/static/digitnet.js``) runs; ``export_drawn``, the same for
  the explorer's network (``DRAWN_EXPORT_FILE``, trained by ``drawn_training``);
* ``numpy_forward``: ``forward(weights, image)``, the same forward pass in plain NumPy
  (float64), layer by layer, for the chapter and the tests; ``forward_batch`` / ``predict``,
  the same on many images at once;
* ``preprocessing``: ``preprocess(gray)`` and ``luminance``, the page's preprocessing in
  Python, step for step as in the JavaScript (the Node tests compare them on a table of inputs).
* ``other_sources``: ``uci_digits``, handwriting of other writers than MNIST's (scikit-learn's
  UCI digits) through that preprocessing, to measure how the network reads other hands;
* ``augment``: ``redraw`` / ``drawn_inputs``, MNIST digits redrawn as people draw (rotation,
  aspect, stroke thickness) and preprocessed as the page does;
* ``drawn_training``: ``train_drawn(seed)`` on all 8,000 training digits of ``data/`` redrawn
  every epoch, and ``accuracies`` on the held-out MNIST digits and the UCI digits.

None of them imports ``helpers.interactive`` (the page's package): the files of it they
use, the committed exports, are named by path (``EXPORT_FILE``, ``DRAWN_EXPORT_FILE``).
"""

from __future__ import annotations

from pathlib import Path

from .. import data  # noqa: F401 - digitnet.data: the module the split reads, for callers
from .architecture import (
    CLASSES,
    FILTERS,
    INPUT_SHAPE,
    KERNEL,
    LAYERS,
    POOL,
    TENSORS,
    layer_table,
    parameter_count,
    receptive_fields,
    shapes,
    specs,
    tensor_shapes,
)
from .export_file import (
    DRAWN_EXPORT_FILE,
    DRAWN_EXPORT_NAME,
    EPOCH_DTYPE,
    EXPORT_FILE,
    EXPORT_FORMAT,
    EXPORT_NAME,
    FINAL_DTYPE,
    Exported,
    decode_weights,
    encode_weights,
    export,
    load_export,
    network_meta,
    save_export,
    save_keras,
)
from .keras_model import (
    BATCH_SIZE,
    EPOCHS,
    EXPECTED_TEST_ACCURACY,
    LEARNING_RATE,
    SEED,
    TRAINING_SECONDS_LIMIT,
    TrainingRun,
    build_model,
    keras_layers,
    train,
)
from .numpy_forward import forward, forward_batch, predict
from .preprocessing import (
    BOX,
    CENTRE,
    INK_THRESHOLD,
    MIN_CONTRAST,
    PREPROCESSING,
    SIDE,
    luminance,
    preprocess,
)
from .split import DigitSet, load_split

#: the book's repository root (the chapter reads benchmark results below it)
ROOT = Path(__file__).resolve().parents[2]

__all__ = [
    "BATCH_SIZE",
    "BOX",
    "CENTRE",
    "CLASSES",
    "DRAWN_EXPORT_FILE",
    "DRAWN_EXPORT_NAME",
    "EPOCHS",
    "EPOCH_DTYPE",
    "EXPECTED_TEST_ACCURACY",
    "EXPORT_FILE",
    "EXPORT_FORMAT",
    "EXPORT_NAME",
    "FILTERS",
    "FINAL_DTYPE",
    "INK_THRESHOLD",
    "INPUT_SHAPE",
    "KERNEL",
    "LAYERS",
    "LEARNING_RATE",
    "MIN_CONTRAST",
    "POOL",
    "PREPROCESSING",
    "ROOT",
    "SEED",
    "SIDE",
    "TENSORS",
    "TRAINING_SECONDS_LIMIT",
    "DigitSet",
    "Exported",
    "TrainingRun",
    "build_model",
    "decode_weights",
    "encode_weights",
    "export",
    "forward",
    "forward_batch",
    "keras_layers",
    "layer_table",
    "load_export",
    "load_split",
    "luminance",
    "network_meta",
    "parameter_count",
    "predict",
    "preprocess",
    "receptive_fields",
    "save_export",
    "save_keras",
    "shapes",
    "specs",
    "tensor_shapes",
    "train",
]

"""The exercises of Part III (chapters 13-15): each expected value computed, never typed."""

from __future__ import annotations

import warnings

import numpy as np

from .. import network
from .registry import exercise


# ============================================================================ Part III
@exercise(
    "13.1",
    why="760 conv parameters + 148·148·10·2 weights + 2 biases = 438,842.",
    hint="the conv layer is unchanged; the Dense layer now has 2 outputs, each with "
    "a weight per flattened value and a bias",
)
def _ch13_dense2_softmax():
    return network.article_parameters(units=2)["total"]


@exercise(
    "13.2",
    why="Without pooling Flatten gives 296·296·10 = 876,160 values: 760 + 876,161 = 876,921 parameters.",
    hint="pooling has no parameters, but it shrinks what the Dense layer sees",
)
def _ch13_no_pooling():
    return network.article_parameters(pool=None)["total"]


@exercise(
    "13.3",
    why="Keras keeps int(23000·(1 − 0.2)) = 18,400 for training: 4,600 for validation.",
    hint="Keras splits at int(n·(1 − validation_split)) and validates on the rest",
)
def _ch13_split_02():
    n = 23_000
    return n - int(n * (1 - 0.2))


@exercise(
    "14.1",
    why="5·5·1·32 + 32 = 832 conv parameters and 12·12·32 + 1 = 4,609 in the Dense layer: 5,441.",
    hint="28 − 5 + 1 = 24, pooled to 12; the kernel depth is 1 for grey digits",
)
def _ch14_digits_params_32():
    return network.article_parameters((28, 28, 1), filters=32)["total"]


@exercise(
    "15.1",
    why="64 images × 300·300·3 values × 4 bytes = 69.12 MB.",
    hint="a float32 takes 4 bytes; count values per image first",
    tol=0.01,
)
def _ch15_batch_mb():
    return 64 * 300 * 300 * 3 * 4 / 1e6


@exercise(
    "13.4",
    why="Every prediction is 1.0 (a softmax over one output), i.e. 'dog', and the "
    "unshuffled validation_split holds only dogs: Keras reports 100 % validation "
    "accuracy for a model that has learnt nothing.",
    hint="what does the printed model predict for every image, and which images does "
    "validation_split=0.3 take when the cats were loaded first?",
    tol=0.05,
)
def _ch13_softmax_meets_validation_split():
    """The validation accuracy, in %, that Keras computes for the printed softmax model on the
    article's cats-then-dogs order: its predictions and Keras's own split and metric."""
    from .. import tfenv
    from ..models import article_cnn, training

    keras = tfenv.keras()
    n = article_cnn.ARTICLE_IMAGES
    _, val = training.keras_validation_split(np.repeat([0, 1], n // 2), 0.3)
    logits = np.random.default_rng(0).normal(size=(len(val), 1)).astype(np.float32)
    with warnings.catch_warnings():  # Keras warns that this softmax is always 1: that is the point
        warnings.simplefilter("ignore", UserWarning)
        predictions = keras.activations.softmax(keras.ops.convert_to_tensor(logits), axis=-1)
    # 'accuracy' with one output unit is binary accuracy (tests/test_exercises.py checks it in fit)
    metric = keras.metrics.BinaryAccuracy()
    metric.update_state(val.reshape(-1, 1).astype(np.float32), predictions)
    return 100 * float(metric.result())


def _ch14b_conv1_why() -> str:
    from .. import overfit

    _, n, k = overfit.CONV[0]
    return f"{n} kernels of {k}·{k}·1 weights plus {n} biases: {_ch14b_conv1_params()}."


@exercise(
    "14b.1",
    why=lambda: _ch14b_conv1_why(),
    hint="weights per kernel = 5·5·(input channels); one bias per kernel",
)
def _ch14b_conv1_params():
    from .. import overfit

    return overfit.build().get_layer("conv1").count_params()


#: the rate of exercise 14b.2: not the chapter's 0.5, so the Dropout cell does not answer it
DROPOUT_EXERCISE_RATE = 0.2
DROPOUT_EXERCISE_VALUE = 3.0


def _ch14b_dropout_why() -> str:
    rate, value = DROPOUT_EXERCISE_RATE, DROPOUT_EXERCISE_VALUE
    return (
        f"Kept values are divided by 1 − {rate:g} = {1 - rate:g}: {value:g} becomes "
        f"{_ch14b_dropout_kept_value():g}, so the expected sum reaching the next layer is the "
        f"same as in predict."
    )


@exercise(
    "14b.2",
    why=lambda: _ch14b_dropout_why(),
    hint="Keras scales the values it keeps so that their expected sum does not change",
)
def _ch14b_dropout_kept_value():
    """What Keras's Dropout(DROPOUT_EXERCISE_RATE) passes on for a kept value, measured on the
    layer itself."""
    from .. import tfenv

    keras = tfenv.keras()
    x = np.full((1, 64), DROPOUT_EXERCISE_VALUE, np.float32)
    out = np.asarray(keras.layers.Dropout(DROPOUT_EXERCISE_RATE, seed=0)(x, training=True))
    kept = out[out != 0]
    if not len(kept) or not np.allclose(kept, kept[0]):
        raise RuntimeError(f"unexpected Dropout output {out}")
    return float(kept[0])


def _folders(names, root):
    """One small PNG in ``root/<name>/`` for each name: a folder tree as Keras's loader reads it."""
    from PIL import Image

    for name in names:
        (root / name).mkdir(parents=True)
        Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(root / name / "0.png")
    return root


@exercise(
    "15.2",
    why="The conv layer keeps 5·5·3·10 + 10 = 760; global average pooling has none and leaves "
    "10 numbers, so Dense(1) has 10 + 1 = 11: 771 in all, whatever the image size.",
    hint="GlobalAveragePooling2D turns each map into one number: count the Dense layer's inputs",
)
def _ch15_gap_params():
    from .. import tfenv

    keras = tfenv.keras()
    model = keras.Sequential(
        [
            keras.Input(shape=(300, 300, 3)),
            keras.layers.Conv2D(10, (5, 5), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    return model.count_params()


@exercise(
    "15.3",
    why="Keras numbers the folders in alphabetical order: retriever = 0, tabby = 1, and a sigmoid "
    "output is the probability of class 1, so 0.9 means tabby.",
    hint="print train.class_names: which folder is class 1, and what does a sigmoid give the probability of?",
    options=("retriever", "tabby"),
)
def _ch15_sigmoid_class():
    import tempfile
    from pathlib import Path

    from .. import tfenv

    keras = tfenv.keras()
    with tempfile.TemporaryDirectory() as tmp:
        root = _folders(("tabby", "retriever"), Path(tmp))
        ds = keras.utils.image_dataset_from_directory(
            root, image_size=(8, 8), label_mode="binary", verbose=False
        )
        return ds.class_names[1]


@exercise(
    "15.4",
    why="label_mode='binary' needs exactly two class folders: with three, Keras stops with a "
    "ValueError before reading any image. Use label_mode='int' and a softmax over three outputs.",
    hint="a binary label is one number, 0 or 1: what could the third folder be?",
    options=("error", "ignored", "trains"),
)
def _ch15_binary_three_folders():
    import tempfile
    from pathlib import Path

    from .. import tfenv

    keras = tfenv.keras()
    with tempfile.TemporaryDirectory() as tmp:
        root = _folders(("Cat", "Dog", "Bird"), Path(tmp))
        try:
            ds = keras.utils.image_dataset_from_directory(
                root, image_size=(8, 8), label_mode="binary", verbose=False
            )
        except ValueError:
            return "error"
        return "trains" if len(ds.class_names) == 3 else "ignored"

"""The exercises of Part III (chapters 13-15): each expected value computed, never typed."""

from __future__ import annotations

import functools

import numpy as np

from .. import network
from .registry import exercise


# ============================================================================ Part III
def _ch14_no_pooling_why() -> str:
    counts = network.article_parameters((28, 28, 1), pool=None)
    return (
        f"Without pooling, Flatten passes all 24·24·10 = {counts['flatten']:,} values on: the Dense "
        f"layer has {counts['dense']:,} parameters, the conv layer still {counts['conv']:,}, together "
        f"{_ch14_no_pooling():,}. Then compare your accuracy prediction with the run below."
    )


@exercise(
    "14.5",
    why=lambda: _ch14_no_pooling_why(),
    hint="pooling has no parameters, but it shrinks what the Dense layer sees: 24×24×10 instead of 12×12×10",
)
def _ch14_no_pooling():
    return network.article_parameters((28, 28, 1), pool=None)["total"]


#: exercise 14.2: one recorded seed of the scaling experiment, its two runs in this order
#: (a = scaled, b = raw); the chapter shows seed 0's training losses, not this seed's
SCALING_EXERCISE_SEED = 2
SCALING_EXERCISE_ORDER = (True, False)


def scaling_exercise_runs() -> dict[str, dict]:
    """{"a": run, "b": run}: the two recorded runs of ``SCALING_EXERCISE_SEED``, in the order
    ``SCALING_EXERCISE_ORDER`` (benchmarks/results/experiments/digits-scaling.json)."""
    from .. import perfnotes

    runs = {(r["seed"], r["scaled"]): r for r in perfnotes.experiment("digits-scaling")["runs"]}
    return {
        letter: runs[SCALING_EXERCISE_SEED, scaled] for letter, scaled in zip("ab", SCALING_EXERCISE_ORDER)
    }


def _ch14_raw_letter_why() -> str:
    runs = scaling_exercise_runs()
    raw = _ch14_raw_letter()
    other = "a" if raw == "b" else "b"
    r, o = runs[raw], runs[other]
    return (
        f"Run {raw}: its training loss fell to {r['final_loss']:.4f}, "
        f"{o['final_loss'] / r['final_loss']:.0f} times lower than run {other}'s {o['final_loss']:.4f}, "
        f"while its validation accuracy is about "
        f"the same ({r['val_accuracy']:.3f} against {o['val_accuracy']:.3f}) and its test accuracy lower "
        f"({r['test_accuracy']:.3f} against {o['test_accuracy']:.3f}): the raw pixels' huge inputs let it "
        f"grow certain about the training digits, the overfitting signature."
    )


@exercise(
    "14.2",
    why=lambda: _ch14_raw_letter_why(),
    hint="a training loss close to 0 without a better validation accuracy is the signature",
    options=("a", "b"),
)
def _ch14_raw_letter():
    return next(letter for letter, run in scaling_exercise_runs().items() if not run["scaled"])


#: exercise 14.3: the test digit (its position in digitnet's test part) that the reader scans
SCAN_EXERCISE_POSITION = 164
SCAN_MARGIN = 12  # white paper around the 84×84 digit


def scan_of(digit):
    """A digit of the shipped data (28, 28, 1) in 0-1 as a scanner would give it: 3 times
    larger (84×84), dark ink (0) on white paper (255), with a white margin (the chapter writes
    the same lines)."""
    return np.pad(
        255 - np.kron(255 * np.asarray(digit)[..., 0], np.ones((3, 3))), SCAN_MARGIN, constant_values=255
    )


def read_scan(model, scan) -> np.ndarray:
    """The ten probabilities ``model`` gives a scan: digitnet's preprocessing (28×28 ink 0-255),
    scaled to 0-1, as a batch of one."""
    from .. import digitnet

    image, _ = digitnet.preprocess(scan)
    return model.predict((image / 255.0).reshape(1, 28, 28, 1).astype("float32"), verbose=0)[0]


@functools.cache
def _ch14_scan_probabilities() -> np.ndarray:
    import tempfile
    from pathlib import Path

    from .. import digitnet, tfenv

    keras = tfenv.keras()
    with tempfile.TemporaryDirectory() as folder:
        model = keras.models.load_model(digitnet.save_keras(Path(folder) / "digitnet.keras"))
        digit = digitnet.load_split()["test"].x[SCAN_EXERCISE_POSITION]
        return read_scan(model, scan_of(digit))


def _ch14_scan_why() -> str:
    p = _ch14_scan_probabilities()
    second = int(np.argsort(p)[-2])
    return (
        f"The loaded network gives the scan its highest probability, {p.max():.2f}, for a "
        f"{int(p.argmax())} (next: a {second}, {p[second]:.2f})."
    )


@exercise(
    "14.3",
    why=lambda: _ch14_scan_why(),
    hint="preprocess the scan with digitnet.preprocess, divide by 255, reshape to (1, 28, 28, 1), "
    "predict, and take the digit with the highest probability (np.argmax)",
)
def _ch14_scan_digit():
    return int(np.argmax(_ch14_scan_probabilities()))


def standardising_numbers() -> tuple[float, float]:
    """(mean, standard deviation) of the pixels of chapter 14's 600 training digits (0-1)."""
    from .. import data

    train, _, _ = data.split_digits(data.load_digits_4_9(), n_val=200, n_test=200, seed=0)
    x = train.images.astype(np.float64)
    return float(x.mean()), float(x.std())


@exercise(
    "14.4",
    why=lambda: (
        f"(0 − {standardising_numbers()[0]:.3f}) / {standardising_numbers()[1]:.3f} = "
        f"{_ch14_blank_standardised():.2f}: the blank paper, most of every digit, becomes a small "
        f"negative number, the ink large positive ones."
    ),
    hint="standardising subtracts the training pixels' mean and divides by their standard deviation",
    tol=0.01,
)
def _ch14_blank_standardised():
    mean, std = standardising_numbers()
    return (0.0 - mean) / std


@exercise(
    "15.1",
    why=lambda: f"64 images × 300·300·3 values × 4 bytes = {_ch15_batch_mb():.2f} MB.",
    hint="a float32 takes 4 bytes; count values per image first",
    tol=0.01,
)
def _ch15_batch_mb():
    return 64 * 300 * 300 * 3 * 4 / 1e6


@exercise(
    "13.1",
    why=lambda: (
        f"{_ch13_logit_half_scale():.2f}: twice the logit on the photo scaled to [0, 1], "
        f"{_ch13_logits()[0]:.2f}. The biases start at 0, and ReLU, max pooling and the Dense "
        "layer all pass a positive factor through, so the logit grows with the input's scale."
    ),
    hint="the photo divided by 127.5 is twice the photo divided by 255: how does each layer "
    "pass a factor of 2 on, while the biases are still 0?",
    tol=0.01,
)
def _ch13_logit_half_scale():
    return _ch13_logits()[1]


def _ch13_logits() -> tuple[float, float]:
    """The untrained corrected model's logit (seed 0) for the cat photo divided by 255 and by
    127.5: computed by the model, not by the factor."""
    from .. import data, tfenv
    from ..models import article_cnn, probe

    crop = data.sample_photos(("chelsea",))["chelsea"]
    tfenv.set_determinism(0)
    model = article_cnn.corrected_model()
    return tuple(float(probe.logits(model, crop / np.float32(d))[0]) for d in (255, 127.5))


def _ch13_always_dog(labels, validation_split: float) -> tuple[float, float]:
    """Keras's accuracy, in %, on the training and the validation part of ``labels`` (0 cat,
    1 dog) for a model that outputs 1.0 for every image, as the printed softmax model does:
    Keras's own split and its own metric ('accuracy' with one output unit is binary accuracy)."""
    from .. import tfenv
    from ..models import training

    keras = tfenv.keras()
    train, val = training.keras_validation_split(labels, validation_split)
    shares = []
    for part in (train, val):
        metric = keras.metrics.BinaryAccuracy()
        metric.update_state(part.reshape(-1, 1).astype(np.float32), np.ones((len(part), 1), np.float32))
        shares.append(100 * float(metric.result()))
    return shares[0], shares[1]


def _ch13_cats_then_dogs() -> np.ndarray:
    from ..models import article_cnn

    return np.repeat([0, 1], article_cnn.ARTICLE_IMAGES // 2)


def _ch13_split_06_why() -> str:
    train, val = _ch13_split(_ch13_cats_then_dogs(), 0.6)
    return (
        f"{_ch13_always_dog(_ch13_cats_then_dogs(), 0.6)[1]:.1f} %: Keras trains on the first "
        f"{len(train):,} images, all cats, and validates on the last {len(val):,}: "
        f"{int(np.sum(val == 0)):,} cats and {int(np.sum(val == 1)):,} dogs. A model that says 'dog' "
        "for every image is right on the dogs only."
    )


@exercise(
    "13.2",
    why=lambda: _ch13_split_06_why(),
    hint=lambda: (
        f"where does Keras cut {len(_ch13_cats_then_dogs()):,} images at validation_split=0.6, and how "
        "many of the images after the cut are dogs?"
    ),
    tol=0.05,
)
def _ch13_split_06():
    return _ch13_always_dog(_ch13_cats_then_dogs(), 0.6)[1]


def _ch13_orders() -> dict:
    """The loading orders of exercise 13.3: cats first, dogs first, shuffled (seed 0)."""
    cats_first = _ch13_cats_then_dogs()
    return {
        "a": cats_first,
        "b": 1 - cats_first,
        "c": np.random.default_rng(0).permutation(cats_first),
    }


#: exercise 13.3: the loading order the reader's report comes from (the question quotes the
#: accuracies Keras reports for it, measured by ``_ch13_report``)
ORDER_EXERCISE_SCENARIO = "dogs first"


def _ch13_split(labels, share: float = 0.3):
    from ..models import training

    return training.keras_validation_split(labels, share)


def _ch13_report() -> tuple[float, float]:
    """Keras's accuracies (%) on the training and validation parts for the model that says 'dog'
    everywhere, with the photos loaded as ``ORDER_EXERCISE_SCENARIO`` says."""
    labels = {"dogs first": 1 - _ch13_cats_then_dogs()}[ORDER_EXERCISE_SCENARIO]
    return _ch13_always_dog(labels, 0.3)


def _ch13_order_why() -> str:
    orders = _ch13_orders()
    train, val = _ch13_split(orders["b"])
    cats_first = _ch13_always_dog(orders["a"], 0.3)
    shuffled = _ch13_always_dog(orders["c"], 0.3)
    return (
        f"b: with the dogs loaded first, the training part holds {int(np.sum(train == 1)):,} dogs and "
        f"{int(np.sum(train == 0)):,} cats, so 'dog' everywhere is right on "
        f"{_ch13_always_dog(orders['b'], 0.3)[0]:.1f} % of it, and the last {len(val):,} images, all "
        f"cats, are all wrong. Cats first gives {cats_first[0]:.1f} % and {cats_first[1]:.1f} %; a "
        f"shuffled order {shuffled[0]:.1f} % and {shuffled[1]:.1f} %."
    )


@exercise(
    "13.3",
    why=lambda: _ch13_order_why(),
    hint=lambda: (
        f"work out, for each order, which images fall after Keras's cut at "
        f"{len(_ch13_split(_ch13_cats_then_dogs())[0]):,}, and what a model that always says 'dog' "
        "scores on each part"
    ),
    options=("a", "b", "c"),
)
def _ch13_which_order():
    report = _ch13_report()
    for option, labels in _ch13_orders().items():
        shares = _ch13_always_dog(labels, 0.3)
        if all(abs(a - b) < 0.05 for a, b in zip(shares, report)):
            return option
    raise AssertionError("no loading order gives the report of exercise 13.3")


@exercise(
    "13.4",
    why=lambda: (
        f"{_ch13_shuffled_val_cats():,} of the {len(_ch13_split(_ch13_orders()['c'])[1]):,} validation "
        "images are cats once the labels are shuffled before the split: about half, instead of none."
    ),
    hint="labels = np.random.default_rng(0).permutation(labels_in_order); then split with "
    "training.keras_validation_split(labels, 0.3) and count the zeros of the validation part",
)
def _ch13_shuffled_val_cats():
    from ..models import training

    _, val = training.keras_validation_split(_ch13_orders()["c"], 0.3)
    return int(np.sum(val == 0))


def _ch13_head_total(pooling) -> int:
    layers = [network.Conv(10, 5), network.Pool(2), pooling, network.Dense(1, "sigmoid")]
    return sum(row["params"] for row in network.trace(network.ARTICLE_INPUT_SHAPE, layers))


def _ch13_head_why() -> str:
    conv = network.article_parameters()["conv"]
    return (
        f"{_ch13_gap_total():,}: a global pooling layer in place of Flatten (GlobalAveragePooling2D, "
        f"or GlobalMaxPooling2D) turns each of the 10 maps into one number, whatever its size, so "
        f"Dense(1) has 10 weights + 1 bias, after the convolution's {conv:,}: the same count at "
        f"300×300 and at 600×600."
    )


@exercise(
    "13.6",
    why=lambda: _ch13_head_why(),
    hint=lambda: (
        "which layer turns a map of any size into one number? Then count the Dense layer's weights "
        f"and bias, and add the convolution's {network.article_parameters()['conv']:,}"
    ),
)
def _ch13_gap_total():
    return _ch13_head_total(network.GlobalAvgPool())


#: exercise 14b.5: conv2's filters in the reader's variant of the network (the chapter's: 64)
CONV2_EXERCISE_FILTERS = 48


def _ch14b_variant(conv2_filters: int):
    """The chapter's plain network with ``conv2_filters`` filters in conv2."""
    from .. import overfit, tfenv

    keras = tfenv.keras()
    layers = [keras.Input(shape=overfit.INPUT_SHAPE)]
    for i, (name, filters, side) in enumerate(overfit.CONV):
        filters = conv2_filters if name == "conv2" else filters
        layers.append(keras.layers.Conv2D(filters, side, activation="relu", name=name))
        if i < len(overfit.CONV) - 1:
            layers.append(keras.layers.MaxPooling2D(2))
    layers += [
        keras.layers.Flatten(),
        keras.layers.Dense(overfit.CLASSES, activation="softmax", name="dense"),
    ]
    return keras.Sequential(layers)


def _ch14b_conv2_why() -> str:
    model, chapter = _ch14b_variant(CONV2_EXERCISE_FILTERS), _ch14b_variant(64)
    rows = [
        f"{name} {chapter.get_layer(name).count_params():,} → {model.get_layer(name).count_params():,}"
        for name in ("conv1", "conv2", "conv3", "dense")
    ]
    return (
        f"{_ch14b_conv2_total():,} in all ({'; '.join(rows)}): fewer filters in conv2 shrink conv2 "
        "and conv3, which reads conv2's maps as its input channels; conv1 and the Dense layer, after "
        "conv3's unchanged 128 maps, keep their counts."
    )


@exercise(
    "14b.5",
    why=lambda: _ch14b_conv2_why(),
    hint="a kernel has one 3×3 slice per input channel: which layers read conv2's output?",
)
def _ch14b_conv2_total():
    return _ch14b_variant(CONV2_EXERCISE_FILTERS).count_params()


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


def _ch15_gap_model(outputs: int):
    """Chapter 15's model (without its augmentation and Rescaling layers, which have no
    parameters) at 100×100, with global average pooling in place of Flatten."""
    from .. import tfenv

    keras = tfenv.keras()
    return keras.Sequential(
        [
            keras.Input(shape=(100, 100, 3)),
            keras.layers.Conv2D(10, (5, 5), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(outputs, activation="softmax"),
        ]
    )


def _ch15_gap_why() -> str:
    conv, _, _, dense = _ch15_gap_model(3).layers
    return (
        f"The conv layer keeps 5·5·3·{conv.filters} + {conv.filters} = {conv.count_params():,}; global "
        f"average pooling has none and leaves {conv.filters} numbers, one mean per map, so Dense(3) has "
        f"{conv.filters}·3 + 3 = {dense.count_params()}: {_ch15_gap_params():,} in all, whatever the "
        "image size."
    )


@exercise(
    "15.5",
    why=lambda: _ch15_gap_why(),
    hint="GlobalAveragePooling2D turns each map into one number: count the Dense layer's inputs, "
    "then its weights for three classes and its biases",
)
def _ch15_gap_params():
    return _ch15_gap_model(3).count_params()


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


#: exercise 14b.6: four recorded trainings of one seed, shown as panels 1-4 in this order;
#: the reader names the panel of each of ``CURVES_EXERCISE_ASKED``, in that order
CURVES_EXERCISE_SEED = 1
CURVES_EXERCISE_ORDER = ("learning rate 0.1", "plain", "raw pixels", "augmentation")
CURVES_EXERCISE_ASKED = ("raw pixels", "learning rate 0.1", "augmentation", "plain")


def curves_exercise_histories() -> list[dict]:
    """The histories of ``CURVES_EXERCISE_ORDER`` for ``CURVES_EXERCISE_SEED``, from the records
    of benchmarks/experiments.py (benchmarks/results/experiments/overfit.json: the variants;
    curves-quiz.json: raw pixels and a learning rate of 0.1)."""
    from .. import perfnotes

    runs = {(r["variant"], r["seed"]): r for r in perfnotes.experiment("overfit")["runs"]}
    runs.update({(r["name"], r["seed"]): r for r in perfnotes.experiment("curves-quiz")["runs"]})
    return [runs[v, CURVES_EXERCISE_SEED]["history"] for v in CURVES_EXERCISE_ORDER]


def _ch14b_curves_why() -> str:
    h = dict(zip(CURVES_EXERCISE_ORDER, curves_exercise_histories()))
    panel = {v: i + 1 for i, v in enumerate(CURVES_EXERCISE_ORDER)}
    return (
        f"{', '.join(map(str, _ch14b_curve_panels()))}. Raw pixels (panel {panel['raw pixels']}): a first "
        f"epoch's loss of {h['raw pixels']['loss'][0]:.1f}, then the training loss plunges to "
        f"{h['raw pixels']['loss'][-1]:.4f} while the validation loss stays near "
        f"{min(h['raw pixels']['val_loss']):.2f}. Learning rate 0.1 (panel {panel['learning rate 0.1']}): "
        f"a loss that jumps up and down and never settles, the validation loss still "
        f"{h['learning rate 0.1']['val_loss'][-1]:.2f} at the end. Augmentation (panel "
        f"{panel['augmentation']}): the training loss stays far above 0 "
        f"({h['augmentation']['loss'][-1]:.3f}) and the validation loss keeps falling. Plain "
        f"(panel {panel['plain']}): the training loss goes to {h['plain']['loss'][-1]:.4f}, the "
        f"validation loss is lowest after epoch {int(np.argmin(h['plain']['val_loss'])) + 1} and rises."
    )


@exercise(
    "14b.6",
    why=lambda: _ch14b_curves_why(),
    hint="look at the first epoch's loss (far above ln 10 ≈ 2.3: huge scores), whether the loss "
    "settles, and whether the validation loss rises while the training loss keeps falling",
)
def _ch14b_curve_panels():
    return [CURVES_EXERCISE_ORDER.index(v) + 1 for v in CURVES_EXERCISE_ASKED]


#: exercise 14b.4: EarlyStopping's patience and the recorded plain training it is replayed on
STOPPING_EXERCISE_PATIENCE = 5
STOPPING_EXERCISE_SEED = 2


def _ch14b_stopping():
    from .. import overfit, perfnotes

    run = next(
        r
        for r in perfnotes.experiment("overfit")["runs"]
        if r["variant"] == "plain" and r["seed"] == STOPPING_EXERCISE_SEED
    )
    return overfit.early_stopping_replay(run["history"]["val_loss"], STOPPING_EXERCISE_PATIENCE)


@exercise(
    "14b.4",
    why=lambda: (
        f"The validation loss is lowest after epoch {_ch14b_stopping()['best']}; "
        f"{STOPPING_EXERCISE_PATIENCE} epochs without a lower one later, fit stops after epoch "
        f"{_ch14b_stopping()['ran']} and keeps the weights of epoch {_ch14b_stopping()['best']}."
    ),
    hint="find the epoch of the lowest validation loss, then count the patience on from it",
)
def _ch14b_stopping_epochs():
    return _ch14b_stopping()["ran"]

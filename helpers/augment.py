"""Chapter 20's augmentation for photos of clothes and the count of the errors a classifier makes.

``build(augmentation)`` is chapter 18's small network (``helpers.optim.build``) with, when asked,
two Keras preprocessing layers at its input that suit clothes: a random horizontal flip and a
random shift of up to ``SHIFT`` of the width and height (the border filled with 0, the black
background). ``augmented_views`` shows what those layers make of one photo. ``train`` fits either
network on ``PER_CLASS`` photos of each class (the recorded experiment ``augmentation``) and
measures the accuracy on the training photos as they are, so that the gap between training and
validation is not blurred by augmented photos. ``confusion_matrix`` counts, for every true class,
what the network answered; ``confused_pairs`` ranks the pairs of classes by how often either is
taken for the other (the recorded experiment ``confusions``).
"""

from __future__ import annotations

import functools

import numpy as np

from . import fashion, optim, tfenv, validate

SEEDS = (0, 1, 2, 3, 4)
SHIFT = 0.05  # RandomTranslation: up to 5 % of 28 pixels, 1.4 pixels, in each direction
PER_CLASS = 100  # the augmentation experiment: 1,000 training photos, where augmentation can help
EPOCHS = 30
LIVE_EPOCHS = 8  # the chapter's own pair of trainings on the same 1,000 photos
FULL_EPOCHS = 5  # the errors: the network trained on all 6,000 training photos
NAMES = {False: "ch20-cnn", True: "ch20-cnn-augmented"}  # helpers.fashion.train's cache keys


def augmentation_layers() -> list:
    """A random horizontal flip and a random shift of up to ``SHIFT`` in each direction, filling
    the new border with 0. Active only while training (``fit``)."""
    layers = tfenv.keras().layers
    return [
        layers.RandomFlip("horizontal", name="flip"),
        layers.RandomTranslation(SHIFT, SHIFT, fill_mode="constant", name="shift"),
    ]


def build(augmentation: bool = False):
    """Chapter 18's network (``helpers.optim.build``), with ``augmentation_layers`` after its input
    when ``augmentation`` is true."""
    keras = tfenv.keras()
    base = optim.build()
    stack = [keras.Input(shape=fashion.INPUT_SHAPE, name="photo")]
    if augmentation:
        stack += augmentation_layers()
    stack += [type(layer).from_config(layer.get_config()) for layer in base.layers]
    return keras.Sequential(stack, name="small_cnn_augmented" if augmentation else "small_cnn")


def augmented_views(image, n: int = 7, seed: int = 0, layers=None) -> np.ndarray:
    """``n`` random views of one (28, 28, 1) image through ``layers`` (``augmentation_layers()``
    when None), seeded."""
    n = validate.positive_integer("n", n)
    tfenv.set_determinism(seed)
    x = np.repeat(np.asarray(image, dtype=np.float32)[None], n, axis=0)
    for layer in augmentation_layers() if layers is None else layers:
        x = layer(x, training=True)
    return np.asarray(x)


def train(augmentation: bool, seed: int = 0, epochs: int = EPOCHS, per_class: int | None = PER_CLASS):
    """``helpers.fashion.train`` on ``build(augmentation)`` (Adam 0.001, batches of 64, 0-1
    photos) and the run's ``clean_accuracy``: the accuracy on its training photos as they are."""
    run = fashion.train(
        NAMES[bool(augmentation)],
        lambda: build(augmentation),
        seed,
        epochs=epochs,
        optimizer_name="adam",
        learning_rate=1e-3,
        per_class=per_class,
    )
    data = fashion.splits("unit", per_class, seed)
    run.clean_accuracy = fashion.accuracy(run.model, data["train"])
    return run


def record_row(run, **labels) -> dict:
    """One training as a record: ``labels``, its summary, clean training accuracy, the gap between
    that and the validation accuracy, and its per-epoch curves."""
    return {
        **labels,
        **run.summary(),
        "clean_accuracy": run.clean_accuracy,
        "gap": run.clean_accuracy - run.history["val_accuracy"][-1],
        "history": run.history,
    }


def predictions(model, split) -> np.ndarray:
    """The class (0-9) the model gives each photo of ``split``."""
    return np.argmax(model.predict(split.images, batch_size=1000, verbose=0), axis=1)


def confusion_matrix(true_labels, predicted_labels, n_classes: int = fashion.CLASSES) -> np.ndarray:
    """Counts: row = the true class, column = the class predicted (n × n integers); chapter 14's
    ``helpers.models.training.confusion_matrix`` with ten classes."""
    from .models import training

    return training.confusion_matrix(true_labels, predicted_labels, n_classes)


def confused_pairs(matrix, top: int | None = None) -> list[tuple[int, int, int]]:
    """Pairs of classes (a < b) with the number of photos of either taken for the other,
    ``matrix[a, b] + matrix[b, a]``, most confused first (ties: the lower classes first)."""
    m = np.asarray(matrix)
    n = m.shape[0]
    pairs = [(a, b, int(m[a, b] + m[b, a])) for a in range(n) for b in range(a + 1, n)]
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:top] if top is not None else pairs


def pair_name(pair, classes) -> str:
    """ "shirt vs T-shirt/top" for a pair (a, b, ...) of class indices."""
    return f"{classes[pair[0]]} vs {classes[pair[1]]}"


#: The test photos turned three ways (arrays of shape (n, 28, 28, 1)): exercise 20.1.
TRANSFORMS = {
    "mirrored": lambda x: x[:, :, ::-1],
    "upside down": lambda x: x[:, ::-1, :],
    "quarter turn": lambda x: np.rot90(x, 1, axes=(1, 2)),
}


def transformed_accuracies(model, split) -> dict[str, float]:
    """The model's accuracy on ``split`` as it is (``"as they are"``) and turned each way of
    ``TRANSFORMS``."""
    out = {"as they are": float(np.mean(predictions(model, split) == split.labels))}
    for name, turn in TRANSFORMS.items():
        turned = fashion.Split(np.ascontiguousarray(turn(split.images)), split.labels)
        out[name] = float(np.mean(predictions(model, turned) == split.labels))
    return out


@functools.cache
def full_run(seed: int = 0):
    """The chapter's network trained without augmentation on all 6,000 training photos (once per
    process: the chapter and its exercises share it)."""
    return train(False, seed, epochs=FULL_EPOCHS, per_class=None)


def heavier_left(images) -> np.ndarray:
    """For each (28, 28[, 1]) photo: True when its left half holds more ink than its right half
    (which way a shoe's toe points shows in it)."""
    x = np.asarray(images, dtype=np.float64).reshape(len(images), 28, 28)
    return x[:, :, :14].sum(axis=(1, 2)) > x[:, :, 14:].sum(axis=(1, 2))


def per_class_accuracy(true_labels, predicted_labels, n_classes: int = fashion.CLASSES) -> np.ndarray:
    """Share of each true class read right (the confusion matrix's diagonal over its row sums)."""
    m = confusion_matrix(true_labels, predicted_labels, n_classes)
    return np.diag(m) / np.maximum(m.sum(axis=1), 1)

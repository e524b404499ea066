"""Chapter 20's augmentation for photos of clothes and the count of the errors a classifier makes.

``build(augmentation)`` is chapter 18's small network (``helpers.optim.build``) with, when asked,
two Keras preprocessing layers at its input that suit clothes: a random horizontal flip and a
random shift of up to ``SHIFT`` of the width and height (the border filled with 0, the black
background). ``augmented_views`` shows what those layers make of one photo. ``train`` fits either
network on ``PER_CLASS`` photos of each class (the recorded experiment ``augmentation``) and
measures the accuracy on the training photos as they are, so that the gap between training and
validation is not blurred by augmented photos. Three more ``VARIANTS`` test why the flip did not
pay (the recorded experiment ``augmentation-shoes``): the shift alone, and a flip that spares the
shoes, which all face one way (``flip_except``: a layer sees no labels, so this flip works on
the batches of labelled photos, in a tf.data pipeline, ``flipped_batches``), with the same
pipeline flipping every photo beside it.
``confusion_matrix`` counts, for every true class, what the network answered; ``confused_pairs``
ranks the pairs of classes by how often either is taken for the other (the recorded experiment
``confusions``).
"""

from __future__ import annotations

import functools

import numpy as np

from . import fashion, optim, tfenv, validate
from .data import FASHION_CLASSES

SEEDS = (0, 1, 2, 3, 4)
SHIFT = 0.05  # RandomTranslation: up to 5 % of 28 pixels, 1.4 pixels, in each direction
PER_CLASS = 100  # the augmentation experiment: 1,000 training photos, where augmentation can help
EPOCHS = 30
LIVE_EPOCHS = 8  # the chapter's own pair of trainings on the same 1,000 photos
FULL_EPOCHS = 5  # the errors: the network trained on all 6,000 training photos
SHOES = tuple(FASHION_CLASSES.index(name) for name in ("Sandal", "Sneaker", "Ankle boot"))  # 5, 7, 9
#: What each variant does to a training photo: nothing; the chapter's flip and shift; the shift
#: and a flip of every photo but the shoes; the shift and a flip of any photo, done like the one
#: before; the shift alone. ``augmentation=False`` and ``True`` name the first two.
VARIANTS = ("none", "flip and shift", "flip except shoes", "flip all", "shift only")
#: helpers.fashion.train's cache keys, one per variant
NAMES = {
    "none": "ch20-cnn",
    "flip and shift": "ch20-cnn-augmented",
    "flip except shoes": "ch20-cnn-flip-except-shoes",
    "flip all": "ch20-cnn-flip-all",
    "shift only": "ch20-cnn-shift-only",
}


def variant(augmentation) -> str:
    """The name in ``VARIANTS`` of ``augmentation``: False is ``"none"``, True ``"flip and shift"``."""
    if isinstance(augmentation, (bool, np.bool_)):
        return VARIANTS[int(augmentation)]
    if augmentation not in VARIANTS:
        raise ValueError(f"augmentation must be True, False or one of {VARIANTS}, got {augmentation!r}")
    return augmentation


def augmentation_layers(flip: bool = True) -> list:
    """A random horizontal flip (unless ``flip`` is false) and a random shift of up to ``SHIFT``
    in each direction, filling the new border with 0. Active only while training (``fit``)."""
    layers = tfenv.keras().layers
    shift = layers.RandomTranslation(SHIFT, SHIFT, fill_mode="constant", name="shift")
    return [layers.RandomFlip("horizontal", name="flip"), shift] if flip else [shift]


def build(augmentation=False):
    """Chapter 18's network (``helpers.optim.build``) with, after its input, the layers of the
    ``variant`` ``augmentation``: none, the flip and the shift, or the shift alone (``"shift
    only"``, and the variants of ``BATCHES``, whose flip is done on the batches, not in the model)."""
    keras = tfenv.keras()
    name = variant(augmentation)
    base = optim.build()
    stack = [keras.Input(shape=fashion.INPUT_SHAPE, name="photo")]
    if name != "none":
        stack += augmentation_layers(flip=name == "flip and shift")
    stack += [type(layer).from_config(layer.get_config()) for layer in base.layers]
    model_name = {"none": "small_cnn", "flip and shift": "small_cnn_augmented"}.get(name, "small_cnn_shifted")
    return keras.Sequential(stack, name=model_name)


def flip_except(images, labels, seed, spared=SHOES):
    """One batch: each photo mirrored left-right with probability 1/2, except the photos of the
    classes ``spared`` (the shoes unless told), which stay as they are. ``seed``: two integers
    for TensorFlow's stateless random numbers, so the same seed flips the same photos. Returns
    (photos, labels)."""
    tf = tfenv.tensorflow()
    heads = tf.random.stateless_uniform(tf.shape(labels), seed=seed) < 0.5
    kept = tf.reduce_any(tf.equal(labels[:, None], tf.constant(spared, dtype=labels.dtype)), axis=1)
    flip = tf.logical_and(heads, tf.logical_not(kept))
    return tf.where(flip[:, None, None, None], tf.reverse(images, axis=[2]), images), labels


def flipped_batches(split, seed: int, batch_size: int, spared=SHOES):
    """``split`` as a tf.data pipeline for ``fit``: the photos with their labels, reshuffled every
    epoch, in batches of ``batch_size``, each batch through ``flip_except`` (sparing ``spared``)
    with a seed of its own: two numbers from a stream seeded by ``seed``, drawn anew every epoch."""
    tf = tfenv.tensorflow()
    photos = tf.data.Dataset.from_tensor_slices((split.images, split.labels))
    photos = photos.shuffle(len(split), seed=seed, reshuffle_each_iteration=True).batch(batch_size)
    seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
    return tf.data.Dataset.zip(photos, seeds).map(lambda xy, s: flip_except(*xy, s, spared))


def batches_flip_except_shoes(split, seed: int, batch_size: int):
    """``flipped_batches`` that never flip a shoe: the variant ``"flip except shoes"``."""
    return flipped_batches(split, seed, batch_size, spared=SHOES)


def batches_flip_all(split, seed: int, batch_size: int):
    """``flipped_batches`` that may flip any photo: the variant ``"flip all"``, the chapter's
    ``RandomFlip`` done the way ``"flip except shoes"`` is, so that the two differ in the shoes
    alone."""
    return flipped_batches(split, seed, batch_size, spared=())


#: the variants whose flip is done on the batches, in a tf.data pipeline, not by a layer
BATCHES = {"flip except shoes": batches_flip_except_shoes, "flip all": batches_flip_all}


def augmented_views(image, n: int = 7, seed: int = 0, layers=None) -> np.ndarray:
    """``n`` random views of one (28, 28, 1) image through ``layers`` (``augmentation_layers()``
    when None), seeded."""
    n = validate.positive_integer("n", n)
    tfenv.set_determinism(seed)
    x = np.repeat(np.asarray(image, dtype=np.float32)[None], n, axis=0)
    for layer in augmentation_layers() if layers is None else layers:
        x = layer(x, training=True)
    return np.asarray(x)


def train(augmentation, seed: int = 0, epochs: int = EPOCHS, per_class: int | None = PER_CLASS):
    """``helpers.fashion.train`` on ``build(augmentation)`` (Adam 0.001, batches of 64, 0-1
    photos; for the variants of ``BATCHES``, their batches) and the run's ``clean_accuracy``: the
    accuracy on its training photos as they are."""
    name = variant(augmentation)
    run = fashion.train(
        NAMES[name],
        lambda: build(name),
        seed,
        epochs=epochs,
        optimizer_name="adam",
        learning_rate=1e-3,
        per_class=per_class,
        batches=BATCHES.get(name),
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

"""The article's Keras model, layer for layer, and its corrected twin (sigmoid + binary
cross-entropy), with the article's training settings.

* ``article_model`` builds exactly the printed architecture: Input (300, 300, 3) ->
  Conv2D(10, (5, 5), strides 1, relu) -> MaxPooling2D(2, 2) -> Flatten -> Dense(1). Every
  setting is an argument (``filters=32`` builds the variant of an exercise); the defaults and
  the shape chain live in ``helpers.network`` (``article_parameters`` counts it without Keras).
* ``corrected_model`` is the same network with a sigmoid output and binary cross-entropy.
"""

from __future__ import annotations

from .. import network, tfenv, validate
from ..network import ARTICLE_FILTERS, ARTICLE_INPUT_SHAPE, ARTICLE_KERNEL, ARTICLE_POOL

#: The article's training code: 5 epochs, batches of 128, on its 23,000 images.
ARTICLE_EPOCHS = 5
ARTICLE_BATCH_SIZE = 128
ARTICLE_IMAGES = 23_000


def article_model(
    input_shape=ARTICLE_INPUT_SHAPE,
    output_activation=None,
    name="article_cnn",
    *,
    filters: int = ARTICLE_FILTERS,
    kernel: int = ARTICLE_KERNEL,
    pool: int = ARTICLE_POOL,
):
    """The article's network, layer for layer, with a Keras 3 ``Input`` (uncompiled).

    ``output_activation`` is that of the final Dense(1): the article wrote ``'softmax'``
    (always 1.0: see the chapter); ``None`` gives raw scores, ``'sigmoid'`` the fix.
    ``filters``, ``kernel`` (side of the square kernel) and ``pool`` (window = stride) change
    the architecture as in ``network.article_layers``.
    """
    shape = tuple(input_shape)
    if len(shape) != 3 or not all(validate.is_integer(s) and s >= 1 for s in shape):
        raise ValueError(
            f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}"
        )
    shape = tuple(int(s) for s in shape)
    try:
        network.article_shapes(shape, filters=filters, kernel=kernel, pool=pool)
    except ValueError as err:
        raise ValueError(
            f"input_shape {shape} does not fit a {kernel}x{kernel} kernel then {pool}x{pool} pooling: {err}"
        ) from None
    k = tfenv.keras()
    layers = k.layers
    return k.Sequential(
        [
            k.Input(shape=shape, name="image"),
            layers.Conv2D(filters, (kernel, kernel), strides=(1, 1), activation="relu", name="conv"),
            layers.MaxPooling2D(pool_size=(pool, pool), name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(network.ARTICLE_UNITS, activation=output_activation, name="dense"),
        ],
        name=name,
    )


def corrected_model(
    input_shape=ARTICLE_INPUT_SHAPE, learning_rate: float = 1e-3, name="corrected_cnn", **settings
):
    """The article's network with the fixes: Dense(1, sigmoid) + binary cross-entropy (compiled).

    Same 219,801 parameters at 300x300x3. Feed it images scaled to [0, 1] and 0/1 labels.
    ``settings``: ``filters``, ``kernel``, ``pool`` as in ``article_model``.
    """
    k = tfenv.keras()
    model = article_model(input_shape, output_activation="sigmoid", name=name, **settings)
    model.compile(
        optimizer=k.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model

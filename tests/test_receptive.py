"""Receptive fields (helpers.receptive): the recurrence against brute force (bump one pixel,
watch one output) and against TensorFlow's gradients."""

import numpy as np
import pytest

from helpers import network, receptive
from helpers.figures import panels

Conv, Pool = network.Conv, network.Pool


def _clipped_box(layers, i, j, n):
    top, left, r = receptive.box(layers, i, j, n)
    want = np.zeros((n, n), dtype=bool)
    want[max(top, 0) : max(top + r, 0), max(left, 0) : max(left + r, 0)] = True
    return want


def test_article_model_sees_6x6_and_deeper_layers_see_more():
    rows = receptive.trace(network.article_layers()[:2])
    assert [(r["r"], r["j"]) for r in rows] == [(1, 1), (5, 1), (6, 2)]
    two = receptive.trace([Conv(10, 5), Pool(2), Conv(10, 5), Pool(2)])
    assert [r["r"] for r in two] == [1, 5, 6, 14, 16]
    assert receptive.trace([Conv(1, 3), Conv(1, 3)])[-1]["r"] == receptive.trace([Conv(1, 5)])[-1]["r"]


STACKS = [
    [Conv(1, 5), Pool(2)],
    [Conv(1, 3), Conv(1, 3), Pool(2), Conv(1, 3)],
    [Conv(1, 3, stride=2), Pool(3, 2), Conv(1, 2)],
    [Conv(1, 3, padding="same"), Pool(2), Conv(1, 5, padding="same"), Pool(2, padding="same")],
    [Conv(1, 4, stride=2, padding="same"), Conv(1, 3, padding="same"), Pool(2)],
]


@pytest.mark.parametrize("layers", STACKS)
def test_box_is_exactly_the_pixels_that_move_the_output(layers):
    rng = np.random.default_rng(len(layers))
    n = 23
    x = rng.random((n, n))
    out = receptive.run(layers, x)
    runs = {}  # the three outputs bump the same pixels: each bumped image runs through once

    def run(im):
        key = im.tobytes()
        if key not in runs:
            runs[key] = receptive.run(layers, im)
        return runs[key]

    for _ in range(3):
        i, j = int(rng.integers(out.shape[0])), int(rng.integers(out.shape[1]))
        mask = receptive.influence(run, x, (i, j))
        np.testing.assert_array_equal(mask, _clipped_box(layers, i, j, n), err_msg=str((i, j)))


@pytest.mark.parametrize("layers", STACKS)
def test_box_matches_tensorflow_gradient_support(layers):
    from helpers import tfenv

    tf, keras = tfenv.tensorflow(), tfenv.keras()

    n = 24
    parts = [keras.Input((n, n, 1))]
    for layer in layers:
        if isinstance(layer, Conv):
            parts.append(
                keras.layers.Conv2D(
                    1,
                    layer.kernel,
                    strides=layer.stride,
                    padding=layer.padding,
                    use_bias=False,
                    kernel_initializer="ones",
                )
            )
        else:
            parts.append(
                keras.layers.AveragePooling2D(layer.size, strides=layer.stride, padding=layer.padding)
            )
    model = keras.Sequential(parts)
    x = tf.Variable(np.random.default_rng(0).random((1, n, n, 1)) + 0.5)
    out_shape = model(x).shape
    for i, j in [(0, 0), (out_shape[1] // 2, out_shape[2] - 1)]:
        with tf.GradientTape() as tape:
            y = model(x)[0, i, j, 0]
        g = tape.gradient(y, x).numpy()[0, :, :, 0]
        np.testing.assert_array_equal(g > 0, _clipped_box(layers, i, j, n), err_msg=str((i, j)))


def test_errors():
    with pytest.raises(TypeError, match="Flatten"):
        receptive.trace(network.article_layers())
    with pytest.raises(ValueError, match="input_size"):
        receptive.trace([Conv(1, 3, padding="same")])


def test_fields_figure_draws_one_square_per_stack():
    photo = np.zeros((60, 60))
    fig = panels.receptive_fields_figure(photo, {"a": [Conv(1, 5), Pool(2)], "b": [Conv(1, 3)]})
    assert len(fig.axes[0].patches) == 2

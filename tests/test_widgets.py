"""helpers.widgets: the live slider shows the same numbers as ops.conv2d, frame by frame."""

import re

import numpy as np
import pytest

from helpers import data, ops, widgets


def _value(html_text):
    m = re.search(r"output\[(\d+), (\d+)\] = .*= ([-0-9.]+)</span>", html_text)
    assert m, html_text[:200]
    return int(m.group(1)), int(m.group(2)), float(m.group(3))


def test_slider_range_and_initial_frame():
    x, k = data.load("image_b"), data.load("case2_weights")
    box = widgets.sweep_widget(x, k)
    slider, view = box.children
    out = ops.conv2d(x, k)
    assert (slider.min, slider.max, slider.value) == (0, out.size - 1, 0)
    assert _value(view.value) == (0, 0, pytest.approx(round(out[0, 0], 2)))


def test_moving_the_slider_recomputes_the_view():
    x = np.arange(20, dtype=float).reshape(4, 5)
    k = np.array([[1.0, -1.0], [0.5, 2.0]])
    box = widgets.sweep_widget(x, k, stride=1, padding="valid")
    slider, view = box.children
    out = ops.conv2d(x, k)
    for pos in (1, 5, out.size - 1):
        slider.value = pos
        i, j = divmod(pos, out.shape[1])
        assert _value(view.value) == (i, j, pytest.approx(round(out[i, j], 2)))


def test_padding_and_stride_change_the_number_of_positions():
    x = np.ones((5, 5))
    k = np.ones((3, 3))
    assert widgets.sweep_widget(x, k, stride=2, padding="same").children[0].max == \
        ops.conv2d(x, k, 2, "same").size - 1


def test_bad_description_is_rejected():
    with pytest.raises(TypeError, match="description"):
        widgets.sweep_widget(np.ones((3, 3)), np.ones((2, 2)), description="")

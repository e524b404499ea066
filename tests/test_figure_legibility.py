"""Figures legible on the website: every label a helpers.figures function draws (titles, axis
and tick labels, legends) is at least 10 px tall on the screen, after the site scales the
figure down to its 688 px text column (style.legible; the numbers inside a grid's cells are
sized to their cells and left out)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from helpers.figures import grids, panels, plots, style

RNG = np.random.default_rng(0)
DIGIT = RNG.integers(0, 255, (17, 4))
FIGURES = {
    "grids.image_and_grid": lambda: grids.image_and_grid(DIGIT, title="17×4"),
    "grids.grid_panels": lambda: grids.grid_panels([DIGIT, DIGIT * 0.3], titles=["a", "b"]),
    "grids.window_figure": lambda: grids.window_figure(RNG.integers(0, 255, (6, 6)), np.ones((3, 3))),
    "panels.images_figure": lambda: panels.images_figure([RNG.random((28, 28))] * 6, list("abcdef")),
    "panels.image_row": lambda: panels.image_row([RNG.random((28, 28))] * 3, ["a", "b", "c"], suptitle="row"),
    "panels.maps_grid": lambda: panels.maps_grid(RNG.random((12, 12, 16)), "maps"),
    "panels.kernels_figure": lambda: panels.kernels_figure([RNG.random((5, 5, 1, 32)) - 0.5] * 2,
                                                           ["initial", "learned"], size=0.9),
    "panels.conv_matrix_figure": lambda: panels.conv_matrix_figure((3, 3), (6, 6)),
    "plots.learning_curves": lambda: plots.learning_curves(
        {"loss": [1, .5, .4], "val_loss": [1, .6, .5], "accuracy": [.5, .8, .9],
         "val_accuracy": [.5, .7, .8]}),
    "plots.confusion_figure": lambda: plots.confusion_figure(np.array([[50, 3], [4, 43]]), ["4", "9"]),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_label_is_10_px_on_screen(name):
    import matplotlib.pyplot as plt

    fig = FIGURES[name]()
    try:
        fig.canvas.draw()
        sizes = style.text_sizes(fig)
        assert sizes, f"{name} draws no label"
        small = [(t, round(px, 1)) for t, px in sizes if px < style.MIN_TEXT_PX - 0.05]
        assert small == [], f"{name}: labels under {style.MIN_TEXT_PX} px on screen: {small[:5]}"
    finally:
        plt.close(fig)


def test_legible_raises_small_labels_only():
    import matplotlib.pyplot as plt

    fig, ax = style.subplots(figsize=(20, 2), dpi=80)  # shown at 688 / 1600 of its size
    ax.set_title("tiny", fontsize=6)
    big = ax.set_xlabel("big", fontsize=40)
    style.legible(fig)
    fig.canvas.draw()
    assert min(px for _, px in style.text_sizes(fig)) >= style.MIN_TEXT_PX - 0.05
    assert big.get_fontsize() == 40
    plt.close(fig)

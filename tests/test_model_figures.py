"""helpers.model_figures: each figure builds, with a white background and the right panels."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from helpers import model_figures


def teardown_function():
    plt.close("all")


def test_maps_grid_titles_and_scale():
    maps = np.zeros((8, 8, 3))
    maps[..., 1] = np.linspace(0, 2, 64).reshape(8, 8)
    fig = model_figures.maps_grid(maps, ncols=2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:3] == ["filter 0: all 0", "filter 1: max 2", "filter 2: all 0"]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert len(fig.axes) == 4  # 3 maps + 1 blank cell in a 2x2 grid


def test_kernels_learning_confusion_and_row():
    k = np.random.default_rng(0).normal(size=(5, 5, 1, 4))
    assert len(model_figures.kernels_figure([k, -k], ["a", "b"]).axes) == 8
    hist = {"loss": [1, 0.5], "val_loss": [1.1, 0.6],
            "accuracy": [0.6, 0.9], "val_accuracy": [0.5, 0.8]}
    assert len(model_figures.learning_curves(hist).axes) == 2
    fig = model_figures.confusion_figure(np.array([[3, 1], [0, 4]]), ["4", "9"])
    assert [t.get_text() for t in fig.axes[0].texts] == ["3", "1", "0", "4"]
    fig = model_figures.image_row([np.zeros((4, 4)), np.zeros((4, 4, 1))], ["x", "y"], cmap="gray")
    assert [ax.get_title() for ax in fig.axes] == ["x", "y"]

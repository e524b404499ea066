"""helpers.figures: every figure builds with the right panels, in the book's style (an opaque
white card, whatever matplotlib's defaults say)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import data
from helpers.figures import grids, panels, plots, style

A = data.load("digit4")


def teardown_function():
    plt.close("all")


def test_grid_panels_and_jpeg():
    fig = grids.grid_panels([A, A * 3], marks=[[(0, 0)], None])
    assert len(fig.axes) == 2
    img = panels.as_jpeg(grids.grid_panels([data.load_photo("coffee")]))
    assert img.format == "jpeg" and img.data[:2] == b"\xff\xd8"
    with pytest.raises(ValueError, match="one entry per array"):
        grids.grid_panels([A, A], titles=["only one"])


def test_maps_grid_titles_and_scale():
    maps = np.zeros((8, 8, 3))
    maps[..., 1] = np.linspace(0, 2, 64).reshape(8, 8)
    fig = panels.maps_grid(maps, ncols=2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:3] == ["filter 0: all 0", "filter 1: max 2", "filter 2: all 0"]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert len(fig.axes) == 4  # 3 maps + 1 blank cell in a 2x2 grid


def test_signed_panels_share_one_scale_clipped_at_a_percentile():
    from helpers import filters

    rng = np.random.default_rng(0)
    out = rng.normal(size=(50, 50)) * 10
    out[0, 0] = 1e4  # one outlier must not set the scale
    fig = panels.filter_responses_figure(
        {"blur": out + 100, "Sobel x": out, "Sobel y": -out},
        {
            "blur": filters.kernel("box blur"),
            "Sobel x": filters.kernel("Sobel x"),
            "Sobel y": filters.kernel("Sobel y"),
        },
        ncols=3,
    )
    images = [ax.images[0] for ax in fig.axes if ax.images]
    lim = np.percentile(np.abs(np.concatenate([out.ravel(), -out.ravel()])), 99)
    assert [im.get_cmap().name for im in images] == ["gray", style.KERNELS_CMAP, style.KERNELS_CMAP]
    assert images[0].get_clim() == (0, 255)
    assert images[1].get_clim() == images[2].get_clim() == pytest.approx((-lim, lim))
    assert lim < 50  # the outlier is beyond the scale, drawn in the end colour
    bar = [ax for ax in fig.axes if "99th percentile" in ax.get_xlabel()]
    assert len(bar) == 1 and [ax.get_title() for ax in fig.axes[:3]] == ["blur", "Sobel x", "Sobel y"]
    with pytest.raises(ValueError, match="add up to 0"):
        panels.filter_responses_figure({"blur": out}, {"blur": filters.kernel("box blur")})


def test_signed_maps_grid_titles_each_map_with_its_range_on_one_scale():
    maps = np.stack([np.full((6, 6), -3.0), np.linspace(0, 1, 36).reshape(6, 6)], -1)
    fig = panels.signed_maps_grid(maps, ncols=2)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["filter 0: 0 % > 0\n-3 to -3", "filter 1: 97 % > 0\n0 to 1"]
    assert {ax.images[0].get_clim() for ax in fig.axes if ax.images} == {(-3.0, 3.0)}
    assert any("±3" in ax.get_xlabel() for ax in fig.axes)  # the colour bar states the shared scale


def test_values_histogram_colours_the_values_relu_cuts():
    fig = plots.values_histogram([-3.0, -1.0, 2.0, 4.0], bins=4)
    colours = {tuple(p.get_facecolor()[:3]) for p in fig.axes[0].patches}
    assert len(colours) == 2  # blue below 0, red above
    assert "50 % below 0" in fig.axes[0].texts[0].get_text()


def test_kernels_learning_confusion_and_row():
    k = np.random.default_rng(0).normal(size=(5, 5, 1, 4))
    assert len(panels.kernels_figure([k, -k], ["a", "b"]).axes) == 8
    hist = {"loss": [1, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.6, 0.9], "val_accuracy": [0.5, 0.8]}
    assert len(plots.learning_curves(hist).axes) == 2
    fig = plots.confusion_figure(np.array([[3, 1], [0, 4]]), ["4", "9"])
    assert [t.get_text() for t in fig.axes[0].texts] == ["3", "1", "0", "4"]
    fig = panels.image_row([np.zeros((4, 4)), np.zeros((4, 4, 1))], ["x", "y"], cmap="gray")
    assert [ax.get_title() for ax in fig.axes] == ["x", "y"]


class _Run:
    """What plots.overfitting_curves reads of a helpers.overfit run."""

    def __init__(self, variant, regularised, n=3):
        self.variant, self.regularised = variant, regularised
        e = np.linspace(1.0, 0.2, n)
        self.history = {k: list(e) for k in ("loss", "val_loss", "clean_loss")}
        self.history.update({k: list(1 - e) for k in ("accuracy", "val_accuracy", "clean_accuracy")})


def test_overfitting_curves_kernels_grid_and_selectivity():
    fig = plots.overfitting_curves([_Run("plain", False), _Run("both", True)], titles=["p", "b"])
    assert len(fig.axes) == 4 and fig.axes[0].get_title() == "p: cross-entropy"
    # Keras's own training numbers are drawn only for the run with augmentation or dropout
    assert [len(ax.lines) for ax in fig.axes] == [2, 3, 2, 3]
    assert fig.axes[0].get_yscale() == "log"
    k = np.random.default_rng(0).normal(size=(5, 5, 1, 10))
    fig = panels.kernels_grid(k, ncols=4, title="t")
    assert len(fig.axes) == 12 and sum(bool(ax.images) for ax in fig.axes) == 10
    lim = fig.axes[0].images[0].get_clim()
    assert lim == (-np.abs(k).max(), np.abs(k).max())  # one shared, symmetric scale
    means = {"conv1": np.random.default_rng(1).random((30, 10)), "conv2": np.eye(10)}
    fig = plots.selectivity_figure(means, n_channels=8)
    assert [ax.get_title() for ax in fig.axes] == ["conv1", "conv2"]
    shown = fig.axes[1].images[0].get_array()
    assert shown.shape == (8, 10) and np.allclose(shown.max(axis=1), 1.0)  # each row to its max


def test_kernels_change_figure_frames_the_most_changed_on_three_scales():
    rng = np.random.default_rng(0)
    before = rng.normal(size=(5, 5, 1, 10)) * 0.1
    after = before.copy()
    after[..., 7] += 1.0  # kernel 7 changes most, then 2
    after[..., 2] -= 0.5
    fig = panels.kernels_change_figure(before, after, marked=2)
    kernels = [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"][:30]
    assert len(fig.axes) == 33  # 3 rows of 10 kernels and a colour bar each
    framed = [i for i, ax in enumerate(kernels[:10]) if ax.patches]
    assert framed == [2, 7]
    change = kernels[20 + 7].images[0]
    np.testing.assert_allclose(change.get_array(), after[..., 0, 7] - before[..., 0, 7])
    assert change.get_clim() == (-1.0, 1.0)  # the bottom row's own symmetric scale
    with pytest.raises(ValueError, match="shape"):
        panels.kernels_change_figure(before, after[..., :3])


def test_images_figure_checks_titles():
    with pytest.raises(ValueError, match="titles"):
        panels.images_figure([np.zeros((4, 4))], ["a", "b"])


def test_window_figure_shows_one_step_of_the_sweep():
    fig = grids.window_figure(A, [[1, 0.3]], position=1)
    assert [ax.get_title() for ax in fig.axes] == ["input", "kernel", "output"]
    assert fig._suptitle.get_text() == "2×1 + 1×0.3 = 2.3"
    fig = grids.window_figure(A, [[1, 0.3]], padding=((0, 0), (1, 1)))
    assert fig.axes[0].get_title() == "input (zero-padded)"


def test_channel_figure_shows_a_row_per_channel_and_the_output():
    x, kernels, biases = data.two_channel()
    fig = grids.channel_figure(x, kernels[..., 0], biases[0])
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [
        "channel 0",
        "kernel, channel 0",
        "map 0",
        "channel 1",
        "kernel, channel 1",
        "map 1",
        "output = map 0 + map 1 + (-2)",
    ]
    assert fig._suptitle.get_text() == "output[0, 0] = 11 + 2 + -2 = 11"
    rows = sorted({round(ax.get_position().y0, 3) for ax in fig.axes[::3]}, reverse=True)
    assert len(rows) == 3  # one row per channel, then the output alone
    with pytest.raises(ValueError, match="kernel depth"):
        grids.channel_figure(x, np.ones((2, 2, 3)))


def test_every_figure_is_white_even_under_a_dark_style():
    """The book's style decides the background, not the caller's rcParams."""
    hist = {"loss": [1, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.6, 0.9], "val_accuracy": [0.5, 0.8]}
    with plt.style.context("dark_background"):
        figs = [
            grids.image_and_grid(A[:4]),
            grids.grid_panels([A]),
            panels.images_figure([A], ["a"]),
            panels.image_row([A]),
            panels.maps_grid(np.ones((4, 4, 2))),
            panels.kernels_figure([np.ones((5, 5, 1, 2))], ["k"]),
            plots.learning_curves(hist),
            plots.confusion_figure(np.eye(2, dtype=int), ["a", "b"]),
            style.subplots()[0],
            plots.overfitting_curves([_Run("r", True)]),
            panels.kernels_grid(np.ones((5, 5, 1, 3))),
            plots.selectivity_figure({"c": np.ones((3, 10))}),
        ]
        for fig in figs:
            assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
            assert all(ax.get_facecolor() == (1.0, 1.0, 1.0, 1.0) for ax in fig.axes)
        assert plt.rcParams["figure.facecolor"] == "black"  # the book's style did not leak out


def test_a_notebook_shows_every_figure_opened_in_the_books_style(tmp_path, monkeypatch):
    """In a kernel, the first figure loads the inline backend, which turns on interactive
    mode; the style must not undo that, or every later figure of the notebook is lost."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(src)
        for src in (
            "from helpers.figures import grids, style\nimport numpy as np",
            "fig, ax = style.subplots()",
            "fig = grids.grid_panels([np.eye(3)])",
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()",
        )
    ]
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))  # the kernel's
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    shown = [sum("image/png" in o.get("data", {}) for o in c.outputs) for c in nb.cells]
    assert shown == [0, 1, 1, 1]


def test_pooling_figure_gives_l2_a_scale_of_its_own():
    """Max and average pooling stay inside the map's range and share its colour scale; L2
    pooling goes above it (sqrt of a sum of squares) and gets its own, else every L2 cell would
    be clipped to the darkest colour."""
    from helpers import ops

    x = ops.conv2d(data.load("conv6x6_image"), data.load("conv6x6_kernel"))
    pooled = {m: ops.pool2d(x, 2, mode=m) for m in ("max", "avg", "l2")}
    assert pooled["l2"].min() > x.max()  # on the map's scale it would be all one colour
    fig = grids.pooling_figure(x, pooled)
    limits = [ax.images[0].get_clim() for ax in fig.axes]
    assert limits[0] == limits[1] == limits[2] == (x.min(), x.max())
    assert limits[3] == (pooled["l2"].min(), pooled["l2"].max())
    assert "own scale" in fig.axes[3].get_title() and "own scale" not in fig.axes[1].get_title()
    with pytest.raises(ValueError, match="2-D"):
        grids.pooling_figure(x[None], pooled)


def test_network_figure_labels_every_volume_with_its_shape():
    from helpers import network

    layers = [
        network.Conv(10, 5),
        network.Pool(2),
        network.Conv(16, 3, padding="same"),
        network.Pool(2),
        network.Flatten(),
        network.Dense(10, activation="softmax"),
    ]
    fig = panels.network_figure((32, 32, 3), layers)
    texts = [t.get_text() for t in fig.axes[0].texts]
    shapes = ["×".join(map(str, r["shape"])) for r in network.trace((32, 32, 3), layers)]
    assert shapes == ["32×32×3", "28×28×10", "14×14×10", "14×14×16", "7×7×16", "784", "10"]
    assert all(s in texts for s in shapes) and "dense 10\nsoftmax" in texts
    # one box of three faces per volume, one bar per vector
    assert len(fig.axes[0].patches) == 3 * 5 + 2


def test_network_figure_names_every_kind_of_layer_and_draws_lenet5():
    from helpers import designs, network

    assert panels._layer_words(network.Pool(2, kind="avg")) == "average pool\n2×2"
    assert panels._layer_words(network.BatchNorm()) == "batch\nnorm"
    assert panels._layer_words(network.Activation("relu")) == "relu"
    assert panels._layer_words(network.Residual(32, 2)) == "residual\n32 filters, stride 2"
    with pytest.raises(TypeError, match="no label"):
        panels._layer_words("conv")
    fig = panels.network_figure(designs.INPUT_SHAPE, designs.lenet5())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "conv 5×5\n6 filters\nsame" in texts and texts.count("average pool\n2×2") == 2
    assert "dense 120\nsigmoid" in texts and "28×28×6" in texts and "5×5×16" in texts

"""Figures legible on the website: every label a helpers.figures function draws (titles, axis
and tick labels, legends) is at least 10 px tall on the screen, after the site scales the
figure down to its 688 px text column (style.legible), and so is every number inside a
grid's cells (style.cell_number_sizes), each inside its cell."""

from __future__ import annotations

import contextlib

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from helpers.figures import compare, errors, grids, panels, plots, style
from helpers.network import Conv, Dense, Flatten, Pool


@contextlib.contextmanager
def drawn(make):
    """The figure ``make()`` returns, drawn (so text sizes are final), closed afterwards."""
    import matplotlib.pyplot as plt

    fig = make()
    try:
        fig.canvas.draw()
        yield fig
    finally:
        plt.close(fig)


def _under_the_minimum(sizes) -> list[tuple[str, float]]:
    return sorted({(t, round(px, 1)) for t, px in sizes if px < style.MIN_TEXT_PX - 0.05})


def _assert_legible(name, sizes, what) -> None:
    """No text of ``sizes`` ([(text, px on screen)]) under the minimum; ``what`` names it."""
    small = _under_the_minimum(sizes)
    assert small == [], f"{name}: {what} under {style.MIN_TEXT_PX} px on screen: {small[:5]}"


RNG = np.random.default_rng(0)
DIGIT = RNG.integers(0, 255, (17, 4))
FIGURES = {
    "grids.image_and_grid": lambda: grids.image_and_grid(DIGIT, title="17×4"),
    "grids.grid_panels": lambda: grids.grid_panels([DIGIT, DIGIT * 0.3], titles=["a", "b"]),
    "grids.digit_beside_real": lambda: grids.digit_beside_real(
        DIGIT, RNG.integers(0, 255, (28, 28)), (12, 15, 6)
    ),
    "grids.window_figure": lambda: grids.window_figure(RNG.integers(0, 255, (6, 6)), np.ones((3, 3))),
    "grids.channel_figure": lambda: grids.channel_figure(
        RNG.integers(0, 255, (5, 5, 3)), RNG.integers(-2, 3, (3, 3, 3)), 1.5, position=2
    ),
    "panels.images_figure": lambda: panels.images_figure([RNG.random((28, 28))] * 6, list("abcdef")),
    "panels.image_row": lambda: panels.image_row([RNG.random((28, 28))] * 3, ["a", "b", "c"], suptitle="row"),
    "panels.filter_responses_figure": lambda: panels.filter_responses_figure(
        {n: RNG.random((30, 30)) * 255 - 100 for n in "abcdefgh"},
        {n: np.full((3, 3), 1 / 9) if n < "e" else np.array([[-1, 0, 1]] * 3) for n in "abcdefgh"},
    ),
    "errors.confusion_grid": lambda: errors.confusion_grid(
        RNG.integers(0, 120, (10, 10)), [f"class {i}" for i in range(10)]
    ),
    "errors.seeds_across": lambda: errors.seeds_across(
        {
            name: list(RNG.random(5))
            for name in ("none", "flip and shift", "flip except shoes", "flip all", "shift")
        },
        range(5),
        "test accuracy",
        "1,000 training photos",
    ),
    "panels.maps_grid": lambda: panels.maps_grid(RNG.random((12, 12, 16)), "maps"),
    "panels.signed_maps_grid": lambda: panels.signed_maps_grid(RNG.normal(size=(12, 12, 10)), "before ReLU"),
    "plots.values_histogram": lambda: plots.values_histogram(RNG.normal(size=1000), "values"),
    "panels.kernels_figure": lambda: panels.kernels_figure(
        [RNG.random((5, 5, 1, 32)) - 0.5] * 2, ["initial", "learned"], size=0.9
    ),
    "panels.kernels_change_figure": lambda: panels.kernels_change_figure(
        RNG.random((5, 5, 1, 10)) - 0.5, RNG.random((5, 5, 1, 10)) - 0.5
    ),
    "plots.loss_quiz_figure": lambda: plots.loss_quiz_figure(
        [{"clean_loss": [1, 0.1, 0.01], "val_loss": [1, 0.5, 0.6]}] * 4, list("ABCD")
    ),
    "panels.conv_matrix_figure": lambda: panels.conv_matrix_figure((3, 3), (6, 6)),
    "panels.network_figure": lambda: panels.network_figure(
        (32, 32, 3),
        [Conv(10, 5), Pool(2), Conv(16, 3, padding="same"), Pool(2), Flatten(), Dense(10, "softmax")],
    ),
    "plots.learning_curves": lambda: plots.learning_curves(
        {
            "loss": [1, 0.5, 0.4],
            "val_loss": [1, 0.6, 0.5],
            "accuracy": [0.5, 0.8, 0.9],
            "val_accuracy": [0.5, 0.7, 0.8],
        }
    ),
    "plots.confusion_figure": lambda: plots.confusion_figure(np.array([[50, 3], [4, 43]]), ["4", "9"]),
    "compare.class_grid": lambda: compare.class_grid(
        RNG.random((30, 28, 28)), np.arange(30) % 10, [f"class {c}" for c in range(9)] + ["T-shirt/top"]
    ),
    "compare.seed_curves": lambda: compare.seed_curves(
        {"without BN": [[0.1, 0.5, 0.7]] * 5, "with BN": [[0.6, 0.8, 0.85]] * 5},
        "validation accuracy",
        "LeNet-5, SGD with learning rate 0.1",
        target=0.7,
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_label_is_10_px_on_screen(name):
    with drawn(FIGURES[name]) as fig:
        sizes = style.text_sizes(fig)
        assert sizes, f"{name} draws no label"
        _assert_legible(name, sizes, "labels")


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


# ------------------------------------------------------------------ the numbers in the cells
def _chapter_figures():
    """The grid figures with numbers that the chapters draw, with the chapters' own arrays (01-07, 11)."""
    from helpers import data, ops

    A, B = data.load("digit4"), data.load("image_b")
    w = data.load("case1_weight")[0, 0]
    pair, pad = data.load("case2_weights"), ((0, 0), (1, 1))
    K, image, kernel = data.load("case5_kernel"), data.load("conv6x6_image"), data.load("conv6x6_kernel")
    x2, kernels, biases = data.two_channel()
    bar = np.zeros((8, 6))
    bar[3:5] = 1
    across, down = np.array([[1, -1]]), np.array([[1], [-1]])
    patch = data.load_photo("chelsea")[150:154, 110:114]

    def bars(p, name):
        return grids.grid_panels(
            [p, ops.conv2d(p, down), ops.conv2d(p, across)],
            cmaps="RdBu",
            vmin=-1,
            vmax=1,
            decimals=0,
            titles=[name, f"{name} with [[1], [−1]]", f"{name} with [1, −1]"],
        )

    def pooling():  # the figure of ch11, with the chapter's arrays
        conv_out = ops.conv2d(image, kernel)
        return grids.pooling_figure(
            conv_out, {m: ops.pool2d(conv_out, 2, mode=m) for m in ("max", "avg", "l2")}
        )

    return {
        "ch01 image_and_grid A": lambda: grids.image_and_grid(A, title="The article's digit 4"),
        "ch01 article and real 4": lambda: grids.digit_beside_real(
            A, data.load_mnist_5k()[0][2000], (12, 15, 6)
        ),
        "ch01 patch channels": lambda: grids.grid_panels(
            [patch[:, :, 0], patch[:, :, 1], patch[:, :, 2]],
            cmaps="gray",
            vmin=0,
            vmax=255,
            titles=["red", "green", "blue"],
        ),
        "ch02 window A×w": lambda: grids.window_figure(A, [[w]], position=0),
        "ch02 A, out1": lambda: grids.grid_panels([A, w * A], titles=["image A", "Case 1 output (×3)"]),
        "ch03 window B": lambda: grids.window_figure(B, pair, position=1),
        "ch03 B, out2": lambda: grids.grid_panels(
            [B, ops.conv2d(B, pair)], titles=["image B", "Case 2 output (1×2 kernel)"]
        ),
        "ch04 window B padded": lambda: grids.window_figure(B, pair, padding=pad, position=0),
        "ch06 window A K": lambda: grids.window_figure(A, K, position=0),
        "ch06 bar 8×6": lambda: bars(bar, "bar"),
        "ch06 bar.T 6×8": lambda: bars(bar.T, "bar.T"),
        "ch06 A, horizontal edges": lambda: grids.grid_panels(
            [A, ops.conv2d(A, down)],
            cmaps=["gray_r", "RdBu"],
            vmin=[0, -255],
            vmax=[255, 255],
            decimals=0,
            titles=["image A", "A with [[1], [−1]]\n(red < 0 < blue)"],
        ),
        "ch07 window 6×6 3×3": lambda: grids.window_figure(image, kernel, position=0),
        "ch07 two channels": lambda: grids.channel_figure(x2, kernels[..., 0], biases[0]),
        "ch11 pooling": pooling,
        # the widest numbers the chapters print, in small and in tall grids
        "widest numbers": lambda: grids.grid_panels(
            [np.array([[1035.81, 806.31], [-255, 1]]), np.full((17, 4), 1035.81)]
        ),
        "window widest": lambda: grids.window_figure(np.full((6, 6), 255.0), np.full((3, 3), 1.35)),
        "too wide for one row": lambda: grids.grid_panels([np.full((6, 5), 806.31)] * 3, titles=list("abc")),
    }


CHAPTER_FIGURES = _chapter_figures()


@pytest.fixture(scope="module")
def chapter_figure():
    """``CHAPTER_FIGURES[name]()`` drawn, by name: made and drawn on the first request, the same
    figure for every later test that reads it (they only read it); all closed at the end."""
    import matplotlib.pyplot as plt

    figs = {}

    def get(name):
        if name not in figs:
            figs[name] = fig = CHAPTER_FIGURES[name]()
            fig.canvas.draw()
        return figs[name]

    yield get
    for fig in figs.values():
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(CHAPTER_FIGURES))
def test_cell_numbers_are_10_px_on_screen(chapter_figure, name):
    """The numbers are the book's content: as legible on the page as every label."""
    fig = chapter_figure(name)
    sizes = style.cell_number_sizes(fig)
    assert sizes, f"{name} draws no cell number"
    _assert_legible(name, sizes, "cell numbers")
    _assert_legible(name, style.text_sizes(fig), "labels")


@pytest.mark.parametrize("name", sorted(CHAPTER_FIGURES))
def test_cell_numbers_fit_inside_their_cells(chapter_figure, name):
    """Each number is drawn inside its own cell (its text box within the cell's square)."""
    fig = chapter_figure(name)
    renderer = fig.canvas.get_renderer()
    over = []
    for t in fig.findobj(lambda o: getattr(o, "get_gid", lambda: None)() == style.CELL_NUMBER):
        x, y = t.get_position()
        (x0, y0), (x1, y1) = t.axes.transData.transform([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)])
        box = t.get_window_extent(renderer)
        inside = (
            min(x0, x1) - 0.5 <= box.x0
            and box.x1 <= max(x0, x1) + 0.5
            and min(y0, y1) - 0.5 <= box.y0
            and box.y1 <= max(y0, y1) + 0.5
        )
        if not inside:
            over.append((t.get_text(), round(box.width), round(abs(x1 - x0))))
    assert over == [], f"{name}: numbers wider than their cells (text, px, cell px): {over[:5]}"


def test_panels_too_wide_for_the_column_go_on_two_rows():
    import matplotlib.pyplot as plt

    fig = CHAPTER_FIGURES["too wide for one row"]()
    rows = sorted({round(ax.get_position().y1, 3) for ax in fig.axes}, reverse=True)
    assert len(rows) == 2 and style.screen_scale(fig) == 1.0
    assert [round(ax.get_position().y1, 3) for ax in fig.axes] == [rows[0], rows[0], rows[1]]
    plt.close(fig)


def test_a_long_sum_is_written_on_lines_that_fit_the_column():
    import matplotlib.pyplot as plt

    fig = CHAPTER_FIGURES["window widest"]()
    text = fig._suptitle.get_text()
    assert text.count("\n") == 1
    assert text.replace(" +\n", " + ") == " + ".join(["255×1.35"] * 9) + " = 3098.25"
    assert style.screen_scale(fig) == 1.0
    plt.close(fig)

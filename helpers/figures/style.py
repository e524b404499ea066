"""The book's matplotlib style (``book.mplstyle``, white card background) and ``subplots``,
which opens every figure of the book in it."""

from __future__ import annotations

import contextlib
from importlib import resources

#: The style file, shipped inside the package.
STYLE = resources.files("helpers.figures") / "book.mplstyle"
#: Resolution of the image panels and plots of Part III (keeps the notebooks small).
SMALL_DPI = 80
#: The website's text column at a 1280 px window (px): a wider figure is shown scaled down.
COLUMN_PX = 688
#: The smallest text a figure may show on that screen (px): titles, axis and tick labels,
#: legends, and the numbers inside a grid's cells (gid ``CELL_NUMBER``; ``cell_number_sizes``).
MIN_TEXT_PX = 10.0
CELL_NUMBER = "cnn-cell-number"
#: Colour maps of the book: feature maps (0 -> max) and kernels (blue < 0 < red); the page's
#: explorer paints with the same tables (``colormap_bytes``).
MAPS_CMAP = "magma"
KERNELS_CMAP = "RdBu_r"


@contextlib.contextmanager
def book_style():
    """A context in which matplotlib uses the book's style (for figures made by hand).

    Only the settings the style file names are set and restored afterwards. (Unlike
    ``plt.style.context``, which restores *every* setting: a first figure opened inside it
    loads the notebook's inline backend, which switches on interactive mode, and restoring
    would switch it off again, so later figures of the notebook were never shown.)
    """
    import matplotlib

    with resources.as_file(STYLE) as path:
        style = matplotlib.rc_params_from_file(str(path), use_default_template=False)
    saved = {key: matplotlib.rcParams[key] for key in style}
    matplotlib.rcParams.update(style)
    try:
        yield
    finally:
        matplotlib.rcParams.update(saved)


def subplots(*args, **kwargs):
    """``plt.subplots`` in the book's style: what every figure of the book is opened with. The
    figure is an ``alt.DescribedFigure``, which carries its alt text (``alt.describe``)."""
    import matplotlib.pyplot as plt

    from .alt import DescribedFigure

    kwargs.setdefault("FigureClass", DescribedFigure)
    with book_style():
        return plt.subplots(*args, **kwargs)


def screen_scale(fig, column_px: float = COLUMN_PX) -> float:
    """How much the website scales ``fig`` down to fit its text column (1 = natural size)."""
    return width_scale(fig.get_figwidth() * fig.dpi, column_px)


def width_scale(width_px: float, column_px: float = COLUMN_PX) -> float:
    """``screen_scale`` of a figure ``width_px`` wide (for a layout not yet drawn)."""
    return min(1.0, column_px / width_px)


def points(px: float, dpi: float, scale: float = 1.0) -> float:
    """The font size (pt) of a text ``px`` tall on the screen, on a figure of ``dpi`` shown
    at ``scale``."""
    return px * 72 / (dpi * scale)


def min_points(fig, min_px: float = MIN_TEXT_PX, column_px: float = COLUMN_PX) -> float:
    """The font size (pt) at which a text of ``fig`` is ``min_px`` tall on the website's screen."""
    return points(min_px, fig.dpi, screen_scale(fig, column_px))


def _screen_px(fig, texts, column_px):
    scale = screen_scale(fig, column_px)
    return [(t.get_text(), t.get_fontsize() * fig.dpi / 72 * scale) for t in texts]


def text_sizes(fig, column_px: float = COLUMN_PX) -> list[tuple[str, float]]:
    """Every visible label of ``fig`` (not a grid's cell numbers) with its height on the
    website's screen, in px."""
    from matplotlib.text import Text

    return _screen_px(fig, [t for t in fig.findobj(Text) if _label(t)], column_px)


def cell_number_sizes(fig, column_px: float = COLUMN_PX) -> list[tuple[str, float]]:
    """Every visible number inside a grid's cells (gid ``CELL_NUMBER``) with its height on
    the website's screen, in px (the same scale as ``text_sizes``)."""
    from matplotlib.text import Text

    return _screen_px(
        fig, [t for t in fig.findobj(Text) if _shown(t) and t.get_gid() == CELL_NUMBER], column_px
    )


def _shown(t) -> bool:
    return t.get_visible() and bool(t.get_text().strip())


def _label(t) -> bool:
    return _shown(t) and t.get_gid() != CELL_NUMBER


def legible(fig, min_px: float = MIN_TEXT_PX, column_px: float = COLUMN_PX):
    """Raise every text of ``fig`` that would be smaller than ``min_px`` on the website's
    screen (after the figure is scaled to the text column) to ``min_px``; lays the figure
    out again. Returns ``fig``."""
    from matplotlib.text import Text

    min_pt = min_points(fig, min_px, column_px)
    small = [t for t in fig.findobj(Text) if _label(t) and t.get_fontsize() < min_pt]
    for t in small:
        t.set_fontsize(min_pt)
    for ax in fig.axes:  # tick labels are made again at draw time: set their size at the source
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_ticklabels() and axis.get_ticklabels()[0].get_fontsize() < min_pt:
                axis.set_tick_params(labelsize=min_pt)
    if small:
        fig.tight_layout()
    return fig


def colormap_bytes(name: str, n: int = 256) -> bytes:
    """The matplotlib colour map ``name`` as ``n`` RGB triples of uint8 (for page code that
    paints with the same colours as the figures)."""
    import matplotlib
    import numpy as np

    rgb = matplotlib.colormaps[name](np.linspace(0, 1, n))[:, :3]
    return np.round(rgb * 255).astype(np.uint8).tobytes()

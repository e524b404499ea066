"""Number grids as matplotlib figures: values in shaded cells, a highlighted window and the
output cell it produces, several grids or pictures side by side.

``draw_grid`` draws one grid on an axis; ``image_and_grid`` (a picture beside its numbers),
``window_figure`` (one step of a sweep: input, kernel, output), ``grid_panels`` and
``pooling_figure`` (a map beside its pooled maps, each on a colour scale that fits it) build
whole figures, in the book's style (``helpers.figures.style``).

The whole figures are laid out from their cells (``_panel_figure``): a cell is as wide as
the widest number it holds, the figure as wide as its cells, titles and index labels, and
no wider than the website's text column where it can be (panels that do not fit side by
side go on a second row), so the numbers are at least ``MIN_TEXT_PX`` tall on the page.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..fmt import fmt_number
from ..sweep import ChannelSweep, SweepFrames
from . import alt
from .style import (
    CELL_NUMBER,
    COLUMN_PX,
    MIN_TEXT_PX,
    book_style,
    legible,
    min_points,
    points,
    subplots,
    width_scale,
)

#: Sizes (pt) on a figure shown at its natural size: the cell numbers, the index labels,
#: the panel titles. On a figure the site scales down they grow to stay ``MIN_TEXT_PX`` tall.
NUMBER_PT, LABEL_PT, TITLE_PT = 8.0, 7.0, 10.0
#: The smallest cell (in) and the room (pt) a number leaves on each side inside its cell.
CELL_MIN_IN, CELL_PAD_PT = 0.28, 3.0
#: Room (in) between panels, between rows of panels and around the figure.
GAP_IN, ROW_GAP_IN, MARGIN_IN = 0.25, 0.2, 0.1
_TICK_PAD_PT, _TITLE_PAD_PT = 3.5, 6.0  # matplotlib's xtick.major.pad and axes.titlepad


@functools.lru_cache(maxsize=4096)
def _text_pt(text: str, size: float) -> tuple[float, float]:
    """Width and height (pt) of ``text`` (lines split at ``\\n``) at font ``size``, as
    matplotlib lays it out."""
    from matplotlib.font_manager import FontProperties

    renderer, prop = _renderer(), FontProperties(size=size)
    lines = text.split("\n")
    width = max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines) / 10
    return width, size * (1.2 * len(lines) - 0.2 + 0.25)


@functools.lru_cache(maxsize=1)
def _renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, 720)  # 720 dpi: a tenth of a point a pixel, not rounded to 1 pt


def _numbers(vals, decimals):
    return [fmt_number(v, decimals) if np.isfinite(v) else "*" for v in np.ravel(vals)]


def _widest(strings, size):
    return max((_text_pt(t, size)[0] for t in strings), default=0.0)


def _fitting_size(strings, cell_pt):
    """The largest font size (pt) at which every string fits inside a ``cell_pt`` cell."""
    widest = max(_widest(strings, 10.0) / 10.0, 1e-9)  # text width grows with the size
    return min((cell_pt - 2 * CELL_PAD_PT) / widest, (cell_pt - 2) / 1.45)


def draw_grid(
    ax,
    values,
    *,
    cmap="gray_r",
    vmin=None,
    vmax=None,
    decimals=2,
    window=None,
    cell=None,
    title=None,
    show_numbers=True,
    fontsize=None,
    index_labels=True,
):
    """Draw ``values`` as shaded cells with their numbers.

    window: ``(row, col, height, width)`` outlined in orange; cell: ``(row, col)`` outlined in
    blue. NaN cells are drawn hatched with ``*`` (a value the source does not give).
    fontsize: of the numbers; by default as large as the cells (at the axis's present size)
    hold, up to 10 pt, and never under ``MIN_TEXT_PX`` on the website's screen. The index
    labels and the title are never under it either.
    """
    import matplotlib.patches as mpatches

    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must be 2-D to draw as a grid, got shape {vals.shape}")
    finite = vals[np.isfinite(vals)]
    lo = vmin if vmin is not None else (finite.min() if finite.size else 0.0)
    hi = vmax if vmax is not None else (finite.max() if finite.size else 1.0)
    ax.imshow(
        np.ma.masked_invalid(vals),
        cmap=cmap,
        vmin=lo,
        vmax=hi if hi > lo else lo + 1,
        interpolation="nearest",
    )
    h, w = vals.shape
    fig = ax.figure
    legible_pt = min_points(fig)
    if show_numbers:
        import matplotlib.pyplot as plt

        cm = plt.get_cmap(cmap)
        size = fontsize
        if size is None:
            box = ax.get_position()
            cell_pt = 72 * min(box.width * fig.get_figwidth() / w, box.height * fig.get_figheight() / h)
            size = max(legible_pt, min(10.0, _fitting_size(_numbers(vals, decimals), cell_pt)))
        for (r, c), v in np.ndenumerate(vals):
            if np.isfinite(v):
                t = (v - lo) / (hi - lo) if hi > lo else 0.0
                red, green, blue, _ = cm(float(np.clip(t, 0, 1)))
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.55
                ax.text(
                    c,
                    r,
                    fmt_number(v, decimals),
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="black" if light else "white",
                    gid=CELL_NUMBER,
                )
            else:
                ax.add_patch(
                    mpatches.Rectangle(
                        (c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6", lw=0
                    )
                )
                ax.text(c, r, "*", ha="center", va="center", fontsize=size, color="0.3", gid=CELL_NUMBER)
    ax.set_xticks(np.arange(w) if index_labels else [])
    ax.set_yticks(np.arange(h) if index_labels else [])
    ax.tick_params(length=0, labelsize=max(LABEL_PT, legible_pt))
    ax.set_xticks(np.arange(-0.5, w, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, h, 1), minor=True)
    ax.grid(which="minor", color="0.75", lw=0.5)
    ax.tick_params(which="minor", length=0)
    if window is not None:
        r0, c0, wh, ww = window
        ax.add_patch(mpatches.Rectangle((c0 - 0.5, r0 - 0.5), ww, wh, fill=False, edgecolor="#e66100", lw=3))
    if cell is not None:
        ax.add_patch(
            mpatches.Rectangle((cell[1] - 0.5, cell[0] - 0.5), 1, 1, fill=False, edgecolor="#1f5fbf", lw=3)
        )
    if title:
        ax.set_title(title, fontsize=max(TITLE_PT, legible_pt))
    return ax


# ----------------------------------------------------------------------------- layout
@dataclass(frozen=True)
class _Panel:
    """One panel of a figure, in cells: a grid (``numbers``: the strings its cells show,
    empty for none) or a picture (no index labels) in a box of ``rows`` x ``cols`` cells."""

    rows: float
    cols: float
    title: str = ""
    numbers: tuple = ()
    index_labels: bool = True


@dataclass
class _Layout:
    width: float  # in
    height: float
    rects: list  # (left, bottom, width, height) of each grid, in
    sizes: dict  # pt: number, label, title, suptitle
    suptitle_text: str = ""
    suptitle_y: float = 0.0  # in, from the bottom


def _balanced(n, nrows):
    per = -(-n // nrows)
    return [list(range(i, min(i + per, n))) for i in range(0, n, per)]


def _wrap(text, size, width_in):
    """``text`` broken after a `` +`` (a written-out sum) into lines no wider than ``width_in``."""
    parts = text.split(" + ")
    lines = [parts[0]]
    for part in parts[1:]:
        trial = f"{lines[-1]} + {part}"
        if _text_pt(trial + " +", size)[0] / 72 > width_in:
            lines[-1] += " +"
            lines.append(part)
        else:
            lines[-1] = trial
    return "\n".join(lines)


def _arrange(panels, groups, scale, dpi, grow_numbers, suptitle, suptitle_pt):
    """The figure's geometry with the panels in rows ``groups``, for a screen scale
    ``scale``: every text at least ``MIN_TEXT_PX`` tall at that scale."""
    legible_pt = points(MIN_TEXT_PX, dpi, scale)
    sizes = {
        "number": max(NUMBER_PT, legible_pt) if grow_numbers else NUMBER_PT,
        "label": max(LABEL_PT, legible_pt),
        "title": max(TITLE_PT, legible_pt),
        "suptitle": max(suptitle_pt, legible_pt),
    }
    numbers = [t for p in panels for t in p.numbers]
    cell = CELL_MIN_IN
    if numbers:
        cell = max(
            cell,
            (_widest(numbers, sizes["number"]) + 2 * CELL_PAD_PT) / 72,
            sizes["number"] * 1.45 / 72 + 2 / 72,
        )
    label_h = (_text_pt("0", sizes["label"])[1] + _TICK_PAD_PT) / 72
    boxes = []  # per panel: left extent, grid w, right extent, top, bottom
    for p in panels:
        gw, gh = p.cols * cell, p.rows * cell
        left = bottom = 0.0
        if p.index_labels:
            left = (_text_pt(str(int(p.rows) - 1), sizes["label"])[0] + _TICK_PAD_PT) / 72
            bottom = label_h
        tw, th = _text_pt(p.title, sizes["title"]) if p.title else (0.0, -_TITLE_PAD_PT)
        over = max(0.0, (tw / 72 - gw) / 2)
        boxes.append((max(left, over), gw, gh, over, (th + _TITLE_PAD_PT) / 72, bottom))
    rows = []
    for g in groups:
        width = sum(boxes[i][0] + boxes[i][1] + boxes[i][3] for i in g) + GAP_IN * (len(g) - 1)
        top = max(boxes[i][4] for i in g)
        rows.append((g, width, top, max(boxes[i][2] for i in g), max(boxes[i][5] for i in g)))
    content_w = max(r[1] for r in rows)
    sup, sup_h = "", 0.0
    if suptitle:
        sup = _wrap(suptitle, sizes["suptitle"], max(content_w, COLUMN_PX / dpi - 2 * MARGIN_IN))
        sup_h = _text_pt(sup, sizes["suptitle"])[1] / 72 + 0.1
    fig_w = max(content_w, _text_pt(sup, sizes["suptitle"])[0] / 72 if sup else 0) + 2 * MARGIN_IN
    fig_h = 2 * MARGIN_IN + sup_h + sum(r[2] + r[3] + r[4] for r in rows) + ROW_GAP_IN * (len(rows) - 1)
    rects = [None] * len(panels)
    y = fig_h - MARGIN_IN - sup_h
    for g, width, top, gh, bottom in rows:
        x, grid_top = (fig_w - width) / 2, y - top
        for i in g:
            left, w, h, right = boxes[i][:4]
            rects[i] = (x + left, grid_top - h, w, h)
            x += left + w + right + GAP_IN
        y = grid_top - gh - bottom - ROW_GAP_IN
    return _Layout(fig_w, fig_h, rects, sizes, sup, fig_h - MARGIN_IN)


def _solve(panels, groups, dpi, grow_numbers, suptitle, suptitle_pt):
    """``_arrange`` at the screen scale its own width gives (texts grow, the figure widens,
    the scale falls: repeated until it settles, or falls under a half: numbers too many to
    be legible in the column)."""
    scale = 1.0
    while True:
        lay = _arrange(panels, groups, scale * 0.995, dpi, grow_numbers, suptitle, suptitle_pt)
        shown = width_scale(lay.width * dpi)
        if shown >= scale * 0.995 or shown < 0.5:
            return lay, shown
        scale = shown


def _panel_figure(panels, suptitle=None, suptitle_pt=TITLE_PT, rows=None):
    """A figure with one axis per panel, laid out from the cells (``_Layout``): on one row
    if the numbers are ``MIN_TEXT_PX`` tall on the website's screen there, else on as few
    rows as keep them so (if none does, one panel a row, the numbers grown to keep them so).
    ``rows`` (lists of panel numbers) fixes the rows instead, the numbers grown if they must.
    Returns the figure, its axes and the text sizes (pt)."""
    import matplotlib.pyplot as plt

    with book_style():
        fig = plt.figure(FigureClass=alt.DescribedFigure)
        dpi = fig.dpi
        n = len(panels)
        if rows is not None:
            lay, shown = _solve(panels, rows, dpi, False, suptitle, suptitle_pt)
            if points(MIN_TEXT_PX, dpi, shown) > NUMBER_PT:
                lay, _ = _solve(panels, rows, dpi, True, suptitle, suptitle_pt)
        for nrows in range(1, n + 1 if rows is None else 1):
            groups = _balanced(n, nrows)
            if len(groups) < nrows:
                continue
            lay, shown = _solve(panels, groups, dpi, False, suptitle, suptitle_pt)
            if points(MIN_TEXT_PX, dpi, shown) <= NUMBER_PT:
                break
        else:
            if rows is None:
                lay, _ = _solve(panels, _balanced(n, n), dpi, True, suptitle, suptitle_pt)
        fig.set_size_inches(lay.width, lay.height)
        axes = [
            fig.add_axes((x / lay.width, y / lay.height, w / lay.width, h / lay.height))
            for x, y, w, h in lay.rects
        ]
    if lay.suptitle_text:
        fig.suptitle(
            lay.suptitle_text, fontsize=lay.sizes["suptitle"], va="top", y=lay.suptitle_y / lay.height
        )
    return fig, axes, lay.sizes


def _grid(vals, title, decimals, show_numbers=True):
    vals = np.asarray(vals, dtype=float)
    return _Panel(*vals.shape, title or "", tuple(_numbers(vals, decimals)) if show_numbers else ())


def _picture(shape, side, title):
    """A picture's panel: within a square of ``side`` cells, as tall or as wide as it."""
    h, w = shape[:2]
    return _Panel(side * min(1, h / w), side * min(1, w / h), title or "", index_labels=False)


def image_and_grid(values, title="", cmap="gray_r", decimals=2):
    """The picture a person sees beside the numbers a machine stores (the book's first figure)."""
    vals = np.asarray(values, dtype=float)
    h, w = vals.shape
    fig, (left, right), sizes = _panel_figure(
        [_Panel(h, w, "what you see", index_labels=False), _grid(vals, "what the machine stores", decimals)],
        suptitle=title or None,
        suptitle_pt=11,
    )
    left.imshow(vals, cmap=cmap, vmin=0, vmax=255, interpolation="nearest")
    left.set_xticks([]), left.set_yticks([])
    left.set_title("what you see", fontsize=sizes["title"])
    draw_grid(
        right,
        vals,
        cmap=cmap,
        vmin=0,
        vmax=255,
        decimals=decimals,
        title="what the machine stores",
        fontsize=sizes["number"],
    )
    shading = {"gray_r": ", dark where the number is high", "gray": ", light where the number is high"}
    alt.describe(
        fig,
        f"{alt.title_words(title) + ': ' if title else ''}the same {alt.shape_words(vals.shape)} pixels "
        f"twice. Left, what you see: a picture{shading.get(cmap, '')}. Right, what the machine "
        f"stores: {alt.grid_words(vals, decimals)}.",
    )
    return legible(fig)


def digit_beside_real(article, real, block, titles=("the article's 4", "a real 4 (MNIST)"), title=""):
    """A small drawn digit beside a real handwritten one, both to the same scale (a pixel is
    the same size in both), and the numbers of a block of the real one: what the two grids
    share and the grey levels the real one adds. ``block`` is ``(row, col, size)``, the
    top-left cell and side of the square of ``real`` whose numbers are shown, outlined in orange
    on the picture. Both grids hold ink, 0 (no ink) to 255, drawn dark for much ink."""
    import matplotlib.patches as mpatches

    small, big = np.asarray(article, dtype=float), np.asarray(real, dtype=float)
    if small.ndim != 2 or big.ndim != 2:
        raise ValueError(f"article and real must be 2-D grids, got shapes {small.shape} and {big.shape}")
    r0, c0, n = (int(v) for v in block)
    if not (min(r0, c0) >= 0 and n > 0 and r0 + n <= big.shape[0] and c0 + n <= big.shape[1]):
        raise ValueError(f"block {block} must be a square inside the {alt.shape_words(big.shape)} real digit")
    vals = big[r0 : r0 + n, c0 : c0 + n]
    side = 12 / max(big.shape)  # cells of the layout a pixel takes: the real digit 12 cells a side
    pictures = [
        _Panel(a.shape[0] * side, a.shape[1] * side, t, index_labels=False)
        for a, t in zip((small, big), titles)
    ]
    block_title = f"the outlined {alt.shape_words(vals.shape)} block"
    fig, axes, sizes = _panel_figure(
        [*pictures, _grid(vals, block_title, 0)], suptitle=title or None, suptitle_pt=11
    )
    for ax, a, t in zip(axes, (small, big), titles):
        ax.imshow(a, cmap="gray_r", vmin=0, vmax=255, interpolation="nearest")
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_title(t, fontsize=sizes["title"])
    axes[1].add_patch(mpatches.Rectangle((c0 - 0.5, r0 - 0.5), n, n, fill=False, edgecolor="#e66100", lw=2.5))
    draw_grid(axes[2], vals, vmin=0, vmax=255, decimals=0, title=block_title, fontsize=sizes["number"])
    axes[2].set_yticks(np.arange(n), [str(r0 + i) for i in range(n)])  # the rows and columns of ``real``
    axes[2].set_xticks(np.arange(n), [str(c0 + i) for i in range(n)])
    levels = np.unique(big).size
    alt.describe(
        fig,
        f"{alt.title_words(title) + ': ' if title else ''}two digits 4 drawn to the same scale, "
        f"dark where the number is high. Left, {alt.title_words(titles[0])}: "
        f"{alt.grid_words(small, 0, numbers=False)}, {np.unique(small).size} different values. "
        f"Middle, {alt.title_words(titles[1])}: {alt.grid_words(big, 0, numbers=False)}, {levels} "
        f"different values, with the block of rows {r0} to {r0 + n - 1}, columns {c0} to {c0 + n - 1} "
        f"outlined in orange. Right, {block_title}: {alt.grid_words(vals, 0)}.",
    )
    return legible(fig)


def window_figure(x, kernel, stride=1, padding="valid", position=0, decimals=2, cmap="gray_r"):
    """Input (padded) with the window at output cell number ``position``, the kernel, and the
    output with that cell outlined - the static picture of one step of a sweep."""
    frame = SweepFrames(x, kernel, stride, padding)
    i, j = frame.cell(position)
    r0, c0 = frame.window_origin(position)
    kh, kw = frame.kernel.shape
    title = "input" + (" (zero-padded)" if frame.padded.shape != frame.x.shape else "")
    grids = [(frame.padded, title), (frame.kernel, "kernel"), (frame.out, "output")]
    fig, axes, sizes = _panel_figure(
        [_grid(v, t, decimals) for v, t in grids], suptitle=frame.arithmetic(position)
    )
    draw_grid(
        axes[0],
        frame.padded,
        cmap=cmap,
        window=(r0, c0, kh, kw),
        decimals=decimals,
        title=title,
        fontsize=sizes["number"],
    )
    draw_grid(
        axes[1], frame.kernel, cmap="Oranges", decimals=decimals, title="kernel", fontsize=sizes["number"]
    )
    draw_grid(
        axes[2],
        frame.out,
        cmap="Blues",
        cell=(i, j),
        decimals=decimals,
        title="output",
        fontsize=sizes["number"],
    )
    alt.describe(fig, window_words(frame, position, decimals))
    return legible(fig)


def window_words(frame: SweepFrames, position: int, decimals: int = 2) -> str:
    """``window_figure`` in words: where the window is, the kernel, the output cell and its sum."""
    i, j = frame.cell(position)
    r0, c0 = frame.window_origin(position)
    kh, kw = frame.kernel.shape
    padded = " (zero-padded)" if frame.padded.shape != frame.x.shape else ""
    rows = f"row {r0}" if kh == 1 else f"rows {r0} to {r0 + kh - 1}"
    cols = f"column {c0}" if kw == 1 else f"columns {c0} to {c0 + kw - 1}"
    return (
        f"One step of the sweep: output[{i}, {j}] = {frame.arithmetic(position, decimals)}. "
        f"Left, the input{padded}, {alt.grid_words(frame.padded, decimals)}, with the "
        f"{alt.shape_words(frame.kernel.shape)} window over {rows}, {cols} outlined in orange. "
        f"Middle, the kernel, {alt.grid_words(frame.kernel, decimals)}. Right, the output, "
        f"{alt.grid_words(frame.out, decimals)}, with cell [{i}, {j}] outlined in blue."
    )


def channel_figure(x, kernel, bias=0.0, position=0, decimals=2, cmap="gray_r"):
    """One step of a convolution over several channels: a row per channel (the channel with
    the window at output cell number ``position``, its slice of the kernel, the map the two
    give), then the output (the maps added, plus the bias) with that cell outlined. The title
    writes the output cell out from the channels' sums and the bias."""
    sweep = ChannelSweep(x, kernel, bias)
    i, j = sweep.cell(position)
    r0, c0 = sweep.window_origin(position)
    kh, kw = sweep.kernel.shape[:2]
    grids, rows = [], []
    for c, ch in enumerate(sweep.channels):
        rows.append(list(range(len(grids), len(grids) + 3)))
        grids += [(ch.x, f"channel {c}"), (ch.kernel, f"kernel, channel {c}"), (ch.out, f"map {c}")]
    plus = " + ".join(f"map {c}" for c in range(sweep.depth))
    out_title = f"output = {plus} + ({fmt_number(sweep.bias, decimals)})"
    rows.append([len(grids)])
    grids.append((sweep.out, out_title))
    fig, axes, sizes = _panel_figure(
        [_grid(v, t, decimals) for v, t in grids],
        suptitle=f"output[{i}, {j}] = {sweep.total(position, decimals)}",
        rows=rows,
    )
    lo, hi = float(sweep.x.min()), float(sweep.x.max())
    maps = np.stack([ch.out for ch in sweep.channels] + [sweep.out])
    for c, ch in enumerate(sweep.channels):
        ax_in, ax_k, ax_map = axes[3 * c : 3 * c + 3]
        draw_grid(
            ax_in,
            ch.x,
            cmap=cmap,
            vmin=lo,
            vmax=hi,
            window=(r0, c0, kh, kw),
            decimals=decimals,
            title=f"channel {c}",
            fontsize=sizes["number"],
        )
        draw_grid(
            ax_k,
            ch.kernel,
            cmap="Oranges",
            vmin=float(sweep.kernel.min()),
            vmax=float(sweep.kernel.max()),
            decimals=decimals,
            title=f"kernel, channel {c}",
            fontsize=sizes["number"],
        )
        draw_grid(
            ax_map,
            ch.out,
            cmap="Blues",
            vmin=float(maps.min()),
            vmax=float(maps.max()),
            cell=(i, j),
            decimals=decimals,
            title=f"map {c}",
            fontsize=sizes["number"],
        )
    draw_grid(
        axes[-1],
        sweep.out,
        cmap="Blues",
        vmin=float(maps.min()),
        vmax=float(maps.max()),
        cell=(i, j),
        decimals=decimals,
        title=out_title,
        fontsize=sizes["number"],
    )
    alt.describe(fig, channel_words(sweep, position, decimals))
    return legible(fig)


def channel_words(sweep: ChannelSweep, position: int, decimals: int = 2) -> str:
    """``channel_figure`` in words: each channel's row, then the output and its sum."""
    i, j = sweep.cell(position)
    r0, c0 = sweep.window_origin(position)
    kh, kw = sweep.kernel.shape[:2]
    rows = []
    for c, ch in enumerate(sweep.channels):
        rows.append(
            f"Row {c + 1}, channel {c}: {alt.grid_words(ch.x, decimals)}, with the "
            f"{alt.shape_words((kh, kw))} window over rows {r0} to {r0 + kh - 1}, columns {c0} to "
            f"{c0 + kw - 1} outlined in orange; its slice of the kernel, "
            f"{alt.grid_words(ch.kernel, decimals)}; and map {c}, {alt.grid_words(ch.out, decimals)}, "
            f"whose cell [{i}, {j}] is {ch.arithmetic(position, decimals)}."
        )
    return (
        f"One step of a convolution over {sweep.depth} channels: output[{i}, {j}] = "
        f"{sweep.total(position, decimals)}, the channels' sums plus the bias. "
        + " ".join(rows)
        + f" Last row, the output, the maps added plus the bias {fmt_number(sweep.bias, decimals)}: "
        f"{alt.grid_words(sweep.out, decimals)}, with cell [{i}, {j}] outlined in blue."
    )


# ----------------------------------------------------------------------------- panels
def grid_panels(
    arrays,
    titles=None,
    cmaps="gray_r",
    show_numbers=True,
    decimals=2,
    vmin=None,
    vmax=None,
    marks=None,
    suptitle=None,
    max_numbered=40,
):
    """Several grids (or pictures) side by side, e.g. an image and its shuffled copy, the
    three channels of a photo, or the two output channels of Case 4.

    arrays: 2-D arrays (drawn with ``draw_grid``) or ``(H, W, 3)`` RGB arrays (shown as a
    picture). Arrays larger than ``max_numbered`` cells a side are shown as plain pictures
    (numbers would not fit). cmaps, show_numbers, vmin, vmax: one value for all panels or a
    list with one per panel. marks: for each panel a list of ``(row, col)`` cells outlined
    in red with a dashed line (e.g. cells the article did not print), or None.
    Panels too wide to stand side by side in the website's text column with their numbers
    legible go on two (or more) rows; pictures beside grids are at most 12 cells a side.
    """
    import matplotlib.patches as mpatches

    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays)
    if n == 0:
        raise ValueError("arrays is empty; give at least one array to draw")

    def per_panel(name, value):
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                raise ValueError(f"{name} must have one entry per array ({n}), got {len(value)}")
            return list(value)
        return [value] * n

    titles, cmaps = per_panel("titles", titles), per_panel("cmaps", cmaps)
    numbers, lows, highs = (
        per_panel("show_numbers", show_numbers),
        per_panel("vmin", vmin),
        per_panel("vmax", vmax),
    )
    marks = per_panel("marks", marks)
    for a in arrays:
        if not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] == 3)):
            raise ValueError(f"each array must be 2-D or (H, W, 3) RGB, got shape {a.shape}")
    big = [max(a.shape[:2]) > max_numbered for a in arrays]
    if all(big):  # pictures only: a compact strip
        fig, axes = subplots(1, n, figsize=(min(12, 0.4 + 2.4 * n), 2.9))
        axes, sizes = np.atleast_1d(axes), {"title": TITLE_PT}
    else:  # grids (and pictures as tall as the tallest grid), laid out from the cells
        tallest = max(a.shape[0] for a, b in zip(arrays, big) if not b)
        fig, axes, sizes = _panel_figure(
            [
                _picture(a.shape, min(tallest, 12), t) if a.ndim == 3 or b else _grid(a, t, decimals, num)
                for a, b, t, num in zip(arrays, big, titles, numbers)
            ],
            suptitle=suptitle,
            suptitle_pt=11,
        )
    for ax, a, t, cm, num, lo, hi, mk, b in zip(
        axes, arrays, titles, cmaps, numbers, lows, highs, marks, big
    ):
        if a.ndim == 3 or b:
            ax.imshow(
                a if a.ndim == 3 else a.astype(float),
                cmap=None if a.ndim == 3 else cm,
                vmin=lo,
                vmax=hi,
                interpolation="nearest" if not b else "antialiased",
            )
            ax.set_xticks([]), ax.set_yticks([])
            if t:
                ax.set_title(t, fontsize=sizes["title"])
        else:
            draw_grid(
                ax,
                a,
                cmap=cm,
                vmin=lo,
                vmax=hi,
                decimals=decimals,
                title=t,
                show_numbers=num,
                fontsize=sizes["number"],
            )
        for r, c in mk or []:
            ax.add_patch(
                mpatches.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="#c01c28", lw=2.5, ls="--")
            )
    if all(big):
        if suptitle:
            fig.suptitle(suptitle, fontsize=11)
        fig.tight_layout()
    each = zip(arrays, titles, numbers, marks, big)
    words = [_panel_words(a, t, num, decimals, mk, b) for a, t, num, mk, b in each]
    lead = f"{alt.title_words(suptitle)}. " if suptitle else ""
    if n == 1:
        alt.describe(fig, f"{lead}{alt.capital(words[0])}.")
    else:
        alt.describe(fig, f"{lead}{n} panels side by side. " + " ".join(f"{alt.capital(w)}." for w in words))
    return legible(fig)


def _panel_words(array, title, numbers, decimals, marks, big):
    """One panel of ``grid_panels`` in words: its title, then the grid or picture."""
    what = (
        alt.picture_words(array)
        if array.ndim == 3 or big
        else alt.grid_words(array, decimals, numbers=numbers)
    )
    text = f"{alt.title_words(title)}: {what}" if title else what
    if marks:
        cells = ", ".join(f"[{r}, {c}]" for r, c in marks)
        text += f", with cells {cells} outlined in red dashes"
    return text


# ----------------------------------------------------------------------------- pooling
def pooling_figure(x, pooled: dict, size: int = 2, cell=(1, 0), cmap="Blues", decimals=2):
    """A map and its pooled versions side by side: ``pooled`` is ``{mode: pooled map}`` (e.g.
    ``{"max": ..., "avg": ..., "l2": ...}``, each pooled with ``size``×``size`` windows at
    stride ``size``). The block of ``x`` that feeds output ``cell`` is outlined in orange, and
    that output cell in blue in every pooled map.

    A pooled map whose values all lie inside the range of ``x`` (max and average pooling
    always do) is shaded on the scale of ``x``, so a colour means the same number in both; a
    map with values outside it (L2 pooling adds squares, so its values can exceed every input)
    gets its own scale, from its own smallest to its largest value, and says so in its title:
    on the scale of ``x`` its cells would all be clipped to the darkest colour."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or not pooled:
        raise ValueError(f"x must be a 2-D map and pooled a non-empty dict, got {x.shape} and {pooled!r}")
    lo, hi = float(x.min()), float(x.max())
    maps = {mode: np.asarray(p, dtype=float) for mode, p in pooled.items()}
    own = {mode: bool(p.min() < lo or p.max() > hi) for mode, p in maps.items()}
    widths = [x.shape[1]] + [p.shape[1] for p in maps.values()]
    fig, axes = subplots(1, len(widths), figsize=(sum(widths), 2.8), gridspec_kw={"width_ratios": widths})
    r, c = cell
    draw_grid(
        axes[0],
        x,
        cmap=cmap,
        decimals=decimals,
        window=(r * size, c * size, size, size),
        title=f"{alt.shape_words(x.shape)} map",
    )
    for ax, (mode, p) in zip(axes[1:], maps.items()):
        scale = {} if own[mode] else {"vmin": lo, "vmax": hi}
        title = f"{mode} pooling" + ("\n(own scale)" if own[mode] else "")
        draw_grid(ax, p, cmap=cmap, decimals=decimals, cell=cell, title=title, **scale)
    fig.tight_layout()
    shared = [m for m in maps if not own[m]]
    apart = [m for m in maps if own[m]]
    scales = []
    if shared:
        scales.append(
            f"{alt.listing(f'{m} pooling' for m in shared).replace('; ', ' and ')} shaded on the "
            f"map's scale, {alt.range_words(x, decimals)}"
        )
    if apart:
        scales.append(
            "; ".join(
                f"{m} pooling on a scale of its own, {alt.range_words(maps[m], decimals)}, "
                f"outside the map's range"
                for m in apart
            )
        )
    alt.describe(
        fig,
        f"{alt.grid_words(x, decimals)}, with the {size}×{size} block that feeds pooled cell "
        f"[{r}, {c}] outlined in orange; beside it "
        f"{alt.count_words(len(maps), 'pooled map')}, that cell outlined in blue: "
        + alt.listing(f"{m} pooling, {alt.grid_words(p, decimals)}" for m, p in maps.items())
        + ". Shading: "
        + alt.listing(scales)
        + ".",
    )
    return legible(fig)

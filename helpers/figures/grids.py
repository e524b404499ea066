"""Number grids as matplotlib figures: values in shaded cells, a highlighted window and the
output cell it produces, several grids or pictures side by side.

``draw_grid`` draws one grid on an axis; ``image_and_grid`` (a picture beside its numbers),
``window_figure`` (one step of a sweep: input, kernel, output) and ``grid_panels`` build whole
figures, in the book's style (``helpers.figures.style``).
"""

from __future__ import annotations

import numpy as np

from ..fmt import fmt_number
from ..sweep import SweepFrames
from .style import CELL_NUMBER, legible, subplots


def draw_grid(ax, values, *, cmap="gray_r", vmin=None, vmax=None, decimals=2, window=None,
              cell=None, title=None, show_numbers=True, fontsize=None, index_labels=True):
    """Draw ``values`` as shaded cells with their numbers.

    window: ``(row, col, height, width)`` outlined in orange; cell: ``(row, col)`` outlined in
    blue. NaN cells are drawn hatched with ``*`` (a value the source does not give).
    """
    import matplotlib.patches as mpatches

    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must be 2-D to draw as a grid, got shape {vals.shape}")
    finite = vals[np.isfinite(vals)]
    lo = vmin if vmin is not None else (finite.min() if finite.size else 0.0)
    hi = vmax if vmax is not None else (finite.max() if finite.size else 1.0)
    ax.imshow(np.ma.masked_invalid(vals), cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1,
              interpolation="nearest")
    h, w = vals.shape
    if show_numbers:
        import matplotlib.pyplot as plt
        cm = plt.get_cmap(cmap)
        size = fontsize or max(5, min(10, 140 / max(h, w * 1.6)))
        for (r, c), v in np.ndenumerate(vals):
            if np.isfinite(v):
                t = (v - lo) / (hi - lo) if hi > lo else 0.0
                red, green, blue, _ = cm(float(np.clip(t, 0, 1)))
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.55
                ax.text(c, r, fmt_number(v, decimals), ha="center", va="center",
                        fontsize=size, color="black" if light else "white", gid=CELL_NUMBER)
            else:
                ax.add_patch(mpatches.Rectangle((c - .5, r - .5), 1, 1, fill=False,
                                                hatch="///", edgecolor="0.6", lw=0))
                ax.text(c, r, "*", ha="center", va="center", fontsize=size, color="0.3",
                        gid=CELL_NUMBER)
    ax.set_xticks(np.arange(w) if index_labels else [])
    ax.set_yticks(np.arange(h) if index_labels else [])
    ax.tick_params(length=0, labelsize=7)
    ax.set_xticks(np.arange(-.5, w, 1), minor=True)
    ax.set_yticks(np.arange(-.5, h, 1), minor=True)
    ax.grid(which="minor", color="0.75", lw=0.5)
    ax.tick_params(which="minor", length=0)
    if window is not None:
        r0, c0, wh, ww = window
        ax.add_patch(mpatches.Rectangle((c0 - .5, r0 - .5), ww, wh, fill=False,
                                        edgecolor="#e66100", lw=3))
    if cell is not None:
        ax.add_patch(mpatches.Rectangle((cell[1] - .5, cell[0] - .5), 1, 1, fill=False,
                                        edgecolor="#1f5fbf", lw=3))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _figure(ncols, width, height, ratios=None):
    fig, axes = subplots(1, ncols, figsize=(width, height),
                         gridspec_kw={"width_ratios": ratios} if ratios else None)
    return fig, np.atleast_1d(axes)


def image_and_grid(values, title="", cmap="gray_r", decimals=2):
    """The picture a person sees beside the numbers a machine stores (the book's first figure)."""
    vals = np.asarray(values, dtype=float)
    h, w = vals.shape
    fig, (left, right) = _figure(2, 2 + 1.5 * w * 0.9, 0.32 * h + 1)
    left.imshow(vals, cmap=cmap, vmin=0, vmax=255, interpolation="nearest")
    left.set_xticks([]), left.set_yticks([])
    left.set_title("what you see", fontsize=10)
    draw_grid(right, vals, cmap=cmap, vmin=0, vmax=255, decimals=decimals,
              title="what the machine stores")
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return legible(fig)


def window_figure(x, kernel, stride=1, padding="valid", position=0, decimals=2, cmap="gray_r"):
    """Input (padded) with the window at output cell number ``position``, the kernel, and the
    output with that cell outlined - the static picture of one step of a sweep."""
    frame = SweepFrames(x, kernel, stride, padding)
    i, j = frame.cell(position)
    r0, c0 = frame.window_origin(position)
    kh, kw = frame.kernel.shape
    ph, pw = frame.padded.shape
    ow = frame.out.shape[1]
    fig, axes = _figure(3, min(14, 2.5 + 0.55 * (pw + kw + ow)), 0.45 * max(ph, 4) + 1.2,
                        ratios=[pw, max(kw, 2), ow])
    draw_grid(axes[0], frame.padded, cmap=cmap, window=(r0, c0, kh, kw), decimals=decimals,
              title="input" + (" (zero-padded)" if frame.padded.shape != frame.x.shape else ""))
    draw_grid(axes[1], frame.kernel, cmap="Oranges", decimals=decimals, title="kernel")
    draw_grid(axes[2], frame.out, cmap="Blues", cell=(i, j), decimals=decimals, title="output")
    fig.suptitle(frame.arithmetic(position), fontsize=10)
    fig.tight_layout()
    return legible(fig)


# ----------------------------------------------------------------------------- panels
def grid_panels(arrays, titles=None, cmaps="gray_r", show_numbers=True, decimals=2,
                vmin=None, vmax=None, marks=None, suptitle=None, max_numbered=40):
    """Several grids (or pictures) side by side, e.g. an image and its shuffled copy, the
    three channels of a photo, or the two output channels of Case 4.

    arrays: 2-D arrays (drawn with ``draw_grid``) or ``(H, W, 3)`` RGB arrays (shown as a
    picture). Arrays larger than ``max_numbered`` cells a side are shown as plain pictures
    (numbers would not fit). cmaps, show_numbers, vmin, vmax: one value for all panels or a
    list with one per panel. marks: for each panel a list of ``(row, col)`` cells outlined
    in red with a dashed line (e.g. cells the article did not print), or None.
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
    numbers, lows, highs = (per_panel("show_numbers", show_numbers),
                            per_panel("vmin", vmin), per_panel("vmax", vmax))
    marks = per_panel("marks", marks)
    for a in arrays:
        if not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] == 3)):
            raise ValueError(f"each array must be 2-D or (H, W, 3) RGB, got shape {a.shape}")
    big = [max(a.shape[:2]) > max_numbered for a in arrays]
    if all(big):  # pictures only: a compact strip
        fig, axes = _figure(n, min(12, 0.4 + 2.4 * n), 2.9)
    else:
        widths = [a.shape[1] if not b else 6 for a, b in zip(arrays, big)]
        rows = max(a.shape[0] if not b else 12 for a, b in zip(arrays, big))
        fig, axes = _figure(n, min(14, 1.0 + sum(0.62 * w + 0.5 for w in widths)),
                            min(9, 0.34 * rows + 1.3), ratios=widths)
    for ax, a, t, cm, num, lo, hi, mk, b in zip(axes, arrays, titles, cmaps, numbers, lows,
                                                 highs, marks, big):
        if a.ndim == 3 or b:
            ax.imshow(a if a.ndim == 3 else a.astype(float), cmap=None if a.ndim == 3 else cm,
                      vmin=lo, vmax=hi, interpolation="nearest" if not b else "antialiased")
            ax.set_xticks([]), ax.set_yticks([])
            if t:
                ax.set_title(t, fontsize=10)
        else:
            draw_grid(ax, a, cmap=cm, vmin=lo, vmax=hi, decimals=decimals, title=t,
                      show_numbers=num)
        for r, c in mk or []:
            ax.add_patch(mpatches.Rectangle((c - .5, r - .5), 1, 1, fill=False,
                                            edgecolor="#c01c28", lw=2.5, ls="--"))
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    fig.tight_layout()
    return legible(fig)

"""Figures of Part IV's comparisons: a few photos of every class under its name, and one
curve per recorded seed for each of two or more variants (a design with and without skips,
with and without batch normalization), the alt text written from the numbers drawn."""

from __future__ import annotations

import numpy as np

from . import alt
from .style import SMALL_DPI, legible, subplots

#: One colour per variant (up to four), the book's blue, red, green and grey.
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#555555")


def class_grid(images, labels, class_names, per_class: int = 3, size: float = 1.05):
    """``per_class`` photos of every class, one column per class, its name on top. The
    photos are the first of each class in ``images`` ((n, 28, 28) or (n, 28, 28, 1))."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    n = len(class_names)
    picks = [np.flatnonzero(labels == c)[:per_class] for c in range(n)]
    if any(len(p) < per_class for p in picks):
        raise ValueError(f"every class needs {per_class} photos in images")
    fig, axes = subplots(per_class, n, figsize=(size * n, size * per_class + 0.45), squeeze=False)
    for c, rows in enumerate(picks):
        for r, i in enumerate(rows):
            ax = axes[r, c]
            ax.imshow(images[i], cmap="gray_r", interpolation="nearest")
            ax.set_xticks([]), ax.set_yticks([])
        axes[0, c].set_title(class_names[c].replace("/", "/\n"), fontsize=9)
    fig.tight_layout(pad=0.3)
    h, w = images.shape[1:3]
    alt.describe(
        fig,
        f"{alt.count_words(per_class * n, 'photo')} in {alt.count_words(n, 'column')} of "
        f"{per_class}, {h}×{w} grey, shown dark on white, one column per class: "
        f"{alt.listing(class_names)}.",
    )
    return legible(fig)


def _g(v) -> str:
    return f"{float(v):.3g}"


def _spread(values) -> str:
    """``"0.5"`` for values that agree at 3 digits, else ``"between 0.5 and 0.6"``."""
    low, high = _g(min(values)), _g(max(values))
    return low if low == high else f"between {low} and {high}"


def seed_curves(groups: dict, ylabel: str, title: str = "", log: bool = False, target: float | None = None):
    """One line per recorded seed, one colour per variant: ``groups`` maps a variant's name
    to its curves (one list of per-epoch values per seed). ``target`` draws a dotted
    horizontal line (an accuracy to reach)."""
    if not groups or len(groups) > len(COLOURS):
        raise ValueError(f"seed_curves draws 1 to {len(COLOURS)} variants, got {len(groups)}")
    fig, ax = subplots(figsize=(6.4, 3.6), dpi=SMALL_DPI)
    parts = []
    for (name, curves), colour in zip(groups.items(), COLOURS):
        curves = [np.asarray(c, dtype=float) for c in curves]
        for i, curve in enumerate(curves):
            ax.plot(
                np.arange(1, len(curve) + 1),
                curve,
                "-",
                color=colour,
                alpha=0.8,
                label=name if i == 0 else None,
            )
        first, last = [c[0] for c in curves], [c[-1] for c in curves]
        parts.append(
            f"{name} ({alt.count_words(len(curves), 'seed')}): {_spread(first)} after epoch 1, "
            f"{_spread(last)} after epoch {len(curves[0])}"
        )
    if target is not None:
        ax.axhline(target, color="#777777", linestyle=":", linewidth=1.2, label=f"target {target:g}")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch"), ax.set_ylabel(ylabel), ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=11)
    ax.legend(fontsize=9)
    fig.tight_layout()
    lead = f"{alt.title_words(title)}. " if title else ""
    scale = " (log scale)" if log else ""
    extra = f", a dotted line at the target {target:g}" if target is not None else ""
    alt.describe(
        fig,
        f"{lead}Line chart of {ylabel}{scale} per epoch, one line per seed, one colour per "
        f"variant{extra}. {alt.capital(alt.listing(parts))}.",
    )
    return legible(fig)

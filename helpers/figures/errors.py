"""Chapter 20's figures: a confusion matrix of many classes, one cell a count, rows the true
class and columns the class predicted, the diagonal (right answers) in grey so that the errors
stand out in blue, its alt text naming every row's right answers and its errors; and one
number of several variants of a training, one line per seed across the variants, its alt text
listing every value."""

from __future__ import annotations

import numpy as np

from . import alt
from .style import CELL_NUMBER, SMALL_DPI, legible, subplots

#: One colour and marker per seed (up to five).
SEED_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#555555")
SEED_MARKERS = ("o", "s", "^", "D", "v")


def confusion_grid(matrix, class_names, title="test photos"):
    """``matrix[i, j]``: how many photos of true class i were predicted as class j."""
    m = np.asarray(matrix, dtype=np.int64)
    n = len(class_names)
    if m.shape != (n, n):
        raise ValueError(f"matrix must be {n}×{n} for {n} class names, got {m.shape}")
    errors = m.copy()
    np.fill_diagonal(errors, 0)
    top = max(int(errors.max()), 1)
    fig, ax = subplots(figsize=(7.2, 6.4), dpi=100)
    shown = np.ma.masked_array(errors, mask=np.eye(n, dtype=bool))
    ax.imshow(np.eye(n), cmap="Greys", vmin=0, vmax=4)
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=top)
    for (i, j), v in np.ndenumerate(m):
        dark = i != j and v > top / 2
        ax.text(
            j,
            i,
            str(v),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if dark else "black",
            gid=CELL_NUMBER,
        )
    ax.set_xticks(range(n), class_names, rotation=45, ha="right")
    ax.set_yticks(range(n), class_names)
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    alt.describe(fig, confusion_words(m, class_names, title))
    return legible(fig)


def confusion_words(matrix, class_names, title="test photos") -> str:
    """The alt text: per true class, how many were right and what the others were read as."""
    m = np.asarray(matrix, dtype=np.int64)
    rows = []
    for i, true in enumerate(class_names):
        wrong = [
            (int(m[i, j]), class_names[j]) for j in np.argsort(-m[i], kind="stable") if j != i and m[i, j]
        ]
        text = f"{true}: {int(m[i, i])} of {int(m[i].sum())} right"
        if wrong:
            text += ", " + ", ".join(f"{v} read as {name}" for v, name in wrong)
        rows.append(text)
    return (
        f"{alt.capital(alt.title_words(title))}: a {len(class_names)}×{len(class_names)} confusion matrix, "
        f"rows the true class, columns the predicted one, the errors shaded blue. "
        f"{'; '.join(rows)}. {int(np.trace(m))} of {int(m.sum())} are on the diagonal (right)."
    )


def seeds_across(values: dict, seeds, ylabel: str, title: str = ""):
    """``values`` maps each variant's name to its number for each of ``seeds`` (in that order):
    the variants side by side on the horizontal axis, one line per seed joining its numbers, so
    that a seed's variants compare with each other."""
    names, seeds = list(values), list(seeds)
    if not names or not 1 <= len(seeds) <= len(SEED_COLOURS):
        raise ValueError(f"seeds_across draws 1 to {len(SEED_COLOURS)} seeds of at least one variant")
    if any(len(v) != len(seeds) for v in values.values()):
        raise ValueError(f"every variant needs one value for each of the {len(seeds)} seeds")
    fig, ax = subplots(figsize=(7.2, 3.6), dpi=SMALL_DPI)
    for i, seed in enumerate(seeds):
        ax.plot(
            range(len(names)),
            [values[name][i] for name in names],
            "-",
            marker=SEED_MARKERS[i],
            color=SEED_COLOURS[i],
            alpha=0.8,
            label=f"seed {seed}",
        )
    ax.set_xticks(range(len(names)), names)
    ax.set_xlim(-0.4, len(names) - 0.6)
    ax.set_ylabel(ylabel), ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=11)
    ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    lead = f"{alt.capital(alt.title_words(title))}. " if title else ""
    seed_words = ", ".join(str(s) for s in seeds)
    alt.describe(
        fig,
        f"{lead}Line chart of {ylabel} for {alt.count_words(len(names), 'variant')} side by side, one "
        f"line per seed joining that seed's values. For seeds {seed_words}: "
        + alt.listing(f"{name} {', '.join(f'{v:.3f}' for v in values[name])}" for name in names)
        + ".",
    )
    return legible(fig)

"""Figures of chapter 19 (transfer learning): the target task's test accuracy against the
number of labelled photos per class for each way of training, and the validation accuracy
during fine-tuning at several learning rates."""

from __future__ import annotations

import numpy as np

from ..fmt import fmt_number
from . import alt
from .style import SMALL_DPI, legible, subplots

COLOURS = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd")
MARKERS = ("o", "s", "^", "D")


def _p(v) -> str:
    """An accuracy as a percentage with one decimal (``"91.2 %"``)."""
    return f"{100 * float(v):.1f} %"


def labels_figure(ranges: dict, names: dict):
    """``ranges``: {method: {per_class: (lowest, mean, highest)}} (``helpers.transfer.ranges``);
    one line per method through the means, a bar from the lowest to the highest seed, the
    photos per class on a logarithmic axis."""
    fig, ax = subplots(figsize=(6.4, 3.6), dpi=SMALL_DPI)
    parts = []
    sizes = sorted(next(iter(ranges.values())))
    for i, (method, by_size) in enumerate(ranges.items()):
        lo, mean, hi = (np.array([by_size[n][k] for n in sizes]) for k in range(3))
        shift = np.array(sizes) * (1 + 0.04 * (i - 1))  # side by side, not on top of each other
        ax.errorbar(
            shift,
            100 * mean,
            yerr=[100 * (mean - lo), 100 * (hi - mean)],
            marker=MARKERS[i],
            color=COLOURS[i],
            capsize=3,
            label=names[method],
        )
        parts.append(
            f"{names[method]}: "
            + ", ".join(f"{n} photos per class {_p(by_size[n][0])} to {_p(by_size[n][2])}" for n in sizes)
        )
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training photos per class (log scale)")
    ax.set_ylabel("test accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    alt.describe(
        fig,
        f"A line chart of the test accuracy against the training photos per class "
        f"({', '.join(str(n) for n in sizes)}, log scale), one line per way of training through "
        f"the mean over the seeds, a bar from the lowest to the highest seed. "
        f"{alt.capital(alt.listing(parts))}.",
    )
    return legible(fig)


def rates_figure(curves: dict, start: float | None = None):
    """``curves``: {label: list of per-epoch validation accuracies, one list per seed}, one
    panel-wide line per label (the mean over the seeds, shaded from the lowest to the highest);
    ``start``: the accuracy before fine-tuning, drawn as a dotted line."""
    fig, ax = subplots(figsize=(6.4, 3.4), dpi=SMALL_DPI)
    parts = []
    for i, (label, runs) in enumerate(curves.items()):
        a = 100 * np.asarray(runs, dtype=float)
        epochs = np.arange(1, a.shape[1] + 1)
        mean = a.mean(axis=0)
        ax.plot(epochs, mean, color=COLOURS[i], label=label)
        ax.fill_between(epochs, a.min(axis=0), a.max(axis=0), color=COLOURS[i], alpha=0.2)
        parts.append(
            f"{label}: mean {fmt_number(mean[0], 1)} % after epoch 1, lowest {fmt_number(mean.min(), 1)} %, "
            f"{fmt_number(mean[-1], 1)} % after epoch {len(epochs)}"
        )
    extra = ""
    if start is not None:
        ax.axhline(100 * start, color="#555555", linestyle=":", label="before fine-tuning")
        extra = f" A dotted line marks the mean before fine-tuning, {_p(start)}."
    ax.set_xlabel("fine-tuning epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    alt.describe(
        fig,
        f"A line chart of the validation accuracy during fine-tuning, one line per learning rate "
        f"(the mean over the seeds, shaded from the lowest to the highest seed). "
        f"{alt.capital(alt.listing(parts))}.{extra}",
    )
    return legible(fig)

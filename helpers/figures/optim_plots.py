"""Chapter 18's figure: the learning curves of several trainings overlaid, one colour per
recipe (an optimiser, a learning rate, a way to scale the inputs), every seed of a recipe drawn
in its colour, so that the spread over seeds shows beside the differences between recipes."""

from __future__ import annotations

import math

import numpy as np

from ..fmt import fmt_number
from . import alt
from .style import SMALL_DPI, legible, subplots

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
LABELS = {
    "loss": "training loss",
    "val_loss": "validation loss",
    "accuracy": "training accuracy",
    "val_accuracy": "validation accuracy",
}
LN10 = math.log(10)


def _g(v) -> str:
    return "not a number" if not np.isfinite(v) else fmt_number(float(v), 3)


def _finals(runs, key) -> str:
    last = [h[key][-1] for h in runs]
    if len(last) == 1:
        return _g(last[0])
    return f"{_g(min(last))} to {_g(max(last))} over {len(last)} seeds"


def curves_overlaid(
    recipes: dict, keys=("loss", "val_accuracy"), chance_loss: bool = False, log: bool = False
):
    """One panel per history key of ``keys`` (``"loss"``, ``"val_accuracy"``, ...), one line per
    run: ``recipes`` maps a recipe's label to its runs' histories (one or several seeds), all
    drawn in the recipe's colour. ``chance_loss``: a dotted line at ln 10, the loss of a network
    that gives every one of the ten classes the same probability. ``log``: the loss panels on a
    logarithmic scale."""
    recipes = {label: list(runs) for label, runs in recipes.items()}
    if not recipes or any(not runs for runs in recipes.values()):
        raise ValueError("recipes must map each label to at least one history")
    fig, axes = subplots(1, len(keys), figsize=(4.3 * len(keys), 3.2), dpi=SMALL_DPI, squeeze=False)
    parts = []
    for ax, key in zip(axes[0], keys):
        for colour, (label, runs) in zip(COLOURS, recipes.items()):
            for i, h in enumerate(runs):
                values = np.asarray(h[key], dtype=float)
                epochs = np.arange(1, len(values) + 1)
                ax.plot(
                    epochs,
                    values,
                    "-",
                    color=colour,
                    alpha=0.85 if len(runs) == 1 else 0.55,
                    label=label if i == 0 else None,
                )
        if chance_loss and "loss" in key:
            ax.axhline(LN10, color="black", linestyle=":", linewidth=1.2, label="ln 10 = 2.30")
        if log and "loss" in key:
            ax.set_yscale("log")
        ax.set_xlabel("epoch"), ax.set_ylabel(LABELS.get(key, key)), ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
        parts.append(
            f"{LABELS.get(key, key)}: "
            + alt.listing(f"{label} ends at {_finals(runs, key)}" for label, runs in recipes.items())
        )
    fig.tight_layout()
    epochs = max(len(h[keys[0]]) for runs in recipes.values() for h in runs)
    seeds = {len(runs) for runs in recipes.values()}
    per = f", {alt.count_words(seeds.pop(), 'seed')} each" if len(seeds) == 1 else ""
    dotted = ", a dotted line at ln 10 = 2.30" if chance_loss else ""
    alt.describe(
        fig,
        f"{alt.count_words(len(keys), 'line chart')} over {epochs} epochs, one colour for each of "
        f"{', '.join(recipes)}{per}{dotted}. {'. '.join(alt.capital(p) for p in parts)}.",
    )
    return legible(fig)

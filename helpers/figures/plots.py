"""Plots of training: a loss falling step by step (Part I), learning curves per epoch, a
confusion matrix with counts, the curves of an overfitting network and its cures, how
selective each layer's channels are, and a histogram of a layer's values around ReLU's 0
(Part III)."""

from __future__ import annotations

import numpy as np

from ..fmt import fmt_number
from . import alt
from .style import MAPS_CMAP, SMALL_DPI, legible, subplots


def _g(v) -> str:
    """A measured value in 3 significant digits (``0.0123``, ``1.2e-09``)."""
    return f"{float(v):.3g}"


def _course(values) -> str:
    """``"from 0.693 to 0.0412"``: a curve by its first and last value."""
    return f"from {_g(values[0])} to {_g(values[-1])}"


def loss_curve(losses, ylabel="loss (mean squared error)"):
    """The loss at each step of a descent, on a logarithmic scale."""
    losses = np.asarray(losses, dtype=float)
    fig, ax = subplots(figsize=(5, 2.6))
    ax.semilogy(losses, marker=".")
    ax.set_xlabel("step"), ax.set_ylabel(ylabel)
    fig.tight_layout()
    falls = "falling at every step" if np.all(np.diff(losses) < 0) else "not falling at every step"
    alt.describe(
        fig,
        f"A line chart of the {ylabel} over {len(losses)} steps on a logarithmic scale: "
        f"{_course(losses)}, {falls}.",
    )
    return legible(fig)


def learning_curves(history):
    """Loss and accuracy per epoch, training and validation (Keras ``History.history``)."""
    fig, axes = subplots(1, 2, figsize=(8.5, 3.2), dpi=SMALL_DPI)
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key, name in ((axes[0], "loss", "binary cross-entropy"), (axes[1], "accuracy", "accuracy")):
        ax.plot(epochs, history[key], "o-", label="training", color="#1f77b4")
        ax.plot(epochs, history["val_" + key], "s--", label="validation", color="#d62728")
        ax.set_xlabel("epoch"), ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3), ax.legend(fontsize=8)
    fig.tight_layout()
    alt.describe(
        fig,
        f"Two line charts over {len(epochs)} epochs, training (solid line, circles) and validation "
        f"(dashed line, squares). Left, binary cross-entropy: training {_course(history['loss'])}, "
        f"validation {_course(history['val_loss'])}. Right, accuracy: training "
        f"{_course(history['accuracy'])}, validation {_course(history['val_accuracy'])}.",
    )
    return legible(fig)


def confusion_figure(matrix, class_names, title="test set"):
    """A confusion matrix with counts in the cells (rows: true class, columns: predicted)."""
    m = np.asarray(matrix)
    fig, ax = subplots(figsize=(3.4, 3.0), dpi=SMALL_DPI)
    ax.imshow(m, cmap="Blues", vmin=0, vmax=max(int(m.max()), 1))
    for (i, j), v in np.ndenumerate(m):
        ax.text(
            j, i, str(v), ha="center", va="center", fontsize=12, color="white" if v > m.max() / 2 else "black"
        )
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    rows = [
        f"true {true}: " + ", ".join(f"{int(v)} read as {pred}" for pred, v in zip(class_names, m[i]))
        for i, true in enumerate(class_names)
    ]
    rows[0] = alt.capital(rows[0])
    right = int(np.trace(m))
    alt.describe(
        fig,
        f"{alt.title_words(title)}: a {len(class_names)}×{len(class_names)} confusion matrix, rows "
        f"the true class, columns the predicted one. {alt.listing(rows)}. {right} of "
        f"{int(m.sum())} are on the diagonal (read right).",
    )
    return legible(fig)


def overfitting_curves(runs, titles=None):
    """Loss and accuracy per epoch for each ``helpers.overfit`` run (one column each): the
    training digits as they are (solid), the validation digits (dashed) and, for a run with
    augmentation or dropout, Keras's own training numbers, measured on augmented digits with
    dropout on (dotted)."""
    runs = list(runs)
    fig, axes = subplots(
        2, len(runs), figsize=(4.2 * len(runs), 5.6), dpi=SMALL_DPI, squeeze=False, sharey="row"
    )
    for col, run in enumerate(runs):
        h = run.history
        epochs = np.arange(1, len(h["loss"]) + 1)
        for row, (key, name) in enumerate((("loss", "cross-entropy"), ("accuracy", "accuracy"))):
            ax = axes[row, col]
            ax.plot(epochs, h["clean_" + key], "-", color="#1f77b4", label="training digits")
            ax.plot(epochs, h["val_" + key], "--", color="#d62728", label="validation digits")
            if run.regularised:
                ax.plot(epochs, h[key], ":", color="#555555", label="Keras's training number")
            ax.set_title(f"{titles[col] if titles else run.variant}: {name}", fontsize=10)
            ax.set_xlabel("epoch"), ax.grid(alpha=0.3)
            if key == "loss":
                ax.set_yscale("log")
            ax.legend(fontsize=8)
    fig.tight_layout()
    alt.describe(fig, overfitting_words(runs, titles))
    return legible(fig)


def overfitting_words(runs, titles=None) -> str:
    """``overfitting_curves`` in words: per run, where each curve starts and ends."""
    runs = list(runs)
    parts = []
    for col, run in enumerate(runs):
        h = run.history
        name = titles[col] if titles else run.variant
        text = (
            f"{name}, over {len(h['loss'])} epochs: cross-entropy on the training digits "
            f"{_course(h['clean_loss'])}, on the validation digits {_course(h['val_loss'])}; "
            f"accuracy on the training digits {_course(h['clean_accuracy'])}, on the validation "
            f"digits {_course(h['val_accuracy'])}"
        )
        if run.regularised:
            text += f"; Keras's own training accuracy (dotted) {_course(h['accuracy'])}"
        parts.append(text)
    layout = "one column" if len(runs) == 1 else f"{len(runs)} columns"
    return (
        f"Line charts in {layout}, cross-entropy (log scale) above and accuracy below, the "
        f"training digits solid and the validation digits dashed. {alt.listing(parts)}."
    )


def loss_quiz_figure(histories, titles, train: str = "clean_loss"):
    """Recorded trainings side by side, unnamed (``titles`` such as "A", "B"): per panel the
    cross-entropy per epoch (log scale) on the training digits (solid) and on the validation
    digits (dashed); ``histories`` are ``helpers.overfit`` histories (``clean_loss``,
    ``val_loss``, ``loss``). ``train``: ``"clean_loss"``, the training digits as they are, or
    ``"loss"``, the training loss as ``fit`` reports it (the epoch's batch average). Nothing
    tells the trainings apart but their curves."""
    label = "training digits" if train == "clean_loss" else "training (as fit reports it)"
    histories = list(histories)
    n = len(histories)
    cols = 2 if n > 1 else 1
    rows = int(np.ceil(n / cols))
    fig, axes = subplots(
        rows, cols, figsize=(4.2 * cols, 2.9 * rows), dpi=SMALL_DPI, squeeze=False, sharey=True
    )
    parts = []
    for i, ax in enumerate(axes.ravel()):
        if i >= n:
            ax.axis("off")
            continue
        h, name = histories[i], titles[i]
        epochs = np.arange(1, len(h["val_loss"]) + 1)
        ax.plot(epochs, h[train], "-", color="#1f77b4", label=label)
        ax.plot(epochs, h["val_loss"], "--", color="#d62728", label="validation digits")
        ax.set_yscale("log"), ax.grid(alpha=0.3)
        ax.set_title(f"training {name}", fontsize=10), ax.set_xlabel("epoch")
        ax.legend(fontsize=8)
        best = int(np.argmin(h["val_loss"])) + 1
        parts.append(
            f"training {name}, over {len(epochs)} epochs: {label} {_course(h[train])}, "
            f"validation digits {_course(h['val_loss'])}, lowest at epoch {best} ({_g(min(h['val_loss']))})"
        )
    axes[0, 0].set_ylabel("cross-entropy")
    fig.tight_layout()
    alt.describe(
        fig,
        f"{alt.count_words(n, 'line chart')} of the cross-entropy per epoch on a logarithmic scale, "
        f"the training digits solid and the validation digits dashed: {alt.listing(parts)}.",
    )
    return legible(fig)


def selectivity_figure(means_by_layer: dict, n_channels: int = 24):
    """For each layer a (channels x digits) picture of the mean activation per digit
    (``overfit.class_means``), each channel scaled to its own maximum: flat rows respond to
    every digit alike, a single bright cell means a channel that answers one digit. Shows the
    ``n_channels`` most active channels."""
    names = list(means_by_layer)
    fig, axes = subplots(1, len(names), figsize=(2.6 * len(names), 4.4), dpi=SMALL_DPI, squeeze=False)
    for ax, name in zip(axes[0], names):
        m = np.asarray(means_by_layer[name])
        m = m[np.argsort(m.max(axis=1))[::-1][:n_channels]]
        top = m.max(axis=1, keepdims=True)
        ax.imshow(
            m / np.where(top > 0, top, 1.0),
            cmap=MAPS_CMAP,
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="nearest",
        )
        ax.set_xticks(range(m.shape[1])), ax.set_yticks([])
        ax.set_xlabel("digit"), ax.set_title(name, fontsize=10)
    axes[0, 0].set_ylabel(f"the {n_channels} most active channels")
    fig.tight_layout()
    flat = []
    for name in names:
        m = np.asarray(means_by_layer[name])
        m = m[np.argsort(m.max(axis=1))[::-1][:n_channels]]
        top = m.max(axis=1)
        share = (m.mean(axis=1)[top > 0] / top[top > 0]).mean() if (top > 0).any() else 0.0
        flat.append(f"{name} {fmt_number(share, 2)}")
    alt.describe(
        fig,
        f"{alt.count_words(len(names), 'picture')}, one per layer: for the {n_channels} most active "
        f"channels (rows) the mean activation for each digit 0 to 9 (columns), each row from black "
        f"(0) to light yellow (its own maximum). A flat row answers every digit alike, a single "
        f"bright cell one digit only. A row's mean over its maximum, averaged over the rows (1 is "
        f"flat, lower is more selective): {', '.join(flat)}.",
    )
    return legible(fig)


def values_histogram(values, title="", xlabel="value before ReLU", bins=80):
    """A histogram of ``values`` (e.g. every value of a conv layer's maps before ReLU), the bars
    below 0 blue and the others red, with a line at 0: ReLU sets everything left of it to 0."""
    vals = np.ravel(np.asarray(values, dtype=float))
    fig, ax = subplots(figsize=(6.4, 2.8), dpi=SMALL_DPI)
    _, edges, bars = ax.hist(vals, bins=bins, color="#d62728")
    for bar, left in zip(bars, edges[:-1]):
        if left < 0:
            bar.set_color("#1f77b4")
    ax.axvline(0, color="black", lw=1)
    below = float(np.mean(vals < 0))
    ax.text(
        0.02,
        0.92,
        f"{100 * below:.0f} % below 0: ReLU sets them to 0",
        transform=ax.transAxes,
        color="#1f77b4",
        va="top",
        fontsize=9,
    )
    ax.set_xlabel(xlabel), ax.set_ylabel("number of values")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    alt.describe(fig, values_words(vals, title, xlabel))
    return legible(fig)


def values_words(values, title="", xlabel="value before ReLU") -> str:
    """``values_histogram`` in words: how many values, their range, the shares below and above 0."""
    vals = np.ravel(np.asarray(values, dtype=float))
    lead = f"{alt.title_words(title)}: " if title else ""
    return (
        f"{lead}a histogram of {vals.size:,} values ({xlabel}), {alt.range_words(vals)}, with a "
        f"line at 0. {100 * np.mean(vals < 0):.0f} % are below 0 (blue bars), which ReLU sets to 0; "
        f"{100 * np.mean(vals > 0):.0f} % are above 0 (red bars)."
    )

"""Plots of training (Part III): learning curves per epoch, a confusion matrix with counts, the
curves of an overfitting network and its cures, and how selective each layer's channels are."""

from __future__ import annotations

import numpy as np

from .style import MAPS_CMAP, SMALL_DPI, legible, subplots


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
    return legible(fig)

"""Plots of training (Part III): learning curves per epoch and a confusion matrix with counts."""

from __future__ import annotations

import numpy as np

from .style import SMALL_DPI, legible, subplots


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
        ax.text(j, i, str(v), ha="center", va="center", fontsize=12,
                color="white" if v > m.max() / 2 else "black")
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return legible(fig)

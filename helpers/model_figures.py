"""Figures of Part III: pictures, kernels, feature maps, learning curves, confusion matrices.

These are image panels and plots, not number grids (those come from ``helpers.grids``). Every
figure has a white background so it reads the same in the light and the dark theme, and a
modest size and dpi so the notebooks stay small. Each function returns the figure.
"""

from __future__ import annotations

import numpy as np

DPI = 80


def _axes(nrows, ncols, width, height):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), facecolor="white", dpi=DPI,
                             squeeze=False)
    for ax in axes.ravel():
        ax.set_xticks([]), ax.set_yticks([])
    return fig, axes


def image_row(images, titles=(), cmap=None, suptitle="", size=2.6):
    """Images side by side (RGB uint8 or floats, or 2-D with ``cmap``), each with a title."""
    images = list(images)
    fig, axes = _axes(1, len(images), size * len(images), size + 0.6)
    for i, (ax, img) in enumerate(zip(axes[0], images)):
        img = np.asarray(img)
        if img.ndim == 3 and img.shape[-1] == 1:
            img = img[..., 0]
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None, interpolation="nearest")
        if i < len(titles):
            ax.set_title(titles[i], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    fig.tight_layout()
    return fig


def maps_grid(maps, title="", ncols=5, cmap="magma", size=1.9, labels=None, shared_scale=False):
    """The channels of one (H, W, F) activation tensor as F small images.

    Each map gets its own colour scale from 0 to its maximum (``shared_scale=False``), so weak
    but structured responses stay visible; the maximum is printed in the title. A map that
    ReLU cut to 0 everywhere is titled "all 0".
    """
    maps = np.asarray(maps)
    if maps.ndim == 4:
        maps = maps[0]
    f = maps.shape[-1]
    nrows = int(np.ceil(f / ncols))
    fig, axes = _axes(nrows, ncols, size * ncols, (size + 0.35) * nrows + 0.5)
    for i, ax in enumerate(axes.ravel()):
        if i >= f:
            ax.axis("off")
            continue
        top = float(maps[..., i].max())
        vmax = (float(maps.max()) if shared_scale else top) or 1.0
        ax.imshow(maps[..., i], cmap=cmap, vmin=0, vmax=vmax, interpolation="nearest")
        name = labels[i] if labels else f"filter {i}"
        ax.set_title(f"{name}: max {top:.2g}" if top > 0 else f"{name}: all 0", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def kernels_figure(rows, row_titles, size=1.0):
    """Rows of 5x5 kernels, e.g. ``[initial, learned]`` each (5, 5, 1, F); blue < 0 < red."""
    rows = [np.asarray(r)[:, :, 0, :] if np.ndim(r) == 4 else np.asarray(r) for r in rows]
    f = rows[0].shape[-1]
    fig, axes = _axes(len(rows), f, size * f + 1.2, size * len(rows) + 0.6)
    for r, (kernels, name) in enumerate(zip(rows, row_titles)):
        lim = float(np.abs(kernels).max()) or 1.0
        for i in range(f):
            axes[r, i].imshow(kernels[..., i], cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
            if r == 0:
                axes[r, i].set_title(f"{i}", fontsize=8)
        axes[r, 0].set_ylabel(name, fontsize=9)
    fig.tight_layout()
    return fig


def learning_curves(history):
    """Loss and accuracy per epoch, training and validation (Keras ``History.history``)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.2), facecolor="white", dpi=DPI)
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key, name in ((axes[0], "loss", "binary cross-entropy"), (axes[1], "accuracy", "accuracy")):
        ax.plot(epochs, history[key], "o-", label="training", color="#1f77b4")
        ax.plot(epochs, history["val_" + key], "s--", label="validation", color="#d62728")
        ax.set_xlabel("epoch"), ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3), ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def confusion_figure(matrix, class_names, title="test set"):
    """A confusion matrix with counts in the cells (rows: true class, columns: predicted)."""
    import matplotlib.pyplot as plt

    m = np.asarray(matrix)
    fig, ax = plt.subplots(figsize=(3.4, 3.0), facecolor="white", dpi=DPI)
    ax.imshow(m, cmap="Blues", vmin=0, vmax=max(int(m.max()), 1))
    for (i, j), v in np.ndenumerate(m):
        ax.text(j, i, str(v), ha="center", va="center", fontsize=12,
                color="white" if v > m.max() / 2 else "black")
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_yticks(range(len(class_names)), class_names)
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig

"""Image panels: photos side by side (under filters, pooled), the feature maps of a layer (after
ReLU, or before it on a scale with both signs), rows
or a grid of kernels, a convolution's tied-weight matrix, receptive fields on a photo, a whole
network drawn as volumes; and ``as_jpeg`` for figures of photos (much smaller than PNG in a
notebook).
"""

from __future__ import annotations

import numpy as np

from .. import convmatrix, network, ops, receptive
from . import alt
from .style import KERNELS_CMAP, MAPS_CMAP, SMALL_DPI, book_style, legible, min_points, subplots


def _axes(nrows, ncols, width, height):
    fig, axes = subplots(nrows, ncols, figsize=(width, height), dpi=SMALL_DPI, squeeze=False)
    for ax in axes.ravel():
        ax.set_xticks([]), ax.set_yticks([])
    return fig, axes


def images_figure(images, titles, ncols=4, cmap="gray", size=2.2):
    """Several images side by side with titles (no axes): photos under
    different filters, the feature maps of a layer, a photo pooled at several sizes."""
    n = len(images)
    if n != len(titles):
        raise ValueError(f"got {n} images but {len(titles)} titles")
    nrows = -(-n // ncols)
    fig, axes = subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, img, title in zip(axes.ravel(), images, titles):
        ax.imshow(img, cmap=cmap, interpolation="nearest")
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    layout = f"in {alt.count_words(nrows, 'row')} of {ncols}" if nrows > 1 else "side by side"
    alt.describe(fig, _pictures_words(images, titles, layout))
    return legible(fig)


def _pictures_words(images, titles, layout) -> str:
    """Pictures in words: how many and how they stand (``layout``), then their titles, with a
    sentence per run of pictures of one size and kind when they differ:
    ``"2 pictures side by side, 300×300 grey: a; b."``"""
    groups = []  # [picture_words, [titles]] of consecutive pictures of one size and kind
    for i, (img, title) in enumerate(zip(images, titles)):
        kind, name = alt.picture_words(img), alt.title_words(title) or f"picture {i + 1}"
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(name)
        else:
            groups.append([kind, [name]])
    lead = f"{alt.count_words(len(images), 'picture')} {layout}"
    if len(groups) == 1:
        size_kind = groups[0][0].split(maxsplit=1)[1].removesuffix(" picture")
        return f"{lead}, {size_kind}: {alt.listing(groups[0][1])}."
    return f"{lead}. " + " ".join(
        alt.capital(kind if len(names) == 1 else f"{len(names)} {kind.split(maxsplit=1)[1]}s")
        + f": {alt.listing(names)}."
        for kind, names in groups
    )


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
    lead = f"{alt.title_words(suptitle)}. " if suptitle else ""
    titles = list(titles) + [""] * (len(images) - len(titles))
    if len(images) == 1:
        name = alt.title_words(titles[0])
        text = f"{name}: {alt.picture_words(images[0])}" if name else alt.picture_words(images[0])
        alt.describe(fig, f"{lead}{alt.capital(text)}.")
    else:
        alt.describe(fig, lead + _pictures_words([np.asarray(i) for i in images], titles, "side by side"))
    return legible(fig)


def signed_limit(values, clip=None) -> float:
    """The colour limit of signed responses drawn from -lim (blue) to +lim (red): the ``clip``
    percentile of their absolute values, or the largest when ``clip`` is None (1 if all are 0)."""
    mag = np.abs(np.asarray(values, dtype=float)).ravel()
    lim = float(mag.max() if clip is None else np.percentile(mag, clip)) if mag.size else 0.0
    return lim or 1.0


def _scale_words(values, lim, clip) -> str:
    """How a signed colour scale reads, for the alt text: its limits and what lies beyond."""
    mag = np.abs(np.asarray(values, dtype=float))
    scale = f"blue below 0, white at 0, red above, on one scale from -{lim:.3g} to +{lim:.3g}"
    if clip is None:
        return f"{scale} (the largest size of all)"
    beyond = float((mag > lim).mean())
    return (
        f"{scale}, the {clip:g}th percentile of their sizes; the {beyond:.1%} of values beyond it "
        f"(up to {mag.max():.3g}) are drawn in the end colours"
    )


def _signed_grid(n_panels, ncols, size, extra_height=0.0, title_height=0.0):
    """A grid of ``n_panels`` image axes (no ticks) and, under it, a colour bar's axes spanning
    the middle columns: ``(fig, image axes, colour bar axes)``. ``title_height``: inches per row
    for panel titles of more than one line."""
    nrows = -(-n_panels // ncols)
    fig, axes = subplots(
        nrows + 1,
        ncols,
        figsize=(size * ncols, (size + title_height) * nrows + 0.9 + extra_height),
        squeeze=False,
        gridspec_kw={"height_ratios": [size] * nrows + [0.12]},
    )
    for ax in axes.ravel():
        ax.axis("off")
    for ax in axes[-1]:
        ax.remove()
    first, last = (1, ncols - 1) if ncols >= 4 else (0, ncols)
    cax = fig.add_subplot(axes[0, 0].get_gridspec()[-1, first:last])
    return fig, axes[:-1].ravel(), cax


def _signed_colorbar(fig, image, cax, label, clipped=True):
    bar = fig.colorbar(image, cax=cax, orientation="horizontal", extend="both" if clipped else "neither")
    bar.set_label(label, fontsize=9)
    bar.ax.tick_params(labelsize=8)
    return bar


def filter_responses_figure(responses: dict, kernels: dict, ncols=4, size=2.2, clip=99.0):
    """A photo under several kernels, one panel each (``responses``: name -> the unclipped
    output of ``filters.apply``; ``kernels``: name -> the kernel).

    A kernel whose weights add up to 1 keeps the brightness: its panel is grey, 0 black and 255
    white, clipped to 0-255. A kernel whose weights add up to 0 gives signed responses around 0:
    its panel is drawn blue (below 0), white (0) and red (above 0), all such panels on one scale
    from -lim to +lim, lim the ``clip`` percentile of their absolute values (``signed_limit``),
    so that a few outliers do not make the rest faint; values beyond it take the end colours.
    One colour bar gives that scale.
    """
    names = list(responses)
    signed = [n for n in names if abs(float(np.sum(kernels[n]))) < 1e-9]
    if not signed:
        raise ValueError("no kernel whose weights add up to 0: use images_figure for photos")
    lim = signed_limit([responses[n] for n in signed], clip)
    fig, axes, cax = _signed_grid(len(names), ncols, size)
    image = None
    for ax, name in zip(axes, names):
        out = np.asarray(responses[name], dtype=float)
        if name in signed:
            image = ax.imshow(out, cmap=KERNELS_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
        else:
            ax.imshow(np.clip(out, 0, 255), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.set_title(name, fontsize=9)
    where = "" if clip is None else f", clipped at the {clip:g}th percentile of |response|"
    _signed_colorbar(fig, image, cax, f"response of a kernel adding up to 0{where}", clipped=clip is not None)
    fig.tight_layout()
    grey = [n for n in names if n not in signed]
    shape = alt.shape_words(np.shape(responses[names[0]])[:2])
    nrows = -(-len(names) // ncols)
    layout = f"in {alt.count_words(nrows, 'row')} of {ncols}" if nrows > 1 else "side by side"
    text = f"{alt.count_words(len(names), 'picture')} {layout}, each {shape}: {alt.listing(names)}. "
    if grey:
        text += (
            f"{alt.count_words(len(grey), 'kernel')} whose weights add up to 1 "
            f"({alt.listing(grey)}) drawn in grey, 0 black to 255 white. "
        )
    text += (
        f"{alt.count_words(len(signed), 'kernel')} whose weights add up to 0 ({alt.listing(signed)}) "
        f"drawn signed, {_scale_words([responses[n] for n in signed], lim, clip)}; a colour bar "
        f"below gives the scale."
    )
    alt.describe(fig, text)
    return legible(fig)


def signed_maps_grid(maps, title="", ncols=5, size=1.9, labels=None, clip=None):
    """The F maps of an ``(H, W, F)`` output that has signed values (a layer before its
    activation), each titled with its filter, its range and the share of its positions above 0
    (what a ReLU would let through), all on one shared scale from -lim (blue) through 0 (white)
    to +lim (red), lim their largest size (or the ``clip`` percentile, ``signed_limit``), with
    one colour bar: a weak map looks weak next to a strong one."""
    maps = np.asarray(maps, dtype=float)
    if maps.ndim == 4:
        maps = maps[0]
    f = maps.shape[-1]
    names = [labels[i] if labels else f"filter {i}" for i in range(f)]
    lim = signed_limit(maps, clip)
    fig, axes, cax = _signed_grid(f, ncols, size, extra_height=0.6 if title else 0.0, title_height=0.3)
    image = None
    for i, ax in enumerate(axes[:f]):
        m = maps[..., i]
        image = ax.imshow(m, cmap=KERNELS_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_title(
            f"{names[i]}: {_share_words(np.mean(m > 0))} > 0\n{m.min():.2g} to {m.max():.2g}", fontsize=8
        )
    where = "largest size of all" if clip is None else f"{clip:g}th percentile of |value|"
    _signed_colorbar(
        fig, image, cax, f"value, one scale for every map (±{lim:.2g}, the {where})", clipped=clip is not None
    )
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    ranges = ", ".join(
        f"{n} {m.min():.2g} to {m.max():.2g} ({_share_words(np.mean(m > 0))} above 0)"
        for n, m in zip(names, np.moveaxis(maps, -1, 0))
    )
    lead = f"{alt.title_words(title)}: " if title else ""
    alt.describe(
        fig,
        f"{lead}{alt.count_words(f, 'map')} of {alt.shape_words(maps.shape[:2])}, "
        f"{_scale_words(maps, lim, clip)}; a colour bar below gives the scale. The range of each: "
        f"{ranges}.",
    )
    return legible(fig)


def maps_grid(maps, title="", ncols=5, cmap=MAPS_CMAP, size=1.9, labels=None, shared_scale=False):
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
    alt.describe(fig, maps_words(maps, title, labels, shared_scale))
    return legible(fig)


def maps_words(maps, title="", labels=None, shared_scale=False) -> str:
    """``maps_grid`` in words: how many maps of what size, their colour scale, each map's maximum."""
    maps = np.asarray(maps)
    f = maps.shape[-1]
    names = [labels[i] if labels else f"filter {i}" for i in range(f)]
    tops = [float(maps[..., i].max()) for i in range(f)]
    each = [f"{name} {top:.2g}" if top > 0 else f"{name} all 0" for name, top in zip(names, tops)]
    scale = "the largest value of all" if shared_scale else "its own maximum"
    zero = sum(top <= 0 for top in tops)
    cut = f" {'One map is' if zero == 1 else f'{zero} maps are'} 0 everywhere." if zero else ""
    lead = f"{alt.title_words(title)}: " if title else ""
    return (
        f"{lead}{alt.count_words(f, 'feature map')} of {alt.shape_words(maps.shape[:2])}, each drawn "
        f"from black (0) through purple and orange to light yellow ({scale}). The maximum of "
        f"each: {', '.join(each)}.{cut}"
    )


def _share_words(share: float) -> str:
    """A share of positions as the alt text says it: ``"37 %"``, ``"under 1 %"``, ``"0 %"``."""
    pct = 100 * float(share)
    if 0 < pct < 0.5:
        return "under 1 %"
    if 99.5 <= pct < 100:
        return "over 99 %"
    return f"{pct:.0f} %"


def kernels_figure(rows, row_titles, size=1.0, ncols=8):
    """Rows of 5x5 kernels, e.g. ``[initial, learned]`` each (5, 5, 1, F); blue < 0 < red.
    Each row of kernels wraps after ``ncols`` kernels, so they stay large enough to see on
    the website's column."""
    rows = [np.asarray(r)[:, :, 0, :] if np.ndim(r) == 4 else np.asarray(r) for r in rows]
    f = rows[0].shape[-1]
    cols = min(f, ncols)
    lines = int(np.ceil(f / cols))
    fig, axes = _axes(len(rows) * lines, cols, size * cols + 1.2, (size + 0.3) * len(rows) * lines + 0.6)
    for r, (kernels, name) in enumerate(zip(rows, row_titles)):
        lim = float(np.abs(kernels).max()) or 1.0
        for i in range(lines * cols):
            ax = axes[r * lines + i // cols, i % cols]
            if i >= f:
                ax.axis("off")
                continue
            ax.imshow(kernels[..., i], cmap=KERNELS_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
            ax.set_title(f"{i}", fontsize=8)
        axes[r * lines, 0].set_ylabel(name, fontsize=9)
    fig.tight_layout()
    each = [
        f"{alt.title_words(name)}, weights from {float(k.min()):.2g} to {float(k.max()):.2g}"
        for k, name in zip(rows, row_titles)
    ]
    alt.describe(
        fig,
        f"{alt.count_words(len(rows), 'row')} of {f} {alt.shape_words(rows[0].shape[:2])} kernels, "
        f"numbered 0 to {f - 1}, blue below 0 and red above, each row on its own colour scale: "
        f"{alt.listing(each)}.",
    )
    return legible(fig)


def kernels_change_figure(initial, learned, marked=3, size=0.9):
    """What training did to each kernel: three rows of 5x5 kernels (initial, learned, and
    learned - initial), each row on one colour scale shown by its colour bar (blue < 0 < red).
    The ``marked`` kernels that changed most (largest summed absolute change) are framed and
    titled with their change. ``initial`` and ``learned`` are (k, k, 1, F) or (k, k, F)."""
    import matplotlib.patches as mpatches

    def flat(a):
        a = np.asarray(a, dtype=float)
        return a[:, :, 0, :] if a.ndim == 4 else a

    before, after = flat(initial), flat(learned)
    if before.shape != after.shape:
        raise ValueError(f"initial and learned differ in shape: {before.shape} vs {after.shape}")
    change = after - before
    f = before.shape[-1]
    total = np.abs(change).sum(axis=(0, 1))
    top = [int(i) for i in np.argsort(-total, kind="stable")[: max(0, min(int(marked), f))]]
    rows = ((before, "initial"), (after, "learned"), (change, "learned − initial"))
    fig, axes = subplots(
        3,
        f + 1,
        figsize=(size * f + 1.4, 3 * (size + 0.45) + 0.3),
        dpi=SMALL_DPI,
        squeeze=False,
        gridspec_kw={"width_ratios": [1] * f + [0.25]},
    )
    limits = []
    for r, (kernels, name) in enumerate(rows):
        lim = float(np.abs(kernels).max()) or 1.0
        limits.append(lim)
        for i in range(f):
            ax = axes[r, i]
            ax.set_xticks([]), ax.set_yticks([])
            im = ax.imshow(kernels[..., i], cmap=KERNELS_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
            if i in top:
                k = kernels.shape[0]
                ax.add_patch(mpatches.Rectangle((-0.5, -0.5), k, k, fill=False, lw=3, ec="black"))
            if r == 0:
                ax.set_title(str(i), fontsize=8)
            if r == 2 and i in top:
                ax.set_xlabel(f"{total[i]:.2f}", fontsize=8)
        axes[r, 0].set_ylabel(name, fontsize=9)
        cbar = fig.colorbar(im, cax=axes[r, f])
        cbar.ax.tick_params(labelsize=max(8.0, min_points(fig)))  # drawn later: sized here
    fig.tight_layout()
    each = [
        f"{name}, weights from {_fmt_g(k.min())} to {_fmt_g(k.max())} "
        f"(colour bar from {_fmt_g(-lim)} to {_fmt_g(lim)})"
        for (k, name), lim in zip(rows, limits)
    ]
    marks = [f"kernel {i} (summed absolute change {total[i]:.2f})" for i in top]
    alt.describe(
        fig,
        f"3 rows of {f} {alt.shape_words(before.shape[:2])} kernels, numbered 0 to {f - 1}, blue below "
        f"0 and red above, each row on its own colour scale shown by a colour bar at its right: "
        f"{alt.listing(each)}. "
        + (
            f"Framed, the {alt.count_words(len(top), 'kernel')} that changed most: {', '.join(marks)}; "
            f"the least changed, kernel {int(np.argmin(total))}, by {total.min():.2f}."
            if top
            else ""
        ),
    )
    return legible(fig)


def _fmt_g(v) -> str:
    """A weight in 2 significant digits, as the alt text of the kernel figures says it."""
    return f"{float(v):.2g}"


def kernels_grid(kernels, ncols: int = 8, size: float = 0.8, title: str = ""):
    """Many first-layer kernels (k, k, 1, F) as a grid with one shared colour scale: red adds
    ink under it to the response, blue subtracts it."""
    k = np.asarray(kernels)[:, :, 0, :]
    f = k.shape[-1]
    nrows = int(np.ceil(f / ncols))
    lim = float(np.abs(k).max()) or 1.0
    fig, axes = _axes(nrows, ncols, size * ncols, size * nrows + 0.5)
    for i, ax in enumerate(axes.ravel()):
        if i < f:
            ax.imshow(k[..., i], cmap=KERNELS_CMAP, vmin=-lim, vmax=lim, interpolation="nearest")
        else:
            ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    lead = f"{alt.title_words(title)}: " if title else ""
    alt.describe(
        fig,
        f"{lead}{f} {alt.shape_words(k.shape[:2])} kernels in {alt.count_words(nrows, 'row')} of {ncols}, "
        f"on one colour scale: red where a weight adds the ink under it (up to {lim:.2g}), blue "
        f"where it subtracts it (down to {-lim:.2g}), white near 0.",
    )
    return legible(fig)


def conv_matrix_figure(kernel_shape, image_shape, rows: int | None = None):
    """The tied-weight pattern of ``convmatrix.tap_index`` as a picture: one colour per kernel weight,
    white for the zeros. ``rows`` limits the picture to the first output cells."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    taps = convmatrix.tap_index(kernel_shape, image_shape)
    if rows is not None:
        taps = taps[:rows]
    n = int(np.prod(kernel_shape))
    colours = ["white"] + [plt.get_cmap("tab10")(t) for t in range(n)]
    fig, ax = subplots(figsize=(7, 7 * taps.shape[0] / taps.shape[1] + 1.2))
    ax.imshow(taps + 1, cmap=ListedColormap(colours), vmin=0, vmax=n, interpolation="nearest", aspect="equal")
    ax.set_xlabel(f"input pixel (row-major, {taps.shape[1]} of them)")
    ax.set_ylabel(f"output cell ({taps.shape[0]})")
    kw = int(kernel_shape[1])
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[t + 1]) for t in range(n)]
    ax.legend(
        handles,
        [f"k[{t // kw}, {t % kw}]" for t in range(n)],
        ncol=n,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        frameon=False,
        fontsize=9,
    )
    fig.tight_layout()
    rows_shown, cols = taps.shape
    alt.describe(
        fig,
        f"The {rows_shown}×{cols} matrix that computes a {alt.shape_words(kernel_shape)} kernel's "
        f"convolution of a {alt.shape_words(image_shape)} image as one matrix product: one row per "
        f"output cell, one column per input pixel (row-major). Each row holds the {n} kernel "
        f"weights, k[0, 0] to k[{int(kernel_shape[0]) - 1}, {kw - 1}], one colour each, at the "
        f"pixels its window covers, shifted along from row to row; the other "
        f"{int((taps < 0).sum())} of its {taps.size} entries are 0 (white).",
    )
    return legible(fig)


def receptive_fields_figure(photo, stacks: dict, centre=(0.5, 0.5), size=4.5):
    """The photo with, for each named stack of layers, the square its output nearest to
    ``centre`` (fractions of the height and width) sees. Returns the matplotlib figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    photo = np.asarray(photo)
    n = photo.shape[0]
    fig, ax = subplots(figsize=(size, size))
    ax.imshow(photo, cmap="gray" if photo.ndim == 2 else None, vmin=0, vmax=255)
    colours = plt.get_cmap("autumn")(np.linspace(0, 0.85, len(stacks)))
    seen = []
    for (name, layers), colour in zip(stacks.items(), colours):
        rows = receptive.trace(layers, n)
        side = n
        for layer in layers:
            _, k, s, padding = receptive.window(layer)
            side = ops.output_size(side, k, s, padding)
        i, j = int(centre[0] * (side - 1)), int(centre[1] * (side - 1))
        top, left, r = receptive.box(layers, i, j, n)
        ax.add_patch(
            Rectangle(
                (left - 0.5, top - 0.5),
                r,
                r,
                fill=False,
                lw=2,
                ec=colour,
                label=f"{name}: {rows[-1]['r']}×{rows[-1]['r']}",
            )
        )
        seen.append((name, rows[-1]["r"]))
    ax.set_axis_off()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), fontsize=8, frameon=False)
    fig.tight_layout()
    sides = [f"{name}: {side}×{side}" for name, side in seen]
    alt.describe(
        fig,
        f"{alt.capital(alt.picture_words(photo))} with "
        f"{alt.count_words(len(seen), 'nested square')}, one per stack of layers: the pixels that "
        f"one output of the stack sees, around the output nearest to {round(centre[0] * 100)}% "
        f"down and {round(centre[1] * 100)}% across. {alt.listing(sides)} pixels.",
    )
    return legible(fig)


def _layer_words(layer) -> str:
    """A layer spec of ``helpers.network`` in a few short lines, for a label."""
    if isinstance(layer, network.Conv):
        extra = "" if layer.padding == "valid" else f"\n{layer.padding}"
        extra += "" if layer.stride == 1 else f", stride {layer.stride}"
        return f"conv {layer.kernel}×{layer.kernel}\n{layer.filters} filters{extra}"
    if isinstance(layer, network.Pool):
        return f"{'max' if layer.kind == 'max' else 'average'} pool\n{layer.size}×{layer.size}"
    if isinstance(layer, network.GlobalAvgPool):
        return "global\naverage pool"
    if isinstance(layer, network.Dense):
        return f"dense {layer.units}" + (f"\n{layer.activation}" if layer.activation else "")
    if isinstance(layer, network.BatchNorm):
        return "batch\nnorm"
    if isinstance(layer, network.Activation):
        return layer.name
    if isinstance(layer, network.Residual):
        stride = "" if layer.stride == 1 else f", stride {layer.stride}"
        return f"residual\n{layer.filters} filters{stride}"
    if isinstance(layer, network.Flatten):
        return "flatten"
    raise TypeError(f"no label for the layer spec {layer!r}")


def network_figure(input_shape, layers, size=1.25):
    """The network ``layers`` (specs of ``helpers.network``) drawn as the volumes its layers
    output, left to right from the input: each 3-D volume a box as tall and as deep (drawn
    slanting back) as its height and width, and as wide as its channels, each vector a thin bar,
    its length growing with its size up to the tallest box; above each, the layer that made it,
    below it its shape. The shapes come from ``network.trace``. Returns the figure."""
    from matplotlib.patches import Polygon

    rows = network.trace(input_shape, layers)
    names = ["input"] + [_layer_words(layer) for layer in layers]
    n = len(rows)
    tall = max(r["shape"][0] for r in rows if len(r["shape"]) == 3)
    longest = max((r["shape"][0] for r in rows if len(r["shape"]) == 1), default=1)
    deepest = max(r["shape"][2] for r in rows if len(r["shape"]) == 3)
    slant, per_channel = 0.35, 0.6 * tall / max(deepest, 16)
    slot = max(
        1.5 * tall,
        1.2 * max(r["shape"][1] * slant + r["shape"][2] * per_channel for r in rows if len(r["shape"]) == 3),
    )
    low, high = -0.45 * tall, 2.1 * tall
    fig, ax = subplots(figsize=(size * n, size * n * (high - low) / (n * slot)), dpi=SMALL_DPI)
    colours = {network.Conv: "#6baed6", network.Pool: "#fdae6b", network.GlobalAvgPool: "#fdae6b"}
    right = None  # the right edge of the volume before
    for i, (row, name) in enumerate(zip(rows, names)):
        shape, cx = row["shape"], (i + 0.5) * slot
        colour = "#bdbdbd" if i == 0 else colours.get(type(layers[i - 1]), "#74c476")
        if len(shape) == 3:
            h, w, c = shape
            width, back = c * per_channel, w * slant
        else:
            h, width, back = max(tall * shape[0] / longest, 0.12 * tall), 0.1 * tall, 0.0
        x0 = cx - (width + back) / 2
        front = [(x0, 0), (x0 + width, 0), (x0 + width, h), (x0, h)]
        ax.add_patch(Polygon(front, closed=True, fc=colour, ec="0.25", lw=0.8))
        if back:
            top = [(x0, h), (x0 + width, h), (x0 + width + back, h + back), (x0 + back, h + back)]
            side = [
                (x0 + width, 0),
                (x0 + width + back, back),
                (x0 + width + back, h + back),
                (x0 + width, h),
            ]
            ax.add_patch(Polygon(top, closed=True, fc=colour, ec="0.25", lw=0.8, alpha=0.7))
            ax.add_patch(Polygon(side, closed=True, fc=colour, ec="0.25", lw=0.8, alpha=0.85))
        ax.text(cx, -0.08 * tall, alt.shape_words(shape), ha="center", va="top", fontsize=10)
        ax.text(cx, 1.45 * tall, name, ha="center", va="bottom", fontsize=10)
        if right is not None:
            ax.annotate(
                "",
                xy=(x0 - 0.04 * slot, 0.4 * tall),
                xytext=(right + 0.04 * slot, 0.4 * tall),
                arrowprops={"arrowstyle": "->", "color": "0.4"},
            )
        right = x0 + width + back
    ax.set_xlim(0, n * slot)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout()
    alt.describe(fig, network_words(rows, names))
    return legible(fig)


def _volume_words(shape) -> str:
    if len(shape) == 3:
        return f"{alt.article(shape[0])} {alt.shape_words(shape)} volume"
    return f"a vector of {shape[0]}"


def network_words(rows, names) -> str:
    """``network_figure`` in words, from its trace rows and layer labels."""
    steps = [f"{alt.title_words(name)}: {_volume_words(r['shape'])}" for r, name in zip(rows, names)]
    return (
        f"A network drawn as the {alt.count_words(len(rows), 'volume')} its layers output, left to "
        "right, each box as tall and deep as the volume's height and width and as wide as its "
        "channels, a vector a thin bar: " + alt.listing(steps) + "."
    )


def as_jpeg(fig, quality: int = 82, dpi: int = 100):
    """A figure as an ``IPython.display.Image`` in JPEG (and the figure closed): for figures
    of photos, whose PNG would make the notebook several times larger. The image carries the
    figure's alt text (``alt.description``)."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buf = io.BytesIO()
    with book_style():
        fig.savefig(buf, format="jpeg", dpi=dpi, pil_kwargs={"quality": quality})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="jpeg", alt=alt.description(fig) or None)

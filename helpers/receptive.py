"""Receptive fields: which patch of the input one output of a stack of convolution and
pooling layers can see.

Walk the stack from the input. A layer with window ``k`` and stride ``s`` widens the field by
``k - 1`` steps of the current *jump* ``j`` (the distance, in input pixels, between two
neighbouring outputs), and multiplies the jump by ``s``:

    r_out = r_in + (k - 1) * j_in      j_out = j_in * s      start_out = start_in - pad * j_in

(``pad``: zeros added before the first row; ``start``: the input row where the field of
output 0 begins). This is the recurrence of Araujo, Norris and Sim, "Computing receptive
fields of convolutional neural networks", Distill (2019). ``influence`` checks it without
any formula: it bumps one pixel at a time and sees which ones move a chosen output. The
picture of the fields on a photo is ``helpers.figures.panels.receptive_fields_figure``.
"""

from __future__ import annotations

import numpy as np

from . import network, ops


def window(layer):
    """``(name, k, s, padding)`` of a conv or pool layer spec from ``helpers.network``."""
    if isinstance(layer, network.Conv):
        return (
            f"Conv {layer.kernel}×{layer.kernel}, s={layer.stride}",
            layer.kernel,
            layer.stride,
            layer.padding,
        )
    if isinstance(layer, network.Pool):
        s = layer.stride or layer.size
        return f"Pool {layer.size}×{layer.size}, s={s}", layer.size, s, layer.padding
    raise TypeError(
        f"a receptive field is traced through Conv and Pool layers only, got "
        f"{layer!r}: after Flatten or Dense every output sees the whole input"
    )


def trace(layers, input_size: int | None = None) -> list[dict]:
    """One row per layer, starting with the input: ``{"layer", "r", "j", "start"}``.

    input_size: side of the (square) input; needed only when a layer pads with ``"same"``,
    whose zeros depend on the size.
    """
    rows = [{"layer": "Input", "r": 1, "j": 1, "start": 0}]
    r, j, start, n = 1, 1, 0, input_size
    for layer in layers:
        name, k, s, padding = window(layer)
        if padding == "same" and n is None:
            raise ValueError(f"{name} pads with 'same', which depends on the input size: pass input_size=")
        before = ops.padding_amounts(n or k, k, s, padding)[0]
        if n is not None:
            n = ops.output_size(n, k, s, padding)
        r, start, j = r + (k - 1) * j, start - before * j, j * s
        rows.append({"layer": name, "r": r, "j": j, "start": start})
    return rows


def box(layers, i: int, j: int, input_size: int | None = None) -> tuple[int, int, int]:
    """``(top, left, size)`` of the input patch that output ``(i, j)`` of the last layer sees.
    With padding the patch can reach outside the image (into the zeros)."""
    last = trace(layers, input_size)[-1]
    return last["start"] + i * last["j"], last["start"] + j * last["j"], last["r"]


def run(layers, x) -> np.ndarray:
    """The stack on a one-channel image, every kernel all ones and every pool a max: positive
    weights, so any pixel inside a field can move that output when it grows."""
    out = ops.as_image("x", x, (2,))
    for layer in layers:
        _, k, s, padding = window(layer)
        if isinstance(layer, network.Conv):
            out = ops.conv2d(out, np.ones((k, k)), stride=s, padding=padding)
        else:
            out = ops.pool2d(out, k, s, padding=padding)
    return out


def influence(fn, x, position, bump: float = 1e6) -> np.ndarray:
    """Boolean map of the pixels of ``x`` that change ``fn(x)[position]`` when one of them
    alone is raised by ``bump``: the receptive field, found by trying every pixel."""
    x = ops.as_image("x", x, (2,))
    base = fn(x)[position]
    mask = np.zeros(x.shape, dtype=bool)
    for r, c in np.ndindex(*x.shape):
        bumped = x.copy()
        bumped[r, c] += bump
        mask[r, c] = fn(bumped)[position] != base
    return mask

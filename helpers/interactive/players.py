"""Kernel-free players for the static page: a slider and a Play button walk a window over an
image (``sweep_player``; over every channel of an input of several channels, with a kernel as
deep as the input and a bias), several filters over one input (``filter_bank_player``) or along a
flattened row (``flatten_player``). ``sweep_html`` renders any one frame of a sweep (the
Node tests compare the page script's highlight with it).

Python computes every frame (``SweepFrames``) and renders the first one; the page script
``static/player.js`` only moves the highlight and the written-out sums from the frame data -
except with ``editable``, where the reader types the kernels' weights and the page recomputes
the sums and outputs (the same arithmetic as ``SweepFrames``).
"""

from __future__ import annotations

import html

import numpy as np

from .. import ops, validate
from ..fmt import fmt_number
from ..sweep import ChannelSweep, SweepFrames
from . import page


# ----------------------------------------------------------------------------- markup
def _table(values, cls, decimals, classes=None) -> str:
    """A grid of numbers as an HTML table; ``classes[(r, c)]`` adds classes to a cell."""
    classes = classes or {}
    rows = []
    for r, row in enumerate(np.asarray(values, dtype=float)):
        cells = []
        for c, v in enumerate(row):
            extra = classes.get((r, c))
            cls_attr = "g " + extra if extra else "g"
            cells.append(f'<td data-r="{r}" data-c="{c}" class="{cls_attr}">{fmt_number(v, decimals)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="cnn-grid {cls}">' + "".join(rows) + "</table>"


def _class_attr(classes: str) -> str:
    return f' class="{classes}"' if classes else ""


def _block(caption: str, inner: str) -> str:
    return f'<div><div class="cap">{html.escape(caption)}</div>{inner}</div>'


def _sum(head: str, arith: str, live: bool = False) -> str:
    attr = ' aria-live="polite"' if live else ""
    return (
        f'<div class="sum"{attr}><span class="head">{html.escape(head)}</span>'
        f'<span class="arith">{html.escape(arith)}</span></div>'
    )


def _input_block(frames: SweepFrames, position: int, decimals: int) -> str:
    """The padded input with the window of frame ``position`` marked."""
    classes = dict.fromkeys(zip(*np.nonzero(frames.pad_mask)), "pad")
    r0, c0 = frames.window_origin(position)
    kh, kw = frames.kernel.shape
    for r in range(r0, r0 + kh):
        for c in range(c0, c0 + kw):
            classes[(r, c)] = (classes.get((r, c), "") + " win").strip()
    h, w = frames.padded.shape
    return _block(f"input {h}×{w}", _table(frames.padded, "in", decimals, classes))


def _output_table(frames: SweepFrames, position: int, decimals: int, reveal: bool) -> str:
    """The output with the cell of frame ``position`` current, earlier cells done and (with
    ``reveal``) later cells hidden, so the output fills in as the window moves."""
    w = frames.out.shape[1]
    classes = {}
    for pos in range(frames.n_frames):
        state = "cur" if pos == position else ("done" if pos < position else ("todo" if reveal else ""))
        if state:
            classes[divmod(pos, w)] = state
    return _table(frames.out, "out", decimals, classes)


def _sweep_body(frames: SweepFrames, position: int, decimals: int, reveal: bool) -> str:
    i, j = frames.cell(position)
    oh, ow = frames.out.shape
    return (
        _sum(f"output[{i}, {j}] = ", frames.arithmetic(position, decimals), live=True)
        + '<div class="cnn-row">'
        + _input_block(frames, position, decimals)
        + _block("kernel", _table(frames.kernel, "k", decimals))
        + _block(f"output {oh}×{ow}", _output_table(frames, position, decimals, reveal))
        + "</div>"
    )


def _controls(n_frames: int, label: str) -> str:
    return page.render("player_controls.html", last=n_frames - 1, count=n_frames, label=html.escape(label))


# ----------------------------------------------------------------------------- one sweep
def sweep_html(
    frames: SweepFrames,
    position: int = 0,
    decimals: int = 2,
    reveal: bool = True,
    element_id: str | None = None,
) -> str:
    """HTML of one sweep frame: the window and output cell highlighted, the sum written out.

    With ``reveal`` the output cells after the current one are hidden, so the output fills in
    as the window moves.
    """
    return page.frame(_sweep_body(frames, position, decimals, reveal), "cnn-sweep", element_id)


def _sweep_data(first: SweepFrames, frames_list, decimals, ms_per_step, names=None) -> dict:
    data = {
        "frames": [
            [*first.cell(p), *(f.arithmetic(p, decimals) for f in frames_list)] for p in range(first.n_frames)
        ],
        "ow": first.out.shape[1],
        "kh": first.kernel.shape[0],
        "kw": first.kernel.shape[1],
        "sh": first.stride[0],
        "sw": first.stride[1],
        "ms": int(ms_per_step),
    }
    if names is not None:
        data["names"] = list(names)
    return data


def _boxes(kernel, decimals: int, f: int | None = None, name: str | None = None) -> str:
    """One number box per weight of ``kernel``; in a filter bank each box also carries its
    filter's number ``f`` (``data-f``) and its accessible name starts with the filter's name."""
    f_attr = "" if f is None else f' data-f="{f}"'
    who = "" if name is None else html.escape(name) + " "
    return "".join(
        f'<label>w[{r}, {c}] <input type="number" step="any" name="w"{f_attr} data-r="{r}" '
        f'data-c="{c}" value="{fmt_number(v, decimals)}" aria-label="{who}weight [{r}, {c}]"></label> '
        for (r, c), v in np.ndenumerate(np.asarray(kernel, dtype=float))
    )


def _weight_boxes(kernel, decimals: int) -> str:
    """The weight boxes of one sweep (the page script recomputes the sweep from them)."""
    return f'<form class="weights"><span class="cap">weights:</span> {_boxes(kernel, decimals)}</form>'


def _bank_weight_boxes(kernels, names, decimals: int) -> str:
    """The weight boxes of a filter bank: one line per filter, headed by its name."""
    lines = "".join(
        f'<div><span class="cap">{html.escape(name)}:</span> {_boxes(k, decimals, f, name)}</div>'
        for f, (k, name) in enumerate(zip(kernels, names))
    )
    return f'<form class="weights">{lines}</form>'


def sweep_player(
    x,
    kernel,
    stride=1,
    padding="valid",
    decimals=2,
    ms_per_step=600,
    label="window position",
    uid=None,
    editable=False,
    bias=None,
):
    """A sweep that runs in the page itself (no Python kernel): slider, play button, sum.

    ``x`` of shape ``(H, W, C)`` (with a kernel ``(kh, kw, C)`` and a ``bias``, default 0)
    shows every channel with its slice of the kernel and its map, the maps' sum plus the bias
    as the output, and one written-out sum per channel and one for the output
    (``channel_html``); with ``editable`` the reader types every weight and the bias.

    Returns an ``IPython.display.HTML`` object; in a notebook or on the static site the
    reader drags the slider (or uses the arrow keys) and the highlighted window, the output
    cell and the written-out sum follow. With ``editable`` the reader can also type the
    kernel's weights: the page recomputes every output cell and sum (``static/player.js``,
    the same arithmetic as ``SweepFrames``; tests/js/player_weights.test.js compares them).
    """
    if np.ndim(x) == 3:
        return _channel_player(x, kernel, bias, stride, padding, decimals, ms_per_step, label, uid, editable)
    if bias is not None:
        raise ValueError("bias is for an input of several channels, (H, W, C); a 2-D sweep has none")
    frames = SweepFrames(x, kernel, stride, padding)
    data = _sweep_data(frames, [frames], decimals, ms_per_step)
    body = _sweep_body(frames, 0, decimals, True)
    if editable:
        data.update(x=frames.padded.tolist(), k=frames.kernel.tolist(), dec=int(decimals))
        body += _weight_boxes(frames.kernel, decimals)
    uid = page.element_id("sweep", uid, page.data_attr(data))
    body += _controls(frames.n_frames, label)
    return page.control("sweep", uid, "cnn-sweep", body, data, ("player.js",))


# ----------------------------------------------------------------------------- channels
def _channel_names(sweep: ChannelSweep) -> list[str]:
    return [f"channel {c}" for c in range(sweep.depth)] + ["output"]


def _channel_body(sweep: ChannelSweep, position: int, decimals: int, reveal: bool) -> str:
    i, j = sweep.cell(position)
    names = _channel_names(sweep)
    lines = [ch.arithmetic(position, decimals) for ch in sweep.channels] + [sweep.total(position, decimals)]
    sums = "".join(_sum(f"{name}[{i}, {j}] = ", line) for name, line in zip(names, lines))
    oh, ow = sweep.out.shape
    rows = "".join(
        _block(
            name,
            '<div class="cnn-row">'
            + _input_block(ch, position, decimals)
            + _block("kernel", _table(ch.kernel, "k", decimals))
            + _block(f"map {oh}×{ow}", _output_table(ch, position, decimals, reveal))
            + "</div>",
        )
        for ch, name in zip(sweep.channels, names)
    )
    plus = " + ".join(f"map {c}" for c in range(sweep.depth))
    total = _block(f"output = {plus} + b", _output_table(sweep, position, decimals, reveal))
    return f'<div aria-live="polite">{sums}</div>{rows}{total}'


def channel_html(sweep: ChannelSweep, position: int = 0, decimals: int = 2, reveal: bool = True) -> str:
    """HTML of one frame of a sweep over several channels: each channel with the window marked,
    its slice of the kernel and its map; the output (the maps added, plus the bias) with the
    cell of frame ``position`` marked; the sums written out."""
    return page.frame(_channel_body(sweep, position, decimals, reveal), "cnn-sweep cnn-channels")


def _channel_data(sweep: ChannelSweep, decimals: int, ms_per_step: int) -> dict:
    first = sweep.channels[0]
    data = _sweep_data(first, sweep.channels, decimals, ms_per_step, _channel_names(sweep))
    for p, frame in enumerate(data["frames"]):
        frame.append(sweep.total(p, decimals))
    return data


def _channel_boxes(sweep: ChannelSweep, decimals: int) -> str:
    """One line of weight boxes per channel of the kernel, then the bias's box."""
    names = _channel_names(sweep)[:-1]
    lines = "".join(
        f'<div><span class="cap">{html.escape(name)}:</span> {_boxes(ch.kernel, decimals, c, name)}</div>'
        for c, (ch, name) in enumerate(zip(sweep.channels, names))
    )
    bias = (
        f'<div><label>b <input type="number" step="any" name="b" '
        f'value="{fmt_number(sweep.bias, decimals)}" aria-label="bias"></label></div>'
    )
    return f'<form class="weights">{lines}{bias}</form>'


def _channel_player(x, kernel, bias, stride, padding, decimals, ms_per_step, label, uid, editable):
    sweep = ChannelSweep(x, kernel, 0.0 if bias is None else bias, stride, padding)
    data = _channel_data(sweep, decimals, ms_per_step)
    body = _channel_body(sweep, 0, decimals, True)
    if editable:
        data.update(
            xc=[ch.padded.tolist() for ch in sweep.channels],
            kc=[ch.kernel.tolist() for ch in sweep.channels],
            b=sweep.bias,
            dec=int(decimals),
        )
        body += _channel_boxes(sweep, decimals)
    uid = page.element_id("sweep", uid, page.data_attr(data))
    body += _controls(sweep.n_frames, label)
    return page.control("sweep", uid, "cnn-sweep cnn-channels", body, data, ("player.js",))


# ----------------------------------------------------------------------------- filter banks
def _bank(frames_list, names):
    frames_list = list(frames_list)
    if not frames_list:
        raise ValueError("kernels is empty; give at least one kernel")
    first = frames_list[0]
    for f in frames_list[1:]:
        if f.kernel.shape != first.kernel.shape:
            raise ValueError(
                "all kernels of a filter bank must have the same shape, got "
                f"{first.kernel.shape} and {f.kernel.shape}"
            )
    names = list(names) if names is not None else [f"filter {k + 1}" for k in range(len(frames_list))]
    if len(names) != len(frames_list):
        raise ValueError(f"names must have one entry per kernel ({len(frames_list)}), got {len(names)}")
    return frames_list, names


def _bank_body(frames_list, names, position, decimals, reveal) -> str:
    first = frames_list[0]
    i, j = first.cell(position)
    sums = "".join(
        _sum(f"{name}[{i}, {j}] = ", f.arithmetic(position, decimals)) for f, name in zip(frames_list, names)
    )
    oh, ow = first.out.shape
    channels = "".join(
        _block(
            name,
            '<div class="cnn-row">'
            + _block("kernel", _table(f.kernel, "k", decimals))
            + _block(f"output {oh}×{ow}", _output_table(f, position, decimals, reveal))
            + "</div>",
        )
        for f, name in zip(frames_list, names)
    )
    return (
        f'<div aria-live="polite">{sums}</div>'
        f'<div class="cnn-row">{_input_block(first, position, decimals)}{channels}</div>'
    )


def filter_bank_player(
    x,
    kernels,
    stride=1,
    padding="valid",
    decimals=2,
    ms_per_step=600,
    names=None,
    label="window position",
    uid=None,
    editable=False,
):
    """Kernel-free control for several filters sliding together over one input (Case 4):
    slider and play button as in ``sweep_player``, one sum and one output channel per filter.
    With ``editable`` the reader can type every weight of every filter (one line of boxes per
    filter): the page recomputes that filter's sums and output channel, as ``sweep_player``
    does for one kernel."""
    frames_list, names = _bank([SweepFrames(x, k, stride, padding) for k in kernels], names)
    first = frames_list[0]
    data = _sweep_data(first, frames_list, decimals, ms_per_step, names)
    body = _bank_body(frames_list, names, 0, decimals, True)
    if editable:
        data.update(x=first.padded.tolist(), ks=[f.kernel.tolist() for f in frames_list], dec=int(decimals))
        body += _bank_weight_boxes([f.kernel for f in frames_list], names, decimals)
    uid = page.element_id("bank", uid, page.data_attr(data))
    body += _controls(first.n_frames, label)
    return page.control("bank", uid, "cnn-sweep", body, data, ("player.js",))


# ----------------------------------------------------------------------------- flattening
_ORDERS = (
    ("C", "rm", "row-major (NumPy ravel, Keras Flatten)"),
    ("F", "cm", "column-major (the article's row)"),
)


def _flat_cells(shape, position):
    """(row-major cell, column-major cell) that value number ``position`` comes from."""
    h, w = shape
    return divmod(position, w), divmod(position, h)[::-1]


def flatten_text(x, position: int = 0, decimals: int = 2) -> str:
    """The sentence of the flattening explorer for value number ``position``: which pixel
    row-major order takes and which column-major order takes."""
    x = ops.as_image("x", x, (2,))
    position = validate.integer("position", position, 0, x.size - 1)
    (rr, rc), (cr, cc) = _flat_cells(x.shape, position)
    return (
        f"value {position}: row-major takes x[{rr}, {rc}] = {fmt_number(x[rr, rc], decimals)}; "
        f"column-major takes x[{cr}, {cc}] = {fmt_number(x[cr, cc], decimals)}"
    )


def _flatten_body(x, position, decimals) -> str:
    h, w = x.shape
    rm_cell, cm_cell = _flat_cells(x.shape, position)
    classes = {rm_cell: "rm"}
    classes[cm_cell] = (classes.get(cm_cell, "") + " cm").strip()
    rows = []
    for order, cls, title in _ORDERS:
        spans = "".join(
            f'<span data-k="{k}"{_class_attr(cls if k == position else "")}>{fmt_number(v, decimals)}</span>'
            for k, v in enumerate(x.ravel(order=order))
        )
        # laid out by the array's shape: one image row per line (row-major), one image
        # column per line (column-major), never wrapped by the page's width
        run = w if order == "C" else h
        rows.append(
            f'<div class="cap">{title}</div><div class="flat order-{cls}" style="--cols:{run}">{spans}</div>'
        )
    return (
        f'<div class="sum" aria-live="polite"><span class="arith">'
        f"{html.escape(flatten_text(x, position, decimals))}</span></div>"
        f'<div class="cnn-row">{_block(f"image {h}×{w}", _table(x, "in", decimals, classes))}'
        f'<div class="rows">{"".join(rows)}</div></div>'
    )


def flatten_player(x, decimals=2, ms_per_step=400, label="position in the flattened row", uid=None):
    """Kernel-free flattening explorer for the static site: a slider (and play button) walks
    along the flattened row and shows which pixel each order takes: the grid and its two
    flattened rows, with value number k of each row highlighted in the row and in the grid -
    blue for row-major order (NumPy ``ravel()``, Keras ``Flatten``), dashed orange for
    column-major order (the article's row)."""
    x = ops.as_image("x", x, (2,))
    frames = [
        [*rm, *cm, flatten_text(x, p, decimals)]
        for p, (rm, cm) in ((p, _flat_cells(x.shape, p)) for p in range(x.size))
    ]
    data = {"frames": frames, "ms": int(ms_per_step)}
    uid = page.element_id("flatten", uid, page.data_attr(data))
    body = _flatten_body(x, 0, decimals) + _controls(x.size, label)
    return page.control("flatten", uid, "cnn-sweep cnn-flat", body, data, ("player.js",))

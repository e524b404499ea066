"""Annotated grids: numbers in cells, a highlighted window and the output cell it produces.

One module draws every grid of the book, in two forms:

* ``draw_grid`` / ``image_and_grid`` / ``window_figure`` - matplotlib figures for the pages
  (white card background, so they read the same in light and dark themes);
* ``sweep_html`` - an HTML view of input, kernel and output with the current window
  highlighted and its arithmetic written out. ``sweep_player`` adds a slider and a play
  button in plain JavaScript, so it works on the static website with no Python kernel;
  ``helpers.widgets`` reuses ``sweep_html`` for the live ipywidgets control.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from dataclasses import dataclass

import numpy as np

from . import ops

_counter = itertools.count()


# ----------------------------------------------------------------------------- numbers
def fmt_number(v: float, decimals: int = 2) -> str:
    """A table number as a person writes it: ``75``, ``87.2``, ``1065.11``; NaN as ``*``."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "*"
    r = round(float(v), decimals)
    if r == int(r):
        return str(int(r))
    return f"{r:.{decimals}f}".rstrip("0").rstrip(".")


# ----------------------------------------------------------------------------- matplotlib
def draw_grid(ax, values, *, cmap="gray_r", vmin=None, vmax=None, decimals=2, window=None,
              cell=None, title=None, show_numbers=True, fontsize=None, index_labels=True):
    """Draw ``values`` as shaded cells with their numbers.

    window: ``(row, col, height, width)`` outlined in orange; cell: ``(row, col)`` outlined in
    blue. NaN cells are drawn hatched with ``*`` (a value the source does not give).
    """
    import matplotlib.patches as mpatches

    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must be 2-D to draw as a grid, got shape {vals.shape}")
    finite = vals[np.isfinite(vals)]
    lo = vmin if vmin is not None else (finite.min() if finite.size else 0.0)
    hi = vmax if vmax is not None else (finite.max() if finite.size else 1.0)
    ax.imshow(np.ma.masked_invalid(vals), cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1,
              interpolation="nearest")
    h, w = vals.shape
    if show_numbers:
        import matplotlib.pyplot as plt
        cm = plt.get_cmap(cmap)
        size = fontsize or max(5, min(10, 140 / max(h, w * 1.6)))
        for (r, c), v in np.ndenumerate(vals):
            if np.isfinite(v):
                t = (v - lo) / (hi - lo) if hi > lo else 0.0
                red, green, blue, _ = cm(float(np.clip(t, 0, 1)))
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.55
                ax.text(c, r, fmt_number(v, decimals), ha="center", va="center",
                        fontsize=size, color="black" if light else "white")
            else:
                ax.add_patch(mpatches.Rectangle((c - .5, r - .5), 1, 1, fill=False,
                                                hatch="///", edgecolor="0.6", lw=0))
                ax.text(c, r, "*", ha="center", va="center", fontsize=size, color="0.3")
    ax.set_xticks(np.arange(w) if index_labels else [])
    ax.set_yticks(np.arange(h) if index_labels else [])
    ax.tick_params(length=0, labelsize=7)
    ax.set_xticks(np.arange(-.5, w, 1), minor=True)
    ax.set_yticks(np.arange(-.5, h, 1), minor=True)
    ax.grid(which="minor", color="0.75", lw=0.5)
    ax.tick_params(which="minor", length=0)
    if window is not None:
        r0, c0, wh, ww = window
        ax.add_patch(mpatches.Rectangle((c0 - .5, r0 - .5), ww, wh, fill=False,
                                        edgecolor="#e66100", lw=3))
    if cell is not None:
        ax.add_patch(mpatches.Rectangle((cell[1] - .5, cell[0] - .5), 1, 1, fill=False,
                                        edgecolor="#1f5fbf", lw=3))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _figure(ncols, width, height, ratios=None):
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), facecolor="white",
                             gridspec_kw={"width_ratios": ratios} if ratios else None)
    return fig, np.atleast_1d(axes)


def image_and_grid(values, title="", cmap="gray_r", decimals=2):
    """The picture a person sees beside the numbers a machine stores (the book's first figure)."""
    vals = np.asarray(values, dtype=float)
    h, w = vals.shape
    fig, (left, right) = _figure(2, 2 + 1.5 * w * 0.9, 0.32 * h + 1)
    left.imshow(vals, cmap=cmap, vmin=0, vmax=255, interpolation="nearest")
    left.set_xticks([]), left.set_yticks([])
    left.set_title("what you see", fontsize=10)
    draw_grid(right, vals, cmap=cmap, vmin=0, vmax=255, decimals=decimals,
              title="what the machine stores")
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def window_figure(x, kernel, stride=1, padding="valid", position=0, decimals=2, cmap="gray_r"):
    """Input (padded) with the window at output cell number ``position``, the kernel, and the
    output with that cell outlined - the static picture of one step of a sweep."""
    frame = SweepFrames(x, kernel, stride, padding)
    i, j = frame.cell(position)
    r0, c0 = i * frame.stride[0], j * frame.stride[1]
    kh, kw = frame.kernel.shape
    ph, pw = frame.padded.shape
    oh, ow = frame.out.shape
    fig, axes = _figure(3, min(14, 2.5 + 0.55 * (pw + kw + ow)), 0.45 * max(ph, 4) + 1.2,
                        ratios=[pw, max(kw, 2), ow])
    draw_grid(axes[0], frame.padded, cmap=cmap, window=(r0, c0, kh, kw), decimals=decimals,
              title="input" + (" (zero-padded)" if frame.padded.shape != frame.x.shape else ""))
    draw_grid(axes[1], frame.kernel, cmap="Oranges", decimals=decimals, title="kernel")
    draw_grid(axes[2], frame.out, cmap="Blues", cell=(i, j), decimals=decimals, title="output")
    fig.suptitle(frame.arithmetic(position), fontsize=10)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- sweeps
@dataclass
class SweepFrames:
    """Everything a sweep shows: padded input, kernel, output, and the arithmetic per cell.

    x is 2-D, kernel is 2-D (a row of weights is ``[[w0, w1]]``); stride and padding as in
    ``ops.conv2d``.
    """

    x: np.ndarray
    kernel: np.ndarray
    stride: tuple = (1, 1)
    padding: object = "valid"

    def __post_init__(self):
        self.x = ops.as_image("x", self.x, (2,))
        self.kernel = ops.as_image("kernel", self.kernel, (1, 2))
        if self.kernel.ndim == 1:
            self.kernel = self.kernel[None, :]
        self.stride = ops.as_pair("stride", self.stride)
        self.out = ops.conv2d(self.x, self.kernel, self.stride, self.padding)
        pads = ops.padding_2d(self.padding, self.x.shape, self.kernel.shape, self.stride)
        self.pads = pads
        self.padded = np.pad(self.x, pads)

    @property
    def n_frames(self) -> int:
        return self.out.size

    def cell(self, position: int) -> tuple[int, int]:
        """Output cell ``(i, j)`` of frame ``position`` (row by row)."""
        if not 0 <= position < self.n_frames:
            raise ValueError(f"position must be between 0 and {self.n_frames - 1}, got {position}")
        return divmod(int(position), self.out.shape[1])

    def window(self, position: int) -> np.ndarray:
        i, j = self.cell(position)
        kh, kw = self.kernel.shape
        sh, sw = self.stride
        return self.padded[i * sh:i * sh + kh, j * sw:j * sw + kw]

    def arithmetic(self, position: int, decimals: int = 2) -> str:
        """The sum written out, e.g. ``86×1 + 4×0.3 = 87.2`` (zero-weight taps left out)."""
        win, k = self.window(position), self.kernel
        terms = [f"{fmt_number(a, decimals)}×{fmt_number(b, decimals)}"
                 for a, b in zip(win.ravel(), k.ravel()) if b != 0]
        i, j = self.cell(position)
        return " + ".join(terms or ["0"]) + f" = {fmt_number(self.out[i, j], decimals)}"


def _table(values, cls, decimals, pad_mask=None):
    rows = []
    for r, row in enumerate(np.asarray(values, dtype=float)):
        cells = []
        for c, v in enumerate(row):
            extra = " pad" if pad_mask is not None and pad_mask[r, c] else ""
            cells.append(f'<td data-r="{r}" data-c="{c}" class="g{extra}">{fmt_number(v, decimals)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="cnn-grid {cls}">' + "".join(rows) + "</table>"


_CSS = """<style>
.cnn-sweep{font-family:ui-monospace,monospace;font-size:13px;line-height:1.2;color:inherit}
.cnn-sweep .cnn-row{display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap}
.cnn-sweep table.cnn-grid{border-collapse:collapse;margin:0}
.cnn-sweep td.g{border:1px solid rgba(128,128,128,.55);padding:1px 5px;text-align:right;min-width:2.2em}
.cnn-sweep td.pad{opacity:.55;font-style:italic}
.cnn-sweep td.win{background:rgba(230,97,0,.35);outline:2px solid #e66100}
.cnn-sweep td.cur{background:rgba(31,95,191,.35);outline:2px solid #1f5fbf}
.cnn-sweep td.done{background:rgba(31,95,191,.12)}
.cnn-sweep td.todo{color:transparent}
.cnn-sweep .cap{font-weight:bold;margin:2px 0}
.cnn-sweep .sum{margin:6px 0;font-size:14px}
.cnn-sweep input[type=range]{width:min(420px,90%)}
.cnn-sweep button{font:inherit;padding:2px 10px;margin-right:8px}
</style>"""


def sweep_html(frames: SweepFrames, position: int = 0, decimals: int = 2,
               reveal: bool = True, element_id: str | None = None) -> str:
    """HTML of one sweep frame: the window and output cell highlighted, the sum written out.

    With ``reveal`` the output cells after the current one are hidden, so the output fills in
    as the window moves.
    """
    i, j = frames.cell(position)
    kh, kw = frames.kernel.shape
    sh, sw = frames.stride
    (top, _), (left, _) = frames.pads
    mask = np.ones(frames.padded.shape, bool)
    mask[top:top + frames.x.shape[0], left:left + frames.x.shape[1]] = False
    inp = _table(frames.padded, "in", decimals, mask)
    out = _table(frames.out, "out", decimals)
    # mark the current window / cell by adding classes in the HTML text itself
    for r in range(i * sh, i * sh + kh):
        for c in range(j * sw, j * sw + kw):
            inp = inp.replace(f'data-r="{r}" data-c="{c}" class="g', f'data-r="{r}" data-c="{c}" class="g win', 1)
    w = frames.out.shape[1]
    for pos in range(frames.n_frames):
        r, c = divmod(pos, w)
        state = "cur" if pos == position else ("done" if pos < position else ("todo" if reveal else ""))
        if state:
            out = out.replace(f'data-r="{r}" data-c="{c}" class="g"', f'data-r="{r}" data-c="{c}" class="g {state}"', 1)
    attr = f' id="{element_id}"' if element_id else ""
    shape = f"{frames.out.shape[0]}×{frames.out.shape[1]}"
    return (
        f'<div class="cnn-sweep"{attr}>{_CSS}'
        f'<div class="sum" aria-live="polite">output[{i}, {j}] = '
        f'<span class="arith">{html.escape(frames.arithmetic(position, decimals))}</span></div>'
        '<div class="cnn-row">'
        f'<div><div class="cap">input {frames.padded.shape[0]}×{frames.padded.shape[1]}</div>{inp}</div>'
        f'<div><div class="cap">kernel</div>{_table(frames.kernel, "k", decimals)}</div>'
        f'<div><div class="cap">output {shape}</div>{out}</div>'
        "</div></div>"
    )


_PLAYER_JS = """<script>
(function(){
  var root=document.getElementById(%(id)s); if(!root) return;
  var D=%(data)s, slider=root.querySelector('input[type=range]'), btn=root.querySelector('button');
  var label=root.querySelector('.pos'), ariths=root.querySelectorAll('.arith'), heads=root.querySelectorAll('.head');
  function show(p){
    p=+p; var fr=D.frames[p], w=D.ow;
    root.querySelectorAll('table.in td').forEach(function(td){td.classList.remove('win');});
    for(var r=fr[0]*D.sh;r<fr[0]*D.sh+D.kh;r++)for(var c=fr[1]*D.sw;c<fr[1]*D.sw+D.kw;c++){
      var td=root.querySelector('table.in td[data-r="'+r+'"][data-c="'+c+'"]'); if(td) td.classList.add('win');}
    root.querySelectorAll('table.out td').forEach(function(td){
      var q=(+td.dataset.r)*w+(+td.dataset.c); td.classList.remove('cur','done','todo');
      td.classList.add(q===p?'cur':(q<p?'done':'todo'));});
    ariths.forEach(function(el,k){el.textContent=fr[2+k];});
    heads.forEach(function(el,k){el.textContent=(D.names?D.names[k]:'output')+'['+fr[0]+', '+fr[1]+'] = ';});
    label.textContent=(p+1)+' / '+D.frames.length; slider.value=p;
  }
  var timer=null;
  function stop(){clearInterval(timer);timer=null;btn.textContent='Play';btn.setAttribute('aria-pressed','false');}
  slider.addEventListener('input',function(){stop();show(slider.value);});
  btn.addEventListener('click',function(){
    if(timer){stop();return;}
    btn.textContent='Pause';btn.setAttribute('aria-pressed','true');
    if(+slider.value>=D.frames.length-1) show(0);
    timer=setInterval(function(){var p=+slider.value+1; if(p>=D.frames.length){stop();return;} show(p);},%(ms)d);
  });
  show(0);
})();
</script>"""


def sweep_player(x, kernel, stride=1, padding="valid", decimals=2, ms_per_step=600,
                 label="window position"):
    """A sweep that runs in the page itself (no Python kernel): slider, play button, sum.

    Returns an ``IPython.display.HTML`` object; in a notebook or on the static site the
    reader drags the slider (or uses the arrow keys) and the highlighted window, the output
    cell and the written-out sum follow.
    """
    from IPython.display import HTML

    frames = SweepFrames(x, kernel, stride, padding)
    data = {
        "frames": [[*frames.cell(p), frames.arithmetic(p, decimals)] for p in range(frames.n_frames)],
        "ow": frames.out.shape[1], "kh": frames.kernel.shape[0], "kw": frames.kernel.shape[1],
        "sh": frames.stride[0], "sw": frames.stride[1],
    }
    payload = json.dumps(data, separators=(",", ":"))
    uid = f"sweep-{hashlib.sha1(payload.encode()).hexdigest()[:10]}-{next(_counter)}"
    body = sweep_html(frames, 0, decimals, element_id=uid)
    controls = (
        '<div class="controls" style="margin-top:8px">'
        '<button type="button" aria-pressed="false">Play</button>'
        f'<input type="range" min="0" max="{frames.n_frames - 1}" value="0" step="1" '
        f'aria-label="{html.escape(label)}"> <span class="pos">1 / {frames.n_frames}</span></div>'
    )
    body = body.replace('<div class="sum" aria-live="polite">output[0, 0] = ',
                        '<div class="sum" aria-live="polite"><span class="head">output[0, 0] = </span>', 1)
    body = body[:-len("</div>")] + controls + "</div>"
    return HTML(body + _PLAYER_JS % {"id": json.dumps(uid), "data": payload, "ms": ms_per_step})


# ----------------------------------------------------------------------------- panels
def grid_panels(arrays, titles=None, cmaps="gray_r", show_numbers=True, decimals=2,
                vmin=None, vmax=None, marks=None, suptitle=None, max_numbered=40):
    """Several grids (or pictures) side by side, e.g. an image and its shuffled copy, the
    three channels of a photo, or the two output channels of Case 4.

    arrays: 2-D arrays (drawn with ``draw_grid``) or ``(H, W, 3)`` RGB arrays (shown as a
    picture). Arrays larger than ``max_numbered`` cells a side are shown as plain pictures
    (numbers would not fit). cmaps, show_numbers, vmin, vmax: one value for all panels or a
    list with one per panel. marks: for each panel a list of ``(row, col)`` cells outlined
    in red with a dashed line (e.g. cells the article did not print), or None.
    """
    import matplotlib.patches as mpatches

    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays)
    if n == 0:
        raise ValueError("arrays is empty; give at least one array to draw")

    def per_panel(name, value):
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                raise ValueError(f"{name} must have one entry per array ({n}), got {len(value)}")
            return list(value)
        return [value] * n

    titles, cmaps = per_panel("titles", titles), per_panel("cmaps", cmaps)
    numbers, lows, highs = (per_panel("show_numbers", show_numbers),
                            per_panel("vmin", vmin), per_panel("vmax", vmax))
    marks = per_panel("marks", marks)
    for a in arrays:
        if not (a.ndim == 2 or (a.ndim == 3 and a.shape[2] == 3)):
            raise ValueError(f"each array must be 2-D or (H, W, 3) RGB, got shape {a.shape}")
    big = [max(a.shape[:2]) > max_numbered for a in arrays]
    if all(big):  # pictures only: a compact strip
        fig, axes = _figure(n, min(12, 0.4 + 2.4 * n), 2.9)
    else:
        widths = [a.shape[1] if not b else 6 for a, b in zip(arrays, big)]
        rows = max(a.shape[0] if not b else 12 for a, b in zip(arrays, big))
        fig, axes = _figure(n, min(14, 1.0 + sum(0.62 * w + 0.5 for w in widths)),
                            min(9, 0.34 * rows + 1.3), ratios=widths)
    for ax, a, t, cm, num, lo, hi, mk, b in zip(axes, arrays, titles, cmaps, numbers, lows,
                                                 highs, marks, big):
        if a.ndim == 3 or b:
            ax.imshow(a if a.ndim == 3 else a.astype(float), cmap=None if a.ndim == 3 else cm,
                      vmin=lo, vmax=hi, interpolation="nearest" if not b else "antialiased")
            ax.set_xticks([]), ax.set_yticks([])
            if t:
                ax.set_title(t, fontsize=10)
        else:
            draw_grid(ax, a, cmap=cm, vmin=lo, vmax=hi, decimals=decimals, title=t,
                      show_numbers=num)
        for r, c in mk or []:
            ax.add_patch(mpatches.Rectangle((c - .5, r - .5), 1, 1, fill=False,
                                            edgecolor="#c01c28", lw=2.5, ls="--"))
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- filter banks
def _check_bank(frames_list):
    if not frames_list:
        raise ValueError("kernels is empty; give at least one kernel")
    first = frames_list[0]
    for f in frames_list[1:]:
        if f.kernel.shape != first.kernel.shape:
            raise ValueError("all kernels of a filter bank must have the same shape, got "
                             f"{first.kernel.shape} and {f.kernel.shape}")


def filter_bank_html(frames_list, position=0, decimals=2, names=None, reveal=True,
                     element_id=None) -> str:
    """HTML of one sweep position for several filters over the same input (Case 4): the
    shared window is highlighted once, and each filter shows its kernel, its output channel
    with the current cell, and its own written-out sum."""
    frames_list = list(frames_list)
    _check_bank(frames_list)
    names = list(names) if names is not None else [f"filter {k + 1}" for k in range(len(frames_list))]
    if len(names) != len(frames_list):
        raise ValueError(f"names must have one entry per kernel ({len(frames_list)}), got {len(names)}")
    base = sweep_html(frames_list[0], position, decimals, reveal)
    start = base.index('<div class="cnn-row">')
    inp_start = base.index("<div>", start)
    inp_end = base.index('<div><div class="cap">kernel')
    input_block = base[inp_start:inp_end]
    i, j = frames_list[0].cell(position)
    sums, blocks = [], []
    for f, name in zip(frames_list, names):
        one = sweep_html(f, position, decimals, reveal)
        k0 = one.index('<div><div class="cap">kernel')
        k_block = one[k0:one.rindex("</div></div>")]
        sums.append(f'<div class="sum"><span class="head">{html.escape(name)}[{i}, {j}] = </span>'
                    f'<span class="arith">{html.escape(f.arithmetic(position, decimals))}</span></div>')
        blocks.append(f'<div><div class="cap">{html.escape(name)}</div>'
                      f'<div class="cnn-row">{k_block}</div></div>')
    attr = f' id="{element_id}"' if element_id else ""
    return (f'<div class="cnn-sweep"{attr}>{_CSS}<div aria-live="polite">{"".join(sums)}</div>'
            f'<div class="cnn-row">{input_block}{"".join(blocks)}</div></div>')


def _player_controls(n_frames, label):
    return ('<div class="controls" style="margin-top:8px">'
            '<button type="button" aria-pressed="false">Play</button>'
            f'<input type="range" min="0" max="{n_frames - 1}" value="0" step="1" '
            f'aria-label="{html.escape(label)}"> <span class="pos">1 / {n_frames}</span></div>')


def filter_bank_player(x, kernels, stride=1, padding="valid", decimals=2, ms_per_step=600,
                       names=None, label="window position"):
    """Kernel-free control for several filters sliding together over one input (Case 4):
    slider and play button as in ``sweep_player``, one sum and one output channel per filter."""
    from IPython.display import HTML

    frames_list = [SweepFrames(x, k, stride, padding) for k in kernels]
    _check_bank(frames_list)
    names = list(names) if names is not None else [f"filter {k + 1}" for k in range(len(frames_list))]
    first = frames_list[0]
    data = {
        "frames": [[*first.cell(p), *(f.arithmetic(p, decimals) for f in frames_list)]
                   for p in range(first.n_frames)],
        "ow": first.out.shape[1], "kh": first.kernel.shape[0], "kw": first.kernel.shape[1],
        "sh": first.stride[0], "sw": first.stride[1], "names": names,
    }
    payload = json.dumps(data, separators=(",", ":"))
    uid = f"bank-{hashlib.sha1(payload.encode()).hexdigest()[:10]}-{next(_counter)}"
    body = filter_bank_html(frames_list, 0, decimals, names, element_id=uid)
    body = body[:-len("</div>")] + _player_controls(first.n_frames, label) + "</div>"
    return HTML(body + _PLAYER_JS % {"id": json.dumps(uid), "data": payload, "ms": ms_per_step})


# ----------------------------------------------------------------------------- flattening
_FLAT_CSS = """<style>
.cnn-flat .flat{display:flex;flex-wrap:wrap;gap:2px;max-width:760px;margin:2px 0 8px}
.cnn-flat .flat span{border:1px solid rgba(128,128,128,.55);padding:1px 4px;min-width:2.2em;text-align:right}
.cnn-flat td.rm,.cnn-flat span.rm{background:rgba(31,95,191,.35);outline:2px solid #1f5fbf}
.cnn-flat td.cm,.cnn-flat span.cm{background:rgba(230,97,0,.35);outline:2px dashed #e66100}
.cnn-flat td.rm.cm{background:rgba(128,96,160,.45)}
</style>"""


def _flat_row(values, cls, decimals):
    spans = "".join(f'<span data-k="{k}">{fmt_number(v, decimals)}</span>'
                    for k, v in enumerate(values))
    return f'<div class="flat order-{cls}">{spans}</div>'


def flatten_html(x, position=0, decimals=2, element_id=None) -> str:
    """HTML of the flattening explorer: the grid and its two flattened rows, with value
    number ``position`` of each row highlighted in the row and in the grid - blue for
    row-major order (NumPy ``ravel()``, Keras ``Flatten``), dashed orange for column-major
    order (the article's row)."""
    x = ops.as_image("x", x, (2,))
    h, w = x.shape
    if not 0 <= position < x.size:
        raise ValueError(f"position must be between 0 and {x.size - 1}, got {position}")
    rm_cell, cm_cell = divmod(position, w), divmod(position, h)[::-1]
    grid = _table(x, "in", decimals)
    for cell, cls in ((rm_cell, "rm"), (cm_cell, "cm")):
        key = f'data-r="{cell[0]}" data-c="{cell[1]}" class="g'
        grid = grid.replace(key, f"{key} {cls}", 1)
    rows = []
    for order, cls, title in (("C", "rm", "row-major (NumPy ravel, Keras Flatten)"),
                              ("F", "cm", "column-major (the article's row)")):
        row = _flat_row(x.ravel(order=order), cls, decimals)
        row = row.replace(f'<span data-k="{position}">', f'<span data-k="{position}" class="{cls}">', 1)
        rows.append(f'<div class="cap">{title}</div>{row}')
    (rr, rc), (cr, cc) = rm_cell, cm_cell
    text = (f"value {position}: row-major takes x[{rr}, {rc}] = {fmt_number(x[rr, rc], decimals)}; "
            f"column-major takes x[{cr}, {cc}] = {fmt_number(x[cr, cc], decimals)}")
    attr = f' id="{element_id}"' if element_id else ""
    return (f'<div class="cnn-sweep cnn-flat"{attr}>{_CSS}{_FLAT_CSS}'
            f'<div class="sum" aria-live="polite"><span class="arith">{html.escape(text)}</span></div>'
            f'<div class="cnn-row"><div><div class="cap">image {h}×{w}</div>{grid}</div>'
            f'<div style="flex:1;min-width:260px">{"".join(rows)}</div></div></div>')


_FLAT_JS = """<script>
(function(){
  var root=document.getElementById(%(id)s); if(!root) return;
  var D=%(data)s, slider=root.querySelector('input[type=range]'), btn=root.querySelector('button');
  var label=root.querySelector('.pos'), arith=root.querySelector('.arith');
  function mark(sel,cls){root.querySelectorAll('.'+cls).forEach(function(e){e.classList.remove(cls);});
    var e=root.querySelector(sel); if(e) e.classList.add(cls);}
  function show(p){
    p=+p; var fr=D.frames[p];
    mark('table.in td[data-r="'+fr[0]+'"][data-c="'+fr[1]+'"]','rm');
    root.querySelectorAll('table.in td.cm').forEach(function(e){e.classList.remove('cm');});
    var c=root.querySelector('table.in td[data-r="'+fr[2]+'"][data-c="'+fr[3]+'"]'); if(c) c.classList.add('cm');
    root.querySelectorAll('.flat span.rm,.flat span.cm').forEach(function(e){e.classList.remove('rm','cm');});
    root.querySelector('.flat.order-rm span[data-k="'+p+'"]').classList.add('rm');
    root.querySelector('.flat.order-cm span[data-k="'+p+'"]').classList.add('cm');
    arith.textContent=fr[4]; label.textContent=(p+1)+' / '+D.frames.length; slider.value=p;
  }
  var timer=null;
  function stop(){clearInterval(timer);timer=null;btn.textContent='Play';btn.setAttribute('aria-pressed','false');}
  slider.addEventListener('input',function(){stop();show(slider.value);});
  btn.addEventListener('click',function(){
    if(timer){stop();return;}
    btn.textContent='Pause';btn.setAttribute('aria-pressed','true');
    if(+slider.value>=D.frames.length-1) show(0);
    timer=setInterval(function(){var p=+slider.value+1; if(p>=D.frames.length){stop();return;} show(p);},%(ms)d);
  });
  show(0);
})();
</script>"""


def flatten_player(x, decimals=2, ms_per_step=400, label="position in the flattened row"):
    """Kernel-free flattening explorer for the static site: a slider (and play button) walks
    along the flattened row and shows which pixel each order takes (see ``flatten_html``)."""
    from IPython.display import HTML

    x = ops.as_image("x", x, (2,))
    h, w = x.shape
    frames = []
    for p in range(x.size):
        text = flatten_html(x, p, decimals)
        arith = html.unescape(text[text.index('<span class="arith">') + 20:text.index("</span></div>")])
        frames.append([*divmod(p, w), p % h, p // h, arith])
    payload = json.dumps({"frames": frames}, separators=(",", ":"))
    uid = f"flat-{hashlib.sha1(payload.encode()).hexdigest()[:10]}-{next(_counter)}"
    body = flatten_html(x, 0, decimals, element_id=uid)
    body = body[:-len("</div>")] + _player_controls(x.size, label) + "</div>"
    return HTML(body + _FLAT_JS % {"id": json.dumps(uid), "data": payload, "ms": ms_per_step})


def as_jpeg(fig, quality: int = 82, dpi: int = 100):
    """A figure as an ``IPython.display.Image`` in JPEG (and the figure closed): for figures
    of photos, whose PNG would make the notebook several times larger."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg", dpi=dpi, facecolor="white", pil_kwargs={"quality": quality})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="jpeg")

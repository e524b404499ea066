"""Kernel-free players for the static page: a slider and a Play button walk a window over an
image (``sweep_player``), several filters over one input (``filter_bank_player``) or along a
flattened row (``flatten_player``); the ``*_html`` functions render one frame (the live
widgets of ``helpers.interactive.widgets`` show the same frames).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json

import numpy as np

from .. import ops
from ..fmt import fmt_number
from ..sweep import SweepFrames

_counter = itertools.count()


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


# The slider / Play-button behaviour shared by every kernel-free player: each player's script
# defines show(p), slider, btn and D.frames, then appends this.
_PLAYER_CONTROLS_JS = """  var timer=null;
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
""" + _PLAYER_CONTROLS_JS


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
""" + _PLAYER_CONTROLS_JS


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

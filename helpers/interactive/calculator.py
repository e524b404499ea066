"""Output size of a convolution in the three padding conventions, for Python and JavaScript.

The formulas live once, as text in ``FORMULAS``. Python evaluates that text (``sizes``) and
``javascript()`` turns the very same text into a JavaScript function for the kernel-free
calculator on the static page, so the two cannot drift apart; the tests check the Python side
against ``ops.output_size`` and ``keras.layers.Conv2D``, and run the generated JavaScript in
Node. Variables: ``n`` input size, ``k`` kernel size, ``s`` stride, ``p`` zeros on each side,
``d`` dilation; ``ke = d*(k-1)+1`` is the span of the dilated kernel.

Conventions:

* **formula / symmetric** - ``p`` zeros on both sides, ``floor((n + 2p - ke)/s) + 1``. This is
  the article's ``(W - F + 2P)/S + 1`` with the floor it needs, and PyTorch's
  ``nn.Conv2d(padding=p)``.
* **TensorFlow/Keras** - ``padding="valid"``: no zeros; ``padding="same"``: ``ceil(n/s)``
  outputs, the zeros needed for that split with the odd one at the bottom/right. Keras refuses
  a stride > 1 together with a dilation > 1.
* **PyTorch ``padding="same"``** - only for stride 1 (``nn.Conv2d`` raises "padding='same' is
  not supported for strided convolutions"); ``d*(k-1)`` zeros, the odd one at the end.
"""

from __future__ import annotations

import html
import json
import math
import numbers

from .. import ops

# name -> (expression, condition under which the convention accepts the case or "")
FORMULAS: dict[str, str] = {
    "ke": "d*(k-1) + 1",
    "sym_out": "floor((n + 2*p - ke)/s) + 1",
    "valid_out": "floor((n - ke)/s) + 1",
    "same_out": "ceil(n/s)",
    "same_total": "max((same_out - 1)*s + ke - n, 0)",
    "same_before": "floor(same_total/2)",
    "same_after": "same_total - same_before",
    "torch_total": "ke - 1",
    "torch_before": "floor(torch_total/2)",
    "torch_after": "torch_total - torch_before",
}

MESSAGES = {
    "too_big": "kernel span larger than the padded input",
    "keras_dilation": "Keras rejects stride > 1 with dilation > 1",
    "torch_stride": "PyTorch raises: padding='same' is not supported for strided convolutions",
}


CONVENTIONS = ("symmetric", "keras_valid", "keras_same", "torch_same")


def _check(**values) -> dict:
    """Each value as a Python int, or a short error naming it: integers of any kind (``int``,
    ``numpy.int64``, ...) are accepted, as in ``ops``; ``p`` may be 0, the others start at 1."""
    out = {}
    for name, v in values.items():
        low = 0 if name == "p" else 1
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {v!r}")
        v = int(v)
        if v < low:
            raise ValueError(f"{name} must be at least {low}, got {v}")
        out[name] = v
    return out


def _check_convention(convention) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {', '.join(map(repr, CONVENTIONS))}, "
                         f"got {convention!r}")
    return convention


def sizes(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> dict:
    """Every convention for one axis: ``{convention: {"out", "pads"} or {"error"}}``.

    The sizes and paddings come from ``ops.output_size`` (the one source of the rule); what is
    added here is which library accepts the case (Keras: no stride > 1 with dilation > 1;
    PyTorch ``padding="same"``: stride 1 only).
    """
    v = _check(n=n, k=k, s=s, p=p, d=d)
    n, k, s, p, d = v["n"], v["k"], v["s"], v["p"], v["d"]

    def conv(padding):
        try:
            out, pads = ops.output_size(n, k, s, padding, d, return_padding=True)
        except ValueError:
            return {"error": MESSAGES["too_big"]}
        return {"out": out, "pads": list(pads)}

    keras_bad = s > 1 and d > 1
    return {
        "symmetric": conv(p),
        "keras_valid": {"error": MESSAGES["keras_dilation"]} if keras_bad else conv("valid"),
        "keras_same": {"error": MESSAGES["keras_dilation"]} if keras_bad else conv("same"),
        "torch_same": {"error": MESSAGES["torch_stride"]} if s > 1 else conv("same"),
    }


LABELS = {
    "symmetric": "formula, p zeros each side (= PyTorch padding=p)",
    "keras_valid": 'TensorFlow/Keras padding="valid"',
    "keras_same": 'TensorFlow/Keras padding="same"',
    "torch_same": 'PyTorch padding="same"',
}


def _js_expr(expr: str) -> str:
    for f in ("floor", "ceil", "max"):
        expr = expr.replace(f + "(", "Math." + f + "(")
    return expr


def javascript(name: str = "cnnSizes") -> str:
    """A JavaScript ``function name(n,k,s,p,d)`` returning the same dict as ``sizes``."""
    lines = [f"function {name}(n,k,s,p,d){{"]
    for key, expr in FORMULAS.items():
        lines.append(f"var {key}={_js_expr(expr)};")
    m = json.dumps(MESSAGES)
    lines.append(
        "var M=" + m + ", r={};"
        "r.symmetric=(n+2*p>=ke)?{out:sym_out,pads:[p,p]}:{error:M.too_big};"
        "var kb=(s>1&&d>1);"
        "r.keras_valid=kb?{error:M.keras_dilation}:(n>=ke?{out:valid_out,pads:[0,0]}:{error:M.too_big});"
        "r.keras_same=kb?{error:M.keras_dilation}:{out:same_out,pads:[same_before,same_after]};"
        "r.torch_same=(s>1)?{error:M.torch_stride}:{out:n,pads:[torch_before,torch_after]};"
        "return r;}"
    )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the grid
# One square axis is drawn n+pads wide; both functions below build the same HTML string.
def grid_html(n: int, before: int, after: int, k: int, s: int, d: int, out: int) -> str:
    """The padded input as a square grid: zeros grey, the first window outlined, and input
    cells that no window ever reads struck through (e.g. row/column 5 at stride 2 on 6×6)."""
    m = before + n + after
    read = [False] * m
    for i in range(out):
        for j in range(k):
            read[i * s + j * d] = True
    first = {j * d for j in range(k)}
    rows = []
    for r in range(m):
        cells = []
        for c in range(m):
            cls = "z" if (r < before or r >= before + n or c < before or c >= before + n) else "x"
            if not (read[r] and read[c]) and cls == "x":
                cls += " u"
            if r in first and c in first:
                cls += " w"
            cells.append(f'<td class="{cls}"></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="cnn-pad">' + "".join(rows) + "</table>"


GRID_JS = r"""function cnnGrid(n,before,after,k,s,d,out){
var m=before+n+after, read=[], i, j, r, c, h='<table class="cnn-pad">';
for(i=0;i<m;i++) read.push(false);
for(i=0;i<out;i++) for(j=0;j<k;j++) read[i*s+j*d]=true;
var first={}; for(j=0;j<k;j++) first[j*d]=true;
for(r=0;r<m;r++){ h+='<tr>';
 for(c=0;c<m;c++){
  var cls=(r<before||r>=before+n||c<before||c>=before+n)?'z':'x';
  if(!(read[r]&&read[c])&&cls==='x') cls+=' u';
  if(first[r]&&first[c]) cls+=' w';
  h+='<td class="'+cls+'"></td>'; }
 h+='</tr>'; }
return h+'</table>';}"""

GRID_CSS = """<style>
.cnn-calc{font-family:ui-monospace,monospace;font-size:13px;color:inherit}
.cnn-calc label{margin-right:10px;white-space:nowrap}
.cnn-calc input[type=number]{width:4em;font:inherit}
.cnn-calc table.cnn-pad{border-collapse:collapse;margin:6px 0}
.cnn-calc table.cnn-pad td{width:11px;height:11px;padding:0;border:1px solid rgba(128,128,128,.6)}
.cnn-calc td.z{background:rgba(128,128,128,.45)}
.cnn-calc td.x{background:rgba(255,255,255,.9)}
.cnn-calc td.u{background:repeating-linear-gradient(45deg,#d33 0 2px,#fff 2px 5px)}
.cnn-calc td.w{outline:2px solid #e66100;outline-offset:-2px}
.cnn-calc table.res td{padding:1px 8px;border-bottom:1px solid rgba(128,128,128,.4)}
</style>"""

LEGEND = ("grey: zero padding · white: input · striped red: input never read by any window · "
          "orange outline: the first window")


def results_html(res: dict) -> str:
    """The four conventions as a small table (used by the live widget; the page's JS builds
    the same table)."""
    rows = []
    for key, label in LABELS.items():
        r = res[key]
        val = (f"{r['out']} (pads {r['pads'][0]} before, {r['pads'][1]} after)"
               if "out" in r else r["error"])
        rows.append(f"<tr><td>{html.escape(label)}</td><td>{html.escape(val)}</td></tr>")
    return '<table class="res">' + "".join(rows) + "</table>"


def draw_convention(res: dict, n, k, s, d, convention: str):
    """Arguments of ``grid_html`` for one convention, or None if it rejects the case."""
    r = res[_check_convention(convention)]
    if "out" not in r:
        return None
    return n, r["pads"][0], r["pads"][1], k, s, d, r["out"]


_CALC_JS = """<script>
(function(){
%(sizes)s
%(grid)s
var root=document.getElementById(%(id)s); if(!root) return;
var L=%(labels)s;
function esc(t){return String(t).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;');}
function val(name){var v=parseInt(root.querySelector('[name='+name+']').value,10);return isNaN(v)?0:v;}
function update(){
  var n=Math.max(1,Math.min(40,val('n'))),k=Math.max(1,val('k')),s=Math.max(1,val('s')),
      p=Math.max(0,val('p')),d=Math.max(1,val('d'));
  var res=cnnSizes(n,k,s,p,d), h='<table class="res">';
  for(var key in L){var r=res[key];
    h+='<tr><td>'+esc(L[key])+'</td><td>'+esc(('out' in r)?(r.out+' (pads '+r.pads[0]+' before, '+r.pads[1]+' after)'):r.error)+'</td></tr>';}
  root.querySelector('.results').innerHTML=h+'</table>';
  var conv=root.querySelector('[name=conv]').value, r=res[conv];
  root.querySelector('.grid').innerHTML=('out' in r)?cnnGrid(n,r.pads[0],r.pads[1],k,s,d,r.out)
     :'<p>'+esc(r.error)+'</p>';
}
root.querySelectorAll('input,select').forEach(function(e){e.addEventListener('input',update);});
update();
})();
</script>"""


def calculator_html(n=6, k=3, s=2, p=1, d=1, convention="keras_same", uid="cnn-calc"):
    """The kernel-free calculator for the static page: a plain HTML form and JavaScript built
    from ``FORMULAS`` (``IPython.display.HTML``). Its first view is rendered by Python."""
    from IPython.display import HTML

    res = sizes(n, k, s, p, d)
    args = draw_convention(res, n, k, s, d, convention)
    grid = grid_html(*args) if args else f"<p>{html.escape(res[convention]['error'])}</p>"
    fields = "".join(
        f'<label>{lab} <input type="number" name="{nm}" value="{v}" min="{lo}" max="{hi}" '
        f'aria-label="{html.escape(desc)}"></label>'
        for nm, lab, v, lo, hi, desc in (
            ("n", "n", n, 1, 40, "input size n"), ("k", "k", k, 1, 15, "kernel size k"),
            ("s", "s", s, 1, 10, "stride s"), ("p", "p", p, 0, 10, "zeros on each side p"),
            ("d", "dilation", d, 1, 5, "dilation d")))
    options = "".join(
        f'<option value="{key}"{" selected" if key == convention else ""}>{html.escape(lab)}</option>'
        for key, lab in LABELS.items())
    body = (f'<div class="cnn-calc" id="{uid}">{GRID_CSS}<form onsubmit="return false">'
            f"{fields}<br><label>draw: <select name=\"conv\" aria-label=\"convention to draw\">"
            f"{options}</select></label></form>"
            f'<div class="results" aria-live="polite">{results_html(res)}</div>'
            f'<div class="grid">{grid}</div><div class="legend">{LEGEND}</div></div>')
    js = _CALC_JS % {"sizes": javascript(), "grid": GRID_JS, "id": json.dumps(uid),
                     "labels": json.dumps(LABELS)}
    return HTML(body + js)


# ----------------------------------------------------------------------------- volumes
#: Output volume and parameters of a conv layer (square n×n×c input, f filters k×k×c).
VOLUME_FORMULAS: dict[str, str] = {
    "out": "floor((n + 2*p - k)/s) + 1",
    "weights": "k*k*c*f",
    "params": "k*k*c*f + f",
}


def volume(n: int, c: int, f: int, k: int, s: int = 1, p: int = 0) -> dict:
    """``{"out", "weights", "params"}`` of f filters k×k×c on n×n×c (stride s, p zeros a side),
    from ``ops.output_size`` and ``ops.conv_params``; ``out`` is the output's height = width,
    its depth is f."""
    v = _check(n=n, c=c, f=f, k=k, s=s, p=p)
    n, c, f, k, s, p = v["n"], v["c"], v["f"], v["k"], v["s"], v["p"]
    if k > n + 2 * p:
        raise ValueError(f"kernel {k} is larger than the padded input {n + 2 * p}")
    return {"out": ops.output_size(n, k, s, p), "weights": ops.conv_params(k, k, c, f, bias=False),
            "params": ops.conv_params(k, k, c, f)}


def volume_javascript(name: str = "cnnVolume") -> str:
    """``function name(n,c,f,k,s,p)`` returning the same dict as ``volume``."""
    body = ",".join(f"{key}:{_js_expr(expr)}" for key, expr in VOLUME_FORMULAS.items())
    return f"function {name}(n,c,f,k,s,p){{return {{{body}}};}}"


_VOL_JS = """<script>
(function(){
%(fn)s
var root=document.getElementById(%(id)s); if(!root) return;
function val(nm){var v=parseInt(root.querySelector('[name='+nm+']').value,10);return isNaN(v)?0:v;}
function update(){
  var n=Math.max(1,val('n')),c=Math.max(1,val('c')),f=Math.max(1,val('f')),k=Math.max(1,val('k')),
      s=Math.max(1,val('s')),p=Math.max(0,val('p')), o=root.querySelector('.out');
  if(k>n+2*p){o.textContent='kernel '+k+' is larger than the padded input '+(n+2*p);return;}
  var r=cnnVolume(n,c,f,k,s,p);
  o.textContent=n+'×'+n+'×'+c+' → '+r.out+'×'+r.out+'×'+f+'; each filter is '+k+'×'+k+'×'+c+
    '; '+r.weights+' weights + '+f+' biases = '+r.params+' parameters';
}
root.querySelectorAll('input').forEach(function(e){e.addEventListener('input',update);});
update();
})();
</script>"""


def volume_text(n, c, f, k, s=1, p=0) -> str:
    """One line, the same as the page's JavaScript writes (its inputs are checked first)."""
    v = _check(n=n, c=c, f=f, k=k, s=s, p=p)
    n, c, f, k, s, p = v["n"], v["c"], v["f"], v["k"], v["s"], v["p"]
    if k > n + 2 * p:
        return f"kernel {k} is larger than the padded input {n + 2 * p}"
    r = volume(n, c, f, k, s, p)
    return (f"{n}×{n}×{c} → {r['out']}×{r['out']}×{f}; each filter is {k}×{k}×{c}; "
            f"{r['weights']} weights + {f} biases = {r['params']} parameters")


def volume_html(n=32, c=3, f=10, k=5, s=1, p=0, uid="cnn-volume"):
    """Kernel-free output-volume and parameter calculator (``IPython.display.HTML``)."""
    from IPython.display import HTML

    fields = "".join(
        f'<label>{lab} <input type="number" name="{nm}" value="{v}" min="{lo}" '
        f'aria-label="{html.escape(desc)}"></label>'
        for nm, lab, v, lo, desc in (
            ("n", "input n", n, 1, "input height and width"), ("c", "depth", c, 1, "input depth"),
            ("f", "filters", f, 1, "number of filters"), ("k", "k", k, 1, "kernel size"),
            ("s", "s", s, 1, "stride"), ("p", "p", p, 0, "zeros on each side")))
    body = (f'<div class="cnn-calc" id="{uid}">{GRID_CSS}<form onsubmit="return false">{fields}</form>'
            f'<p class="out" aria-live="polite">{html.escape(volume_text(n, c, f, k, s, p))}</p></div>')
    return HTML(body + _VOL_JS % {"fn": volume_javascript(), "id": json.dumps(uid)})

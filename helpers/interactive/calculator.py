"""Output size of a convolution in every padding convention, and the output volume and
parameters of a conv layer: the kernel-free calculators of the page and the padded grid they
draw.

The sizes and paddings come from ``ops.output_size`` (the one source of the rule); this module
adds which library accepts a case, the texts and the HTML. The page code is
``static/calc.js``; ``tests/js/calc.test.js`` checks that it writes exactly the text Python
writes here, on a table of cases. Variables: ``n`` input size, ``k`` kernel size, ``s``
stride, ``p`` zeros on each side, ``d`` dilation; ``ke = d*(k-1)+1`` is the span of the
dilated kernel.

The page's number boxes cover real networks (inputs up to 4096, kernels up to 15); what a
box holds is read by ``read_field``: a whole number within the box's limits, or one message
naming the box and what to type - never a number clamped or rounded into range. The padded
grid is drawn up to ``GRID_MAX`` cells a side; a larger input gets its sizes and a note.

Conventions:

* **formula / symmetric** - ``p`` zeros on both sides, ``floor((n + 2p - ke)/s) + 1``. This is
  the article's ``(W - F + 2P)/S + 1`` with the floor it needs, and PyTorch's
  ``nn.Conv2d(padding=p)``.
* **TensorFlow/Keras** - ``padding="valid"``: no zeros; ``padding="same"``: ``ceil(n/s)``
  outputs, the zeros needed for that split with the odd one at the bottom/right. Keras refuses
  a stride > 1 together with a dilation > 1.
* **PyTorch ``padding="same"``** - only for stride 1 (``nn.Conv2d`` raises "padding='same' is
  not supported for strided convolutions"); ``d*(k-1)`` zeros, the odd one at the end (the
  same zeros as TensorFlow's "same" at stride 1).
"""

from __future__ import annotations

import html
import re

from .. import ops, validate
from . import page

CONVENTIONS = ("symmetric", "keras_valid", "keras_same", "torch_same")

LABELS = {
    "symmetric": "formula, p zeros each side (= PyTorch padding=p)",
    "keras_valid": 'TensorFlow/Keras padding="valid"',
    "keras_same": 'TensorFlow/Keras padding="same"',
    "torch_same": 'PyTorch padding="same"',
}

MESSAGES = {
    "too_big": "kernel span larger than the padded input",
    "keras_dilation": "Keras rejects stride > 1 with dilation > 1",
    "torch_stride": "PyTorch raises: padding='same' is not supported for strided convolutions",
}

LEGEND = (
    "grey: zero padding · white: input · striped red: input never read by any window · "
    "orange outline: the first window"
)

#: The form fields of the page calculators: name -> (label, lowest, highest, description; the
#: description is the box's accessible name and names it in a message). The limits hold real
#: networks: inputs up to 4096 (a 224 ResNet, a 1024 segmentation input), kernels up to 15
#: (AlexNet's 11), strides and paddings up to 10; a volume's numbers stay exact in JavaScript.
SIZE_FIELDS = {
    "n": ("n", 1, 4096, "input size n"),
    "k": ("k", 1, 15, "kernel size k"),
    "s": ("s", 1, 10, "stride s"),
    "p": ("p", 0, 10, "zeros on each side p"),
    "d": ("dilation", 1, 5, "dilation d"),
}
VOLUME_FIELDS = {
    "n": ("input n", 1, 4096, "input height and width"),
    "c": ("depth", 1, 4096, "input depth"),
    "f": ("filters", 1, 4096, "number of filters"),
    "k": ("k", 1, 15, "kernel size"),
    "s": ("s", 1, 10, "stride"),
    "p": ("p", 0, 10, "zeros on each side"),
}
_WHOLE = re.compile(r"[0-9]+")


def read_field(text: str, lo: int, hi: int, desc: str) -> int | str:
    """What a number box holding ``text`` gives (``calc.js``'s ``readField``): the whole number,
    or the message that names the box (``desc``) and says what to type, when the box is empty
    or holds anything but the digits of a whole number from ``lo`` to ``hi`` - a browser's
    number box gives "" for text it cannot read, and keeps "2.5", "-3" or "1e3"."""
    digits = text.lstrip("0") or "0"
    if not _WHOLE.fullmatch(text) or len(digits) > len(str(hi)) or not lo <= int(digits) <= hi:
        return f"{desc}: type a whole number from {lo} to {hi}"
    return int(digits)


def read_form(fields: dict, texts: dict) -> dict | str:
    """``{name: value}`` of a calculator's boxes (``fields``: ``SIZE_FIELDS`` or
    ``VOLUME_FIELDS``) holding ``texts``, or the message of the first box that is not a
    whole number within its limits."""
    values = {}
    for name, (_, lo, hi, desc) in fields.items():
        got = read_field(texts[name], lo, hi, desc)
        if isinstance(got, str):
            return got
        values[name] = got
    return values


def message_html(message: str) -> str:
    """A calculator's message in place of its results (the page's JavaScript writes the same)."""
    return f'<p class="cnn-calc-error">{html.escape(message)}</p>'


def _check(**values) -> list[int]:
    """The values as Python ints, or a short error naming one (``helpers.validate``'s rule:
    ``numpy.int64`` and the like count, bools do not); ``p`` may be 0, the others start at 1."""
    return [validate.integer(name, v, 0 if name == "p" else 1) for name, v in values.items()]


def _check_bounds(n, k, s, p, d) -> None:
    """The page calculator's limits (``SIZE_FIELDS``: its number boxes stop there), so a view
    never draws a grid of thousands of cells."""
    for name, v in zip("nkspd", _check(n=n, k=k, s=s, p=p, d=d)):
        high = SIZE_FIELDS[name][2]
        if v > high:
            raise ValueError(
                f"{name} must be at most {high} in the calculator (its boxes stop "
                f"there), got {v}; ops.output_size gives the size for any {name}"
            )


#: The largest padded grid ``grid_html`` draws, in cells on a side: every case of the
#: article and the chapters; ``grid_or_error`` writes a note instead for a larger input.
GRID_MAX = 64


def _check_convention(convention) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {', '.join(map(repr, CONVENTIONS))}, got {convention!r}")
    return convention


# ----------------------------------------------------------------------------- sizes
def sizes(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> dict:
    """Every convention for one axis: ``{convention: {"out", "pads"} or {"error"}}``.

    Sizes and paddings from ``ops.output_size``; the acceptance rules of the libraries
    (Keras: no stride > 1 with dilation > 1; PyTorch ``"same"``: stride 1 only) are added here.
    """
    n, k, s, p, d = _check(n=n, k=k, s=s, p=p, d=d)

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


# ----------------------------------------------------------------------------- the grid
def grid_html(n: int, before: int, after: int, k: int, s: int, d: int, out: int) -> str:
    """The padded input as a square grid: zeros grey, the first window outlined, and input
    cells that no window ever reads struck through (e.g. row/column 5 at stride 2 on 6×6).

    ``n`` input cells with ``before``/``after`` zeros, ``out`` windows of ``k`` taps at stride
    ``s`` and dilation ``d`` (``draw_convention`` gives them for a convention); windows that
    would run off the padded input are refused, naming the argument."""
    n, before, after, k, s, d, out = (
        validate.integer(name, v, 0 if name in ("before", "after") else 1)
        for name, v in (
            ("n", n),
            ("before", before),
            ("after", after),
            ("k", k),
            ("s", s),
            ("d", d),
            ("out", out),
        )
    )
    m = before + n + after
    if m > GRID_MAX:
        raise ValueError(f"n with its padding spans {m} cells; the grid draws at most {GRID_MAX} a side")
    span = d * (k - 1) + 1
    if span > m:
        raise ValueError(
            f"{'d' if d > 1 else 'k'} makes the kernel span {span} cells, more than "
            f"the {m} of the padded input"
        )
    if (out - 1) * s + span > m:
        raise ValueError(
            f"out must be at most {(m - span) // s + 1} ({out} windows at stride {s} "
            f"run off the {m} cells of the padded input)"
        )
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


def draw_convention(res: dict, n, k, s, d, convention: str):
    """Arguments of ``grid_html`` for one convention, or None if it rejects the case."""
    r = res[_check_convention(convention)]
    if "out" not in r:
        return None
    return n, r["pads"][0], r["pads"][1], k, s, d, r["out"]


def grid_or_error(res: dict, n, k, s, d, convention: str) -> str:
    """The grid of ``convention`` or, when it rejects the case, its error as a paragraph, or a
    note when the padded input is wider than ``GRID_MAX`` cells."""
    args = draw_convention(res, n, k, s, d, convention)
    if not args:
        return f"<p>{html.escape(res[convention]['error'])}</p>"
    m = args[0] + args[1] + args[2]
    if m > GRID_MAX:
        return (
            f"<p>grid not drawn: the padded input is {m} cells a side, more than the {GRID_MAX} it draws</p>"
        )
    return grid_html(*args)


def results_html(res: dict) -> str:
    """The four conventions as a small table (the page's JavaScript builds the same table)."""
    rows = []
    for key, label in LABELS.items():
        r = res[key]
        val = f"{r['out']} (pads {r['pads'][0]} before, {r['pads'][1]} after)" if "out" in r else r["error"]
        rows.append(f"<tr><td>{html.escape(label)}</td><td>{html.escape(val)}</td></tr>")
    return '<table class="res">' + "".join(rows) + "</table>"


def grid_view(n, k, s=1, p=0, d=1, convention="keras_valid"):
    """The padded grid of one convention with its legend, as a figure (``IPython.display.HTML``)."""
    from IPython.display import HTML

    _check_bounds(n, k, s, p, d)
    res = sizes(n, k, s, p, d)
    return HTML(page.frame(grid_or_error(res, n, k, s, d, convention) + LEGEND, "cnn-calc"))


def _number_fields(spec: dict, values: dict) -> str:
    out = []
    for name, (label, lo, hi, desc) in spec.items():
        top = f' max="{hi}"' if hi is not None else ""
        out.append(
            f'<label>{html.escape(label)} <input type="number" name="{name}" '
            f'value="{values[name]}" min="{lo}"{top} aria-label="{html.escape(desc)}"></label>'
        )
    return "".join(out)


def _bounds(spec: dict) -> dict:
    return {name: [lo, hi] for name, (_, lo, hi, _) in spec.items()}


def calculator_html(n=6, k=3, s=2, p=1, d=1, convention="keras_same", uid=None):
    """The kernel-free calculator for the static page (``IPython.display.HTML``): number
    boxes, the results table and the padded grid of the chosen convention, recomputed in the
    page by ``static/calc.js``. Its first view is rendered by Python."""
    _check_convention(convention)
    _check_bounds(n, k, s, p, d)
    res = sizes(n, k, s, p, d)
    data = {"labels": list(LABELS.items()), "messages": MESSAGES, "bounds": _bounds(SIZE_FIELDS)}
    uid = page.element_id("calc", uid, repr((n, k, s, p, d, convention)))
    options = "".join(
        f'<option value="{key}"{" selected" if key == convention else ""}>{html.escape(lab)}</option>'
        for key, lab in LABELS.items()
    )
    body = (
        f"<form>{_number_fields(SIZE_FIELDS, dict(n=n, k=k, s=s, p=p, d=d))}"
        f'<br><label>draw: <select name="conv" aria-label="convention to draw">{options}'
        f'</select></label></form><div class="results" aria-live="polite">{results_html(res)}</div>'
        f'<div class="grid">{grid_or_error(res, n, k, s, d, convention)}</div>'
        f'<div class="legend">{LEGEND}</div>'
    )
    return page.control("calc", uid, "cnn-calc", body, data, ("calc.js",))


# ----------------------------------------------------------------------------- volumes
def volume(n: int, c: int, f: int, k: int, s: int = 1, p: int = 0) -> dict:
    """``{"out", "weights", "params"}`` of f filters k×k×c on n×n×c (stride s, p zeros a side),
    from ``ops.output_size`` and ``ops.conv_params``; ``out`` is the output's height = width,
    its depth is f."""
    n, c, f, k, s, p = _check(n=n, c=c, f=f, k=k, s=s, p=p)
    if k > n + 2 * p:
        raise ValueError(f"kernel {k} is larger than the padded input {n + 2 * p}")
    return {
        "out": ops.output_size(n, k, s, p),
        "weights": ops.conv_params(k, k, c, f, bias=False),
        "params": ops.conv_params(k, k, c, f),
    }


def volume_text(n, c, f, k, s=1, p=0) -> str:
    """One line, the same as the page's JavaScript writes (its inputs are checked first)."""
    n, c, f, k, s, p = _check(n=n, c=c, f=f, k=k, s=s, p=p)
    if k > n + 2 * p:
        return f"kernel {k} is larger than the padded input {n + 2 * p}"
    r = volume(n, c, f, k, s, p)
    return (
        f"{n}×{n}×{c} → {r['out']}×{r['out']}×{f}; each filter is {k}×{k}×{c}; "
        f"{r['weights']} weights + {f} biases = {r['params']} parameters"
    )


def volume_html(n=32, c=3, f=10, k=5, s=1, p=0, uid=None):
    """Kernel-free output-volume and parameter calculator (``IPython.display.HTML``)."""
    text = volume_text(n, c, f, k, s, p)
    uid = page.element_id("volume", uid, repr((n, c, f, k, s, p)))
    body = (
        f"<form>{_number_fields(VOLUME_FIELDS, dict(n=n, c=c, f=f, k=k, s=s, p=p))}"
        f'</form><p class="out" aria-live="polite">{html.escape(text)}</p>'
    )
    return page.control("volume", uid, "cnn-calc", body, {"bounds": _bounds(VOLUME_FIELDS)}, ("calc.js",))

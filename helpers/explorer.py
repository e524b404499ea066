"""The draw-a-digit explorer of chapter 16, as one HTML output: Python supplies the data, the
page's own files (``helpers/interactive/static/``) do the rest.

``explorer()`` fills the template ``explorer.html`` with the explorer's CSS, the exported network
(``digitnet-weights.json``), a list of shipped test digits, the book's colour maps and the two
scripts (``digitnet.js``: the numbers; ``explorer.js``: drawing and input). The same output
runs on the static website and in JupyterLab: there is one implementation, in JavaScript,
and no kernel is needed once it is shown.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from string import Template

import numpy as np

from . import data, digitnet

STATIC = digitnet.STATIC_DIR
_counter = itertools.count()


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def colour_maps() -> dict[str, str]:
    """The book's colour maps as 256 RGB triples (base64): magma for feature maps (0 -> max),
    RdBu_r for kernels (blue < 0 < red), exactly as the matplotlib figures use them."""
    import matplotlib

    out = {}
    for key, name in (("magma", "magma"), ("rdbu", "RdBu_r")):
        rgb = matplotlib.colormaps[name](np.linspace(0, 1, 256))[:, :3]
        out[key] = base64.b64encode(np.round(rgb * 255).astype(np.uint8).tobytes()).decode("ascii")
    return out


def test_digits(per_digit: int = 3, extra_rows=()) -> list[dict]:
    """Shipped test digits for the page's list: the first ``per_digit`` of each digit in the
    test split, then ``extra_rows`` (e.g. the misclassified ones), each with its true digit and
    what the exported network reads (``keras``: NumPy forward pass, equal to Keras')."""
    images, labels, split = data.load_mnist_5k()
    test = split["test"]
    rows = [int(r) for d in range(10) for r in test[labels[test] == d][:per_digit]]
    rows += [int(r) for r in extra_rows if int(r) not in rows]
    weights = digitnet.load_export().weights
    out = []
    for r in rows:
        pred = int(digitnet.forward(weights, images[r] / 255.0)["probabilities"].argmax())
        out.append({"row": r, "label": int(labels[r]), "read": pred, "wrong": pred != int(labels[r]),
                    "pixels": base64.b64encode(images[r].tobytes()).decode("ascii")})
    return out


def explorer_html(digits=None, element_id: str | None = None) -> str:
    """The explorer's HTML (markup, CSS, data, scripts) for one output."""
    net = json.loads(_static("digitnet-weights.json"))
    payload = {"net": net, "digits": digits if digits is not None else test_digits(),
               "cmaps": colour_maps()}
    text = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")
    uid = element_id or f"dx-{hashlib.sha1(text.encode()).hexdigest()[:10]}-{next(_counter)}"
    return Template(_static("explorer.html")).substitute(
        id=uid, css=_static("explorer.css"), data=text,
        js=_static("digitnet.js") + "\n" + _static("explorer.js"))


def explorer(digits=None):
    """The explorer as an ``IPython.display.HTML`` output (works with no kernel once shown)."""
    from IPython.display import HTML

    return HTML(explorer_html(digits))


def confusion_html(matrix, caption: str) -> str:
    """A confusion matrix as an HTML table (rows: true digit, columns: what the network read):
    text, so it is read out by screen readers and follows the light and dark theme."""
    from html import escape

    m = np.asarray(matrix)
    head = "".join(f'<th scope="col">{j}</th>' for j in range(m.shape[1]))
    rows = []
    for i, row in enumerate(m):
        cells = "".join(
            f'<td style="text-align:right;{"font-weight:bold;" if i == j else ""}'
            f'{"background:rgba(214,39,40,.25);" if i != j and v else ""}">{v}</td>'
            for j, v in enumerate(row))
        rows.append(f'<tr><th scope="row">{i}</th>{cells}</tr>')
    return ('<div style="overflow-x:auto"><table class="table dx-confusion" style="font-size:0.85em;'
            f'width:auto"><caption>{escape(caption)}</caption><thead><tr><th scope="col">true \\ read'
            f'</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')

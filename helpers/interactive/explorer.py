"""The draw-a-digit explorer of chapter 16, as one kernel-free control: Python supplies the
data, the page's own files (``static/explorer.html``, ``explorer.css``, ``digitnet.js``,
``explorer.js``) do the rest. The chapter's exercises about it are ``helpers.exercises.explorer``.

``explorer()`` is a control of ``page.control``: the markup ``explorer.html`` (its ids from
the one id helper ``page.element_id``, so two explorers on a page do not collide), and in its
``data-cnn`` attribute a list of shipped test digits, the book's colour maps and the exported
network (``digitnet-drawn-weights.json``, the data file ``net``: inlined in a reader's kernel,
named in a committed output and served by the website as a file of its own). That network is
the explorer's own, trained on digits redrawn as people draw (``digitnet.drawn_training``),
not the one the chapter trains (``digitnet-weights.json``). The same control runs
on the static website and in JupyterLab: there is one implementation, in JavaScript, and no
kernel is needed once it is shown.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

import numpy as np

from .. import data, digitnet
from ..digitnet import drawn_training
from ..figures import style
from . import page

KIND = "explorer"
SCRIPTS = ("digitnet.js", "explorer.js")
STYLES = ("explorer.css",)
FILES = {"net": digitnet.DRAWN_EXPORT_NAME}  # data-cnn keys whose value is a static JSON file


def colour_maps() -> dict[str, str]:
    """The book's colour maps as 256 RGB triples (base64), exactly as its matplotlib figures
    use them: ``magma`` for feature maps (0 -> max), ``rdbu`` for kernels (blue < 0 < red)."""
    return {
        key: base64.b64encode(style.colormap_bytes(name)).decode("ascii")
        for key, name in (("magma", style.MAPS_CMAP), ("rdbu", style.KERNELS_CMAP))
    }


def pack_digit(pixels) -> str:
    """A 28×28 uint8 digit in the page's compact form (base64): a bit mask of its inked pixels
    (row by row, first pixel in the high bit, ``np.packbits``), then the values of those pixels
    in the same order. MNIST digits are mostly blank, so this is about a third of the 784
    bytes; ``digitnet.js``'s ``unpackDigit`` reads it back exactly."""
    px = np.asarray(pixels, dtype=np.uint8).ravel()
    if px.size != 784:
        raise ValueError(f"pixels must be a 28×28 digit (784 values), got {px.size}")
    ink = px > 0
    return base64.b64encode(np.packbits(ink).tobytes() + px[ink].tobytes()).decode("ascii")


def unpack_digit(text: str) -> np.ndarray:
    """``pack_digit`` read back: the (28, 28) uint8 digit."""
    blob = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    ink = np.unpackbits(blob[:98])[:784].astype(bool)
    if blob.size != 98 + int(ink.sum()):
        raise ValueError(
            f"a packed digit with {int(ink.sum())} inked pixels must have "
            f"{98 + int(ink.sum())} bytes, got {blob.size}"
        )
    out = np.zeros(784, dtype=np.uint8)
    out[ink] = blob[98:]
    return out.reshape(28, 28)


def test_digits(per_digit: int = 3, extra_rows=()) -> list[dict]:
    """Shipped test digits for the page's list: the first ``per_digit`` of each digit in the
    test split, then ``extra_rows`` (e.g. the misclassified ones), each with its true digit,
    what the explorer's network reads (``read``: NumPy forward pass, equal to Keras') and its
    pixels (``ink``: ``pack_digit``)."""
    images, labels, split = data.load_mnist_5k()
    test = split["test"]
    rows = [int(r) for d in range(10) for r in test[labels[test] == d][:per_digit]]
    rows += [int(r) for r in extra_rows if int(r) not in rows]
    exported, layers = drawn_training.load_drawn()
    reads = digitnet.predict(exported.weights, images[rows] / 255.0, layers).argmax(1) if rows else []
    out = []
    for r, pred in zip(rows, map(int, reads)):
        out.append(
            {
                "row": r,
                "label": int(labels[r]),
                "read": pred,
                "wrong": pred != int(labels[r]),
                "ink": pack_digit(images[r]),
            }
        )
    return out


def misread_rows() -> list[int]:
    """The rows of the test split that the explorer's network misreads (NumPy forward pass,
    equal to Keras'), for ``test_digits(extra_rows=...)``."""
    images, labels, split = data.load_mnist_5k()
    exported, layers = drawn_training.load_drawn()
    rows = split["test"]
    reads = digitnet.predict(exported.weights, images[rows] / 255.0, layers).argmax(1)
    return [int(r) for r in rows[reads != labels[rows]]]


def payload(digits=None) -> dict:
    """What the page's script gets besides the export (``FILES``): ``{"digits", "cmaps"}``."""
    return {"digits": digits if digits is not None else test_digits(), "cmaps": colour_maps()}


def explorer(digits=None, uid: str | None = None):
    """The explorer as an ``IPython.display.HTML`` output (works with no kernel once shown).
    ``digits``: the list of ``test_digits`` to offer; ``uid``: fix the element's id."""
    d = payload(digits)
    digest = hashlib.sha1(json.dumps(d["digits"], sort_keys=True).encode()).hexdigest()
    eid = page.element_id(KIND, uid, digest)
    return page.control(
        KIND, eid, "digit-explorer", page.render("explorer.html", id=eid), d, SCRIPTS, STYLES, FILES
    )


def confusion_html(matrix, caption: str) -> str:
    """A confusion matrix as an HTML table (rows: true digit, columns: what the network read):
    text, so it is read out by screen readers and follows the light and dark theme."""
    m = np.asarray(matrix)
    head = "".join(f'<th scope="col">{j}</th>' for j in range(m.shape[1]))
    rows = []
    for i, row in enumerate(m):
        cells = "".join(
            f'<td style="text-align:right;{"font-weight:bold;" if i == j else ""}'
            f'{"background:rgba(214,39,40,.25);" if i != j and v else ""}">{v}</td>'
            for j, v in enumerate(row)
        )
        rows.append(f'<tr><th scope="row">{i}</th>{cells}</tr>')
    return (
        '<div style="overflow-x:auto"><table class="table dx-confusion" style="font-size:0.85em;'
        f'width:auto"><caption>{escape(caption)}</caption><thead><tr><th scope="col">true \\ read'
        f"</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )

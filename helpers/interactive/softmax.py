"""Kernel-free softmax control for the static page: class scores and a true class give the
softmax probabilities, the cross-entropy loss and each score's sigmoid (page code:
``static/softmax.js``, which writes the same line as ``softmax_text``)."""

from __future__ import annotations

import html

from .. import losses, validate
from . import page


def softmax_text(z, y: int) -> str:
    """The line the page's JavaScript writes for scores ``z`` and true class ``y``."""
    p = losses.softmax(z)
    loss = losses.softmax_cross_entropy(z, y) + 0.0  # never write -0.000
    return (
        "softmax: " + ", ".join(f"{v:.3f}" for v in p) + f" (sum 1) · cross-entropy for class {y}: "
        f"{loss:.3f} · sigmoid of each score alone: " + ", ".join(f"{v:.3f}" for v in losses.sigmoid(z))
    )


def softmax_html(z=(2.0, 1.0, -1.0), y=0, uid=None):
    """Kernel-free control: class scores and a true class → softmax probabilities,
    cross-entropy loss and, for contrast, the sigmoid of each score on its own."""
    z = [float(v) for v in z]
    y = validate.integer("y", y, 0, len(z) - 1, what="a class number")
    uid = page.element_id("softmax", uid, repr((z, y)))
    fields = "".join(
        f'<label>score {i} <input type="number" step="0.5" name="z{i}" value="{v:g}" '
        f'aria-label="score of class {i}"></label> '
        for i, v in enumerate(z)
    )
    opts = "".join(f'<option value="{i}"{" selected" if i == y else ""}>{i}</option>' for i in range(len(z)))
    body = (
        f'<form>{fields}<label>true class <select name="y" aria-label="true class">{opts}'
        f'</select></label></form><p class="out" aria-live="polite">'
        f"{html.escape(softmax_text(z, y))}</p>"
    )
    return page.control("softmax", uid, "cnn-softmax", body, {"classes": len(z)}, ("softmax.js",))

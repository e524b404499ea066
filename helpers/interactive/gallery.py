"""Kernel-free photo controls for the static page (page code: ``static/gallery.js``):

* ``kernel_editor_html`` - see a grey photo through a 3×3 kernel: a menu of the named kernels
  of ``helpers.filters`` and nine weight boxes; the page filters the photo itself, with the
  arithmetic of ``filters.apply`` and ``filters.to_uint8``;
* ``pool_explorer_html`` - pool a grey photo: mode, window and stride; the page pools it with
  the arithmetic of ``ops.pool2d`` and shows the pooled photo and its size;
* ``switcher_html`` - a menu that swaps images Python precomputed.

The photo goes into the page once, as 8-bit grey pixels (base64 in the control's data): what
the page computes is exactly what the Python functions here compute on those pixels
(``filtered_pixels``, ``pooled_pixels``; tests/js/gallery.test.js compares them number by
number). Python renders the first view (an ``<img>`` that the page replaces by a canvas), and
the texts that describe a view, which the page writes the same way.
"""

from __future__ import annotations

import base64
import html

import numpy as np

from .. import filters, ops, validate
from . import page

#: The largest weight a box takes, either sign: far beyond any image filter, and small enough
#: that no output of a 0-255 photo overflows.
WEIGHT_LIMIT = 1000
#: The largest photo side the controls take: a 3×3 filter or a pooling of a 512×512 photo
#: stays well within a frame in the page.
PHOTO_MAX = 512
#: The pool window and stride boxes' highest value.
POOL_MAX = 16
POOL_MODES = {"max": "max", "avg": "average", "l2": "L2"}  # ops.pool2d's modes, as the menu says them
OWN = "your own"  # the menu entry for a kernel the reader typed
SHOWN = 300  # CSS pixels a photo is drawn across (at most the column's width)


def _menu(kind: str, uid, label: str, entries: list[dict], size: int):
    """The menu markup with the first entry shown; ``entries``: dicts with ``option``,
    ``src``, ``alt`` and ``text``."""
    data = {"entries": [{k: e[k] for k in ("src", "alt", "text")} for e in entries]}
    uid = page.element_id(kind, uid, "".join(e["option"] + e["text"] for e in entries))
    options = "".join(
        f'<option value="{i}">{html.escape(e["option"])}</option>' for i, e in enumerate(entries)
    )
    first = entries[0]
    label = html.escape(label)
    img = f'<img src="{first["src"]}" alt="{html.escape(first["alt"])}" width="{size}" height="{size}">'
    shown = f'<p class="text">{html.escape(first["text"])}</p>{img}'
    body = f'<label>{label} <select aria-label="{label}">{options}</select></label>{shown}'
    return page.control("images", uid, "cnn-switch", body, data, ("gallery.js",))


def switcher_html(entries, label="show", uid=None, size=300, quality=80):
    """A kernel-free menu that swaps precomputed images: entries are
    ``(option, uint8 pixels, caption, alt text)``. Returns ``IPython.display.HTML``."""
    items = [
        {"option": option, "src": filters.data_uri(px, "JPEG", quality), "text": cap, "alt": alt}
        for option, px, cap, alt in entries
    ]
    if not items:
        raise ValueError("entries is empty; give at least one (option, pixels, caption, alt)")
    return _menu("switcher", uid, label, items, size=size)


# ----------------------------------------------------------------------------- the photo
def grey_pixels(photo) -> np.ndarray:
    """A grey photo ``(H, W)`` of values 0-255 as the 8-bit pixels the page gets (rounded);
    a clear error for a colour photo, values outside 0-255 or a side above ``PHOTO_MAX``."""
    x = ops.as_image("photo", photo, (2,))
    if x.min() < 0 or x.max() > 255:
        raise ValueError(
            f"photo must hold grey values from 0 to 255, got {x.min():g} to {x.max():g} "
            "(a grey photo: data.load_photo(name, gray=True))"
        )
    if max(x.shape) > PHOTO_MAX:
        raise ValueError(f"photo must be at most {PHOTO_MAX} pixels a side, got {x.shape[0]}×{x.shape[1]}")
    return np.round(x).astype(np.uint8)


def _pixels_data(px: np.ndarray) -> dict:
    return {"px": base64.b64encode(px.tobytes()).decode("ascii"), "h": px.shape[0], "w": px.shape[1]}


def _sentence(name: str) -> str:
    return name[:1].upper() + name[1:]


def _picture(px, uid: str, alt: str, fmt: str) -> str:
    """The first view: an <img> of ``px`` drawn ``SHOWN`` pixels wide, its description in the
    paragraph ``uid-text`` (the page draws on a canvas named by that paragraph instead)."""
    h, w = px.shape
    height = round(SHOWN * h / w)
    return (
        f'<img src="{filters.data_uri(px, fmt, 75)}" alt="{html.escape(alt)}" '
        f'width="{SHOWN}" height="{height}"><p class="text" id="{uid}-text" aria-live="polite">'
        f"{html.escape(alt)}</p>"
    )


# ----------------------------------------------------------------------------- kernel editor
def weight_text(v) -> str:
    """A weight as its box shows it: an integer without a point, anything else with every
    digit it needs to be read back exactly (``1/9`` -> ``0.1111111111111111``)."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def _kernel(kernel) -> np.ndarray:
    k = filters.kernel(kernel) if isinstance(kernel, str) else ops.as_image("kernel", kernel, (2,))
    if k.shape != (3, 3):
        raise ValueError(f"kernel must be 3×3, got shape {k.shape}")
    if np.abs(k).max() > WEIGHT_LIMIT:
        raise ValueError(f"kernel weights must be from -{WEIGHT_LIMIT} to {WEIGHT_LIMIT}, got {k.tolist()}")
    return k


def filtered_pixels(px, k) -> np.ndarray:
    """What the page shows for the 8-bit photo ``px`` and the 3×3 kernel ``k``: the photo
    correlated with ``k``, zero-padded (``filters.apply``), as 0-255 pixels (``filters.to_uint8``)."""
    k = np.asarray(k, dtype=float)
    return filters.to_uint8(filters.apply(px, k), k)


def kernel_text(name: str, texts) -> str:
    """The description of a filtered photo: the kernel's rows as the boxes hold them
    (``texts``, nine strings row by row) and how the outputs become grey levels."""
    rows = ", ".join("[" + ", ".join(texts[r * 3 : r * 3 + 3]) + "]" for r in range(3))
    flat = abs(float(np.sum(np.array([float(t) for t in texts]).reshape(3, 3)))) < 1e-9
    how = (
        "The weights add up to 0, so the picture shows the size of each output, scaled so that the "
        "strongest is white."
        if flat
        else "Each output is rounded and clipped to 0-255, black to white."
    )
    return f"{_sentence(name)} filtered with the 3×3 kernel whose rows are {rows}. {how}"


def weight_label(i: int) -> str:
    """The accessible name of weight box ``i`` (row by row); a message about it starts so."""
    return f"weight row {i // 3 + 1}, column {i % 3 + 1}"


def kernel_editor_html(photo, kernel="sharpen", name="the photo", uid=None):
    """See a grey photo through a 3×3 kernel, computed in the page (``IPython.display.HTML``).

    A menu of the named kernels of ``helpers.filters`` ("your own" once a weight is typed),
    nine weight boxes (``WEIGHT_LIMIT`` either sign) and the photo filtered as
    ``filtered_pixels`` filters it, with a description of what it shows. ``kernel``: a name of
    ``filters.KERNELS`` or nine weights as a 3×3 array; ``name`` names the photo in the
    description ("the cat photo")."""
    px = grey_pixels(photo)
    k = _kernel(kernel)
    texts = [weight_text(v) for v in k.ravel()]
    presets = [[n, [weight_text(v) for v in w.ravel()]] for n, w in filters.KERNELS.items()]
    chosen = next((n for n, t in presets if t == texts), OWN)
    uid = page.element_id("kernel", uid, repr((px.shape, texts, name)))
    options = (
        "".join(f"<option{' selected' if n == chosen else ''}>{html.escape(n)}</option>" for n, _ in presets)
        + f"<option{' selected' if chosen == OWN else ''}>{OWN}</option>"
    )
    boxes = "".join(
        f'<input type="number" name="w" step="any" value="{t}" aria-label="{weight_label(i)}">'
        for i, t in enumerate(texts)
    )
    body = (
        f'<form><label>kernel <select name="preset" aria-label="kernel">{options}</select></label>'
        f'<div class="boxes" role="group" aria-label="the kernel\'s nine weights, row by row">{boxes}</div>'
        '<p class="msg" role="status" aria-live="polite"></p></form>'
        + _picture(filtered_pixels(px, k), uid, kernel_text(name, texts), "JPEG")
    )
    data = {**_pixels_data(px), "name": name, "presets": presets, "own": OWN, "limit": WEIGHT_LIMIT}
    return page.control("kernel", uid, "cnn-photo cnn-kernel", body, data, ("gallery.js",))


# ----------------------------------------------------------------------------- pooling
def pooled_pixels(px, mode: str, size: int, stride: int) -> np.ndarray:
    """What the page shows for the 8-bit photo ``px`` pooled by ``ops.pool2d`` (no padding):
    the pooled values as 0-255 pixels, L2 values divided by ``size`` (the L2 of ``size``²
    equal pixels is ``size`` times the pixel)."""
    out = ops.pool2d(px, size, stride, mode=mode)
    shown = out / size if mode == "l2" else out
    return np.clip(np.round(shown), 0, 255).astype(np.uint8)


def pool_text(name: str, h: int, w: int, mode: str, size: int, stride: int) -> str:
    """The description of a pooled photo: mode, window, stride and the size before and after."""
    oh, ow = (ops.output_size(n, size, stride) for n in (h, w))
    l2 = f", each value divided by {size} to show it" if mode == "l2" else ""
    return (
        f"{_sentence(name)} after {POOL_MODES[mode]} pooling with {size}×{size} windows, stride "
        f"{stride}: {h}×{w} pixels become {oh}×{ow}{l2}."
    )


def pool_explorer_html(photo, mode="max", size=4, stride=None, name="the photo", uid=None):
    """Pool a grey photo in the page (``IPython.display.HTML``): a mode menu (max, average,
    L2), window and stride boxes (whole numbers up to ``POOL_MAX``; ``stride`` defaults to
    ``size``) and the pooled photo, drawn at the original width, with its size."""
    px = grey_pixels(photo)
    stride = size if stride is None else stride
    top = min(POOL_MAX, *px.shape)
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, POOL_MODES))}, got {mode!r}")
    size = validate.integer("size", size, 1, top)
    stride = validate.integer("stride", stride, 1, top)
    uid = page.element_id("pool", uid, repr((px.shape, mode, size, stride, name)))
    options = "".join(
        f'<option value="{m}"{" selected" if m == mode else ""}>{said}</option>'
        for m, said in POOL_MODES.items()
    )
    fields = {"size": ("window", size, "window size"), "stride": ("stride", stride, "stride")}
    boxes = "".join(
        f'<label>{label} <input type="number" name="{key}" value="{v}" min="1" max="{top}" '
        f'aria-label="{desc}"></label>'
        for key, (label, v, desc) in fields.items()
    )
    body = (
        f'<form><label>mode <select name="mode" aria-label="pooling mode">{options}</select></label>'
        f'{boxes}<p class="msg" role="status" aria-live="polite"></p></form>'
        + _picture(
            pooled_pixels(px, mode, size, stride), uid, pool_text(name, *px.shape, mode, size, stride), "PNG"
        )
    )
    data = {
        **_pixels_data(px),
        "name": name,
        "modes": POOL_MODES,
        "bounds": {key: [1, top, desc] for key, (_, _, desc) in fields.items()},
    }
    return page.control("pool", uid, "cnn-photo cnn-pool", body, data, ("gallery.js",))

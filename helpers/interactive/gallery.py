"""Kernel-free menus for the static page that swap precomputed images: the filter gallery (the
stand-in for the live kernel editor) and a general image switcher (page code:
``static/gallery.js``, which only swaps what Python computed)."""

from __future__ import annotations

import html

from .. import filters
from ..fmt import fmt_number
from . import page


def _menu(kind: str, uid, label: str, entries: list[dict], detail: bool, size: int):
    """The menu markup with the first entry shown; ``entries``: dicts with ``option``,
    ``src``, ``alt``, ``text`` and (``detail``) ``html``."""
    data = {"entries": [{k: e[k] for k in ("src", "alt", "text", "html") if k in e} for e in entries]}
    uid = page.element_id(kind, uid, "".join(e["option"] + e["text"] for e in entries))
    options = "".join(
        f'<option value="{i}">{html.escape(e["option"])}</option>' for i, e in enumerate(entries)
    )
    first = entries[0]
    label = html.escape(label)
    img = f'<img src="{first["src"]}" alt="{html.escape(first["alt"])}" width="{size}" height="{size}">'
    if detail:
        shown = (
            f'<div class="pair"><div><div class="detail">{first["html"]}</div>'
            f'<p class="text">{html.escape(first["text"])}</p></div>{img}</div>'
        )
    else:
        shown = f'<p class="text">{html.escape(first["text"])}</p>{img}'
    body = f'<label>{label} <select aria-label="{label}">{options}</select></label>{shown}'
    return page.control("images", uid, "cnn-gallery" if detail else "cnn-switch", body, data, ("gallery.js",))


def _kernel_table(k) -> str:
    rows = "".join("<tr>" + "".join(f"<td>{fmt_number(v, 3)}</td>" for v in row) + "</tr>" for row in k)
    return f'<table class="k">{rows}</table>'


def gallery_html(photo, names=None, uid=None, quality=80):
    """Kernel-free stand-in for the kernel editor on the static page: a menu of the named
    kernels; choosing one swaps in the photo precomputed under it (JPEG data URIs) and shows
    its weights. Returns ``IPython.display.HTML``."""
    names = list(filters.KERNELS) if names is None else list(names)
    entries = []
    for name in names:
        k = filters.kernel(name)
        px = filters.to_uint8(filters.apply(photo, k), k)
        entries.append(
            {
                "option": name,
                "src": filters.data_uri(px, "JPEG", quality),
                "alt": f"The photo filtered with the {name} kernel",
                "html": _kernel_table(k),
                "text": "weights sum to 0: |response| shown, scaled"
                if abs(k.sum()) < 1e-9
                else "weights sum to 1: brightness kept, clipped to 0-255",
            }
        )
    return _menu("gallery", uid, "kernel", entries, detail=True, size=300)


def switcher_html(entries, label="show", uid=None, size=300, quality=80):
    """A kernel-free menu that swaps precomputed images: entries are
    ``(option, uint8 pixels, caption, alt text)``. Returns ``IPython.display.HTML``."""
    items = [
        {"option": option, "src": filters.data_uri(px, "JPEG", quality), "text": cap, "alt": alt}
        for option, px, cap, alt in entries
    ]
    if not items:
        raise ValueError("entries is empty; give at least one (option, pixels, caption, alt)")
    return _menu("switcher", uid, label, items, detail=False, size=size)

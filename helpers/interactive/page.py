"""How a control reaches a page: its static files (``static/*.js|css|html``, read with
``importlib.resources``), the one id helper every control uses, and the templates that
put Python's data next to the page code.

A kernel-free control is one notebook output (``IPython.display.HTML``) rendered from
``static/control.html``: the book's CSS, the control's markup with its data as JSON in a
``data-cnn`` attribute, and the page scripts (``book.js`` plus the control's own file), which
``cnnBook.mount`` starts on that element. The same output works on the static website
(myst-nb copies the HTML into the page), in JupyterLab and Thebe (which run the scripts of a
trusted output) and in nbval (a deterministic text). Python never edits finished HTML: it
builds the markup from data, and the template only fills slots.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import re
import string
from importlib import resources

STATIC = resources.files("helpers.interactive") / "static"
_ID = re.compile(r"[A-Za-z0-9_-]+")
_counter = itertools.count(1)


@functools.cache
def static_text(name: str) -> str:
    """The text of ``static/<name>`` (a page script, the stylesheet or a template)."""
    path = STATIC / name
    if not path.is_file():
        raise FileNotFoundError(f"no static file {name!r} in helpers/interactive/static")
    return path.read_text(encoding="utf-8")


def element_id(kind: str, uid: str | None = None, payload: str = "") -> str:
    """The DOM id of a control: ``uid`` if given (checked: letters, digits, ``_`` and ``-``
    only, since it is written into HTML and a script), otherwise a new id
    ``cnn-<kind>-<hash of payload>-<n>`` that is unique on the page and the same on every
    run of a notebook (nbval compares it)."""
    if uid is not None:
        if not isinstance(uid, str) or not _ID.fullmatch(uid):
            raise ValueError(f"uid must be letters, digits, '_' or '-' (e.g. 'pool-menu'), "
                             f"got {uid!r}")
        return uid
    if not _ID.fullmatch(kind):
        raise ValueError(f"kind must be letters, digits, '_' or '-', got {kind!r}")
    digest = hashlib.sha1(f"{kind}:{payload}".encode()).hexdigest()[:10]
    return f"cnn-{kind}-{digest}-{next(_counter)}"


def render(template: str, **fields) -> str:
    """``static/<template>`` with its ``$name`` slots filled (values are inserted as given:
    escape text with ``html.escape`` first)."""
    return string.Template(static_text(template)).substitute(
        {k: str(v) for k, v in fields.items()})


def data_attr(data) -> str:
    """``data`` as JSON, escaped for an HTML attribute value in single quotes."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return html.escape(text, quote=False).replace("'", "&#x27;")


def frame(body: str, classes: str, element_id: str | None = None) -> str:
    """A control's markup without scripts (the view of a live widget): the book's CSS and
    ``<div class="classes">body</div>``."""
    attr = f' id="{element_id}"' if element_id else ""
    return render("frame.html", css=static_text("book.css"), classes=classes, id_attr=attr,
                  body=body)


def control(kind: str, uid: str, classes: str, body: str, data, scripts: tuple[str, ...],
            styles: tuple[str, ...] = ()):
    """A kernel-free control as an ``IPython.display.HTML`` output: CSS (``book.css`` +
    ``styles``), markup, data and the page scripts ``book.js`` + ``scripts``, started on this
    element by ``cnnBook.mount``."""
    from IPython.display import HTML

    js = "\n".join(static_text(name) for name in ("book.js", *scripts))
    css = "\n".join(static_text(name) for name in ("book.css", *styles))
    return HTML(render("control.html", css=css, classes=classes, id=uid,
                       kind=kind, data=data_attr(data), body=body, js=js))

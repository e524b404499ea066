"""How a control reaches a page: its static files (``static/*.js|css|html``, read with
``importlib.resources``), the one id helper every control uses, and the templates that
put Python's data next to the page code.

A kernel-free control is one notebook output (``IPython.display.HTML``): the element
``static/element.html``, holding the control's markup, its kind (``data-cnn-kind``), its data as
JSON (``data-cnn``) and the names of the static files it needs besides ``book.js`` and
``book.css`` (``data-cnn-scripts``, ``data-cnn-styles``; ``data-cnn-files`` for data kept in a
JSON file of its own, such as the explorer's network; ``data-cnn-lazy`` for data files the
page loads only when the reader asks for them, with ``cnnBook.lazy``). ``cnnBook.mount``
(``book.js``) starts it. What else the output carries depends on where the kernel runs
(``committed()``, the one place that reads ``CNN_BOOK_OUTPUTS``):

* committed outputs (``scripts/execute.py`` and nbval run their kernels with
  ``CNN_BOOK_OUTPUTS=committed``): the element alone, no style and no script element. The
  website (``site/offline.py``) serves the files it names once per page, and ``book.js``
  mounts every control of the page, so an edit of the CSS or JavaScript needs a site rebuild,
  never a re-executed chapter;
* every other kernel (JupyterLab, Binder, Colab, live code on the website): self-contained
  (``static/control.html``: the CSS, the element with its data files inlined into
  ``data-cnn``, the scripts and ``cnnBook.mount`` on it), so a reader who runs the cell gets a
  working control anywhere.

Both are deterministic texts (nbval compares them). Python never edits finished HTML: it
builds the markup from data, and the templates only fill slots.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import os
import re
import string
from importlib import resources

STATIC = resources.files("helpers.interactive") / "static"
#: The variable, and its value, with which scripts/execute.py (``COMMITTED_ENV``) and nbval
#: (the top-level conftest.py) start the kernels that make committed outputs.
OUTPUTS_ENV, COMMITTED = "CNN_BOOK_OUTPUTS", "committed"
BOOK_FILES = frozenset({"book.js", "book.css"})  # every control needs them: never named
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
            raise ValueError(f"uid must be letters, digits, '_' or '-' (e.g. 'pool-menu'), got {uid!r}")
        return uid
    if not _ID.fullmatch(kind):
        raise ValueError(f"kind must be letters, digits, '_' or '-', got {kind!r}")
    digest = hashlib.sha1(f"{kind}:{payload}".encode()).hexdigest()[:10]
    return f"cnn-{kind}-{digest}-{next(_counter)}"


def render(template: str, **fields) -> str:
    """``static/<template>`` with its ``$name`` slots filled (values are inserted as given:
    escape text with ``html.escape`` first)."""
    return string.Template(static_text(template)).substitute({k: str(v) for k, v in fields.items()})


def data_attr(data) -> str:
    """``data`` as JSON, escaped for an HTML attribute value in single quotes."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return html.escape(text, quote=False).replace("'", "&#x27;")


def committed() -> bool:
    """True in a kernel that makes committed outputs (``CNN_BOOK_OUTPUTS=committed``): its
    outputs name their static files instead of carrying them. Read at every call."""
    return os.environ.get(OUTPUTS_ENV) == COMMITTED


def _names(names) -> str:
    """Static file names as an attribute value (space-separated); each must exist."""
    for name in names:
        static_text(name)
    return " ".join(names)


def _element(classes: str, body: str, attrs: dict[str, str], data=None) -> str:
    """``static/element.html``: ``<div class="classes" name="value"... data-cnn='{...}'>body
    </div>``, leaving out empty ``attrs`` (and ``data-cnn`` when ``data`` is None)."""
    text = "".join(f' {name}="{html.escape(value)}"' for name, value in attrs.items() if value)
    if data is not None:
        text += f" data-cnn='{data_attr(data)}'"
    return render("element.html", classes=classes, attrs=text, body=body)


def frame(body: str, classes: str, element_id: str | None = None) -> str:
    """A control's markup without scripts (a static figure, one frame of a player):
    ``<div class="classes">body</div>`` with the book's CSS inline, or, in a committed output,
    naming it (``data-cnn-styles="book.css"``) for the website to serve."""
    if committed():
        return _element(classes, body, {"id": element_id or "", "data-cnn-styles": "book.css"})
    return render(
        "frame.html", css=static_text("book.css"), element=_element(classes, body, {"id": element_id or ""})
    )


def control(
    kind: str,
    uid: str,
    classes: str,
    body: str,
    data,
    scripts: tuple[str, ...],
    styles: tuple[str, ...] = (),
    files: dict[str, str] | None = None,
    lazy: dict[str, str] | None = None,
):
    """A kernel-free control as an ``IPython.display.HTML`` output: the element (markup, kind,
    ``data``, the names of the ``scripts`` and ``styles`` it needs besides ``book.js`` and
    ``book.css``) and, outside committed outputs, the CSS and the scripts themselves, started on
    this element by ``cnnBook.mount``. ``files`` maps keys of ``data`` to static JSON files
    (``{"net": "digitnet-weights.json"}``): their content goes into ``data``, or, in a committed
    output, only their names (``data-cnn-files="net=digitnet-weights.json"``), which the
    website serves once per page. ``lazy`` maps keys to static JSON files in the same way, but a
    committed output names them in ``data-cnn-lazy``, and the page loads one only when its
    script asks for it (``cnnBook.lazy(el, key)``, from the website's copy, ``NAME.json.js``)."""
    from IPython.display import HTML

    files, lazy = dict(files or {}), dict(lazy or {})
    if BOOK_FILES.intersection((*scripts, *styles)):
        raise ValueError(
            f"book.js and book.css come with every control: do not name them "
            f"(scripts={scripts}, styles={styles})"
        )
    for label, given in (("files", files), ("lazy", lazy)):
        if not all(_ID.fullmatch(key) and name.endswith(".json") for key, name in given.items()):
            raise ValueError(f"{label} maps keys of data to static .json files, got {given}")
    attrs = {
        "id": uid,
        "data-cnn-kind": kind,
        "data-cnn-scripts": _names(scripts),
        "data-cnn-styles": _names(styles),
    }
    if committed():
        _names(files.values())
        _names(lazy.values())
        attrs["data-cnn-files"] = " ".join(f"{key}={name}" for key, name in files.items())
        attrs["data-cnn-lazy"] = " ".join(f"{key}={name}" for key, name in lazy.items())
        return HTML(_element(classes, body, attrs, data))
    data = {**data, **{key: json.loads(static_text(name)) for key, name in {**files, **lazy}.items()}}
    js = "\n".join(static_text(name) for name in ("book.js", *scripts))
    css = "\n".join(static_text(name) for name in ("book.css", *styles))
    return HTML(render("control.html", css=css, element=_element(classes, body, attrs, data), id=uid, js=js))

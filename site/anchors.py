"""Sphinx extension: the link targets of the chapters' HTML markup (``book.markup``) are
targets of Markdown links on the site.

A chapter marks a target with an id on a raw HTML element, ``<div id="sec-colour"></div>``
before a heading or ``<details class="erratum" id="erratum-...">``, because MyST's
``(label)=`` shows as raw text in JupyterLab, Colab and GitHub. MyST resolves a link
``[text](01_how_a_machine_sees.ipynb#sec-colour)`` only to the heading anchors it recorded for
that page; this adds every such id to them when a page is read, so the link resolves and a
link to an id that does not exist still fails the ``-W`` build.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from book.markup import ID  # noqa: E402 - the one definition of a target's markup

_SUMMARY = re.compile(r"<summary>(?P<title>.*?)</summary>", re.S)


def record_ids(app, doctree):
    slugs = app.env.metadata[app.env.docname].setdefault("myst_slugs", {})
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        for m in ID.finditer(text):
            title = _SUMMARY.search(text, m.end())
            slugs.setdefault(
                m.group("id"), (raw.line, m.group("id"), html.unescape(title.group("title")) if title else "")
            )


def setup(app):
    app.connect("doctree-read", record_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: each figure of a chapter page is described by the alt text its notebook
output carries.

The book's figures write their description into the output's metadata,
``{"image/png": {"alt": "..."}}`` (``helpers.figures.alt``; the place
``IPython.display.Image(alt=...)`` writes it, and nbconvert's classic HTML reads it). myst-nb
takes an image's ``alt`` only from the cell's metadata (``mystnb.image.alt``, one text for every
image of the cell) and copies only ``width`` and ``height`` from the output's, so without this
an image's alt is its file path. myst-nb names each image file by the SHA-256 of its bytes:
this reads the notebook's image outputs, and gives every image node whose file is one of them
that output's alt text, when a page is read.
"""

from __future__ import annotations

import hashlib
import json
import os
from binascii import a2b_base64
from pathlib import Path, PurePosixPath

from docutils import nodes

BASE64_TYPES = ("image/png", "image/jpeg", "image/gif")  # myst-nb decodes these from base64
TEXT_TYPES = ("image/svg+xml",)


def output_alts(notebook: dict) -> dict[str, str]:
    """``{sha256 of the image's bytes: alt}`` for every image output of ``notebook`` (its
    JSON) whose metadata carries an alt text."""
    alts = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            for mime, content in output.get("data", {}).items():
                about = meta.get(mime)
                alt = about.get("alt") if isinstance(about, dict) else None
                if not alt or mime not in BASE64_TYPES + TEXT_TYPES:
                    continue
                alts[hashlib.sha256(_image_bytes(mime, content)).hexdigest()] = str(alt)
    return alts


def _image_bytes(mime: str, content) -> bytes:
    """The bytes myst-nb writes for an output's ``content`` (and hashes to name the file)."""
    text = "".join(content) if isinstance(content, list) else content
    if mime in BASE64_TYPES:
        return a2b_base64(text)
    return os.linesep.join(text.splitlines()).encode("utf-8")


def describe_images(doctree, alts: dict[str, str]) -> int:
    """Give each image node of ``doctree`` whose file is named by a hash in ``alts`` that alt
    text; returns how many got one."""
    n = 0
    for image in doctree.findall(nodes.image):
        alt = alts.get(PurePosixPath(image.get("uri", "")).stem)
        if alt:
            image["alt"] = alt
            n += 1
    return n


def doctree_read(app, doctree):
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    describe_images(doctree, output_alts(json.loads(source.read_text(encoding="utf-8"))))


def setup(app):
    app.connect("doctree-read", doctree_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

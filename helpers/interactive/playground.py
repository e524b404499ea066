"""The playground of chapter 21, as one kernel-free control: a reader designs a small CNN, picks
its data (the book's digits, a subset of Fashion-MNIST, or classes drawn on a pad) and trains it
in the page, off the main thread, with ``cnntrain.js``. Python supplies the markup, the colour
maps, the preprocessing settings and the two data files; the page's own files
(``static/playground.html``, ``playground.css``, ``playground.js``, the Web Worker
``playground-worker.js`` and the engine ``digitnet.js`` + ``cnntrain.js``) do the rest.

The data files (``DATA_FILES``) are written by ``write_data_files`` from the book's fixed
splits and committed; they are *lazy* files of ``page.control``: a committed output only names
them and the page loads one when the reader chooses it, a reader's kernel inlines them. The
worker runs from its file next to the page's scripts on the website, and from a Blob URL built
from the scripts' text (``payload(worker_source=True)``) in a self-contained output.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .. import data, digitnet
from . import page
from .explorer import colour_maps, pack_digit

KIND = "playground"
SCRIPTS = ("digitnet.js", "cnntrain.js", "playground.js")
STYLES = ("playground.css",)
WORKER = ("digitnet.js", "cnntrain.js", "playground-worker.js")  # the worker's text, in order
# (file, loader, class names, training examples, validation examples): the first examples of
# each set's fixed training and validation splits, sized so that the chapter's page with both
# sets loaded stays well under 2.5 MB (each digit about 330 bytes packed, a clothes photo 660)
SETS = {
    "digits": ("playground-digits.json", data.load_mnist_5k, tuple(str(d) for d in range(10)), 1000, 250),
    "fashion": ("playground-fashion.json", data.load_fashion, data.FASHION_CLASSES, 500, 150),
}
LAZY = {key: spec[0] for key, spec in SETS.items()}  # data-cnn keys -> static JSON files


def _first(indices: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """``count`` of ``indices`` taken round-robin over the classes in the split's order (the
    first of each class, then the second of each, ...), kept in that order: every prefix, such
    as the page's "first 100", holds every class as evenly as the split allows."""
    by_class = [indices[labels[indices] == c] for c in np.unique(labels[indices])]
    picked, k = [], 0
    while len(picked) < count:
        for rows in by_class:
            if k < len(rows) and len(picked) < count:
                picked.append(int(rows[k]))
        k += 1
    return np.array(picked)


def data_file(key: str) -> dict:
    """The content of set ``key``'s data file: its class names, and a training and a validation
    subset (``rows``: each image's row in the set's file, ``ink``: ``pack_digit`` of the 28×28
    image, ``y``: its class)."""
    if key not in SETS:
        raise ValueError(f"key must be one of {sorted(SETS)}, got {key!r}")
    _, load, classes, n_train, n_val = SETS[key]
    images, labels, split = load()
    out = {"name": key, "classes": list(classes)}
    for part, source, count in (("train", "train", n_train), ("validation", "validation", n_val)):
        rows = _first(np.asarray(split[source]), labels, count)
        out[part] = {
            "rows": [int(r) for r in rows],
            "ink": [pack_digit(images[r]) for r in rows],
            "y": [int(labels[r]) for r in rows],
        }
    return out


def write_data_files(folder: Path | None = None) -> list[Path]:
    """Write every set's data file into ``folder`` (default: ``static/``), each to a temporary
    name first and then renamed; returns their paths."""
    folder = Path(folder) if folder is not None else Path(str(page.STATIC))
    written = []
    for key, spec in SETS.items():
        path = folder / spec[0]
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data_file(key), separators=(",", ":")) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


def payload(worker_source: bool = False) -> dict:
    """What the page's script gets besides the lazy data files: the colour maps, the
    preprocessing of a drawing (the explorer's settings) and the name of each set; with
    ``worker_source``, the worker's whole text (``WORKER``) for a Blob URL."""
    out = {
        "cmaps": colour_maps(),
        "preprocessing": dict(digitnet.PREPROCESSING),
        "sets": {
            key: {"classes": list(spec[2]), "train": spec[3], "validation": spec[4]}
            for key, spec in SETS.items()
        },
    }
    if worker_source:
        out["worker"] = "\n".join(page.static_text(name) for name in WORKER)
    return out


def playground(uid: str | None = None):
    """The playground as an ``IPython.display.HTML`` output (works with no kernel once shown);
    ``uid`` fixes the element's id."""
    d = payload(worker_source=not page.committed())
    digest = hashlib.sha1(json.dumps(d["sets"], sort_keys=True).encode()).hexdigest()
    eid = page.element_id(KIND, uid, digest)
    return page.control(
        KIND, eid, "cnn-playground", page.render("playground.html", id=eid), d, SCRIPTS, STYLES, lazy=LAZY
    )

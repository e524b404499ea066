"""The book's controls in plain pages, served as the website serves them, without a site build:
``_static/cnn/`` written by ``site/offline.py``'s ``copy_control_files``, and each page holding
a control's output with exactly the files ``control_files`` links for it (or, for the
self-contained output a reader's kernel shows, no linked file at all). A light or a dark body
colour stands in for the theme's. The browser tests and the benchmarks open controls this way.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
THEMES = {
    "light": "body{background:#fff;color:#222}",
    "dark": "body{background:#121212;color:#ced6dd}",  # pydata-sphinx-theme's dark colours
}


def _offline():
    """``site/offline.py`` (``site`` is not a package: the name is the standard library's)."""
    spec = importlib.util.spec_from_file_location("cnn_site_offline", ROOT / "site" / "offline.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@contextlib.contextmanager
def _outputs(committed: bool):
    from helpers.interactive import page

    saved = os.environ.get(page.OUTPUTS_ENV)
    if committed:
        os.environ[page.OUTPUTS_ENV] = page.COMMITTED
    else:
        os.environ.pop(page.OUTPUTS_ENV, None)
    try:
        yield
    finally:
        os.environ.pop(page.OUTPUTS_ENV, None)
        if saved is not None:
            os.environ[page.OUTPUTS_ENV] = saved


def output(make: Callable[[], object], committed: bool = True) -> str:
    """The HTML of ``make()`` (a control's display object): as the chapter's committed output
    (its files linked from ``_static/cnn/``) or, ``committed=False``, self-contained."""
    with _outputs(committed):
        return make().data


def html(body: str, scheme: str = "light", head: str = "", tail: str = "", title: str = "Control") -> str:
    """A plain page: ``body`` in ``<main>``, ``head`` and ``tail`` (links, scripts) around it."""
    if scheme not in THEMES:
        raise ValueError(f"scheme must be one of {', '.join(THEMES)}, not {scheme!r}")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><title>{title}</title>'
        f'<link rel="icon" href="data:,">{head}'
        f"<style>{THEMES[scheme]}</style></head><body><main>{body}</main>{tail}</body></html>"
    )


def write(folder: Path, pages: dict[str, tuple[str, str, bool]]) -> Path:
    """``folder`` as the website serves controls: ``_static/cnn/`` and, for each ``name`` of
    ``pages``, ``folder/name`` from ``(body, scheme, linked)``: a control's HTML, the colour
    scheme, and whether to link the files it names (False for a self-contained output).
    Returns ``folder``."""
    offline = _offline()
    folder = Path(folder)
    offline.copy_control_files(SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(folder)))
    for name, (body, scheme, linked) in pages.items():
        head = tail = ""
        if linked:
            files = offline.control_files(body)
            head = "".join(f'<link rel="stylesheet" href="_static/cnn/{n}">' for n in files["styles"])
            tail = "".join(f'<script defer src="_static/cnn/{n}"></script>' for n in files["scripts"])
        dest = folder / name
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_text(html(body, scheme, head, tail, title=Path(name).stem), encoding="utf-8")
        tmp.replace(dest)
    return folder

"""Numbers in the prose, computed rather than typed.

``glue_numbers(case2_first=87.2, ...)`` stores each value, formatted as the tables show it
(``fmt.as_text``: ``75``, ``87.2``), in the notebook's output; the markdown then writes
``<span data-glue="case2_first">87.2</span>``, whose text the book's execute script rewrites
from that output (so every front end shows the number, and a test checks they agree).
Nothing is displayed in the notebook itself. The output has exactly the form of myst-nb's
``glue(name, value, display=False)`` (a display_data bundle under the
``application/papermill.record/`` prefix with ``scrapbook`` metadata); it is written here
directly because importing myst-nb's glue pulls in Sphinx and costs seconds per chapter
(tests/test_glue.py checks the two agree).
"""

from __future__ import annotations

from . import validate
from .fmt import as_text

GLUE_PREFIX = "application/papermill.record/"


def glue_bundle(name: str, text: str) -> tuple[dict, dict]:
    """The (data, metadata) display bundle that myst-nb's glue writes for a hidden value."""
    return ({GLUE_PREFIX + "text/plain": text}, {"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}})


def glue_numbers(decimals: int = 2, **values) -> None:
    """Store each keyword, as text, for ``<span data-glue="name">`` in the page's markdown. A number that
    is not 0 but would read "0" at ``decimals`` is refused (format it yourself, e.g.
    ``f"{v:.1e}"``), so the prose never shows a silent 0."""
    from IPython.display import display

    for name, value in values.items():
        if validate.is_number(value) and value != 0 and as_text(value, decimals).lstrip("-") == "0":
            raise ValueError(
                f"glue_numbers: {name}={value!r} would read 0 at {decimals} decimals; "
                f'pass it formatted (e.g. f"{{{name}:.1e}}") or a larger decimals'
            )
        bundle, meta = glue_bundle(name, as_text(value, decimals))
        display(bundle, raw=True, metadata=meta)

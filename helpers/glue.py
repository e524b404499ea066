"""Numbers in the prose, computed rather than typed.

``glue_numbers(case2_first=87.2, ...)`` stores each value, formatted as the tables show it
(``fmt_number``: ``75``, ``87.2``), in the notebook's output; the markdown then writes
``{glue}`case2_first``` and the built page shows the number. Nothing is displayed in the
notebook itself. Uses myst-nb's ``glue``.
"""

from __future__ import annotations

from .grids import fmt_number


class _Text(str):
    """A string whose text/plain display has no quotes, so ``{glue}`` inserts it as is."""

    def __repr__(self) -> str:
        return str(self)


def as_text(value, decimals: int = 2) -> str:
    """``value`` as the prose writes it: numbers via ``fmt_number``, tuples as ``17×4``."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "×".join(as_text(v, decimals) for v in value)
    return fmt_number(value, decimals)


def glue_numbers(decimals: int = 2, **values) -> dict[str, str]:
    """Glue each keyword as text for ``{glue}`name``` and return the texts (for checks)."""
    from myst_nb import glue

    texts = {}
    for name, value in values.items():
        text = as_text(value, decimals)
        glue(name, _Text(text), display=False)
        texts[name] = text
    return texts

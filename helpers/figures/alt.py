"""What a figure shows, in words: the alt text every figure of the book carries, written by
the figure's builder from the data it draws (so its numbers are computed, never typed).

``DescribedFigure`` is the figure class the book opens (``style.subplots``): ``describe``
gives it its text, and when IPython displays it the text goes into the output's metadata as
``{"image/png": {"alt": ...}}`` (or ``image/jpeg``), the place ``IPython.display.Image(alt=...)``
writes it. The website reads it from there (``site/alt_text.py``); ``as_jpeg`` copies it to
the image it makes. The phrases (``grid_words``, ``shape_words``, ``numbers_words``) are shared
by the builders and by the chapters' few figures made by hand.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..fmt import fmt_number

#: The MIME types IPython can make of a figure (the inline backend's figure formats).
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")
#: A grid with at most this many cells is read out number by number; a larger one by its range.
READ_OUT = 36


class DescribedFigure(Figure):
    """A matplotlib figure with a ``description``: its alt text, handed to IPython as the
    metadata of every image the figure is displayed as."""

    description = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        # no data of its own: the inline backend's formatters make the image; this adds only
        # the metadata, for the image types they will make of this figure
        if not self.description:
            return {}, {}
        return {}, {mime: {"alt": self.description} for mime in _displayed_as(self)}


def _displayed_as(fig) -> list[str]:
    """The image MIME types the running IPython's formatters make of ``fig`` (none outside
    IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    found = []
    for mime in IMAGE_TYPES:
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is None or not formatter.enabled:
            continue
        try:
            formatter.lookup(fig)
        except KeyError:
            continue
        found.append(mime)
    return found


def describe(fig, text: str):
    """Give ``fig`` (a ``DescribedFigure``) its alt text ``text``; returns ``fig``."""
    if not isinstance(fig, DescribedFigure):
        raise TypeError(
            f"fig must be a figure opened with helpers.figures.style.subplots (a DescribedFigure), "
            f"got {type(fig).__name__}: open it with style.subplots"
        )
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must say what the figure shows in words, got {text!r}")
    fig.description = capital(" ".join(text.split()))
    return fig


def description(fig) -> str:
    """The alt text of ``fig`` ("" for a figure that has none)."""
    return getattr(fig, "description", "")


# ----------------------------------------------------------------------------- phrases
def article(n: int) -> str:
    """The article before the number ``n`` said aloud: ``"an"`` for 8, 11, 18, 80, 800, ...
    (eight, eleven, eighteen), else ``"a"``."""
    n = int(n)
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def shape_words(shape) -> str:
    """``(17, 4)`` -> ``"17×4"``, the way the book writes a shape."""
    return "×".join(str(int(n)) for n in shape)


def numbers_words(values, decimals: int = 2) -> str:
    """Numbers as a person writes them, separated by spaces (``"18 51 121"``)."""
    return " ".join(fmt_number(v, decimals) for v in np.ravel(values))


def title_words(title) -> str:
    """A panel's title on one line (its line breaks become commas)."""
    return ", ".join(part.strip() for part in str(title or "").splitlines() if part.strip())


def range_words(values, decimals: int = 2) -> str:
    """``"from 1 to 249"`` (the finite values; ``"all 0"`` when they are all one value)."""
    vals = np.asarray(values, dtype=float)
    finite = vals[np.isfinite(vals)]
    if not finite.size:
        return "with no values"
    lo, hi = fmt_number(finite.min(), decimals), fmt_number(finite.max(), decimals)
    return f"all {lo}" if lo == hi else f"from {lo} to {hi}"


def grid_words(values, decimals: int = 2, numbers: bool = True) -> str:
    """A grid of numbers in words: ``"a 2×2 grid, row by row: 1 2; 3 4"``; a grid larger than
    ``READ_OUT`` cells by its range, ``"a 17×4 grid of numbers from 1 to 249"``;
    ``numbers=False`` for shaded cells that show no numbers."""
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2:
        raise ValueError(f"values must be 2-D to describe as a grid, got shape {vals.shape}")
    text = f"{article(vals.shape[0])} {shape_words(vals.shape)} grid"
    missing = ", * where the source gives no value" if np.isnan(vals).any() else ""
    if numbers and vals.size <= READ_OUT:
        rows = "; ".join(numbers_words(row, decimals) for row in vals)
        return f"{text}, row by row: {rows}{missing}"
    spread = range_words(vals, decimals)
    spread = f", {spread}" if spread.startswith("all") else f" {spread}"
    if not numbers:
        return f"{text} of shaded cells{spread}, no numbers shown"
    return f"{text} of numbers{spread}{missing}"


def picture_words(image) -> str:
    """``"a 300×300 colour picture"`` or ``"a 28×28 grey picture"``."""
    img = np.asarray(image)
    colour = img.ndim == 3 and img.shape[-1] in (3, 4)
    kind = "colour" if colour else "grey"
    return f"{article(img.shape[0])} {shape_words(img.shape[:2])} {kind} picture"


def capital(text: str) -> str:
    """``text`` with its first letter a capital (the start of a sentence)."""
    return text[:1].upper() + text[1:]


def listing(items) -> str:
    """``["a", "b", "c"]`` -> ``"a; b; c"`` (items that may hold commas of their own)."""
    return "; ".join(items)


def count_words(n: int, noun: str, plural: str | None = None) -> str:
    """``count_words(1, "panel") == "1 panel"``, ``count_words(3, "panel") == "3 panels"``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"

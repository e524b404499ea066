"""The book's matplotlib style (``book.mplstyle``, white card background) and ``subplots``,
which opens every figure of the book in it."""

from __future__ import annotations

import contextlib
from importlib import resources

#: The style file, shipped inside the package.
STYLE = resources.files("helpers.figures") / "book.mplstyle"
#: Resolution of the image panels and plots of Part III (keeps the notebooks small).
SMALL_DPI = 80


@contextlib.contextmanager
def book_style():
    """A context in which matplotlib uses the book's style (for figures made by hand)."""
    import matplotlib.pyplot as plt

    with resources.as_file(STYLE) as path, plt.style.context(str(path)):
        yield


def subplots(*args, **kwargs):
    """``plt.subplots`` in the book's style: what every figure of the book is opened with."""
    import matplotlib.pyplot as plt

    with book_style():
        return plt.subplots(*args, **kwargs)

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
    """A context in which matplotlib uses the book's style (for figures made by hand).

    Only the settings the style file names are set and restored afterwards. (Unlike
    ``plt.style.context``, which restores *every* setting: a first figure opened inside it
    loads the notebook's inline backend, which switches on interactive mode, and restoring
    would switch it off again, so later figures of the notebook were never shown.)
    """
    import matplotlib

    with resources.as_file(STYLE) as path:
        style = matplotlib.rc_params_from_file(str(path), use_default_template=False)
    saved = {key: matplotlib.rcParams[key] for key in style}
    matplotlib.rcParams.update(style)
    try:
        yield
    finally:
        matplotlib.rcParams.update(saved)


def subplots(*args, **kwargs):
    """``plt.subplots`` in the book's style: what every figure of the book is opened with."""
    import matplotlib.pyplot as plt

    with book_style():
        return plt.subplots(*args, **kwargs)

"""Show what a block of (the article's) code really does: its exception and its warnings,
each in one short, deterministic line, instead of a 60-line traceback and stderr noise."""

from __future__ import annotations

import contextlib
import warnings


class Report:
    """What ``report`` caught: ``.error`` (exception or None) and ``.warnings`` (messages)."""

    def __init__(self):
        self.error: BaseException | None = None
        self.warnings: list[str] = []


def _one_line(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextlib.contextmanager
def report(limit: int = 400, show: bool = True):
    """Run the block, catch its exception and its warnings, and print them briefly.

    Each distinct warning is printed once as ``Warning (Category): message`` and the exception
    as ``Error (Type): message``, or ``no error`` when the block succeeds. The caught items
    stay available on the yielded ``Report`` for tests.
    """
    caught = Report()
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            yield caught
        except Exception as err:
            caught.error = err
    seen = []
    for w in records:
        msg = f"Warning ({w.category.__name__}): {_one_line(w.message, limit)}"
        if msg not in seen:
            seen.append(msg)
    caught.warnings = seen
    if show:
        for msg in seen:
            print(msg)
        if caught.error is not None:
            print(f"Error ({type(caught.error).__name__}): {_one_line(caught.error, limit)}")
        else:
            print("no error")

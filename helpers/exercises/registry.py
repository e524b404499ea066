"""The registry of the exercises: ``exercise`` registers the function that computes an
exercise's expected value, with the reasoning and the hint shown to the reader.

Its own module so that the part modules (``part1``, ...) can register with it while
``helpers.exercises`` imports them: neither imports the other back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Exercise:
    expected: Callable[[], Any]
    reason: str | Callable[[], str]
    clue: str | Callable[[], str]
    tol: float = 1e-6
    options: tuple[str, ...] = ()

    @property
    def why(self) -> str:
        """The reasoning shown for a right answer."""
        return self.reason() if callable(self.reason) else self.reason

    @property
    def hint(self) -> str:
        """The nudge shown for a wrong answer."""
        return self.clue() if callable(self.clue) else self.clue


_REGISTRY: dict[str, Exercise] = {}


def exercise(
    key: str, why: str | Callable[[], str], hint: str | Callable[[], str], tol: float = 1e-6, options=()
):
    """Register the decorated function as the source of truth for exercise ``key``.

    why: shown when the answer is right (the reasoning); hint: shown when it is not (a
    nudge that does not give the answer away). Either may be a function of no arguments
    returning the text: a text that quotes numbers computes them when it is shown, from the
    same data as the expected value, instead of typing them. options: for a choice exercise
    (the function returns the right one, as a string), the choices the question offers, each
    one lowercase word of ASCII letters or digits (``"yes"``, ``"b"``, ``"tilt"``): a typed
    answer is graded by the option it starts with (``helpers.exercises.read_choice``).
    """
    bad = [o for o in options if not (isinstance(o, str) and re.fullmatch(r"[a-z0-9]+", o))]
    if bad or len(set(options)) != len(options):
        raise ValueError(
            f"exercise {key!r}: options must be distinct lowercase words of ASCII letters or "
            f"digits, like ('yes', 'no') or ('a', 'b', 'c'); got {tuple(options)!r}"
        )

    def register(fn):
        if key in _REGISTRY:
            raise ValueError(f"exercise {key!r} is registered twice")
        # computed once per process: some answers train or measure for seconds
        _REGISTRY[key] = Exercise(functools.cache(fn), why, hint, tol, tuple(options))
        return fn

    return register

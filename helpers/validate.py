"""The argument rules of the helpers, one copy each: integers, numbers and flags.

One rule for all of them: Python and NumPy integers are integers (``6``, ``np.int64(6)``),
bools are not (``True`` is a flag, not the number 1) and neither are floats (``6.0``),
strings or arrays. Numbers (integers and floats) must be finite: NaN never passes, infinity
only where the caller allows it (a timeout that may be unlimited). A value of the wrong kind
raises ``TypeError``, one of the right kind outside its range ``ValueError``; both are one
line naming the argument, what it got and what it must be, e.g. ``epochs must be a positive
integer, got 0``. The checks return the value as a plain Python ``int``/``float``/``bool``,
so callers use what they return.
"""

from __future__ import annotations

import math
import numbers
import reprlib

import numpy as np

# what a message shows of the value it got: short (a huge int or array is cut in the middle)
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxlong = _SHORT.maxother = 40


def _got(value) -> str:
    return _SHORT.repr(value)


def is_integer(value) -> bool:
    """True for a Python or NumPy integer, False for a bool, a float or anything else."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_number(value) -> bool:
    """True for a Python or NumPy integer or float (NaN and infinity included), False for a
    bool, a complex number or anything else."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _with(words: list[str], what: str) -> str:
    """``what`` (``"an integer"``, ``"a number of bytes"``) with ``words`` before its noun and
    the article that fits: ``_with(["positive"], "an integer") == "a positive integer"``."""
    noun = what.removeprefix("an ").removeprefix("a ")
    phrase = " ".join([*words, noun])
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def _requirement(what: str, low, high) -> str:
    if high is None and low in (0, 1):  # an integer >= 1 is a positive one, >= 0 non-negative
        return _with(["positive" if low == 1 else "non-negative"], what)
    if low is not None and high is not None:
        return f"{what} from {low} to {high}"
    if low is not None:
        return f"{what} of at least {low}"
    if high is not None:
        return f"{what} of at most {high}"
    return what


def integer(
    name: str, value, low: int | None = None, high: int | None = None, *, what: str = "an integer"
) -> int:
    """``value`` as an ``int`` if it is an integer from ``low`` to ``high`` (both included,
    ``None``: no bound). ``what`` names the kind in the message (``"a class index"``)."""
    if not is_integer(value):
        raise TypeError(f"{name} must be {_requirement(what, low, high)}, got {_got(value)}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_requirement(what, low, high)}, got {_got(value)}")
    return int(value)


def positive_integer(name: str, value) -> int:
    """``value`` as an ``int`` if it is an integer >= 1 (a count of steps, a size, a stride)."""
    return integer(name, value, 1)


def non_negative_integer(name: str, value) -> int:
    """``value`` as an ``int`` if it is an integer >= 0 (a padding, a seed)."""
    return integer(name, value, 0)


def number(
    name: str,
    value,
    low: float | None = None,
    *,
    positive: bool = False,
    allow_infinity: bool = False,
    what: str = "a number",
) -> float:
    """``value`` as a ``float`` if it is a finite number (and > 0 with ``positive``, >= ``low``
    when given); integers count as numbers, bools do not. ``allow_infinity=True`` lets
    infinity pass too (a limit that may be "none": a timeout, a ratio); NaN never passes.
    ``what`` names the kind in the message (``"a number of seconds"``)."""
    words = ([] if allow_infinity else ["finite"]) + (["positive"] if positive else [])
    need = _with(words, what)
    if low is not None:
        need += f" of at least {low:g}"
    if not is_number(value):
        raise TypeError(f"{name} must be {need}, got {_got(value)}")
    try:
        as_float = float(value)
    except OverflowError:  # an integer beyond float64
        as_float = math.inf
    if (
        math.isnan(as_float)
        or (math.isinf(as_float) and not allow_infinity)
        or (positive and not value > 0)
        or (low is not None and not value >= low)
    ):
        raise ValueError(f"{name} must be {need}, got {_got(value)}")
    return as_float


def flag(name: str, value) -> bool:
    """``value`` as a ``bool`` if it is ``True`` or ``False`` (NumPy's bools too; not 0 or 1)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_got(value)}")
    return bool(value)

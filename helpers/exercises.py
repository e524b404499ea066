"""Self-checks for the chapters' exercises: ``check_answer(question, value)``.

A reader types a number and learns whether it is right, without the answer being printed
next to the question. Expected values are computed (never typed) by the functions in
``ANSWERS``; add an entry per exercise that has a single numeric answer.
"""

from __future__ import annotations

import math
import numbers


def _ch13_dense2_softmax():
    from . import ops

    return ops.conv_params(5, 5, 3, 10) + ops.dense_params(148 * 148 * 10, 2)


def _ch13_no_pooling():
    from . import ops

    return ops.conv_params(5, 5, 3, 10) + ops.dense_params(296 * 296 * 10, 1)


def _ch13_split_02():
    return 23_000 - math.floor(23_000 * (1 - 0.2))


def _ch14_digits_params_32():
    from . import ops

    return ops.conv_params(5, 5, 1, 32) + ops.dense_params(12 * 12 * 32, 1)


def _ch15_batch_mb():
    return 64 * 300 * 300 * 3 * 4 / 1e6


ANSWERS = {
    "13.1": (_ch13_dense2_softmax, 0.0),
    "13.2": (_ch13_no_pooling, 0.0),
    "13.3": (_ch13_split_02, 0.0),
    "14.1": (_ch14_digits_params_32, 0.0),
    "15.1": (_ch15_batch_mb, 0.01),
}


def check_answer(question: str, value) -> bool:
    """Print whether ``value`` answers exercise ``question`` (e.g. ``"13.1"``); return it too."""
    if question not in ANSWERS:
        raise ValueError(f"no self-check for exercise {question!r}; known: {', '.join(sorted(ANSWERS))}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, got {value!r}")
    compute, rel_tol = ANSWERS[question]
    expected = compute()
    ok = math.isclose(float(value), float(expected), rel_tol=rel_tol, abs_tol=1e-9)
    if ok:
        print(f"Exercise {question}: correct.")
    else:
        hint = "too high" if value > expected else "too low"
        print(f"Exercise {question}: not yet ({value:,} is {hint}). Check the shapes layer by layer.")
    return ok

"""Self-checks for the exercises: ``check_answer("case2-width-3", 2)`` tells the reader whether an
answer is right and why, without printing the answer itself.

``check_answer(key, None)`` (the reader's cell as committed) prints one neutral line; on the
website the build replaces that cell's output with a kernel-free answer box whose expected
values come from ``answer_spec`` - the same registry, so page and notebook cannot disagree.
An answer given as a string is read by the page's rules: ``read_numbers`` for typed numbers
(its table of cases: ``tests/js/fixtures/answer_reading.json``), ``read_choice`` for a choice
(yes/no, a/b/c: only the choice at the start is graded, never the reasons after it; its table:
``tests/js/fixtures/answer_choices.json``), each table checked on both sides.

Expected values are computed from ``data/`` with ``helpers.ops`` when asked, never typed, so
an exercise cannot drift from the numbers on the page. Each chapter's exercises are
registered with the ``exercise`` decorator (``registry``) in one module per part (``part1``,
``part2``, ``part3``, ``part4``, ``part5``, ``explorer``), all imported here so every key is known once
``helpers.exercises`` is imported.
"""

from __future__ import annotations

import re

import numpy as np

# the parts register their exercises when imported
from . import explorer, part1, part2, part3, part4, part5  # noqa: F401
from .registry import _REGISTRY, Exercise, exercise  # noqa: F401 (also exercises.exercise)


def _lookup(key: str) -> Exercise:
    if not isinstance(key, str):
        raise TypeError(
            f"the exercise key is a string like 'case2-width-3', got {type(key).__name__} {key!r:.60}"
        )
    if key not in _REGISTRY:
        raise KeyError(f"no exercise {key!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[key]


MAX_ANSWER_CHARS = 200  # the answer box's maxlength (UTF-16 code units, as a browser counts)
_SPACES = " \t\n\r\u00a0\u2009\u202f"
_BETWEEN = frozenset(_SPACES + ",;xX*\u00d7()[]{}")  # what may stand between several numbers
_ONE = re.compile(
    r"[-+]?(?:[0-9]{1,3}(?:[,_' \u00a0\u2009\u202f][0-9]{3})+|[0-9]+)?"
    r"(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
)
_MANY = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_GROUPS = re.compile(r"[,_' \u00a0\u2009\u202f]")
_EMPTY = "type your answer first"


def _units(text: str) -> int:
    """The length of ``text`` as a browser counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def read_numbers(text: str, count: int, max_chars: int | None = MAX_ANSWER_CHARS) -> list[float] | str:
    """The numbers a typed answer holds when ``count`` are expected, or the name of what is
    wrong with it: ``"empty"``, ``"not-a-number"``, ``"too-large"`` or ``"too-long"``.

    The website's answer boxes read a typed answer the same way (``readNumbers`` in
    site/static/exercises.js): decimal numbers with the digits 0-9 only (no ``0x15``, no
    ``2_1``, no Arabic-Indic digits), U+2212 as a minus sign, one number with optional
    brackets and thousands groups (``438,842``), several numbers separated by commas, spaces,
    ``;`` or ``x``. Linear in the length of ``text``."""
    if max_chars is not None and _units(text) > max_chars:
        return "too-long"
    t = text.replace("\u2212", "-").strip(_SPACES)
    if count == 1:
        if len(t) >= 2 and (t[0], t[-1]) in (("[", "]"), ("(", ")")):
            t = t[1:-1].strip(_SPACES)
        if not t:
            return "empty"
        if not _ONE.fullmatch(t) or not any(c.isascii() and c.isdigit() for c in re.split("[eE]", t)[0]):
            return "not-a-number"
        values = [float(_GROUPS.sub("", t))]
    else:
        if not set(_MANY.sub(" ", t)) <= _BETWEEN:
            return "not-a-number"
        values = [float(m) for m in _MANY.findall(t)]
        if not values:
            return "empty"
    if not all(np.isfinite(values)):
        return "too-large"
    return values


# what may stand around a choice: spaces, ASCII punctuation, typographic quotes and dashes
_EXTRA_SEPARATORS = (
    "\u00a0\u2009\u202f\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2013\u2014\u2026"
)


def _separator(c: str) -> bool:
    return (c < "\x80" and not c.isalnum()) or c in _EXTRA_SEPARATORS


def read_choice(text: str, options, max_chars: int | None = MAX_ANSWER_CHARS) -> dict:
    """The option a typed answer chooses, ``{"choice": option}``, or what is wrong with it,
    ``{"problem": "empty" | "not-a-choice" | "too-long"}``.

    The choice is the first word after any quotes, brackets or punctuation: ASCII letters and
    digits, case ignored, ended by the end of the text or a separator (a space, ASCII
    punctuation, a typographic quote or dash). What follows it - the reader's reasons - is not
    read, so ``no, because...``, ``"no"``, ``No.`` and ``(b)`` are choices, while ``nope``,
    ``not yes`` and ``the answer is b`` are none. The website's answer boxes read a choice the
    same way (``readChoice`` in site/static/exercises.js). Linear in the length of ``text``."""
    if max_chars is not None and _units(text) > max_chars:
        return {"problem": "too-long"}
    if not text.strip(_SPACES):
        return {"problem": "empty"}
    i = 0
    while i < len(text) and _separator(text[i]):
        i += 1
    j = i
    while j < len(text) and text[j] < "\x80" and text[j].isalnum():
        j += 1
    word = text[i:j].lower()
    if not word or (j < len(text) and not _separator(text[j])) or word not in options:
        return {"problem": "not-a-choice"}
    return {"choice": word}


def _either(options) -> str:
    """``"a", "b" or "c"``: the options as a reader is asked for them."""
    quoted = [f'"{o}"' for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _problem_detail(problem: str, count: int) -> str:
    return {
        "empty": _EMPTY,
        "too-long": f"your answer is longer than {MAX_ANSWER_CHARS} characters",
        "too-large": "your number is too large to be the answer (beyond float64)",
    }.get(
        problem,
        "expected a number written with the digits 0-9"
        if count == 1
        else "expected numbers separated by commas",
    )


def _judge_choice(answer, expected: str, options) -> tuple[str, str]:
    options = tuple(options) or (expected.strip().lower(),)
    if not isinstance(answer, str):
        return "unread", f"give your answer as text, {_either(options)}"
    read = read_choice(answer, options)
    if "choice" in read:
        if read["choice"] == expected.strip().lower():
            return "right", ""
        return "wrong", f'"{read["choice"]}" is not the answer'
    if read["problem"] == "empty":
        return "empty", _EMPTY
    if read["problem"] == "too-long":
        return "wrong", _problem_detail("too-long", 1)
    return "unread", f"start your answer with {_either(options)}"


def _judge(answer, expected, tol, options=()) -> tuple[str, str]:
    """``(state, detail)`` of ``answer``: state ``right``, ``wrong`` (a wrong value, or one
    that cannot be the answer), ``empty`` (nothing typed) or ``unread`` (no choice found);
    detail says what is wrong. A string ``expected`` is a choice among ``options``."""
    if answer is None:
        return "wrong", "no answer yet (replace None with your answer)"
    if isinstance(expected, str):
        return _judge_choice(answer, expected, options)
    if isinstance(answer, str) and _units(answer) > MAX_ANSWER_CHARS:
        return "wrong", _problem_detail("too-long", 1)
    if isinstance(answer, str):  # typed as on the website: read as the page reads it
        size = np.size(expected)
        read = read_numbers(answer, size)
        if isinstance(read, str):
            return ("empty" if read == "empty" else "wrong"), _problem_detail(read, size)
        if len(read) != size:
            return "wrong", (
                f"your answer has {len(read)} number{'' if len(read) == 1 else 's'}, the answer has {size}"
            )
        answer = np.reshape(read, np.shape(expected))
    try:
        a = np.asarray(answer, dtype=float)
    except OverflowError:  # an int beyond float64 (10**400): no expected value is that large
        return "wrong", "your number is too large to be the answer (beyond float64)"
    except (TypeError, ValueError):
        return "wrong", f"expected a number or an array of numbers, got {type(answer).__name__}"
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        return "wrong", f"your answer has shape {a.shape}, the answer has shape {e.shape}"
    if np.any(np.isnan(a)):
        return "wrong", "your answer contains NaN"
    wrong = ~np.isclose(a, e, rtol=0, atol=tol)
    if wrong.any():
        where = "" if a.ndim == 0 else f" ({int(wrong.sum())} of {a.size} values differ)"
        return "wrong", "that is not it" + where
    return "right", ""


def _compare(answer, expected, tol, options=()) -> tuple[bool, str]:
    """``(right, detail)``: ``_judge`` without the kind of failure."""
    state, detail = _judge(answer, expected, tol, options)
    return state == "right", detail


def _sentence(state: str, detail: str, why: str, hint: str) -> str:
    """What the reader is told (check_answer prints it, the answer box shows it)."""
    if state == "right":
        return f"Correct. {why}"
    if state == "empty":
        return f"No answer yet: {detail}."
    if state == "unread":
        return f"Which one? {detail[0].upper()}{detail[1:]}."
    return f"Not quite: {detail}. Hint: {hint}"


def is_correct(key: str, answer) -> bool:
    """True when ``answer`` matches exercise ``key`` (for tests and scripts)."""
    ex = _lookup(key)
    return _compare(answer, ex.expected(), ex.tol, ex.options)[0]


def expected(key: str):
    """The answer to exercise ``key``, computed by the code registered for it (for the answer
    text a chapter stores, so the answer box and the checker say the same)."""
    return _lookup(key).expected()


def unanswered_line(key: str) -> str:
    """What ``check_answer(key, None)`` prints: neutral, no verdict, and no internal key (the
    exercise is the one titled just above the cell)."""
    _lookup(key)
    return "Put your answer in place of None, then run this cell to check it."


def answer_spec(key: str) -> dict:
    """What the website's answer box of exercise ``key`` needs, from the registry: the kind
    (``number``, or ``choice`` with its options), the expected value (numbers flattened row by
    row, with the shape), the tolerance, and the texts shown on right/wrong."""
    ex = _lookup(key)
    expected = ex.expected()
    spec = {"key": key, "why": ex.why, "hint": ex.hint}
    if isinstance(expected, str):
        if not ex.options:
            raise ValueError(
                f"exercise {key!r} has a text answer but no options: register them, "
                'e.g. exercise(..., options=("yes", "no"))'
            )
        if expected not in ex.options:
            raise ValueError(f"exercise {key!r}: the answer {expected!r} is not one of its options")
        return {**spec, "kind": "choice", "expected": expected, "options": list(ex.options)}
    e = np.asarray(expected, dtype=float)
    values = [int(v) if float(v).is_integer() else float(v) for v in e.ravel()]
    return {**spec, "kind": "number", "expected": values, "shape": list(e.shape), "tol": ex.tol}


def check_answer(key: str, answer) -> None:
    """Print whether ``answer`` to exercise ``key`` is right, and why."""
    ex = _lookup(key)
    if answer is None:
        print(unanswered_line(key))
        return
    state, detail = _judge(answer, ex.expected(), ex.tol, ex.options)
    print(_sentence(state, detail, ex.why, ex.hint))

"""Printed-versus-computed: compare a table as the article printed it with the book's own
computation, cell by cell, so every chapter can show (not just claim) where they agree.

A printed number agrees when the computed value, rounded to the printed number of decimals,
gives the printed number (``87.2`` agrees with ``87.2000001``; ``412`` does not agree with
``851``). A cell that is not a number is classified from its text: ``formula`` (a spreadsheet
formula such as ``=B2*$G$5``: the article shows its spreadsheet's selected cell, whose formula,
not its value, the copy keeps), ``blank`` (an empty or lost cell) or ``elided`` (the ``...`` of a
shortened row).

``copy_formula`` copies such a formula as a spreadsheet does: a relative reference (``B2``)
moves with the copy, an anchored one (``$G$5``) stays, which is how one weight is shared by every
output cell (chapter 2).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import numpy as np

from . import data, ops
from .fmt import fmt_number

STATUSES = ("match", "mismatch", "formula", "blank", "elided")
_REF = re.compile(r"(\$?)([A-Z]+)(\$?)([0-9]+)")


def _column_number(letters: str) -> int:
    """A spreadsheet column's number: A is 1, Z 26, AA 27."""
    n = 0
    for ch in letters:
        n = 26 * n + ord(ch) - ord("A") + 1
    return n


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def copy_formula(formula: str, down: int, right: int) -> str:
    """The formula a spreadsheet writes when the cell holding ``formula`` is copied ``down``
    rows down and ``right`` columns to the right: each relative part of a reference moves by as
    much (``B2`` to ``C3``), each part anchored with ``$`` stays (``$G$5``; ``$G5`` keeps its
    column only). A reference moved off the sheet raises ``ValueError``."""

    def move(m):
        col_fixed, col, row_fixed, row = m.groups()
        c = _column_number(col) + (0 if col_fixed else right)
        r = int(row) + (0 if row_fixed else down)
        if c < 1 or r < 1:
            raise ValueError(f"copying {formula!r} by ({down}, {right}) moves {m.group(0)} off the sheet")
        return f"{col_fixed}{_column_letters(c)}{row_fixed}{r}"

    return _REF.sub(move, formula)


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def classify(text: str, computed: float) -> str:
    """Status of one printed cell against the computed value (see the module docstring)."""
    t = text.strip()
    if t.startswith("="):
        return "formula"
    if t == "":
        return "blank"
    if set(t) == {"."}:
        return "elided"
    try:
        printed = float(t)
    except ValueError:
        return "blank"
    tol = 0.5 * 10.0 ** -_decimals(t) + 1e-9
    return "match" if abs(printed - computed) <= tol else "mismatch"


@dataclass
class Comparison:
    """Cell-by-cell comparison of printed table ``name`` with ``computed``."""

    name: str
    printed: list
    computed: np.ndarray
    status: np.ndarray = field(repr=False)
    decimals: int = 2

    def cells(self, status: str) -> list[tuple[int, int, str, float]]:
        """``(row, col, printed text, computed value)`` of every cell with ``status``."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        return [
            (int(r), int(c), self.printed[r][c], float(self.computed[r, c]))
            for r, c in np.argwhere(self.status == status)
        ]

    @property
    def not_printed(self) -> list[tuple[int, int, str, float]]:
        """Cells that are not numbers in the article (formula, blank, elided), row by row."""
        out = [cell for s in ("formula", "blank", "elided") for cell in self.cells(s)]
        return sorted(out)

    @property
    def n_match(self) -> int:
        return int(np.sum(self.status == "match"))

    @property
    def n_mismatch(self) -> int:
        return int(np.sum(self.status == "mismatch"))

    def summary(self, max_listed: int = 12) -> str:
        """One line of counts, then the cells that are not printed or disagree (at most
        ``max_listed`` of them)."""
        n_not = len(self.not_printed)
        lines = [
            f"{self.name}: {self.n_match} printed numbers agree with the computation, "
            f"{self.n_mismatch} disagree, {n_not} cell{'s' if n_not != 1 else ''} "
            "not printed as a number"
        ]
        for r, c, text, v in self.not_printed:
            if self.status[r, c] == "elided":
                lines.append(f"  [{r}, {c}] printed '{text}' (values left out)")
                continue
            shown = f"'{text}'" if text.strip() else "(blank)"
            lines.append(f"  [{r}, {c}] printed {shown} -> computed {fmt_number(v, self.decimals)}")
        for r, c, text, v in self.cells("mismatch"):
            lines.append(f"  [{r}, {c}] printed {text} but computed {fmt_number(v, self.decimals)}")
        if len(lines) - 1 > max_listed:
            lines = lines[: max_listed + 1] + [f"  ... and {len(lines) - 1 - max_listed} more"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        style = {
            "match": "",
            "mismatch": "background:rgba(192,28,40,.30);outline:2px solid #c01c28",
            "formula": "background:rgba(230,97,0,.30);outline:2px dashed #e66100",
            "blank": "background:rgba(230,97,0,.30);outline:2px dashed #e66100",
            "elided": "background:rgba(128,128,128,.2)",
        }
        rows = []
        for r, row in enumerate(self.printed):
            tds = []
            for c, text in enumerate(row):
                s = self.status[r, c]
                v = fmt_number(self.computed[r, c], self.decimals)
                if s == "match":
                    inner = v
                elif s == "elided":
                    inner = html.escape(text)
                elif s == "mismatch":
                    inner = f"<s>{html.escape(text)}</s> {v}"
                else:
                    shown = html.escape(text.strip()) or "blank"
                    inner = f"<b>{v}</b><br><small>{shown}</small>"
                tds.append(
                    f'<td style="border:1px solid rgba(128,128,128,.55);padding:1px 5px;'
                    f'text-align:right;{style[s]}">{inner}</td>'
                )
            rows.append(
                f'<tr><th style="padding:0 6px;font-weight:normal;opacity:.7">{r}</th>'
                + "".join(tds)
                + "</tr>"
            )
        caption = html.escape(self.summary().splitlines()[0])
        return (
            '<div style="font-family:ui-monospace,monospace;font-size:12px;overflow-x:auto">'
            f'<table style="border-collapse:collapse"><caption style="text-align:left">{caption}'
            "</caption>" + "".join(rows) + "</table></div>"
        )


def compare(name: str, computed, decimals: int = 2) -> Comparison:
    """Compare the article's printed table ``data/NAME.csv`` with ``computed`` (same shape)."""
    printed = data.printed_cells(name)
    computed = ops.as_image("computed", computed, (1, 2))
    computed = computed.reshape(1, -1) if computed.ndim == 1 else computed
    shape = (len(printed), len(printed[0]))
    if computed.shape != shape:
        raise ValueError(f"computed has shape {computed.shape} but table {name!r} has {shape}")
    status = np.array(
        [[classify(t, computed[r, c]) for c, t in enumerate(row)] for r, row in enumerate(printed)],
        dtype=object,
    )
    return Comparison(name, printed, computed, status, decimals)


def compare_elided_row(name: str, values, decimals: int = 2) -> Comparison:
    """Compare a printed row shortened with ``...`` (the head, the dots, the tail) with the
    full row ``values``: the head is matched to the first values and the tail to the last."""
    printed = data.printed_cells(name)
    if len(printed) != 1:
        raise ValueError(f"table {name!r} is not a single row")
    row = printed[0]
    dots = [k for k, t in enumerate(row) if t.strip() and set(t.strip()) == {"."}]
    if len(dots) != 1:
        raise ValueError(f"table {name!r} must contain exactly one '...' cell, found {len(dots)}")
    values = ops.as_image("values", values, (1,))
    k = dots[0]
    tail = len(row) - k - 1
    if values.size < len(row) - 1:
        raise ValueError(f"values has {values.size} entries, fewer than the {len(row) - 1} printed")
    shown = np.concatenate([values[:k], [np.nan], values[values.size - tail :]])
    status = np.array(
        [[classify(t, shown[c]) if c != k else "elided" for c, t in enumerate(row)]], dtype=object
    )
    shown[k] = 0.0
    return Comparison(name, printed, shown[None, :], status, decimals)

"""Number formatting for tables and prose: ``75``, ``87.2``, ``17×4``, ``6.21 GB (5.78 GiB)``."""

from __future__ import annotations

import math


def fmt_number(v: float, decimals: int = 2) -> str:
    """A table number as a person writes it: ``75``, ``87.2``, ``1065.11``; NaN as ``*``."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "*"
    r = round(float(v), decimals)
    if math.isnan(r):
        return "*"
    if r == int(r):
        return str(int(r))
    return f"{r:.{decimals}f}".rstrip("0").rstrip(".")


def as_text(value, decimals: int = 2) -> str:
    """``value`` as the prose writes it: numbers via ``fmt_number``, tuples as ``17×4``."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "×".join(as_text(v, decimals) for v in value)
    return fmt_number(value, decimals)


def format_bytes(n: int) -> str:
    """``6210000000`` -> ``'6.21 GB (5.78 GiB)'``: decimal and binary units side by side."""
    if n < 0:
        raise ValueError(f"n must be >= 0 bytes, got {n}")
    return f"{n / 1e9:.2f} GB ({n / 2**30:.2f} GiB)"

"""Widget update latency: from setting a control's value to the new output being set.

The clock starts when the control's value is assigned (what a slider drag does in the kernel)
and stops when the output trait is reassigned by the widget's callback (observed with
``observe``), i.e. the Python side of an update; the browser's repaint is not included.

Adding a widget is one line in ``WIDGETS``: a label, a factory returning the widget, the
dotted path of the control to move and of the output trait that must change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import common

GOAL_MS = 50.0


@dataclass
class Case:
    label: str
    make: Callable[[], object]
    control: str = "slider"      # dotted attribute path of the control widget
    output: str = "view.value"   # dotted path of the trait the callback rewrites


def _data(name):
    from helpers import data
    return data.load(name)


def _sweep(*args, **kw):
    from helpers.widgets import SweepWidget
    return SweepWidget(*args, **kw)


# One line per widget. Part I/II widgets go here when they land in helpers.widgets.
WIDGETS = [
    Case("SweepWidget: 6×6 image, 3×3 kernel, position slider",
         lambda: _sweep(_data("conv6x6_image"), _data("conv6x6_kernel"))),
    Case("SweepWidget: digit 4 (17×4), weight box edited",
         lambda: _sweep(_data("image_b"), _data("case2_weights").reshape(1, -1), editable=True),
         control="weights.0"),
    Case("SweepWidget: 28×28 image, 3×3 kernel, stride 2, same",
         lambda: _sweep(np.arange(784.0).reshape(28, 28) % 251, _data("conv6x6_kernel"),
                        stride=2, padding="same")),
]


def _get(obj, path):
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


def _values(control, n, rng):
    """n values for the control, each different from the one before."""
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    integer = isinstance(control.value, (int, np.integer)) and not isinstance(control.value, bool)
    if lo is None or hi is None:
        lo, hi = -5.0, 5.0
    out, prev = [], control.value
    while len(out) < n:
        v = int(rng.integers(lo, hi + 1)) if integer else round(float(rng.uniform(lo, hi)), 3)
        if v != prev and hi != lo:
            out.append(v)
            prev = v
    return out


def measure(case: Case, updates: int, seed: int = 0) -> list[float]:
    """Seconds from control change to output change, ``updates`` times."""
    widget = case.make()
    control = _get(widget, case.control)
    *owner_path, trait = case.output.split(".")
    owner = _get(widget, ".".join(owner_path)) if owner_path else widget
    stamp = []
    owner.observe(lambda change: stamp.append(time.perf_counter()), names=trait)
    times = []
    for v in _values(control, updates, np.random.default_rng(seed)):
        before = len(stamp)
        t0 = time.perf_counter()
        control.value = v
        if len(stamp) == before:
            raise AssertionError(f"{case.label}: setting {case.control} = {v!r} did not change "
                                 f"{case.output}")
        times.append(stamp[-1] - t0)
    widget.close()
    return times


def run(mode: str) -> dict:
    updates = 10 if mode == "quick" else 100
    rows, details = [], {"updates": updates, "cases": []}
    for case in WIDGETS:
        t = measure(case, updates)
        med, p95 = common.median(t) * 1e3, common.percentile(t, 95) * 1e3
        rows.append(common.row("widget update latency", case.label, med, "ms (median)",
                               None, None, goal=f"median ≤ {GOAL_MS:g} ms",
                               limit=GOAL_MS, on="value", note=f"p95 {p95:.3g} ms",
                               why="the callback recomputes and re-renders the whole view"))
        details["cases"].append({"case": case.label, "median_ms": med, "p95_ms": p95,
                                 "max_ms": max(t) * 1e3})
    return common.section("widgets", "Widget update latency (callback to new output)", mode,
                          rows, details)

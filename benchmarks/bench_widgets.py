"""Widget update latency: from setting a control's value to the new output being set.

The clock starts when the control's value is assigned (what a slider drag does in the kernel)
and stops when that assignment returns: traitlets runs the widget's callback, which computes
and sets the new output, synchronously inside it. This is the Python side of an update; the
browser's repaint is not included. The run checks that the output trait did change.

Adding a widget is one line in ``WIDGETS``: a label, a factory returning the widget, the
dotted path of the control to move (``slider``, ``weights.0``, ``boxes.f``) and of the output
trait that must change (``view.value``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from helpers import validate

from . import common

GOAL_MS = 50.0


@dataclass
class Case:
    label: str
    make: Callable[[], object]
    control: str = "slider"  # dotted attribute path of the control widget
    output: str = "view.value"  # dotted path of the trait the callback rewrites


def _data(name):
    from helpers import data

    return data.load(name)


def _w(cls_name):
    """A factory for helpers.interactive.widgets.<cls_name>(*args, **kw), imported when called."""

    def make(*args, **kw):
        from helpers.interactive import widgets

        return getattr(widgets, cls_name)(*args, **kw)

    return make


_sweep, _bank, _flat = _w("SweepWidget"), _w("FilterBankWidget"), _w("FlattenWidget")
_size = _w("SizeCalculator")
_softmax, _volume = _w("SoftmaxWidget"), _w("VolumeCalculator")

# One line per widget: label, factory, control path, output trait path.
WIDGETS = [
    Case(
        "SweepWidget: 6×6 image, 3×3 kernel, position slider",
        lambda: _sweep(_data("conv6x6_image"), _data("conv6x6_kernel")),
    ),
    Case(
        "SweepWidget: image B (17×4), weight box edited",
        lambda: _sweep(_data("image_b"), _data("case2_weights").reshape(1, -1), editable=True),
        control="weights.0",
    ),
    Case(
        "SweepWidget: 28×28 image, 3×3 kernel, stride 2, same",
        lambda: _sweep(
            np.arange(784.0).reshape(28, 28) % 251, _data("conv6x6_kernel"), stride=2, padding="same"
        ),
    ),
    Case(
        "FilterBankWidget: image B, two 1×2 filters, weight box edited",
        lambda: _bank(
            _data("image_b"),
            [_data("case2_weights").reshape(1, -1), _data("case4_weights").reshape(1, -1)],
            editable=True,
        ),
        control="weights.1",
    ),
    Case("FlattenWidget: digit 4 (17×4), slider", lambda: _flat(_data("digit4"))),
    Case("SizeCalculator: n slider", lambda: _size(), control="n"),
    Case("SoftmaxWidget: score slider", lambda: _softmax(), control="z.0"),
    Case("VolumeCalculator: filters box", lambda: _volume(), control="boxes.f"),
]


def _get(obj, path):
    for part in path.split("."):
        if isinstance(obj, dict):
            obj = obj[part]
        else:
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


def _values(control, n, rng):
    """n values for the control, each different from the one before."""
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    integer = validate.is_integer(control.value)
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
        t0 = time.perf_counter()
        control.value = v  # observers (the widget's callback) run synchronously in here
        times.append(time.perf_counter() - t0)
    if not stamp:  # the right control and output? (one update may legitimately not change it)
        raise AssertionError(f"{case.label}: {updates} changes of {case.control} never changed {case.output}")
    widget.close()
    return times


def run(mode: str) -> dict:
    updates = 10 if mode == "quick" else 100
    rows, details = [], {"updates": updates, "cases": []}
    for case in WIDGETS:
        t = measure(case, updates)
        med, p95 = common.median(t) * 1e3, common.percentile(t, 95) * 1e3
        rows.append(
            common.row(
                "widget update latency",
                case.label,
                med,
                "ms (median)",
                None,
                None,
                goal=f"median ≤ {GOAL_MS:g} ms",
                limit=GOAL_MS,
                on="value",
                note=f"p95 {p95:.3g} ms",
                why="the callback recomputes and re-renders the whole view",
            )
        )
        details["cases"].append({"case": case.label, "median_ms": med, "p95_ms": p95, "max_ms": max(t) * 1e3})
    return common.section("widgets", "Widget update latency (callback to new output)", mode, rows, details)

"""Shared pieces of the benchmarks: the machine record, interleaved timing, the JSON format.

Absolute times on a shared 2-core machine are noise; ratios of medians measured in the same run,
with the candidates interleaved (A B C, A B C, ...) so load spikes hit all of them, are the
result. Every section is saved as one JSON file with the machine it ran on.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from helpers.perfnotes import RESULTS_DIR

ROOT = Path(__file__).resolve().parent.parent
RESULTS = RESULTS_DIR  # benchmarks/results/, where helpers.perfnotes (the chapters) reads them
SCHEMA = 1


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(module: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return None


def load_average() -> list[float] | None:
    """The machine's 1, 5 and 15 minute load averages, rounded (None where the system has none)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:  # pragma: no cover
        return None


def machine() -> dict:
    """What the numbers were measured on, recorded at measurement time."""
    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:  # pragma: no cover
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = load_average()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": round(ram / 1e9, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "tensorflow": _version("tensorflow-cpu") or _version("tensorflow"),
        "keras": _version("keras"),
        "opencv": _version("opencv-python-headless") or _version("opencv-python"),
        "load_average_at_start": load,
    }


def now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def interleaved(
    candidates: dict[str, Callable[[], object]], repeats: int, warmup: int = 2, seed: int = 0
) -> dict[str, list[float]]:
    """Seconds per call of each candidate: ``repeats`` rounds, each round calls every candidate
    once in a shuffled order (seeded), after ``warmup`` untimed rounds."""
    rng = random.Random(seed)
    names = list(candidates)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(warmup + repeats):
        rng.shuffle(names)
        for n in names:
            t0 = time.perf_counter()
            candidates[n]()
            dt = time.perf_counter() - t0
            if r >= warmup:
                times[n].append(dt)
    return times


def median(xs) -> float:
    return float(statistics.median(xs))


def percentile(xs, q: float) -> float:
    """``q``-th percentile (0-100), linear interpolation, like ``numpy.percentile``."""
    s = sorted(xs)
    if not s:
        raise ValueError("percentile of an empty list")
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return float(s[lo] + (s[hi] - s[lo]) * (pos - lo))


def row(
    name: str,
    case: str,
    value: float | None,
    unit: str,
    baseline: str | None = None,
    baseline_value: float | None = None,
    ratio: float | None = None,
    goal: str | None = None,
    limit: float | None = None,
    on: str = "ratio",
    note: str = "",
    why: str = "",
) -> dict:
    """One line of the results table.

    ``ratio`` is value / baseline_value unless given. With a ``limit`` the goal is
    ``ratio <= limit`` (``on="ratio"``) or ``value <= limit`` (``on="value"``); the row records
    whether it is met and, if not, by what factor it is missed. ``why`` explains a miss.
    """
    if ratio is None and value is not None and baseline_value:
        ratio = value / baseline_value
    met = miss = None
    if limit is not None:
        x = ratio if on == "ratio" else value
        if x is not None:
            met = bool(x <= limit)
            miss = None if met else x / limit
    return {
        "name": name,
        "case": case,
        "value": _r(value),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": _r(baseline_value),
        "ratio": _r(ratio),
        "goal": goal,
        "goal_met": met,
        "miss_factor": _r(miss),
        "note": note,
        "why": why if met is False else "",
    }


def _r(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    return float(f"{float(v):.4g}")


def section(
    key: str, title: str, mode: str, rows: list[dict], details: dict | None = None, skipped: str | None = None
) -> dict:
    """A result section (the runner replaces ``machine`` with the record taken at its start)."""
    return {
        "schema": SCHEMA,
        "section": key,
        "title": title,
        "mode": mode,
        "measured_at": now(),
        "machine": machine(),
        "skipped": skipped,
        "rows": rows,
        "details": details or {},
    }


def save(sec: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{sec['section']}.json"
    path.write_text(json.dumps(sec, indent=1, ensure_ascii=False) + "\n")
    return path


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)

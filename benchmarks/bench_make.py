"""Wall time of ``make test`` cold and warm, and of the site build cold and warm (full mode).

Cold: ``_build/``, every ``__pycache__`` of the book and ``.hypothesis`` removed first (the
virtual environment stays: installing it is network time, not the book's). Warm: the same
command again right after. The make command is ``$BENCH_MAKE`` (the runner sets it from
``make bench``, so the same venv and variables are used).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time

from . import common


def _clean():
    shutil.rmtree(common.ROOT / "_build", ignore_errors=True)
    shutil.rmtree(common.ROOT / ".hypothesis", ignore_errors=True)
    for d in ("helpers", "tests", "benchmarks", "scripts", "chapters"):
        for p in (common.ROOT / d).rglob("__pycache__"):
            shutil.rmtree(p, ignore_errors=True)


def _timed(target: str) -> dict:
    cmd = shlex.split(os.environ.get("BENCH_MAKE", "make")) + [target]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=common.ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    tail = "\n".join(p.stdout.strip().splitlines()[-3:])
    return {"command": " ".join(cmd), "seconds": dt, "returncode": p.returncode, "tail": tail}


def run(mode: str) -> dict:
    details = {}
    _clean()
    details["test_cold"] = _timed("test")
    details["test_warm"] = _timed("test")
    _clean()
    details["book_cold"] = _timed("book")
    details["book_warm"] = _timed("book")
    rows = []
    for what, cold, warm in (("make test", "test_cold", "test_warm"),
                             ("site build (make book)", "book_cold", "book_warm")):
        c, w = details[cold], details[warm]
        bad = [k for k, r in ((cold, c), (warm, w)) if r["returncode"]]
        note = f"FAILED: {', '.join(bad)}" if bad else ""
        rows.append(common.row(f"{what} wall time", "warm (again right after) vs cold",
                               w["seconds"], "s", "cold", c["seconds"], note=note))
    return common.section("make", "make test and site build wall time", mode, rows, details)

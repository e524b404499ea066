"""Determinism: the same seed gives the same training; two nbval runs give the same outputs.

* Training (``helpers.models.training.train_digits``): two trainings with seed 0, each in its
  own fresh Python process, must give the same test accuracy and bitwise the same weights
  (SHA-256 of every weight array).
* nbval (section "nbval", ``run_nbval``, full mode only, slow): ``pytest --nbval`` over every
  chapter twice. nbval compares each re-executed cell with the committed output, so two
  passing runs mean both runs produced the committed outputs, i.e. identical outputs. The
  appendix page itself is excluded: its outputs are the JSON files this run is writing.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time

from . import common

PAGE = "chapters/90_performance_notes.ipynb"


def _train_child(epochs: int) -> dict:
    """One training; ``epochs=0`` means the recipe's own default (what the chapter runs)."""
    from helpers.models import training

    run = training.train_digits(seed=0, **({"epochs": epochs} if epochs else {}))
    h = hashlib.sha256()
    for w in run.model.get_weights():
        h.update(w.tobytes())
    return {"test_accuracy": float(run.test_accuracy), "weights_sha256": h.hexdigest()}


def _env():
    from helpers import tfenv

    return tfenv.child_env(PYTHONPATH=common.ROOT, PYTHONHASHSEED=0)


def _training(epochs: int) -> dict:
    outs = []
    for _ in range(2):
        p = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_determinism", "train", str(epochs)],
            cwd=common.ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if p.returncode:
            raise RuntimeError(f"training child failed:\n{p.stderr[-2000:]}")
        outs.append(json.loads(p.stdout.strip().splitlines()[-1]))
    return {"runs": outs, "identical": outs[0] == outs[1]}


def _nbval_once() -> dict:
    chapters = sorted(
        p.relative_to(common.ROOT).as_posix() for p in (common.ROOT / "chapters").glob("*.ipynb")
    )
    chapters = [c for c in chapters if c != PAGE]
    t0 = time.perf_counter()
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            *chapters,
        ],
        cwd=common.ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    tail = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|error|errors|skipped)", tail)}
    return {
        "returncode": p.returncode,
        "summary": tail,
        "counts": counts,
        "seconds": time.perf_counter() - t0,
        "notebooks": len(chapters),
    }


def run(mode: str) -> dict:
    res = _training(epochs=1 if mode == "quick" else 0)
    details = {"training": res}
    accs = [r["test_accuracy"] for r in res["runs"]]
    same = res["identical"]
    rows = [
        common.row(
            "determinism",
            "two trainings of the chapter's recipe, seed 0, separate processes",
            "identical" if same else "different",
            "",
            goal="identical accuracy and weights",
            note=f"accuracy {accs[0]:.4g} / {accs[1]:.4g}",
        )
    ]
    rows[-1]["goal_met"] = same
    if not same:
        rows[-1]["miss_factor"] = None
        rows[-1]["why"] = "weights differ between two seeded runs (see details)"
    return common.section("determinism", "Determinism: two seeded trainings", mode, rows, details)


def run_nbval(mode: str) -> dict:
    """Section "nbval" (full mode): nbval twice over every chapter but the appendix page."""
    runs = [_nbval_once(), _nbval_once()]
    ok = all(r["returncode"] == 0 for r in runs)
    rows = [
        common.row(
            "determinism",
            f"nbval twice over {runs[0]['notebooks']} chapters",
            "identical" if ok else "different",
            "",
            goal="both runs pass",
            note=" / ".join(r["summary"] for r in runs),
        )
    ]
    rows[0]["goal_met"] = ok
    if not ok:
        rows[0]["why"] = "a chapter's re-executed output differs from the committed one"
    return common.section("nbval", "Determinism: nbval twice over the chapters", mode, rows, {"nbval": runs})


if __name__ == "__main__" and sys.argv[1] == "train":
    print(json.dumps(_train_child(int(sys.argv[2]))))

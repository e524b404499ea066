"""Read the benchmark results (``benchmarks/results/*.json``) and render them as a table.

In ``helpers`` (the readers' package), not ``book``: chapters 14, 14b, 15, 16 and 90 call it
when they run (``experiment``, ``load``, ``show``, ``show_goals``), on Colab and Binder too.

Why a module: the appendix page "Performance notes" and ``make bench`` print the same table
from the same JSON (``benchmarks/run.py`` prints ``table_rows`` as text), and both find the
results where ``RESULTS_DIR`` says, so no measured number is ever typed by hand. The page states the machine
each section was measured on, because absolute times mean little elsewhere; ratios measured
in the same run on the same machine are the result.

* ``load(directory)`` - the result sections, in a fixed order, checked against the schema;
* ``table_rows(sections)`` - the table as rows of strings (ratio, goal, met/missed by how much);
* ``html_table`` - the same rows for a book page;
* ``machines_markdown`` - the machine(s) the sections ran on;
* ``show(directory)`` / ``show_goals(sections)`` - the same, displayed in a notebook.
"""

from __future__ import annotations

import json
from pathlib import Path

# where benchmarks/ writes its results and experiments (benchmarks.common.RESULTS is this folder)
RESULTS_DIR = Path(__file__).resolve().parent.parent / "benchmarks" / "results"
SECTION_ORDER = ("conv", "loader", "training", "determinism", "nbval", "make", "site")
# the explorer section's rows of the page's forward pass against Keras, one per network
# (benchmarks/bench_explorer.py writes them; chapters 16 and 90 quote them)
EXPLORER_NODE_ROWS = {
    "explorer": "Node: max |Δ probability| vs Keras, the explorer's network",
    "recipe": "Node: max |Δ probability| vs Keras, chapter 16's recipe",
}
# the playground section's epoch row (benchmarks/bench_playground.py; chapter 21 quotes it)
PLAYGROUND_EPOCH_ROW = "training: one epoch in the page's engine (Chromium, Web Worker) vs Keras"
HEADER = ("benchmark", "case", "measured", "against", "ratio", "goal", "result", "note")
REQUIRED = {
    "schema": int,
    "section": str,
    "title": str,
    "mode": str,
    "measured_at": str,
    "machine": dict,
    "rows": list,
    "details": dict,
}
ROW_KEYS = (
    "name",
    "case",
    "value",
    "unit",
    "baseline",
    "baseline_value",
    "ratio",
    "goal",
    "goal_met",
    "miss_factor",
    "note",
    "why",
)


def check_section(sec: dict, where: str = "section") -> dict:
    """``sec`` if it has the results schema, else a ValueError naming the missing part."""
    if not isinstance(sec, dict):
        raise TypeError(f"{where} must be a JSON object, got {type(sec).__name__}")
    for key, typ in REQUIRED.items():
        if not isinstance(sec.get(key), typ):
            raise ValueError(f"{where}: '{key}' must be a {typ.__name__}, got {sec.get(key)!r}")
    for i, r in enumerate(sec["rows"]):
        missing = [k for k in ROW_KEYS if k not in r]
        if missing:
            raise ValueError(f"{where}: row {i} lacks {', '.join(missing)}")
    return sec


def load(directory=None) -> list[dict]:
    """All result sections in ``directory`` (default: the book's benchmarks/results/)."""
    d = Path(directory) if directory is not None else RESULTS_DIR
    if not d.is_dir():
        raise FileNotFoundError(f"no results directory {d}; run 'make bench' first")
    secs = [check_section(json.loads(p.read_text()), p.name) for p in sorted(d.glob("*.json"))]
    rank = {k: i for i, k in enumerate(SECTION_ORDER)}
    return sorted(secs, key=lambda s: (rank.get(s["section"], len(rank)), s["section"]))


def fmt(v, unit: str = "") -> str:
    """A measured number with 3 significant digits (no exponent for everyday sizes)."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v
    a = abs(v)
    s = f"{v:,.0f}" if a >= 1000 else f"{v:.3g}" if a >= 0.001 or a == 0 else f"{v:.2e}"
    return f"{s} {unit}".strip()


def verdict(r: dict) -> str:
    """'met', 'missed (1.4× over)', or '' for rows without a goal."""
    if r.get("goal_met") is None:
        return ""
    if r["goal_met"]:
        return "met"
    over = r.get("miss_factor")
    return f"missed ({fmt(over)}× over)" if over else "missed"


def table_rows(sections: list[dict]) -> list[list[str]]:
    rows = []
    for sec in sections:
        if sec.get("skipped") and not sec["rows"]:
            rows.append([sec["title"], f"not measured: {sec['skipped']}", "", "", "", "", "", ""])
            continue
        for r in sec["rows"]:
            unit = r["unit"]
            against = (
                f"{r['baseline']} {fmt(r['baseline_value'], unit.split(' ')[0])}"
                if r["baseline"] and r["baseline_value"] is not None
                else (r["baseline"] or "")
            )
            ratio = f"{fmt(r['ratio'])}×" if r["ratio"] is not None else ""
            rows.append(
                [
                    r["name"],
                    r["case"],
                    fmt(r["value"], unit),
                    against,
                    ratio,
                    r["goal"] or "",
                    verdict(r),
                    r["note"],
                ]
            )
    return rows


def html_table(sections: list[dict]) -> str:
    """The table as HTML for the book page (notebook Markdown output is rendered as CommonMark,
    which has no tables). Narrower than the text table: one header row per benchmark, the goal
    merged into the result. No colours, so the theme's table style applies in light and dark."""
    from html import escape

    groups: dict[str, list[list[str]]] = {}
    for r in table_rows(sections):
        name, case, measured, against, ratio, goal, result, note = r
        case = f"{case} ({note})" if note else case
        if not measured and case.startswith("not measured"):
            groups.setdefault(name, []).append([case, "", "", "", ""])
            continue
        outcome = f"{result} ({goal})" if goal and result else goal
        groups.setdefault(name, []).append([case, measured, against, ratio, outcome])
    head = "".join(f"<th>{h}</th>" for h in ("case", "measured", "against", "ratio", "goal: result"))
    body = []
    for name, rows in groups.items():
        body.append(f'<tr><th colspan="5">{escape(name)}</th></tr>')
        body += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows]
    return (
        # a region that may scroll sideways on a narrow screen: focusable, so a keyboard scrolls it
        '<div style="overflow-x:auto" tabindex="0" role="region" aria-label="Benchmark results">'
        '<table class="table perf-notes" '
        f'style="font-size:0.85em">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table></div>"
    )


def machine_line(m: dict) -> str:
    return (
        f"{m.get('cpu')}, {m.get('cores')} cores, {fmt(m.get('ram_gb'))} GB RAM, "
        f"{m.get('os')}; Python {m.get('python')}, NumPy {m.get('numpy')}, "
        f"TensorFlow {m.get('tensorflow')}, Keras {m.get('keras')}, "
        f"OpenCV {m.get('opencv')}"
    )


def machines_markdown(sections: list[dict]) -> str:
    """Which machine each section ran on, and when; one line if they all agree."""
    if not sections:
        return "No results yet: run `make bench`."
    keys = ("cpu", "cores", "ram_gb", "python", "numpy", "tensorflow", "keras", "opencv")
    ident = {tuple(s["machine"].get(k) for k in keys) for s in sections}
    when = ", ".join(f"{s['section']} {s['measured_at'][:10]} ({s['mode']})" for s in sections)
    if len(ident) == 1:
        load = sections[0]["machine"].get("load_average_at_start")
        extra = f" Load average when the first section started: {load}." if load else ""
        return f"**Machine:** {machine_line(sections[0]['machine'])}.{extra}\n\n**Measured:** {when}."
    lines = [
        f"- **{s['section']}** ({s['measured_at'][:10]}): {machine_line(s['machine'])}" for s in sections
    ]
    return "**Machines** (sections were measured on different machines):\n\n" + "\n".join(lines)


def goals_markdown(sections: list[dict]) -> str:
    """A sentence per missed goal (by how much, and the recorded reason), then the goals not
    measured yet, or that all measured goals were met."""
    missed, pending, n_goals = [], [], 0
    for s in sections:
        if s.get("skipped") and not s["rows"]:
            pending.append(f"- **{s['title']}:** {s['skipped']}.")
        for r in s["rows"]:
            if r["goal_met"] is None:
                if r["goal"] and r["value"] is None:
                    pending.append(
                        f"- **{r['name']}, {r['case']}** (goal {r['goal']}): {r['note'] or 'not measured'}."
                    )
                continue
            n_goals += 1
            if not r["goal_met"]:
                why = f" {r['why']}" if r.get("why") else ""
                missed.append(
                    f"- **{r['name']}, {r['case']}:** goal {r['goal']}, measured "
                    f"{fmt(r['value'], r['unit'])}, {verdict(r)}.{why}"
                )
    if not n_goals:
        text = "No goal has been measured yet."
    elif not missed:
        text = f"All {n_goals} measured goals are met."
    else:
        text = f"{len(missed)} of {n_goals} measured goals are missed:\n\n" + "\n".join(missed)
    if pending:
        text += "\n\nNot measured yet:\n\n" + "\n".join(pending)
    return text


def show(directory=None) -> None:
    """Display the machine and the table in a notebook."""
    from IPython.display import HTML, Markdown, display

    sections = load(directory)
    display(Markdown(machines_markdown(sections)))
    display(HTML(html_table(sections)))


def show_goals(sections: list[dict]) -> None:
    """Display which goals are met and, for each missed one, by how much and why."""
    from IPython.display import Markdown, display

    display(Markdown(goals_markdown(sections)))


# ----------------------------------------------------------------------------- experiments
EXPERIMENTS_DIR = RESULTS_DIR / "experiments"


def experiment(name: str) -> dict:
    """A recorded experiment of ``benchmarks/experiments.py`` (``benchmarks/results/
    experiments/NAME.json``: multi-seed trainings and timings that the chapters load instead
    of re-training for minutes)."""
    path = EXPERIMENTS_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.json"))) or "none"
        raise FileNotFoundError(
            f"no recorded experiment {name!r} (known: {known}); "
            f"record it with: python -m benchmarks.experiments --only {name}"
        )
    record = json.loads(path.read_text())
    for key in ("experiment", "measured_at", "machine"):
        if key not in record:
            raise ValueError(f"{path.name} lacks {key!r}; re-record it with benchmarks/experiments.py")
    return record


def playground_epoch(directory: Path = RESULTS_DIR) -> dict | None:
    """The playground benchmark's epoch (``PLAYGROUND_EPOCH_ROW``), or None when it was not
    measured: ``page_s`` (Chromium), ``keras_s`` (Keras single-threaded), ``ratio`` (the two
    medians' ratio, as the row gives it) and ``keras_default_s`` (Keras with TensorFlow's
    default threads, the median of the details' rounds)."""
    import statistics

    path = Path(directory) / "playground.json"
    if not path.is_file():
        return None
    sec = json.loads(path.read_text())
    row = next((r for r in sec["rows"] if r["name"] == PLAYGROUND_EPOCH_ROW), None)
    if row is None or row["value"] is None:
        return None
    default = [k["seconds"] for k in sec["details"]["epoch"]["keras_default_threads"]]
    return {
        "page_s": row["value"],
        "keras_s": row["baseline_value"],
        "ratio": row["ratio"],
        "keras_default_s": statistics.median(default),
    }

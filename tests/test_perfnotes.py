"""helpers.perfnotes: the appendix table is rendered from the JSON, with goals and misses; the
recorded experiments that chapters 14, 14b and 15 load are found and checked."""

import json

import pytest

from helpers import perfnotes

MACHINE = {
    "cpu": "Test CPU",
    "cores": 2,
    "ram_gb": 24.0,
    "os": "Linux",
    "python": "3.11.7",
    "numpy": "2.4.6",
    "tensorflow": "2.21.0",
    "keras": "3.15.1",
    "opencv": "5.0.0",
}


def row(**kw):
    base = dict(
        name="conv2d vs tf.nn.conv2d",
        case="224",
        value=6.0,
        unit="ms",
        baseline="tf.nn.conv2d",
        baseline_value=2.0,
        ratio=3.0,
        goal="≤ 3× TF",
        goal_met=True,
        miss_factor=None,
        note="",
        why="",
    )
    base.update(kw)
    return base


def section(key="conv", rows=(), machine=MACHINE, **kw):
    sec = {
        "schema": 1,
        "section": key,
        "title": key.title(),
        "mode": "default",
        "measured_at": "2026-11-26T17:00:00+00:00",
        "machine": dict(machine),
        "skipped": None,
        "rows": list(rows),
        "details": {},
    }
    sec.update(kw)
    return sec


def test_load_orders_sections_and_checks_schema(tmp_path):
    (tmp_path / "loader.json").write_text(json.dumps(section("loader", [row()])))
    (tmp_path / "conv.json").write_text(json.dumps(section("conv", [row()])))
    assert [s["section"] for s in perfnotes.load(tmp_path)] == ["conv", "loader"]
    bad = section("loader", [row()])
    del bad["rows"][0]["ratio"]
    (tmp_path / "loader.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="row 0 lacks ratio"):
        perfnotes.load(tmp_path)


def test_missing_directory_says_run_make_bench(tmp_path):
    with pytest.raises(FileNotFoundError, match="make bench"):
        perfnotes.load(tmp_path / "nope")


def test_table_shows_ratio_and_missed_factor():
    secs = [
        section(
            rows=[
                row(),
                row(case="6×6", value=9.0, ratio=4.5, goal_met=False, miss_factor=1.5, why="float64"),
            ]
        )
    ]
    rows = perfnotes.table_rows(secs)
    assert perfnotes.HEADER[:3] == ("benchmark", "case", "measured")
    assert rows[0][2:7] == ["6 ms", "tf.nn.conv2d 2 ms", "3×", "≤ 3× TF", "met"]
    assert "missed (1.5× over)" in rows[1]
    goals = perfnotes.goals_markdown(secs)
    assert goals.startswith("1 of 2 measured goals are missed")
    assert "float64" in goals


def test_all_met_and_nothing_measured():
    assert perfnotes.goals_markdown([section(rows=[row()])]) == "All 1 measured goals are met."
    assert perfnotes.goals_markdown([section(rows=[row(goal_met=None)])]).startswith("No goal")


def test_pending_goals_are_listed():
    secs = [
        section(rows=[row()]),
        section("training", [], skipped="helpers.models missing"),
        section(
            "loader",
            [
                row(
                    name="loader",
                    case="book",
                    value=None,
                    goal_met=None,
                    goal="≤ 1.5 GB",
                    note="not measured: no datasets",
                )
            ],
        ),
    ]
    text = perfnotes.goals_markdown(secs)
    assert text.startswith("All 1 measured goals are met.")
    assert "Not measured yet" in text and "helpers.models missing" in text
    assert "(goal ≤ 1.5 GB): not measured: no datasets." in text


def test_skipped_section_is_a_not_measured_row():
    rows = perfnotes.table_rows([section("training", [], skipped="helpers.models missing")])
    assert rows == [["Training", "not measured: helpers.models missing", "", "", "", "", "", ""]]


def test_machine_stated_once_or_per_section():
    one = perfnotes.machines_markdown([section("conv"), section("loader")])
    assert one.startswith("**Machine:** Test CPU, 2 cores, 24 GB RAM")
    assert "TensorFlow 2.21.0" in one
    other = dict(MACHINE, cpu="Other CPU")
    two = perfnotes.machines_markdown([section("conv"), section("loader", machine=other)])
    assert "different machines" in two and "Other CPU" in two


def test_fmt():
    assert perfnotes.fmt(None) == "-"
    assert perfnotes.fmt(12345.6, "s") == "12,346 s"
    assert perfnotes.fmt(0.0004567) == "4.57e-04"
    assert perfnotes.fmt(3.14159, "ms") == "3.14 ms"


def test_html_table_escapes_and_has_one_row_per_result():
    secs = [section(rows=[row(case="<b>", note="x & y"), row()])]
    html = perfnotes.html_table(secs)
    assert html.count("<tr>") == 4  # header, one group row, two results
    assert '<th colspan="5">conv2d vs tf.nn.conv2d</th>' in html
    assert "&lt;b&gt; (x &amp; y)" in html and "<b>" not in html
    assert "<td>met (≤ 3× TF)</td>" in html


# ----------------------------------------------------------------------------- experiments
def test_missing_experiment_names_the_command():
    with pytest.raises(FileNotFoundError, match=r"benchmarks\.experiments --only nothing"):
        perfnotes.experiment("nothing")


def test_experiment_without_its_machine_is_refused(tmp_path, monkeypatch):
    (tmp_path / "half.json").write_text(json.dumps({"experiment": "half", "measured_at": "now"}))
    monkeypatch.setattr(perfnotes, "EXPERIMENTS_DIR", tmp_path)
    with pytest.raises(ValueError, match="machine"):
        perfnotes.experiment("half")


def test_catsdogs_timing_record():
    record = perfnotes.experiment("catsdogs-timing")
    assert 0 < record["validation_ms_per_image"] < record["train_ms_per_image"]
    assert len(record["arrays_ms_per_image"]) == 2 and min(record["arrays_ms_per_image"]) > 0
    assert any("ms per image" in line for line in record["printed"])

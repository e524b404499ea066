"""The benchmark runner still runs (tiny sizes) and writes results in the documented schema.

No timing is asserted anywhere: benchmarks are not tests. This only keeps them from rotting.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import perfnotes, tfenv

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    env = tfenv.child_env(PYTHONPATH=ROOT)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--quick",
            "--only",
            "conv,loader",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return out, p.stdout


def test_writes_one_schema_valid_file_per_section(quick_run):
    out, _ = quick_run
    files = sorted(f.name for f in out.glob("*.json"))
    assert files == ["conv.json", "loader.json"]
    sections = perfnotes.load(out)
    for sec in sections:
        assert sec["mode"] == "quick"
        assert sec["machine"]["cores"] >= 1 and sec["machine"]["python"]
        assert sec["measured_at"].endswith("+00:00")


def test_conv_rows_are_ratios_against_both_libraries(quick_run):
    out, _ = quick_run
    conv = json.loads((out / "conv.json").read_text())
    baselines = {r["baseline"] for r in conv["rows"]}
    assert baselines == {"tf.nn.conv2d", "cv2.filter2D"}
    for r in conv["rows"]:
        assert r["value"] > 0 and r["baseline_value"] > 0
        assert r["ratio"] == pytest.approx(r["value"] / r["baseline_value"], rel=1e-2)
        assert (r["goal_met"] is None) == (r["baseline"] == "cv2.filter2D")
    for case in conv["details"]["cases"]:
        assert max(case["max_relative_difference"].values()) < 1e-4


def test_loader_measures_the_article_approach(quick_run):
    out, _ = quick_run
    loader = json.loads((out / "loader.json").read_text())
    article = [r for r in loader["rows"] if r["case"].startswith("article")]
    assert {r["unit"] for r in article} == {"GB", "images/s"}
    runs = [r for r in loader["details"]["runs"] if r["kind"] == "article"]
    assert [r["images"] for r in runs] == [loader["details"]["n1"], loader["details"]["n2"]]


def test_prints_one_table(quick_run):
    _, stdout = quick_run
    assert "benchmark" in stdout and "ratio" in stdout
    assert "conv2d vs tf.nn.conv2d" in stdout and "loader throughput" in stdout


def test_text_table_has_the_page_tables_rows():
    from benchmarks.run import text_table

    sec = {"title": "Training", "skipped": "helpers.models missing", "rows": []}
    lines = text_table([sec]).splitlines()
    assert lines[0].split() == list(perfnotes.HEADER) and set(lines[1]) == {"-", " "}
    assert lines[2].startswith("Training") and "not measured: helpers.models missing" in lines[2]


def test_unknown_section_is_an_error():
    p = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--only", "nope"], cwd=ROOT, capture_output=True, text=True
    )
    assert p.returncode == 2 and "unknown section" in p.stderr


def test_make_section_compares_parallel_with_serial_and_checks_the_goal(monkeypatch):
    from benchmarks import bench_make

    seconds = iter([400.0, 250.0, 200.0, 20.0, 10.0])  # serial, cold, warm, book cold, warm
    calls = []

    def fake(target, *variables):
        calls.append((target, *variables))
        return {
            "command": "make",
            "seconds": next(seconds),
            "tail": "",
            "returncode": 1 if target == "book" and len(calls) == 5 else 0,
        }

    monkeypatch.setattr(bench_make, "_timed", fake)
    monkeypatch.setattr(bench_make, "_clean", lambda: None)
    sec = perfnotes.check_section(bench_make.run("full"), "make")
    assert calls == [("test", "WORKERS=0"), ("test",), ("test",), ("book",), ("book",)]
    parallel, warm, book = sec["rows"]
    assert (parallel["value"], parallel["baseline_value"], parallel["ratio"]) == (250, 400, 0.625)
    assert parallel["goal_met"] is True and warm["goal_met"] is None
    assert warm["ratio"] == 0.8 and book["note"] == "FAILED: book_warm"
    seconds = iter([400.0, 250.0, 200.0, 20.0, 10.0])
    calls.clear()
    monkeypatch.setattr(
        bench_make,
        "_timed",
        lambda target, *v: {"command": "make", "seconds": next(seconds), "tail": "", "returncode": 2},
    )
    parallel = bench_make.run("full")["rows"][0]
    assert parallel["goal_met"] is None and parallel["note"].startswith("FAILED")

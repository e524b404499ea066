"""The website's answer boxes agree with ``check_answer``: same registry, same verdicts.

``helpers.exercises.answer_spec`` exports what a box needs; ``site/static/exercises.js`` checks
a typed answer in the page. Here Node runs that JavaScript on answers typed the way readers
type them (right, wrong, wrong length, not a number) for every registered exercise, and each
verdict must equal ``is_correct`` on the same value in Python. The built site: every reader
cell ``check_answer(key, None)`` became a box carrying ``answer_spec(key)``. The notebook side:
``check_answer(key, None)`` prints one neutral line.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from site_support import CHAPTER_PAGES, exercise_keys, html_of, notebook_of

from helpers import exercises
from helpers.exercises import answer_spec, check_answer, is_correct

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "site" / "static" / "exercises.js"
NODE = shutil.which("node")
KEYS = sorted(exercises._REGISTRY)


def _typed(values) -> str:
    """How a reader types numbers: '17, 5'; a single number as is."""
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _cases():
    """(key, typed text, the same answer as a Python value or None when it is not one)."""
    cases = []
    for key in KEYS:
        spec = answer_spec(key)
        if spec["kind"] != "number":
            cases += [
                (key, spec["expected"], spec["expected"]),
                (key, f"  {spec['expected'].upper()} ", spec["expected"]),
                (key, spec["expected"] + " not", spec["expected"] + " not"),
            ]
            continue
        flat, shape = spec["expected"], spec["shape"]
        right = np.reshape(flat, shape).tolist() if shape else flat[0]
        off = [v + 1 + abs(v) for v in flat]
        wrong = np.reshape(off, shape).tolist() if shape else off[0]
        cases += [
            (key, _typed(flat), right),
            (key, _typed(off), wrong),
            (key, f"[{_typed(flat)}]", right),
            (key, _typed(flat + [1]), flat + [1]),  # one number too many
            (key, "abc", None),
        ]
        if not shape and abs(flat[0]) >= 1000 and float(flat[0]).is_integer():
            cases.append((key, f"{int(flat[0]):,}", right))  # thousands separators
    return cases


def test_answer_spec_is_the_registry():
    for key in KEYS:
        spec, ex = answer_spec(key), exercises._REGISTRY[key]
        assert spec["why"] == ex.why and spec["hint"] == ex.hint
        expected = ex.expected()
        if spec["kind"] == "number":
            assert np.allclose(np.reshape(spec["expected"], spec["shape"]), expected, atol=0)
            assert spec["tol"] == ex.tol
            json.dumps(spec)  # goes into the page as JSON
        else:
            assert spec["expected"] == expected


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_page_javascript_agrees_with_check_answer(tmp_path):
    cases = _cases()
    specs = {key: answer_spec(key) for key in KEYS}
    (tmp_path / "cases.json").write_text(json.dumps({"specs": specs, "cases": cases}))
    script = (
        f"const ex = require({json.dumps(str(JS))});"
        f"const d = require({json.dumps(str(tmp_path / 'cases.json'))});"
        "console.log(JSON.stringify(d.cases.map(([k, text]) => ex.check(d.specs[k], text).ok)));"
    )
    res = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    verdicts = json.loads(res.stdout)
    for (key, text, value), ok in zip(cases, verdicts):
        want = False if value is None else is_correct(key, value)
        assert ok == want, f"{key}: the page says {ok} for {text!r}, check_answer says {want}"
    assert sum(verdicts) >= len(KEYS)  # every exercise's right answer is accepted


def test_unanswered_prints_one_neutral_line(capsys):
    for key in KEYS:
        check_answer(key, None)
        out = capsys.readouterr().out
        assert out == exercises.unanswered_line(key) + "\n"
        assert "Not quite" not in out and "Correct" not in out


def test_choice_exercise_offers_its_answer():
    @exercises.exercise("test-choice", why="because", hint="look", options=("max", "average"))
    def _choice():
        return "max"

    @exercises.exercise("test-choice-bad", why="", hint="", options=("a", "b"))
    def _bad():
        return "c"

    try:
        spec = answer_spec("test-choice")
        assert spec["kind"] == "choice" and spec["options"] == ["max", "average"]
        with pytest.raises(ValueError, match="not one of its options"):
            answer_spec("test-choice-bad")
    finally:
        del exercises._REGISTRY["test-choice"], exercises._REGISTRY["test-choice-bad"]


READING = json.loads((ROOT / "tests" / "js" / "fixtures" / "answer_reading.json").read_text("utf-8"))


def test_check_answer_reads_typed_numbers_by_the_shared_rule():
    """A string given to check_answer is read by the rule the page uses (the same table of
    cases as tests/js/exercises.test.js)."""
    assert READING["max_chars"] == exercises.MAX_ANSWER_CHARS
    wrong = [
        (c, got)
        for c in READING["cases"]
        if (got := exercises.read_numbers(c["text"], c["count"])) != c["reading"]
    ]
    assert wrong == []


def _typed_cases():
    """(count, text, expected values): each case of the table, checked against its own
    reading when it has one of the right length, else against ones."""
    for c in READING["cases"]:
        r, n = c["reading"], c["count"]
        yield n, c["text"], r if isinstance(r, list) and len(r) == n else [1] * n


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_page_and_check_answer_say_the_same_of_typed_text(tmp_path):
    """Same verdict and same words, page and notebook, for every typed case of the table
    (0x15, 2_1, Arabic-Indic digits, U+2212, too long, ...)."""
    cases = list(_typed_cases())
    (tmp_path / "typed.json").write_text(json.dumps(cases))
    script = (
        f"const ex = require({json.dumps(str(JS))});"
        f"const d = require({json.dumps(str(tmp_path / 'typed.json'))});"
        "console.log(JSON.stringify(d.map(([n, text, want]) => {"
        " const r = ex.check({kind: 'number', expected: want, shape: n === 1 ? [] : [n],"
        " tol: 1e-6}, text); return [r.ok, r.detail]; })));"
    )
    res = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    page = json.loads(res.stdout)
    differ = []
    for (n, text, want), (ok, detail) in zip(cases, page):
        py = exercises._compare(text, want[0] if n == 1 else np.array(want), 1e-6)
        if (ok, detail) != py:
            differ.append((text, n, (ok, detail), py))
    assert differ == []


def test_check_answer_typed_text(capsys):
    key = next(k for k in KEYS if answer_spec(k)["kind"] == "number" and not answer_spec(k)["shape"])
    value = answer_spec(key)["expected"][0]
    check_answer(key, str(value).replace("-", "\u2212"))
    assert capsys.readouterr().out.startswith("Correct.")
    check_answer(key, "   ")
    assert capsys.readouterr().out == "No answer yet: type your answer first.\n"
    check_answer(key, "1" * 201)
    assert "longer than 200 characters" in capsys.readouterr().out


def test_reading_is_linear_in_the_length():
    """100,000 characters shaped to make a backtracking pattern slow (long runs of spaces,
    digits, signs, brackets) read in well under a second, and the box's limit refuses them
    before any reading."""
    import time

    n = 100_000
    for text in (
        "1" + " " * n + "1",
        "[1" + " " * n + "x",
        "1" * n + "x",
        "1 " * (n // 2) + "x",
        "111 " * (n // 4) + "x",
        "1," * (n // 2),
        "-" * n,
        "1e" * (n // 2),
        "(" * n + ")",
    ):
        for count in (1, 2):
            t0 = time.perf_counter()
            exercises.read_numbers(text, count, max_chars=None)
            assert time.perf_counter() - t0 < 0.25, (text[:12], count)
            assert exercises.read_numbers(text, count) == "too-long"


def test_answer_box_has_the_length_limit():
    from site_support import OFFLINE

    for key in KEYS:
        spec = answer_spec(key)
        if spec["kind"] != "choice":
            box = OFFLINE.exercise_box(spec, "x")
            assert f'maxlength="{exercises.MAX_ANSWER_CHARS}"' in box, key


def test_answer_box_submission_goes_nowhere():
    """A box is a form with method="dialog" and no action: submitted with no script to stop
    it, it loads no page (the browser side: tests/test_livecode_page.py)."""
    from site_support import OFFLINE

    for key in KEYS:
        box = OFFLINE.exercise_box(answer_spec(key), "x")
        form = re.match(r"<form [^>]*>", box).group(0)
        assert ' method="dialog"' in form and "action=" not in form, (key, form)


def test_answer_boxes_carry_the_registry(site):
    """Each reader cell check_answer("key", None) became an answer box on its page of the built
    site, and the box's data is what helpers.exercises exports for that key today (one source;
    here, where the module's other tests compute the same answers)."""
    total = 0
    for page in CHAPTER_PAGES:
        found = [
            json.loads(html.unescape(m))
            for m in re.findall(r'<form class="cnn-exercise"[^>]*data-exercise="([^"]*)"', html_of(page))
        ]
        assert [f["key"] for f in found] == exercise_keys(notebook_of(page)), page
        for spec in found:
            assert spec == json.loads(json.dumps(answer_spec(spec["key"]))), (page, spec["key"])
        total += len(found)
    assert total >= 15, "too few answer boxes: are the reader cells check_answer(key, None)?"

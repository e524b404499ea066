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
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from site_support import CHAPTER_PAGES, OFFLINE, exercise_keys, html_of, notebook_of

from helpers import exercises
from helpers.exercises import answer_spec, check_answer, is_correct

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "site" / "static" / "exercises.js"
NODE = shutil.which("node")
KEYS = sorted(exercises._REGISTRY)


def exercise_keys_of_cell(cell) -> list[str]:
    if cell["cell_type"] != "code":
        return []
    return [m.group("key") for m in OFFLINE.CHECK_RE.finditer("".join(cell["source"]))]


def _typed(values) -> str:
    """How a reader types numbers: '17, 5'; a single number as is."""
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _cases():
    """(key, typed text, the same answer as a Python value or None when it is not one)."""
    cases = []
    for key in KEYS:
        spec = answer_spec(key)
        if spec["kind"] == "choice":
            right, other = spec["expected"], next(o for o in spec["options"] if o != spec["expected"])
            cases += [
                (key, text, text)
                for text in (
                    right,
                    f"  {right.upper()} ",
                    f'"{right}"',
                    f"{right}.",
                    f"({right}), because of what the chapter shows",
                    f"{other}, because of what the chapter shows",
                    f"not {right}",
                    f"{right}x",
                )
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
    choices = [(k, t) for (k, t, _), ok in zip(cases, verdicts) if specs[k]["kind"] == "choice" and ok]
    assert len(choices) == 5 * sum(s["kind"] == "choice" for s in specs.values())  # the 5 ways to say it


def test_every_text_answer_is_a_choice_the_question_offers():
    """An exercise answered in words is a choice among options, and its question in the chapter
    (the cell just before ``check_answer(key, None)``) offers each option as ``"option"``."""
    offered = {}
    for page in CHAPTER_PAGES:
        cells = json.loads(notebook_of(page).read_text(encoding="utf-8"))["cells"]
        for before, cell in itertools.pairwise(cells):
            for key in exercise_keys_of_cell(cell):
                offered[key] = "".join(before["source"])
    for key in KEYS:
        if isinstance(exercises._REGISTRY[key].expected(), str):
            spec = answer_spec(key)
            assert spec["kind"] == "choice" and len(spec["options"]) >= 2, key
            missing = [o for o in spec["options"] if f'`"{o}"`' not in offered[key]]
            assert missing == [], (key, missing)


def test_unanswered_prints_one_neutral_line(capsys):
    for key in KEYS:
        check_answer(key, None)
        out = capsys.readouterr().out
        assert out == exercises.unanswered_line(key) + "\n"
        assert "Not quite" not in out and "Correct" not in out
        assert key not in out  # the registry's key means nothing to a reader
    line = exercises.unanswered_line(KEYS[0])
    assert line == "Put your answer in place of None, then run this cell to check it."


def test_choice_exercise_offers_its_answer():
    @exercises.exercise("test-choice", why="because", hint="look", options=("max", "average"))
    def _choice():
        return "max"

    @exercises.exercise("test-choice-bad", why="", hint="", options=("a", "b"))
    def _bad():
        return "c"

    @exercises.exercise("test-words", why="", hint="")
    def _words():
        return "max"

    try:
        spec = answer_spec("test-choice")
        assert spec["kind"] == "choice" and spec["options"] == ["max", "average"]
        with pytest.raises(ValueError, match="not one of its options"):
            answer_spec("test-choice-bad")
        with pytest.raises(ValueError, match="no options: register them"):
            answer_spec("test-words")
    finally:
        for key in ("test-choice", "test-choice-bad", "test-words"):
            del exercises._REGISTRY[key]


@pytest.mark.parametrize("options", [("Yes", "no"), ("a b", "c"), ("a", "a"), ("\u00e9", "e"), (1, 2)])
def test_options_are_distinct_lowercase_words(options):
    with pytest.raises(ValueError, match="options must be distinct lowercase words"):
        exercises.exercise("test-options", why="", hint="", options=options)
    assert "test-options" not in exercises._REGISTRY


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


CHOICES = json.loads((ROOT / "tests" / "js" / "fixtures" / "answer_choices.json").read_text("utf-8"))


def test_check_answer_reads_typed_choices_by_the_shared_rule():
    """A choice given to check_answer is read by the rule the page uses (the same table of
    cases as tests/js/exercises.test.js): the choice first, never what follows it."""
    assert CHOICES["max_chars"] == exercises.MAX_ANSWER_CHARS
    assert CHOICES["extra_separators"] == exercises._EXTRA_SEPARATORS
    wrong = [
        (c, got)
        for c in CHOICES["cases"]
        if (got := exercises.read_choice(c["text"], c["options"])) != c["reading"]
    ]
    assert wrong == []


def test_check_answer_says_what_the_table_says_of_a_choice(capsys):
    """Each verdict of the table, word for word, printed by check_answer."""

    def fake(expected, options):
        @exercises.exercise("test-table", why="W", hint="H", options=options)
        def _fake():
            return expected

    said = []
    for c in CHOICES["verdicts"]:
        fake(c["expected"], tuple(c["options"]))
        try:
            check_answer("test-table", c["text"])
            said.append((c["text"], capsys.readouterr().out, c["message"] + "\n"))
        finally:
            del exercises._REGISTRY["test-table"]
    assert [s for s in said if s[1] != s[2]] == []


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


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_page_says_what_the_table_says_of_a_choice(tmp_path):
    """The page's box, on every case of the choices table: the same reading and, for each
    verdict, the same sentence as check_answer."""
    script = (
        f"const ex = require({json.dumps(str(JS))});"
        f"const d = require({json.dumps(str(ROOT / 'tests' / 'js' / 'fixtures' / 'answer_choices.json'))});"
        "console.log(JSON.stringify({"
        " readings: d.cases.map(c => ex.readChoice(c.text, c.options)),"
        " messages: d.verdicts.map(c => { const spec = {kind: 'choice', expected: c.expected,"
        "  options: c.options, why: 'W', hint: 'H'}; return ex.message(spec, ex.check(spec, c.text)); })"
        "}));"
    )
    res = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    page = json.loads(res.stdout)
    assert [(c["text"], r) for c, r in zip(CHOICES["cases"], page["readings"]) if r != c["reading"]] == []
    assert [(c["text"], m) for c, m in zip(CHOICES["verdicts"], page["messages"]) if m != c["message"]] == []


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
    """Texts shaped to make a backtracking pattern slow (long runs of spaces, digits, signs,
    brackets) take about four times as long to read at 100,000 characters as at 25,000 (a
    ratio of the process's CPU time, best of five, so other work on a busy machine does not
    decide it: linear reading gives 4, quadratic 16), and the box's limit refuses them before
    any reading."""
    import time

    def seconds(text, count):
        best = float("inf")
        for _ in range(5):
            t0 = time.thread_time()
            exercises.read_numbers(text, count, max_chars=None)
            best = min(best, time.thread_time() - t0)
        return max(best, 1e-4)  # below 0.1 ms the clock, not the reading, decides

    shapes = (
        lambda n: "1" + " " * n + "1",
        lambda n: "[1" + " " * n + "x",
        lambda n: "1" * n + "x",
        lambda n: "1 " * (n // 2) + "x",
        lambda n: "111 " * (n // 4) + "x",
        lambda n: "1," * (n // 2),
        lambda n: "-" * n,
        lambda n: "1e" * (n // 2),
        lambda n: "(" * n + ")",
    )
    for shape in shapes:
        for count in (1, 2):
            ratio = seconds(shape(100_000), count) / seconds(shape(25_000), count)
            assert ratio < 8, (shape(12), count, round(ratio, 1))
            assert exercises.read_numbers(shape(100_000), count) == "too-long"


def test_answer_box_has_the_length_limit():
    for key in KEYS:
        spec = answer_spec(key)
        if spec["kind"] != "choice":
            box = OFFLINE.exercise_box(spec, "x")
            assert f'maxlength="{exercises.MAX_ANSWER_CHARS}"' in box, key


def _cell(source: str):
    """A notebook code cell as myst-nb puts it in a doctree: its code, then its output."""
    from docutils import nodes

    code = nodes.container("", nodes.literal_block(source, source), classes=["cell_input"])
    out = nodes.container("", nodes.literal_block("printed", "printed"), classes=["cell_output"])
    return nodes.container("", code, out, classes=["cell"])


def _doctree(*parts):
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    doc = new_document("test", get_default_settings(Parser))
    doc.extend(nodes.raw(p, p, format="html") if isinstance(p, str) else p for p in parts)
    return doc


def test_boxes_are_titled_as_the_chapter_and_leave_out_the_code():
    """The box of a reader cell is labelled with the title of the exercise just before it
    ("Exercise 2: your answer ..."), never with the registry's key, and the cell's code, which
    asks to replace None, is not on the page."""
    key = next(k for k in KEYS if answer_spec(k)["kind"] == "number")
    doc = _doctree(
        '<div class="admonition exercise">\n<p class="admonition-title">Exercise 1 (predict)</p>',
        "</div>",
        '<div class="admonition exercise">\n<p class="admonition-title">Exercise 2</p>',
        "</div>",
        _cell(f'check_answer("{key}", None)  # replace None with your answer'),
    )
    assert OFFLINE.add_exercise_boxes(doc, "test") == 1
    cell = doc.children[-1]
    assert [c["classes"] for c in cell.children] == [["cell_output", "docutils", "container"]]
    label = re.search(r"<label [^>]*>([^<]*)</label>", cell.astext()).group(1)
    assert label.startswith("Exercise 2: your answer (") and key not in label, label


def test_a_box_without_an_exercise_title_is_a_build_warning(caplog):
    key = KEYS[0]
    doc = _doctree("<p>no exercise here</p>", _cell(f'check_answer("{key}", None)'))
    with caplog.at_level("WARNING"):
        OFFLINE.add_exercise_boxes(doc, "chapters/x")
    assert any("has no exercise title before it" in r.getMessage() for r in caplog.records)


def _titles(nb) -> list[str]:
    """The title of each reader cell's exercise in a chapter ("Exercise 1"), in order."""
    titles, last = [], None
    for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            last = (re.findall(r"<p class=\"admonition-title\">(Exercise [0-9]+)", source) or [last])[-1]
        titles += [last] * len(exercise_keys_of_cell(cell))
    return titles


def test_answer_box_submission_goes_nowhere():
    """A box is a form with method="dialog" and no action: submitted with no script to stop
    it, it loads no page (the browser side: tests/test_livecode_page.py)."""
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


def test_answer_boxes_say_the_chapters_titles_instead_of_the_code(site):
    """On the built site each box is labelled as its chapter titles the exercise ("Exercise 1:
    your answer ..."), and no page shows a check_answer(..., None) cell to edit."""
    for page in CHAPTER_PAGES:
        text = html_of(page)
        labels = re.findall(r'<form class="cnn-exercise".*?<label [^>]*>([^<]*)</label>', text, re.S)
        titles = _titles(notebook_of(page))
        assert [lab.split(":")[0] for lab in labels] == titles, page
        assert all(": your answer (" in lab for lab in labels), (page, labels)
        assert not OFFLINE.CHECK_RE.search(html.unescape(re.sub(r"<[^>]+>", "", text))), page


def test_reading_a_choice_is_linear_in_the_length():
    import time

    n = 100_000
    for text in (" " * n + "x", '"' * n, "no" + "a" * n, "(" * n + "no"):
        t0 = time.perf_counter()
        exercises.read_choice(text, ("yes", "no"), max_chars=None)
        assert time.perf_counter() - t0 < 0.25, text[:12]
        assert exercises.read_choice(text, ("yes", "no")) == {"problem": "too-long"}

"""The chapters' pages as a reader sees them, by part (``PARTS``: Part I is chapters 01-06 and 06b,
Part II 07-12, Part III 13-16 with 14b, Part IV 17-20, Part V 21), each check run on every
chapter of the parts it applies to.

The same for every part:

* visible code cells hold no book plumbing (glue, ``SweepFrames``, ``%config``): it stays in
  hidden cells;
* every exercise is asked in a code cell as ``check_answer("key", None)``, never with an answer
  pre-filled, and answered in a folded answer box after the question; each key is asked once in its
  part, and the keys a part asks are the ones its ``helpers.exercises`` modules register;
* a chapter has at least three exercises, each titled with what it asks ("Exercise 3
  (predict)"): at least two thirds predict, design, explain, write code or diagnose, at most two
  are formula drills ("(compute)");
* every "Article error" box has the class, the unique name and the two paragraphs that the
  errata index (``book.errata``) reads.

Where the parts differ, a setting of ``Part`` says how:

* ``short_cells``: Parts I and II keep a visible cell to one to three lines that teach, longer
  only for a loop (Part I) or a loop or ``try`` (Part II: chapter 10 shows a failing call in a
  ``try``), up to ten; Part III (whole Keras models, training loops) has no length rule;
* ``key``: Part I's and II's exercise keys are words (``case2-width-3``), Part III's are
  numbered (``13.1``, ``14b.2``);
* ``answer_after``: in Parts I and II the answer box is the very next cell; in Part III it is the
  next cell a reader sees (chapter 16 has hidden cells in between);
* ``gaps_allowed``: Part I has "Article gap" boxes (chapters 05, 06), the later parts none;
* ``min_errata``: Part II has at least 13 "Article error" boxes.

Then the claims some chapters make about libraries, checked by running them: Keras' Conv2D
parameter counts (chapter 05), and the article's Keras 2 imports that chapter 13 says fail do
fail in the committed outputs (a lint fix once turned them into ``pass``, and the page went on
saying they fail)."""

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import data, exercises, ops
from helpers.exercises import explorer, part1, part2, part3, part4, part5

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"remove-cell", "remove-input", "hide-input", "colab-setup"}
PLUMBING = ("glue", "SweepFrames", "%config")
ERRATUM = re.compile(
    r'^<details class="erratum"(?P<attrs>[^>]*)>\n<summary>Article error: (?P<title>.+?)</summary>\n'
    r"(?P<body>.*?)^</details>",
    re.S | re.M,
)
EXERCISE_TITLE = re.compile(
    r'^<div class="admonition exercise">\n<p class="admonition-title">(Exercise \d+[^<]*)</p>', re.M
)
ASKED = re.compile(r"check_answer\((.*)\)")


@dataclass(frozen=True)
class Part:
    name: str
    chapters: tuple[str, ...]  # the file name prefixes of its chapters, in reading order
    registries: tuple  # the helpers.exercises modules that register its exercises
    short_cells: str | None  # what lets a visible cell run to ten lines; None: no length rule
    key: str  # the pattern of its exercise keys
    answer_after: str  # "next cell" or "next shown cell"
    gaps_allowed: bool  # "Article gap" boxes allowed
    min_errata: int  # "Article error" boxes in the part, at least

    def paths(self) -> list[Path]:
        return [path for prefix in self.chapters for path in (ROOT / "chapters").glob(f"{prefix}_*.ipynb")]


PARTS = (
    Part(
        "I",
        ("01", "02", "03", "04", "05", "06", "06b"),
        (part1,),
        short_cells=r"^\s*for .* in ",
        key=r"[\w-]+",
        answer_after="next cell",
        gaps_allowed=True,
        min_errata=0,
    ),
    Part(
        "II",
        ("07", "08", "09", "10", "11", "12"),
        (part2,),
        short_cells=r"^\s*(for .* in |try:)",
        key=r"[\w-]+",
        answer_after="next cell",
        gaps_allowed=False,
        min_errata=11,  # 15 less what chapters 9, 11 and 12 now teach as holding (no box)
    ),
    Part(
        "III",
        ("13", "14", "14b", "15", "16"),
        (part3, explorer),
        short_cells=None,
        key=r"[\w.-]+",
        answer_after="next shown cell",
        gaps_allowed=False,
        min_errata=0,
    ),
    Part(
        "IV",
        ("17", "18", "19", "20"),
        (part4,),
        short_cells=None,
        key=r"[\w.-]+",
        answer_after="next shown cell",
        gaps_allowed=False,
        min_errata=0,
    ),
    Part(
        "V",
        ("21",),
        (part5,),
        short_cells=None,
        key=r"[\w.-]+",
        answer_after="next shown cell",
        gaps_allowed=False,
        min_errata=0,
    ),
)
CHAPTERS = [pytest.param(part, path, id=path.stem) for part in PARTS for path in part.paths()]


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _hidden(cell) -> bool:
    return bool(HIDDEN & set(cell.metadata.get("tags", [])))


def _stream_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def _asked(path, part):
    """[(key, cell index)] of the exercises a chapter asks, each checked as it is found: a code
    cell, ``check_answer("key", None)`` exactly, the answer's box after it."""
    cells, asked = _cells(path), []
    for n, cell in enumerate(cells):
        for m in ASKED.finditer(cell.source):
            call = m.group(1).split("#")[0].strip()
            where = (path.name, n, call)
            assert cell.cell_type == "code", where
            assert re.fullmatch(rf'"{part.key}", None', call), where  # never pre-filled
            later = cells[n + 1 :]
            if part.answer_after == "next shown cell":
                later = [c for c in later if c.cell_type == "markdown" or not _hidden(c)]
            assert later and later[0].cell_type == "markdown", where
            assert later[0].source.startswith('<details class="answer">\n<summary>Answer</summary>'), where
            asked.append((call.split('"')[1], n))
    return asked


def _errata(path, part):
    """The names of a chapter's "Article error" boxes, each box checked as it is found."""
    names = []
    for cell in _cells(path):
        if cell.cell_type != "markdown":
            continue
        assert part.gaps_allowed or "Article gap" not in cell.source, path.name
        for m in ERRATUM.finditer(cell.source):
            where = (path.name, m.group("title"))
            assert re.fullmatch(r' id="erratum-[a-z0-9]+(-[a-z0-9]+)*"', m.group("attrs")), where
            assert "**The article:**" in m.group("body") and "**Correct:**" in m.group("body"), where
            names.append(m.group("attrs"))
    return names


def test_every_chapter_is_in_one_part():
    found = [path.name for part in PARTS for path in part.paths()]
    numbered = sorted(p.name for p in (ROOT / "chapters").glob("[0-8]*.ipynb"))
    assert sorted(found) == numbered and len(set(found)) == len(found)
    for part in PARTS:
        assert [p.stem.split("_")[0] for p in part.paths()] == list(part.chapters), part.name


@pytest.mark.parametrize("part, path", CHAPTERS)
def test_visible_code_cells_are_short_and_hold_no_plumbing(part, path):
    for cell in _cells(path):
        if cell.cell_type != "code" or _hidden(cell):
            continue
        src = cell.source
        assert not [word for word in PLUMBING if word in src], src
        if part.short_cells is not None:
            lines = [line for line in src.splitlines() if line.strip()]
            limit = 10 if re.search(part.short_cells, src, re.M) else 3
            assert 1 <= len(lines) <= limit, src


@pytest.mark.parametrize("part, path", CHAPTERS)
def test_exercises_are_asked_with_none_and_answered_after(part, path):
    _asked(path, part)


@pytest.mark.parametrize("part", PARTS, ids=lambda part: f"part{part.name}")
def test_a_part_asks_each_of_its_registered_exercises_once(part):
    asked = [key for path in part.paths() for key, _ in _asked(path, part)]
    registered = {
        k
        for k, ex in exercises._REGISTRY.items()
        if ex.expected.__module__ in {m.__name__ for m in part.registries}
    }
    assert len(asked) == len(set(asked))
    assert set(asked) == registered


#: what an exercise may ask, as its title says it: "Exercise 3 (predict)"; "compute" is a
#: formula drill, the others ask the reader to think
THINKING = ("predict", "design", "explain", "write code", "diagnose")
DRILL = "compute"


@pytest.mark.parametrize("part, path", CHAPTERS)
def test_exercises_mostly_ask_the_reader_to_think(part, path):
    """At least three exercises, each titled with what it asks; at least two thirds predict,
    design, explain, write code or diagnose; at most two formula drills."""
    text = "\n".join(c.source for c in _cells(path) if c.cell_type == "markdown")
    titles = EXERCISE_TITLE.findall(text)
    kinds = [m.group(1) if (m := re.search(r"\(([a-z ]+)\)", t)) else None for t in titles]
    assert len(titles) >= 3, titles
    assert all(k in (*THINKING, DRILL) for k in kinds), titles
    assert 3 * sum(k in THINKING for k in kinds) >= 2 * len(kinds), titles
    assert kinds.count(DRILL) <= 2, titles


@pytest.mark.parametrize("part, path", CHAPTERS)
def test_erratum_boxes_follow_the_index_format(part, path):
    _errata(path, part)


@pytest.mark.parametrize("part", PARTS, ids=lambda part: f"part{part.name}")
def test_erratum_names_are_unique_in_the_book(part):
    book = [name for p in PARTS for path in p.paths() for name in _errata(path, p)]
    mine = [name for path in part.paths() for name in _errata(path, part)]
    assert len(book) == len(set(book))
    assert len(mine) >= part.min_errata


def test_keras_conv2d_counts_of_chapter_5(tf):
    import keras

    layer = keras.layers.Conv2D(2, (1, 2))
    layer.build((None, 17, 4, 1))
    no_bias = keras.layers.Conv2D(2, (1, 2), use_bias=False)
    no_bias.build((None, 17, 4, 1))
    assert layer.count_params() == ops.conv_params(1, 2, 1, 2) == 6
    assert no_bias.count_params() == ops.conv_params(1, 2, 1, 2, bias=False) == 4
    bank = np.stack([data.load("case2_weights")[0], data.load("case4_weights")[0]], -1)
    bank = bank.reshape(1, 2, 1, 2)
    no_bias.set_weights([bank.astype("float32")])
    b = data.load("image_b")
    out = no_bias(b[None, :, :, None].astype("float32")).numpy()[0]
    np.testing.assert_allclose(out, ops.conv2d(b, bank), rtol=1e-5)


def test_keras_conv2d_computes_the_two_channel_layer_of_chapter_7(tf):
    """Chapter 7's input of two channels and its two filters of 2×2×2 weights: Keras' Conv2D,
    given the same weights and biases, outputs the volume helpers.ops and the page player give."""
    import keras

    from helpers.sweep import ChannelSweep

    x, kernels, biases = data.two_channel()
    layer = keras.layers.Conv2D(2, (2, 2))
    layer.build((None, 4, 4, 2))
    layer.set_weights([kernels.astype("float32"), biases.astype("float32")])
    assert layer.count_params() == ops.conv_params(2, 2, 2, 2) == 18
    out = layer(x[None].astype("float32")).numpy()[0]
    np.testing.assert_allclose(out, ops.conv2d(x, kernels, bias=biases), rtol=1e-6)
    for f in range(2):
        np.testing.assert_allclose(out[:, :, f], ChannelSweep(x, kernels[..., f], biases[f]).out, rtol=1e-6)


def test_chapter13_keras2_imports_fail_on_the_page_and_the_fixes_run():
    cells = _cells(ROOT / "chapters" / "13_article_keras_model.ipynb")
    code = [c for c in cells if c.cell_type == "code"]
    faults = [c for c in code if "faults.report()" in c.source and "np_utils" in c.source]
    assert len(faults) == 1, "the cell that runs the article's Keras 2 imports is missing"
    shown = _stream_text(faults[0])
    for module in ("keras.utils.np_utils", "keras.layers.convolutional"):
        assert f"from {module} import" in faults[0].source
        assert f"No module named '{module}'" in shown, shown
    fixes = [c for c in code if "from keras.utils import to_categorical" in c.source]
    assert len(fixes) == 1 and "from keras.layers import Conv2D" in fixes[0].source
    assert _stream_text(fixes[0]).strip() == "no error"

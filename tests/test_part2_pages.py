"""Part II pages (chapters 07-12): readers answer exercises with ``None`` and the answer comes
in a dropdown after the question; every Part II exercise is asked; every "Article error" box
has the index format; visible code cells are short, and at least half of the exercises ask
for a prediction, a design or an explanation (the rules of Part I's pages)."""

import re
from pathlib import Path

import pytest

from helpers import exercises

CHAPTERS = sorted((Path(__file__).resolve().parent.parent / "chapters").glob("1[0-2]_*.ipynb")) + \
    sorted((Path(__file__).resolve().parent.parent / "chapters").glob("0[7-9]_*.ipynb"))


def test_part2_chapters_ask_with_none_and_use_every_registered_key():
    """Reader cells are ``check_answer("key", None)``; every Part II key is asked somewhere,
    and its answer dropdown comes after the question's cell."""
    import nbformat

    from helpers.exercises import part2

    asked = set()
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        for n, cell in enumerate(nb.cells):
            for key, arg in re.findall(r'check_answer\("([^"]+)",\s*([^)]*)\)', cell.source):
                assert cell.cell_type == "code" and arg.strip() == "None", (path.name, n, key, arg)
                asked.add(key)
                following = nb.cells[n + 1]
                assert following.cell_type == "markdown" and ":class: dropdown" in following.source, \
                    (path.name, n, key)
    registered = {k for k, ex in exercises._REGISTRY.items()
                  if ex.expected.__module__ == part2.__name__}
    assert asked == registered


def test_part2_erratum_boxes_follow_the_index_format():
    """Every 'Article error' box of chapters 07-12 has the class, the unique name and the two
    paragraphs that the generated errata index reads."""
    import nbformat

    box = re.compile(r"```\{admonition\} Article error: (.+?)\n(.*?)\n```", re.S)
    names = []
    for path in CHAPTERS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            assert "Article gap" not in cell.source, path.name
            for title, body in box.findall(cell.source):
                lines = body.splitlines()
                assert lines[0] == ":class: warning erratum", (path.name, title)
                assert re.fullmatch(r":name: erratum-[a-z0-9]+(-[a-z0-9]+)*", lines[1]), (path.name, title)
                assert "**The article:**" in body and "**Correct:**" in body, (path.name, title)
                names.append(lines[1])
    assert len(names) == len(set(names)) >= 15


HIDDEN = {"remove-cell", "remove-input", "hide-input", "colab-setup"}


def _code_cells(path):
    import nbformat

    return [(c.source, set(c.metadata.get("tags", []))) for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "code"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_visible_code_cells_are_short_and_hold_no_plumbing(path):
    """As in Part I: a visible cell holds one to three lines that teach (a loop up to ten), and
    book plumbing (glue, figure formats) stays in hidden cells."""
    for src, tags in _code_cells(path):
        if HIDDEN & tags:
            continue
        lines = [line for line in src.splitlines() if line.strip()]
        limit = 10 if re.search(r"^\s*(for .* in |try:)", src, re.M) else 3   # a loop or try may be longer
        assert 1 <= len(lines) <= limit, src
        assert "glue_numbers" not in src and "%config" not in src, src


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_at_least_half_of_the_exercises_predict_design_or_explain(path):
    import nbformat

    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    titles = re.findall(r"\{admonition\} (Exercise \d+[^\n]*)", text)
    kinds = [t for t in titles if re.search(r"\((predict|design|explain)\)", t)]
    assert len(titles) >= 3 and 2 * len(kinds) >= len(titles), titles

"""Part II pages (chapters 07-12): readers answer exercises with ``None`` and the answer comes
in a dropdown after the question; every Part II exercise is asked; every "Article error" box
has the index format."""

import re
from pathlib import Path

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

"""Part III pages (chapters 13-16, with 14b): book plumbing (glue) stays in hidden cells; every
exercise is asked with ``None`` and answered in a dropdown after it; and the article's faults
that chapter 13 says fail do fail in the committed outputs (a lint fix once turned the failing
Keras 2 imports into ``pass``, and the page went on saying they fail)."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("1[3-6]*.ipynb"))
HIDDEN = {"remove-cell", "remove-input", "hide-input", "colab-setup"}


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def test_part3_chapters_are_found():
    assert [p.stem[:3] for p in CHAPTERS] == ["13_", "14_", "14b", "15_", "16_"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glue_stays_in_hidden_cells(path):
    for n, cell in enumerate(_cells(path)):
        if cell.cell_type == "code" and not HIDDEN & set(cell.metadata.get("tags", [])):
            assert "glue" not in cell.source, (path.name, n)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_are_asked_with_none_and_answered_after(path):
    cells = _cells(path)
    for n, cell in enumerate(cells):
        for key, arg in re.findall(r'check_answer\("([^"]+)",\s*([^)]*)\)', cell.source):
            assert arg.strip() == "None", (path.name, n, key)
            following = next(c for c in cells[n + 1:]                 # the next cell shown
                             if c.cell_type == "markdown" or not HIDDEN & set(c.metadata.get("tags", [])))
            assert following.cell_type == "markdown" and ":class: dropdown" in following.source, \
                (path.name, n, key)


def test_chapter13_keras2_imports_fail_on_the_page_and_the_fixes_run():
    cells = _cells(ROOT / "chapters" / "13_article_keras_model.ipynb")
    code = [c for c in cells if c.cell_type == "code"]
    faults = [c for c in code if "faults.report()" in c.source and "np_utils" in c.source]
    assert len(faults) == 1, "the cell that runs the article's Keras 2 imports is missing"
    shown = _text(faults[0])
    for module in ("keras.utils.np_utils", "keras.layers.convolutional"):
        assert f"from {module} import" in faults[0].source
        assert f"No module named '{module}'" in shown, shown
    fixes = [c for c in code if "from keras.utils import to_categorical" in c.source]
    assert len(fixes) == 1 and "from keras.layers import Conv2D" in fixes[0].source
    assert _text(fixes[0]).strip() == "no error"

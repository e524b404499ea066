"""helpers.article_code: the article's Keras program as the scrape kept it, its imports and
the imported names the surviving code never uses (chapter 13's erratum)."""

import pytest

from helpers import article_code


def test_the_program_is_the_scrape_line_for_line():
    lines = article_code.program_lines()
    assert lines[0] == "## #import various packages"
    assert 'cat=os.listdir("/mnt/hdd/datasets/dogs_cats/train/cat")' in lines
    assert "%matplotlib inline" in lines and "from keras.utils.np_utils import to_categorical" in lines
    assert lines[-1] == "…s, batch_size=batchsize,validation_split=0.3)"
    assert all(not line.startswith("# ") for line in lines)  # the file's own header is dropped


@pytest.mark.parametrize(
    "line, names",
    [
        ("import numpy as np", ["np"]),
        ("import os", ["os"]),
        ("from skimage import io", ["io"]),
        ("from keras.models import Sequential", ["Sequential"]),
        ("import keras.layers", ["keras"]),
        ("images=np.array(images)", []),
    ],
)
def test_imported_names(line, names):
    assert article_code.imported_names(line) == names


def test_unused_imports_are_exactly_those_of_the_erratum():
    assert [name for _, name in article_code.unused_imports()] == ["pd", "scipy", "sklearn", "io"]


def test_the_program_is_read_from_the_data_folder(tmp_path, monkeypatch):
    from helpers import data

    (tmp_path / article_code.PROGRAM_FILE).write_text("# header\nimport os\nx = 1\n", encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    assert article_code.program_lines() == ["import os", "x = 1"]
    assert [name for _, name in article_code.unused_imports()] == ["os"]

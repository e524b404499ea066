"""Part I's pages (chapters 01-06) as a reader sees them: short visible code cells, book
plumbing hidden, one self-check per exercise with no answer pre-filled, and the library
claims of the prose (Keras' Conv2D parameter count) checked by running them."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import data, exercises, ops
from helpers.exercises import part1

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("0[1-6]_*.ipynb"))
HIDDEN = {"remove-cell", "remove-input", "hide-input", "colab-setup"}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(cell):
    return "".join(cell["source"])


def _visible_code(path):
    return [_code(c) for c in _cells(path)
            if c["cell_type"] == "code" and not HIDDEN & set(c.get("metadata", {}).get("tags", []))]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_visible_code_cells_are_short_and_hold_no_plumbing(path):
    for src in _visible_code(path):
        lines = [line for line in src.splitlines() if line.strip()]
        limit = 10 if re.search(r"^\s*for .* in ", src, re.M) else 3      # a loop may be longer
        assert 1 <= len(lines) <= limit, src
        assert "glue_numbers" not in src and "SweepFrames" not in src, src


def test_exercise_cells_match_the_registry():
    keys_on_pages = []
    for path in CHAPTERS:
        for src in (_code(c) for c in _cells(path) if c["cell_type"] == "code"):
            for m in re.finditer(r"check_answer\((.*)\)", src):
                call = m.group(1).split("#")[0]
                assert re.fullmatch(r'"[\w-]+", None', call.strip()), src   # never pre-filled
                keys_on_pages.append(call.split('"')[1])
    registered = {k for k, ex in exercises._REGISTRY.items()
                  if ex.expected.__module__ == part1.__name__}
    assert len(keys_on_pages) == len(set(keys_on_pages))
    assert set(keys_on_pages) == registered


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_at_least_half_of_the_exercises_predict_design_or_explain(path):
    titles = re.findall(r"\{admonition\} (Exercise \d+[^\n]*)",
                        "\n".join("".join(c["source"]) for c in _cells(path)
                                  if c["cell_type"] == "markdown"))
    kinds = [t for t in titles if re.search(r"\((predict|design|explain)\)", t)]
    assert len(titles) >= 3 and 2 * len(kinds) >= len(titles), titles


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

"""Part III's chapter helpers: the article's program text, the recorded experiments the chapters
load, and the Part III exercises (expected values computed, checked against real Keras runs)."""

import numpy as np
import pytest

from helpers import article_code, models, perfnotes
from helpers.exercises import is_correct


def test_the_program_is_the_scrape_line_for_line():
    lines = article_code.program_lines()
    assert lines[0] == "## #import various packages"
    assert 'cat=os.listdir("/mnt/hdd/datasets/dogs_cats/train/cat")' in lines
    assert "%matplotlib inline" in lines and "from keras.utils.np_utils import to_categorical" in lines
    assert lines[-1] == "…s, batch_size=batchsize,validation_split=0.3)"
    assert all(not line.startswith("# ") for line in lines)  # the file's own header is dropped


@pytest.mark.parametrize("line, names", [
    ("import numpy as np", ["np"]), ("import os", ["os"]), ("from skimage import io", ["io"]),
    ("from keras.models import Sequential", ["Sequential"]), ("import keras.layers", ["keras"]),
    ("images=np.array(images)", []),
])
def test_imported_names(line, names):
    assert article_code.imported_names(line) == names


def test_unused_imports_are_exactly_those_of_the_erratum():
    assert [name for _, name in article_code.unused_imports()] == ["pd", "scipy", "sklearn", "io"]


def test_missing_experiment_names_the_command():
    with pytest.raises(FileNotFoundError, match="benchmarks.experiments --only nothing"):
        perfnotes.experiment("nothing")


def test_digits_scaling_record_supports_chapter_14():
    record = perfnotes.experiment("digits-scaling")
    runs = {(r["seed"], r["scaled"]): r for r in record["runs"]}
    assert record["seeds"] == [0, 1, 2, 3, 4] and len(runs) == 10
    low, high = models.EXPECTED_TEST_ACCURACY
    assert all(low <= runs[s, True]["test_accuracy"] <= high for s in record["seeds"])
    # "the first epoch starts from a far larger loss on every seed"
    assert all(runs[s, False]["first_loss"] > 2 * runs[s, True]["first_loss"] for s in record["seeds"])
    # the record is what the helpers compute (seed 0; other CPUs differ in the last digits)
    for scale in (True, False):
        again = models.train_digits(seed=0, epochs=12, scale=scale)
        assert again.test_accuracy == pytest.approx(runs[0, scale]["test_accuracy"], abs=0.02)


def test_catsdogs_timing_record():
    record = perfnotes.experiment("catsdogs-timing")
    assert 0 < record["validation_ms_per_image"] < record["train_ms_per_image"]
    assert len(record["arrays_ms_per_image"]) == 2 and min(record["arrays_ms_per_image"]) > 0
    assert any("ms per image" in line for line in record["printed"])


def test_exercise_13_4_is_what_keras_reports():
    """The printed softmax model, label shape fixed, cats then dogs, validation_split=0.3."""
    models.set_determinism(0)
    m = models.article_model((12, 12, 3), output_activation="softmax")
    m.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    x = np.random.default_rng(0).random((20, 12, 12, 3), dtype=np.float32)
    y = np.repeat([0.0, 1.0], 10).reshape(-1, 1).astype(np.float32)   # 10 cats, then 10 dogs
    with models.report(show=False):
        h = m.fit(x, y, epochs=1, batch_size=8, validation_split=0.3, verbose=0)
    assert h.history["val_accuracy"] == [1.0]
    assert h.history["accuracy"][0] == pytest.approx(4 / 14)  # the dogs among the first 14
    assert is_correct("13.4", 100 * h.history["val_accuracy"][0])
    assert not is_correct("13.4", 50)


def test_part3_exercise_answers():
    assert is_correct("13.3", 4600) and not is_correct("13.3", 4601)
    assert is_correct("14b.1", 832)
    assert is_correct("14b.2", 6.0) and not is_correct("14b.2", 3.0)

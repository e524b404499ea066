"""helpers.exercises: every registered self-check accepts the answer worked out independently
below and rejects others, with the book's messages.

``ANSWERS`` holds each exercise's value as the book's authors worked it out by hand (or from
the article); a test fails when an exercise is registered without an entry here, so the
registry's computed value is always checked against something it did not compute itself.
"""

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import check_answer, is_correct

KEYS = sorted(exercises._REGISTRY)

ANSWERS = {
    # Part I (chapters 01-06)
    "ch1-pixel-values": 256, "ch1-photo-numbers": 270000, "ch1-column-major-17": 2,
    "case1-flat-length": 68, "case1-cell": 657, "case1-row-major-5": 21,
    "case2-width": 3, "case2-formula-cell": 5.4, "case2-width-3": 2,
    "case3-shape": [17, 5], "case3-corner": 25.8, "case3-same-columns": 1,
    "case4-cell": 28.6, "case4-shape": [17, 3, 2], "case4-weights": 4,
    "case5-cell": 99.5, "case5-shape": [16, 3], "case5-dense-params": 3312,
    # Part II (chapters 07-12)
    "conv-cell-1-1": 792, "conv-row3": [608, 913, 713, 657], "conv-dense-weights": 576,
    "blur-corner": 27.56, "sobel-flat": 0, "stride2-corner": 851, "size-7-3-2": 3,
    "tf-same-7-2": 4, "same-pad-5": 2, "params-3x3-10": 280, "params-next-layer": 5824,
    "avg-pool": [[496.75, 648.5], [701.75, 743]], "pool-size-296": [148, 148, 10],
    "softmax-2-0": 0.881, "dense-784-10": 7850,
    # Part III (chapters 13-15)
    "13.1": 438_842, "13.2": 876_921, "13.3": 4_600, "14.1": 5_441, "15.1": 69.12,
}


def test_every_registered_exercise_has_an_independent_answer():
    assert len(KEYS) >= 30
    assert sorted(ANSWERS) == KEYS, "add the hand-worked answer of a new exercise to ANSWERS"


def _wrong(value):
    if isinstance(value, str):
        return value + " not"
    arr = np.asarray(value, dtype=float)
    return (arr + 1 + abs(arr)).tolist()


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_right_answer_passes_and_wrong_answer_fails(key, capsys):
    ex = exercises._REGISTRY[key]
    right = ANSWERS[key]
    assert is_correct(key, right)
    assert not is_correct(key, _wrong(right))
    check_answer(key, right)
    assert capsys.readouterr().out == f"Correct. {ex.why}\n"
    check_answer(key, _wrong(right))
    out = capsys.readouterr().out
    assert out.startswith("Not quite") and ex.hint in out


def test_placeholder_wrong_shape_and_unknown_key(capsys):
    check_answer("13.1", None)
    assert "no answer yet" in capsys.readouterr().out
    check_answer("13.1", [1, 2])
    assert "shape" in capsys.readouterr().out
    check_answer("case2-width", "three")
    assert "expected a number" in capsys.readouterr().out
    with pytest.raises(KeyError, match="known"):
        check_answer("99.9", 1)


def test_a_key_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise("13.1", why="", hint="")(lambda: 0)

"""helpers.exercises: every registered self-check accepts its answer and rejects others."""

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import check_answer, is_correct

KEYS = sorted(exercises._REGISTRY)


def test_every_part_registers_exercises():
    assert len(KEYS) >= 30
    assert {"13.1", "13.2", "13.3", "14.1", "15.1"} <= set(KEYS)


def _wrong(value):
    if isinstance(value, str):
        return value + " not"
    arr = np.asarray(value, dtype=float)
    return (arr + 1 + abs(arr)).tolist()


@pytest.mark.parametrize("key", KEYS)
def test_right_answer_passes_and_wrong_answer_fails(key, capsys):
    ex = exercises._REGISTRY[key]
    right = ex.expected()
    assert is_correct(key, right)
    assert not is_correct(key, _wrong(right))
    check_answer(key, right)
    assert capsys.readouterr().out.startswith("Correct.")
    check_answer(key, _wrong(right))
    out = capsys.readouterr().out
    assert out.startswith("Not quite") and ex.hint in out


@pytest.mark.parametrize("question, right", [("13.1", 438_842), ("13.2", 876_921), ("13.3", 4_600),
                                             ("14.1", 5_441), ("15.1", 69.12)])
def test_part_iii_answers(question, right):
    assert is_correct(question, right)


def test_placeholder_wrong_shape_and_unknown_key(capsys):
    check_answer("13.1", None)
    assert capsys.readouterr().out == exercises.unanswered_line("13.1") + "\n"
    check_answer("13.1", [1, 2])
    assert "shape" in capsys.readouterr().out
    with pytest.raises(KeyError, match="known"):
        check_answer("99.9", 1)

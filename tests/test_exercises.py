"""helpers.exercises: the self-checks accept the right numbers and reject wrong ones."""

import pytest

from helpers.exercises import check_answer


@pytest.mark.parametrize("question, right", [("13.1", 438_842), ("13.2", 876_921), ("13.3", 4_600),
                                             ("14.1", 5_441), ("15.1", 69.12)])
def test_right_answers(question, right, capsys):
    assert check_answer(question, right) is True
    assert "correct" in capsys.readouterr().out


def test_wrong_answer_gives_a_hint(capsys):
    assert check_answer("13.1", 219_801) is False
    assert "too low" in capsys.readouterr().out


def test_unknown_question_and_bad_value():
    with pytest.raises(ValueError, match="no self-check"):
        check_answer("99.9", 1)
    with pytest.raises(TypeError, match="number"):
        check_answer("13.1", "438842")

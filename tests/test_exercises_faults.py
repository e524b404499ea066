"""check_answer under hostile input: numbers beyond float64, keys that are
not strings, answers of the wrong kind. Each gets the book's "Not quite: ..." or a clear
TypeError, never an error from inside NumPy or the dict."""

import re

import pytest

from helpers.exercises import _REGISTRY, check_answer, is_correct


@pytest.fixture(scope="module")
def keys():
    """The first exercise with a numeric answer and the first with a text answer (answers are
    computed when asked for, some by training: only as many as needed, never at collection)."""
    found = {}
    for key in sorted(_REGISTRY):
        found.setdefault(isinstance(_REGISTRY[key].expected(), str), key)
        if len(found) == 2:
            break
    return found[False], found.get(True, found[False])


@pytest.mark.parametrize("answer", [10**400, -10**400, [1, 10**400], [[10**400]]],
                         ids=["1e400", "-1e400", "list", "nested"])
def test_numbers_beyond_float64_are_simply_wrong(answer, capsys, keys):
    for key in keys:
        check_answer(key, answer)
        out = capsys.readouterr().out
        assert out.startswith("Not quite: ") and "Hint: " in out, out
        assert not is_correct(key, answer)


@pytest.mark.parametrize("answer", [{"a": 1}, {1, 2}, object(), 1j, [1, "x"], b"\xff", [[1, 2], [3]]])
def test_answers_of_the_wrong_kind_are_not_quite(answer, capsys, keys):
    check_answer(keys[0], answer)
    assert capsys.readouterr().out.startswith("Not quite: ")


@pytest.mark.parametrize("key", [["13.1"], {"13.1": 1}, {"13.1"}, 13.1, None, b"13.1"])
def test_a_key_that_is_not_a_string_is_a_clear_type_error(key):
    for fn in (check_answer, is_correct):
        with pytest.raises(TypeError, match="exercise key is a string") as excinfo:
            fn(key, 1)
        assert "unhashable" not in str(excinfo.value)
        suggested = re.search(r"like '([^']+)'", str(excinfo.value)).group(1)
        assert suggested in _REGISTRY  # the example it gives is a key that exists

"""helpers.glue: the hidden glue outputs have exactly myst-nb's form, and glue_numbers writes
each value as the prose shows it."""

from helpers import glue
from helpers.glue import GLUE_PREFIX, glue_bundle


def test_glue_bundle_matches_myst_nb():
    from myst_nb.ext.glue import GLUE_PREFIX as MYST_PREFIX

    assert GLUE_PREFIX == MYST_PREFIX
    data_, meta = glue_bundle("x", "87.2")
    assert data_ == {MYST_PREFIX + "text/plain": "87.2"}
    assert meta == {"scrapbook": {"name": "x", "mime_prefix": MYST_PREFIX}}


def test_glue_numbers_displays_one_bundle_per_value(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append((data, metadata)))
    glue.glue_numbers(first=87.2000001, shape=(17, 4))
    assert [d[GLUE_PREFIX + "text/plain"] for d, _ in shown] == ["87.2", "17×4"]
    assert [m["scrapbook"]["name"] for _, m in shown] == ["first", "shape"]


def test_a_number_that_would_read_0_is_refused(monkeypatch):
    import numpy as np
    import pytest

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw, metadata: shown.append(data))
    for tiny in (3e-5, np.float32(-0.004)):
        with pytest.raises(ValueError, match=r"err=.* would read 0 at 2 decimals"):
            glue.glue_numbers(err=tiny)
    glue.glue_numbers(zero=0, zero_f=np.float64(0.0), small=0.004, decimals=3)  # real zeros, enough decimals
    assert [next(iter(d.values())) for d in shown] == ["0", "0", "0.004"]

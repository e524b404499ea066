"""helpers.article: printed-versus-computed comparison, cell by cell."""

import numpy as np
import pytest

from helpers import article, data, flatten, ops

A = data.load("digit4")
B = data.load("image_b")
PAIR = data.load("case2_weights")[0]


def test_compare_classifies_formula_and_blank_cells():
    cmp2 = article.compare("case2_printed", ops.correlate_rows(B, PAIR))
    assert cmp2.n_mismatch == 0 and cmp2.n_match == 49
    assert [(r, c, round(v, 6)) for r, c, _, v in cmp2.not_printed] == [(1, 1, 5.4), (1, 2, 20.0)]
    assert cmp2.status[1, 1] == "formula" and cmp2.status[1, 2] == "blank"
    assert "5.4" in cmp2._repr_html_() and "SUMPRODUCT" in cmp2._repr_html_()


def test_compare_detects_a_wrong_value():
    wrong = ops.correlate_rows(B, PAIR)
    wrong[3, 2] += 0.1
    cmp = article.compare("case2_printed", wrong)
    assert cmp.n_mismatch == 1 and cmp.cells("mismatch")[0][:2] == (3, 2)
    assert "disagree" in cmp.summary()


def test_classify_rounding_rule():
    assert article.classify("87.2", 87.24) == "match"
    assert article.classify("87.2", 87.26) == "mismatch"
    assert article.classify("=B2*$G$5", 75) == "formula"
    assert article.classify("", 1) == "blank"
    with pytest.raises(ValueError, match="shape"):
        article.compare("case2_printed", np.zeros((17, 4)))


def test_article_row_is_column_major():
    out1 = A * data.load("case1_weight")[0, 0]
    col = article.compare_elided_row("case1_flat_printed", flatten.flatten(out1, "column"))
    row = article.compare_elided_row("case1_flat_printed", flatten.flatten(out1, "row"))
    assert (col.n_match, col.n_mismatch) == (9, 0)
    assert row.n_mismatch > 0

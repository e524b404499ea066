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


def test_copy_formula_moves_relative_references_only():
    assert article.copy_formula("=B2*$G$5", 1, 0) == "=B3*$G$5"
    assert article.copy_formula("=B2*$G$5", 16, 3) == "=E18*$G$5"
    assert article.copy_formula("=B2*G5", 1, 0) == "=B3*G6"
    assert article.copy_formula("=SUMPRODUCT(D3:E3,$G$5:$H$5)", 0, 1) == "=SUMPRODUCT(E3:F3,$G$5:$H$5)"
    assert article.copy_formula("=$B2+B$2+Z1", 1, 1) == "=$B3+C$2+AA2"
    assert article.copy_formula("=AZ1", 0, 1) == "=BA1"
    with pytest.raises(ValueError, match="off the sheet"):
        article.copy_formula("=B2", -2, 0)
    # the article's Case 1 sheet: every copy of its top-left cell reads one pixel and the one weight
    printed = data.printed_cells("case1_printed")[0][0]
    copies = {article.copy_formula(printed, r, c) for r in range(A.shape[0]) for c in range(A.shape[1])}
    assert len(copies) == A.size and {f.split("*")[1] for f in copies} == {"$G$5"}

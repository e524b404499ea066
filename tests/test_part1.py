"""Part I helpers: live widgets (set a slider or a weight -> the view shows the right sum),
the kernel-free players, flatten orders, the shuffled-dense-layer demonstration, coverage,
printed-vs-computed comparison, glue, and the exercises' expected values."""

import html
import json
import re

import numpy as np
import pytest

from helpers import article, coverage, data, exercises, flatten, grids, ops, widgets
from helpers.glue import GLUE_PREFIX, as_text, glue_bundle

A = data.load("digit4")
B = data.load("image_b")
PAIR = data.load("case2_weights")[0]
PAIR2 = data.load("case4_weights")[0]


def _arith(view_html):
    """The written-out sums of an HTML view (one per filter), unescaped."""
    return [html.unescape(s) for s in re.findall(r'<span class="arith">(.*?)</span>', view_html)]


def _cell_class(view_html, table, r, c):
    m = re.search(rf'<table class="cnn-grid {table}">.*?</table>', view_html, re.S)
    td = re.search(rf'data-r="{r}" data-c="{c}" class="([^"]*)"', m.group(0))
    return td.group(1).split()


# ----------------------------------------------------------------------------- widgets
def test_sweep_widget_slider_updates_sum_and_highlight():
    w = widgets.sweep_widget(B, PAIR[None, :])
    assert _arith(w.view.value) == ["86×1 + 4×0.3 = 87.2"]
    w.slider.value = 1                                  # row 0, second window
    assert _arith(w.view.value) == ["4×1 + 8×0.3 = 6.4"]
    assert "win" in _cell_class(w.view.value, "in", 0, 1)
    assert "win" in _cell_class(w.view.value, "in", 0, 2)
    assert "win" not in _cell_class(w.view.value, "in", 0, 0)
    assert "cur" in _cell_class(w.view.value, "out", 0, 1)
    w.slider.value = 4                                  # row 1, column 1: the formula cell
    assert _arith(w.view.value)[0].endswith("= 5.4")


def test_sweep_widget_weight_box_recomputes():
    w = widgets.sweep_widget(B, PAIR[None, :], editable=True)
    w.weights[1].value = 5.0
    assert _arith(w.view.value) == ["86×1 + 4×5 = 106"]
    assert w.output[0, 0] == pytest.approx(106)
    w.weights[0].value = 0.1                            # now the article's second pair
    assert np.allclose(w.output, ops.correlate_rows(B, PAIR2))


def test_sweep_widget_padding_case3_and_2d_case5():
    w = widgets.sweep_widget(B, PAIR[None, :], padding=((0, 0), (1, 1)))
    assert w.output.shape == (17, 5)
    assert _arith(w.view.value) == ["0×1 + 86×0.3 = 25.8"]    # the pad zero is shown
    w5 = widgets.sweep_widget(A, data.load("case5_kernel"))
    assert _arith(w5.view.value) == ["25×1 + 2×0.3 + 223×0.3 + 7×1 = 99.5"]
    w5.slider.value = w5.slider.max
    assert _arith(w5.view.value)[0].endswith(f"= {grids.fmt_number(w5.output[-1, -1])}")


def test_filter_bank_widget_two_channels():
    w = widgets.FilterBankWidget(B, [PAIR[None, :], PAIR2[None, :]], editable=True,
                                 names=["a", "b"])
    assert w.output.shape == (17, 3, 2)
    assert _arith(w.view.value) == ["86×1 + 4×0.3 = 87.2", "86×0.1 + 4×5 = 28.6"]
    w.slider.value = 3 * 8 + 2
    assert [s.split(" = ")[-1] for s in _arith(w.view.value)] == ["279.9", "1285.4"]
    w.weights[3].value = 1.0                            # second filter's right weight
    assert w.output[0, 0, 1] == pytest.approx(8.6 + 4)
    assert w.output[0, 0, 0] == pytest.approx(87.2)


def test_flatten_widget_reports_both_orders():
    w = widgets.FlattenWidget(A)
    w.slider.value = 17
    text = _arith(w.view.value)[0]
    assert "row-major takes x[4, 1] = 7" in text
    assert "column-major takes x[0, 1] = 2" in text
    assert "rm" in _cell_class(w.view.value, "in", 4, 1)
    assert "cm" in _cell_class(w.view.value, "in", 0, 1)


# ----------------------------------------------------------------------------- players
def _player_data(h):
    m = re.search(r"var D=(\{.*?\}), slider", h.data, re.S)
    return json.loads(m.group(1))


def test_sweep_player_frames_and_single_sum_compat():
    h = grids.sweep_player(A, [[3]])
    d = _player_data(h)
    assert len(d["frames"]) == A.size
    assert d["frames"][0] == [0, 0, "25×3 = 75"]
    assert "ariths.forEach" in h.data and 'type="range"' in h.data and ">Play<" in h.data


def test_filter_bank_player_has_one_sum_per_filter():
    h = grids.filter_bank_player(B, [PAIR[None, :], PAIR2[None, :]], names=["a", "b"])
    d = _player_data(h)
    assert d["names"] == ["a", "b"]
    assert d["frames"][0] == [0, 0, "86×1 + 4×0.3 = 87.2", "86×0.1 + 4×5 = 28.6"]
    assert h.data.count('class="arith"') == 2
    assert h.data.count('<table class="cnn-grid out">') == 2


def test_filter_bank_rejects_mixed_kernel_shapes():
    with pytest.raises(ValueError, match="same shape"):
        grids.filter_bank_player(B, [[[1, 0.3]], [[1, 0.3, 2]]])


def test_flatten_player_frames():
    h = grids.flatten_player(A)
    d = _player_data(h)
    assert len(d["frames"]) == 68
    assert d["frames"][17][:4] == [4, 1, 0, 1]


def test_players_have_unique_ids():
    ids = [re.search(r'id="([^"]+)"', grids.sweep_player(A, [[3]]).data).group(1) for _ in range(2)]
    assert ids[0] != ids[1]


# ----------------------------------------------------------------------------- flatten
def test_flatten_orders():
    assert flatten.flatten(A, "row")[:5].tolist() == [25, 2, 1, 44, 223]
    assert flatten.flatten(A, "column")[:5].tolist() == [25, 223, 196, 249, 60]
    assert np.array_equal(flatten.flatten(A, "row"), A.ravel())
    with pytest.raises(ValueError, match="order"):
        flatten.flatten(A, "diagonal")


def test_article_row_is_column_major():
    out1 = A * data.load("case1_weight")[0, 0]
    col = article.compare_elided_row("case1_flat_printed", flatten.flatten(out1, "column"))
    row = article.compare_elided_row("case1_flat_printed", flatten.flatten(out1, "row"))
    assert (col.n_match, col.n_mismatch) == (9, 0)
    assert row.n_mismatch > 0


def test_dense_layer_does_not_see_a_consistent_shuffle():
    demo = flatten.permutation_demo(A, units=3, seed=0)
    assert sorted(demo["shuffled"].ravel()) == sorted(A.ravel())
    assert not np.array_equal(demo["shuffled"], A)
    assert np.allclose(demo["original"], demo["shuffled_permuted_weights"], rtol=0, atol=1e-9)
    assert not np.allclose(demo["original"], demo["shuffled_same_weights"])
    # a convolution does see it
    k = data.load("case5_kernel")
    conv_sorted = np.sort(ops.conv2d(A, k).ravel())
    assert not np.allclose(conv_sorted, np.sort(ops.conv2d(demo["shuffled"], k).ravel()))


def test_shuffle_is_seeded_and_dense_checks_shapes():
    s1, p1 = flatten.shuffle_pixels(A, 0)
    _, p2 = flatten.shuffle_pixels(A, 0)
    assert np.array_equal(p1, p2) and np.array_equal(s1.ravel(), A.ravel()[p1])
    with pytest.raises(ValueError, match="one row per input"):
        flatten.dense(np.ones(3), np.ones((4, 2)))


# ----------------------------------------------------------------------------- coverage
def test_coverage_case2_case3_case5_and_stride2():
    count, weight = coverage.coverage((17, 4), [[1, 0.3]])
    assert count[0].tolist() == [1, 2, 2, 1]
    assert np.allclose(weight[0], [1, 1.3, 1.3, 0.3])
    count, weight = coverage.coverage((17, 4), [[1, 0.3]], padding=((0, 0), (1, 1)))
    assert count[0].tolist() == [2, 2, 2, 2] and np.allclose(weight, 1.3)
    count, _ = coverage.coverage((17, 4), data.load("case5_kernel"))
    assert count[0].tolist() == [1, 2, 2, 1] and count[5].tolist() == [2, 4, 4, 2]
    count, _ = coverage.coverage((6, 6), data.load("conv6x6_kernel"), stride=2)
    assert count[5].sum() == 0 and count[:, 5].sum() == 0      # erratum 8: never read
    with pytest.raises(ValueError, match="shape"):
        coverage.coverage(17, [[1]])


# ----------------------------------------------------------------------------- comparison
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


# ----------------------------------------------------------------------------- panels, glue
def test_grid_panels_and_jpeg():
    import matplotlib
    matplotlib.use("Agg")
    fig = grids.grid_panels([A, A * 3], marks=[[(0, 0)], None])
    assert len(fig.axes) == 2
    img = grids.as_jpeg(grids.grid_panels([data.load_photo("coffee")]))
    assert img.format == "jpeg" and img.data[:2] == b"\xff\xd8"
    with pytest.raises(ValueError, match="one entry per array"):
        grids.grid_panels([A, A], titles=["only one"])


def test_glue_bundle_matches_myst_nb():
    from myst_nb.ext.glue import GLUE_PREFIX as MYST_PREFIX
    assert GLUE_PREFIX == MYST_PREFIX
    data_, meta = glue_bundle("x", "87.2")
    assert data_ == {MYST_PREFIX + "text/plain": "87.2"}
    assert meta == {"scrapbook": {"name": "x", "mime_prefix": MYST_PREFIX}}
    assert as_text((17, 4)) == "17×4" and as_text(87.2000000001) == "87.2" and as_text(75.0) == "75"


# ----------------------------------------------------------------------------- exercises
PART1_EXPECTED = {
    "ch1-pixel-values": 256, "ch1-photo-numbers": 270000, "ch1-column-major-17": 2,
    "case1-flat-length": 68, "case1-cell": 657, "case1-row-major-5": 21,
    "case2-width": 3, "case2-formula-cell": 5.4, "case2-width-3": 2,
    "case3-shape": [17, 5], "case3-corner": 25.8, "case3-same-columns": 1,
    "case4-cell": 28.6, "case4-shape": [17, 3, 2], "case4-weights": 4,
    "case5-cell": 99.5, "case5-shape": [16, 3], "case5-dense-params": 3312,
}


@pytest.mark.parametrize("key,value", sorted(PART1_EXPECTED.items()))
def test_part1_exercise_values(key, value):
    assert exercises.is_correct(key, value)
    assert not exercises.is_correct(key, np.asarray(value) + 1)


def test_check_answer_none_and_messages(capsys):
    exercises.check_answer("case2-width", None)
    assert "no answer yet" in capsys.readouterr().out
    exercises.check_answer("case2-width", 3)
    assert capsys.readouterr().out.startswith("Correct.")

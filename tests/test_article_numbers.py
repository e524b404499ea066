"""Every number of the article (and of the book's corrections) recomputed from data/.

Printed tables are compared cell by cell with what helpers.ops computes from the shipped
inputs; the cells the article does not print as numbers (spreadsheet formulas, blanks, a lost
row) are listed explicitly and must be exactly those. Tables the article lost (Case 4's second
pair, Case 5) are compared with the book's reference values below.
"""

import math

import numpy as np
import pytest

from helpers import data, ops


def table(text):
    return np.array([[float(v) for v in line.split()] for line in text.strip().splitlines()])


def unprinted(name):
    return sorted(map(tuple, np.argwhere(np.isnan(data.load(name))).tolist()))


A, B = data.load("digit4"), data.load("image_b")
X, K = data.load("conv6x6_image"), data.load("conv6x6_kernel")
W2, W4 = data.load("case2_weights")[0], data.load("case4_weights")[0]
C = ops.conv2d(X, K)


# ------------------------------------------------------------------ Part I: Cases 1-5
def test_case1_every_printed_cell():
    out = data.load("case1_weight")[0, 0] * A
    printed = data.load("case1_printed")
    mask = ~np.isnan(printed)
    assert mask.sum() == 67
    np.testing.assert_array_equal(out[mask], printed[mask])
    assert unprinted("case1_printed") == [(0, 0)]
    assert out[0, 0] == 75


def test_case1_flattened_row_is_column_major():
    out = data.load("case1_weight")[0, 0] * A
    printed = data.load("case1_flat_printed")[0]
    head, tail = printed[:5], printed[6:]
    assert np.isnan(printed[5])  # the "....." in the middle
    flat_f = out.ravel(order="F")
    np.testing.assert_array_equal(flat_f[:5], head)
    np.testing.assert_array_equal(flat_f[-4:], tail)
    assert out.ravel()[:4].tolist() == [75, 6, 3, 132]  # row-major (NumPy, Keras Flatten)
    assert not np.array_equal(out.ravel()[:5], head)


def test_image_b_agrees_with_every_printed_input_and_differs_from_a():
    printed_in = data.load("case3_printed_input")
    padded = np.pad(B, ((0, 0), (1, 1)))
    mask = ~np.isnan(printed_in)
    assert mask.sum() == 52
    np.testing.assert_array_equal(padded[mask], printed_in[mask])
    assert int((A != B).sum()) == 62
    assert B.min() == 1 and B.max() == 253


def test_case2_every_printed_cell():
    out = ops.correlate_rows(B, W2)
    assert out.shape == (17, 3)
    printed = data.load("case2_printed")
    mask = ~np.isnan(printed)
    assert mask.sum() == 49
    np.testing.assert_allclose(out[mask], printed[mask], atol=1e-9)
    assert unprinted("case2_printed") == [(1, 1), (1, 2)]
    np.testing.assert_allclose(out[1, 1:], [5.4, 20])
    np.testing.assert_allclose(out, data.load("case4_printed"), atol=1e-9)  # the full reprint
    assert data.load("case4_printed").size == 51


def test_case3_every_printed_cell():
    out = ops.correlate_rows(B, W2, padding=1)
    assert out.shape == (17, 5)
    printed = data.load("case3_printed")
    mask = ~np.isnan(printed)
    assert mask.sum() == 82
    np.testing.assert_allclose(out[mask], printed[mask], atol=1e-9)
    assert unprinted("case3_printed") == [(0, 2), (0, 3), (0, 4)]
    np.testing.assert_allclose(out[0, 2:], [6.4, 63.2, 184])
    np.testing.assert_allclose(out[:, 0], W2[1] * B[:, 0])
    np.testing.assert_allclose(out[:, 4], B[:, 3])
    same = ops.conv2d(B, W2[None, :], padding="same")  # TF 'same': one zero on the right
    np.testing.assert_allclose(same, out[:, 1:])


CASE4 = table("""
  28.6   40.4  920.8   430   28.6   40.4  920.8 18.4
  40.2   40.3  200.8  1260   40.2   40.3  200.8    4
  38.4   35.7  815.7   170   38.4   35.7  815.7 16.3
  20.5   15.2  345.3   525   20.5   15.2  345.3  6.9
  20.6   40.3  875.8   280   20.6   40.3  875.8 17.5
  17.6   10.1  890.2   630   17.6   10.1  890.2 17.8
  56.3   20.8  710.4   815   56.3   20.8  710.4 14.2
1112.2  392.2  907.4   110 1112.2  392.2  907.4   18
 806.3 1035.8 1285.4   815  806.3 1035.8 1285.4 25.3
 514.5  434.8  908.5  1225  514.5  434.8  908.5   18
  25.1    5.5  490.1     5   25.1    5.5  490.1  9.8
  10.4   40.2  450.8    20   10.4   40.2  450.8    9
  40.7    5.8 1175.1    35   40.7    5.8 1175.1 23.5
   5.2   15.1 1085.3    10    5.2   15.1 1085.3 21.7
  30.3   25.6  485.5    15   30.3   25.6  485.5  9.7
  25.6   40.5  395.8    30   25.6   40.5  395.8  7.9
  40.8   25.8  665.5    40   40.8   25.8  665.5 13.3
""")


def test_case4_second_pair_and_stacking():
    valid, padded = ops.correlate_rows(B, W4), ops.correlate_rows(B, W4, padding=1)
    np.testing.assert_allclose(np.hstack([valid, padded]), CASE4, atol=1e-9)
    stacked = np.stack([ops.correlate_rows(B, W2), valid], axis=-1)
    assert stacked.shape == (17, 3, 2)
    # the same as one conv layer with 2 filters of size 1x2
    two_filters = np.stack([W2, W4], axis=-1)[None, :, None, :]  # (1, 2, 1, 2)
    np.testing.assert_allclose(ops.conv2d(B, two_filters), stacked)
    assert stacked[..., 0].max() == pytest.approx(279.9)
    assert stacked[..., 1].max() == pytest.approx(1285.4)


CASE5 = table("""
 99.5  10.4    76
291.9  13.2 172.6
274.1  11.9  87.3
274.3     5 169.3
 80.8  14.6 262.3
130.5   8.2 234.8
424.8 281.5 130.6
311.8 404.5 328.8
162.5 429.3 292.8
 98.7 100.4 368.9
  7.1   9.6 158.7
  5.8   6.9 169.9
 10.4  11.4  90.7
 14.7  14.9 149.6
 12.6  16.3 166.2
 13.3  10.3 281.6
""")


def test_case5_2d_kernel_on_digit4():
    out = ops.conv2d(A, data.load("case5_kernel"))
    assert out.shape == (16, 3)
    np.testing.assert_allclose(out, CASE5, atol=1e-9)
    assert out[0, 0] == pytest.approx(25 + 0.3 * 2 + 0.3 * 223 + 7)


# ------------------------------------------------------------------ Part II: the 6x6 example
CONV = table("""
429 505 686 856
261 792 412 640
633 653 851 751
608 913 713 657
""")
SAME = table("""
139 184 250 409 410 283
133 429 505 686 856 441
310 261 792 412 640 341
280 633 653 851 751 317
254 608 913 713 657 503
321 325 592 517 637  78
""")


def test_convolution_layer_4x4():
    np.testing.assert_array_equal(C, CONV)
    printed = data.load("conv6x6_printed")
    np.testing.assert_array_equal(C[:3], printed[:3])
    assert np.isnan(printed[3]).all()  # row 3 lost in the scrape
    assert C[0, 0] == X[0, 0] + X[0, 2] + X[1, 1] + X[2, 0] + X[2, 2] == 429
    np.testing.assert_array_equal(ops.conv2d(X, K[::-1, ::-1]), C)  # K is flip-symmetric


def test_stride_2_and_the_printed_412():
    s2 = ops.conv2d(X, K, stride=2)
    np.testing.assert_array_equal(s2, [[429, 686], [633, 851]])
    printed = data.load("stride2_printed")
    assert np.argwhere(s2 != printed).tolist() == [[1, 1]]
    assert printed[1, 1] == C[1, 2] == 412 and s2[1, 1] == C[2, 2] == 851
    np.testing.assert_array_equal(ops.conv2d(X[:4, :5], K, stride=2), [[429, 686]])
    assert ops.output_size(6, 3, 2) == 2 == math.floor((6 - 3) / 2) + 1


def test_same_padding_and_conventions_at_stride_2():
    same = ops.conv2d(X, K, padding=1)
    np.testing.assert_array_equal(same, SAME)
    np.testing.assert_array_equal(same, ops.conv2d(X, K, padding="same"))
    np.testing.assert_array_equal(same[0, :2], data.load("same_printed")[0])
    np.testing.assert_array_equal(same[1:5, 1:5], C)
    tf_same = ops.conv2d(X, K, stride=2, padding="same")
    sym = ops.conv2d(X, K, stride=2, padding=1)
    np.testing.assert_array_equal(tf_same, [[429, 686, 441], [633, 851, 317], [325, 517, 78]])
    np.testing.assert_array_equal(sym, [[139, 250, 410], [310, 792, 640], [254, 913, 657]])
    np.testing.assert_array_equal(tf_same, same[1::2, 1::2])
    np.testing.assert_array_equal(sym, same[::2, ::2])
    assert (tf_same != sym).all()
    assert ops.output_size(6, 3, 2, "same", return_padding=True) == (3, (0, 1))


def test_pooling():
    np.testing.assert_array_equal(ops.pool2d(C), data.load("maxpool_printed"))
    np.testing.assert_allclose(ops.pool2d(C, mode="avg"), [[496.75, 648.5], [701.75, 743]])
    l2 = ops.pool2d(C, mode="l2")
    np.testing.assert_allclose(l2**2, [[1134451, 1782676], [2030331, 2228220]])
    np.testing.assert_allclose(l2.round(2), [[1065.11, 1335.17], [1424.90, 1492.72]])
    assert C[3, 1] == 913  # from the unprinted 4th row


def test_output_sizes_and_parameter_counts():
    assert ops.output_size(32, 5) == 28 and ops.output_size(32, 3) == 30
    assert ops.conv_params(5, 5, 3, 10) == 760 and ops.conv_params(3, 3, 3, 10) == 280
    assert ops.output_size(3, 3) == 1  # the article's garbled "3x3x3" input


def test_article_keras_model_numbers():
    h = ops.output_size(300, 5)
    hp = ops.output_size(h, 2, 2)
    flat = hp * hp * 10
    conv, dense = ops.conv_params(5, 5, 3, 10), ops.dense_params(flat, 1)
    assert (h, hp, flat, conv, dense, conv + dense) == (296, 148, 219040, 760, 219041, 219801)
    assert round(dense / (conv + dense) * 100, 2) == 99.65
    assert conv + ops.dense_params(flat, 2) == 438842
    assert ops.dense_params(h * h * 10, 1) == 876161 and conv + 876161 == 876921
    assert ops.dense_params(300 * 300 * 3, 1) == 270001
    assert ops.dense_params(300 * 300 * 3, 100) == 27000100
    assert conv + ops.dense_params(10, 1) == 771
    assert h * h * 10 * 5 * 5 * 3 == 65712000

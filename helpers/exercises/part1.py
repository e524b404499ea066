"""The exercises of Part I (chapters 01-06): each expected value computed, never typed."""

from __future__ import annotations

import numpy as np

from .. import data, ops
from . import exercise


# ============================================================================ Part I
@exercise("case1-flat-length", why="17 rows × 4 columns = 68 values, whatever the order.",
          hint="count rows and columns of the image")
def _case1_flat_length():
    return data.load("digit4").size


def _case2_out(padding=0):
    return ops.correlate_rows(data.load("image_b"), data.load("case2_weights")[0], padding=padding)


def _case4_bank(padding=0):
    b = data.load("image_b")
    return np.stack([ops.correlate_rows(b, data.load(n)[0], padding=padding)
                     for n in ("case2_weights", "case4_weights")], axis=-1)


def _case5_out():
    return ops.conv2d(data.load("digit4"), data.load("case5_kernel"))


# Chapter 1 - how a machine sees an image
@exercise("ch1-pixel-values", why="8 bits give 2**8 = 256 different values, 0 to 255.",
          hint="an 8-bit pixel is a uint8; look at np.iinfo(np.uint8)")
def _ch1_pixel_values():
    info = np.iinfo(np.uint8)
    return int(info.max) - int(info.min) + 1


@exercise("ch1-photo-numbers", why="300 rows × 300 columns × 3 channels: one number per "
          "channel per pixel.", hint="multiply the three numbers of the shape")
def _ch1_photo_numbers():
    return data.load_photo("chelsea").size


@exercise("ch1-column-major-17", why="Column-major order reads all 17 values of column 0 "
          "first, so value number 17 (counting from 0) is the top of column 1: A[0, 1].",
          hint="in column-major order, which column does value 17 come from if each column holds 17 values?")
def _ch1_column_major_17():
    from ..flatten import flatten
    return flatten(data.load("digit4"), "column")[17]


# Chapter 2 - Case 1
@exercise("case1-cell", why="Case 1 multiplies every pixel by the one weight: output[7, 2] = "
          "A[7, 2] × w.", hint="find A[7, 2] in the grid and multiply by the weight")
def _case1_cell():
    return (data.load("digit4") * data.load("case1_weight")[0, 0])[7, 2]


@exercise("case1-row-major-5", why="Row-major order reads row 0 (4 values) first, so value "
          "number 5 is row 1, column 1 of the Case 1 output.",
          hint="each row holds 4 values; value 5 is in row 5 // 4, column 5 % 4")
def _case1_row_major_5():
    from ..flatten import flatten
    return flatten(data.load("digit4") * data.load("case1_weight")[0, 0], "row")[5]


# Chapter 3 - Case 2
@exercise("case2-width", why="A window 2 wide fits at 4 - 2 + 1 = 3 places along a row of 4.",
          hint="count the places a 2-pixel window can start in a row of 4 pixels")
def _case2_width():
    return ops.output_size(4, 2)


@exercise("case2-formula-cell", why="The cell output[1, 1] = B[1, 1]×1 + B[1, 2]×0.3, which the "
          "article printed as a SUMPRODUCT formula.",
          hint="take row 1 of image B, columns 1 and 2, and weight them 1 and 0.3")
def _case2_formula_cell():
    return _case2_out()[1, 1]


@exercise("case2-width-3", why="A window 3 wide fits at 4 - 3 + 1 = 2 places: out = n - k + 1.",
          hint="use out = n - k + 1")
def _case2_width_3():
    return ops.output_size(4, 3)


# Chapter 4 - Case 3
@exercise("case3-shape", why="With one zero column on each side a row has 6 cells, and a "
          "2-wide window fits at 6 - 2 + 1 = 5 places: 17 rows × 5 columns.",
          hint="pad first (4 + 2 columns), then apply out = n - k + 1; give [rows, columns]")
def _case3_shape():
    return list(_case2_out(padding=1).shape)


@exercise("case3-corner", why="The first window covers the zero pad and B[0, 0]: 0×1 + 86×0.3.",
          hint="the first window is [0, B[0, 0]]; weight them 1 and 0.3")
def _case3_corner():
    return _case2_out(padding=1)[0, 0]


@exercise("case3-same-columns", why="Keeping out = n + p - k + 1 equal to n needs p = k - 1 = 1 zero column "
          "in total for a 2-wide kernel; TensorFlow and PyTorch put it on the right.",
          hint="solve n + p - k + 1 = n for p")
def _case3_same_columns():
    return sum(ops.padding_amounts(4, 2, 1, "same"))


# Chapter 5 - Case 4
@exercise("case4-cell", why="The (0.1, 5) filter at [0, 0]: B[0, 0]×0.1 + B[0, 1]×5.",
          hint="take the first window of image B and weight it 0.1 and 5")
def _case4_cell():
    return _case4_bank()[0, 0, 1]


@exercise("case4-shape", why="Two filters give two channels of 17×3: the stack is 17×3×2.",
          hint="each filter gives a 17×3 map; stack them along a new last axis")
def _case4_shape():
    return list(_case4_bank().shape)


@exercise("case4-weights", why="2 filters × 2 weights each = 4 weights (no bias in the article).",
          hint="count the numbers in both weight pairs")
def _case4_weights():
    return ops.conv_params(1, 2, 1, 2, bias=False)


# Chapter 6 - Case 5
@exercise("case5-cell", why="The 2×2 window at the top left: 25×1 + 2×0.3 + 223×0.3 + 7×1.",
          hint="multiply A[0:2, 0:2] by the kernel cell by cell and add")
def _case5_cell():
    return _case5_out()[0, 0]


@exercise("case5-shape", why="17 - 2 + 1 = 16 rows and 4 - 2 + 1 = 3 columns.",
          hint="use out = n - k + 1 along each axis; give [rows, columns]")
def _case5_shape():
    return list(_case5_out().shape)


@exercise("case5-dense-params", why="A fully connected layer from 68 inputs to 48 outputs "
          "needs 68 × 48 weights plus 48 biases.",
          hint="one weight per (input, output) pair, plus one bias per output")
def _case5_dense_params():
    a = data.load("digit4")
    return ops.dense_params(a.size, _case5_out().size)



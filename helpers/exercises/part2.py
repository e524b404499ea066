"""The exercises of Part II (chapters 07-12): each expected value computed, never typed."""

from __future__ import annotations

import numpy as np

from .. import data, ops
from . import exercise


# ============================================================================ Part II
def _conv6():
    return ops.conv2d(data.load("conv6x6_image"), data.load("conv6x6_kernel"))


@exercise("conv-cell-1-1", why="Window rows 1-3, columns 1-3: 121 + 78 + 204 + 154 + 235 (the "
          "kernel's corners and centre) = 792.", hint="multiply the 3×3 window at row 1, column 1 "
          "by the kernel cell by cell and add; only the corners and the centre count")
def _conv_cell_1_1():
    return _conv6()[1, 1]


@exercise("conv-row3", why="The last row of the 4×4 output uses image rows 3-5, lost from the "
          "article's scrape.", hint="slide the kernel along image rows 3-5, one column at a time")
def _conv_row3():
    return _conv6()[3]


@exercise("conv-dense-weights", why="A fully connected map from 36 inputs to 16 outputs needs "
          "36 × 16 = 576 weights; the convolution reuses the same 9 for every output.",
          hint="every one of the 16 outputs would get its own weight for every one of the 36 pixels")
def _conv_dense_weights():
    return 6 * 6 * ops.output_size(6, 3) ** 2


@exercise("blur-corner", why="With zero padding only 4 of the 9 cells under the window are pixels: "
          "(18 + 54 + 55 + 121) / 9.", hint="put the window's centre on pixel (0, 0): which of its "
          "nine cells fall on the image?", tol=0.01)
def _blur_corner():
    from .. import filters
    return filters.apply(data.load("conv6x6_image"), filters.kernel("box blur"))[0, 0]


@exercise("sobel-flat", why="Sobel x's weights sum to 0, so on an even patch the left and right "
          "columns cancel.", hint="add up the weights of the kernel")
def _sobel_flat():
    from .. import filters
    return filters.apply(np.full((5, 5), 200.0), filters.kernel("Sobel x"))[2, 2]


@exercise("stride2-corner", why="Stride 2 puts the last window on rows 2-4, columns 2-4: that "
          "window's sum is the stride-1 value C[2, 2].", hint="the windows start at rows 0 and 2, "
          "columns 0 and 2")
def _stride2_corner():
    return ops.conv2d(data.load("conv6x6_image"), data.load("conv6x6_kernel"), stride=2)[1, 1]


@exercise("size-7-3-2", why="floor((7 - 3 + 0) / 2) + 1 = floor(2) + 1 = 3.",
          hint="use (W - F + 2P) / S + 1 and round down")
def _size_7_3_2():
    return ops.output_size(7, 3, 2)


@exercise("tf-same-7-2", why="TensorFlow 'same' gives ceil(7 / 2) = 4 outputs; it pads 2 zeros, "
          "one on each side.", hint="TensorFlow's 'same' keeps ceil(n / s) outputs")
def _tf_same_7_2():
    return ops.output_size(7, 3, 2, "same")


@exercise("same-pad-5", why="For an odd kernel at stride 1, P = (F - 1) / 2 = 2 zeros per side "
          "keep the size.", hint="solve n - F + 2P + 1 = n for P")
def _same_pad_5():
    return ops.padding_amounts(6, 5, 1, "same")[0]


@exercise("params-3x3-10", why="Each filter has 3 × 3 × 3 = 27 weights and one bias: 10 × 28 = 280.",
          hint="a filter spans all 3 input channels; count one bias per filter")
def _params_3x3_10():
    return ops.conv_params(3, 3, 3, 10)


@exercise("params-next-layer", why="A 3×3 filter on a 10-deep input has 3 × 3 × 10 = 90 weights "
          "plus a bias; 64 of them make 64 × 91 = 5,824.",
          hint="the depth of each filter equals the depth of its input: 10 here")
def _params_next_layer():
    return ops.conv_params(3, 3, 10, 64)


@exercise("avg-pool", why="The mean of each 2×2 block of the 4×4 output.",
          hint="average the four numbers of each 2×2 block of the convolution output")
def _avg_pool():
    return ops.pool2d(_conv6(), 2, mode="avg")


@exercise("pool-size-296", why="2×2 pooling with stride 2 halves each side: 296 / 2 = 148, and "
          "the 10 channels stay 10.", hint="pooling works on each channel separately")
def _pool_size_296():
    return [ops.output_size(296, 2, 2), ops.output_size(296, 2, 2), 10]


@exercise("softmax-2-0", why="e^2 / (e^2 + e^0) = 0.881.", hint="exponentiate both scores and divide "
          "by their sum", tol=0.001)
def _softmax_2_0():
    from .. import learning
    return learning.softmax([2.0, 0.0])[0]


@exercise("dense-784-10", why="784 inputs × 10 outputs = 7,840 weights, plus 10 biases.",
          hint="one weight per input-output pair, one bias per output")
def _dense_784_10():
    return ops.dense_params(784, 10)



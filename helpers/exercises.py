"""Self-checks for the exercises: ``check_answer("case2-width", 3)`` tells the reader whether an
answer is right and why, without printing the answer itself.

Expected values are computed from ``data/`` with ``helpers.ops`` when asked, never typed, so
an exercise cannot drift from the numbers on the page. Each chapter's exercises are
registered below with the ``exercise`` decorator, grouped by part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import data, ops


@dataclass(frozen=True)
class Exercise:
    expected: Callable[[], Any]
    why: str
    hint: str
    tol: float = 1e-6


_REGISTRY: dict[str, Exercise] = {}


def exercise(key: str, why: str, hint: str, tol: float = 1e-6):
    """Register the decorated function as the source of truth for exercise ``key``.

    why: shown when the answer is right (the reasoning); hint: shown when it is not (a
    nudge that does not give the answer away).
    """
    def register(fn):
        if key in _REGISTRY:
            raise ValueError(f"exercise {key!r} is registered twice")
        _REGISTRY[key] = Exercise(fn, why, hint, tol)
        return fn
    return register


def _lookup(key: str) -> Exercise:
    if key not in _REGISTRY:
        raise KeyError(f"no exercise {key!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[key]


def _compare(answer, expected, tol) -> tuple[bool, str]:
    if answer is None:
        return False, "no answer yet (replace None with your answer)"
    if isinstance(expected, str):
        ok = isinstance(answer, str) and answer.strip().lower() == expected.strip().lower()
        return ok, "" if ok else "compare your wording with the text above"
    try:
        a = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False, f"expected a number or an array of numbers, got {type(answer).__name__}"
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        return False, f"your answer has shape {a.shape}, the answer has shape {e.shape}"
    if np.any(np.isnan(a)):
        return False, "your answer contains NaN"
    wrong = ~np.isclose(a, e, rtol=0, atol=tol)
    if wrong.any():
        where = "" if a.ndim == 0 else f" ({int(wrong.sum())} of {a.size} values differ)"
        return False, "that is not it" + where
    return True, ""


def is_correct(key: str, answer) -> bool:
    """True when ``answer`` matches exercise ``key`` (for tests and scripts)."""
    ex = _lookup(key)
    return _compare(answer, ex.expected(), ex.tol)[0]


def check_answer(key: str, answer) -> None:
    """Print whether ``answer`` to exercise ``key`` is right, and why."""
    ex = _lookup(key)
    ok, detail = _compare(answer, ex.expected(), ex.tol)
    if ok:
        print(f"Correct. {ex.why}")
    else:
        print(f"Not quite: {detail}. Hint: {ex.hint}")


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
    from .flatten import flatten
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
    from .flatten import flatten
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
    from . import filters
    return filters.apply(data.load("conv6x6_image"), filters.kernel("box blur"))[0, 0]


@exercise("sobel-flat", why="Sobel x's weights sum to 0, so on an even patch the left and right "
          "columns cancel.", hint="add up the weights of the kernel")
def _sobel_flat():
    from . import filters
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
    from . import network
    return network.softmax([2.0, 0.0])[0]


@exercise("dense-784-10", why="784 inputs × 10 outputs = 7,840 weights, plus 10 biases.",
          hint="one weight per input-output pair, one bias per output")
def _dense_784_10():
    return ops.dense_params(784, 10)


# ============================================================================ Part III
def _article_shapes(size=300, k=5, pool=2):
    """Side of the article model's conv output and of its pooled output."""
    conv = ops.output_size(size, k)
    return conv, ops.output_size(conv, pool, pool)


@exercise("13.1", why="760 conv parameters + 148·148·10·2 weights + 2 biases = 438,842.",
          hint="the conv layer is unchanged; the Dense layer now has 2 outputs, each with "
               "a weight per flattened value and a bias")
def _ch13_dense2_softmax():
    _, pooled = _article_shapes()
    return ops.conv_params(5, 5, 3, 10) + ops.dense_params(pooled * pooled * 10, 2)


@exercise("13.2", why="Without pooling Flatten gives 296·296·10 = 876,160 values: "
                      "760 + 876,161 = 876,921 parameters.",
          hint="pooling has no parameters, but it shrinks what the Dense layer sees")
def _ch13_no_pooling():
    conv, _ = _article_shapes()
    return ops.conv_params(5, 5, 3, 10) + ops.dense_params(conv * conv * 10, 1)


@exercise("13.3", why="Keras keeps int(23000·(1 − 0.2)) = 18,400 for training: 4,600 for "
                      "validation.",
          hint="Keras splits at int(n·(1 − validation_split)) and validates on the rest")
def _ch13_split_02():
    n = 23_000
    return n - int(n * (1 - 0.2))


@exercise("14.1", why="5·5·1·32 + 32 = 832 conv parameters and 12·12·32 + 1 = 4,609 in the "
                      "Dense layer: 5,441.",
          hint="28 − 5 + 1 = 24, pooled to 12; the kernel depth is 1 for grey digits")
def _ch14_digits_params_32():
    conv, pooled = _article_shapes(28)
    return ops.conv_params(5, 5, 1, 32) + ops.dense_params(pooled * pooled * 32, 1)


@exercise("15.1", why="64 images × 300·300·3 values × 4 bytes = 69.12 MB.",
          hint="a float32 takes 4 bytes; count values per image first", tol=0.01)
def _ch15_batch_mb():
    return 64 * 300 * 300 * 3 * 4 / 1e6

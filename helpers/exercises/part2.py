"""The exercises of Part II (chapters 07-12): each expected value computed, never typed. A "why"
or "hint" that quotes a result is a callable (``lambda: f"..."``) that computes it when shown."""

from __future__ import annotations

import numpy as np

from .. import coverage, data, ops
from .registry import exercise


# ============================================================================ Part II
def _conv6():
    return ops.conv2d(data.load("conv6x6_image"), data.load("conv6x6_kernel"))


def _ints(values) -> list[str]:
    """Whole numbers as a reader writes them, for sums like '54 + 55 + 121' in a "why"."""
    return [str(int(v)) for v in np.ravel(values)]


# Chapter 7 - the convolution layer
PLUS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])


@exercise(
    "conv-plus-0-0",
    why=lambda: (
        "The plus covers the centre of the first window and its "
        "four direct neighbours: " + " + ".join(_ints(data.load("conv6x6_image")[:3, :3][PLUS == 1])) + "."
    ),
    hint="put the plus on rows 0-2, columns 0-2: which five pixels fall under its 1s?",
)
def _conv_plus_0_0():
    return ops.conv2d(data.load("conv6x6_image"), PLUS)[0, 0]


@exercise(
    "conv-design-corner",
    why="A single 1 in the bottom-left cell copies the pixel "
    "image[i + 2, j] of every window; all other weights are 0.",
    hint="which of the nine weights meets image[i + 2, j] when the window starts at (i, j)?",
)
def _conv_design_corner():
    image = data.load("conv6x6_image")
    for u, v in np.ndindex(3, 3):  # the one-hot kernel that does it
        k = np.zeros((3, 3))
        k[u, v] = 1
        if np.array_equal(ops.conv2d(image, k), image[2:, :4]):
            return k
    raise AssertionError("no one-hot kernel copies the bottom-left pixel")


def _dense_taps():
    """The convolution of the article's kernel on the 6×6 image as a dense layer's weights: for
    each of them, the kernel weight it holds, or -1 where the output does not read the pixel."""
    from .. import convmatrix

    image, kernel = data.load("conv6x6_image"), data.load("conv6x6_kernel")
    m = convmatrix.conv_matrix(kernel, image.shape)  # one dense layer's weights (outputs × pixels)
    assert np.allclose(m @ image.ravel(), ops.conv2d(image, kernel).ravel())
    return convmatrix.tap_index(kernel.shape, image.shape)


@exercise(
    "conv-dense-zeros",
    why=lambda: (
        f"Each of the {_dense_taps().shape[0]} outputs reads {int((_dense_taps()[0] >= 0).sum())} of the "
        f"{_dense_taps().shape[1]} pixels: {int((_dense_taps() >= 0).sum())} weights are not held at 0, "
        f"{int((_dense_taps() < 0).sum())} are. The ones that are not are "
        f"{len(np.unique(_dense_taps()[_dense_taps() >= 0]))} shared values, repeated in every row."
    ),
    hint="one row of the matrix per output: how many of its pixels does one 3×3 window read?",
)
def _conv_dense_zeros():
    taps = _dense_taps()
    return [int((taps < 0).sum()), int((taps >= 0).sum())]


@exercise(
    "conv-flipud",
    why="The article's kernel is unchanged when turned upside down, so "
    "every upside-down window gives the same sum at the mirrored position.",
    hint="turn the kernel upside down too: does it change?",
    options=("a", "b", "c"),
)
def _conv_flipud():
    image, kernel = data.load("conv6x6_image"), data.load("conv6x6_kernel")
    flipped = ops.conv2d(np.flipud(image), kernel)
    if np.array_equal(flipped, np.flipud(ops.conv2d(image, kernel))):
        return "a"
    return "b" if np.array_equal(flipped, ops.conv2d(image, kernel)) else "c"


@exercise(
    "sobel-relu-zeros",
    why="Sobel x is negative wherever a window's right column holds smaller "
    "values than its left column (drawn lighter in the book's grey pictures, where high values "
    "are dark); the ReLU sets those outputs to 0.",
    hint="compute ops.conv2d(image, sobel) and count the outputs that are not positive",
)
def _sobel_relu_zeros():
    from .. import filters

    sobel = filters.kernel("Sobel x")
    return int((np.maximum(0, ops.conv2d(data.load("conv6x6_image"), sobel)) == 0).sum())


def channel_loop(x, kernel, bias):
    """A filter over every channel of ``x`` written as loops: over the output cells, then over
    the channels (each channel's window times its slice of the kernel), plus the bias."""
    kh, kw, depth = kernel.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            for c in range(depth):
                out[i, j] += np.sum(x[i : i + kh, j : j + kw, c] * kernel[:, :, c])
    return out + bias


@exercise(
    "conv-channels-loop-sum",
    why=lambda: (
        "The loop over the output cells and the channels, plus the bias, gives the second "
        "filter's map; its nine numbers add up to " + str(int(channel_loop(*_second_filter()).sum())) + "."
    ),
    hint="for each output cell, add np.sum(x[i:i+2, j:j+2, c] * kernels[:, :, c, 1]) over c, "
    "then add biases[1]",
)
def _conv_channels_loop_sum():
    x, kernel, bias = _second_filter()
    out = channel_loop(x, kernel, bias)
    assert np.array_equal(out, ops.conv2d(x, kernel, bias=bias))
    return out.sum()


def _second_filter():
    x, kernels, biases = data.two_channel()
    return x, kernels[..., 1], biases[1]


@exercise(
    "conv-depthless-kernel",
    why="A filter spans every channel of its input: a 3×3 kernel has no weights for the green "
    "and blue channels, so ops.conv2d refuses it and asks for the shape (3, 3, 3).",
    hint="how many weights does one window of a colour photo need?",
    options=("a", "b", "c"),
)
def _conv_depthless_kernel():
    from .. import filters

    photo = data.load_photo("coffee")
    try:
        out = ops.conv2d(photo, filters.kernel("Sobel x"))
    except ValueError:
        return "b"  # refused: the kernel must be (3, 3, 3)
    return "a" if out.ndim == 3 else "c"


# Chapter 8 - filters on real images
@exercise(
    "blur-corner",
    why=lambda: (
        "With zero padding only 4 of the 9 cells under the window are "
        "pixels: (" + " + ".join(_ints(data.load("conv6x6_image")[:2, :2])) + ") / 9."
    ),
    hint="put the window's centre on pixel (0, 0): which of its nine cells fall on the image?",
    tol=0.01,
)
def _blur_corner():
    from .. import filters

    return filters.apply(data.load("conv6x6_image"), filters.kernel("box blur"))[0, 0]


def _sobel_ramp_why() -> str:
    from .. import filters

    right = filters.kernel("Sobel x")[:, 2]  # the weights of the right column
    return (
        f"Each window's right column is 2 × 10 brighter than its left column, weighed by "
        f"{' + '.join(_ints(right))} = {int(right.sum())}: Sobel x reports the slope (10 per "
        f"column) times {int(2 * right.sum())}."
    )


@exercise(
    "sobel-ramp",
    why=lambda: _sobel_ramp_why(),
    hint="subtract the left column of a window from its right column, then apply the weights 1, 2, 1",
)
def _sobel_ramp():
    from .. import filters

    ramp = np.tile(10.0 * np.arange(7), (7, 1))
    return filters.apply(ramp, filters.kernel("Sobel x"))[3, 3]


def _sobel_top(n: int = 100):
    """The columns of the ``n`` strongest Sobel x responses (by size) on the chapter's cat photo."""
    from .. import filters

    out = np.abs(filters.apply(data.load_photo("chelsea", gray=True), filters.kernel("Sobel x")))
    top = np.argsort(out.ravel())[::-1][:n]
    return np.unravel_index(top, out.shape)[1], out.shape[1]


def _sobel_border_why() -> str:
    cols, width = _sobel_top()
    border = int(np.isin(cols, (0, width - 1)).sum())
    return (
        f"{border} of the {len(cols)} strongest responses lie in column 0 or column {width - 1}. "
        "The zero padding puts a black frame around the photo, and the jump from the photo's grey "
        "to 0 is a stronger edge than any inside it; scaled to those, everything else is faint."
    )


@exercise(
    "sobel-border",
    why=lambda: _sobel_border_why(),
    hint="think of what the zero padding adds around the photo, and what Sobel x sees there",
    options=("a", "b", "c"),
)
def _sobel_border():
    cols, width = _sobel_top()
    share = float(np.isin(cols, (0, width - 1)).mean())
    return "b" if share > 0.5 else "a"  # (c): no place holds most of them


def second_difference_kernel():
    """The 3×3 kernel that adds the second differences across and down (1, -2, 1 each way):
    the four-neighbour Laplacian."""
    k = np.zeros((3, 3))
    k[1, :] += [1, -2, 1]  # across: left - 2·centre + right
    k[:, 1] += [1, -2, 1]  # down: above - 2·centre + below
    return k


def _bowl():
    r, c = np.indices((7, 7))
    return (r - 3.0) ** 2 + (c - 3.0) ** 2


def _bowl_centre(kernel) -> float:
    from .. import filters

    return float(filters.apply(_bowl(), kernel)[3, 3])


@exercise(
    "laplacian-bowl-edge",
    why=lambda: (
        f"At the bowl's centre the pixel is {_bowl()[3, 3]:g}, its four direct neighbours {_bowl()[2, 3]:g} "
        f"and its four diagonal ones {_bowl()[2, 2]:g}. The four-neighbour kernel adds the four direct "
        f"ones and takes 4 times the centre: {_bowl_centre(second_difference_kernel()):g}. "
        f"The edge kernel takes 8 times the centre minus all eight neighbours: "
        f"{_laplacian_bowl_edge()[1]:g}. Both answer the bend, with opposite signs."
    ),
    hint="write down the bowl's 3×3 patch around (3, 3), then multiply it by each kernel",
)
def _laplacian_bowl_edge():
    from .. import filters

    return [_bowl_centre(second_difference_kernel()), _bowl_centre(filters.kernel("edge (Laplacian)"))]


def ring_clockwise(k):
    """``k`` (3×3) with each weight of its outer ring moved one cell clockwise."""
    ring = [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)]
    out = np.array(k, dtype=float)
    for n, cell in enumerate(ring):
        out[ring[(n + 1) % 8]] = k[cell]
    return out


@exercise(
    "sobel-diagonal",
    why="Moving Sobel x's ring one cell clockwise gives the diagonal "
    "Sobel kernel; its weights add up to 0, so flat areas give 0.",
    hint="the -1 at the top-left corner moves to the top edge, the -2 on the left edge "
    "to the top-left corner",
)
def _sobel_diagonal():
    from .. import filters

    return ring_clockwise(filters.kernel("Sobel x"))


# Chapter 9 - stride and padding
@exercise(
    "stride3-values",
    why=lambda: (
        "Stride-3 windows start at rows and columns "
        + " and ".join(map(str, range(0, ops.output_size(6, 3), 3)))
        + ": the output is "
        "stride1[::3, ::3]."
    ),
    hint="the window of out[i, j] starts at row 3·i and column 3·j: image[3*i:3*i+3, 3*j:3*j+3]",
)
def _stride3_values():
    return ops.conv2d(data.load("conv6x6_image"), data.load("conv6x6_kernel"), stride=3)


def loop_starts(n: int, k: int, s: int, stop_offset: int = 1) -> list[int]:
    """The window starts of a strided loop ``range(0, n - k + stop_offset, s)``: 1 is right,
    0 the bound of the diagnosed loop (strided-loop-bound)."""
    return list(range(0, n - k + stop_offset, s))


@exercise(
    "strided-loop-bound",
    why=lambda: (
        f"range stops before its stop value, so range(0, n - k, s) never starts a window at n - k: "
        f"on 7×7 the starts are {loop_starts(7, 3, 2, 0)} instead of {loop_starts(7, 3, 2)}. "
        f"On 6×6 both give {loop_starts(6, 3, 2)}, so the bug hides there. The stop must be n - k + 1."
    ),
    hint="list the starts range(0, 7 - 3, 2) gives, and the starts a 3-wide window can take on 7 pixels",
    options=("a", "b", "c"),
)
def _strided_loop_bound():
    wrong, right = loop_starts(7, 3, 2, 0), loop_starts(7, 3, 2)
    hidden = loop_starts(6, 3, 2, 0) == loop_starts(6, 3, 2)  # the bug does not show on 6×6
    if hidden and len(right) == ops.output_size(7, 3, 2) and wrong == right[:-1]:
        return "a"  # only the last start, n - k, is missing
    raise AssertionError(f"the diagnose exercise no longer fits its options: {wrong} vs {right}")


def _unread_8_why() -> str:
    starts = list(range(0, 8 - 3 + 1, 2))
    last = starts[-1] + 2
    never = ", ".join(map(str, range(last + 1, 8)))
    return (
        f"The windows start at {', '.join(map(str, starts))} and end at {last}: row {never} and "
        f"column {never} ({_unread_8_3_2()} cells) are never read."
    )


@exercise("unread-8-3-2", why=lambda: _unread_8_why(), hint="find the last row a window reaches")
def _unread_8_3_2():
    return int((coverage.coverage((8, 8), np.ones((3, 3)), stride=2)[0] == 0).sum())


def _same_vs_symmetric(n: int) -> tuple[int, int]:
    """(values that agree, values) of Keras "same" and padding=1 at stride 2 on an n×n image."""
    x = np.arange(n * n, dtype=float).reshape(n, n) % 11  # any n×n image will do
    kernel = data.load("conv6x6_kernel")
    tf_same = ops.conv2d(x, kernel, stride=2, padding="same")
    symmetric = ops.conv2d(x, kernel, stride=2, padding=1)
    if tf_same.shape != symmetric.shape:
        return 0, tf_same.size
    return int((tf_same == symmetric).sum()), tf_same.size


def _same_7_why() -> str:
    out = ops.output_size(7, 3, 2, "same")
    zeros = ops.padding_amounts(7, 3, 2, "same")
    return (
        f"On 7×7 Keras needs ceil(7 / 2) = {out} outputs, ({out} - 1)·2 + 3 = {(out - 1) * 2 + 3} cells: "
        f"{sum(zeros)} zeros, an even number, split {list(zeros)}, which is padding=1. The same zeros give "
        f"the same windows: all {_same_vs_symmetric(7)[1]} values agree. On 6×6 the odd zero went after."
    )


@exercise(
    "same-vs-symmetric-7",
    why=lambda: _same_7_why(),
    hint="count the zeros Keras adds on 7×7 (how many cells do ceil(7 / 2) windows need?) and where",
    options=("a", "b", "c"),
)
def _same_vs_symmetric_7():
    agree, size = _same_vs_symmetric(7)
    if agree == size and _same_vs_symmetric(6)[0] == 0:
        return "a"
    return "b" if agree == 0 else "c"


def _read_counts(n: int, s: int):
    return coverage.coverage((n, n), np.ones((3, 3)), stride=s)[0]


@exercise(
    "stride-read-once-9",
    why=lambda: (
        f"At stride {_stride_read_once_9()} the windows start at "
        f"{', '.join(map(str, range(0, 9 - 3 + 1, _stride_read_once_9())))}: they touch without "
        "overlapping and the last one ends at the last pixel. A smaller stride reads some pixels twice, "
        "a larger one leaves pixels out."
    ),
    hint="the windows must neither overlap nor leave a gap: how far apart must their starts be?",
)
def _stride_read_once_9():
    fits = [s for s in range(1, 10) if (_read_counts(9, s) == 1).all()]
    if len(fits) != 1:
        raise AssertionError(f"the design exercise needs exactly one stride, got {fits}")
    return fits[0]


@exercise(
    "pad-design-7-5-2",
    why=lambda: f"floor((7 - 5 + 2P) / 2) + 1 = P + 2, which is 4 for P = {_pad_design_7_5_2()} only.",
    hint="write the output size as a function of P and solve for 4",
)
def _pad_design_7_5_2():
    fits = [p for p in range(10) if ops.output_size(7, 5, 2, p) == 4]
    if len(fits) != 1:
        raise AssertionError(f"the design exercise needs exactly one answer, got {fits}")
    return fits[0]


# Chapter 10 - several filters and the activation map
@exercise(
    "params-next-layer",
    why=lambda: (
        "A 3×3 filter on a 10-deep input has 3 × 3 × 10 = "
        f"{3 * 3 * 10} weights plus a bias; 64 of them make 64 × {3 * 3 * 10 + 1} = "
        f"{ops.conv_params(3, 3, 10, 64):,}."
    ),
    hint="the depth of each filter equals the depth of its input: 10 here",
)
def _params_next_layer():
    return ops.conv_params(3, 3, 10, 64)


@exercise(
    "one-by-one-forgot",
    why=lambda: (
        "A 1×1 filter on an RGB photo is 1×1×3: one weight per input channel and a bias, so "
        f"4 × (3 + 1) = {ops.conv_params(1, 1, 3, 4)} parameters, not 4 × (1 + 1) = 8. The biases were "
        "counted, and the stride has no weights."
    ),
    hint="a 1×1 filter sees one pixel, but how many numbers does one pixel of an RGB photo hold?",
    options=("a", "b", "c"),
)
def _one_by_one_forgot():
    from .. import tfenv

    layer = tfenv.keras().layers.Conv2D(4, 1)
    layer.build((None, 8, 8, 3))
    count = layer.count_params()
    if count == ops.conv_params(1, 1, 3, 4) and count != 4 * (1 + 1):
        return "a"  # the depth: one weight per input channel
    raise AssertionError(f"Keras counts {count} parameters for the 1×1 layer")


LUMA = (0.299, 0.587, 0.114)  # chapter 10's grey filter (ITU-R BT.601)


def _grey(rgb):
    return ops.conv2d(rgb.astype(float), np.array(LUMA).reshape(1, 1, 3))


def _grey_of_bgr_diff() -> float:
    photo = data.load_photo("astronaut")
    return float(np.abs(_grey(photo[:, :, ::-1]) - _grey(photo)).max())


@exercise(
    "grey-of-bgr",
    why=lambda: (
        f"A 1×1 filter weighs each channel by its own weight: fed BGR, the {LUMA[0]} meant for red "
        f"meets blue and the {LUMA[2]} meant for blue meets red. The grey image changes wherever red "
        f"and blue differ (here by up to {_grey_of_bgr_diff():.0f} grey levels)."
    ),
    hint="write the filter's output at one pixel, w_R·R + w_G·G + w_B·B, with R and B swapped",
    options=("a", "b", "c"),
)
def _grey_of_bgr():
    return "b" if _grey_of_bgr_diff() > 1 else "a"


@exercise(
    "red-minus-blue",
    why=lambda: (
        "Weight {} on red, {} on green and {} on blue: at every pixel the filter computes R − B.".format(
            *_red_minus_blue()
        )
    ),
    hint="a 1×1×3 filter computes w_R·R + w_G·G + w_B·B at every pixel: which weights give R − B?",
)
def _red_minus_blue():
    photo = data.load_photo("coffee")[:16, :16].astype(float)
    target = photo[:, :, 0] - photo[:, :, 2]
    fits = [
        [v - 1 for v in w]
        for w in np.ndindex(3, 3, 3)  # every filter with weights -1, 0 or 1
        if np.array_equal(ops.conv2d(photo, (np.array(w) - 1.0).reshape(1, 1, 3)), target)
    ]
    if len(fits) != 1:
        raise AssertionError(f"the design exercise needs exactly one filter, got {fits}")
    return fits[0]


@exercise(
    "rgb-to-bgr",
    why="Output channel f copies input channel 2 - f: weight 1 from c = 2 - f, 0 elsewhere.",
    hint="output channel 0 must be the blue input channel, number 2",
)
def _rgb_to_bgr():
    photo = data.load_photo("coffee")[:8, :8].astype(float)
    for perm in np.ndindex(3, 3, 3):  # every choice of one source per output
        w = np.zeros((3, 3))
        w[list(perm), [0, 1, 2]] = 1
        if np.array_equal(ops.conv2d(photo, w.reshape(1, 1, 3, 3)), photo[:, :, ::-1]):
            return w
    raise AssertionError("no 0/1 channel map turns RGB into BGR")


# Chapter 11 - pooling
@exercise(
    "pool-size-297",
    why=lambda: (
        "floor((297 - 2) / 2) + 1 = "
        f"{ops.output_size(297, 2, 2)}: the last row and column are dropped; the depth stays the "
        "same."
    ),
    hint="use the output-size formula with the floor; pooling works on each channel separately",
)
def _pool_size_297():
    return [ops.output_size(297, 2, 2), ops.output_size(297, 2, 2), 10]


def _shifted_changes(left: bool) -> int:
    c = _conv6()
    moved = np.pad(c, ((0, 0), (0, 1)))[:, 1:] if left else np.pad(c, ((0, 0), (1, 0)))[:, :4]
    return int((ops.pool2d(moved, 2) != ops.pool2d(c, 2)).sum())


def _block_maxima():
    """(value, column inside its 2×2 block) of each block maximum of the 4×4 output, row by row."""
    blocks = _conv6().reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(4, 4)
    return [(int(b.max()), int(b.argmax()) % 2) for b in blocks]


def _shift_left_why() -> str:
    right = [v for v, col in _block_maxima() if col == 1]
    left = [v for v, col in _block_maxima() if col == 0]
    return (
        f"The block maxima {', '.join(map(str, right))} sit in the right column of their block "
        f"and stay inside it; only the maximum {', '.join(map(str, left))}, in the left column, "
        f"moves out: {_shift_left_changes()} value changes."
    )


@exercise(
    "shift-left-changes",
    why=lambda: _shift_left_why(),
    hint="find the column of each block's maximum: does a shift to the left keep it in the block?",
)
def _shift_left_changes():
    return _shifted_changes(left=True)


@exercise(
    "receptive-three-3x3",
    why=lambda: "r = 1 + 3 × (3 - 1) = {0}: three 3×3 layers see as far as one {0}×{0}.".format(
        _receptive_three_3x3()
    ),
    hint="each stride-1 layer with a k×k kernel adds k - 1 to the side",
)
def _receptive_three_3x3():
    from .. import network, receptive

    return receptive.trace([network.Conv(1, 3)] * 3)[-1]["r"]


def _peak_survives(r: int, c: int) -> bool:
    """Does the 2×2 max-pooled 4×4 map with one peak at (r, c) survive a one-column shift to the
    right AND a one-row shift down (zeros entering, values leaving at the edge)?"""
    peak = np.zeros((4, 4))
    peak[r, c] = 9
    right = np.pad(peak, ((0, 0), (1, 0)))[:, :4]
    down = np.pad(peak, ((1, 0), (0, 0)))[:4, :]
    pooled = ops.pool2d(peak, 2)
    return np.array_equal(ops.pool2d(right, 2), pooled) and np.array_equal(ops.pool2d(down, 2), pooled)


@exercise(
    "pool-peak-both-shifts",
    why=lambda: (
        "A peak survives a shift to the right only in the left "
        "column of its block, and a shift down only in the top row: only the top-left cell of each "
        f"block survives both, {_pool_peak_both_shifts()} of the 16 places."
    ),
    hint="for each cell of one 2×2 block, ask: does a move right keep it in the block? a move down?",
)
def _pool_peak_both_shifts():
    return sum(_peak_survives(r, c) for r, c in np.ndindex(4, 4))


@exercise(
    "pool-overlap-3-1",
    why=lambda: (
        "Each 3×3 window at stride 1 covers nine of the sixteen values; their maxima, row by row: "
        + " ".join(_ints(_pool_overlap_3_1()))
        + ". The windows overlap, so one large value (913) can win two of them."
    ),
    hint="the windows start at rows 0 and 1 and columns 0 and 1: take the largest of each 3×3 block",
)
def _pool_overlap_3_1():
    c = _conv6()
    out = np.zeros((2, 2))
    for i, j in np.ndindex(2, 2):  # the loop the exercise asks for
        out[i, j] = c[i : i + 3, j : j + 3].max()
    assert np.array_equal(out, ops.pool2d(c, 3, stride=1))
    return out


def _l2_photo():
    return ops.pool2d(data.load_photo("coffee", gray=True).astype(float), 3, mode="l2")


def _l2_photo_share_over_255() -> float:
    """The share of the 3×3 L2-pooled grey coffee photo's values above 255 (white when shown on
    the 0-255 scale)."""
    return float((_l2_photo() > 255).mean())


@exercise(
    "l2-photo-too-bright",
    why=lambda: (
        "The L2 pooling of 3×3 equal pixels is sqrt(9 × p²) = 3p: about three times a pixel, so "
        f"{_l2_photo_share_over_255():.0%} of the pooled values pass 255 and are clipped to white. "
        "Dividing by the window side (3) brings them back to the pixels' scale."
    ),
    hint="what is the L2 pooling of nine pixels that are all 100? compare it with 255",
    options=("a", "b", "c"),
)
def _l2_photo_too_bright():
    equal = ops.pool2d(np.full((3, 3), 100.0), 3, mode="l2")[0, 0]
    if np.isclose(equal, 300) and _l2_photo_share_over_255() > 0.5:
        return "b"
    raise AssertionError("the L2-pooled photo is not mostly above 255")


def _pool_window_dense(pool: int) -> int:
    """The parameters of the article's Dense layer when its pooling window (= stride) is
    ``pool``."""
    from .. import network

    return network.article_parameters(pool=pool)["dense"]


def _article_conv_side() -> int:
    from .. import network

    return network.article_shapes()["conv"][0]


def _pool_window_why() -> str:
    p, side = _pool_window_under_20000(), _article_conv_side()
    return (
        f"A window of {p} leaves {ops.output_size(side, p, p)}² × 10 values, so the Dense layer has "
        f"{_pool_window_dense(p):,} parameters; a window of {p - 1} still leaves "
        f"{_pool_window_dense(p - 1):,}."
    )


@exercise(
    "pool-window-under-20000",
    why=lambda: _pool_window_why(),
    hint=lambda: (
        f"the Dense layer has side² × 10 + 1 parameters, side = floor({_article_conv_side()} / window)"
    ),
)
def _pool_window_under_20000():
    return next(p for p in range(2, _article_conv_side() + 1) if _pool_window_dense(p) < 20_000)


# Chapter 12 - the output layer and the whole network
@exercise(
    "softmax-2-0",
    why=lambda: f"e^2 / (e^2 + e^0) = {_softmax_2_0():.3f}.",
    hint="exponentiate both scores and divide by their sum",
    tol=0.001,
)
def _softmax_2_0():
    from .. import losses

    return losses.softmax([2.0, 0.0])[0]


@exercise(
    "softmax-shift",
    why="Adding 10 multiplies every e^z by e^10, which cancels in the "
    "division: softmax depends only on differences of scores.",
    hint="write e^(z + 10) as e^z · e^10 and look at the fraction",
    options=("a", "b", "c"),
)
def _softmax_shift():
    from .. import losses

    z = np.array([2.0, 1.0, -1.0])
    before, after = losses.softmax(z), losses.softmax(z + 10)
    if np.allclose(before, after):
        return "b"
    return "a" if (after > before).all() else "c"


def _scaled_softmax(factor: float) -> np.ndarray:
    from .. import losses

    return losses.softmax(factor * np.array([2.0, 1.0, -1.0]))


@exercise(
    "softmax-scale",
    why=lambda: (
        "Multiplying by 10 makes the gaps between the scores 10 times larger, and softmax depends "
        f"only on those gaps: the first class goes from {_scaled_softmax(1)[0]:.3f} to "
        f"{_scaled_softmax(10)[0]:.5f}, the order stays. Adding a constant changes nothing; "
        "multiplying makes the network sound surer."
    ),
    hint="softmax depends only on the differences of the scores: what does multiplying by 10 do to them?",
    options=("a", "b", "c"),
)
def _softmax_scale():
    before, after = _scaled_softmax(1), _scaled_softmax(10)
    if np.allclose(before, after):
        return "a"
    same_order = (np.argsort(before) == np.argsort(after)).all()
    return "b" if same_order and after.max() > before.max() else "c"


def _page_layers(end):
    """The network of chapter 12 with ``end`` (a list of specs) after its two conv-pool blocks."""
    from .. import network

    return [network.Conv(10, 5), network.Pool(2), network.Conv(16, 3, padding="same"), network.Pool(2)] + end


def _last_layer_outputs(units: int, activation: str) -> np.ndarray:
    """What a last layer of ``units`` with ``activation`` gives for a batch of random scores."""
    from .. import losses

    z = np.random.default_rng(0).normal(size=(5, units))
    return losses.softmax(z) if activation == "softmax" else losses.sigmoid(z)


#: the options of the three-class design exercise: (units, activation)
THREE_CLASS_OPTIONS = {"a": (3, "softmax"), "b": (1, "softmax"), "c": (3, "sigmoid")}


def _three_class_params() -> int:
    from .. import network

    return network.trace((32, 32, 3), _page_layers([network.Flatten(), network.Dense(3, "softmax")]))[-1][
        "params"
    ]


@exercise(
    "three-classes-last-layer",
    why=lambda: (
        "Dense(3) with softmax: one score per class, turned into three probabilities that add up "
        f"to 1, with {_three_class_params():,} parameters. Dense(1) with softmax always says 1; "
        "three sigmoids answer three separate yes/no questions, and their sum is not 1."
    ),
    hint="which layer gives one number per class, and which activation makes the numbers add up to 1?",
    options=tuple(THREE_CLASS_OPTIONS),
)
def _three_classes_last_layer():
    fits = [
        key
        for key, (units, activation) in THREE_CLASS_OPTIONS.items()
        if units == 3
        and np.allclose(_last_layer_outputs(units, activation).sum(axis=1), 1)
        and np.ptp(_last_layer_outputs(units, activation)) > 0
    ]
    if len(fits) != 1:
        raise AssertionError(f"the design exercise needs exactly one right option, got {fits}")
    return fits[0]


@exercise(
    "grad-all-ones",
    why=lambda: (
        "dL/dK[0, 0] = sum over i, j of delta[i, j]·x[i, j]; with "
        "delta = 1 it is the sum of the top-left {0}×{0} block of x.".format(ops.output_size(6, 3))
    ),
    hint="put u = v = 0 and delta = 1 into the formula for dL/dK[u, v]",
    tol=0.001,
)
def _grad_all_ones():
    from .. import backprop

    x = data.load("conv6x6_image") / 255
    return backprop.kernel_gradient(x, np.ones((4, 4)))[0, 0]


def _stride2_terms():
    """The windows of a 3×3 kernel at stride 2 that read each pixel of the 6×6 image: the terms
    of dL/dx there."""
    from .. import coverage

    return coverage.coverage((6, 6), np.ones((3, 3)), stride=2)[0]


@exercise(
    "grad-x-terms-stride2",
    why=lambda: (
        "One term per window that read the pixel. At stride 2 the windows start at rows and "
        "columns {}: pixel (0, 0) is in {} window, (2, 2) in {} (every start row times every start "
        "column), (2, 3) in {} (column 3 lies only in the windows of the last start column).".format(
            " and ".join(map(str, range(0, 6 - 3 + 1, 2))), *_grad_x_terms_stride2()
        )
    ),
    hint="list the rows and the columns the stride-2 windows cover; a pixel's count is rows × columns",
)
def _grad_x_terms_stride2():
    from .. import backprop

    # the stride-2 outputs are the stride-1 outputs at even rows and columns: a delta of 1 there
    # (0 at the outputs stride 2 skips), sent back through a kernel of ones, counts the terms
    delta = np.zeros((4, 4))
    delta[::2, ::2] = 1
    terms = backprop.input_gradient(np.ones((3, 3)), delta)
    assert np.array_equal(terms, _stride2_terms())
    return [int(terms[0, 0]), int(terms[2, 2]), int(terms[2, 3])]

"""The exercises of Part I (chapters 01-06 and 06b): each expected value computed, never typed.

Choice answers ("a"/"b", "yes"/"no") are computed too where the data decide them (e.g. whether
a shuffled dense layer still agrees), so the registry fails loudly if the data change. A "why"
or "hint" that quotes a number is a callable (``lambda: f"..."``) that computes it when shown.
"""

from __future__ import annotations

import numpy as np

from .. import article, coverage, data, ops
from .registry import exercise


def _digit4():
    return data.load("digit4")


def _real_four():
    """Chapter 1's real handwritten 4: the first 4 of data/mnist_5k.npz (uint8 ink, 0-255)."""
    images, labels, _ = data.load_mnist_5k()
    return images[labels == 4][0]


WRAP_ADD = 20  # the ink chapter 1's reader adds to every pixel of the real 4 (ch1-uint8-wrap)


def _wrapped() -> int:
    """How many pixels of the real 4 come out lighter after ``M + 20`` in uint8."""
    m = _real_four()
    return int(((m + WRAP_ADD) < m).sum())


def _first_ink() -> tuple[int, int, int]:
    """(position, column, row) of the real 4's first inked pixel in column-major order, from
    the loop the reader writes."""
    m = _real_four()
    row = [m[r, c] for c in range(m.shape[1]) for r in range(m.shape[0])]
    k = int(np.flatnonzero(row)[0])
    return k, k // m.shape[0], k % m.shape[0]


def _image_b():
    return data.load("image_b")


def _case2_out(padding=0):
    return ops.correlate_rows(_image_b(), data.load("case2_weights")[0], padding=padding)


def _fmt(value) -> str:
    """A number or nested list as the reader types it: whole numbers without '.0'."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return f"{float(value):g}"


def _windows_3x3_why() -> str:
    rows, cols = _digit4().shape
    starts_r = [s for s in range(rows - 2) if s <= 8 <= s + 2]
    starts_c = [s for s in range(cols - 2) if s <= 1 <= s + 2]
    return (
        f"{len(starts_r)} starting rows ({', '.join(map(str, starts_r))}) × {len(starts_c)} "
        f"starting columns ({', '.join(map(str, starts_c))}): a 3×3 window fits only "
        f"{ops.output_size(cols, 3)} times across {cols} columns. In the middle of a large "
        f"image: 3 × 3 = {3 * 3}."
    )


def _case4_matrix():
    """The two filters of Case 4 as the rows of a 2×2 matrix."""
    return np.stack([data.load("case2_weights")[0], data.load("case4_weights")[0]])


# ============================================================ Chapter 1: how a machine sees
@exercise(
    "ch1-light-picture",
    why=lambda: (
        f"255 - A turns the most ink into the least light: the stroke's {_digit4().max()} of ink becomes "
        f"{255 - _digit4().max()}, nearly black, and the paper's {_digit4().min()} becomes "
        f"{255 - _digit4().min()}, nearly white. 255 - A read as light is A read as ink."
    ),
    hint="which pixels of 255 - A get the small values, the stroke's or the paper's? "
    "Read as light, is a small value dark or light?",
    options=("a", "b"),
)
def _ch1_light_picture():
    a = _digit4()
    light, stroke = 255 - a, a > 255 / 2  # the stroke: the pixels with more ink than paper
    return "a" if light[stroke].mean() < light[~stroke].mean() else "b"  # a: a dark stroke


@exercise(
    "ch1-photo-numbers",
    why=lambda: "{} rows × {} columns × {} channels: one number per channel per pixel.".format(
        *data.load_photo("chelsea").shape
    ),
    hint="multiply the three numbers of the shape",
)
def _ch1_photo_numbers():
    return data.load_photo("chelsea").size


@exercise(
    "ch1-uint8-wrap",
    why=lambda: (
        f"A uint8 holds 0 to 255 only, and M + 20 stays uint8: every pixel of {256 - WRAP_ADD} or more "
        f"passes 255 and wraps around (256 becomes 0), so {_wrapped()} of the darkest pixels turn "
        "almost white. Add in a wider type and clip: np.clip(M.astype(int) + 20, 0, 255)."
    ),
    hint="which sums are too large for 8 bits, and what does uint8 arithmetic do with them?",
)
def _ch1_uint8_wrap():
    return _wrapped()


@exercise(
    "ch1-column-loop-first-ink",
    why=lambda: (
        "Column-major order reads column 0 from top to bottom, then column 1, ...: the first ink "
        f"it meets is in the leftmost column that has any, column {_first_ink()[1]}, at row "
        f"{_first_ink()[2]}: position {_first_ink()[1]} × {_real_four().shape[0]} + {_first_ink()[2]}."
    ),
    hint="loop over the columns outside and the rows inside, then np.flatnonzero(row)[0]",
)
def _ch1_column_loop_first_ink():
    return _first_ink()[0]


@exercise(
    "ch1-shuffle-train-test",
    why="The weights learnt on shuffled images are the "
    "shuffled weights W[perm]; on unshuffled images each weight meets the wrong pixel.",
    hint="the equality needs the same permutation on the image AND on the weights",
    options=("a", "b"),
)
def _ch1_shuffle_train_test():
    from ..flatten import permutation_demo

    demo = permutation_demo(_digit4(), units=3, seed=0)
    trained = demo["weights"][demo["perm"]]  # what training on shuffled images finds
    same = np.allclose(_digit4().ravel() @ trained, demo["original"])
    return "a" if same else "b"


# ============================================================ Chapter 2: Case 1
@exercise(
    "case1-negative-min",
    why="With w = -1 the pixel with the most ink becomes the most negative value: -A.max().",
    hint="which pixel of A gives the smallest product with -1?",
)
def _case1_negative_min():
    return (-1 * _digit4()).min()


@exercise(
    "case1-fit-255",
    why="The largest pixel of A must land on 255: w = 255 / A.max(); "
    "every other pixel is scaled by the same factor and stays below 255.",
    hint="which pixel becomes the largest output? Make it exactly 255",
    tol=0.005,
)
def _case1_fit_255():
    return 255 / _digit4().max()


LOOP_WEIGHT = 0.5  # the weight of the loop the reader writes (case1-loop-sum)


@exercise(
    "case1-loop-sum",
    why=lambda: (
        f"Your loop visits all {_digit4().size} pixels and multiplies each by the same weight, "
        f"so its output is {LOOP_WEIGHT} × A and sums to {LOOP_WEIGHT} × {_digit4().sum()}."
    ),
    hint="start from np.zeros(A.shape), fill out[r, c] = 0.5 * A[r, c] in two nested loops, "
    "then give out.sum()",
)
def _case1_loop_sum():
    return ops.conv2d(_digit4(), [[LOOP_WEIGHT]]).sum()


@exercise(
    "case1-no-dollar",
    why=lambda: (
        f"Copied one row down, {_no_dollar()[0]} becomes {_no_dollar()[1]}: without the dollar "
        "signs the weight reference moves with the copy, like the pixel reference, and G6 is an "
        "empty cell, which a spreadsheet reads as 0. The $ is what makes one weight shared."
    ),
    hint="copy the formula one row down yourself: which references change?",
    options=("a", "b", "c"),
)
def _case1_no_dollar():
    printed = data.printed_cells("case1_printed")[0][0]  # the article's =B2*$G$5
    pixel, weight = article.copy_formula(printed, 1, 0)[1:].split("*")
    typed_pixel, typed_weight = _no_dollar()[1][1:].split("*")
    if typed_weight != weight.replace("$", ""):
        return "b"  # the weight reference moved
    return "a" if typed_pixel != pixel else "c"


def _no_dollar() -> tuple[str, str]:
    """The article's formula typed without its dollar signs, and its copy one row down."""
    typed = data.printed_cells("case1_printed")[0][0].replace("$", "")
    return typed, article.copy_formula(typed, 1, 0)


@exercise(
    "case1-grey-weights",
    why="out = (R + G + B) / 3 is the mean of the three channels: w = 1/3 for each, "
    "one weight per channel, the same at every pixel.",
    hint="write the mean of three numbers R, G, B as w_r·R + w_g·G + w_b·B",
    tol=0.005,
)
def _case1_grey_weights():
    # the weights that turn every pixel of a photo into the mean of its channels (least squares)
    photo = data.load_photo("chelsea").reshape(-1, 3).astype(float)
    return np.linalg.lstsq(photo, photo.mean(axis=1), rcond=None)[0]


# ============================================================ Chapter 3: Case 2
def _stride_2_reads() -> list[int]:
    """[output columns, pixels of a row read twice] of the 1×2 window on image B at stride 2."""
    count, _ = coverage.coverage(_image_b().shape, np.ones((1, 2)), stride=(1, 2))
    return [ops.output_size(_image_b().shape[1], 2, stride=2), int((count[0] > 1).sum())]


@exercise(
    "case2-stride-2-reads",
    why=lambda: (
        f"At stride 2 the 2-wide window starts at columns "
        f"{' and '.join(str(s) for s in range(0, _image_b().shape[1] - 1, 2))} only: "
        f"{_stride_2_reads()[0]} columns, and {_stride_2_reads()[1]} pixels are read twice, because the "
        "windows no longer overlap. At stride 1 the middle pixels of a row are read twice."
    ),
    hint="put the window on column 0, then move it two columns at a time: where does it still fit, "
    "and do two windows ever hold the same pixel?",
)
def _case2_stride_2_reads():
    out = ops.correlate_rows(_image_b(), data.load("case2_weights")[0], stride=2)
    if out.shape[1] != _stride_2_reads()[0]:
        raise ValueError("case2-stride-2-reads: the strided output and the window count disagree")
    return _stride_2_reads()


@exercise(
    "case2-width-3",
    why=lambda: (
        f"A window 3 wide fits at {_image_b().shape[1]} - 3 + 1 = "
        f"{ops.output_size(_image_b().shape[1], 3)} places: out = n - k + 1."
    ),
    hint="use out = n - k + 1",
)
def _case2_width_3():
    return ops.output_size(4, 3)


LOOP_PAIR = (0.5, 0.5)  # the pair of the loop the reader writes (case2-loop-sum)


@exercise(
    "case2-loop-sum",
    why=lambda: (
        f"Your loop visits all {_case2_out().size} windows and adds half of a pixel to half of its "
        f"right neighbour each time: its output is ops.conv2d(B, [[0.5, 0.5]]), which sums to "
        f"{_fmt(ops.correlate_rows(_image_b(), LOOP_PAIR).sum())}."
    ),
    hint="out[r, c] = 0.5 * B[r, c] + 0.5 * B[r, c + 1] for r in range(17) and c in range(3), "
    "then give out.sum()",
)
def _case2_loop_sum():
    out = np.zeros(_case2_out().shape)
    b = _image_b()
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = LOOP_PAIR[0] * b[r, c] + LOOP_PAIR[1] * b[r, c + 1]
    return out.sum()


def _case2_slips() -> dict[str, np.ndarray]:
    """The one-line slips of exercise case2-slice-bug, by option."""
    b, (w0, w1) = _image_b(), data.load("case2_weights")[0]
    return {
        "a": b[:, :-1] * w1 + b[:, 1:] * w0,  # the two weights swapped
        "b": b[:, :-1] * w0 + b[:, :-1] * w1,  # both terms on the left pixel of each pair
        "c": b[:, 1:] * w0 + b[:, 1:] * w1,  # both terms on the right pixel
    }


@exercise(
    "case2-slice-bug",
    why=lambda: (
        "Every cell of the reader's output is w0 + w1 = "
        f"{_fmt(sum(data.load('case2_weights')[0]))} times the pixel under w0 "
        f"({_fmt(_case2_slips()['b'][0, 0])} = {_fmt(sum(data.load('case2_weights')[0]))} × "
        f"{_fmt(_image_b()[0, 0])}): both terms read B[:, :-1], so the right neighbour is never read. "
        "The second term needs B[:, 1:]."
    ),
    hint="divide each of the reader's cells by the pixels of row 0 of B: which pixel is it a multiple of?",
    options=("a", "b", "c"),
)
def _case2_slice_bug():
    b, (w0, w1) = _image_b(), data.load("case2_weights")[0]
    seen = (w0 + w1) * b[:, :-1]  # what the reader sees: each cell (w0 + w1) times its left pixel
    found = [k for k, out in _case2_slips().items() if np.allclose(out, seen)]
    if len(found) != 1:
        raise ValueError(f"case2-slice-bug: {len(found)} slips give the reader's output, want exactly 1")
    return found[0]


@exercise(
    "case2-light-edges",
    why="(255 - a) - (255 - b) = -(a - b): the 255s cancel because "
    "the weights add up to 0, so every sign flips.",
    hint="write one window of 255 - B with [1, -1] and simplify",
    options=("a", "b", "c"),
)
def _case2_light_edges():
    b, pair = _image_b(), [[1, -1]]
    light, ink = ops.conv2d(255 - b, pair), ops.conv2d(b, pair)
    return "a" if np.allclose(light, ink) else "b" if np.allclose(light, -ink) else "c"


# ============================================================ Chapter 4: Case 3
def _case2_pair():
    return data.load("case2_weights")[0]


@exercise(
    "case3-pad-k6",
    why=lambda: (
        "n + p - k + 1 = n needs p = k - 1 = "
        f"{sum(ops.padding_amounts(_image_b().shape[1], 6, 1, 'same'))} zero columns at stride 1; "
        "'same' splits them as evenly as they go, the odd one after."
    ),
    hint="first solve n + p - k + 1 = n for the total p, then split it",
)
def _case3_pad_k6():
    return list(ops.padding_amounts(_image_b().shape[1], 6, 1, "same"))


def _same_weights():
    """The total weight columns 0 and 3 of image B meet under Keras' 'same' padding of the pair."""
    b, pair = _image_b(), _case2_pair()
    pads = ops.padding_amounts(b.shape[1], pair.size, 1, "same")
    _, weight = coverage.coverage(b.shape, pair[None, :], padding=((0, 0), pads))
    return weight[0, [0, b.shape[1] - 1]]


@exercise(
    "case3-same-weights",
    why=lambda: (
        f"With the one zero column on the right, column 0 is only ever a left pixel and meets "
        f"w0 = {_fmt(_same_weights()[0])} alone; column 3 is a right pixel, then the left pixel "
        f"next to the zero, and meets both weights, {_fmt(_same_weights()[1])}."
    ),
    hint="list the windows of the padded row that contain column 0, then those that contain column 3",
)
def _case3_same_weights():
    return _same_weights().tolist()


def _full_padding(k: int = 3) -> int:
    """The fewest zero columns on each side that put every column of B in k windows."""
    b = _image_b()
    for p in range(k + 1):
        count, _ = coverage.coverage(b.shape, np.ones((1, k)), padding=((0, 0), (p, p)))
        if (count == k).all():
            return p
    raise AssertionError("no padding puts every column in k windows")


@exercise(
    "case3-full-padding",
    why=lambda: (
        f"{_full_padding()} zero columns on each side, k - 1 for a kernel k = 3 wide: the first "
        "window then holds two zeros and the first real column, so the edge columns are in 3 "
        "windows like every other."
    ),
    hint="a column is in 3 windows when it can be the left, the middle and the right pixel of one",
)
def _case3_full_padding():
    return _full_padding()


@exercise(
    "case3-zero-meaning",
    why=lambda: (
        f"Image B stores ink, and most of it is paper: its median pixel is {_fmt(np.median(_image_b()))}, "
        "near 0. A zero is more paper. For a photo stored as light, 0 is black."
    ),
    hint="what does the value 0 mean in an image that stores ink?",
    options=("a", "b"),
)
def _case3_zero_meaning():
    # blank paper when the image's typical pixel, its paper, sits nearer 0 than 255
    return "a" if np.median(_image_b()) < 255 / 2 else "b"


# ============================================================ Chapter 5: Case 4
@exercise(
    "case4-recover-b",
    why="Each window gives two equations in its two pixels with a "
    "non-zero determinant, so every pixel can be solved for.",
    hint="each window has two unknown pixels; how many equations does the stack give per window?",
    options=("yes", "no"),
)
def _case4_recover_b():
    m = _case4_matrix()
    b = _image_b()
    stack = np.stack([ops.correlate_rows(b, w) for w in m], axis=-1)
    pairs = np.linalg.solve(m, stack.reshape(-1, 2).T)
    ok = np.allclose(pairs[0].reshape(17, 3), b[:, :-1]) and np.allclose(pairs[1].reshape(17, 3), b[:, 1:])
    return "yes" if ok else "no"


@exercise(
    "case4-design-edge",
    why=lambda: (
        "Equal pixels give w0·x + x = 0 only for w0 = "
        f"{_fmt(_case4_design_edge()[0])}: the pair {_fmt(_case4_design_edge())} responds to a step "
        "from paper (left) to ink (right) with a positive value."
    ),
    hint="the two weights must add up to 0",
)
def _case4_design_edge():
    w1 = 1.0
    return [-w1, w1]


RAMP = (10, 20, 30)  # the evenly rising run of the second-difference exercise


@exercise(
    "case4-second-difference",
    why=lambda: (
        f"Equal pixels need w0 - 2 + w2 = 0 and the run {RAMP} needs "
        f"{RAMP[0]}·w0 - 2·{RAMP[1]} + {RAMP[2]}·w2 = 0: together w0 = w2 = 1, the filter "
        f"{_fmt(_case4_second_difference())}, a second difference."
    ),
    hint="write the two conditions as two equations in w0 and w2, then solve them",
)
def _case4_second_difference():
    middle = -2.0
    # rows: the weights' products with three equal pixels and with the rising run
    conditions = np.array([[1.0, 1.0], [RAMP[0], RAMP[2]]])
    rhs = -middle * np.array([1.0, RAMP[1]])
    w0, w2 = np.linalg.solve(conditions, rhs)
    return [float(w0), middle, float(w2)]


@exercise(
    "case4-two-layers",
    why=lambda: (
        f"b0·y_c + b1·y_(c+1) with y_c = a0·x_c + a1·x_(c+1) is one 1×3 filter, "
        f"[a0·b0, a0·b1 + a1·b0, a1·b1] = {_fmt(_case4_two_layers())}."
    ),
    hint="write the second layer's output at c in terms of x_c, x_(c+1) and x_(c+2)",
    tol=0.005,
)
def _case4_two_layers():
    # the one 1×3 filter that maps B to the two layers' output, fitted by least squares
    b, (first, second) = _image_b(), _case4_matrix()
    two = ops.conv2d(ops.conv2d(b, first[None, :]), second[None, :])
    windows = np.stack([b[:, :-2], b[:, 1:-1], b[:, 2:]], axis=-1).reshape(-1, 3)
    return np.linalg.lstsq(windows, two.ravel(), rcond=None)[0]


@exercise(
    "case4-params-bias",
    why="2 filters × (1 × 2 × 1) weights, plus one bias per filter.",
    hint="count the weights of both filters, then add one bias per filter",
)
def _case4_params_bias():
    return ops.conv_params(1, 2, 1, 2)


# ============================================================ Chapter 6: Case 5
SILENT_SIDE = 6  # the side of the reader's image in exercise case5-silent-across


def _silent_across() -> np.ndarray:
    """An image on which [1, -1] is silent and [[1], [-1]] responds wherever it can: every row
    one value, each row another (horizontal stripes)."""
    return np.repeat(np.arange(SILENT_SIDE)[:, None], SILENT_SIDE, axis=1).astype(float)


@exercise(
    "case5-silent-across",
    why=lambda: (
        "[1, -1] is silent only where no row ever changes: every row one value. [[1], [-1]] then "
        "responds at every position where a row differs from the one below, and when every row differs "
        f"from the next that is all {ops.output_size(SILENT_SIDE, 2)} × {SILENT_SIDE} = "
        f"{_case5_silent_across()} of its outputs: horizontal stripes."
    ),
    hint="a row that changes along its length wakes [1, -1] up; [[1], [-1]] answers only where two "
    "rows one above the other differ",
)
def _case5_silent_across():
    image = _silent_across()
    if ops.conv2d(image, [[1, -1]]).any():
        raise ValueError("case5-silent-across: [1, -1] is not silent on the stripes")
    down = ops.conv2d(image, [[1], [-1]])
    if np.count_nonzero(down) != down.size:
        raise ValueError("case5-silent-across: the stripes do not wake every output of [[1], [-1]]")
    return int(np.count_nonzero(down))


@exercise(
    "case5-transpose",
    why="[[1], [0.3]] on B.T combines B[c, r] with B[c, r + 1], the "
    "pairs of Case 2, and writes them to (r, c): the Case 2 output transposed.",
    hint="row r of B.T is column r of B",
    options=("a", "b", "c"),
)
def _case5_transpose():
    out = ops.conv2d(_image_b().T, [[1], [0.3]])
    case2 = _case2_out()
    if out.shape == case2.shape and np.allclose(out, case2):
        return "a"
    return "b" if out.shape == case2.T.shape and np.allclose(out, case2.T) else "c"


@exercise(
    "case5-windows-3x3",
    why=lambda: _windows_3x3_why(),
    hint="count the rows where a 3-high window containing row 8 can start, then the columns",
)
def _case5_windows_3x3():
    from ..coverage import coverage

    kernel = np.ones((3, 3))
    return [int(coverage(_digit4().shape, kernel)[0][8, 1]), int(coverage((9, 9), kernel)[0][4, 4])]


@exercise(
    "case5-diagonal",
    why=lambda: (
        "a + b = c + d = 0 (horizontal edges) and a + c = b + d = 0 "
        f"(vertical edges) with a = 1 leave {_fmt(_case5_diagonal())}."
    ),
    hint="write what a horizontal edge [[p, p], [q, q]] gives, and make it 0 for every p, q",
)
def _case5_diagonal():
    # The kernels [[1, b], [c, d]] that vanish on the three patterns: a null space, solved.
    patterns = [
        np.ones((2, 2)),
        np.array([[1, 1], [0, 0]]),
        np.array([[1, 0], [1, 0]]),
        np.array([[0, 1], [0, 1]]),
        np.array([[0, 0], [1, 1]]),
    ]
    rows = np.array([p.ravel() for p in patterns], dtype=float)
    _, _, vt = np.linalg.svd(rows)
    k = vt[-1] / vt[-1][0]
    return np.round(k, 12).reshape(2, 2).tolist()


@exercise(
    "case5-checkerboard",
    why="every pixel of a checkerboard differs from its right neighbour and from the one below: "
    "both kernels give ±1 at every position.",
    hint="compare a pixel of the checkerboard with its right neighbour, then with the one below",
    options=("a", "b", "c", "d"),
)
def _case5_checkerboard():
    board = (np.indices((6, 6)).sum(axis=0) % 2 == 0) * 1.0
    across = bool(np.abs(ops.conv2d(board, [[1, -1]])).max() > 0)
    down = bool(np.abs(ops.conv2d(board, [[1], [-1]])).max() > 0)
    return {(True, True): "a", (True, False): "b", (False, True): "c", (False, False): "d"}[(across, down)]


# ============================================================ Chapter 6b: learning a kernel
STEP = 2.0  # the step of chapter 6b's learning loop


def _centred_run() -> tuple[float, list]:
    """(the step limit, the losses of 10 steps of size STEP) on image A scaled to -1..1."""
    from ..learning import fit_kernel, step_limit

    x = _digit4() / 127.5 - 1
    k = data.load("case5_kernel")
    _, losses = fit_kernel(x, ops.conv2d(x, k), k.shape, lr=STEP, steps=11)
    return step_limit(x, k.shape), losses


@exercise(
    "learn-step-centred",
    why=lambda: (
        f"Pixels of -1..1 are twice as large, so the loss curves about 4 times more steeply, and the "
        f"paper, now -1 instead of 0, adds to it: the limit 2 / λ_max falls to {_centred_run()[0]:.2f}, "
        f"below the step of {_fmt(STEP)}. Each step overshoots the bottom further: the loss grows."
    ),
    hint="the step must stay below 2 / λ_max: what does doubling every pixel do to the curvature?",
    options=("yes", "no"),
)
def _learn_step_centred():
    limit, losses = _centred_run()
    falls = bool(losses[-1] < losses[0])
    if falls != (limit > STEP):
        raise ValueError("learn-step-centred: the run and the step limit disagree")
    return "yes" if falls else "no"


def _shifted_digit4():
    """Image A one row lower: a row of zeros on top, its last row dropped."""
    a = _digit4().astype(float)
    shifted = np.zeros_like(a)
    shifted[1:] = a[:-1]
    return a, shifted


@exercise(
    "learn-local-shift",
    why="each output has its own four weights, so the patch that moved one row down meets other "
    "weights: the output changes instead of moving. Sharing is what makes it follow the input.",
    hint="after the shift, which output reads the patch that output (0, 0) used to read, "
    "and with which weights?",
    options=("yes", "no"),
)
def _learn_local_shift():
    a, shifted = _shifted_digit4()
    kh, kw = data.load("case5_kernel").shape
    out_shape = (a.shape[0] - kh + 1, a.shape[1] - kw + 1)
    weights = np.random.default_rng(1).normal(0, 0.5, (out_shape[0] * out_shape[1], kh * kw))

    def local(image):
        patches = np.lib.stride_tricks.sliding_window_view(image, (kh, kw)).reshape(len(weights), -1)
        return (patches * weights).sum(axis=1).reshape(out_shape)

    return "yes" if np.allclose(local(shifted)[1:], local(a)[:-1]) else "no"


def _learn_three_counts():
    n_in = 28 * 28
    n_out = int(np.prod(ops.conv2d(np.zeros((28, 28)), np.ones((3, 3))).shape))
    return [n_in * n_out, n_out * 3 * 3, ops.conv_params(3, 3, 1, 1, bias=False)]


@exercise(
    "learn-three-counts",
    why=lambda: (
        f"the output is {ops.output_size(28, 3)}×{ops.output_size(28, 3)}: dense "
        f"{28 * 28} × {ops.output_size(28, 3) ** 2} = {_learn_three_counts()[0]:,}, locally connected "
        f"{ops.output_size(28, 3) ** 2} × 9 = {_learn_three_counts()[1]:,}, shared 9."
    ),
    hint="first the output size (28 - 3 + 1 each way), then weights per output for each step",
)
def _learn_three_counts_expected():
    return _learn_three_counts()


@exercise(
    "learn-laplacian",
    why=lambda: (
        "filters are linear: the sum of the two outputs is the output of the sum of the two kernels, "
        f"[1, -2, 1] in the middle row plus its column in the middle column: {_fmt(_learn_laplacian())}."
    ),
    hint="write [1, -2, 1] as a 3×3 kernel (middle row), its column as another (middle column), and add",
)
def _learn_laplacian():
    # the one 3×3 kernel whose output is the two second differences added, fitted by least squares
    image = data.load_digits_4_9(scale=False).images[0, :, :, 0].astype(float)
    second = np.array([[1.0, -2.0, 1.0]])
    both = ops.conv2d(image, second)[1:-1] + ops.conv2d(image, second.T)[:, 1:-1]
    windows = np.lib.stride_tricks.sliding_window_view(image, (3, 3)).reshape(-1, 9)
    kernel = np.linalg.lstsq(windows, both.ravel(), rcond=None)[0]
    return (np.round(kernel, 9) + 0.0).reshape(3, 3).tolist()  # + 0.0: no -0

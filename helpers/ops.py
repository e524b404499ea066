"""The numerics of the book: cross-correlation ("convolution" in CNN libraries), pooling,
output-size arithmetic and parameter counts.

Every function checks its arguments first and raises a short ``ValueError`` or
``TypeError`` that names the argument and says what is allowed (integers and flags by the
rules of ``helpers.validate``), so a reader who passes something wrong learns what to change
instead of reading a NumPy traceback.

Conventions (the same as TensorFlow/Keras, channels last):

* images are ``(H, W)`` or ``(H, W, C)``;
* kernels are ``(kh, kw)``, ``(kh, kw, C)`` (one filter) or ``(kh, kw, C, filters)``;
* ``out[i, j] = sum_{u, v, c} x[i*sh + u, j*sw + v, c] * k[u, v, c]`` - no kernel flip;
* ``padding="same"`` follows TensorFlow: the output has ``ceil(n / s)`` cells and an odd
  extra zero goes at the bottom/right.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .validate import flag, non_negative_integer, positive_integer

POOL_MODES = ("max", "avg", "l2")
# Largest padded input (or output) conv2d/pool2d will build: far above any photo in the book
# (a 4000x3000x3 float64 photo is 288 MB), far below what would swap or kill the kernel.
MAX_ARRAY_BYTES = 1 << 31


# ----------------------------------------------------------------------------- checks
def as_image(name: str, value, ndims: tuple[int, ...] = (2, 3)) -> np.ndarray:
    """``value`` as a finite float64 array with one of ``ndims`` dimensions, or a clear error
    (a masked array with masked values is refused: nothing here can leave values out)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got a string")
    if np.ma.isMaskedArray(value) and np.ma.getmaskarray(value).any():
        # np.asarray would drop the mask and use the hidden values as if they were valid
        raise TypeError(
            f"{name} is a masked array with {int(np.ma.count_masked(value))} masked "
            f"value(s), which these operations cannot leave out: give "
            f"{name}.filled(0) (or another fill value) instead"
        )
    try:
        arr = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular numeric array ({err})") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must hold real numbers, got complex values")
    if arr.ndim not in ndims:
        allowed = " or ".join(f"{d}-D" for d in ndims)
        raise ValueError(f"{name} must be {allowed}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); give at least one value per axis")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} contains NaN or infinity (first at index {tuple(int(i) for i in bad)}); "
            "replace or drop those values first"
        )
    return arr


def as_pair(name: str, value) -> tuple[int, int]:
    """An int or a pair of ints (e.g. a stride) as a checked ``(rows, cols)`` pair of ints >= 1."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an integer or a pair (rows, cols), got {value!r}")
        return positive_integer(name, value[0]), positive_integer(name, value[1])
    v = positive_integer(name, value)
    return v, v


# ----------------------------------------------------------------------------- sizes
def padding_amounts(n: int, k: int, stride: int = 1, padding="valid", dilation: int = 1) -> tuple[int, int]:
    """Zeros added ``(before, after)`` along one axis of length ``n`` for a window of ``k``.

    ``padding`` is ``"valid"`` (none), ``"same"`` (TensorFlow: enough for ``ceil(n/stride)``
    outputs, the odd extra zero after), an int (that many on both sides) or a pair.
    """
    n = positive_integer("n", n)
    k = positive_integer("k", k)
    stride = positive_integer("stride", stride)
    dilation = positive_integer("dilation", dilation)
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0
        if padding == "same":
            k_eff = dilation * (k - 1) + 1
            total = max((-(-n // stride) - 1) * stride + k_eff - n, 0)  # integer ceil
            return total // 2, total - total // 2
        raise ValueError(f"padding must be 'valid', 'same', an integer or a pair, got {padding!r}")
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"padding along one axis must be (before, after), got {padding!r}")
        return non_negative_integer("padding", padding[0]), non_negative_integer("padding", padding[1])
    p = non_negative_integer("padding", padding)
    return p, p


def output_size(
    n: int, k: int, stride: int = 1, padding="valid", dilation: int = 1, return_padding: bool = False
):
    """Cells along one axis after a window of ``k`` (dilated) slides over ``n`` cells.

    ``floor((n + before + after - k_eff) / stride) + 1`` with ``k_eff = dilation*(k-1)+1``.
    For ``padding="same"`` this equals TensorFlow's ``ceil(n / stride)``.
    With ``return_padding=True`` returns ``(size, (before, after))``.
    """
    # Python ints throughout: numpy integers (np.uint8(250) + 10) would wrap around.
    n, k = positive_integer("n", n), positive_integer("k", k)
    stride, dilation = positive_integer("stride", stride), positive_integer("dilation", dilation)
    before, after = padding_amounts(n, k, stride, padding, dilation)
    k_eff = dilation * (k - 1) + 1
    span = n + before + after
    if k_eff > span:
        raise ValueError(
            f"kernel size {k_eff} is larger than the padded input ({span} = {n} + "
            f"{before} + {after}); use a smaller kernel or more padding"
        )
    size = (span - k_eff) // stride + 1
    return (size, (before, after)) if return_padding else size


def padding_2d(padding, in_hw, k_hw, stride_hw) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding argument of conv2d/pool2d as ``((top, bottom), (left, right))``."""
    if isinstance(padding, (tuple, list)) and (
        len(padding) != 2 or not all(isinstance(p, (tuple, list)) for p in padding)
    ):
        raise ValueError(f"padding as a sequence must be ((top, bottom), (left, right)), got {padding!r}")
    per_axis = padding if isinstance(padding, (tuple, list)) else (padding, padding)
    return tuple(  # type: ignore[return-value]
        padding_amounts(n, k, s, p) for n, k, s, p in zip(in_hw, k_hw, stride_hw, per_axis)
    )


def _check_fits(name, k_hw, in_hw, pads):
    for axis, k, n, (b, a) in zip(("height", "width"), k_hw, in_hw, pads):
        if k > n + b + a:
            raise ValueError(
                f"{name} {axis} {k} is larger than the padded input {axis} {n + b + a} "
                f"({n} + {b} + {a} zeros); use a smaller {name} or more padding"
            )


def _short(n: int) -> str:
    """An int in at most a dozen characters (paddings like 10**30 stay readable)."""
    text = f"{n:,}"
    return text if len(text) <= 12 else f"{str(n)[0]}.{str(n)[1:3]}e{len(str(n)) - 1}"


def _check_padded_size(in_hw, pads, depth: int) -> None:
    """Refuse arrays that cannot reasonably exist: the padded input and the output, ``depth``
    float64 values per cell (the larger of the input's channels and the output's filters)."""
    (t, b), (left, r) = pads
    h, w = in_hw[0] + t + b, in_hw[1] + left + r
    size = h * w * depth * 8  # Python ints: no overflow
    if size <= MAX_ARRAY_BYTES:
        return
    need = (
        f"{_short(h)} x {_short(w)} cells x {depth} = {_short(-(-size // 2**30))} GiB "
        f"as float64, the limit is {MAX_ARRAY_BYTES // 2**30} GiB"
    )
    if t + b + left + r:
        raise ValueError(
            f"padding of {_short(max(t, b, left, r))} zeros makes the padded input {need}; use less padding"
        )
    raise ValueError(f"x needs arrays of {need}; use a smaller image or fewer filters")


def _check_finite_result(out: np.ndarray, what: str) -> np.ndarray:
    if not np.all(np.isfinite(out)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise OverflowError(
            f"{what} overflows float64 at index {bad} although every input is finite "
            f"(the largest float64 is {np.finfo(float).max:.3g}); scale the inputs down"
        )
    return out


# ----------------------------------------------------------------------------- layers
def conv2d(x, kernel, stride=1, padding="valid", bias=None) -> np.ndarray:
    """Cross-correlate ``x`` with ``kernel`` the way CNN libraries do (no flip).

    x: ``(H, W)`` or ``(H, W, C)``. kernel: ``(kh, kw)`` or ``(kh, kw, C)`` gives an
    ``(oh, ow)`` map; ``(kh, kw, C, filters)`` gives ``(oh, ow, filters)``.
    stride: int or ``(sh, sw)``. padding: ``"valid"``, ``"same"``, int, or
    ``((top, bottom), (left, right))``. bias: scalar, or one value per filter.
    """
    x = as_image("x", x)
    kernel = as_image("kernel", kernel, (2, 3, 4))
    sh, sw = as_pair("stride", stride)
    x3 = x if x.ndim == 3 else x[:, :, None]
    c = x3.shape[2]
    if kernel.ndim == 2:
        if c != 1:
            raise ValueError(
                f"kernel has shape {kernel.shape} (no channel axis) but x has {c} channels; "
                f"give the kernel shape ({kernel.shape[0]}, {kernel.shape[1]}, {c})"
            )
        k4 = kernel[:, :, None, None]
    elif kernel.ndim == 3:
        k4 = kernel[:, :, :, None]
    else:
        k4 = kernel
    if k4.shape[2] != c:
        raise ValueError(
            f"kernel depth {k4.shape[2]} does not match the {c} channel(s) of x: a kernel "
            f"spans every input channel, so its shape must be (kh, kw, {c}[, filters])"
        )
    kh, kw, _, f = k4.shape
    pads = padding_2d(padding, x3.shape[:2], (kh, kw), (sh, sw))
    _check_fits("kernel", (kh, kw), x3.shape[:2], pads)
    _check_padded_size(x3.shape[:2], pads, max(c, f))  # the padded input and the output
    if bias is not None:
        b = as_image("bias", np.atleast_1d(bias), (1,))
        if b.size not in (1, f):
            raise ValueError(f"bias must be a scalar or have one value per filter ({f}), got {b.size} values")
    xp = np.pad(x3, (pads[0], pads[1], (0, 0)))
    oh = (xp.shape[0] - kh) // sh + 1
    ow = (xp.shape[1] - kw) // sw + 1
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, in words
        out = _correlate(xp, k4, sh, sw, oh, ow)
        if bias is not None:
            out += b
    _check_finite_result(out, "the convolution")
    return out if kernel.ndim == 4 else out[:, :, 0]


# Bytes of unrolled windows per matrix product in ``_correlate``: small enough to stay in
# cache and to keep BLAS single-threaded (on a busy 2-core machine a threaded product of a few
# MB is several times slower than this), large enough that Python overhead is negligible.
_BLOCK_BYTES = 1 << 18


def _correlate(xp, k4, sh, sw, oh, ow) -> np.ndarray:
    """The arithmetic of ``conv2d`` on an already padded ``(H, W, C)`` input.

    One channel (every grey photo, every per-channel filter): one broadcast multiply-add per
    kernel tap, in tap order - bitwise the same numbers as the book's original tap-by-tap
    loop, so filtered photos round to the same pixels.

    Several channels: "im2col" - every output cell's window is unrolled into one row of
    ``kh*kw*C`` numbers, so a block of output cells is a single ``(cells, kh*kw*C) @
    (kh*kw*C, filters)`` matrix product (float64, BLAS); equal to the tap loop up to float64
    rounding (the sum is taken in another order). Blocks bound the memory of the unrolled
    copy whatever the shape: whole output rows when one fits in ``_BLOCK_BYTES``, else pieces
    of one row, and when even one window is larger, pieces of the window (a few kernel rows
    at a time, summed). The copy never exceeds ``max(_BLOCK_BYTES, kw*C*8)`` bytes (one
    kernel row), so a large kernel on a large photo never needs gigabytes.
    Python loops run over blocks only, never over single numbers.
    """
    kh, kw, c, f = k4.shape
    if c == 1:
        out = np.zeros((oh, ow, f))
        for u in range(kh):
            for v in range(kw):
                patch = xp[u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw, :]
                out += patch * k4[u, v, 0]
        return out
    taps = kh * kw * c
    weights = k4.reshape(taps, f)
    # (oh, ow, kh, kw, C) view of every window, in the same (u, v, c) order as weights.
    windows = sliding_window_view(xp, (kh, kw), axis=(0, 1))[::sh, ::sw][:oh, :ow]
    windows = windows.transpose(0, 1, 3, 4, 2)
    out = np.empty((oh, ow, f))
    cell = taps * 8  # bytes of one unrolled window
    if ow * cell <= _BLOCK_BYTES:  # blocks of whole output rows
        rows = _BLOCK_BYTES // (ow * cell)
        for r in range(0, oh, rows):
            block = windows[r : r + rows]
            np.matmul(block.reshape(-1, taps), weights, out=out[r : r + rows].reshape(-1, f))
        return out
    if cell <= _BLOCK_BYTES:  # pieces of one output row (out[r, a:b] is contiguous)
        cols = _BLOCK_BYTES // cell
        for r in range(oh):
            for a in range(0, ow, cols):
                np.matmul(windows[r, a : a + cols].reshape(-1, taps), weights, out=out[r, a : a + cols])
        return out
    # one window is larger than a block: a few kernel rows of one window at a time
    span = kw * c  # taps in one kernel row
    krows = max(1, _BLOCK_BYTES // (span * 8))
    for r in range(oh):
        for j in range(ow):
            acc = out[r, j]
            acc[:] = 0.0
            for u in range(0, kh, krows):
                part = windows[r, j, u : u + krows].reshape(-1)
                acc += part @ weights[u * span : (u + krows) * span]
    return out


def correlate_rows(image, weights, padding=0, stride=1) -> np.ndarray:
    """Slide a row of ``k`` weights along every row of a 2-D image (the article's Cases 1-4).

    ``out[r, c] = sum_j weights[j] * padded[r, c*stride + j]``. padding: zeros on the left
    and right - an int for both sides, or ``(left, right)``. stride: a step along the row
    (an int, or ``(1, step)``; the weights never move down).
    """
    image = as_image("image", image, (2,))
    weights = as_image("weights", weights, (1,))
    if isinstance(padding, str):
        raise TypeError(f"padding of correlate_rows is a number of zero columns, got {padding!r}")
    rows, cols = (
        as_pair("stride", stride)
        if isinstance(stride, (tuple, list))
        else (1, positive_integer("stride", stride))
    )
    if rows != 1:
        raise ValueError(
            f"stride of correlate_rows moves along a row only: give an int or "
            f"(1, step), got {stride!r} (for 2-D strides use conv2d)"
        )
    left_right = tuple(padding) if isinstance(padding, (tuple, list)) else (padding, padding)
    return conv2d(image, weights[None, :], stride=(1, cols), padding=((0, 0), left_right))


def pool2d(x, size=2, stride=None, mode="max", padding="valid") -> np.ndarray:
    """Pool each channel over ``size`` windows moved by ``stride`` (default: ``size``).

    mode: ``"max"``, ``"avg"`` (mean of the real cells: padding is not counted, as in
    TensorFlow) or ``"l2"`` (square root of the sum of squares, ``torch.nn.LPPool2d(2, ...)``).
    padding: ``"valid"``, ``"same"`` (TensorFlow semantics), int or ``((t, b), (l, r))``.
    """
    x = as_image("x", x)
    ph, pw = as_pair("size", size)
    sh, sw = (ph, pw) if stride is None else as_pair("stride", stride)
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, POOL_MODES))}, got {mode!r}")
    pads = padding_2d(padding, x.shape[:2], (ph, pw), (sh, sw))
    if ph > x.shape[0] + sum(pads[0]) or pw > x.shape[1] + sum(pads[1]):
        raise ValueError(
            f"pool window {ph}x{pw} is larger than the (padded) input "
            f"{x.shape[0] + sum(pads[0])}x{x.shape[1] + sum(pads[1])}; use a smaller size"
        )
    # More than half a window of padding makes windows of padding only (no value to pool);
    # "same" never does. PyTorch's MaxPool2d has the same limit.
    for axis, k, (b, a) in zip(("height", "width"), (ph, pw), pads):
        if max(b, a) > k // 2:
            raise ValueError(
                f"padding {(b, a)} along the {axis} is more than half the pool "
                f"window {k} (at most {k // 2} per side); use less padding"
            )
    _check_padded_size(x.shape[:2], pads, math.prod(x.shape[2:]))
    extra = ((0, 0),) * (x.ndim - 2)
    xp = np.pad(x, pads + extra, constant_values=np.nan)  # NaN marks padding (inputs are finite)
    win = sliding_window_view(xp, (ph, pw), axis=(0, 1))[::sh, ::sw]
    axes = (-2, -1)
    with np.errstate(invalid="ignore", over="ignore"):
        if mode == "max":
            return np.nanmax(win, axis=axes)
        out = _avg_or_l2(win, mode)
        if not np.all(np.isfinite(out)):
            # only the sum overflowed (values near 1e308): again with each window divided by
            # its largest magnitude, for the cells that overflowed only
            scale = np.nanmax(np.abs(win), axis=axes)
            scale[scale == 0] = 1.0
            rescaled = _avg_or_l2(win / scale[..., None, None], mode) * scale
            out = np.where(np.isfinite(out), out, rescaled)
    return _check_finite_result(out, f"{mode} pooling")


def _avg_or_l2(win, mode):
    axes = (-2, -1)
    if mode == "avg":
        return np.nanmean(win, axis=axes)
    return np.sqrt(np.nansum(win * win, axis=axes))


# ----------------------------------------------------------------------------- counts
def conv_params(kh: int, kw: int, c_in: int, filters: int, bias: bool = True) -> int:
    """Trainable numbers of a conv layer: ``kh*kw*c_in`` weights per filter, plus one bias each."""
    kh, kw = positive_integer("kh", kh), positive_integer("kw", kw)
    c_in, filters = positive_integer("c_in", c_in), positive_integer("filters", filters)
    return kh * kw * c_in * filters + (filters if flag("bias", bias) else 0)


def dense_params(n_in: int, n_out: int, bias: bool = True) -> int:
    """Trainable numbers of a fully connected layer: one weight per input-output pair, plus biases."""
    n_in, n_out = positive_integer("n_in", n_in), positive_integer("n_out", n_out)
    return n_in * n_out + (n_out if flag("bias", bias) else 0)

"""helpers.ops.conv2d against tf.nn.conv2d and cv2.filter2D.

Each call goes from NumPy arrays in to a NumPy array out, as a reader would use it:
``conv2d`` in float64 (the book's precision), TensorFlow and OpenCV in float32 (their usual
precision), every library with its default threads. OpenCV's ``filter2D`` is a single-channel,
single-kernel, stride-1 "same" filter, so a multi-filter, multi-channel layer is one call per
(channel, filter) pair, summed, then cropped or subsampled - that is how a reader would do it.
All three results are checked against each other before anything is timed.
"""

from __future__ import annotations

import numpy as np

from . import common

GOAL = 3.0  # conv2d at most 3x the time of tf.nn.conv2d
WHY = (
    "conv2d works in float64 (twice the bytes of TensorFlow's float32) and validates its "
    "arguments on every call; on tiny inputs that fixed cost dominates."
)


def _cv2_conv(cv2, x32, k32, stride, padding):
    """conv2d semantics out of cv2.filter2D (zero border, no flip)."""
    h, w, c = x32.shape
    kh, kw, _, f = k32.shape
    # filter2D anchors the kernel at its centre: output (i, j) covers rows i-kh//2 .. ; with a
    # zero border that is TF's "same" for odd kernels at stride 1.
    maps = np.empty((h, w, f), np.float32)
    for q in range(f):
        acc = np.zeros((h, w), np.float32)
        for ch in range(c):
            acc += cv2.filter2D(x32[:, :, ch], -1, k32[:, :, ch, q], borderType=cv2.BORDER_CONSTANT)
        maps[:, :, q] = acc
    if padding == "valid":
        maps = maps[kh // 2 : h - (kh - 1 - kh // 2), kw // 2 : w - (kw - 1 - kw // 2)]
        return maps[::stride, ::stride]
    # TF "same" at stride s puts the odd extra zero at the bottom/right: first window starts at
    # row -(pad_top); its centre is row kh//2 - pad_top.
    from helpers.ops import padding_amounts

    top = padding_amounts(h, kh, stride, "same")[0]
    left = padding_amounts(w, kw, stride, "same")[0]
    return maps[kh // 2 - top :: stride, kw // 2 - left :: stride][: -(-h // stride), : -(-w // stride)]


def cases(quick: bool):
    rng = np.random.default_rng(0)
    big = rng.random((224, 224, 3)) * 255
    kern = rng.standard_normal((3, 3, 3, 16))
    from helpers import data

    x6 = data.load("conv6x6_image")
    k6 = data.load("conv6x6_kernel")
    out = []
    for stride in (1, 2):
        for padding in ("valid", "same"):
            out.append((f"224×224×3, 16 filters 3×3, stride {stride}, {padding}", big, kern, stride, padding))
    for stride, padding in ((1, "valid"), (2, "valid"), (1, "same")):
        out.append(
            (
                f"6×6 teaching case, stride {stride}, {padding}",
                x6[:, :, None],
                k6[:, :, None, None],
                stride,
                padding,
            )
        )
    return out[:2] + out[-1:] if quick else out


def run(mode: str) -> dict:
    import cv2

    from helpers import tfenv
    from helpers.ops import conv2d

    tf = tfenv.tensorflow()

    quick = mode == "quick"
    repeats = 5 if quick else 41
    rows, details = (
        [],
        {
            "repeats": repeats,
            "tf_intra_op_threads": tf.config.threading.get_intra_op_parallelism_threads(),
            "opencv_threads": cv2.getNumThreads(),
            "cases": [],
        },
    )

    def candidates(x, k, stride, padding):
        x32, k32 = x.astype(np.float32), k.astype(np.float32)
        return {
            "helpers": lambda: conv2d(x, k, stride, padding),
            "tf": lambda: tf.nn.conv2d(x32[None], k32, stride, padding.upper()).numpy()[0],
            "cv2": lambda: _cv2_conv(cv2, x32, k32, stride, padding),
        }

    for label, x, k, stride, padding in cases(quick):
        cand = candidates(x, k, stride, padding)
        ref = cand["helpers"]()
        scale = float(np.abs(ref).max()) or 1.0
        agree = {n: float(np.abs(cand[n]() - ref).max() / scale) for n in ("tf", "cv2")}
        if max(agree.values()) > 1e-4:
            raise AssertionError(f"{label}: libraries disagree with conv2d (relative {agree})")
        t = common.interleaved(cand, repeats)
        med = {n: common.median(v) * 1e3 for n, v in t.items()}
        rows.append(
            common.row(
                "conv2d vs tf.nn.conv2d",
                label,
                med["helpers"],
                "ms",
                "tf.nn.conv2d",
                med["tf"],
                goal=f"≤ {GOAL:g}× TF",
                limit=GOAL,
                why=WHY,
            )
        )
        rows.append(
            common.row("conv2d vs cv2.filter2D", label, med["helpers"], "ms", "cv2.filter2D", med["cv2"])
        )
        details["cases"].append(
            {
                "case": label,
                "median_ms": med,
                "max_relative_difference": agree,
                "p95_ms": {n: common.percentile(v, 95) * 1e3 for n, v in t.items()},
            }
        )
    return common.section(
        "conv", "Convolution: helpers.ops.conv2d vs TensorFlow vs OpenCV", mode, rows, details
    )

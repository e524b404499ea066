"""conv2d's blocked im2col arithmetic (helpers.ops._correlate) gives the same numbers as the
plain definition ``out[i, j, f] = sum_{u,v,c} x[i*sh+u, j*sw+v, c] * k[u, v, c, f]``.

The speed-up (issue 8, benchmarks/) must not change any result: exact for integer data,
equal to float64 rounding otherwise, for every block split of the output rows.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ops


def reference(x, k, stride, padding):
    """Definition of cross-correlation, one output cell at a time (slow, obviously right)."""
    x3 = np.asarray(x, float)
    x3 = x3 if x3.ndim == 3 else x3[:, :, None]
    k4 = np.asarray(k, float)
    k4 = {2: k4[:, :, None, None], 3: k4[..., None], 4: k4}[k4.ndim]
    kh, kw, _, f = k4.shape
    sh, sw = ops.as_pair("stride", stride)
    (top, bottom), (left, right) = ops.padding_2d(padding, x3.shape[:2], (kh, kw), (sh, sw))
    xp = np.pad(x3, ((top, bottom), (left, right), (0, 0)))
    oh, ow = (xp.shape[0] - kh) // sh + 1, (xp.shape[1] - kw) // sw + 1
    out = np.zeros((oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = xp[i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            for q in range(f):
                out[i, j, q] = float(np.sum(win * k4[:, :, :, q]))
    return out if np.ndim(k) == 4 else out[:, :, 0]


shapes = st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 3), st.integers(1, 3),
                   st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
                   st.sampled_from(["valid", "same", 1, ((0, 2), (1, 0))]))


@given(shapes, st.integers(0, 2**31 - 1))
def test_matches_definition(shape, seed):
    h, w, kh, kw, c, f, sh, sw, padding = shape
    kh, kw = min(kh, h), min(kw, w)
    rng = np.random.default_rng(seed)
    x = rng.integers(-9, 10, (h, w, c))
    k = rng.integers(-3, 4, (kh, kw, c, f))
    got = ops.conv2d(x, k, (sh, sw), padding)
    want = reference(x, k, (sh, sw), padding)
    assert got.shape == want.shape
    assert np.array_equal(got, want), "integer data must give exactly the definition"
    xr, kr = rng.standard_normal((h, w, c)), rng.standard_normal((kh, kw, c, f))
    np.testing.assert_allclose(ops.conv2d(xr, kr, (sh, sw), padding),
                               reference(xr, kr, (sh, sw), padding), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("block_bytes", [1, 200, 5000, 1 << 30])
def test_block_split_does_not_change_results(monkeypatch, block_bytes):
    rng = np.random.default_rng(8)
    x, k = rng.standard_normal((23, 17, 3)), rng.standard_normal((3, 4, 3, 5))
    want = reference(x, k, 2, "same")
    monkeypatch.setattr(ops, "_BLOCK_BYTES", block_bytes)
    np.testing.assert_allclose(ops.conv2d(x, k, 2, "same"), want, rtol=1e-12, atol=1e-12)


def test_teaching_case_and_2d_kernel_shapes():
    x = np.arange(36.0).reshape(6, 6)
    k = np.array([[1.0, 0.0, -1.0]] * 3)
    out = ops.conv2d(x, k)
    assert out.shape == (4, 4)
    assert np.array_equal(out, reference(x, k, 1, "valid"))
    assert np.array_equal(out, np.full((4, 4), -6.0))
    assert ops.conv2d(x, k, bias=1.5)[0, 0] == -4.5


def test_large_kernel_on_photo_sized_input_stays_blocked():
    # 11x11x3 windows of a 375x500 photo would be ~0.5 GB unrolled at once; blocks keep it
    # small. Compare one random output cell with the definition.
    rng = np.random.default_rng(3)
    x, k = rng.random((375, 500, 3)), rng.standard_normal((11, 11, 3))
    out = ops.conv2d(x, k, padding="same")
    assert out.shape == (375, 500)
    i, j = 200, 321
    xp = np.pad(x, ((5, 5), (5, 5), (0, 0)))
    assert out[i, j] == pytest.approx(float(np.sum(xp[i:i + 11, j:j + 11] * k)), rel=1e-12)


def _tap_loop(x, k, stride):
    """The book's original conv2d arithmetic: one matrix product per kernel tap, in order."""
    x3 = x[:, :, None]
    k4 = k[:, :, None, None]
    kh, kw = k.shape
    oh, ow = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow, 1))
    for u in range(kh):
        for v in range(kw):
            patch = x3[u:u + stride * (oh - 1) + 1:stride, v:v + stride * (ow - 1) + 1:stride, :]
            out += patch @ k4[u, v]
    return out[:, :, 0]


@pytest.mark.parametrize("stride", [1, 2])
def test_single_channel_is_bitwise_the_original_tap_loop(stride):
    # Filtered photos are rounded to 0-255 pixels and encoded: the last bit matters there.
    rng = np.random.default_rng(11)
    x = rng.integers(0, 256, (61, 47)).astype(float)
    k = np.full((3, 3), 1 / 9) + rng.standard_normal((3, 3)) * 0.01
    assert np.array_equal(ops.conv2d(x, k, stride), _tap_loop(x, k, stride))

"""helpers.ops against the libraries a reader will use: TensorFlow and OpenCV.

Property tests draw random shapes, strides and paddings (hypothesis) and require agreement
with tf.nn.conv2d / tf.nn.max_pool2d / tf.nn.avg_pool2d in float64; the OpenCV test filters a
real photo shipped with the book.
"""

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import data, ops


@st.composite
def conv_case(draw):
    h, w = draw(st.integers(1, 11)), draw(st.integers(1, 11))
    c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    kh = draw(st.integers(1, h if padding == "valid" else 5))
    kw = draw(st.integers(1, w if padding == "valid" else 5))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    return rng.normal(size=(h, w, c)), rng.normal(size=(kh, kw, c, f)), stride, padding


@given(conv_case())
def test_conv2d_matches_tensorflow(tf, case):
    x, k, stride, padding = case
    ours = ops.conv2d(x, k, stride, padding)
    theirs = tf.nn.conv2d(x[None], k, strides=[1, *stride, 1], padding=padding.upper())[0]
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


@given(conv_case(), st.tuples(*[st.integers(0, 2)] * 4))
def test_conv2d_explicit_padding_matches_tensorflow(tf, case, pads):
    x, k, stride, _ = case
    top, bottom, left, right = pads
    if k.shape[0] > x.shape[0] + top + bottom or k.shape[1] > x.shape[1] + left + right:
        return
    ours = ops.conv2d(x, k, stride, ((top, bottom), (left, right)))
    theirs = tf.nn.conv2d(x[None], k, strides=[1, *stride, 1],
                          padding=[[0, 0], [top, bottom], [left, right], [0, 0]])[0]
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


@st.composite
def pool_case(draw):
    h, w, c = draw(st.integers(1, 10)), draw(st.integers(1, 10)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same"]))
    ph = draw(st.integers(1, min(h, 4)))
    pw = draw(st.integers(1, min(w, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    x = np.random.default_rng(draw(st.integers(0, 2**16))).normal(size=(h, w, c))
    return x, (ph, pw), stride, padding


@given(pool_case(), st.sampled_from(["max", "avg"]))
def test_pool2d_matches_tensorflow(tf, case, mode):
    x, size, stride, padding = case
    fn = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    x = x.astype(np.float32)  # TF's CPU pooling kernels compute in float32
    theirs = fn(x[None], ksize=size, strides=stride, padding=padding.upper())[0].numpy()
    ours = ops.pool2d(x, size, stride, mode, padding)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.sampled_from(["valid", "same"]),
       st.integers(1, 3))
def test_output_size_matches_tensorflow(tf, n, k, s, padding, dilation):
    k_eff = dilation * (k - 1) + 1
    if padding == "valid" and k_eff > n:
        return
    expected_stride = s if dilation == 1 else 1
    conv = tf.nn.convolution(np.zeros((1, n, 1)), np.zeros((k, 1, 1)), strides=expected_stride,
                             padding=padding.upper(), dilations=dilation)
    assert ops.output_size(n, k, expected_stride, padding, dilation) == conv.shape[1]


def test_l2_pool_is_root_of_sum_of_squares():
    x = np.random.default_rng(3).random((6, 4, 2))
    expected = np.sqrt((x.reshape(3, 2, 2, 2, 2) ** 2).sum(axis=(1, 3)))
    np.testing.assert_allclose(ops.pool2d(x, 2, mode="l2"), expected)


KERNELS = {
    "edge": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], float),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], float),
    "asymmetric": np.arange(9, dtype=float).reshape(3, 3) - 4,
    "blur5": np.full((5, 5), 1 / 25),
}


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_conv2d_matches_opencv_filter2d_on_a_photo(name):
    k = KERNELS[name]
    photo = data.load_photo("chelsea").astype(np.float64)
    theirs = cv2.filter2D(photo, cv2.CV_64F, k, borderType=cv2.BORDER_CONSTANT)
    pad = k.shape[0] // 2
    ours = np.stack([ops.conv2d(photo[..., ch], k, padding=pad) for ch in range(3)], axis=-1)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-7)

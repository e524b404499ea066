"""helpers.filters: the named kernels agree with OpenCV, convolution flips the kernel, and
filtered photos become displayable pixels."""

import numpy as np
import pytest

from helpers import data, filters

PHOTO = data.load_photo("chelsea", gray=True)


@pytest.mark.parametrize("name", list(filters.KERNELS))
def test_filters_equal_opencv_on_colour_photo(name):
    rgb = data.load_photo("coffee")
    ours = filters.apply(rgb, filters.kernel(name))
    assert ours.shape == rgb.shape
    np.testing.assert_allclose(ours, filters.apply_cv2(rgb, filters.kernel(name)), atol=1e-9)


def test_convolve_flips_the_kernel():
    sx = filters.kernel("Sobel x")
    # a 180-degree turn of Sobel x is minus Sobel x: convolution negates the correlation
    np.testing.assert_allclose(filters.convolve(PHOTO, sx), -filters.apply(PHOTO, sx))
    emb = filters.kernel("emboss")
    assert not np.allclose(filters.convolve(PHOTO, emb), filters.apply(PHOTO, emb))
    sym = data.load("conv6x6_kernel")
    np.testing.assert_allclose(filters.convolve(PHOTO, sym), filters.apply(PHOTO, sym))


def test_convolve_matches_scipy():
    signal = pytest.importorskip("scipy.signal")
    emb = filters.kernel("emboss")
    np.testing.assert_allclose(
        filters.convolve(PHOTO, emb), signal.convolve2d(PHOTO, emb, mode="same"), atol=1e-9
    )


def test_filter_errors_and_display():
    with pytest.raises(ValueError, match="odd"):
        filters.apply(PHOTO, np.ones((2, 2)))
    with pytest.raises(KeyError, match="known"):
        filters.kernel("nope")
    out = filters.apply(PHOTO, filters.kernel("Sobel x"))
    px = filters.to_uint8(out, filters.kernel("Sobel x"))
    assert px.dtype == np.uint8 and px.max() == 255
    blur = filters.to_uint8(filters.apply(PHOTO, filters.kernel("box blur")), np.full((3, 3), 1 / 9))
    assert blur.min() >= 0 and abs(float(blur[150, 150]) - PHOTO[149:152, 149:152].mean()) <= 0.5

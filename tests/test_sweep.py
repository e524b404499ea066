"""helpers.sweep: the frames of a sliding window - padded input, window, output cell and the
sum written out - agree with ops.conv2d."""

import numpy as np
import pytest

from helpers import data, ops
from helpers.sweep import ChannelSweep, SweepFrames

B = data.load("image_b")
PAIR = data.load("case2_weights")


def test_frames_follow_the_output_row_by_row():
    f = SweepFrames(B, PAIR)
    np.testing.assert_array_equal(f.out, ops.conv2d(B, PAIR))
    assert f.n_frames == 17 * 3 and f.cell(4) == (1, 1) and f.window_origin(4) == (1, 1)
    assert f.arithmetic(0) == "86×1 + 4×0.3 = 87.2"
    assert f.arithmetic(4) == "3×1 + 8×0.3 = 5.4"  # the cell the article printed as a formula
    with pytest.raises(ValueError, match="position"):
        f.cell(f.n_frames)


def test_stride_and_padding_move_the_window_over_the_zeros():
    f = SweepFrames(np.arange(16.0).reshape(4, 4), np.ones((3, 3)), stride=2, padding="same")
    assert f.padded.shape == (5, 5) and f.out.shape == (2, 2)
    assert f.pad_mask.sum() == 25 - 16 and f.pad_mask[4].all() and not f.pad_mask[0, 0]
    assert f.window_origin(3) == (2, 2)
    padded = np.pad(np.arange(16.0).reshape(4, 4), ((0, 1), (0, 1)))
    np.testing.assert_array_equal(f.window(3), padded[2:5, 2:5])
    assert f.arithmetic(3).endswith(f"= {int(f.out[1, 1])}")


def test_zero_weights_are_left_out_of_the_sum_and_a_1d_row_is_a_kernel():
    f = SweepFrames([[1.0, 2.0, 3.0]], [1.0, 0.0])
    assert f.kernel.shape == (1, 2) and f.arithmetic(1) == "2×1 = 2"
    assert SweepFrames([[1.0, 2.0]], [[0.0]]).arithmetic(0) == "0 = 0"


def test_a_sweep_over_channels_adds_the_channels_maps_and_the_bias():
    x, kernels, biases = data.two_channel()
    s = ChannelSweep(x, kernels[..., 0], biases[0])
    assert s.depth == 2 and s.n_frames == 9 and s.cell(4) == (1, 1)
    np.testing.assert_array_equal(s.out, ops.conv2d(x, kernels[..., 0], bias=biases[0]))
    for c, ch in enumerate(s.channels):
        np.testing.assert_array_equal(ch.out, ops.conv2d(x[:, :, c], kernels[:, :, c, 0]))
    assert s.channels[0].arithmetic(0) == "3×1 + 4×2 = 11"
    assert s.channels[1].arithmetic(0) == "1×-1 + 0×1 + 3×1 = 2"
    assert s.total(0) == "11 + 2 + -2 = 11"
    padded = ChannelSweep(np.ones((3, 3, 3)), np.ones((3, 3, 3)), 0.5, stride=2, padding=1)
    assert padded.out.shape == (2, 2) and padded.out[0, 0] == 3 * 4 + 0.5
    with pytest.raises(ValueError, match="kernel depth 2 does not match the 3 channel"):
        ChannelSweep(np.ones((4, 4, 3)), np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="3-D"):
        ChannelSweep(np.ones((4, 4)), np.ones((2, 2)))

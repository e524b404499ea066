"""What a sliding window shows, step by step: the padded input, the kernel, the output, and the
sum written out for every output cell (``SweepFrames``).

The figures (``helpers.figures.grids.window_figure``) and the page players
(``helpers.interactive.players``, whose page script recomputes typed weights with the same
arithmetic) draw from the same ``SweepFrames``, so a picture and a slider show the same
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ops, validate
from .fmt import fmt_number


@dataclass
class SweepFrames:
    """Everything a sweep shows: padded input, kernel, output, and the arithmetic per cell.

    x is 2-D, kernel is 2-D (a row of weights is ``[[w0, w1]]``, a 1-D row is accepted too);
    stride and padding as in ``ops.conv2d``.
    """

    x: np.ndarray
    kernel: np.ndarray
    stride: tuple = (1, 1)
    padding: object = "valid"

    def __post_init__(self):
        self.x = ops.as_image("x", self.x, (2,))
        self.kernel = ops.as_image("kernel", self.kernel, (1, 2))
        if self.kernel.ndim == 1:
            self.kernel = self.kernel[None, :]
        self.stride = ops.as_pair("stride", self.stride)
        self.out = ops.conv2d(self.x, self.kernel, self.stride, self.padding)
        self.pads = ops.padding_2d(self.padding, self.x.shape, self.kernel.shape, self.stride)
        self.padded = np.pad(self.x, self.pads)

    @property
    def n_frames(self) -> int:
        return self.out.size

    @property
    def pad_mask(self) -> np.ndarray:
        """True where the padded input holds an added zero, not a pixel of ``x``."""
        (top, _), (left, _) = self.pads
        mask = np.ones(self.padded.shape, bool)
        mask[top : top + self.x.shape[0], left : left + self.x.shape[1]] = False
        return mask

    def cell(self, position: int) -> tuple[int, int]:
        """Output cell ``(i, j)`` of frame ``position`` (row by row)."""
        position = validate.integer("position", position, 0, self.n_frames - 1)
        return divmod(position, self.out.shape[1])

    def window_origin(self, position: int) -> tuple[int, int]:
        """Top-left cell ``(row, col)`` of the window in the padded input at frame ``position``."""
        i, j = self.cell(position)
        return i * self.stride[0], j * self.stride[1]

    def window(self, position: int) -> np.ndarray:
        r0, c0 = self.window_origin(position)
        kh, kw = self.kernel.shape
        return self.padded[r0 : r0 + kh, c0 : c0 + kw]

    def arithmetic(self, position: int, decimals: int = 2) -> str:
        """The sum written out, e.g. ``86×1 + 4×0.3 = 87.2`` (zero-weight taps left out)."""
        win, k = self.window(position), self.kernel
        terms = [
            f"{fmt_number(a, decimals)}×{fmt_number(b, decimals)}"
            for a, b in zip(win.ravel(), k.ravel())
            if b != 0
        ]
        i, j = self.cell(position)
        return " + ".join(terms or ["0"]) + f" = {fmt_number(self.out[i, j], decimals)}"


@dataclass
class ChannelSweep:
    """A window over an input of several channels: one ``SweepFrames`` per channel (the
    channel correlated with its slice of the kernel), their maps added up, then the bias.

    x is ``(H, W, C)``, kernel ``(kh, kw, C)``, bias one number; stride and padding as in
    ``ops.conv2d``. ``out`` adds the channels' maps in channel order and then the bias, the
    order the page script adds them in, so both write the same numbers.
    """

    x: np.ndarray
    kernel: np.ndarray
    bias: float = 0.0
    stride: tuple = (1, 1)
    padding: object = "valid"

    def __post_init__(self):
        self.x = ops.as_image("x", self.x, (3,))
        self.kernel = ops.as_image("kernel", self.kernel, (3,))
        if self.kernel.shape[2] != self.x.shape[2]:
            raise ValueError(
                f"kernel depth {self.kernel.shape[2]} does not match the {self.x.shape[2]} channel(s) "
                f"of x: a kernel spans every input channel, so its shape must be "
                f"(kh, kw, {self.x.shape[2]})"
            )
        self.bias = validate.number("bias", self.bias)
        self.channels = [
            SweepFrames(self.x[:, :, c], self.kernel[:, :, c], self.stride, self.padding)
            for c in range(self.x.shape[2])
        ]
        self.stride = self.channels[0].stride
        total = self.channels[0].out.copy()
        for ch in self.channels[1:]:
            total = total + ch.out
        self.out = total + self.bias

    @property
    def depth(self) -> int:
        return len(self.channels)

    @property
    def n_frames(self) -> int:
        return self.out.size

    def cell(self, position: int) -> tuple[int, int]:
        return self.channels[0].cell(position)

    def window_origin(self, position: int) -> tuple[int, int]:
        return self.channels[0].window_origin(position)

    def total(self, position: int, decimals: int = 2) -> str:
        """The output cell written out from the channels' sums and the bias, e.g.
        ``7 + -2 + 1 = 6``."""
        i, j = self.cell(position)
        terms = [fmt_number(ch.out[i, j], decimals) for ch in self.channels]
        terms.append(fmt_number(self.bias, decimals))
        return " + ".join(terms) + f" = {fmt_number(self.out[i, j], decimals)}"

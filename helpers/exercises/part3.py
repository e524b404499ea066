"""The exercises of Part III (chapters 13-15): each expected value computed, never typed."""

from __future__ import annotations

from .. import network
from . import exercise


# ============================================================================ Part III
@exercise("13.1", why="760 conv parameters + 148·148·10·2 weights + 2 biases = 438,842.",
          hint="the conv layer is unchanged; the Dense layer now has 2 outputs, each with "
               "a weight per flattened value and a bias")
def _ch13_dense2_softmax():
    return network.article_parameters(units=2)["total"]


@exercise("13.2", why="Without pooling Flatten gives 296·296·10 = 876,160 values: "
                      "760 + 876,161 = 876,921 parameters.",
          hint="pooling has no parameters, but it shrinks what the Dense layer sees")
def _ch13_no_pooling():
    return network.article_parameters(pool=None)["total"]


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
    return network.article_parameters((28, 28, 1), filters=32)["total"]


@exercise("15.1", why="64 images × 300·300·3 values × 4 bytes = 69.12 MB.",
          hint="a float32 takes 4 bytes; count values per image first", tol=0.01)
def _ch15_batch_mb():
    return 64 * 300 * 300 * 3 * 4 / 1e6

"""Learning a kernel: recover a kernel from an input and its output by gradient descent.

Chapter 6 writes the loop out in numpy; this module is the same loop, tested, so the chapter
can check its own loop against it (and tests/test_learn.py checks the gradient against
TensorFlow's ``GradientTape`` and against finite differences).

The loss is the mean squared error between the output of the current kernel ``k`` and the
target ``y``::

    err  = conv2d(x, k) - y                      # one error per output cell
    loss = mean(err ** 2)
    dloss/dk[u, v] = 2 / N * sum_ij err[i, j] * x[i + u, j + v]  =  2 / N * conv2d(x, err)

(``N`` = number of output cells): a kernel weight is used at every position, so its gradient
is a sum over every position - itself a cross-correlation, of the input with the error.
"""

from __future__ import annotations

import numpy as np

from . import ops


def _check(x, y, kernel_shape):
    x = ops.as_image("x", x, (2,))
    y = ops.as_image("y", y, (2,))
    if len(kernel_shape) != 2:
        raise ValueError(f"kernel_shape must be (rows, cols), got {kernel_shape!r}")
    kh, kw = ops.as_pair("kernel_shape", tuple(kernel_shape))
    expected = (ops.output_size(x.shape[0], kh), ops.output_size(x.shape[1], kw))
    if y.shape != expected:
        raise ValueError(f"y has shape {y.shape}, but a {kh}x{kw} kernel on x of shape "
                         f"{x.shape} gives {expected}; pass the valid output of that kernel")
    return x, y


def loss_and_gradient(x, y, kernel) -> tuple[float, np.ndarray]:
    """Mean squared error of ``conv2d(x, kernel)`` against ``y``, and its gradient in the kernel."""
    kernel = ops.as_image("kernel", kernel, (2,))
    x, y = _check(x, y, kernel.shape)
    err = ops.conv2d(x, kernel) - y
    return float(np.mean(err ** 2)), 2 * ops.conv2d(x, err) / err.size


def fit_kernel(x, y, kernel_shape=(2, 2), lr: float = 2.0, steps: int = 40, start=None
               ) -> tuple[np.ndarray, list[float]]:
    """Gradient descent on the kernel from ``start`` (zeros by default).

    Returns the kernel after ``steps`` updates and the loss before each update.
    """
    x, y = _check(x, y, kernel_shape)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if not (isinstance(lr, (int, float)) and lr > 0 and np.isfinite(lr)):
        raise ValueError(f"lr (the step size) must be a positive number, got {lr!r}")
    k = np.zeros(tuple(kernel_shape)) if start is None else ops.as_image("start", start, (2,)).copy()
    if k.shape != tuple(kernel_shape):
        raise ValueError(f"start has shape {k.shape} but kernel_shape is {tuple(kernel_shape)}")
    losses = []
    for _ in range(steps):
        loss, grad = loss_and_gradient(x, y, k)
        losses.append(loss)
        k = k - lr * grad
    return k, losses

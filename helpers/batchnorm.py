"""Batch normalization's arithmetic in NumPy, as Keras's ``BatchNormalization`` layer does it.

Per channel (the last axis; the batch and any height and width are the samples):

* training: ``y = gamma * (x - mean) / sqrt(var + eps) + beta`` with the batch's own mean and
  its biased variance (the mean of the squared deviations, dividing by the number of values,
  not one less);
* after each training step the layer updates its moving statistics,
  ``moving = moving * momentum + batch_stat * (1 - momentum)``;
* inference: the same formula with the moving mean and variance in place of the batch's, so one
  photo's output does not depend on the others in its batch.

Keras's defaults are ``momentum=0.99`` and ``epsilon=1e-3`` (``MOMENTUM``, ``EPSILON``); the
moving mean starts at 0 and the moving variance at 1. ``gamma`` and ``beta`` are trained, the
moving statistics are not: of the layer's 4 numbers per channel, 2 are trainable.
"""

from __future__ import annotations

import numpy as np

from . import ops, validate

#: Keras BatchNormalization's defaults.
MOMENTUM = 0.99
EPSILON = 1e-3


def _inputs(x, **per_channel) -> tuple[np.ndarray, list[np.ndarray]]:
    """``x`` (``(batch, features)`` or ``(batch, height, width, channels)``) and the
    per-channel vectors as float64 arrays, each vector one value per channel of ``x``."""
    x = ops.as_image("x", x, (2, 4))
    vectors = []
    for name, value in per_channel.items():
        vector = ops.as_image(name, value, (1,))
        if vector.shape != x.shape[-1:]:
            raise ValueError(
                f"{name} must hold one value per channel of x ({x.shape[-1]}), got shape {vector.shape}"
            )
        vectors.append(vector)
    return x, vectors


def _normalize(x, gamma, beta, mean, var, eps) -> np.ndarray:
    """``gamma * (x - mean) / sqrt(var + eps) + beta``, channel by channel (checked arrays)."""
    return gamma * (x - mean) / np.sqrt(var + validate.number("eps", eps, positive=True)) + beta


def batch_stats(x) -> tuple[np.ndarray, np.ndarray]:
    """The mean and the biased variance of each channel over a batch ``x``."""
    x, _ = _inputs(x)
    axes = tuple(range(x.ndim - 1))
    mean = x.mean(axis=axes)
    return mean, ((x - mean) ** 2).mean(axis=axes)


def batchnorm_train(x, gamma, beta, eps=EPSILON) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The output in training, normalized with the batch's statistics: ``(y, mean, var)``."""
    x, (gamma, beta) = _inputs(x, gamma=gamma, beta=beta)
    mean, var = batch_stats(x)
    return _normalize(x, gamma, beta, mean, var, eps), mean, var


def batchnorm_infer(x, gamma, beta, moving_mean, moving_var, eps=EPSILON) -> np.ndarray:
    """The output in inference, normalized with the moving statistics."""
    x, (gamma, beta, mean, var) = _inputs(
        x, gamma=gamma, beta=beta, moving_mean=moving_mean, moving_var=moving_var
    )
    if np.any(var < 0):
        raise ValueError("moving_var must be non-negative in every channel: a variance is never below 0")
    return _normalize(x, gamma, beta, mean, var, eps)


def update_moving(moving, batch_stat, momentum=MOMENTUM) -> np.ndarray:
    """A moving statistic after one training batch: ``moving * momentum + batch_stat * (1 -
    momentum)`` - with 0.99, each batch moves it 1 % of the way to the batch's value."""
    moving = ops.as_image("moving", moving, (1,))
    batch_stat = ops.as_image("batch_stat", batch_stat, (1,))
    if moving.shape != batch_stat.shape:
        raise ValueError(
            f"batch_stat must have the shape of moving {moving.shape}, got shape {batch_stat.shape}"
        )
    momentum = validate.number("momentum", momentum)
    if not 0 <= momentum <= 1:
        raise ValueError(f"momentum must be a finite number from 0 to 1, got {momentum:g}")
    return moving * momentum + batch_stat * (1 - momentum)

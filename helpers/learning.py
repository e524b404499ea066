"""How a network learns, in numbers: a gradient as a nudged weight (finite difference) and
from TensorFlow's tape, a descent step, recovering a kernel by gradient descent, and why two
filters that start equal stay equal. Softmax, sigmoid and cross-entropy live in
``helpers.losses`` and are importable from here too (``learning.softmax``).

``finite_difference`` and ``tiny_loss`` show what a gradient *is*: nudge one kernel weight by
a little, see how much the loss moves. ``tape_gradient`` gets the same number from
TensorFlow's automatic differentiation (``helpers.backprop`` gets it by the chain rule).

``fit_kernel`` recovers a kernel from an input and its output (chapter 6 writes the loop out
in NumPy and checks it against this one). Its loss is the mean squared error between the
output of the current kernel ``k`` and the target ``y``::

    err  = conv2d(x, k) - y                      # one error per output cell
    loss = mean(err ** 2)
    dloss/dk[u, v] = 2 / N * sum_ij err[i, j] * x[i + u, j + v]  =  2 / N * conv2d(x, err)

(``N`` = number of output cells): a kernel weight is used at every position, so its gradient
is a sum over every position - itself a cross-correlation, of the input with the error.
"""

from __future__ import annotations

import numpy as np

from . import backprop, ops, tfenv, validate

# softmax and the losses, also by the names the chapters and tests use (learning.softmax, ...)
from .losses import cross_entropy, sigmoid, softmax, softmax_cross_entropy  # noqa: F401


def tiny_loss(params: dict, x, label: int) -> float:
    """Loss of the smallest CNN with every part: conv (3×3, 1 filter, bias) → ReLU → Flatten
    → Dense(2) → softmax → cross-entropy against ``label``. Pure NumPy via ``ops.conv2d``.

    params: ``kernel (3,3)``, ``bias`` (scalar), ``w (n_flat, 2)``, ``b (2,)``.
    """
    a = np.maximum(ops.conv2d(x, params["kernel"], bias=params["bias"]), 0)
    z = a.reshape(-1) @ params["w"] + params["b"]
    return cross_entropy(softmax(z), label)


def init_tiny(x_shape, seed: int = 0) -> dict:
    """Random starting weights for ``tiny_loss`` (Glorot-uniform kernels, zero biases - the
    Keras defaults)."""
    rng = np.random.default_rng(seed)
    h, w = x_shape
    n_flat = (h - 2) * (w - 2)
    lim_k = np.sqrt(6 / (9 + 9))  # fan_in = fan_out = 3*3*1 for one filter
    lim_d = np.sqrt(6 / (n_flat + 2))
    return {
        "kernel": rng.uniform(-lim_k, lim_k, (3, 3)),
        "bias": 0.0,
        "w": rng.uniform(-lim_d, lim_d, (n_flat, 2)),
        "b": np.zeros(2),
    }


def finite_difference(loss, params: dict, name: str, index=(), eps: float = 1e-6) -> float:
    """d loss / d params[name][index] by the central difference
    ``(L(w + eps) - L(w - eps)) / (2 eps)``; ``loss`` takes the params dict."""
    if name not in params:
        raise KeyError(f"no parameter {name!r}; have {', '.join(params)}")
    values = []
    for sign in (1, -1):
        p = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
        p[name][index] += sign * eps
        values.append(loss(p))
    return (values[0] - values[1]) / (2 * eps)


def tape_gradient(params: dict, x, label: int) -> dict:
    """Gradients of the ``tiny_loss`` network, computed by ``tf.GradientTape`` in float64:
    one entry per parameter, plus ``"x"``, the gradient with respect to the input image."""
    tf = tfenv.tensorflow()
    v = {k: tf.Variable(np.asarray(p, dtype=np.float64)) for k, p in params.items()}
    xv = tf.Variable(np.asarray(x, dtype=np.float64)[None, :, :, None])
    with tf.GradientTape() as tape:
        a = tf.nn.relu(tf.nn.conv2d(xv, v["kernel"][:, :, None, None], 1, "VALID") + v["bias"])
        z = tf.reshape(a, (1, -1)) @ v["w"] + v["b"]
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits([label], z)[0]
    grads = tape.gradient(loss, {**v, "x": xv})
    out = {k: g.numpy() for k, g in grads.items()}
    out["x"] = out["x"][0, :, :, 0]
    return out


def descent_step(params: dict, grads: dict, lr: float) -> dict:
    """One gradient-descent step: every weight moves by ``-lr * gradient`` (gradients of
    anything that is not a parameter, such as the input's, are ignored)."""
    return {k: np.asarray(params[k], dtype=float) - lr * np.asarray(grads[k]) for k in params}


# ----------------------------------------------------------------------------- fitting a kernel
def _check_fit(x, y, kernel_shape):
    x = ops.as_image("x", x, (2,))
    y = ops.as_image("y", y, (2,))
    if len(kernel_shape) != 2:
        raise ValueError(f"kernel_shape must be (rows, cols), got {kernel_shape!r}")
    kh, kw = ops.as_pair("kernel_shape", tuple(kernel_shape))
    expected = (ops.output_size(x.shape[0], kh), ops.output_size(x.shape[1], kw))
    if y.shape != expected:
        raise ValueError(
            f"y has shape {y.shape}, but a {kh}x{kw} kernel on x of shape "
            f"{x.shape} gives {expected}; pass the valid output of that kernel"
        )
    return x, y


def loss_and_gradient(x, y, kernel) -> tuple[float, np.ndarray]:
    """Mean squared error of ``conv2d(x, kernel)`` against ``y``, and its gradient in the
    kernel: ``2 / N * conv2d(x, err)``, the input correlated with the error
    (``backprop.kernel_gradient``)."""
    kernel = ops.as_image("kernel", kernel, (2,))
    x, y = _check_fit(x, y, kernel.shape)
    err = ops.conv2d(x, kernel) - y
    return float(np.mean(err**2)), 2 * backprop.kernel_gradient(x, err) / err.size


def fit_kernel(
    x, y, kernel_shape=(2, 2), lr: float = 2.0, steps: int = 40, start=None
) -> tuple[np.ndarray, list[float]]:
    """Gradient descent on the kernel from ``start`` (zeros by default).

    Returns the kernel after ``steps`` updates and the loss before each update.
    """
    x, y = _check_fit(x, y, kernel_shape)
    steps = validate.positive_integer("steps", steps)
    lr = validate.number("lr (the step size)", lr, positive=True)
    k = np.zeros(tuple(kernel_shape)) if start is None else ops.as_image("start", start, (2,)).copy()
    if k.shape != tuple(kernel_shape):
        raise ValueError(f"start has shape {k.shape} but kernel_shape is {tuple(kernel_shape)}")
    losses = []
    for _ in range(steps):
        loss, grad = loss_and_gradient(x, y, k)
        losses.append(loss)
        k = k - lr * grad
    return k, losses


def step_limit(x, kernel_shape=(2, 2)) -> float:
    """The largest step size for which ``fit_kernel`` on input ``x`` converges: ``2 / λ_max``.

    The loss is a quadratic bowl in the kernel's weights; its second derivative (Hessian) is
    ``2 / N * P.T @ P``, ``P`` the ``N × (kh·kw)`` matrix of the input's patches, one row per output
    cell. A step multiplies the distance to the bottom along each eigenvector by ``1 - lr·λ``, so
    the descent converges only while ``lr < 2 / λ_max``: beyond, it overshoots further each time.
    Scaling ``x`` by ``a`` scales the curvature by ``a²`` and the limit by ``1 / a²``.
    """
    x = ops.as_image("x", x, (2,)).astype(float)
    kh, kw = ops.as_pair("kernel_shape", tuple(kernel_shape))
    patches = np.lib.stride_tricks.sliding_window_view(x, (kh, kw)).reshape(-1, kh * kw)
    curvature = np.linalg.eigvalsh(2 * patches.T @ patches / len(patches)).max()
    return float(2 / curvature)


def twin_filter_gradients(x, same_start: bool, seed: int = 0) -> np.ndarray:
    """Gradients of a 2-filter conv layer (3×3) followed by Flatten → Dense(1) → sigmoid →
    binary cross-entropy, for one image ``x`` with label 1. Shape ``(2, 3, 3)``: one 3×3
    gradient per filter.

    ``same_start=True`` starts both filters *and* their Dense weights from the same constant
    values: then the two filters get identical gradients, and every later step keeps them
    identical. ``False`` uses the Keras random defaults (Glorot-uniform), which break the tie.
    """
    keras, tf = tfenv.keras(), tfenv.tensorflow()
    keras.utils.set_random_seed(seed)
    init = {"kernel_initializer": keras.initializers.Constant(0.1)} if same_start else {}
    dinit = {"kernel_initializer": keras.initializers.Constant(0.01)} if same_start else {}
    h, w = np.asarray(x).shape[:2]
    model = keras.Sequential(
        [
            keras.Input((h, w, 1)),
            keras.layers.Conv2D(2, 3, **init),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid", **dinit),
        ]
    )
    xt = tf.constant(np.asarray(x, dtype=np.float32)[None, :, :, None])
    with tf.GradientTape() as tape:
        loss = keras.losses.binary_crossentropy(tf.ones((1, 1)), model(xt))
    g = tape.gradient(loss, model.layers[0].kernel)
    return np.moveaxis(g.numpy()[:, :, 0, :], 2, 0)

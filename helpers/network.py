"""A whole (small) CNN on paper: shapes and parameter counts layer by layer, and how one
weight is learnt.

``trace`` walks a list of layer specs and computes every output shape and parameter count
with ``ops.output_size``, ``ops.conv_params`` and ``ops.dense_params`` - no framework - so the
book can put its own table beside Keras's ``model.summary()`` and the tests can compare them.
``to_keras`` builds the same list as a ``keras.Sequential``.

``finite_difference`` and ``tiny_loss`` show what a gradient *is*: nudge one kernel weight by
a little, see how much the loss moves. ``tape_gradient`` gets the same number from
TensorFlow's automatic differentiation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ops


# ----------------------------------------------------------------------------- layer specs
@dataclass(frozen=True)
class Conv:
    filters: int
    kernel: int
    stride: int = 1
    padding: str = "valid"
    activation: str | None = "relu"


@dataclass(frozen=True)
class Pool:
    size: int = 2
    stride: int | None = None
    padding: str = "valid"


@dataclass(frozen=True)
class Flatten:
    pass


@dataclass(frozen=True)
class GlobalAvgPool:
    pass


@dataclass(frozen=True)
class Dense:
    units: int
    activation: str | None = None


def article_layers(pool: bool = True) -> list:
    """The article's Keras model as a layer list, from the settings in ``helpers.models``:
    Conv2D(10, 5×5, relu) -> MaxPooling2D(2×2) -> Flatten -> Dense(1); ``pool=False`` drops
    the pooling layer (to show what pooling does to the parameter count)."""
    from . import models

    kh, kw = models.ARTICLE_KERNEL
    if kh != kw:
        raise ValueError(f"the trace draws square kernels only, got {models.ARTICLE_KERNEL}")
    layers = [Conv(models.ARTICLE_FILTERS, kh)]
    if pool:
        layers.append(Pool(models.ARTICLE_POOL))
    return layers + [Flatten(), Dense(models.ARTICLE_UNITS)]


def trace(input_shape, layers) -> list[dict]:
    """One row per layer: ``{"layer", "shape", "params"}``, starting with the input.

    input_shape: ``(H, W, C)``; shapes are written without the batch axis.
    """
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    rows = [{"layer": "Input", "shape": shape, "params": 0}]
    for layer in layers:
        if isinstance(layer, Conv):
            if len(shape) != 3:
                raise ValueError(f"Conv needs a 3-D input, got {shape}: put it before Flatten")
            h, w, c = shape
            shape = (ops.output_size(h, layer.kernel, layer.stride, layer.padding),
                     ops.output_size(w, layer.kernel, layer.stride, layer.padding), layer.filters)
            params = ops.conv_params(layer.kernel, layer.kernel, c, layer.filters)
            name = f"Conv2D({layer.filters}, {layer.kernel}×{layer.kernel}, s={layer.stride}, {layer.padding})"
        elif isinstance(layer, Pool):
            h, w, c = shape
            s = layer.stride or layer.size
            shape = (ops.output_size(h, layer.size, s, layer.padding),
                     ops.output_size(w, layer.size, s, layer.padding), c)
            params, name = 0, f"MaxPooling2D({layer.size}×{layer.size})"
        elif isinstance(layer, Flatten):
            shape, params, name = (int(np.prod(shape)),), 0, "Flatten"
        elif isinstance(layer, GlobalAvgPool):
            shape, params, name = (shape[-1],), 0, "GlobalAveragePooling2D"
        elif isinstance(layer, Dense):
            if len(shape) != 1:
                raise ValueError(f"Dense needs a flat input, got shape {shape}: add Flatten() first")
            params = ops.dense_params(shape[0], layer.units)
            shape, name = (layer.units,), f"Dense({layer.units})"
        else:
            raise TypeError(f"unknown layer spec {layer!r}; use Conv, Pool, Flatten, "
                            "GlobalAvgPool or Dense from helpers.network")
        rows.append({"layer": name, "shape": shape, "params": params})
    return rows


def trace_table(rows) -> str:
    """The trace as aligned text, with the total - to print beside ``model.summary()``."""
    lines = [f"{'layer':<34}{'output shape':<20}{'params':>10}"]
    for r in rows:
        lines.append(f"{r['layer']:<34}{str(r['shape']):<20}{r['params']:>10,}")
    lines.append(f"{'total':<54}{sum(r['params'] for r in rows):>10,}")
    return "\n".join(lines)


def to_keras(input_shape, layers):
    """The same layer list as a ``keras.Sequential`` (built, randomly initialised)."""
    import keras

    out = [keras.Input(shape=tuple(input_shape))]
    for layer in layers:
        if isinstance(layer, Conv):
            out.append(keras.layers.Conv2D(layer.filters, layer.kernel, strides=layer.stride,
                                           padding=layer.padding, activation=layer.activation))
        elif isinstance(layer, Pool):
            out.append(keras.layers.MaxPooling2D(layer.size, strides=layer.stride,
                                                 padding=layer.padding))
        elif isinstance(layer, Flatten):
            out.append(keras.layers.Flatten())
        elif isinstance(layer, GlobalAvgPool):
            out.append(keras.layers.GlobalAveragePooling2D())
        elif isinstance(layer, Dense):
            out.append(keras.layers.Dense(layer.units, activation=layer.activation))
        else:
            raise TypeError(f"unknown layer spec {layer!r}")
    return keras.Sequential(out)


def keras_rows(model) -> list[dict]:
    """``(output shape without batch axis, parameter count)`` of each Keras layer."""
    return [{"layer": l.name, "shape": tuple(l.output.shape[1:]), "params": l.count_params()}
            for l in model.layers]


# ----------------------------------------------------------------------------- learning
def softmax(z) -> np.ndarray:
    """Class probabilities from scores: ``exp(z - max) / sum`` (shifted to avoid overflow)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(z) -> np.ndarray:
    """One probability from one score: ``1 / (1 + exp(-z))``."""
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def cross_entropy(p, label: int) -> float:
    """The loss of class probabilities ``p`` when the true class is ``label``: ``-log p[label]``."""
    p = np.asarray(p, dtype=float)
    return float(-np.log(p[label]))


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
    lim_k = np.sqrt(6 / (9 + 9))          # fan_in = fan_out = 3*3*1 for one filter
    lim_d = np.sqrt(6 / (n_flat + 2))
    return {"kernel": rng.uniform(-lim_k, lim_k, (3, 3)), "bias": 0.0,
            "w": rng.uniform(-lim_d, lim_d, (n_flat, 2)), "b": np.zeros(2)}


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
    import tensorflow as tf

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


# ----------------------------------------------------------------------------- softmax page
SOFTMAX_JS = """function cnnSoftmax(z){var m=Math.max.apply(null,z),e=z.map(function(v){return Math.exp(v-m);}),
t=e.reduce(function(a,b){return a+b;},0);return e.map(function(v){return v/t;});}
function cnnSigmoid(z){return 1/(1+Math.exp(-z));}"""

_SOFTMAX_PAGE = """<script>
(function(){
%(fn)s
var root=document.getElementById(%(id)s); if(!root) return;
function update(){
  var z=[0,1,2].map(function(i){return parseFloat(root.querySelector('[name=z'+i+']').value)||0;});
  var y=parseInt(root.querySelector('[name=y]').value,10)||0, p=cnnSoftmax(z);
  root.querySelector('.out').textContent='softmax: '+p.map(function(v){return v.toFixed(3);}).join(', ')+
   ' (sum 1) · cross-entropy for class '+y+': '+(-Math.log(p[y])).toFixed(3)+
   ' · sigmoid of each score alone: '+z.map(function(v){return cnnSigmoid(v).toFixed(3);}).join(', ');
}
root.querySelectorAll('input,select').forEach(function(e){e.addEventListener('input',update);});
update();
})();
</script>"""


def softmax_text(z, y: int) -> str:
    """The line the page's JavaScript writes for scores ``z`` and true class ``y``."""
    p = softmax(z)
    return ("softmax: " + ", ".join(f"{v:.3f}" for v in p) + f" (sum 1) · cross-entropy for class {y}: "
            f"{cross_entropy(p, y):.3f} · sigmoid of each score alone: "
            + ", ".join(f"{v:.3f}" for v in sigmoid(z)))


def softmax_html(z=(2.0, 1.0, -1.0), y=0, uid="cnn-softmax"):
    """Kernel-free control: three class scores and a true class → softmax probabilities,
    cross-entropy loss and, for contrast, the sigmoid of each score on its own."""
    import json

    from IPython.display import HTML

    fields = "".join(f'<label>score {i} <input type="number" step="0.5" name="z{i}" value="{v}" '
                     f'aria-label="score of class {i}" style="width:5em"></label> ' for i, v in enumerate(z))
    opts = "".join(f'<option value="{i}"{" selected" if i == y else ""}>{i}</option>' for i in range(3))
    body = (f'<div id="{uid}" style="font-family:ui-monospace,monospace"><form onsubmit="return false">'
            f'{fields}<label>true class <select name="y" aria-label="true class">{opts}</select></label>'
            f'</form><p class="out" aria-live="polite">{softmax_text(z, y)}</p></div>')
    return HTML(body + _SOFTMAX_PAGE % {"fn": SOFTMAX_JS, "id": json.dumps(uid)})


def twin_filter_gradients(x, same_start: bool, seed: int = 0) -> np.ndarray:
    """Gradients of a 2-filter conv layer (3×3) followed by Flatten → Dense(1) → sigmoid →
    binary cross-entropy, for one image ``x`` with label 1. Shape ``(2, 3, 3)``: one 3×3
    gradient per filter.

    ``same_start=True`` starts both filters *and* their Dense weights from the same constant
    values: then the two filters get identical gradients, and every later step keeps them
    identical. ``False`` uses the Keras random defaults (Glorot-uniform), which break the tie.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    init = {"kernel_initializer": keras.initializers.Constant(0.1)} if same_start else {}
    dinit = {"kernel_initializer": keras.initializers.Constant(0.01)} if same_start else {}
    h, w = np.asarray(x).shape[:2]
    model = keras.Sequential([keras.Input((h, w, 1)), keras.layers.Conv2D(2, 3, **init),
                              keras.layers.Flatten(),
                              keras.layers.Dense(1, activation="sigmoid", **dinit)])
    xt = tf.constant(np.asarray(x, dtype=np.float32)[None, :, :, None])
    with tf.GradientTape() as tape:
        loss = keras.losses.binary_crossentropy(tf.ones((1, 1)), model(xt))
    g = tape.gradient(loss, model.layers[0].kernel)
    return np.moveaxis(g.numpy()[:, :, 0, :], 2, 0)

"""helpers.designs and helpers.batchnorm: every Part IV design traces, layer by layer, to what
Keras builds from the same list, with the parameter counts stated here; batch normalization in
NumPy equals Keras's layer in training, in inference and in its moving statistics."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import batchnorm, designs, network, tfenv

# name -> (layer list, total parameters, trainable parameters), the totals as Keras counts them
DESIGNS = {
    "lenet5": (designs.lenet5(), 61_706, 61_706),
    "lenet5_relu_max": (designs.lenet5_relu_max(), 61_706, 61_706),
    "small_vgg": (designs.small_vgg(), 60_874, 60_874),
    "gap_head": (designs.gap_head("gap"), 23_946, 23_946),
    "flatten_head": (designs.gap_head("flatten"), 29_066, 29_066),
    "plain_deep(12)": (designs.plain_deep(12), 64_122, 63_546),
    "resnet_like(12)": (designs.resnet_like(12), 64_698, 64_122),
    "plain_deep(4)": (designs.plain_deep(4), 17_082, 16_890),
    "resnet_like(4)": (designs.resnet_like(4), 17_658, 17_466),
    "mlp(100)": (designs.mlp(100), 79_510, 79_510),
    "mlp_matching(61_706)": (designs.mlp_matching(61_706), 62_020, 62_020),
}


@pytest.fixture(scope="module")
def keras():
    return tfenv.keras()


@pytest.mark.parametrize("name", DESIGNS)
def test_each_design_traces_to_what_keras_builds(keras, name):
    layers, total, trainable = DESIGNS[name]
    rows = network.trace(designs.INPUT_SHAPE, layers)
    model = network.to_keras(designs.INPUT_SHAPE, layers)
    built = network.keras_rows(model)
    assert [(r["shape"], r["params"], r["trainable"]) for r in rows[1:]] == [
        (r["shape"], r["params"], r["trainable"]) for r in built
    ]
    assert sum(r["params"] for r in rows) == model.count_params() == total
    keras_trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert sum(r["trainable"] for r in rows) == keras_trainable == trainable
    assert rows[-1]["shape"] == (designs.CLASSES,)


def test_lenet5_layer_by_layer():
    rows = network.trace(designs.INPUT_SHAPE, designs.lenet5())[1:]
    assert [r["layer"] for r in rows][:2] == ["Conv2D(6, 5×5, s=1, same)", "AveragePooling2D(2×2)"]
    assert [r["shape"] for r in rows] == [
        (28, 28, 6),
        (14, 14, 6),
        (10, 10, 16),
        (5, 5, 16),
        (400,),
        (120,),
        (84,),
        (10,),
    ]
    assert [r["params"] for r in rows] == [156, 0, 2_416, 0, 0, 48_120, 10_164, 850]
    assert sum(r["params"] for r in rows) == 61_706  # d2l.ai's count, measured in Keras above
    sigmoid, modern = designs.lenet5(), designs.lenet5_relu_max()
    assert {layer.activation for layer in sigmoid if hasattr(layer, "activation")} == {"sigmoid", None}
    assert {layer.kind for layer in sigmoid if isinstance(layer, network.Pool)} == {"avg"}
    assert {layer.kind for layer in modern if isinstance(layer, network.Pool)} == {"max"}


def test_vgg_block_halves_the_side_and_sets_the_channels():
    assert designs.vgg_block(2, 8) == [network.Conv(8, 3, padding="same")] * 2 + [network.Pool(2)]
    rows = network.trace((14, 14, 3), designs.vgg_block(3, 5))
    assert [r["shape"] for r in rows] == [(14, 14, 3), (14, 14, 5), (14, 14, 5), (14, 14, 5), (7, 7, 5)]


@pytest.mark.parametrize("depth", [2, 4, 6, 12, 20])
def test_the_deep_pair_differs_only_by_its_skips(depth):
    plain, skips = designs.plain_deep(depth), designs.resnet_like(depth)
    convs = [layer for layer in plain if isinstance(layer, network.Conv)]
    main = [layer for block in skips if isinstance(block, network.Residual) for layer in block.main_path()]
    assert [layer for layer in main if isinstance(layer, network.Conv)] == convs
    assert len(convs) == depth and {c.kernel for c in convs} == {3}
    norms = [network.BatchNorm()] * depth
    assert [layer for layer in main if isinstance(layer, network.BatchNorm)] == norms
    assert [layer for layer in plain if isinstance(layer, network.BatchNorm)] == norms
    plain_rows = network.trace(designs.INPUT_SHAPE, plain)
    skip_rows = network.trace(designs.INPUT_SHAPE, skips)
    assert plain_rows[-3]["shape"] == skip_rows[-3]["shape"] == ((7, 7, 32) if depth >= 4 else (14, 14, 16))
    shortcuts = [
        p["params"] for r in skip_rows for p in r.get("parts", []) if p["layer"].startswith("shortcut")
    ]
    # the only extra weights: the 1×1 shortcuts where the shape changes (1 -> 16, 16 -> 32)
    assert shortcuts == ([32, 544] if depth >= 4 else [32])
    assert designs.parameters(skips) - designs.parameters(plain) == sum(shortcuts)


def test_the_gap_head_saves_the_flatten_heads_weights():
    gap, flat = (network.trace(designs.INPUT_SHAPE, designs.gap_head(h))[-2:] for h in ("gap", "flatten"))
    assert [r["shape"] for r in gap] == [(64,), (10,)] and gap[-1]["params"] == 650
    assert [r["shape"] for r in flat] == [(576,), (10,)] and flat[-1]["params"] == 5_770
    assert designs.gap_head()[:-2] == designs.small_vgg()[:-3]  # the same convs


@given(st.integers(1, 3_000_000))
def test_mlp_matching_lands_within_half_a_hidden_unit(target):
    per_unit = designs.parameters(designs.mlp(2)) - designs.parameters(designs.mlp(1))
    assert per_unit == 784 + 1 + 10  # a hidden unit: its 784 weights, its bias, its 10 outputs
    layers = designs.mlp_matching(target)
    hidden = layers[1].units
    got = designs.parameters(layers)
    if hidden > 1:
        assert abs(got - target) <= per_unit / 2
    else:
        assert target < designs.parameters(designs.mlp(1)) + per_unit / 2
    assert layers == designs.mlp(hidden)


def test_mlp_matching_picks_the_nearest():
    assert designs.mlp_matching(61_706)[1].units == 78  # 62,020 is 314 away, 77 units' 61,225 is 481
    assert designs.mlp_matching(1)[1].units == 1


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: designs.vgg_block(0, 16), ValueError, "n_convs must be a positive integer, got 0"),
        (lambda: designs.vgg_block(2, 1.5), TypeError, "filters must be a positive integer, got 1.5"),
        (lambda: designs.plain_deep(5), ValueError, "depth must be an even number of convs"),
        (lambda: designs.resnet_like(0), ValueError, "depth must be a positive integer, got 0"),
        (lambda: designs.resnet_like(4, width=True), TypeError, "width must be a positive integer"),
        (lambda: designs.gap_head("max"), ValueError, "head must be one of ('gap', 'flatten'), got 'max'"),
        (lambda: designs.small_vgg(units=0), ValueError, "units must be a positive integer, got 0"),
        (lambda: designs.mlp(0), ValueError, "hidden must be a positive integer, got 0"),
        (lambda: designs.mlp_matching(-5), ValueError, "params must be a positive integer, got -5"),
        (lambda: network.Pool(kind="median"), ValueError, "kind must be one of ('max', 'avg')"),
        (lambda: network.Residual(filters=0), ValueError, "filters must be a positive integer, got 0"),
    ],
)
def test_bad_arguments_say_which_and_what_is_allowed(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


# ----------------------------------------------------------------------------- batch normalization
def _keras_step(keras, x, gamma, beta, moving_mean, moving_var):
    """Keras's BatchNormalization with these weights: its training output, its moving mean and
    variance after that one call, then its inference output."""
    layer = keras.layers.BatchNormalization()
    layer.build(x.shape)
    for weight, value in [
        (layer.gamma, gamma),
        (layer.beta, beta),
        (layer.moving_mean, moving_mean),
        (layer.moving_variance, moving_var),
    ]:
        weight.assign(value)
    trained = np.asarray(layer(x, training=True))
    moved = np.asarray(layer.moving_mean), np.asarray(layer.moving_variance)
    return trained, moved, np.asarray(layer(x, training=False))


def _check_against_keras(keras, shape, seed, offset, scale):
    """Random ``x`` of ``shape``, each channel ``scale * (offset + z)`` with ``z`` of mean 0 and
    standard deviation 1 over the batch, and random weights: NumPy's batch normalization equals
    Keras's to 1e-5. At least two values per channel: Keras works in float32 and computes
    ``x * g + (beta - mean * g)`` with ``g = gamma / sqrt(var + eps)``, so when the variance is 0
    (one value) ``g`` is 32 gamma and the two terms cancel to a few float32 steps of ``x * g``
    (``test_batchnorm_by_hand`` checks that case)."""
    rng = np.random.default_rng(seed)
    c = shape[-1]
    z = rng.normal(size=shape)
    axes = tuple(range(len(shape) - 1))
    z -= z.mean(axis=axes)
    spread = z.std(axis=axes)
    z = np.divide(z, spread, out=np.zeros_like(z), where=spread > 0)
    x = (scale * (offset + z)).astype(np.float32)
    gamma, beta = rng.uniform(-2, 2, (2, c)).astype(np.float32)
    moving_mean = rng.normal(0, 2, c).astype(np.float32)
    moving_var = rng.uniform(0.1, 5, c).astype(np.float32)
    trained, (k_mean, k_var), inferred = _keras_step(keras, x, gamma, beta, moving_mean, moving_var)

    y, mean, var = batchnorm.batchnorm_train(x, gamma, beta)
    np.testing.assert_allclose(y, trained, rtol=1e-5, atol=1e-5)
    new_mean = batchnorm.update_moving(moving_mean, mean)
    new_var = batchnorm.update_moving(moving_var, var)
    np.testing.assert_allclose(new_mean, k_mean, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(new_var, k_var, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        batchnorm.batchnorm_infer(x, gamma, beta, new_mean, new_var), inferred, rtol=1e-5, atol=1e-5
    )


@given(
    shape=st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 5), st.integers(1, 4)).filter(
        lambda s: s[0] * s[1] * s[2] >= 2
    ),
    seed=st.integers(0, 2**32 - 1),
    offset=st.floats(-3, 3),
    scale=st.floats(0.01, 10),
)
def test_batchnorm_equals_keras_on_feature_maps(keras, shape, seed, offset, scale):
    _check_against_keras(keras, shape, seed, offset, scale)


@given(
    shape=st.tuples(st.integers(2, 16), st.integers(1, 8)),
    seed=st.integers(0, 2**32 - 1),
    offset=st.floats(-3, 3),
    scale=st.floats(0.01, 10),
)
def test_batchnorm_equals_keras_on_dense_features(keras, shape, seed, offset, scale):
    _check_against_keras(keras, shape, seed, offset, scale)


def test_batchnorm_by_hand():
    x = np.array([[1.0], [3.0]])  # mean 2, biased variance 1 (the unbiased one would be 2)
    y, mean, var = batchnorm.batchnorm_train(x, gamma=[1.0], beta=[0.0])
    assert (mean[0], var[0]) == (2.0, 1.0)
    np.testing.assert_allclose(y[:, 0], [-1 / np.sqrt(1.001), 1 / np.sqrt(1.001)])
    assert batchnorm.update_moving(np.array([0.0]), mean)[0] == pytest.approx(0.02)  # 1 % of the way
    assert batchnorm.update_moving(np.array([1.0]), var)[0] == pytest.approx(1.0)
    # inference with the starting statistics (mean 0, variance 1) barely changes x
    np.testing.assert_allclose(batchnorm.batchnorm_infer(x, [1.0], [0.0], [0.0], [1.0]), x / np.sqrt(1.001))
    assert (batchnorm.MOMENTUM, batchnorm.EPSILON) == (0.99, 1e-3)
    # one value per channel: it is its own mean, so training gives beta
    one = np.array([[6.0, -2.0]])
    y, mean, var = batchnorm.batchnorm_train(one, gamma=[1.7, -0.5], beta=[0.5, 0.25])
    assert y.tolist() == [[0.5, 0.25]] and var.tolist() == [0.0, 0.0]


BAD_BATCHNORM = [
    (
        lambda: batchnorm.batchnorm_train(np.ones((2, 3)), [1, 1], [0, 0, 0]),
        ValueError,
        "gamma must hold one value per channel of x (3), got shape (2,)",
    ),
    (
        lambda: batchnorm.batchnorm_train(np.ones((2, 3, 3)), [1] * 3, [0] * 3),
        ValueError,
        "x must be 2-D or 4-D",
    ),
    (
        lambda: batchnorm.batchnorm_train(np.ones((2, 1)), [1], [0], eps=0),
        ValueError,
        "eps must be a finite positive number, got 0",
    ),
    (
        lambda: batchnorm.batchnorm_infer(np.ones((2, 1)), [1], [0], [0], [-1]),
        ValueError,
        "moving_var must be non-negative",
    ),
    (
        lambda: batchnorm.update_moving([0.0], [1.0], momentum=1.5),
        ValueError,
        "momentum must be a finite number from 0 to 1, got 1.5",
    ),
    (
        lambda: batchnorm.update_moving([0.0], [1.0, 2.0]),
        ValueError,
        "batch_stat must have the shape of moving (1,)",
    ),
    (
        lambda: batchnorm.update_moving([0.0], [1.0], momentum=True),
        TypeError,
        "momentum must be a finite number",
    ),
]


@pytest.mark.parametrize("call,error,message", BAD_BATCHNORM)
def test_batchnorm_arguments_are_checked(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message) and "\n" not in str(info.value)

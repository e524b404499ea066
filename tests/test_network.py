"""helpers.network: the paper trace of shapes and parameters equals Keras layer by layer, and
the article's model is one shape chain with its settings as arguments."""

import numpy as np
import pytest

from helpers import data, network, ops

NETS = [
    (
        (32, 32, 3),
        [
            network.Conv(10, 5),
            network.Pool(2),
            network.Conv(16, 3, padding="same"),
            network.Pool(2),
            network.Flatten(),
            network.Dense(10, "softmax"),
        ],
    ),
    ((300, 300, 3), [network.Conv(10, 5), network.Pool(2), network.Flatten(), network.Dense(1)]),
    (
        (28, 28, 1),
        [
            network.Conv(8, 3, stride=2, padding="same"),
            network.Pool(3, 2, "same"),
            network.Conv(4, 2),
            network.GlobalAvgPool(),
            network.Dense(3),
        ],
    ),
    (
        (12, 12, 2),
        [
            network.Conv(6, 3, padding="same", activation="sigmoid"),
            network.Pool(2, kind="avg"),
            network.Conv(4, 3, activation=None),
            network.BatchNorm(),
            network.Activation("relu"),
            network.Flatten(),
            network.Dense(5, "sigmoid"),
            network.BatchNorm(),
        ],
    ),
    (
        (9, 9, 3),
        [
            network.Residual(3),  # identity shortcut
            network.Residual(3, stride=2),  # 1×1 shortcut: the stride changes the shape
            network.Residual(5),  # 1×1 shortcut: the channels change
            network.Pool(2, kind="avg"),
            network.Residual(5),
            network.GlobalAvgPool(),
            network.Dense(2),
        ],
    ),
]


@pytest.mark.parametrize("shape,layers", NETS)
def test_trace_matches_keras(shape, layers):
    rows = network.trace(shape, layers)
    model = network.to_keras(shape, layers)
    k = network.keras_rows(model)
    assert [r["shape"] for r in rows[1:]] == [r["shape"] for r in k]
    assert [r["params"] for r in rows[1:]] == [r["params"] for r in k]
    assert [r["trainable"] for r in rows[1:]] == [r["trainable"] for r in k]
    assert sum(r["params"] for r in rows) == model.count_params()
    assert sum(r["trainable"] for r in rows) == sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert "total" in network.trace_table(rows)


def test_to_keras_is_sequential_unless_a_residual_block_is_in_the_list():
    keras = __import__("helpers.tfenv", fromlist=["keras"]).keras()
    plain = network.to_keras((8, 8, 1), [network.Pool(2, kind="avg"), network.BatchNorm()])
    assert type(plain) is keras.Sequential
    assert [type(layer).__name__ for layer in plain.layers] == ["AveragePooling2D", "BatchNormalization"]
    forked = network.to_keras((8, 8, 1), [network.Residual(4, stride=2)])
    assert type(forked) is not keras.Sequential
    names = [layer.name for layer in forked.layers[1:]]
    assert sorted(names) == sorted(
        f"res1_{n}" for n in ("conv1", "bn1", "relu1", "conv2", "bn2", "shortcut", "add", "out")
    )


def test_batchnorm_and_residual_rows():
    rows = network.trace((6, 6, 3), [network.BatchNorm(), network.Residual(3), network.Residual(8, 2)])
    bn, same, down = rows[1:]
    assert (bn["shape"], bn["params"], bn["trainable"]) == ((6, 6, 3), 12, 6)
    # two 3×3 convs 3->3 (84 each) and two BNs (12 each, 6 trainable); no shortcut weights
    assert (same["layer"], same["params"], same["trainable"]) == (
        "Residual(3, s=1, identity shortcut)",
        192,
        180,
    )
    # 3×3 3->8 (224), 3×3 8->8 (584), BNs 32 each (16 trainable), 1×1 3->8 shortcut (32)
    assert down["layer"] == "Residual(8, s=2, 1×1 shortcut)" and down["shape"] == (3, 3, 8)
    assert (down["params"], down["trainable"]) == (904, 872)
    assert [p["layer"] for p in down["parts"]][-3:] == [
        "shortcut Conv2D(8, 1×1, s=2, valid)",
        "Add",
        "Activation(relu)",
    ]
    table = network.trace_table(rows, parts=True)
    lines = table.splitlines()
    assert lines[-2].split() == ["total", "1,108"] and lines[-1].split() == [
        "of",
        "which",
        "trainable",
        "1,058",
    ]
    assert len({len(line) for line in lines}) == 1  # one column width, the widest name's
    assert "  · shortcut Conv2D(8, 1×1, s=2, valid)" in table
    assert "·" not in network.trace_table(rows) and "trainable" not in network.trace_table(rows[:1])


def test_pool_names_its_kind_and_activations_change_no_count():
    rows = network.trace((8, 8, 1), [network.Pool(2), network.Pool(2, kind="avg")])
    assert [r["layer"] for r in rows[1:]] == ["MaxPooling2D(2×2)", "AveragePooling2D(2×2)"]
    sig, relu = (
        network.trace((8, 8, 1), [network.Conv(4, 3, activation=a), network.Flatten(), network.Dense(2, a)])
        for a in ("sigmoid", "relu")
    )
    assert sig == relu and sig[-1]["params"] == 2 * 144 + 2


def test_new_specs_check_their_arguments():
    with pytest.raises(ValueError, match=r"^kind must be one of \('max', 'avg'\), got 'median'$"):
        network.Pool(kind="median")
    with pytest.raises(ValueError, match=r"^name must be one of .*, got 'relu6'$"):
        network.Activation("relu6")
    with pytest.raises(ValueError, match=r"^filters must be a positive integer, got 0$"):
        network.Residual(filters=0)
    with pytest.raises(TypeError, match=r"^stride must be a positive integer, got 1.0$"):
        network.Residual(4, stride=1.0)
    assert network.Residual(np.int64(4)).filters == 4 and type(network.Residual(np.int64(4)).filters) is int
    with pytest.raises(ValueError, match=r"^Residual needs a 3-D input"):
        network.trace((4, 4, 1), [network.Flatten(), network.Residual(2)])
    with pytest.raises(ValueError, match=r"^Pool needs a 3-D input"):
        network.trace((4, 4, 1), [network.Flatten(), network.Pool(2)])


def test_trace_uses_depth_examples_from_data():
    for n, depth, f, kern, s, _p, oh, ow, od in data.load("depth_examples"):
        rows = network.trace((n, n, depth), [network.Conv(int(f), int(kern), int(s))])
        assert rows[-1]["shape"] == (oh, ow, od)
        assert rows[-1]["params"] == ops.conv_params(kern, kern, depth, f)


def test_trace_errors():
    with pytest.raises(ValueError, match="Flatten"):
        network.trace((8, 8, 1), [network.Dense(2)])
    with pytest.raises(TypeError, match="unknown layer"):
        network.trace((8, 8, 1), ["conv"])


def test_article_parameters_the_numbers_of_the_article_and_its_variants():
    assert network.article_parameters() == {
        "conv": 760,
        "pool": 0,
        "flatten": 219_040,
        "dense": 219_041,
        "total": 219_801,
    }
    assert network.article_parameters(pool=None)["total"] == 876_921  # no pooling
    assert network.article_parameters(units=2)["total"] == 438_842  # Dense(2)
    assert network.article_parameters((28, 28, 1), filters=32)["total"] == 5_441
    assert network.article_shapes() == {
        "conv": (296, 296, 10),
        "pool": (148, 148, 10),
        "flatten": (219_040,),
        "dense": (1,),
    }
    assert network.article_shapes((28, 28, 1), kernel=3, pool=None) == {
        "conv": (26, 26, 10),
        "flatten": (6_760,),
        "dense": (1,),
    }


@pytest.mark.parametrize(
    "settings", [{}, {"filters": 32}, {"kernel": 3, "pool": 3}, {"pool": None}, {"units": 2}]
)
def test_article_layers_trace_equals_keras(settings):
    shape = (28, 28, 1)
    layers = network.article_layers(**settings)
    model = network.to_keras(shape, layers)
    assert network.article_parameters(shape, **settings)["total"] == model.count_params()
    want = [r["shape"] for r in network.keras_rows(model)]
    assert list(network.article_shapes(shape, **settings).values()) == want


def test_article_layers_check_their_settings():
    with pytest.raises(ValueError, match="filters"):
        network.article_layers(filters=0)
    with pytest.raises(TypeError, match=r"pool must be a positive integer, got 1\.5"):
        network.article_layers(pool=1.5)
    with pytest.raises(TypeError, match="units"):
        network.article_layers(units=True)
    conv = network.article_layers(filters=np.int64(3))[0]
    assert conv.filters == 3 and type(conv.filters) is int
    with pytest.raises(ValueError, match="kernel"):
        network.article_parameters((4, 4, 1), kernel=5)

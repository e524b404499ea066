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
]


@pytest.mark.parametrize("shape,layers", NETS)
def test_trace_matches_keras(shape, layers):
    rows = network.trace(shape, layers)
    model = network.to_keras(shape, layers)
    k = network.keras_rows(model)
    assert [r["shape"] for r in rows[1:]] == [r["shape"] for r in k]
    assert [r["params"] for r in rows[1:]] == [r["params"] for r in k]
    assert sum(r["params"] for r in rows) == model.count_params()
    assert "total" in network.trace_table(rows)


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

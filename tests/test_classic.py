"""Chapter 17's designs and measurements: every design traces to the Keras model of the same
list; the recorded runs of its three experiments, and the chapter's own fresh trainings, lie
in the ranges ``helpers.classic`` states; the comparisons the chapter draws from them hold on
every recorded seed; a training repeats exactly on one machine."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import classic, designs, fashion, network, perfnotes, runcache


def _rows(rows):
    return [(r["shape"], r["params"], r["trainable"]) for r in rows]


@pytest.mark.parametrize(
    "name", [*classic.DESIGNS, "LeNet-5 with BN", "depth 12 plain", "depth 12 with skips"]
)
def test_every_design_traces_to_its_keras_model(name):
    layers = {
        **classic.designs_compared(),
        "LeNet-5 with BN": classic.lenet5_bn(),
        "depth 12 plain": designs.plain_deep(classic.DEPTH, classic.DEEP_WIDTH),
        "depth 12 with skips": designs.resnet_like(classic.DEPTH, classic.DEEP_WIDTH),
    }[name]
    model = classic.build(layers)
    assert _rows(network.trace(designs.INPUT_SHAPE, layers)[1:]) == _rows(network.keras_rows(model))
    assert model.count_params() == designs.parameters(layers)


def test_the_counts_the_chapter_states():
    count = {name: designs.parameters(layers) for name, layers in classic.designs_compared().items()}
    # LeNet-5: 6·(5·5·1)+6, 16·(5·5·6)+16, then Dense 400→120→84→10
    lenet = 156 + 2416 + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)
    assert count["LeNet-5"] == count["LeNet-5, ReLU + max"] == lenet == 61_706
    # batch normalization adds 4 numbers per channel: 6 + 16 + 120 + 84 channels, 2 of them trained
    rows = network.trace(designs.INPUT_SHAPE, classic.lenet5_bn())
    assert sum(r["params"] for r in rows) == lenet + 4 * 226
    assert sum(r["trainable"] for r in rows) == lenet + 2 * 226
    # the GAP head: Dense(10) on 64 means, against Dense(10) on 3·3·64 values
    gap, flat = (
        network.trace(designs.INPUT_SHAPE, designs.gap_head(h))[-1]["params"] for h in ("gap", "flatten")
    )
    assert (gap, flat) == (64 * 10 + 10, 576 * 10 + 10)
    # the skips cost two 1×1 shortcut convolutions: 1 → 8 channels at the input, 8 → 16 halfway
    extra = designs.parameters(designs.resnet_like(12, 8)) - designs.parameters(designs.plain_deep(12, 8))
    assert extra == (1 * 8 + 8) + (8 * 16 + 16)
    # the MLP has about the small VGG's parameters
    assert abs(count["MLP, same size"] - count["small VGG"]) < 0.02 * count["small VGG"]


def test_epochs_to_reach_and_spread():
    assert classic.epochs_to_reach([0.1, 0.69, 0.7, 0.9], 0.7) == 3
    assert classic.epochs_to_reach([0.1, 0.2], 0.7) is None
    assert classic.spread([0.3, 0.1, 0.2]) == (0.1, 0.3)
    with pytest.raises(ValueError, match="at least one value"):
        classic.spread([])


def _inside(value, low_high) -> bool:
    low, high = low_high
    return low <= value <= high


def test_every_recorded_design_run_lies_in_its_range():
    record = perfnotes.experiment("classic-designs")
    assert sorted(record["seeds"]) == list(classic.SEEDS)
    for r in record["runs"]:
        assert _inside(r["test_accuracy"], classic.EXPECTED_TEST[r["design"]]), r["design"]
        assert r["epochs"] == classic.EPOCHS


def test_every_recorded_batchnorm_run_lies_in_its_range():
    for r in perfnotes.experiment("batchnorm")["runs"]:
        key = (r["variant"], r["learning_rate"])
        assert _inside(r["val_accuracy"], classic.EXPECTED_BN[key]), (key, r["val_accuracy"])


def test_every_recorded_deep_run_lies_in_its_range():
    for r in perfnotes.experiment("residual")["runs"]:
        assert _inside(r["final_loss"], classic.EXPECTED_DEEP[r["variant"]]), (r["variant"], r["final_loss"])
        assert _inside(r["val_accuracy_reestimated"], classic.EXPECTED_DEEP_REESTIMATED), r


def test_the_deep_runs_fail_on_new_photos_only_through_their_moving_statistics():
    """What the chapter's section on batch normalization in inference states, on every run: the
    recorded validation accuracy is the one with the moving statistics, and each batch's own
    statistics, or the moving statistics re-estimated, raise it by more than 0.2."""
    for r in perfnotes.experiment("residual")["runs"]:
        assert r["val_accuracy_moving"] == pytest.approx(r["val_accuracy"], abs=1e-6)
        assert r["val_accuracy_batch_statistics"] > r["val_accuracy_moving"] + 0.2, r
        assert r["val_accuracy_reestimated"] > r["val_accuracy_moving"] + 0.2, r


def _by_seed(runs, **match):
    chosen = [r for r in runs if all(r[k] == v for k, v in match.items())]
    return sorted(chosen, key=lambda r: r["seed"])


def test_the_recorded_comparisons_the_chapter_draws_hold_on_every_seed():
    runs = perfnotes.experiment("classic-designs")["runs"]
    sig, relu = _by_seed(runs, design="LeNet-5"), _by_seed(runs, design="LeNet-5, ReLU + max")
    assert all(b["test_accuracy"] > a["test_accuracy"] for a, b in zip(sig, relu))
    deep = perfnotes.experiment("residual")["runs"]
    plain, skips = _by_seed(deep, variant="plain"), _by_seed(deep, variant="with skips")
    assert len(plain) == len(skips) == len(classic.SEEDS)
    assert all(p["final_loss"] > q["final_loss"] for p, q in zip(plain, skips))
    # without batch normalization no better than a guess at any rate, with it well above at every rate
    bn = perfnotes.experiment("batchnorm")["runs"]
    without = [r for r in bn if r["variant"] == "without BN"]
    assert max(r["val_accuracy"] for r in without) <= 0.11
    assert not any(classic.epochs_to_reach(r["history"]["val_accuracy"], classic.BN_TARGET) for r in without)
    for lr in classic.BN_LEARNING_RATES:
        with_bn = _by_seed(bn, variant="with BN", learning_rate=lr)
        assert len(with_bn) == len(classic.SEEDS)
        assert min(r["val_accuracy"] for r in with_bn) > 0.11 + 0.2


@pytest.mark.parametrize("name", ["LeNet-5", "LeNet-5, ReLU + max"])
def test_the_chapters_fresh_training_lies_in_the_range(name):
    """The chapter's live trainings (seed 0), shared with nbval through the run cache."""
    run = classic.train_design(name, seed=0)
    assert _inside(run.test_accuracy, classic.EXPECTED_TEST[name]), run.test_accuracy
    assert run.params == 61_706


def test_a_training_repeats_exactly_on_one_machine():
    def once():
        return fashion.train(
            "LeNet-5 with BN",
            lambda: classic.build(classic.lenet5_bn()),
            0,
            1,
            per_class=20,
            optimizer_name="sgd",
        )

    with runcache.disabled():
        a, b = once(), once()
    assert a.history == b.history
    for wa, wb in zip(a.model.get_weights(), b.model.get_weights()):
        np.testing.assert_array_equal(wa, wb)


@pytest.mark.parametrize("key", ["17.1", "17.2", "17.3", "17.4"])
def test_chapter_17_reasoning_states_the_computed_answer(key):
    """The text a right answer prints works the answer out with the computed value."""
    from helpers import exercises

    ex = exercises._REGISTRY[key]
    value = ex.expected()
    shown = value if isinstance(value, str) else f"{value:,}"
    assert ex.why.startswith(shown), (key, value, ex.why)


def _bn_model():
    from helpers import tfenv

    keras = tfenv.keras()
    tfenv.set_determinism(0)
    inputs = keras.Input(shape=(6, 6, 1))
    conv = keras.layers.Conv2D(3, 3, name="conv")(inputs)
    bn = keras.layers.BatchNormalization(name="bn")(conv)
    out = keras.layers.Dense(4)(keras.layers.GlobalAveragePooling2D()(keras.layers.Activation("relu")(bn)))
    return keras.Model(inputs, out), keras.Model(inputs, conv)


def test_reestimate_statistics_makes_the_moving_statistics_those_of_the_photos():
    model, up_to_conv = _bn_model()
    x = np.random.default_rng(0).normal(2.0, 3.0, size=(40, 6, 6, 1)).astype(np.float32)
    (bn,) = classic.batchnorm_layers(model)

    def trained():  # every weight but the moving statistics' (shape (3,) here: the biases too)
        return [w.copy() for w in model.get_weights() if w.shape != (3,)]

    weights = trained()
    classic.reestimate_statistics(model, x)
    conv = np.asarray(up_to_conv(x)).reshape(-1, 3).astype(np.float64)
    np.testing.assert_allclose(bn.moving_mean.numpy(), conv.mean(axis=0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), conv.var(axis=0), rtol=1e-4, atol=1e-5)
    assert bn.momentum == 0.99  # as it was
    assert all(np.array_equal(a, b) for a, b in zip(weights, trained()))
    with pytest.raises(ValueError, match="no BatchNormalization"):
        classic.reestimate_statistics(up_to_conv, x)


def test_batch_statistics_accuracy_uses_each_batchs_statistics_and_leaves_the_moving_ones():
    model, _ = _bn_model()
    x = np.random.default_rng(1).normal(2.0, 3.0, size=(10, 6, 6, 1)).astype(np.float32)
    (bn,) = classic.batchnorm_layers(model)
    before = bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()
    labels = np.concatenate([np.asarray(model(x[i : i + 4], training=True)).argmax(1) for i in (0, 4, 8)])
    bn.moving_mean.assign(before[0])
    bn.moving_variance.assign(before[1])
    assert classic.batch_statistics_accuracy(model, x, labels, batch_size=4) == 1.0
    assert classic.batch_statistics_accuracy(model, x, (labels + 1) % 4, batch_size=4) == 0.0
    assert np.array_equal(bn.moving_mean.numpy(), before[0])
    assert np.array_equal(bn.moving_variance.numpy(), before[1])

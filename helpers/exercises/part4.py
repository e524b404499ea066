"""The exercises of Part IV (chapters 17-19, modern CNNs on Fashion-MNIST photos): each expected
value computed or read from a recorded experiment, never typed. One section per chapter."""

from __future__ import annotations

import numpy as np

from .registry import exercise

# ------------------------------------------------------------------ chapter 17: classic designs
#: exercise 17.1: the filters of LeNet-5's second convolution in the reader's variant (LeNet-5: 16)
CONV2_EXERCISE_FILTERS = 32


def _lenet5_conv2(filters: int) -> list:
    """``designs.lenet5()`` with ``filters`` filters in its second convolution."""
    from .. import designs, network

    layers = designs.lenet5()
    conv2 = next(i for i, layer in enumerate(layers) if isinstance(layer, network.Conv) and i > 0)
    old = layers[conv2]
    layers[conv2] = network.Conv(filters, old.kernel, old.stride, old.padding, old.activation)
    return layers


def _ch17_dense1_rows():
    from .. import designs, network

    rows = network.trace(designs.INPUT_SHAPE, _lenet5_conv2(CONV2_EXERCISE_FILTERS))
    dense = next(i for i, r in enumerate(rows) if r["layer"].startswith("Dense"))
    return rows[dense - 1], rows[dense]


@exercise(
    "17.1",
    why=lambda: (
        f"{_ch17_dense1():,}: Flatten hands on {_ch17_dense1_rows()[0]['shape'][0]:,} values "
        f"(5·5·{CONV2_EXERCISE_FILTERS}), and each of the 120 units has a weight for each and a bias."
    ),
    hint="the maps keep their 5×5 size after the second pooling; only their number changes",
)
def _ch17_dense1():
    return _ch17_dense1_rows()[1]["params"]


def residual_final_losses() -> dict[str, list[float]]:
    """The last epoch's training loss of each variant of the recorded "residual" experiment,
    by seed."""
    from .. import classic, perfnotes

    runs = perfnotes.experiment("residual")["runs"]
    return {
        v: [r["final_loss"] for r in sorted((r for r in runs if r["variant"] == v), key=lambda r: r["seed"])]
        for v in classic.RESIDUAL_VARIANTS
    }


def _ch17_skips_why() -> str:
    loss = residual_final_losses()
    plain, res = loss["plain"], loss["with skips"]
    return (
        f"{_ch17_skips()}: the last training loss without skips is {min(plain):.3f}-{max(plain):.3f}, "
        f"with skips {min(res):.3f}-{max(res):.3f}. The convolutions are the same; through each "
        "addition the gradient reaches the earlier layers at least unchanged."
    )


@exercise(
    "17.2",
    why=lambda: _ch17_skips_why(),
    hint="y = F(x) + x: what does the addition do to the gradient on its way back to the first layers?",
    options=("higher", "lower", "mixed"),
)
def _ch17_skips():
    loss = residual_final_losses()
    pairs = list(zip(loss["plain"], loss["with skips"]))
    if all(p > r for p, r in pairs):
        return "higher"
    if all(p < r for p, r in pairs):
        return "lower"
    return "mixed"


#: exercise 17.3: the parameter budget of the reader's two-block VGG-style design
BUDGET_EXERCISE_PARAMS = 20_000


def budget_design(filters: int) -> list:
    """Exercise 17.3's design: two VGG blocks of two convs (``filters``, then twice as many),
    global average pooling, Dense(10)."""
    from .. import designs, network

    return (
        designs.vgg_block(2, filters)
        + designs.vgg_block(2, 2 * filters)
        + [
            network.GlobalAvgPool(),
            network.Dense(designs.CLASSES),
        ]
    )


def budget_design_params(filters: int) -> int:
    from .. import designs

    return designs.parameters(budget_design(filters))


@exercise(
    "17.3",
    why=lambda: (
        f"{_ch17_budget()}: {budget_design_params(_ch17_budget()):,} parameters, and "
        f"{_ch17_budget() + 1} filters give {budget_design_params(_ch17_budget() + 1):,}, over "
        f"{BUDGET_EXERCISE_PARAMS:,}."
    ),
    hint="count each conv's k·k·C_in·C_out + C_out with C_in the channels it reads, then try values",
)
def _ch17_budget():
    f = 1
    while budget_design_params(f + 1) <= BUDGET_EXERCISE_PARAMS:
        f += 1
    return f


#: exercise 17.4: the recorded run of LeNet-5 without batch normalization that the reader diagnoses
DIAGNOSE_LEARNING_RATE = 0.1
DIAGNOSE_SEED = 0


def diagnose_history() -> dict:
    """The curves of LeNet-5 without batch normalization, SGD at ``DIAGNOSE_LEARNING_RATE``,
    seed ``DIAGNOSE_SEED``, from the recorded "batchnorm" experiment."""
    from .. import perfnotes

    runs = perfnotes.experiment("batchnorm")["runs"]
    return next(
        r
        for r in runs
        if r["variant"] == "without BN"
        and r["learning_rate"] == DIAGNOSE_LEARNING_RATE
        and r["seed"] == DIAGNOSE_SEED
    )["history"]


def _ch17_diagnose_why() -> str:
    h = diagnose_history()
    return (
        f"{_ch17_diagnose()}: the training loss stays at {h['loss'][-1]:.3f}, ln 10 = {np.log(10):.3f}, the "
        "cross-entropy of scores that give each of the ten classes the same probability, 1/10, "
        f"whatever the photo; the validation accuracy, {h['val_accuracy'][-1]:.3f}, is what naming "
        "one class for every photo scores. It has not started to learn."
    )


@exercise(
    "17.4",
    why=lambda: _ch17_diagnose_why(),
    hint="what is the cross-entropy of a network that gives all ten classes the same probability?",
    options=("a", "b", "c", "d"),
)
def _ch17_diagnose():
    """ "b" (it has not started to learn), provided the record shows the symptom: a training
    loss at ln 10 from start to end and a validation accuracy of a random guess at most."""
    h = diagnose_history()
    if not (all(abs(v - np.log(10)) < 0.05 for v in h["loss"]) and h["val_accuracy"][-1] <= 0.11):
        raise RuntimeError(f"the recorded run does not show the symptom the exercise describes: {h}")
    return "b"

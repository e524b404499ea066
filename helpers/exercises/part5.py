"""The exercises of Part V (chapter 21, a CNN trained in the page): each expected value read from
the recorded runs of the page's own engine and data (``benchmarks/playground_node.js``,
``benchmarks/results/experiments/playground.json``: every scenario over seeds 0-4), never typed."""

from __future__ import annotations

from .registry import exercise

DEFAULT = "default"
NO_RELU = "no ReLU"
SGD_LR1 = "SGD, learning rate 1"
FEW_FILTERS = "4 filters in conv layer 2 instead of 16"
CHANCE = 0.2  # a validation accuracy at most this (10 classes: chance is 0.1) learned nothing


def summary(scenario: str) -> dict:
    """The recorded summary of one scenario: its final validation accuracy's range over the
    seeds, its parameter count, how many runs diverged."""
    from .. import perfnotes

    return perfnotes.experiment("playground")["summary"][scenario]


def span(scenario: str) -> str:
    """The final validation accuracy over the seeds: "0.844–0.872", or "0.100 on every seed"
    when they all end the same."""
    s = summary(scenario)
    lo, hi = f"{s['final_val_accuracy_min']:.3f}", f"{s['final_val_accuracy_max']:.3f}"
    return f"{lo} on every seed" if lo == hi else f"{lo}–{hi}"


def _compare(scenario: str) -> str:
    """ "higher" if every seed of ``scenario`` ends above the default's worst seed and its best
    above the default's best, "lower" if the other way round, else "same"."""
    a, d = summary(scenario), summary(DEFAULT)
    if (
        a["final_val_accuracy_min"] > d["final_val_accuracy_min"]
        and a["final_val_accuracy_max"] > d["final_val_accuracy_max"]
    ):
        return "higher"
    if a["final_val_accuracy_max"] < d["final_val_accuracy_min"]:
        return "lower"
    return "same"


@exercise(
    "21.1",
    why=lambda: (
        f"Without ReLU the validation accuracy after 2 epochs is {span(NO_RELU)}, with it "
        f"{span(DEFAULT)}: max-pooling is not linear either, so the network is still more than "
        f"one linear map, and in 2 short epochs the layers without ReLU pass every gradient on."
    ),
    hint="which layers of this design are not linear when the activation is none?",
    options=("higher", "lower", "same"),
)
def _ch21_relu():
    return _compare(NO_RELU)


@exercise(
    "21.2",
    why=lambda: (
        f"With SGD and a learning rate of 1 the validation accuracy is {span(SGD_LR1)}: chance "
        f"for 10 classes. The first updates overshoot, the ReLUs go dark, and no gradient "
        f"reaches the kernels again."
    ),
    hint="Adam's default is 0.001; a step of 1 times the gradient moves each weight by how much?",
    options=("chance", "better"),
)
def _ch21_lr():
    return "chance" if summary(SGD_LR1)["final_val_accuracy_max"] <= CHANCE else "better"


@exercise(
    "21.3",
    why=lambda: (
        f"{span(FEW_FILTERS)} with 4 filters against {span(DEFAULT)} with 16: the second layer "
        f"hands the softmax layer 5×5×4 values instead of 5×5×16, and "
        f"{summary(FEW_FILTERS)['parameters']:,} parameters instead of "
        f"{summary(DEFAULT)['parameters']:,} learn less in 2 epochs."
    ),
    hint="count what conv layer 2 passes on to the softmax layer",
    options=("higher", "lower", "same"),
)
def _ch21_filters():
    return _compare(FEW_FILTERS)

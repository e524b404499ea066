"""The exercises of Part V (chapter 21, a CNN trained in the page): each expected value read from
the recorded runs of the page's own engine and data (``benchmarks/playground_node.js``,
``benchmarks/results/experiments/playground.json``: every scenario over seeds 0-4), never typed;
with the figures the chapter's answers quote from that record (``span``, ``dead_span``, ...)."""

from __future__ import annotations

from .registry import exercise

DEFAULT = "default"
NO_RELU = "no ReLU"
SGD_LR1 = "SGD, learning rate 1"
ADAM_LR1 = "Adam, learning rate 1"
FEW_FILTERS = "4 filters in conv layer 2 instead of 16"
NO_POOL = "no pooling"
SGD_SMALL = "SGD, learning rate 0.05"
MOMENTUM_SMALL = "momentum, learning rate 0.05"
CHANCE = 0.2  # a validation accuracy at most this (10 classes: chance is 0.1) learned nothing
#: a training batch's loss above this blew up (a run starts near ln 10 ≈ 2.30, chance's loss)
LOSS_BLOWN_UP = 10.0
#: the ReLU maps of the page's default design, by the engine's names
CONV1_RELU, CONV2_RELU = "relu1", "relu2"


def _record() -> dict:
    from .. import perfnotes

    return perfnotes.experiment("playground")


def summary(scenario: str) -> dict:
    """The recorded summary of one scenario over its seeds: its final validation accuracy's
    range, its parameter count, how many runs diverged, and at the end of the runs the range
    of each ReLU map's fraction of dead cells (``dead_cell_fraction``), the most classes a
    network answered, the largest training-batch loss and weight, whether every weight was
    finite."""
    return _record()["summary"][scenario]


def runs(scenario: str) -> list[dict]:
    """The recorded runs of one scenario, one per seed: its epochs, ``max_batch_loss`` and
    ``network`` (at the ``start`` and the ``end``: per ReLU map how many of its cells, each
    position of each channel, and of its channels output 0 for every validation image; the
    classes answered; the largest weight)."""
    return [r for r in _record()["rows"] if r["scenario"] == scenario]


def _over_seeds(lo: str, hi: str) -> str:
    return f"{lo} on every seed" if lo == hi else f"{lo}–{hi}"


def span(scenario: str) -> str:
    """The final validation accuracy over the seeds: "0.844–0.872", or "0.100 on every seed"
    when they all end the same."""
    s = summary(scenario)
    return _over_seeds(f"{s['final_val_accuracy_min']:.3f}", f"{s['final_val_accuracy_max']:.3f}")


def _percent(fraction: float) -> str:
    """A fraction in percent: "100%" and "0%" only when exact, else one decimal ("99.9%"; a
    fraction that would round to either end: ">99.9%", "<0.1%")."""
    if fraction in (0, 1):
        return f"{fraction:.0%}"
    return {"100.0%": ">99.9%", "0.0%": "<0.1%"}.get(text := f"{100 * fraction:.1f}%", text)


def dead_fractions(scenario: str, relu: str, when: str = "end") -> list[float]:
    """Per seed, the fraction of the cells of the ReLU map ``relu`` that output 0 for every
    validation image, at the ``"start"`` or the ``"end"`` of the run."""
    if when not in ("start", "end"):
        raise ValueError(f'when must be "start" or "end", got {when!r}')
    maps = [r["network"][when]["relu"][relu] for r in runs(scenario)]
    return [m["dead_cells"] / m["cells"] for m in maps]


def dead_span(scenario: str, relu: str, when: str = "end") -> str:
    """``dead_fractions`` over the seeds as the prose writes it: "71.8–99.9%", "100% on every
    seed"."""
    f = dead_fractions(scenario, relu, when)
    return _over_seeds(_percent(min(f)), _percent(max(f))).replace("%–", "–")


def loss_span(scenario: str) -> str:
    """The largest training-batch loss of each run, over the seeds: "2.43–4.09", "1,126–9,389"."""
    losses = [r["max_batch_loss"] for r in runs(scenario)]
    return _over_seeds(*(f"{x:,.0f}" if x >= 100 else f"{x:.2f}" for x in (min(losses), max(losses))))


def epoch_time_ratio(scenario: str) -> float:
    """How many times as long an epoch of ``scenario`` took as one of the default design: the
    ratio of the two medians over the seeds, both timed in the same recording run (the seconds
    are this machine's; the ratio is the result)."""
    import statistics

    def median(name):
        return statistics.median(r["seconds_per_epoch"] for r in runs(name))

    return median(scenario) / median(DEFAULT)


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
        f"for 10 classes. Nothing blows up (the largest loss of a training batch: "
        f"{loss_span(SGD_LR1)}); the ReLUs die instead: at the end, the share of conv layer "
        f"2's ReLU cells that output 0 for every validation image is "
        f"{dead_span(SGD_LR1, CONV2_RELU)}. The softmax layer sees only zeros and answers the "
        f"same class for every image, and a ReLU that outputs 0 passes no gradient back."
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


@exercise(
    "21.4",
    why=lambda: (
        f"{span(NO_POOL)} without pooling against {span(DEFAULT)} with it: the maps stay "
        f"24×24 instead of 5×5, so the softmax layer gets 24×24×16 values, and "
        f"{summary(NO_POOL)['parameters']:,} parameters instead of {summary(DEFAULT)['parameters']:,} "
        f"read them; more detail of where each stroke is, at {epoch_time_ratio(NO_POOL):.1f} times "
        f"the time per epoch."
    ),
    hint="what size are the maps the softmax layer gets, with and without the two poolings?",
    options=("higher", "lower", "same"),
)
def _ch21_no_pool():
    return _compare(NO_POOL)

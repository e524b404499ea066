"""The exercises of Part IV (chapters 17-19, modern CNNs on Fashion-MNIST photos): each expected
value computed or read from a recorded experiment, never typed. One section per chapter."""

from __future__ import annotations

import functools
import math

from .registry import exercise

# ============================================================================ chapter 18
#: exercise 18.1: one recorded seed of the "optimisers" experiment, its three runs shown as
#: curves 1-3 in this order; the reader names the curve of each of ``QUIZ_ASKED``, in that order
QUIZ_SEED = 3
QUIZ_ORDER = ("adam", "sgd", "momentum")
QUIZ_ASKED = ("sgd", "momentum", "adam")


def optimiser_quiz_histories() -> list[dict]:
    """The histories of ``QUIZ_ORDER`` for ``QUIZ_SEED`` (benchmarks/results/experiments/optimisers.json)."""
    from .. import perfnotes

    runs = {(r["optimizer"], r["seed"]): r for r in perfnotes.experiment("optimisers")["runs"]}
    return [runs[name, QUIZ_SEED]["history"] for name in QUIZ_ORDER]


def _ch18_quiz_why() -> str:
    h = dict(zip(QUIZ_ORDER, optimiser_quiz_histories()))
    curve = {name: i + 1 for i, name in enumerate(QUIZ_ORDER)}
    return (
        f"SGD is curve {curve['sgd']}: its training loss is still {h['sgd']['loss'][1]:.2f} after two "
        f"epochs. Momentum (curve {curve['momentum']}) and Adam (curve {curve['adam']}) fall fast; "
        f"Adam's first epoch is the lower ({h['adam']['loss'][0]:.2f} against "
        f"{h['momentum']['loss'][0]:.2f}): its steps are as large as its learning rate from the first one."
    )


@exercise(
    "18.1",
    why=lambda: _ch18_quiz_why(),
    hint="look at the first two epochs: which loss hardly leaves ln 10 = 2.30, which falls lowest at once",
)
def _ch18_quiz():
    return [QUIZ_ORDER.index(name) + 1 for name in QUIZ_ASKED]


#: exercise 18.2: plain SGD at this learning rate in the "learning-rates" record
SGD_EXERCISE_RATE = 1.0


def _sgd_exercise_runs() -> list[dict]:
    from .. import perfnotes

    runs = perfnotes.experiment("learning-rates")["runs"]
    return [r for r in runs if r["optimizer"] == "sgd" and r["learning_rate"] == SGD_EXERCISE_RATE]


def _ch18_sgd_rate_why() -> str:
    runs = _sgd_exercise_runs()
    last = [r["final_loss"] for r in runs]
    return (
        f"{_ch18_sgd_rate().capitalize()}. Over {len(runs)} seeds the final training loss is "
        f"{min(last):.3f} to {max(last):.3f}, next to ln 10 = {math.log(10):.3f}: the first huge steps "
        f"kill the ReLUs, and only the Dense layer's bias is left, the same output for every photo."
    )


@exercise(
    "18.2",
    why=lambda: _ch18_sgd_rate_why(),
    hint="Adam at 0.1 in the chapter: what did its loss do after the first epoch, and why?",
    options=("falls", "nan", "stuck"),
)
def _ch18_sgd_rate():
    last = [r["final_loss"] for r in _sgd_exercise_runs()]
    if any(not math.isfinite(v) for v in last):
        return "nan"
    if all(abs(v - math.log(10)) < 0.05 for v in last):
        return "stuck"
    return "falls"


@exercise(
    "18.3",
    why=lambda: (
        f"{_ch18_raw_zero():.1f} %: with the biases at 0, every sum of conv1 on a raw photo is 255 "
        f"times the sum on the 0-1 photo, so the same sums are 0 or below."
    ),
    hint="the biases start at 0: what does multiplying every pixel by 255 do to the sign of a sum?",
    tol=0.05,
)
@functools.cache
def _ch18_raw_zero():
    from .. import optim

    return 100 * optim.dead_at_init("raw", 0, optim.LIVE_PER_CLASS)["zero_share"]


#: exercise 18.4: Adam's first step for this gradient and learning rate
ADAM_EXERCISE_GRAD = -250.0
ADAM_EXERCISE_RATE = 0.001


@exercise(
    "18.4",
    why=lambda: (
        f"{_ch18_adam_step():.6f}: at the first step Adam's corrected means are g and g², so the "
        f"step is the learning rate times the gradient's sign, whatever its size."
    ),
    hint="at the first step, m = g and s = g² after the correction: what is m / √s?",
)
def _ch18_adam_step():
    from .. import optim

    step = optim.steps_by_hand("adam", lambda w: ADAM_EXERCISE_GRAD, 0.0, ADAM_EXERCISE_RATE, 1)
    return step[0]["step"]

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


# ============================================================================ chapter 19
#: exercise 19.1: a size recorded but left out of the chapter's table: is fine-tuning still ahead?
LABELS_EXERCISE_PER_CLASS = 25


def _ch19_means(per_class: int) -> dict:
    """The mean test accuracy of each way of training over the recorded seeds."""
    from .. import perfnotes, transfer

    runs = perfnotes.experiment("transfer")["runs"]
    return {m: v[per_class][1] for m, v in transfer.ranges(runs, (per_class,)).items()}


def _ch19_labels_why() -> str:
    from .. import perfnotes, transfer

    n = LABELS_EXERCISE_PER_CLASS
    means = _ch19_means(n)
    runs = perfnotes.experiment("transfer")["runs"]
    said = ", ".join(f"{transfer.METHOD_NAMES[m]} {100 * v:.1f} %" for m, v in means.items())
    answer = _ch19_labels_still_ahead()
    where = (
        f"Training from scratch is still behind at {n} photos per class."
        if answer == "yes"
        else f"Training from scratch catches up between {transfer.TABLE[0]} and {n} photos per class."
    )
    return (
        f"{answer}: with {n} photos per class the mean test accuracies over the recorded seeds are "
        f"{said}; the fine-tuned base beats training from scratch on "
        f"{transfer.wins(runs, 'fine_tuned', 'scratch', n)} of {len(transfer.SEEDS)} seeds. {where}"
    )


@exercise(
    "19.1",
    why=lambda: _ch19_labels_why(),
    hint="25 lies between two columns of the table: where does the fine-tuned base lead, and by how much?",
    options=("yes", "no"),
)
def _ch19_labels_still_ahead():
    means = _ch19_means(LABELS_EXERCISE_PER_CLASS)
    return "yes" if means["fine_tuned"] > means["scratch"] else "no"


#: exercise 19.2: the hidden Dense layer of the reader's head (the chapter's head has none)
HEAD_EXERCISE_UNITS = 64


def ch19_head_model():
    """The chapter's frozen base under a head of Dense(HEAD_EXERCISE_UNITS, relu) and Dense(5)."""
    from .. import tfenv, transfer

    keras = tfenv.keras()
    base = transfer.build_base()
    base.trainable = False
    return keras.Sequential(
        [
            keras.Input(shape=transfer.INPUT_SHAPE),
            base,
            keras.layers.Dense(HEAD_EXERCISE_UNITS, activation="relu"),
            keras.layers.Dense(len(transfer.TARGET), activation="softmax"),
        ]
    )


def _ch19_head_why() -> str:
    model = ch19_head_model()
    hidden, out = (layer.count_params() for layer in model.layers[1:])
    return (
        f"{_ch19_head_trainable():,}: the frozen base's weights do not count; the hidden layer has "
        f"800·{HEAD_EXERCISE_UNITS} weights and {HEAD_EXERCISE_UNITS} biases ({hidden:,}), the last "
        f"layer {HEAD_EXERCISE_UNITS}·5 + 5 ({out:,})."
    )


@exercise(
    "19.2",
    why=lambda: _ch19_head_why(),
    hint="only the head counts; the base hands it 5·5·32 = 800 features",
)
def _ch19_head_trainable():
    from .. import transfer

    return transfer.trainable_count(ch19_head_model())


def ch19_without_recompile(seed: int = 0) -> dict:
    """How far the base's weights move in one epoch of ``fit`` after ``base.trainable = True``,
    without compiling again and after compiling again (a frozen base with a head, compiled
    once, on 64 random photos)."""
    import numpy as np

    from .. import tfenv, transfer

    keras = tfenv.keras()
    tfenv.set_determinism(seed)
    rng = np.random.default_rng(seed)
    x = rng.random((64, *transfer.INPUT_SHAPE), dtype=np.float32)
    y = rng.integers(0, len(transfer.TARGET), 64)
    base = transfer.build_base()
    base.trainable = False
    model = transfer.with_head(base)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    before = base.get_weights()
    base.trainable = True
    model.fit(x, y, epochs=1, verbose=0)
    moved_without = transfer.drift(before, base.get_weights())
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    return {"without_compile": moved_without, "after_compile": transfer.drift(before, base.get_weights())}


@exercise(
    "19.3",
    why=lambda: (
        "a: Keras reads which weights are trainable when the model is compiled. The training step "
        "compiled with the frozen base goes on updating the head only (the base moves by "
        f"{ch19_without_recompile()['without_compile']:g} in an epoch); compile again after "
        "base.trainable = True, with a low learning rate, and the base moves."
    ),
    hint="compare the order of the colleague's lines with the chapter's fine-tuning cell",
    options=("a", "b", "c"),
)
def _ch19_recompile():
    moved = ch19_without_recompile()
    if moved["without_compile"] == 0 and moved["after_compile"] > 0:
        return "a"
    return "b"

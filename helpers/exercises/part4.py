"""The exercises of Part IV (chapters 17-20, modern CNNs on Fashion-MNIST photos): each expected
value computed or read from a recorded experiment, never typed. One section per chapter."""

from __future__ import annotations

import functools
import math

import numpy as np

from .registry import exercise

# ============================================================================ chapter 17
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


# ============================================================================ chapter 18
#: exercise 18.1: one recorded seed of the "optimisers" experiment, its three runs shown as
#: curves 1-3 in this order; the reader names the curve of each of ``QUIZ_ASKED``, in that order
QUIZ_SEED = 5  # not one of the recorded seeds 0-4 the chapter shows labelled
QUIZ_ORDER = ("adam", "sgd", "momentum")
QUIZ_ASKED = ("sgd", "momentum", "adam")


def optimiser_quiz_histories() -> list[dict]:
    """The histories of ``QUIZ_ORDER`` for ``QUIZ_SEED`` (benchmarks/results/experiments/
    optimisers-quiz.json)."""
    from .. import perfnotes

    runs = {(r["optimizer"], r["seed"]): r for r in perfnotes.experiment("optimisers-quiz")["runs"]}
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


# ============================================================================ chapter 20
def turned_accuracies() -> dict[str, float]:
    """The chapter's network (6,000 photos, seed 0) on the test photos as they are and turned."""
    from .. import augment, fashion

    return augment.transformed_accuracies(augment.full_run(0).model, fashion.splits("unit")["test"])


def _ch20_turns_why() -> str:
    acc = turned_accuracies()
    return (
        "; ".join(f"{name} {v:.3f}" for name, v in acc.items())
        + ". Upside down, shoes and bags still lie the long way across the photo and trousers still "
        "stand; a quarter turn stands shoes on end and lays trousers down, shapes the network never saw."
    )


@exercise(
    "20.1",
    why=lambda: _ch20_turns_why(),
    hint="after each turn, which classes still look like something in the training photos?",
    options=("upside", "quarter"),
)
def _ch20_turns():
    acc = turned_accuracies()
    return "upside" if acc["upside down"] > acc["quarter turn"] else "quarter"


#: exercise 20.2: validation photos of this true class read as that class (Shirt as T-shirt/top)
COUNT_EXERCISE_PAIR = (6, 0)


@functools.cache
def validation_matrix() -> np.ndarray:
    """The chapter's network (6,000 photos, seed 0): its confusion matrix on the validation photos."""
    from .. import augment, fashion

    val = fashion.splits("unit")["validation"]
    return augment.confusion_matrix(val.labels, augment.predictions(augment.full_run(0).model, val))


@exercise(
    "20.2",
    why=lambda: (
        f"{_ch20_count()}: np.bincount(10 * true + pred, minlength=100).reshape(10, 10) gives the "
        "matrix; row 6 (Shirt), column 0 (T-shirt/top)."
    ),
    hint="10 * true + pred numbers the 100 (true, predicted) cells 0-99: count each with np.bincount, "
    "then reshape to 10 × 10 and read row 6, column 0.",
)
def _ch20_count():
    true, pred = COUNT_EXERCISE_PAIR
    return int(validation_matrix()[true, pred])


def _full_runs() -> list[dict]:
    from .. import perfnotes

    return perfnotes.experiment("confusions")["runs"]


def _ch20_fit_why() -> str:
    runs = _full_runs()
    clean = [r["clean_accuracy"] for r in runs]
    gap = [r["gap"] for r in runs]
    return (
        f"{_ch20_fit().capitalize()}. Over {len(runs)} seeds it gets only "
        f"{min(clean):.3f} to {max(clean):.3f} "
        f"of its own 6,000 training photos right, and the gap to validation is {min(gap):.3f} to "
        f"{max(gap):.3f}: it does as well on photos it never saw as on those it learned from. An overfitting "
        "network knows its training photos far better than new ones. Here the cure is more capacity or "
        "more epochs, not augmentation."
    )


@exercise(
    "20.3",
    why=lambda: _ch20_fit_why(),
    hint="compare clean_accuracy with val_accuracy in each run: how far apart are they, and how high?",
    options=("overfits", "underfits"),
)
def _ch20_fit():
    runs = _full_runs()
    if all(r["gap"] < 0.03 and r["clean_accuracy"] < 0.9 for r in runs):
        return "underfits"
    return "overfits"

"""The exercises of Part IV (chapters 17-19, modern CNNs on Fashion-MNIST photos): each expected
value computed or read from a recorded experiment, never typed. One section per chapter."""

from __future__ import annotations

from .registry import exercise

# ------------------------------------------------------------------ chapter 19: transfer learning
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

"""helpers.exercises: the registry, every registered self-check's answer, and what
check_answer does with any input.

``ANSWERS`` holds each exercise's value as the book's authors worked it out by hand (or from
the article); a test fails when an exercise is registered without an entry here, so the
registry's computed value is always checked against something it did not compute itself. Every
self-check accepts that answer and rejects others, with the book's messages. Hostile input
(numbers beyond float64, keys that are not strings, answers of the wrong kind) gets the book's
"Not quite: ..." or a clear TypeError, never an error from inside NumPy or the dict.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from helpers import data, exercises, filters, ops, optim, tfenv
from helpers.exercises import _REGISTRY, check_answer, is_correct

KEYS = sorted(exercises._REGISTRY)


ANSWERS = {
    # Part I (chapters 01-06 and 06b)
    "ch1-light-picture": "a",  # 255 - A read as light: the stroke (most ink) nearly black
    "ch1-photo-numbers": 270000,
    # the first 4 of mnist_5k.npz (row 2000): 32 of its pixels hold 236 or more ink, and its
    # leftmost inked column is column 3, whose first ink is at row 10: 3 × 28 + 10
    "ch1-uint8-wrap": 32,
    "ch1-column-loop-first-ink": 94,
    "ch1-shuffle-train-test": "b",
    "case1-negative-min": -249,
    "case1-fit-255": 1.02,
    "case1-loop-sum": 0.5 * 4219,  # the spec's image A sums to 4219
    "case1-no-dollar": "b",
    "case1-grey-weights": [1 / 3, 1 / 3, 1 / 3],
    "case2-stride-2-reads": [2, 0],  # the window at columns 0-1 and 2-3 of a row of 4: no overlap
    "case2-width-3": 2,
    "case3-pad-k6": [2, 3],  # k - 1 = 5 zeros, the odd one after
    "case3-same-weights": [1, 1.3],  # column 0 meets w0 only, column 3 both weights
    "case3-full-padding": 2,  # k - 1 on each side for k = 3
    # the spec's image B sums to 4771, its first column to 1283, its last to 2513: half of the
    # pairs' left pixels (all but the last column) plus half of their right pixels (all but the first)
    "case2-loop-sum": 0.5 * (4771 - 2513) + 0.5 * (4771 - 1283),
    "case2-slice-bug": "b",
    "case2-light-edges": "b",
    "case3-zero-meaning": "a",
    "case4-recover-b": "yes",
    "case4-design-edge": [-1, 1],
    "case4-second-difference": [1, -2, 1],
    "case4-two-layers": [1 * 0.1, 1 * 5 + 0.3 * 0.1, 0.3 * 5],  # (1, 0.3) then (0.1, 5)
    "case4-params-bias": 6,
    "case5-transpose": "b",
    "case5-windows-3x3": [3 * 2, 3 * 3],  # 3 rows × 2 columns of windows at (8, 1); k × k far away
    "case5-diagonal": [[1, -1], [-1, 1]],
    "learn-step-centred": "no",  # limit 2 / λ_max ≈ 0.53 on -1..1 pixels, below the step of 2
    "case5-checkerboard": "a",  # each pixel differs from its right and lower neighbours
    "case5-silent-across": 5 * 6,  # 6×6 stripes, every row another value: all 5×6 outputs of [[1], [-1]]
    # chapter 6b
    "learn-local-shift": "no",
    "learn-three-counts": [28 * 28 * 26 * 26, 26 * 26 * 9, 9],
    "learn-laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    # Part II (chapters 07-12)
    # chapter 7
    "conv-plus-0-0": 54 + 55 + 121 + 75 + 24,
    "conv-design-corner": [[0, 0, 0], [0, 0, 0], [1, 0, 0]],
    "conv-dense-zeros": [16 * 36 - 16 * 9, 16 * 9],  # each of 16 outputs reads 9 of 36 pixels
    "conv-flipud": "a",
    "sobel-relu-zeros": 5,
    # the second filter's map by hand: 1 4 5; 4 8 3; 5 4 3
    "conv-channels-loop-sum": 1 + 4 + 5 + 4 + 8 + 3 + 5 + 4 + 3,
    "conv-depthless-kernel": "b",  # a 3×3 kernel on a 3-channel photo is refused
    # chapter 8
    "blur-corner": 27.56,
    "sobel-ramp": 80,
    "sobel-border": "b",  # the zero padding's frame: the strongest edges of the photo
    # the bowl around its centre: 0, four direct neighbours at 1, four diagonal ones at 2
    "laplacian-bowl-edge": [4 * 1 - 4 * 0, 8 * 0 - (4 * 1 + 4 * 2)],
    "sobel-diagonal": [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]],
    # chapter 9
    "stride3-values": [[429, 856], [608, 657]],
    "strided-loop-bound": "a",  # range(0, 7 - 3, 2) stops before the last start, 4
    "unread-8-3-2": 15,
    "same-vs-symmetric-7": "a",  # ceil(7/2) = 4 outputs need 9 cells: 2 zeros, one each side
    "stride-read-once-9": 3,  # windows at 0, 3, 6 tile the 9 pixels
    "pad-design-7-5-2": 2,
    # chapter 10
    "params-next-layer": 5824,
    "one-by-one-forgot": "a",  # the depth: 4 × (3 + 1) = 16, not 8
    "grey-of-bgr": "b",
    "rgb-to-bgr": [[0, 0, 1], [0, 1, 0], [1, 0, 0]],
    "red-minus-blue": [1, 0, -1],
    # chapter 11
    "pool-size-297": [148, 148, 10],
    "shift-left-changes": 1,
    "receptive-three-3x3": 7,
    "pool-peak-both-shifts": 4,
    "pool-overlap-3-1": [[851, 856], [913, 913]],  # the 3×3 maxima of the four-row table
    "l2-photo-too-bright": "b",
    "pool-window-under-20000": 7,  # floor(296 / 7) = 42, 42² × 10 + 1 = 17,641; a window of 6: 24,011
    # chapter 12
    "softmax-2-0": 0.881,
    "softmax-shift": "b",
    "softmax-scale": "b",  # the same order, the largest closer to 1
    "three-classes-last-layer": "a",  # Dense(3) with softmax
    "grad-all-ones": 6.129,
    # stride-2 windows start at rows and columns 0 and 2 (each 3 wide)
    "grad-x-terms-stride2": [1 * 1, 2 * 2, 2 * 1],
    # Part III (chapters 13-15)
    "13.1": 2 * -0.3024,  # the chapter's logit on the photo scaled to [0, 1], twice
    "13.2": 100 * 11_500 / 13_800,  # 23,000 cut at 9,200: 2,300 cats and 11,500 dogs left
    "13.3": "b",  # dogs first: 11,500 dogs of 16,099 to train on, only cats to validate on
    # the labels shuffled by NumPy (seed 0) and cut where Keras cuts, by plain slicing
    "13.4": int((np.random.default_rng(0).permutation(np.repeat([0, 1], 11_500))[16_099:] == 0).sum()),
    "13.6": 760 + 10 + 1,  # the convolution, then Dense(1) on 10 global averages (or maxima)
    "14.5": 5 * 5 * 1 * 10 + 10 + 24 * 24 * 10 + 1,  # no pooling: Dense sees 24×24×10
    "14.2": "b",  # seed 2's raw run: final training loss 0.0120 against 0.0501
    "14.3": 9,  # test digit 164, a 3, scanned: read as a 9
    "14.4": -0.121 / 0.297,  # (0 - mean) / std of the 600 training digits' pixels
    "15.1": 69.12,
    "15.5": 5 * 5 * 3 * 10 + 10 + 10 * 3 + 3,  # the conv layer, then Dense(3) on 10 means
    "15.3": "tabby",  # alphabetical: retriever = 0, tabby = 1; a sigmoid is P(class 1)
    "15.4": "error",  # label_mode="binary" takes exactly two class folders
    # conv2 with 48 filters: conv1, conv2, conv3 (48 input channels), Dense on 3·3·128
    "14b.5": (5 * 5 * 1 * 32 + 32)
    + (3 * 3 * 32 * 48 + 48)
    + (3 * 3 * 48 * 128 + 128)
    + (3 * 3 * 128 * 10 + 10),
    "14b.2": 3.0 / (1 - 0.2),
    # panels 1-4 are lr 0.1, plain, raw, augmentation; asked: raw, lr 0.1, augmented, overfitting
    "14b.6": [3, 1, 4, 2],
    "14b.4": 8 + 5,  # plain, seed 2: lowest validation loss after epoch 8, patience 5
    # chapter 16 (the explorer)
    "16.1": "tilt",
    "16.2": 10 + (3 - 1) * 4,
    # the explorer's network's misreads of the 500 test digits moved 3 pixels right, not
    # preprocessed again: counted with Keras (test_exercise_16_3_is_what_keras_reads)
    "16.3": 83,
    # Part IV, chapter 17: LeNet-5 with 32 filters in conv2: Flatten hands on 5·5·32 values
    "17.1": 5 * 5 * 32 * 120 + 120,
    "17.2": "higher",  # the recorded "residual" runs: the plain net's last loss above on every seed
    # two VGG blocks (f, 2f filters, two convs each), GAP, Dense(10): 63f² + 35f + 10 <= 20,000
    "17.3": max(f for f in range(1, 40) if 63 * f * f + 35 * f + 10 <= 20_000),
    "17.4": "b",  # LeNet-5 without BN at SGD 0.1: the loss stays at ln 10, all classes alike
    # chapter 18
    "18.1": [2, 3, 1],  # curves 1-3 are Adam, SGD, momentum; asked: SGD, momentum, Adam
    "18.2": "stuck",  # plain SGD at 1.0: every seed's loss ends within 0.05 of ln 10 (dead ReLUs)
    # raw photos: every conv1 sum is 255 times the 0-1 photo's (biases 0), so the 0-1 share
    # (a function: it builds a model, which is done when the test runs, never at import)
    "18.3": lambda: 100 * optim.dead_at_init("unit", 0, optim.LIVE_PER_CLASS)["zero_share"],
    "18.4": 0.001,  # Adam's first step: the learning rate times the sign of the gradient (-250)
    # chapter 19
    "19.1": "no",  # 25 per class: fine-tuned 89.8 % against scratch 90.4 % (ahead on 1 seed of 5)
    "19.2": (800 * 64 + 64) + (64 * 5 + 5),  # the frozen base counts nothing; 5·5·32 = 800 features
    "19.3": "a",  # trainable is read at compile: without a new compile the base does not move
    # chapter 20 (functions: they use the chapter's trained network, done when the test runs)
    "20.1": lambda: _turn_order(),  # upside down or a quarter turn: the higher test accuracy
    "20.2": lambda: _shirts_as_tops(),  # validation shirts read as T-shirt/top, counted by sklearn
    "20.3": "underfits",  # 6,000 photos: training accuracy 0.82-0.84, within 0.011 of validation
    # chapter 21: the recorded runs' last epochs, averaged over the seeds (not the registry's ranges)
    "21.1": lambda: "higher" if _playground_mean("no ReLU") > _playground_mean("default") else "lower",
    "21.2": lambda: "chance" if _playground_mean("SGD, learning rate 1") < 0.15 else "better",
    "21.3": lambda: (
        "lower"
        if _playground_mean("4 filters in conv layer 2 instead of 16") < _playground_mean("default")
        else "higher"
    ),
    "21.4": lambda: "higher" if _playground_mean("no pooling") > _playground_mean("default") else "lower",
}


def _playground_mean(scenario: str) -> float:
    """The mean over seeds of a recorded playground scenario's final validation accuracy, from
    its runs (benchmarks/results/experiments/playground.json)."""
    import json

    path = (
        Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "experiments" / "playground.json"
    )
    rows = [r for r in json.loads(path.read_text())["rows"] if r["scenario"] == scenario]
    return float(np.mean([r["epochs"][-1]["val_accuracy"] for r in rows]))


def _turn_order() -> str:
    """Which turn of the test photos chapter 20's network reads better, "upside" down or a
    "quarter" turn, the photos turned with NumPy's own functions."""
    from helpers import augment, fashion

    model, test = augment.full_run(0).model, fashion.splits("unit")["test"]
    turns = {"upside": np.flip(test.images, 1), "quarter": np.rot90(test.images, 1, (1, 2))}
    acc = {
        k: np.mean(np.argmax(model.predict(x.copy(), verbose=0), 1) == test.labels) for k, x in turns.items()
    }
    return max(acc, key=acc.get)


def _shirts_as_tops() -> int:
    from sklearn.metrics import confusion_matrix

    from helpers import augment, fashion

    val = fashion.splits("unit")["validation"]
    pred = np.argmax(augment.full_run(0).model.predict(val.images, verbose=0), 1)
    return int(confusion_matrix(val.labels, pred, labels=range(10))[6, 0])


# ------------------------------------------------------------------ the registry
def test_every_registered_exercise_has_an_independent_answer():
    assert len(KEYS) >= 30
    assert sorted(ANSWERS) == KEYS, "add the hand-worked answer of a new exercise to ANSWERS"


def test_a_key_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise("13.1", why="", hint="")(lambda: 0)


def test_expected_is_the_registered_answer():
    """exercises.expected (what a chapter glues into an answer dropdown) is what the checker
    accepts, and an unknown key names the known ones."""
    assert is_correct("14b.2", exercises.expected("14b.2"))
    assert exercises.expected("14b.2") == pytest.approx(ANSWERS["14b.2"])
    with pytest.raises(KeyError, match="known:"):
        exercises.expected("no-such-exercise")


# ------------------------------------------------------------------ the answers
def _wrong(key, value):
    if isinstance(value, str):  # another of the options the question offers
        return next(o for o in exercises._REGISTRY[key].options if o != value)
    arr = np.asarray(value, dtype=float)
    return (arr + 1 + abs(arr)).tolist()


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_right_answer_passes_and_wrong_answer_fails(key, capsys):
    ex = exercises._REGISTRY[key]
    right = ANSWERS[key]() if callable(ANSWERS[key]) else ANSWERS[key]
    assert is_correct(key, right)
    assert not is_correct(key, _wrong(key, right))
    check_answer(key, right)
    assert capsys.readouterr().out == f"Correct. {ex.why}\n"
    check_answer(key, _wrong(key, right))
    out = capsys.readouterr().out
    assert out.startswith("Not quite") and ex.hint in out


@pytest.mark.parametrize("key", sorted(k for k, v in ANSWERS.items() if isinstance(v, str)))
def test_a_choice_is_graded_not_its_reasons(key, capsys):
    """Typed as the question asks ("Answer "yes" or "no", and say why"): the choice is graded,
    with or without quotes, in any case, with any reasons after it; a wrong choice is said to be
    wrong, with the hint; an answer that starts with no choice gets no verdict."""
    ex, right = exercises._REGISTRY[key], ANSWERS[key]
    other = _wrong(key, right)
    for typed in (right, f'"{right}"', f"{right.upper()}.", f"{right}, because of what the chapter shows"):
        check_answer(key, typed)
        assert capsys.readouterr().out == f"Correct. {ex.why}\n", typed
    check_answer(key, f"{other}, because of what the chapter shows")
    assert capsys.readouterr().out == f'Not quite: "{other}" is not the answer. Hint: {ex.hint}\n'
    check_answer(key, f"I think {right}")
    out = capsys.readouterr().out
    assert out.startswith("Which one? Start your answer with ") and f'"{right}"' in out
    assert "Not quite" not in out and "Correct" not in out


PART3 = [
    "13.1",
    "13.2",
    "13.3",
    "13.4",
    "13.6",
    "14.5",
    "14.2",
    "14.3",
    "14.4",
    "15.1",
    "15.5",
    "14b.5",
    "14b.2",
    "14b.6",
    "14b.4",
    "16.1",
    "16.2",
    "16.3",
]


@pytest.mark.parametrize("key", PART3)
def test_part3_reasoning_states_the_computed_answer(key):
    """The text a right answer prints (``why``) works the answer out in words: the answer it
    reaches must be the computed one, so the text cannot drift from the numbers."""
    ex, value = exercises._REGISTRY[key], exercises._REGISTRY[key].expected()
    if isinstance(value, str):
        shown = [value]
    elif np.ndim(value):
        shown = [", ".join(f"{v:g}" for v in np.ravel(value))]
    else:
        shown = [f"{value:,.0f}", f"{value:,.2f}", f"{value:.1f}"]
    assert any(s in ex.why for s in shown), (key, value, ex.why)


def test_sobel_relu_zeros_are_where_brightness_falls():
    image = data.load("conv6x6_image")
    sobel = filters.kernel("Sobel x")
    out = ops.conv2d(image, sobel)
    assert int((out < 0).sum()) == ANSWERS["sobel-relu-zeros"] and not (out == 0).any()


def test_emboss_is_the_diagonal_sobel_plus_the_identity():
    from helpers.exercises import part2

    diagonal = part2.ring_clockwise(filters.kernel("Sobel x"))
    np.testing.assert_array_equal(diagonal + filters.kernel("identity"), filters.kernel("emboss"))


def test_exercise_13_2_is_what_keras_reports():
    """The printed softmax model, label shape fixed, cats then dogs, validation_split=0.6: Keras
    itself reports the validation accuracy that exercise 13.2 asks for (the dogs' share after
    the cut), and 0 on the training part (cats only)."""
    from helpers.models import article_cnn, faults

    tfenv.set_determinism(0)
    m = article_cnn.article_model((12, 12, 3), output_activation="softmax")
    m.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    x = np.random.default_rng(0).random((20, 12, 12, 3), dtype=np.float32)
    y = np.repeat([0.0, 1.0], 10).reshape(-1, 1).astype(np.float32)  # 10 cats, then 10 dogs
    with faults.report(show=False):
        h = m.fit(x, y, epochs=1, batch_size=8, validation_split=0.6, verbose=0)
    assert h.history["val_accuracy"][0] == pytest.approx(10 / 12)  # 2 cats and 10 dogs after the cut
    assert h.history["accuracy"] == [0.0]  # the first 8, all cats
    assert is_correct("13.2", 100 * h.history["val_accuracy"][0])


def test_exercise_16_3_is_what_keras_reads():
    """The shifted digits of exercise 16.3 read by Keras with the explorer's weights, not by
    the NumPy forward pass the registry uses."""
    from helpers import digitnet
    from helpers.digitnet import drawn_training

    exported, layers = drawn_training.load_drawn()
    model = digitnet.build_model(layers)
    model.set_weights([exported.weights[n] for n in digitnet.tensor_shapes(layers)])
    test = digitnet.load_split()["test"]
    x = np.zeros_like(test.x)
    x[:, :, 3:] = test.x[:, :, :-3]
    read = model.predict(x, batch_size=500, verbose=0).argmax(1)
    assert int(np.sum(read != test.y)) == ANSWERS["16.3"]


def test_chapter_21_exercise_2_says_what_the_record_measured():
    """Chapter 21's answer to exercise 2 states, in words, what the recorded lr=1 runs show
    (its numbers are glued from the record): with SGD nothing blows up, NaN or infinite; every
    cell of conv layer 2's ReLU map is dead at the end of every run (output 0 for every
    validation image) though almost none was at the start; every run then answers one class.
    Adam at 1 ends the same way, at chance with conv layer 2 mostly dead, after its loss did
    blow up."""
    from helpers.exercises import part5

    sgd, adam = part5.summary(part5.SGD_LR1), part5.summary(part5.ADAM_LR1)
    dead = {name: part5.dead_fractions(name, part5.CONV2_RELU) for name in (part5.SGD_LR1, part5.ADAM_LR1)}
    adam_losses = [r["max_batch_loss"] for r in part5.runs(part5.ADAM_LR1)]
    assert sgd["diverged"] == adam["diverged"] == 0 and sgd["weights_finite"] and adam["weights_finite"]
    assert sgd["max_batch_loss"] < part5.LOSS_BLOWN_UP < min(adam_losses)
    assert dead[part5.SGD_LR1] == [1] * sgd["runs"] and sgd["classes_answered_max"] == 1
    assert max(part5.dead_fractions(part5.SGD_LR1, part5.CONV2_RELU, "start")) < 0.05
    assert max(part5.dead_fractions(part5.DEFAULT, part5.CONV2_RELU)) < 0.05
    assert adam["final_val_accuracy_max"] <= part5.CHANCE and min(dead[part5.ADAM_LR1]) > 0.9


def test_the_explorer_counts_read_each_digit_as_forward_does():
    """``misread_counts`` reads its 3,000 digits in batches (``digitnet.predict``): on a few
    test digits under every distortion and shift, each read equals ``digitnet.forward`` on
    that one preprocessed digit (-1 where preprocessing finds none, as for a blank drawing)."""
    from helpers import digitnet
    from helpers.digitnet import drawn_training
    from helpers.exercises import explorer as ex

    images, _, split = data.load_mnist_5k()
    exported, layers = drawn_training.load_drawn()
    w = exported.weights

    def one(drawing):
        res = digitnet.preprocess(drawing)
        return -1 if res is None else int(digitnet.forward(w, res[0] / 255, layers)["probabilities"].argmax())

    rows = split["test"][:25]
    for f in (ex._tilt, ex._thin, ex._corner, lambda im: im.astype(float)):
        drawings = [f(images[i]) for i in rows] + [np.zeros((28, 28))]
        assert ex.reads(w, layers, drawings).tolist() == [one(d) for d in drawings]
    test = digitnet.load_split()["test"]
    for pixels in (1, ex.SHIFT):
        moved = ex.shifted(test.x[:25, :, :, 0], pixels)
        each = [int(digitnet.forward(w, im, layers)["probabilities"].argmax()) for im in moved]
        assert digitnet.predict(w, moved, layers).argmax(1).tolist() == each


# ------------------------------------------------------------------ what check_answer is given
def test_placeholder_wrong_shape_and_unknown_key(capsys):
    check_answer("13.1", None)
    assert capsys.readouterr().out == exercises.unanswered_line("13.1") + "\n"
    check_answer("13.1", [1, 2])
    assert "shape" in capsys.readouterr().out
    check_answer("case2-width-3", "three")
    assert "expected a number" in capsys.readouterr().out
    with pytest.raises(KeyError, match="known"):
        check_answer("99.9", 1)


@pytest.fixture(scope="module")
def keys():
    """The first exercise with a numeric answer and the first with a text answer (answers are
    computed when asked for, some by training: only as many as needed, never at collection)."""
    found = {}
    for key in sorted(_REGISTRY):
        found.setdefault(isinstance(_REGISTRY[key].expected(), str), key)
        if len(found) == 2:
            break
    return found[False], found.get(True, found[False])


@pytest.mark.parametrize(
    "answer", [10**400, -(10**400), [1, 10**400], [[10**400]]], ids=["1e400", "-1e400", "list", "nested"]
)
def test_numbers_beyond_float64_are_simply_wrong(answer, capsys, keys):
    number, choice = keys
    check_answer(number, answer)
    out = capsys.readouterr().out
    assert out.startswith("Not quite: ") and "Hint: " in out, out
    check_answer(choice, answer)  # not a choice: asked for one, no verdict
    assert capsys.readouterr().out.startswith("Which one? Give your answer as text, ")
    assert not is_correct(number, answer) and not is_correct(choice, answer)


@pytest.mark.parametrize("answer", [{"a": 1}, {1, 2}, object(), 1j, [1, "x"], b"\xff", [[1, 2], [3]]])
def test_answers_of_the_wrong_kind_are_not_quite(answer, capsys, keys):
    check_answer(keys[0], answer)
    assert capsys.readouterr().out.startswith("Not quite: ")


@pytest.mark.parametrize("key", [["13.1"], {"13.1": 1}, {"13.1"}, 13.1, None, b"13.1"])
def test_a_key_that_is_not_a_string_is_a_clear_type_error(key):
    for fn in (check_answer, is_correct):
        with pytest.raises(TypeError, match="exercise key is a string") as excinfo:
            fn(key, 1)
        assert "unhashable" not in str(excinfo.value)
        suggested = re.search(r"like '([^']+)'", str(excinfo.value)).group(1)
        assert suggested in _REGISTRY  # the example it gives is a key that exists


def test_exercise_14_3_reads_the_scan_as_numpy_does():
    """The scanned digit of exercise 14.3, preprocessed and scaled, through the book's NumPy
    forward pass of the shipped weights (no Keras): the digit the answer names."""
    from helpers import digitnet
    from helpers.exercises import part3

    digit = digitnet.load_split()["test"].x[part3.SCAN_EXERCISE_POSITION]
    image, _ = digitnet.preprocess(part3.scan_of(digit))
    probs = digitnet.forward(digitnet.load_export().weights, image / 255.0)["probabilities"]
    assert (
        int(np.argmax(probs))
        == ANSWERS["14.3"]
        != int(digitnet.load_split()["test"].y[part3.SCAN_EXERCISE_POSITION])
    )


def test_exercise_14_4_standardises_the_training_pixels():
    from helpers import data

    train, _, _ = data.split_digits(data.load_digits_4_9(), seed=0)
    x = train.images.astype(np.float64)
    assert len(train) == 600 and (0 - x.mean()) / x.std() == pytest.approx(ANSWERS["14.4"], abs=0.01)


def test_exercise_14b_4_counts_the_patience_on_the_record():
    from helpers import perfnotes

    run = next(
        r for r in perfnotes.experiment("overfit")["runs"] if r["variant"] == "plain" and r["seed"] == 2
    )
    losses = run["history"]["val_loss"]
    best = int(np.argmin(losses[:13])) + 1
    assert best == 8 and all(v > losses[best - 1] for v in losses[best : best + 5])

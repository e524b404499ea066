"""The code a reader writes in Part III, on the page, and the helpers that train it.

Chapters 14 and 14b show ``build`` (and chapter 14 ``fit``) as code cells; the helpers
(``training.train_digits``, ``overfit.train``) train what those functions return, after every
seed is fixed. The trainings the test suite checks (tests/test_models.py, tests/test_overfit.py)
are the helpers' own recipe: these tests show, without training, that the page's code builds
exactly that recipe, layer config for layer config, and that a model of other layers is refused.
Plus the helpers the pages call besides: the EarlyStopping replay and the saved digit network.
"""

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import digitnet, overfit, tfenv
from helpers.exercises import part3
from helpers.models import training

ROOT = Path(__file__).resolve().parent.parent
CH14 = ROOT / "chapters" / "14_training_on_real_digits.ipynb"
CH14B = ROOT / "chapters" / "14b_overfitting_and_its_cures.ipynb"


def _page_function(path, name):
    """The function ``name`` as the page defines it, run in a namespace with ``keras`` and
    ``np`` (what the page's imports give it)."""
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        text = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(text)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace = {"keras": tfenv.keras(), "np": np}
                exec(compile(ast.Module([node], []), str(path), "exec"), namespace)
                return namespace[name]
    raise AssertionError(f"{path.name} defines no {name}()")


def test_chapter_14_build_is_the_helpers_recipe():
    build = _page_function(CH14, "build")
    training.same_layers(build(training.DIGITS_INPUT_SHAPE), training._build(training.DIGITS_INPUT_SHAPE))
    assert build().count_params() == 1_701


@pytest.mark.parametrize("variant", list(overfit.VARIANTS))
def test_chapter_14b_build_is_the_helpers_recipe(variant):
    build = _page_function(CH14B, "build")
    training.same_layers(build(*overfit.VARIANTS[variant]), overfit.build(*overfit.VARIANTS[variant]))


def test_chapter_14b_build_shows_the_fill_and_the_dropout():
    model = _page_function(CH14B, "build")(True, True)
    fills = {
        layer.name: layer.get_config()["fill_mode"]
        for layer in model.layers
        if "fill_mode" in layer.get_config()
    }
    assert fills == {"rotate": "constant", "shift": "constant", "zoom": "constant"}
    names = [layer.name for layer in model.layers]
    assert names.index("dropout") == names.index("flatten") + 1 == names.index("dense") - 1


def test_chapter_14_fit_compiles_what_train_digits_promises():
    """The page's fit, one epoch on 8 digits (milliseconds): Adam at 0.001, binary cross-entropy."""
    from helpers import data

    fit = _page_function(CH14, "fit")
    train, val, _ = data.split_digits(data.load_digits_4_9(), seed=0)
    model = training._build(training.DIGITS_INPUT_SHAPE)
    history = fit(model, train.subset(np.arange(8)), val.subset(np.arange(8)), epochs=1)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    training._check_compiled(model, 1e-3)


def test_a_model_of_other_layers_is_refused_before_training():
    keras = tfenv.keras()

    def twelve_filters(input_shape):
        return keras.Sequential(
            [
                keras.Input(shape=input_shape),
                keras.layers.Conv2D(12, (5, 5), activation="relu", name="conv"),
                keras.layers.MaxPooling2D((2, 2), name="pool"),
                keras.layers.Flatten(name="flatten"),
                keras.layers.Dense(1, activation="sigmoid", name="dense"),
            ]
        )

    with pytest.raises(ValueError, match="layer 0"):
        training.train_digits(seed=0, build=twelve_filters)
    with pytest.raises(ValueError, match="layers"):
        overfit.train("plain", seed=0, build=lambda a, d: overfit.build(not a, d))


def test_a_fit_that_compiles_otherwise_is_refused():
    keras = tfenv.keras()
    model = training._build(training.DIGITS_INPUT_SHAPE)
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="binary_crossentropy")
    with pytest.raises(ValueError, match="Adam"):
        training._check_compiled(model, 1e-3)


def test_early_stopping_replay_is_keras_by_hand():
    # best 0.5 at epoch 2; epochs 3 and 4 do not beat it: patience 2 stops after epoch 4
    assert overfit.early_stopping_replay([1.0, 0.5, 0.6, 0.7, 0.4, 0.8], patience=2) == {"ran": 4, "best": 2}
    # never worse for long enough: runs every epoch, keeps the lowest
    assert overfit.early_stopping_replay([1.0, 0.9, 0.95, 0.8], patience=2) == {"ran": 4, "best": 4}


def test_the_saved_digit_network_reads_as_the_export(tmp_path):
    keras = tfenv.keras()
    model = keras.models.load_model(digitnet.save_keras(tmp_path / "digitnet.keras"))
    weights = digitnet.load_export().weights
    test = digitnet.load_split()["test"]
    probs = model.predict(test.x[:20], verbose=0)
    for image, p in zip(test.x[:20], probs):
        np.testing.assert_allclose(p, digitnet.forward(weights, image)["probabilities"], atol=1e-5)


def test_the_page_scans_as_the_exercise_does():
    page = _page_function(CH14, "scan_of")
    digit = digitnet.load_split()["test"].x[part3.SCAN_EXERCISE_POSITION]
    np.testing.assert_array_equal(page(digit), part3.scan_of(digit))

"""helpers.validate: the one rule for integer, number and flag arguments, and its messages.

Python and NumPy integers pass (as plain ints), bools, floats, strings and arrays do not
(TypeError); a value of the right kind out of range is a ValueError. Every message is one
line naming the argument, what it got and what it must be. The tables at the end check that the
helpers which used to carry their own copy of the rule (the book's helpers, the cats-and-dogs
download, extraction and stream of ``helpers.datasets``, its command-line types) now all follow
this one.
"""

import argparse
import math
import re

import numpy as np
import pytest

from helpers import backprop, data, datasets, digitnet, learning, network, ops, overfit, tfenv, validate
from helpers.interactive import calculator, players, softmax
from helpers.sweep import SweepFrames

INTEGERS = [0, 7, -3, 2**70, np.int64(7), np.int8(-3), np.uint8(200), np.uint64(2**63)]
NOT_INTEGERS = [
    True,
    False,
    np.bool_(True),
    7.0,
    np.float64(7.0),
    float("nan"),
    "7",
    b"7",
    None,
    [7],
    (7,),
    np.array(7),
    np.array([7]),
    7 + 0j,
]


def refused(exc_type, words, fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` raises ``exc_type`` with one short line starting with
    ``words[0]`` and holding every other word."""
    with pytest.raises(exc_type, match="^" + re.escape(words[0])) as err:
        fn(*args, **kwargs)
    message = str(err.value)
    assert "\n" not in message and len(message) < 200, message
    for word in words[1:]:
        assert word in message, f"{word!r} not in {message!r}"


@pytest.mark.parametrize("value", INTEGERS)
def test_python_and_numpy_integers_are_integers(value):
    assert validate.is_integer(value)
    out = validate.integer("n", value)
    assert type(out) is int and out == value


@pytest.mark.parametrize("value", NOT_INTEGERS)
def test_bools_floats_strings_and_arrays_are_not_integers(value):
    assert not validate.is_integer(value)
    refused(TypeError, ["n must be an integer", f"got {value!r}"], validate.integer, "n", value)


def test_ranges_and_their_messages():
    integer = validate.integer
    assert integer("per_digit", 400, 1, 400) == 400
    assert integer("per_digit", np.int16(1), 1, 400) == 1
    refused(
        ValueError, ["per_digit must be an integer from 1 to 400, got 401"], integer, "per_digit", 401, 1, 400
    )
    refused(
        TypeError, ["per_digit must be an integer from 1 to 400, got 4.0"], integer, "per_digit", 4.0, 1, 400
    )
    refused(ValueError, ["k must be an integer of at most 8, got 9"], integer, "k", 9, high=8)
    refused(ValueError, ["size must be an integer of at least 3, got 2"], integer, "size", 2, 3)
    refused(
        ValueError,
        ["label must be a class index from 0 to 9, got", "10"],
        integer,
        "label",
        np.int64(10),
        0,
        9,
        what="a class index",
    )
    refused(
        ValueError,
        ["size must be a positive number of bytes, got 0"],
        integer,
        "size",
        0,
        1,
        what="a number of bytes",
    )
    refused(ValueError, ["n must be a non-negative index, got -1"], integer, "n", -1, 0, what="an index")


def test_positive_and_non_negative_integers():
    positive, non_negative = validate.positive_integer, validate.non_negative_integer
    assert positive("epochs", np.int64(1)) == 1 and non_negative("seed", 0) == 0
    refused(ValueError, ["epochs must be a positive integer, got 0"], positive, "epochs", 0)
    refused(TypeError, ["epochs must be a positive integer, got True"], positive, "epochs", True)
    refused(
        ValueError, ["seed must be a non-negative integer, got", "-1"], non_negative, "seed", np.int32(-1)
    )
    refused(TypeError, ["seed must be a non-negative integer, got '0'"], non_negative, "seed", "0")


@pytest.mark.parametrize("value", [0, 2.5, -1e300, np.float32(0.5), np.int64(3), 10**20])
def test_finite_numbers_pass_as_floats(value):
    assert validate.is_number(value)
    out = validate.number("x", value)
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan"), 10**400])
def test_nan_infinity_and_overflowing_integers_are_refused(value):
    refused(ValueError, ["x must be a finite number, got"], validate.number, "x", value)


@pytest.mark.parametrize("value", [True, np.bool_(False), "2.0", None, 1j, [1.0], np.array(1.0)])
def test_bools_strings_and_arrays_are_not_numbers(value):
    assert not validate.is_number(value)
    refused(
        TypeError, ["lr must be a finite positive number, got"], validate.number, "lr", value, positive=True
    )


def test_positive_numbers():
    assert validate.number("lr", np.float32(0.25), positive=True) == 0.25
    assert validate.number("lr", 2, positive=True) == 2.0
    for bad in (0, -0.0, -1, math.inf, math.nan):
        refused(
            ValueError,
            ["lr (the step size) must be a finite positive number, got"],
            validate.number,
            "lr (the step size)",
            bad,
            positive=True,
        )


def test_numbers_with_a_lower_bound_or_infinity():
    assert validate.number("max_ratio", np.int64(1), 1) == 1.0
    refused(
        ValueError,
        ["max_ratio must be a finite number of at least 1, got 0.5"],
        validate.number,
        "max_ratio",
        0.5,
        1,
    )
    seconds = {"positive": True, "allow_infinity": True, "what": "a number of seconds"}
    assert validate.number("timeout", math.inf, **seconds) == math.inf
    assert validate.number("timeout", 10**400, **seconds) == math.inf
    for bad in (0, -math.inf, math.nan):
        refused(
            ValueError,
            ["timeout must be a positive number of seconds, got"],
            validate.number,
            "timeout",
            bad,
            **seconds,
        )
    refused(
        TypeError,
        ["timeout must be a positive number of seconds, got True"],
        validate.number,
        "timeout",
        True,
        **seconds,
    )


def test_flags_are_bools_only():
    assert validate.flag("bias", True) is True
    assert validate.flag("bias", np.bool_(False)) is False
    for bad in (0, 1, "True", None, 1.0, np.int64(1)):
        refused(TypeError, ["bias must be True or False, got"], validate.flag, "bias", bad)


X4 = np.arange(16.0).reshape(4, 4)
TINY = learning.init_tiny(X4.shape, seed=0)
# where the rule is used: (argument, a call giving it the value, a valid integer or None when
# a valid call would train a network)
USES = {
    "ops.output_size": ("n", lambda v: ops.output_size(v, 3), 6),
    "ops.conv_params": ("filters", lambda v: ops.conv_params(3, 3, 1, v), 2),
    "calculator.sizes": ("s", lambda v: calculator.sizes(6, 3, v), 2),
    "calculator.grid_html": ("out", lambda v: calculator.grid_html(6, 0, 0, 3, 1, 1, v), 4),
    "network.article_layers": ("pool", lambda v: network.article_layers(pool=v), 2),
    "data.dataset_bytes": ("n_images", lambda v: data.dataset_bytes(v, (28, 28, 1)), 2),
    "learning.fit_kernel": ("steps", lambda v: learning.fit_kernel(X4, np.zeros((3, 3)), steps=v), 2),
    "backprop.output_gradient": ("label", lambda v: backprop.output_gradient(TINY, X4, v), 1),
    "softmax.softmax_html": ("y", lambda v: softmax.softmax_html(y=v), 2),
    "SweepFrames.cell": ("position", lambda v: SweepFrames(X4, np.ones((2, 2))).cell(v), 8),
    "players.flatten_text": ("position", lambda v: players.flatten_text(X4, v), 15),
    "tfenv.set_determinism": ("seed", tfenv.set_determinism, None),
    "overfit.small_split": ("per_digit", lambda v: overfit.small_split(per_digit=v), None),
    "digitnet.train": ("epochs", lambda v: digitnet.train(epochs=v), None),
    "digitnet.train seed": ("seed", lambda v: digitnet.train(seed=v), None),
    "datasets.download size": ("size", lambda v: download_checks(size=v), 2),
    "datasets.make_datasets batch_size": ("batch_size", lambda v: stream_checks(batch_size=v), 2),
    "datasets.make_datasets image_size": ("image_size[1]", lambda v: stream_checks(image_size=(8, v)), 2),
}


def download_checks(**kwargs):
    """``datasets.download``'s argument checks alone: a URL without http(s) stops it right
    after them, before any folder or connection."""
    try:
        datasets.download("no-scheme", "unused.zip", **kwargs)
    except ValueError as err:
        if not str(err).startswith("url must start with http"):
            raise


def stream_checks(**kwargs):
    """``datasets.make_datasets``'s argument checks alone: a val_fraction of 2 stops it right
    after them, before TensorFlow is imported."""
    try:
        datasets.make_datasets(["a.jpg", "b.jpg"], [0, 1], val_fraction=2, **kwargs)
    except ValueError as err:
        if not str(err).startswith("val_fraction must"):
            raise


@pytest.mark.parametrize("use", USES)
def test_the_helpers_take_numpy_integers_and_refuse_bools_and_floats(use):
    name, call, good = USES[use]
    if good is not None:
        call(np.int64(good))
        call(good)
    for bad in (True, 2.0, "2"):
        refused(TypeError, [f"{name} must be ", f"got {bad!r}"], call, bad)


# where the number rule is used: (argument, a call giving it the value, valid numbers, numbers
# out of range); infinity is valid only where it means "no limit"
NUMBER_USES = {
    "datasets.download timeout": (
        "timeout",
        lambda v, _: download_checks(timeout=v),
        [np.float32(0.5), 3, math.inf],
        [0, -1.0, math.nan],
    ),
    "datasets.download deadline": (
        "deadline",
        lambda v, _: download_checks(deadline=v),
        [2, math.inf],
        [-math.inf, 0.0],
    ),
    "datasets.extract_zip max_ratio": (
        "max_ratio",
        lambda v, tmp: extract_checks(tmp, max_ratio=v),
        [1, np.float64(2.5), math.inf],
        [0.5, -3, math.nan],
    ),
    "datasets.verify_zip max_ratio": (
        "max_ratio",
        lambda v, tmp: verify_checks(tmp, max_ratio=v),
        [1, 100.0],
        [0, math.nan],
    ),
    "learning.fit_kernel lr": (
        "lr (the step size)",
        lambda v, _: learning.fit_kernel(X4, np.zeros((3, 3)), steps=1, lr=v),
        [0.01, np.float32(0.5)],
        [0, -1, math.inf],
    ),
}


def extract_checks(tmp, **kwargs):
    """``datasets.extract_zip``'s argument checks alone: an archive that is not there stops it
    right after them."""
    with pytest.raises(datasets.ExtractionError, match="not a readable zip"):
        datasets.extract_zip(tmp / "missing.zip", tmp / "dest", **kwargs)


def verify_checks(tmp, **kwargs):
    """``datasets.verify_zip``'s argument checks alone: an empty file stops it right after them."""
    (tmp / "empty.zip").write_bytes(b"")
    with pytest.raises(datasets.ChecksumError, match="not a complete zip"):
        datasets.verify_zip(tmp / "empty.zip", **kwargs)


@pytest.mark.parametrize("use", NUMBER_USES)
def test_the_helpers_take_numbers_and_refuse_bools_strings_nan(use, tmp_path):
    name, call, good, out_of_range = NUMBER_USES[use]
    for value in good:
        call(value, tmp_path)
    for bad in out_of_range:
        refused(ValueError, [f"{name} must be ", f"got {bad!r}"], call, bad, tmp_path)
    for bad in (True, "2", None):
        refused(TypeError, [f"{name} must be ", f"got {bad!r}"], call, bad, tmp_path)


def test_the_command_line_types_follow_the_rule():
    """``datasets.positive``, the argparse type of the command lines (``--size``, ``--epochs``,
    ``--timeout``): the same rule, in argparse's one-line form, quoting what was typed."""
    count, seconds = datasets.positive(int), datasets.positive(float)
    assert count("12") == 12 and type(count("12")) is int
    assert seconds("0.5") == 0.5 and seconds("inf") == math.inf
    for parse, need, bad in [
        (count, "a positive integer", ["0", "-5", "2.5", "abc", ""]),
        (seconds, "a positive number", ["0", "-1", "nan", "-inf", "x"]),
    ]:
        for text in bad:
            refused(argparse.ArgumentTypeError, [f"must be {need}, got {text!r}"], parse, text)

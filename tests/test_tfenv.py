"""helpers.tfenv: the one quiet TensorFlow entry point - its environment reaches child
processes, TensorFlow imported through it prints no C++ log lines, seeds make training
repeatable."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import tfenv

ROOT = Path(__file__).resolve().parent.parent


def test_importing_tfenv_sets_the_quiet_environment():
    for name, value in tfenv.QUIET_ENV.items():
        assert os.environ.get(name) == value


def test_child_env_adds_the_quiet_setting_and_extras():
    env = tfenv.child_env({"PATH": "/bin", "TF_CPP_MIN_LOG_LEVEL": "0"}, PYTHONPATH=ROOT, N=2)
    assert env == {"PATH": "/bin", **tfenv.QUIET_ENV, "PYTHONPATH": str(ROOT), "N": "2"}


FRESH_PROCESS = """
import sys
from helpers import tfenv
tf = tfenv.tensorflow()
print(float(tf.reduce_sum(tf.ones((2, 2)))))
print(sorted(m for m in ("pandas", "sklearn") if m in sys.modules))
import pandas, sklearn
print(sorted(m for m in ("pandas", "sklearn") if m in sys.modules))
"""


def test_tensorflow_through_tfenv_prints_no_log_lines_and_loads_no_sklearn_or_pandas():
    """In a fresh process: no log line on stderr; Keras came without scikit-learn and pandas,
    which still import afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in tfenv.QUIET_ENV}
    env["PYTHONPATH"] = str(ROOT)
    res = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS], env=env, capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split("\n")[:3] == ["4.0", "[]", "['pandas', 'sklearn']"], res.stdout
    assert res.stderr.strip() == "", res.stderr[-2000:]


def test_set_determinism_repeats_random_draws():
    keras = tfenv.keras()
    tfenv.set_determinism(3)
    a = keras.random.normal((4,)).numpy()
    tfenv.set_determinism(3)
    assert np.array_equal(a, keras.random.normal((4,)).numpy())
    with pytest.raises(ValueError, match="seed"):
        tfenv.set_determinism(-1)

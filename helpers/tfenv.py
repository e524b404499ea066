"""The one quiet entry point to TensorFlow and Keras: logs silenced, seeds and determinism.

Import TensorFlow or Keras through this module, never directly, in every process the book
runs (chapters, helpers, scripts, benchmarks)::

    from helpers import tfenv
    keras = tfenv.keras()        # TensorFlow's C++ and Python logs silenced first
    tf = tfenv.tensorflow()
    tfenv.set_determinism(0)     # same weights run after run on one machine

TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL`` once, when its C++ library loads, so the variable
is set here, at import, before anything imports TensorFlow. A child process gets the same
setting from ``child_env()``. TensorFlow 2.21 still writes two lines ("All log messages
before absl::InitializeLog() ...", "oneDNN custom operations are on ...") straight to file
descriptor 2 while it loads, whatever that variable says (tests/test_tfenv.py checks it), so
``tensorflow()`` points descriptor 2 at the null device for the duration of the import only;
a failing import still raises its Python error.

Keras, which TensorFlow loads with itself, also imports scikit-learn and pandas when they are
installed (they are: the data scripts' mlxtend needs them), only for its scikit-learn wrappers
and for pandas inputs to ``fit``, neither of which the book uses; that is a third of the import
(about 1.5 s of CPU in every process that imports TensorFlow). ``tensorflow()`` hides the two
while TensorFlow loads, when nothing has imported them yet: afterwards both import as usual,
and Keras's wrappers of scikit-learn models (``keras.wrappers``) say they need it.
"""

from __future__ import annotations

import importlib
import os
import sys

from . import validate

#: Environment TensorFlow needs before it loads: "3" hides its C++ INFO/WARNING/ERROR lines.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}

for _name, _value in QUIET_ENV.items():
    os.environ.setdefault(_name, _value)

#: Packages Keras would import at start-up for integrations the book does not use.
NOT_FOR_KERAS = ("sklearn", "pandas")


def child_env(base=None, **extra) -> dict:
    """An environment for a subprocess that imports TensorFlow: ``base`` (default: this
    process's environment) with ``QUIET_ENV`` and ``extra`` applied."""
    env = dict(os.environ if base is None else base)
    env.update(QUIET_ENV)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def tensorflow():
    """TensorFlow, imported with its C++ logs (``QUIET_ENV``) and Python/absl logs silenced."""
    if "tensorflow" not in sys.modules:
        _import_with_stderr_closed("tensorflow")
    import absl.logging
    import tensorflow as tf

    absl.logging.set_verbosity(absl.logging.ERROR)
    tf.get_logger().setLevel("ERROR")
    return tf


def _import_with_stderr_closed(name: str) -> None:
    """Import module ``name`` with file descriptor 2 pointing at the null device and the
    packages of ``NOT_FOR_KERAS`` that are not imported yet hidden (``import`` of a module whose
    ``sys.modules`` entry is None raises ImportError, which Keras catches)."""
    hidden = [m for m in NOT_FOR_KERAS if m not in sys.modules]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            sys.modules.update(dict.fromkeys(hidden))
            try:
                importlib.import_module(name)
            finally:
                for m in hidden:
                    if sys.modules.get(m, 0) is None:
                        del sys.modules[m]
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def keras():
    """Keras (on TensorFlow), imported quietly; see ``tensorflow``."""
    tensorflow()
    import keras as _keras

    return _keras


def set_determinism(seed: int = 0) -> None:
    """Seed Python, NumPy and TensorFlow and switch TensorFlow to deterministic kernels.

    With this, training on the same machine gives bitwise the same weights run after run.
    Different CPUs may still differ in the last digits (different vector instructions).
    """
    seed = validate.non_negative_integer("seed", seed)
    k = keras()
    tf = tensorflow()
    k.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()

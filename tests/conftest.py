"""Shared test set-up: quiet, deterministic TensorFlow, imported only by tests that need it."""

import pytest


@pytest.fixture(scope="session")
def tf():
    import tensorflow as tf_module

    tf_module.get_logger().setLevel("ERROR")
    tf_module.config.experimental.enable_op_determinism()
    return tf_module

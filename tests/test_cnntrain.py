"""The training engine's TensorFlow fixture (``tests/js/fixtures/cnntrain-tf.json.gz``, read by
``tests/js/cnntrain.test.js``) is what TensorFlow computes now: recomputed by
``scripts/make_cnntrain_fixtures.py``'s own code and compared, so it can never go stale; and the
recipe of the engine's short training (``benchmarks/experiments.py``) is chapter 16's network."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "benchmarks" / "results" / "experiments" / "cnntrain-seeds.json"


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_cnntrain_fixtures", ROOT / "scripts" / "make_cnntrain_fixtures.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def script():
    return _script()


def _close(new, old, rtol):
    for a, b in zip(new, old, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)


def test_fixture_is_what_tensorflow_computes_now(script):
    old, new = script.load(), script.fixture()
    for key in ("batch", "rows", "pixels", "labels", "step_batches", "float16"):
        assert new[key] == old[key], key
    assert [d["name"] for d in new["designs"]] == [d["name"] for d in old["designs"]]
    for n, o in zip(new["designs"], old["designs"]):
        assert n["design"] == o["design"] and n["tensors"] == o["tensors"]
        assert n["weights"] == o["weights"], f"{n['name']}: the fixed weights changed"
        for b in ("A", "B"):
            assert n["loss"][b] == pytest.approx(o["loss"][b], rel=1e-12)
            # float64 throughout: only the order of additions may differ between CPUs
            _close(script.arrays(n["grads"][b]), script.arrays(o["grads"][b]), 1e-9)
        assert (n.get("steps") is None) == (o.get("steps") is None)
        for opt, s in (n.get("steps") or {}).items():
            assert s["settings"] == o["steps"][opt]["settings"]
            _close(script.arrays(s["delta"]), script.arrays(o["steps"][opt]["delta"]), 1e-9)


def test_the_engines_recipe_is_chapter_16s_network(script):
    from benchmarks.experiments import CNNTRAIN_RECIPE
    from helpers import digitnet

    assert CNNTRAIN_RECIPE["design"] == script.CH16
    assert CNNTRAIN_RECIPE["learning_rate"] == digitnet.LEARNING_RATE
    assert CNNTRAIN_RECIPE["batch_size"] == digitnet.BATCH_SIZE
    kinds = [(L["kind"], L.get("filters"), L.get("kernel"), L.get("units")) for L in script.CH16]
    book = [(r["kind"], r.get("filters"), r.get("kernel"), r.get("units")) for r in digitnet.layer_table()]
    assert kinds == book
    record = json.loads(SEEDS.read_text())
    assert record["recipe"] == CNNTRAIN_RECIPE, (
        "re-run: python -m benchmarks.experiments --only cnntrain-seeds"
    )
    assert len(record["keras"]) >= 5

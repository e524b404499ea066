"""The training engine's TensorFlow fixture (``tests/js/fixtures/cnntrain-tf.json.gz``, read by
``tests/js/cnntrain.test.js``) is what TensorFlow computes now: recomputed by
``scripts/make_cnntrain_fixtures.py``'s own code and compared, so it can never go stale; the
recipe of the engine's short training (``benchmarks/experiments.py``) is chapter 16's network; and
a network the engine exports opens in Python as the chapter's own export does."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
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


_EXPORT_JS = """
const T = require("./helpers/interactive/static/cnntrain.js"), M = require("./tests/js/mnist5k.js");
const fs = require("node:fs"), [recipe, out] = process.argv.slice(1);
const r = JSON.parse(recipe), d = M.load();
const shipped = JSON.parse(fs.readFileSync("helpers/interactive/static/digitnet-weights.json"));
const rows = d.split.train.filter((row, n) => n % 8 === 0);
const t = new T.Trainer({design: r.design, train: M.part(d, rows, T.pixels),
                         validation: M.part(d, d.split.validation, T.pixels), epochs: 1, seed: 0,
                         batchSize: r.batch_size, optimizer: {name: "adam", learningRate: r.learning_rate}});
t.runEpoch();
fs.writeFileSync(out, JSON.stringify(t.exportNet({preprocessing: shipped.preprocessing, data: "test"})));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_an_engine_export_opens_in_python(tmp_path):
    """A network the engine trained, exported, reads back with helpers.digitnet.load_export, and
    the NumPy forward pass gives the validation accuracy the engine recorded."""
    from benchmarks.experiments import CNNTRAIN_RECIPE
    from helpers import digitnet

    out = tmp_path / "engine.json"
    subprocess.run(
        [shutil.which("node"), "-e", _EXPORT_JS, json.dumps(CNNTRAIN_RECIPE), str(out)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    exported = digitnet.load_export(out)
    va = digitnet.load_split()["validation"]
    acc = np.mean(digitnet.predict(exported.weights, va.x).argmax(1) == va.y)
    assert [e["epoch"] for e in exported.epochs] == [0, 1]
    assert acc == pytest.approx(exported.meta["epochs"][-1]["val_accuracy"], abs=2 / len(va))

"""Record Part III's and Part IV's multi-seed trainings and the cats-vs-dogs timing once, as JSON,
so that the chapters can show them without re-training for minutes (chapters 14, 14b, 15, 16, 17,
18, 19 and 20 load the files; tests check that every recorded seed, and a fresh training on whatever
machine runs the tests, lies in the ranges the chapters state).

    python -m benchmarks.experiments                      # all of them (many minutes)
    python -m benchmarks.experiments --only overfit       # or digits-scaling, digits-no-pool, curves-quiz,
                                                          # digitnet-seeds, digitnet-drawn,
                                                          # digitnet-drawn-small, catsdogs-timing,
                                                          # classic-designs, batchnorm, residual,
                                                          # optimisers, optimisers-quiz, learning-rates,
                                                          # lr-schedule, inputs, transfer, augmentation,
                                                          # augmentation-shoes, confusions,
                                                          # cnntrain-seeds

Results go to benchmarks/results/experiments/NAME.json (a subfolder: these are experiment
records, not rows of the benchmark table in chapter 90). Each file records the machine, the
load average at the start and the date. Run it on a quiet machine: the seconds are real.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from helpers import tfenv  # quiet TensorFlow before anything loads it (the recipes use it too)
from helpers.perfnotes import EXPERIMENTS_DIR

from . import common

OUT = EXPERIMENTS_DIR  # where helpers.perfnotes.experiment, and so the chapters, read them


def digits_scaling(seeds=(0, 1, 2, 3, 4)) -> dict:
    """Chapter 14's recipe, scaled 0-1 versus raw 0-255 pixels, for each seed."""
    from helpers.models import training

    runs = []
    for seed in seeds:
        for scale in (True, False):
            t0 = time.perf_counter()
            r = training.train_digits(seed=seed, epochs=12, scale=scale)
            h = r.history
            runs.append(
                {
                    "seed": seed,
                    "scaled": scale,
                    "test_accuracy": r.test_accuracy,
                    "val_accuracy": h["val_accuracy"][-1],
                    "first_loss": h["loss"][0],
                    "final_loss": h["loss"][-1],
                    "seconds": time.perf_counter() - t0,
                }
            )
            common.log(f"  seed {seed} {'scaled' if scale else 'raw   '}: test {r.test_accuracy:.3f}")
    return {"recipe": "training.train_digits(seed, epochs=12, scale=...)", "seeds": list(seeds), "runs": runs}


def digits_no_pool(seeds=(0, 1, 2, 3, 4)) -> dict:
    """Chapter 14's recipe without its pooling layer (the chapter's exercise), for each seed."""
    from helpers.models import training

    runs = []
    for seed in seeds:
        t0 = time.perf_counter()
        r = training.train_digits(seed=seed, epochs=12, pool=False)
        runs.append(
            {
                "seed": seed,
                "parameters": r.model.count_params(),
                "test_accuracy": r.test_accuracy,
                "val_accuracy": r.history["val_accuracy"][-1],
                "final_loss": r.history["loss"][-1],
                "seconds": time.perf_counter() - t0,
            }
        )
        common.log(f"  seed {seed} without pooling: test {r.test_accuracy:.3f}")
    return {
        "recipe": "training.train_digits(seed, epochs=12, pool=False)",
        "seeds": list(seeds),
        "runs": runs,
    }


def overfit_runs(seeds=None) -> dict:
    """Every variant of helpers.overfit for each seed (the last epoch's numbers and curves)."""
    from helpers import overfit

    seeds = list(seeds or overfit.SEEDS)
    runs = []
    for seed in seeds:
        for variant in overfit.VARIANTS:
            r = overfit.train(variant, seed)
            runs.append({**r.summary(), "history": r.history})
            common.log(
                f"  seed {seed} {variant:24s}: val {r.history['val_accuracy'][-1]:.3f} "
                f"gap {r.gap:+.3f} ({r.seconds:.1f} s)"
            )
    return {
        "recipe": f"overfit.train(variant, seed), {overfit.EPOCHS} epochs, "
        f"{overfit.PER_DIGIT * overfit.CLASSES} training digits",
        "seeds": seeds,
        "runs": runs,
    }


#: chapter 14b's learning-curve quiz: the plain recipe of helpers.overfit with one thing changed
CURVES_QUIZ = {"raw pixels": {"pixel_scale": 255.0}, "learning rate 0.1": {"learning_rate": 0.1}}


def curves_quiz(seed: int = 1) -> dict:
    """Chapter 14b's plain training of one seed, once on raw 0-255 pixels and once with a
    learning rate of 0.1 instead of 0.001: the curves its quiz shows beside the overfit record."""
    from helpers import overfit

    runs = []
    for name, change in CURVES_QUIZ.items():
        r = overfit._train("plain", seed, overfit.EPOCHS, overfit.PER_DIGIT, 0, overfit.build, **change)
        runs.append({"name": name, **change, **r.summary(), "history": r.history})
        common.log(f"  seed {seed} {name:18s}: val {r.history['val_accuracy'][-1]:.3f} ({r.seconds:.1f} s)")
    return {
        "recipe": f"overfit.train('plain', {seed}) with one change each: {CURVES_QUIZ}",
        "seeds": [seed],
        "runs": runs,
    }


def digitnet_seeds(seeds=(0, 1, 2, 3, 4)) -> dict:
    """Chapter 16's in-page network (helpers.digitnet.train) for each seed: the held-out test
    accuracy (the range the chapter states), the last validation accuracy and the fit time."""
    from helpers import digitnet

    runs = []
    for seed in seeds:
        r = digitnet.train(seed=seed)
        runs.append(
            {
                "seed": seed,
                "test_accuracy": r.test_accuracy,
                "val_accuracy": r.history["val_accuracy"][-1],
                "seconds": r.seconds,
            }
        )
        common.log(f"  seed {seed}: test {r.test_accuracy:.3f} ({r.seconds:.1f} s)")
    return {
        "recipe": f"digitnet.train(seed), {digitnet.EPOCHS} epochs, batch {digitnet.BATCH_SIZE}, "
        f"Adam {digitnet.LEARNING_RATE:g}",
        "seeds": list(seeds),
        "runs": runs,
    }


def digitnet_drawn(seeds=(0, 1, 2), filters=None) -> dict:
    """Chapter 16's network as the page ships it (the committed export) and, with conv filters
    ``filters`` (default drawn_training.DRAWN_FILTERS), retrained on all 8,000 training digits
    redrawn as people draw (helpers.digitnet.drawn_training), for each seed: accuracy on the
    500 MNIST test digits, the 1,000 held-out new MNIST digits, and the 1,797 UCI digits of
    other writers through the page's preprocessing."""
    from helpers import digitnet
    from helpers.digitnet import augment, drawn_training, other_sources

    filters = tuple(filters or drawn_training.DRAWN_FILTERS)
    layers = drawn_training.layers_with(filters)
    sets = drawn_training.digit_sets()
    shipped = digitnet.build_model()
    shipped.set_weights([digitnet.load_export().weights[n] for n in digitnet.TENSORS])
    baseline = drawn_training.accuracies(shipped, sets)
    common.log(f"  shipped export: {baseline}")
    runs = []
    for seed in seeds:
        r = drawn_training.train_drawn(seed, layers=layers, sets=sets)
        runs.append({"seed": seed, **r.accuracies, "seconds": r.seconds})
        common.log(f"  seed {seed}: {r.accuracies} ({r.seconds:.1f} s)")
    return {
        "recipe": f"drawn_training.train_drawn(seed): {drawn_training.DRAWN_EPOCHS} epochs, batch "
        f"{digitnet.BATCH_SIZE}, Adam {digitnet.LEARNING_RATE:g}, {len(sets['train'][1])} training digits "
        f"redrawn every epoch (rotate +-{augment.ROTATE_DEGREES:g} deg, scale {augment.SCALE}, aspect "
        f"{augment.ASPECT}, shift +-{augment.SHIFT:g} px of {augment.CANVAS}, thickness {augment.THICKNESS}) "
        f"then preprocessed as the page does; UCI: sklearn load_digits, bilinear x{other_sources.UPSCALE}",
        "filters": list(filters),
        "parameters": digitnet.parameter_count(layers),
        "sets": {name: len(y) for name, (_, y) in sets.items()},
        "shipped": baseline,
        "seeds": list(seeds),
        "runs": runs,
    }


def catsdogs_timing(batch_size: int = 128, steps: int = 6, epochs: int = 3) -> dict:
    """``catsdogs.train`` on generated 500x375 JPEG files (the archive's most common size),
    resized to 300x300: milliseconds per image for training and for validation, with JPEG
    decoding and resizing included."""
    from PIL import Image

    from helpers import catsdogs

    n = 2 * steps * batch_size + steps * batch_size // 4  # `steps` training and validation batches
    rng = np.random.default_rng(0)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "PetImages"
        for name in ("Cat", "Dog"):
            (root / name).mkdir(parents=True)
        buf = io.BytesIO()
        for i in range(n):
            buf.seek(0), buf.truncate()
            Image.fromarray(rng.integers(0, 255, (375, 500, 3), dtype=np.uint8)).save(buf, "JPEG", quality=90)
            (root / ("Cat", "Dog")[i % 2] / f"{i}.jpg").write_bytes(buf.getvalue())
        result = catsdogs.train(
            root,
            Path(tmp) / "out",
            epochs=epochs,
            batch_size=batch_size,
            val_fraction=0.45,
            test_fraction=0.05,
            steps_per_epoch=steps,
            verbose=0,
            log=lines.append,
        )
    h = result["history"]
    # the last epoch: no graph tracing any more
    train_s = h["seconds"][-1] - h["validation_seconds"][-1]
    # The same model fed from in-memory arrays, timed as benchmarks/bench_training.py does (one
    # warm-up fit on one batch, then a timed fit), and a second time with the same data.
    from helpers.models import article_cnn

    model = article_cnn.corrected_model()
    x = rng.random((steps * batch_size, 300, 300, 3), dtype=np.float32)
    y = (rng.random(steps * batch_size) < 0.5).astype(np.float32)
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, epochs=1, verbose=0)
    arrays = []
    for _ in range(2):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        arrays.append(1e3 * (time.perf_counter() - t0) / len(x))
    return {
        "recipe": f"catsdogs.train on {n} generated 500x375 JPEGs, 300x300, batch {batch_size}, "
        f"{steps} training and {steps} validation steps per epoch, {epochs} epochs; "
        f"the last epoch is timed; then the model on in-memory arrays, {steps} batches, "
        f"timed twice after a one-batch warm-up",
        "train_ms_per_image": 1e3 * train_s / (steps * batch_size),
        "validation_ms_per_image": 1e3 * h["validation_seconds"][-1] / (steps * batch_size),
        "arrays_ms_per_image": arrays,
        "printed": lines,
    }


def _fashion_record(run, **labels) -> dict:
    """One Part IV training as a record: its labels, summary and per-epoch curves."""
    return {**labels, **run.summary(), "history": run.history}


def classic_designs(seeds=None) -> dict:
    """Chapter 17's designs (helpers.classic.DESIGNS) on the 6,000 training photos, each seed."""
    from helpers import classic

    runs = []
    for seed in seeds or classic.SEEDS:
        for name in classic.DESIGNS:
            r = classic.train_design(name, seed)
            runs.append(_fashion_record(r, design=name))
            common.log(f"  seed {seed} {name:22s}: test {r.test_accuracy:.3f} ({r.seconds:.1f} s)")
    return {
        "recipe": f"classic.train_design(name, seed): Adam {classic.LEARNING_RATE:g}, "
        f"{classic.EPOCHS} epochs, batch 64, 6,000 training photos",
        "seeds": list(seeds or classic.SEEDS),
        "runs": runs,
    }


def batchnorm_runs(seeds=None) -> dict:
    """Chapter 17's LeNet-5 without and with batch normalization, plain SGD at each rate."""
    from helpers import classic

    runs = []
    for seed in seeds or classic.SEEDS:
        for lr in classic.BN_LEARNING_RATES:
            for variant in classic.BN_VARIANTS:
                r = classic.train_bn(variant, lr, seed)
                runs.append(_fashion_record(r, variant=variant, learning_rate=lr))
                common.log(
                    f"  seed {seed} lr {lr:g} {variant:10s}: val {r.history['val_accuracy'][-1]:.3f} "
                    f"({r.seconds:.1f} s)"
                )
    return {
        "recipe": f"classic.train_bn(variant, lr, seed): SGD, {classic.BN_EPOCHS} epochs, batch 64, "
        f"{10 * classic.BN_PER_CLASS:,} training photos",
        "seeds": list(seeds or classic.SEEDS),
        "runs": runs,
    }


def residual_runs(seeds=None) -> dict:
    """Chapter 17's deep net without and with skips (helpers.classic.train_deep), each seed."""
    from helpers import classic

    runs = []
    for seed in seeds or classic.SEEDS:
        for variant in classic.RESIDUAL_VARIANTS:
            r = classic.train_deep(variant, seed)
            three = classic.validation_three_ways(r)
            runs.append({**_fashion_record(r, variant=variant), **three})
            common.log(
                f"  seed {seed} {variant:10s}: loss {r.history['loss'][-1]:.3f}, validation "
                f"{' / '.join(f'{v:.3f}' for v in three.values())} ({r.seconds:.1f} s)"
            )
    return {
        "recipe": f"classic.train_deep(variant, seed): depth {classic.DEPTH}, width {classic.DEEP_WIDTH}, "
        f"Adam 0.001, {classic.DEEP_EPOCHS} epochs, batch 64, "
        f"{10 * classic.DEEP_PER_CLASS:,} training photos; then classic.validation_three_ways(run)",
        "seeds": list(seeds or classic.SEEDS),
        "runs": runs,
    }


# ------------------------------------------------------------------ chapter 18 (helpers.optim)
_CH18_RUNS: dict = {}  # one recipe trains once per process: the experiments share runs


def _ch18_run(seed: int, optimizer: str, learning_rate: float, scale: str = "unit") -> dict:
    """helpers.optim's network trained by helpers.fashion.train on the recorded recipe."""
    from helpers import fashion, optim

    key = (seed, optimizer, learning_rate, scale)
    if key not in _CH18_RUNS:
        r = fashion.train(
            optim.NAME,
            optim.build,
            seed,
            epochs=optim.EPOCHS,
            batch_size=optim.BATCH_SIZE,
            optimizer_name=optimizer,
            learning_rate=learning_rate,
            scale=scale,
            per_class=optim.PER_CLASS,
        )
        _CH18_RUNS[key] = optim.record_row(r, optimizer=optimizer, learning_rate=learning_rate, scale=scale)
        common.log(
            f"  seed {seed} {optimizer:8s} lr {learning_rate:g} {scale:8s}: loss {r.history['loss'][-1]:.3f} "
            f"val {r.history['val_accuracy'][-1]:.3f} ({r.seconds:.1f} s)"
        )
    return _CH18_RUNS[key]


def _ch18_recipe() -> str:
    from helpers import optim

    return (
        f"fashion.train(optim.NAME, optim.build, seed, epochs={optim.EPOCHS}, batch_size={optim.BATCH_SIZE}, "
        f"per_class={optim.PER_CLASS}, ...)"
    )


def optimisers(seeds=None) -> dict:
    """Chapter 18: SGD, momentum and Adam, each at Keras's default learning rate, for each seed."""
    from helpers import optim

    seeds = list(seeds or optim.SEEDS)
    runs = [_ch18_run(s, name, lr) for s in seeds for name, lr in optim.DEFAULT_RATES.items()]
    return {"recipe": _ch18_recipe(), "seeds": seeds, "runs": runs}


def optimisers_quiz() -> dict:
    """Chapter 18's exercise 1: the three optimisers of ``optimisers`` on a seed of its own, so
    that the quiz's curves are none of those the chapter shows labelled."""
    from helpers.exercises import part4

    return optimisers(seeds=[part4.QUIZ_SEED])


def learning_rates(seeds=None) -> dict:
    """Chapter 18: Adam and plain SGD, each at a too small, a good and a too large learning rate,
    for each seed."""
    from helpers import optim

    seeds = list(seeds or optim.SEEDS)
    rates = [("adam", lr) for lr in optim.ADAM_RATES] + [("sgd", lr) for lr in optim.SGD_RATES]
    runs = [_ch18_run(s, name, lr) for s in seeds for name, lr in rates]
    return {"recipe": _ch18_recipe(), "seeds": seeds, "runs": runs}


def lr_schedule(seeds=None) -> dict:
    """Chapter 18: Adam at a constant rate against the same rate decayed by a cosine, for each seed."""
    from helpers import optim

    seeds = list(seeds or optim.SEEDS)
    runs = []
    for seed in seeds:
        for kind in ("constant", "cosine"):
            r = optim.train(seed, kind)
            runs.append(optim.record_row(r, kind=kind, learning_rate=optim.SCHEDULE_RATE))
            common.log(
                f"  seed {seed} {kind:8s}: loss {r.history['loss'][-1]:.3f} "
                f"val {r.history['val_accuracy'][-1]:.3f}"
            )
    return {
        "recipe": f"optim.train(seed, kind), Adam {optim.SCHEDULE_RATE:g}, {optim.EPOCHS} epochs, "
        f"per_class={optim.PER_CLASS}",
        "seeds": seeds,
        "runs": runs,
    }


def inputs(seeds=None) -> dict:
    """Chapter 18: the photos scaled 0-1, standardised or raw 0-255, trained with Adam and with
    SGD, for each seed; and the share of conv1's ReLU outputs dead at initialisation."""
    from helpers import optim

    seeds = list(seeds or optim.SEEDS)
    runs = [
        _ch18_run(s, name, lr, scale)
        for s in seeds
        for name, lr in optim.INPUT_OPTIMIZERS
        for scale in optim.SCALES
    ]
    dead = []
    for s in seeds:
        for scale in optim.SCALES:
            d = optim.dead_at_init(scale, s)
            dead.append({"seed": s, "scale": scale, **d})
            common.log(
                f"  seed {s} {scale:8s}: conv1 dead {100 * d['share']:.2f} %, "
                f"zero {100 * d['zero_share']:.1f} %"
            )
    return {"recipe": _ch18_recipe(), "seeds": seeds, "runs": runs, "dead_at_init": dead}


#: chapter 19's fine-tuning learning rates, compared on the target task's 10 photos per class
TRANSFER_RATES = (1e-4, 1e-3, 1e-2)


def transfer_runs(seeds=None) -> dict:
    """Chapter 19: for each seed, the small base pretrained on Fashion-MNIST classes 0-4, then
    classes 5-9 learnt with 10, 50 and 600 training photos per class by a new head on the frozen
    base, by the fine-tuned base and from scratch (helpers.transfer.compare); and, with 10 photos
    per class, the fine-tuning at each of ``TRANSFER_RATES`` (accuracy, how far the base's weights
    moved, the validation accuracy of every fine-tuning epoch)."""
    from helpers import transfer

    seeds = list(seeds or transfer.SEEDS)
    runs, rates, pretrained = [], [], []
    for seed in seeds:
        t0 = time.perf_counter()
        p = transfer.pretrain(seed)
        pretrained.append(
            {
                "seed": seed,
                "test_accuracy": p.test_accuracy,
                "history": p.history,
                "seconds": time.perf_counter() - t0,
            }
        )
        common.log(f"  seed {seed} pretrained: source test {p.test_accuracy:.3f}")
        for per_class in transfer.PER_CLASS:
            t0 = time.perf_counter()
            r = transfer.compare(per_class, seed, p)
            runs.append({**r, "seconds": time.perf_counter() - t0})
            common.log(
                f"  seed {seed} {per_class:3d}/class: frozen {r['frozen']:.3f} fine {r['fine_tuned']:.3f} "
                f"scratch {r['scratch']:.3f}"
            )
        data = transfer.task(transfer.TARGET, transfer.PER_CLASS[0], seed)
        for lr in TRANSFER_RATES:
            tp = transfer.two_phase(p, data, seed, transfer.EPOCHS[transfer.PER_CLASS[0]], fine_lr=lr)
            rates.append(
                {
                    "seed": seed,
                    "per_class": transfer.PER_CLASS[0],
                    "fine_lr": lr,
                    "frozen": tp.frozen_accuracy,
                    "fine_tuned": tp.fine_accuracy,
                    "drift": tp.drift,
                    "fine_val_accuracy": tp.fine_val_accuracy,
                }
            )
            common.log(f"  seed {seed} fine lr {lr:g}: {tp.frozen_accuracy:.3f} -> {tp.fine_accuracy:.3f}")
    return {
        "recipe": f"transfer.pretrain(seed), then transfer.compare(per_class, seed) for "
        f"{transfer.PER_CLASS}; "
        f"transfer.two_phase at fine_lr {TRANSFER_RATES} with {transfer.PER_CLASS[0]} photos per class",
        "seeds": seeds,
        "pretrained": pretrained,
        "runs": runs,
        "rates": rates,
    }


def augmentation_runs(seeds=None) -> dict:
    """Chapter 20: the small network without and with augmentation on 100 photos of each class."""
    from helpers import augment

    runs = []
    for seed in seeds or augment.SEEDS:
        for aug in (False, True):
            r = augment.train(aug, seed)
            runs.append(augment.record_row(r, augmentation=aug))
            common.log(
                f"  seed {seed} augmentation {aug!s:5s}: val {r.history['val_accuracy'][-1]:.3f} "
                f"clean train {r.clean_accuracy:.3f} test {r.test_accuracy:.3f} ({r.seconds:.1f} s)"
            )
    return {
        "recipe": f"augment.train(augmentation, seed): Adam 0.001, {augment.EPOCHS} epochs, batch 64, "
        f"{augment.PER_CLASS} training photos per class",
        "seeds": list(seeds or augment.SEEDS),
        "runs": runs,
    }


def augmentation_shoes(seeds=None) -> dict:
    """Chapter 20: the recipe of ``augmentation_runs`` with the other augmentations of
    helpers.augment, each seed: a flip that spares the shoes, the same flip sparing nothing (both
    on the batches, with the shift layer) and the shift alone; and the test accuracy of every class."""
    from helpers import augment, fashion

    test = fashion.splits("unit")["test"]
    runs = []
    for seed in seeds or augment.SEEDS:
        for name in augment.VARIANTS[2:]:
            r = augment.train(name, seed)
            per_class = augment.per_class_accuracy(test.labels, augment.predictions(r.model, test))
            runs.append(augment.record_row(r, variant=name, test_per_class=per_class.tolist()))
            common.log(
                f"  seed {seed} {name:17s}: val {r.history['val_accuracy'][-1]:.3f} "
                f"clean train {r.clean_accuracy:.3f} test {r.test_accuracy:.3f} ({r.seconds:.1f} s)"
            )
    return {
        "recipe": f"augment.train(variant, seed): Adam 0.001, {augment.EPOCHS} epochs, batch 64, "
        f"{augment.PER_CLASS} training photos per class",
        "seeds": list(seeds or augment.SEEDS),
        "runs": runs,
    }


def confusions(seeds=None) -> dict:
    """Chapter 20: the small network on all 6,000 training photos, and its confusion matrix on the
    1,000 test photos, for each seed."""
    from helpers import augment, fashion

    test = fashion.splits("unit")["test"]
    runs = []
    for seed in seeds or augment.SEEDS:
        r = augment.train(False, seed, epochs=augment.FULL_EPOCHS, per_class=None)
        matrix = augment.confusion_matrix(test.labels, augment.predictions(r.model, test))
        runs.append(
            {
                **augment.record_row(r),
                "confusion": matrix.tolist(),
                "top_pairs": [list(p) for p in augment.confused_pairs(matrix, 5)],
            }
        )
        common.log(f"  seed {seed}: test {r.test_accuracy:.3f}, pairs {augment.confused_pairs(matrix, 3)}")
    return {
        "recipe": f"augment.train(False, seed, epochs={augment.FULL_EPOCHS}, per_class=None): Adam 0.001, "
        "batch 64, 6,000 training photos; confusion matrix on the 1,000 test photos",
        "seeds": list(seeds or augment.SEEDS),
        "runs": runs,
    }


# The in-page training engine's recipes (helpers/interactive/static/cnntrain.js): the chapter-16
# design in the engine's format, Adam as chapter 16 trains it, and the short training the Node
# test runs (every 4th training digit, 2 epochs), whose validation accuracy over Keras seeds is
# the range tests/js/cnntrain.test.js asserts for the engine.
CNNTRAIN_RECIPE = {
    "design": [
        {"kind": "conv", "filters": 8, "kernel": 3, "activation": "relu"},
        {"kind": "maxpool"},
        {"kind": "conv", "filters": 16, "kernel": 3, "activation": "relu"},
        {"kind": "maxpool"},
        {"kind": "flatten"},
        {"kind": "dense", "units": 10, "activation": "softmax"},
    ],
    "batch_size": 32,
    "learning_rate": 0.003,
    "every": 4,
    "epochs": 2,
}


def _cnntrain_node(mode: str, seed: int) -> dict:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; the engine's side needs Node 20")
    script = common.ROOT / "benchmarks" / "cnntrain_node.js"
    out = subprocess.run(
        [node, str(script), mode, str(seed), json.dumps(CNNTRAIN_RECIPE)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(out.stdout)


def cnntrain_seeds(keras_seeds=tuple(range(10)), engine_seeds=(0, 1, 2, 3, 4)) -> dict:
    """The short training of the Node test (CNNTRAIN_RECIPE) in Keras (helpers.digitnet's
    network: the same design, Adam, batch, data) for each seed, and in the engine (Node), which
    draws other initial weights and another batch order than Keras for the same seed: the
    validation accuracy after the last epoch."""
    from helpers import digitnet

    r = CNNTRAIN_RECIPE
    parts = digitnet.load_split()
    tr, va = parts["train"], parts["validation"]
    rows = np.arange(len(tr)) % r["every"] == 0
    keras_runs = []
    for seed in keras_seeds:
        tfenv.set_determinism(seed)
        model = digitnet.build_model()
        h = model.fit(
            tr.x[rows],
            tr.y[rows],
            validation_data=(va.x, va.y),
            epochs=r["epochs"],
            batch_size=r["batch_size"],
            shuffle=True,
            verbose=0,
        )
        keras_runs.append({"seed": seed, "val_accuracy": float(h.history["val_accuracy"][-1])})
        common.log(f"  Keras seed {seed}: validation {keras_runs[-1]['val_accuracy']:.3f}")
    engine_runs = []
    for seed in engine_seeds:
        out = _cnntrain_node("short", seed)
        engine_runs.append({"seed": seed, "val_accuracy": out["val_accuracy"], "seconds": out["seconds"]})
        common.log(f"  engine seed {seed}: validation {out['val_accuracy']:.3f} ({out['seconds']:.1f} s)")
    return {
        "recipe": r,
        "learning_rate_keras": digitnet.LEARNING_RATE,
        "data": f"every {r['every']}th of the 4,000 training digits; the 500 validation digits",
        "keras": keras_runs,
        "engine": engine_runs,
    }


EXPERIMENTS = {
    "digits-scaling": digits_scaling,
    "digits-no-pool": digits_no_pool,
    "overfit": overfit_runs,
    "curves-quiz": curves_quiz,
    "digitnet-seeds": digitnet_seeds,
    "digitnet-drawn": digitnet_drawn,
    "digitnet-drawn-small": lambda: digitnet_drawn(filters=(8, 16)),
    "catsdogs-timing": catsdogs_timing,
    "classic-designs": classic_designs,
    "batchnorm": batchnorm_runs,
    "residual": residual_runs,
    "optimisers": optimisers,
    "optimisers-quiz": optimisers_quiz,
    "learning-rates": learning_rates,
    "lr-schedule": lr_schedule,
    "inputs": inputs,
    "transfer": transfer_runs,
    "augmentation": augmentation_runs,
    "augmentation-shoes": augmentation_shoes,
    "confusions": confusions,
    "cnntrain-seeds": cnntrain_seeds,
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated: " + ", ".join(EXPERIMENTS))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(EXPERIMENTS)
    unknown = set(names) - set(EXPERIMENTS)
    if unknown:
        ap.error(f"unknown experiment(s) {sorted(unknown)}; choose from {', '.join(EXPERIMENTS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        common.log(f"[experiments] {name} ...")
        machine, t0 = common.machine(), time.perf_counter()
        record = {
            "experiment": name,
            "measured_at": common.now(),
            "machine": machine,
            **EXPERIMENTS[name](),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        path = args.out / f"{name}.json"
        partial = path.with_name(f".{path.name}.partial")  # a reader never sees half a record
        partial.write_text(json.dumps(record, indent=1) + "\n")
        partial.replace(path)
        common.log(f"[experiments] {name} done in {record['seconds']} s -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

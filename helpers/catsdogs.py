"""Train the corrected article model on the real cats-vs-dogs photos: the home run, opt-in.

First get the photos (download, verify, extract, scan: ``helpers.datasets``), then train:

    python -m helpers.datasets cats-vs-dogs --dest DIR
    python -m helpers.catsdogs --dest DIR --epochs 1 --steps-per-epoch 20    # a short trial first
    python -m helpers.catsdogs --dest DIR --epochs 5                          # the article's run

What a run does and leaves in ``DIR/training/`` (``--out`` to change it):

* every argument, the output folder and the class folders are checked first: a bad one is one
  line (``error: ...``) before any image is read or TensorFlow loads;
* the scan drops the files that cannot be decoded, and training leaves out any file TensorFlow
  still cannot decode; both are listed in ``result.json``, whose counts are of the images
  training, validation and test really saw;
* the file list is shuffled (seeded) *before* it is split into training, validation
  (``--val-fraction``) and a held-out test part (``--test-fraction``), so every part holds cats
  and dogs; images are streamed from disk (``datasets.make_datasets``), never held in memory;
* ``best.keras``: the model of the epoch with the lowest validation loss (a checkpoint), saved
  under a temporary name and renamed once complete;
* ``history.json``: loss, accuracy and seconds of every epoch, rewritten after each epoch, so an
  interrupted run keeps what it measured;
* the previous run's three files stay until this run writes its first file, then all go: the
  folder never mixes two runs. Ctrl-C, or a file that cannot be written (a full disk), ends the
  run with one line saying what was kept;
* the time of each epoch is printed, and per image, so a short trial (``--steps-per-epoch``)
  tells how long a full epoch takes on this machine;
* at the end the best model is evaluated once on the test part: ``result.json`` holds the test
  accuracy next to the counts, the skipped files and the history.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from . import datasets, tfenv, validate

DEFAULT_IMAGE_SIZE = (300, 300)  # the article's input
MAX_IMAGE_SIDE = 1024  # memory grows with the square of the side; the photos are smaller
BEST_MODEL = "best.keras"
PARTIAL_MODEL = ".best.partial.keras"  # best.keras while it is written (Keras wants .keras)
HISTORY = "history.json"
RESULT = "result.json"


def parse_image_size(size) -> tuple[int, int]:
    """``300`` or ``"300"`` -> (300, 300); ``"180x240"`` or ``(180, 240)`` -> (180, 240) (H x W)."""
    if isinstance(size, (tuple, list)):
        parts = list(size) if len(size) == 2 else []
    else:
        parts = str(size).lower().replace("×", "x").split("x")
    hw = ()
    if all(isinstance(p, str) or validate.is_integer(p) for p in parts):  # no bool, no float
        with contextlib.suppress(ValueError):  # text that is not a whole number
            hw = tuple(int(p) for p in parts)
    if len(hw) == 1:
        hw = hw * 2
    if len(hw) != 2 or len(parts) not in (1, 2) or min(hw) < 6 or max(hw) > MAX_IMAGE_SIDE:
        raise ValueError(
            f"image size must be N or HxW with sides from 6 to {MAX_IMAGE_SIDE} "
            f"(e.g. 300 or 180x240), got {size!r}"
        )
    return hw


def _write_json(path: Path, data) -> None:
    datasets.write_atomic(path, json.dumps(data, indent=1))


def _check_fractions(val_fraction, test_fraction) -> None:
    if not (val_fraction > 0 and test_fraction > 0 and val_fraction + test_fraction < 1):
        raise ValueError(
            f"the fractions (--val-fraction, --test-fraction) must be > 0 with a sum "
            f"< 1, got {val_fraction} and {test_fraction}"
        )


def _check_out(out: Path) -> None:
    """Check, before any work and without creating anything, that ``out`` can be created (if
    missing) and written: the nearest folder that exists must take a file."""
    there = out
    while not there.exists():
        there = there.parent
    if not there.is_dir():
        raise datasets.DatasetError(f"{there} is a file, not a folder: give --out a folder")
    try:
        with tempfile.TemporaryFile(dir=there):  # unnamed: nothing is left behind
            pass
    except OSError as err:
        raise datasets.DatasetError(
            f"cannot write into {there} ({err.strerror}): give --out a folder you can write to"
        ) from None


class _Run:
    """The files one training writes in ``out``, and what is left of them if it stops early.

    The previous run's files stay as they are until this run has a file of its own to write
    (``begin``); then all three go, since they describe the model being replaced."""

    def __init__(self, out: Path):
        self.out, self.started, self.epochs, self.best_epoch = out, False, 0, None

    def begin(self) -> None:
        if not self.started:
            for name in (RESULT, HISTORY, BEST_MODEL):
                (self.out / name).unlink(missing_ok=True)
            self.started = True

    def kept(self) -> str:
        if not self.started:
            return f"this run wrote nothing, {self.out} is kept as it was"
        kept = [f"{HISTORY} ({self.epochs} epochs)"] if self.epochs else []
        kept += [f"{BEST_MODEL} (epoch {self.best_epoch})"] if self.best_epoch else []
        return f"kept in {self.out}: {' and '.join(kept) or 'nothing'}, no {RESULT}"

    def cannot_write(self, name: str, err: OSError) -> datasets.DatasetError:
        full = err.errno in datasets.DISK_FULL
        return datasets.DatasetError(
            f"cannot write {name} in {self.out} ({err.strerror or err}); {self.kept()}; "
            + ("free some space and run again" if full else "check the folder and run again")
        )


def _best_model(keras, run: _Run):
    """A checkpoint of the model with the lowest validation loss so far: written to a temporary
    name, then renamed, so ``best.keras`` is always a complete model."""

    class BestModel(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.best = math.inf

        def on_epoch_end(self, epoch, logs=None):
            loss = float((logs or {}).get("val_loss", math.nan))
            if not loss < self.best:
                return
            partial = run.out / PARTIAL_MODEL
            try:
                self.model.save(partial)
                run.begin()
                os.replace(partial, run.out / BEST_MODEL)
            except OSError as err:
                raise run.cannot_write(BEST_MODEL, err) from None
            finally:  # after a failure or Ctrl-C (after the rename there is none)
                partial.unlink(missing_ok=True)
            self.best, run.best_epoch = loss, epoch + 1

    return BestModel()


def split_streams(
    files,
    labels,
    *,
    image_size,
    batch_size: int,
    val_fraction: float,
    test_fraction: float,
    seed: int,
    stats: datasets.StreamStats | None = None,
):
    """Streaming (train, val, test) pipelines and their sizes in images.

    ``datasets.make_datasets`` shuffles the file list once (seeded) and holds out the first
    ``val_fraction + test_fraction`` of it, unshuffled; that held-out stream is cut into the
    validation images (the first ``n_val``) and the test images (the rest). ``stats`` (a
    ``datasets.StreamStats``) counts the files the streams deliver.
    """
    _check_fractions(val_fraction, test_fraction)
    n = len(files)
    n_held = max(1, round(n * (val_fraction + test_fraction)))  # as make_datasets counts
    n_test = round(n * test_fraction)
    n_val = n_held - n_test
    if min(n_val, n_test, n - n_held) < 1:
        raise ValueError(
            f"{n} images are too few for a training, validation and test part "
            f"({n - n_held}, {n_val}, {n_test}): use more images or other fractions"
        )
    train, held = datasets.make_datasets(
        files,
        labels,
        image_size=image_size,
        batch_size=batch_size,
        val_fraction=n_held / n,
        seed=seed,
        stats=stats,
    )
    held = held.unbatch()
    val = held.take(n_val).batch(batch_size).prefetch(2)
    test = held.skip(n_val).batch(batch_size).prefetch(2)
    return (train, val, test), {"train": n - n_held, "validation": n_val, "test": n_test}


def _epoch_logger(keras, run: _Run, epochs: int, sizes: dict, steps: dict, batch_size: int, log):
    """A callback that times every epoch (training and validation apart), prints one line per
    epoch and rewrites history.json after each one."""

    class EpochLog(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.history: dict[str, list] = {}

        def on_epoch_begin(self, epoch, logs=None):
            self._t0, self._val_seconds = time.perf_counter(), 0.0

        def on_test_begin(self, logs=None):
            self._v0 = time.perf_counter()

        def on_test_end(self, logs=None):
            self._val_seconds += time.perf_counter() - self._v0

        def on_epoch_end(self, epoch, logs=None):
            total = time.perf_counter() - self._t0
            row = {k: float(v) for k, v in (logs or {}).items()}
            row.update(seconds=total, validation_seconds=self._val_seconds)
            for key, value in row.items():
                self.history.setdefault(key, []).append(value)
            try:
                run.begin()
                _write_json(run.out / HISTORY, self.history)
            except OSError as err:
                raise run.cannot_write(HISTORY, err) from None
            run.epochs = epoch + 1
            n_train = min(sizes["train"], steps.get("steps_per_epoch", math.inf) * batch_size)
            n_val = min(sizes["validation"], steps.get("validation_steps", math.inf) * batch_size)
            train_s = total - self._val_seconds
            log(
                f"epoch {epoch + 1}/{epochs}: {total:.1f} s "
                f"(training {1e3 * train_s / n_train:.1f} ms per image, validation "
                f"{1e3 * self._val_seconds / n_val:.1f} ms per image) | loss {row.get('loss', math.nan):.4f} "
                f"accuracy {row.get('accuracy', math.nan):.4f} val_loss {row.get('val_loss', math.nan):.4f} "
                f"val_accuracy {row.get('val_accuracy', math.nan):.4f}"
            )
            if steps:  # a short trial: what a full epoch would take at the same speed
                full = train_s / n_train * sizes["train"] + self._val_seconds / n_val * sizes["validation"]
                log(
                    f"  at this speed a full epoch ({sizes['train']:,} training + {sizes['validation']:,} "
                    f"validation images) takes about {full / 60:.1f} min"
                )

    return EpochLog()


def _seen(stats: datasets.StreamStats, sizes: dict, train_read_whole: bool):
    """The sizes of what training, validation and test really saw, and the files TensorFlow
    could not decode, from ``stats`` after the final evaluation (which reads the held-out
    files whole; the training files are read whole by every full epoch, not by a short trial)."""
    n_held = sizes["validation"] + sizes["test"]  # make_datasets holds out the first n_held
    lost_held = stats.dropped(slice(0, n_held))
    lost_train = stats.dropped(slice(n_held, None)) if train_read_whole else []
    delivered = n_held - len(lost_held)  # validation takes the first of them, test the rest
    n_val = min(sizes["validation"], delivered)
    seen = {"train": sizes["train"] - len(lost_train), "validation": n_val, "test": delivered - n_val}
    return seen, lost_held + lost_train


def train(
    root,
    out,
    *,
    epochs: int = 5,
    batch_size: int = 128,
    image_size=DEFAULT_IMAGE_SIZE,
    val_fraction: float = 0.2,
    test_fraction: float = 0.1,
    seed: int = 0,
    steps_per_epoch: int | None = None,
    validation_steps: int | None = None,
    verbose: int | str = "auto",
    log=print,
) -> dict:
    """Train the corrected article model on ``root/Cat`` and ``root/Dog``; results in ``out``.

    Returns (and writes to ``out/result.json``) the counts, the skipped files, the per-epoch
    history with seconds, the best epoch (lowest validation loss) and the test accuracy of the
    model saved at that epoch (``out/best.keras``). ``steps_per_epoch`` limits each epoch (a
    short trial); ``validation_steps`` then defaults to the same number. The counts are of the
    images the streams delivered (in a short trial the training part is not read whole, so only
    its planned size is known). Ctrl-C raises ``datasets.Interrupted``, a file that cannot be
    written ``datasets.DatasetError``, each saying what was kept.
    """
    from .models import article_cnn

    epochs = validate.positive_integer("epochs", epochs)
    batch_size = validate.positive_integer("batch_size", batch_size)
    if steps_per_epoch is not None:
        steps_per_epoch = validate.positive_integer("steps_per_epoch", steps_per_epoch)
    if validation_steps is not None:
        validation_steps = validate.positive_integer("validation_steps", validation_steps)
    image_size = parse_image_size(image_size)
    _check_fractions(val_fraction, test_fraction)
    out = Path(out)
    _check_out(out)
    scan = datasets.scan_images(root)
    if len(set(scan.labels)) < 2:
        raise ValueError(f"{root} needs images of both classes {datasets.CLASSES}, found {scan.counts()}")
    out.mkdir(parents=True, exist_ok=True)
    keras, tf = tfenv.keras(), tfenv.tensorflow()
    tfenv.set_determinism(seed)
    stats = datasets.StreamStats()
    (train_ds, val_ds, test_ds), sizes = split_streams(
        scan.files,
        scan.labels,
        image_size=image_size,
        batch_size=batch_size,
        val_fraction=val_fraction,
        test_fraction=test_fraction,
        seed=seed,
        stats=stats,
    )
    gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
    log(
        f"images: {sizes['train']:,} training, {sizes['validation']:,} validation, {sizes['test']:,} test "
        f"({len(scan.skipped)} unusable files skipped); {image_size[0]}x{image_size[1]} pixels, "
        f"batch {batch_size}; devices: {', '.join(gpus) if gpus else 'CPU only'}"
    )
    model = article_cnn.corrected_model((*image_size, 3))
    steps = {}
    if steps_per_epoch:  # a short trial: repeat so that no epoch runs dry
        steps = {
            "steps_per_epoch": int(steps_per_epoch),
            "validation_steps": int(validation_steps or steps_per_epoch),
        }
        train_ds, val_ds = train_ds.repeat(), val_ds.repeat()
    elif validation_steps:
        steps = {"validation_steps": int(validation_steps)}
        val_ds = val_ds.repeat()
    run = _Run(out)
    logger = _epoch_logger(keras, run, epochs, sizes, steps, batch_size, log)
    try:
        with warnings.catch_warnings():
            # The streams skip undecodable files, so their length is unknown until a first pass
            # ends; Keras 3 then warns "Your input ran out of data" although nothing is wrong.
            warnings.filterwarnings("ignore", message="Your input ran out of data")
            # shuffle=False: the pipeline already reshuffles the file list every epoch.
            model.fit(
                train_ds,
                validation_data=val_ds,
                epochs=epochs,
                verbose=verbose,
                shuffle=False,
                callbacks=[_best_model(keras, run), logger],
                **steps,
            )
            if run.best_epoch is None:
                raise datasets.DatasetError(
                    f"no epoch reached a finite validation loss (the training "
                    f"diverged), so no model was saved; {run.kept()}"
                )
            history = logger.history
            best = keras.models.load_model(out / BEST_MODEL)
            test_loss, test_accuracy = best.evaluate(test_ds, verbose=0)
    except KeyboardInterrupt:
        raise datasets.Interrupted(
            f"training interrupted after {run.epochs} of {epochs} epochs; "
            f"{run.kept()}; run the same command again to start over"
        ) from None
    best_epoch = run.best_epoch
    sizes, lost = _seen(stats, sizes, train_read_whole="steps_per_epoch" not in steps)
    used = scan.leave_out(lost, "TensorFlow cannot decode it: left out of training")
    if lost:
        log(
            f"{len(lost)} file{'s' * (len(lost) != 1)} TensorFlow cannot decode left out of training "
            f"(listed in {out / RESULT})"
        )
    log(
        f"best epoch {best_epoch} (lowest val_loss {history['val_loss'][best_epoch - 1]:.4f}), saved in "
        f"{out / BEST_MODEL}; test accuracy of that model on {sizes['test']:,} held-out images: "
        f"{test_accuracy:.4f}"
    )
    result = {
        "counts": used.counts(),
        "skipped": used.skipped,
        "sizes": sizes,
        "image_size": list(image_size),
        "batch_size": batch_size,
        "seed": seed,
        "steps": steps,
        "devices": gpus or ["CPU"],
        "parameters": int(model.count_params()),
        "history": history,
        "best_epoch": best_epoch,
        "test_loss": float(test_loss),
        "test_accuracy": float(test_accuracy),
    }
    try:
        _write_json(out / RESULT, result)
    except OSError as err:
        raise run.cannot_write(RESULT, err) from None
    return result


def main(argv=None) -> int:
    positive = datasets.positive(int)
    parser = datasets.CommandLine(prog="python -m helpers.catsdogs", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dest",
        type=datasets.folder,
        required=True,
        help="the folder of 'python -m helpers.datasets cats-vs-dogs' "
        "(it holds PetImages/Cat and PetImages/Dog)",
    )
    parser.add_argument(
        "--out",
        type=datasets.folder,
        default=None,
        help="folder for best.keras, history.json, result.json (default: DEST/training)",
    )
    parser.add_argument("--epochs", type=positive, default=5)
    parser.add_argument("--batch-size", type=positive, default=128)
    parser.add_argument(
        "--image-size",
        type=datasets.as_argument(parse_image_size),
        default="300",
        help=f"N or HxW, sides 6 to {MAX_IMAGE_SIDE} (default 300, the article's)",
    )
    parser.add_argument("--val-fraction", type=float, default=0.2)
    parser.add_argument("--test-fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--steps-per-epoch",
        type=positive,
        default=None,
        help="batches per epoch (a short trial to time the machine, e.g. 20)",
    )
    parser.add_argument("--validation-steps", type=positive, default=None)
    args = parser.parse_args(argv)
    dest = Path(args.dest)
    return datasets.run_command(
        lambda: train(
            dest / "PetImages",
            Path(args.out) if args.out else dest / "training",
            epochs=args.epochs,
            batch_size=args.batch_size,
            image_size=args.image_size,
            val_fraction=args.val_fraction,
            test_fraction=args.test_fraction,
            seed=args.seed,
            steps_per_epoch=args.steps_per_epoch,
            validation_steps=args.validation_steps,
        )
    )


if __name__ == "__main__":
    sys.exit(main())

"""Train the corrected article model on the real cats-vs-dogs photos: the home run, opt-in.

First get the photos (download, verify, extract, scan: ``helpers.datasets``), then train:

    python -m helpers.datasets cats-vs-dogs --dest DIR
    python -m helpers.catsdogs --dest DIR --epochs 1 --steps-per-epoch 20    # a short trial first
    python -m helpers.catsdogs --dest DIR --epochs 5                          # the article's run

What a run does and leaves in ``DIR/training/`` (``--out`` to change it):

* the scan drops the files that cannot be decoded (listed in ``result.json``);
* the file list is shuffled (seeded) *before* it is split into training, validation
  (``--val-fraction``) and a held-out test part (``--test-fraction``), so every part holds cats
  and dogs; images are streamed from disk (``datasets.make_datasets``), never held in memory;
* ``best.keras``: the model of the epoch with the lowest validation loss (a checkpoint);
* ``history.json``: loss, accuracy and seconds of every epoch, rewritten after each epoch, so an
  interrupted run keeps what it measured;
* the time of each epoch is printed, and per image, so a short trial (``--steps-per-epoch``)
  tells how long a full epoch takes on this machine;
* at the end the best model is evaluated once on the test part: ``result.json`` holds the test
  accuracy next to the counts, the skipped files and the history.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path

from . import datasets, tfenv

DEFAULT_IMAGE_SIZE = (300, 300)  # the article's input
BEST_MODEL = "best.keras"
HISTORY = "history.json"
RESULT = "result.json"


def parse_image_size(size) -> tuple[int, int]:
    """``300`` or ``"300"`` -> (300, 300); ``"180x240"`` or ``(180, 240)`` -> (180, 240) (H x W)."""
    if isinstance(size, (tuple, list)):
        parts = list(size) if len(size) == 2 else []
    else:
        parts = str(size).lower().replace("×", "x").split("x")
    try:
        hw = () if any(isinstance(p, bool) for p in parts) else tuple(int(p) for p in parts)
    except (TypeError, ValueError):
        hw = ()
    if len(hw) == 1:
        hw = hw * 2
    if len(hw) != 2 or len(parts) not in (1, 2) or min(hw) < 6:
        raise ValueError(f"image size must be N or HxW with sides >= 6 (e.g. 300 or 180x240), got {size!r}")
    return hw


def _write_json(path: Path, data) -> None:
    """Write ``data`` as JSON atomically (a reader never sees half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, path)


def split_streams(files, labels, *, image_size, batch_size: int, val_fraction: float,
                  test_fraction: float, seed: int):
    """Streaming (train, val, test) pipelines and their sizes in images.

    ``datasets.make_datasets`` shuffles the file list once (seeded) and holds out the first
    ``val_fraction + test_fraction`` of it, unshuffled; that held-out stream is cut into the
    validation images (the first ``n_val``) and the test images (the rest).
    """
    if not (val_fraction > 0 and test_fraction > 0 and val_fraction + test_fraction < 1):
        raise ValueError(f"val_fraction and test_fraction must be > 0 with a sum < 1, "
                         f"got {val_fraction} and {test_fraction}")
    n = len(files)
    n_held = max(1, round(n * (val_fraction + test_fraction)))  # as make_datasets counts
    n_test = round(n * test_fraction)
    n_val = n_held - n_test
    if min(n_val, n_test, n - n_held) < 1:
        raise ValueError(f"{n} images are too few for a training, validation and test part "
                         f"({n - n_held}, {n_val}, {n_test}): use more images or other fractions")
    train, held = datasets.make_datasets(files, labels, image_size=image_size, batch_size=batch_size,
                                         val_fraction=n_held / n, seed=seed)
    held = held.unbatch()
    val = held.take(n_val).batch(batch_size).prefetch(2)
    test = held.skip(n_val).batch(batch_size).prefetch(2)
    return (train, val, test), {"train": n - n_held, "validation": n_val, "test": n_test}


def _epoch_logger(keras, out: Path, epochs: int, sizes: dict, steps: dict, batch_size: int, log):
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
            _write_json(out / HISTORY, self.history)
            n_train = min(sizes["train"], steps.get("steps_per_epoch", math.inf) * batch_size)
            n_val = min(sizes["validation"], steps.get("validation_steps", math.inf) * batch_size)
            train_s = total - self._val_seconds
            log(f"epoch {epoch + 1}/{epochs}: {total:.1f} s "
                f"(training {1e3 * train_s / n_train:.1f} ms per image, validation "
                f"{1e3 * self._val_seconds / n_val:.1f} ms per image) | loss {row.get('loss', math.nan):.4f} "
                f"accuracy {row.get('accuracy', math.nan):.4f} val_loss {row.get('val_loss', math.nan):.4f} "
                f"val_accuracy {row.get('val_accuracy', math.nan):.4f}")
            if steps:  # a short trial: what a full epoch would take at the same speed
                full = (train_s / n_train * sizes["train"] + self._val_seconds / n_val * sizes["validation"])
                log(f"  at this speed a full epoch ({sizes['train']:,} training + {sizes['validation']:,} "
                    f"validation images) takes about {full / 60:.1f} min")

    return EpochLog()


def train(root, out, *, epochs: int = 5, batch_size: int = 128, image_size=DEFAULT_IMAGE_SIZE,
          val_fraction: float = 0.2, test_fraction: float = 0.1, seed: int = 0,
          steps_per_epoch: int | None = None, validation_steps: int | None = None,
          verbose: int | str = "auto", log=print) -> dict:
    """Train the corrected article model on ``root/Cat`` and ``root/Dog``; results in ``out``.

    Returns (and writes to ``out/result.json``) the counts, the skipped files, the per-epoch
    history with seconds, the best epoch (lowest validation loss) and the test accuracy of the
    model saved at that epoch (``out/best.keras``). ``steps_per_epoch`` limits each epoch (a
    short trial); ``validation_steps`` then defaults to the same number.
    """
    from .models import article_cnn

    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    image_size = parse_image_size(image_size)
    out = Path(out)
    scan = datasets.scan_images(root)
    if len(set(scan.labels)) < 2:
        raise ValueError(f"{root} needs images of both classes {datasets.CLASSES}, found {scan.counts()}")
    keras, tf = tfenv.keras(), tfenv.tensorflow()
    tfenv.set_determinism(seed)
    (train_ds, val_ds, test_ds), sizes = split_streams(
        scan.files, scan.labels, image_size=image_size, batch_size=batch_size,
        val_fraction=val_fraction, test_fraction=test_fraction, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
    log(f"images: {sizes['train']:,} training, {sizes['validation']:,} validation, {sizes['test']:,} test "
        f"({len(scan.skipped)} unusable files skipped); {image_size[0]}x{image_size[1]} pixels, "
        f"batch {batch_size}; devices: {', '.join(gpus) if gpus else 'CPU only'}")
    model = article_cnn.corrected_model((*image_size, 3))
    steps = {}
    if steps_per_epoch:  # a short trial: repeat so that no epoch runs dry
        steps = {"steps_per_epoch": int(steps_per_epoch),
                 "validation_steps": int(validation_steps or steps_per_epoch)}
        train_ds, val_ds = train_ds.repeat(), val_ds.repeat()
    elif validation_steps:
        steps = {"validation_steps": int(validation_steps)}
        val_ds = val_ds.repeat()
    logger = _epoch_logger(keras, out, epochs, sizes, steps, batch_size, log)
    checkpoint = keras.callbacks.ModelCheckpoint(str(out / BEST_MODEL), monitor="val_loss",
                                                 save_best_only=True)
    with warnings.catch_warnings():
        # The streams skip undecodable files, so their length is unknown until a first pass
        # ends; Keras 3 then warns "Your input ran out of data" although nothing is wrong.
        warnings.filterwarnings("ignore", message="Your input ran out of data")
        # shuffle=False: the pipeline already reshuffles the file list every epoch.
        model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=verbose, shuffle=False,
                  callbacks=[checkpoint, logger], **steps)
        history = logger.history
        best_epoch = int(min(range(len(history["val_loss"])), key=history["val_loss"].__getitem__)) + 1
        best = keras.models.load_model(out / BEST_MODEL)
        test_loss, test_accuracy = best.evaluate(test_ds, verbose=0)
    log(f"best epoch {best_epoch} (lowest val_loss {history['val_loss'][best_epoch - 1]:.4f}), saved in "
        f"{out / BEST_MODEL}; test accuracy of that model on {sizes['test']:,} held-out images: "
        f"{test_accuracy:.4f}")
    result = {"counts": scan.counts(), "skipped": scan.skipped, "sizes": sizes,
              "image_size": list(image_size), "batch_size": batch_size, "seed": seed,
              "steps": steps, "devices": gpus or ["CPU"], "parameters": int(model.count_params()),
              "history": history, "best_epoch": best_epoch,
              "test_loss": float(test_loss), "test_accuracy": float(test_accuracy)}
    _write_json(out / RESULT, result)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.catsdogs", description=__doc__.split("\n")[0])
    parser.add_argument("--dest", required=True,
                        help="the folder of 'python -m helpers.datasets cats-vs-dogs' "
                             "(it holds PetImages/Cat and PetImages/Dog)")
    parser.add_argument("--out", default=None, help="folder for best.keras, history.json, result.json "
                                                    "(default: DEST/training)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--image-size", default="300", help="N or HxW (default 300, the article's)")
    parser.add_argument("--val-fraction", type=float, default=0.2)
    parser.add_argument("--test-fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps-per-epoch", type=int, default=None,
                        help="batches per epoch (a short trial to time the machine, e.g. 20)")
    parser.add_argument("--validation-steps", type=int, default=None)
    args = parser.parse_args(argv)
    dest = Path(args.dest)
    try:
        train(dest / "PetImages", Path(args.out) if args.out else dest / "training", epochs=args.epochs,
              batch_size=args.batch_size, image_size=parse_image_size(args.image_size),
              val_fraction=args.val_fraction, test_fraction=args.test_fraction, seed=args.seed,
              steps_per_epoch=args.steps_per_epoch, validation_steps=args.validation_steps)
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

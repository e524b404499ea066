"""Peak memory of training the corrected article model on the streaming cats-vs-dogs pipeline
(helpers.datasets.make_datasets), at a chosen batch size.

Generates N small JPEG files in a temporary folder (random pixels; no download), streams all
of them through the pipeline and prints the process's peak resident memory, then trains the
corrected article model for a few steps (``--train-steps``): the training peak that chapter
15 quotes. The streaming peak alone, extrapolated to 23,000 images, is a row of ``make bench``
(benchmarks/bench_loader.py); this script adds the training step, which bench_loader does not
measure. Not a unit test: it takes minutes for N = 23,000.

    python benchmarks/stream_memory.py --images 23000 [--train-steps 5]
"""

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers import data, datasets, fmt, tfenv
from helpers.models import article_cnn


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=23_000)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--train-steps", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "PetImages"
        files, labels = [], []
        for name in datasets.CLASSES:
            (root / name).mkdir(parents=True)
        buf = io.BytesIO()
        for i in range(args.images):
            label = i % 2
            buf.seek(0), buf.truncate()
            Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(buf, "JPEG")
            path = root / datasets.CLASSES[label] / f"{i}.jpg"
            path.write_bytes(buf.getvalue())
            files.append(str(path)), labels.append(label)
        tfenv.tensorflow()
        print(
            f"{args.images:,} files written; peak RSS after importing TensorFlow: {peak_mb():,.0f} MB",
            flush=True,
        )
        train, val = datasets.make_datasets(files, labels, batch_size=args.batch_size, val_fraction=0.3)
        t0, n = time.perf_counter(), 0
        for ds in (train, val):
            for x, _ in ds:
                n += int(x.shape[0])
        print(
            f"streamed {n:,} images at 300x300x3 in {time.perf_counter() - t0:.0f} s; "
            f"peak RSS {peak_mb():,.0f} MB; in-memory float32 would be "
            f"{fmt.format_bytes(data.dataset_bytes(n, dtype='float32'))}",
            flush=True,
        )
        if args.train_steps:
            model = article_cnn.corrected_model()
            model.fit(train.repeat(), steps_per_epoch=args.train_steps, epochs=1, verbose=0, shuffle=False)
            print(
                f"after {args.train_steps} training steps at batch {args.batch_size}: "
                f"peak RSS {peak_mb():,.0f} MB"
            )


if __name__ == "__main__":
    main()

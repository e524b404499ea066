"""Train the in-page digit network (``helpers.digitnet``) with its seed and write the committed
export ``helpers/interactive/static/digitnet-weights.json`` (weights after every epoch, bit for
bit, and each epoch's metrics), plus the Node tests' fixture of Keras' outputs on every test
digit, ``tests/js/fixtures/digitnet-keras.json.gz``.

    .venv/bin/python scripts/export_digitnet.py            # seed helpers.digitnet.SEED
    .venv/bin/python scripts/export_digitnet.py --check    # retrain, compare, write nothing

``tests/test_digitnet.py`` retrains with the seed and checks that the export and the fixture
are what this script writes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from helpers import digitnet  # noqa: E402

FIXTURE = ROOT / "tests" / "js" / "fixtures" / "digitnet-keras.json.gz"


def fixture(run: digitnet.TrainingRun) -> dict:
    """Keras' probabilities for every test digit (and the digits themselves, uint8 as base64),
    for the Node test of the page's forward pass."""
    import base64

    test = digitnet.load_split()["test"]
    pixels = np.round(test.x[..., 0] * 255).astype(np.uint8)
    return {
        "about": "Keras' softmax outputs of the exported digitnet on every held-out test digit; "
                 "written by scripts/export_digitnet.py",
        "rows": test.rows.tolist(),
        "labels": test.y.tolist(),
        "pixels": base64.b64encode(pixels.tobytes()).decode("ascii"),
        "probabilities": [[float(p) for p in row] for row in run.test_probabilities.astype(np.float64)],
    }


def write_fixture(run, path=FIXTURE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:   # mtime=0: the same bytes on every run
        f.write(json.dumps(fixture(run), separators=(",", ":")).encode("ascii"))
    tmp.replace(path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=digitnet.SEED)
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare with the committed export; write nothing")
    args = parser.parse_args(argv)
    run = digitnet.train(seed=args.seed)
    print(f"trained in {run.seconds:.1f} s (fit), test accuracy {run.test_accuracy:.4f}, "
          f"{digitnet.parameter_count()} parameters")
    if args.check:
        new = digitnet.export(run)
        old = json.loads(digitnet.EXPORT_FILE.read_text())
        same = [a["weights"] == b["weights"] for a, b in zip(new["epochs"], old["epochs"])]
        print(f"epochs with bitwise identical weights: {sum(same)} of {len(same)}")
        return 0 if all(same) and len(new["epochs"]) == len(old["epochs"]) else 1
    path = digitnet.save_export(run)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    path = write_fixture(run)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""One Keras epoch of the in-page engine's benchmark case, timed, in a process of its own.

    python -m benchmarks.keras_epoch SEED

Builds chapter 16's network (``helpers.digitnet.build_model``: the design of
``experiments.CNNTRAIN_RECIPE``), fits one untimed epoch (TensorFlow's start-up and the graph
tracing), then times one more epoch of ``fit`` on the 4,000 training digits, batch 32, with the
500 validation digits evaluated at its end; prints one JSON line: the epoch's wall-clock and
process CPU seconds, and the threads TensorFlow was given (the caller sets them in the
environment: ``bench_playground`` runs it single-threaded, as the page's Web Worker trains, and
with TensorFlow's default threads).
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    seed = int(args[0]) if args else 0
    from helpers import digitnet, tfenv

    tfenv.set_determinism(seed)
    parts = digitnet.load_split()
    tr, va = parts["train"], parts["validation"]
    model = digitnet.build_model()

    def epoch():
        model.fit(tr.x, tr.y, validation_data=(va.x, va.y), epochs=1, batch_size=32, shuffle=True, verbose=0)

    epoch()  # untimed: start-up and tracing
    t0, c0 = time.perf_counter(), time.process_time()
    epoch()
    out = {
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - c0,
        "intra_op_threads": os.environ.get("TF_NUM_INTRAOP_THREADS", "default"),
        "train": len(tr.y),
        "validation": len(va.y),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

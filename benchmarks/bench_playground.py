"""The playground (chapter 21): does the page stay responsive while a network trains?

One row, with its goal: from a pointer move on the drawing pad to the repainted pad, 95th
percentile (goal ≤ 16 ms, one frame at 60 Hz), in Debian's Chromium, while the Web Worker
trains. The playground is served as the website serves it, without a site build
(``book.control_page``: the chapter's committed output, the control's files in
``_static/cnn/``; every request outside 127.0.0.1 blocked). The run is the reader's own
classes, the setting that sends the page the most messages: 3 classes with 60 drawings each
(``book.strokes``, drawn with the mouse; 5 in quick mode), the default design, batch 8 (a batch
message every few tens of ms, a view of the first layer's kernels and maps at most every
150 ms), 20 epochs, a run lasting about one stroke; when a stroke starts after the run has
ended, Train is pressed again, and the stroke starts once the page has drawn the run's first
batch. Only moves made, and repainted, while the worker trains count: a run's start and end
(the results table) are a button's doing and are not measured. The baseline: the same strokes
before training, the worker idle, in the same run (the load of the other jobs on the shared
machine hits both). Between the two, the same strokes
beside a Web Worker that only computes, posting nothing: what taking one of the two cores
costs the page's main thread, without any message to handle or anything to redraw.

The clock is ``bench_explorer``'s: it starts when the page receives the ``pointermove`` (a
capture listener on ``window``, before the pad's own, which draws the stroke) and stops in a
task queued from a ``requestAnimationFrame`` callback registered after it, i.e. after that
frame's style, layout and paint; each move waits for the previous frame. Also recorded: the
time from the event's ``timeStamp`` (the browser's queueing included), the main thread's long
tasks (over 50 ms) during the strokes, and the load average. Three strokes of each; the row
gives the one least disturbed by other jobs on the shared machine, the details every stroke's
p95.

Second row, with its goal: one epoch of chapter 16's design (``experiments.CNNTRAIN_RECIPE``:
8 then 16 filters, batch 32, Adam) on the 4,000 training digits, the 500 validation digits
evaluated at its end, trained by the page's engine (``cnntrain.js``) in the playground's own
Web Worker in Chromium (``playground-worker.js``: batches in slices of about 40 ms, a message
per batch, a view of the first layer at most every 150 ms), timed from the worker's "run" to
the message of the epoch's last batch, against Keras' ``fit`` of the same network, batch size
and data, single-threaded as the worker is (``benchmarks.keras_epoch``, a process of its own
per round; goal: at most 3 times Keras' epoch). Measured side by side: each round runs Keras
single-threaded, the engine in Chromium, the engine in Node (``cnntrain_node.js``) and Keras
with TensorFlow's default threads, one after the other; a first round of each warms up untimed
(Keras: its first epoch in every process; Chromium: one epoch in the same worker, its time kept
in the details). The row gives the medians' ratio; the details every round and Keras' process
CPU time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from book import control_page, strokes
from book.browser import chromium_missing, launch, offline_context, serve, settled
from helpers.perfnotes import PLAYGROUND_EPOCH_ROW

from . import common
from .bench_explorer import zigzag
from .experiments import CNNTRAIN_RECIPE, _cnntrain_node

P95_GOAL_MS = 16.0
ROUNDS = 3
EXAMPLES = 5  # drawings per class, the page's minimum (quick mode)
TRAIN_EXAMPLES = 60  # drawings per class otherwise: a run of 20 epochs lasts about one stroke or more
EPOCHS, BATCH = 20, 8
NAME = "browser: pointer move on the pad → repainted, while the worker trains"

_PROBE = """() => {
  window.__lat = []; window.__queued = []; window.__long = []; window.__want = 'idle';
  const root = document.querySelector('.cnn-playground');
  let start = 0;
  window.addEventListener('pointermove', () => { start = performance.now(); }, true);
  window.addEventListener('pointermove', (ev) => {
    if (!(ev.buttons & 1)) return;
    const t0 = start, stamp = ev.timeStamp;
    const state = root.dataset.paused === 'true' ? 'paused' : root.dataset.state;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        const now = root.dataset.paused === 'true' ? 'paused' : root.dataset.state;
        if (state !== window.__want || now !== window.__want) return;
        const t = performance.now(); window.__lat.push(t - t0); window.__queued.push(t - stamp);
      };
      ch.port2.postMessage(0);
    });
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.duration);
  }).observe({type: 'longtask'});
}"""

# a Web Worker that only computes (a loop that never posts): the CPU the training takes from
# the page's threads on this 2-core machine, without a message or a redraw
_BUSY = """() => {
  window.__busy = new Worker(URL.createObjectURL(new Blob(['for (;;) {}'], {type: 'text/javascript'})));
}"""

_TRAINING = "() => document.querySelector('.cnn-playground').dataset.state === 'training'"


def _ensure_training(page) -> None:
    """Train pressed again when the last run has ended; returns once the worker trains and the
    page has drawn its first batch (a run's start and end are a button's doing, not the pad's:
    their frames are not the ones measured)."""
    if not page.evaluate(_TRAINING):
        page.click(".pg-train")
        page.wait_for_function(_TRAINING)
        page.wait_for_function("() => document.querySelector('.pg-progress').textContent.startsWith('Epoch')")


def _stroke(page, box, pts, want: str) -> list[list[float]]:
    """One stroke of the zigzag on the pad; the moves made while the playground was ``want``
    ("idle" or "training"): [latencies, from the event's timeStamp, long tasks]."""
    page.evaluate(
        f"() => {{ window.__lat = []; window.__queued = []; window.__long = []; window.__want = '{want}'; }}"
    )
    page.click(".pg-clear")
    if want == "training":
        _ensure_training(page)
    page.mouse.move(box["x"] + pts[0][0] * box["width"], box["y"] + pts[0][1] * box["height"])
    page.mouse.down()
    for fx, fy in pts[1:]:
        page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        settled(
            page,
            "the frame after a pointer move",
            "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))",
        )
    page.mouse.up()
    return page.evaluate("() => [window.__lat, window.__queued, window.__long]")


def browser_rows(moves: int, examples: int) -> tuple[list[dict], dict]:
    if chromium_missing():
        return [_row(None, f"not measured: {chromium_missing()}")], {}
    from playwright.sync_api import sync_playwright

    from helpers.interactive import playground

    blocked, idle, busy, rounds = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        body = control_page.output(lambda: playground.playground(uid="pg"))
        control_page.write(Path(tmp), {"playground.html": (body, "light", True)})
        with serve(Path(tmp)) as origin, sync_playwright() as p:
            b = launch(p)
            ctx = offline_context(b, origin, blocked, viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.goto(f"{origin}/playground.html", wait_until="load")
            page.locator(".cnn-playground[data-cnn-mounted]").wait_for()
            page.select_option("[name=data]", "own")
            page.select_option("[name=batch]", str(BATCH))
            page.fill("[name=epochs]", str(EPOCHS))
            page.locator(".pg-pad").scroll_into_view_if_needed()
            for k, shape in enumerate(strokes.SHAPES):
                for i in range(examples):
                    strokes.draw(page, ".pg-pad", shape, i)
                    page.click(f".pg-classes .pg-class:nth-child({k + 1}) .pg-add")
            page.evaluate(_PROBE)
            box = page.locator(".pg-pad").bounding_box()
            pts = zigzag(moves)  # the explorer's zigzag stroke
            load_before = common.load_average()
            for _ in range(ROUNDS):  # the same strokes with the worker idle, then training
                idle.append(_stroke(page, box, pts, "idle"))
            page.evaluate(_BUSY)
            for _ in range(ROUNDS):
                busy.append(_stroke(page, box, pts, "idle"))
            page.evaluate("() => window.__busy.terminate()")
            for _ in range(ROUNDS):
                rounds.append(_stroke(page, box, pts, "training"))
            load_after = common.load_average()
            progress = page.inner_text(".pg-progress")
            b.close()
    measured = [r for r in rounds if r[0]]
    if not measured or not any(r[0] for r in idle):
        return [_row(None, "not measured: no move was made while the worker trained")], {"rounds": rounds}
    p95s = [common.percentile(r[0], 95) for r in measured]
    lat, queued, _ = measured[p95s.index(min(p95s))]
    idle95s = [common.percentile(r[0], 95) for r in idle if r[0]]
    busy95s = [common.percentile(r[0], 95) for r in busy if r[0]]
    p95, med, q95 = common.percentile(lat, 95), common.median(lat), common.percentile(queued, 95)
    load = (
        f"; load average {load_before[0]:g} before, {load_after[0]:g} after the strokes"
        if load_before and load_after
        else ""
    )
    note = (
        f"median {med:.3g} ms; p95 of the strokes {' / '.join(f'{v:.3g}' for v in p95s)} ms while training, "
        f"{' / '.join(f'{v:.3g}' for v in idle95s)} ms idle, "
        f"{' / '.join(f'{v:.3g}' for v in busy95s)} ms idle beside a worker that only computes; from the "
        f"event's timeStamp (browser-side queueing included) p95 {q95:.3g} ms; "
        f"{sum(len(r[2]) for r in measured)} long task(s) over 50 ms during the training strokes{load}"
    )
    details = {
        "moves_while_training": [len(r[0]) for r in rounds],
        "moves_idle": [len(r[0]) for r in idle],
        "p95_ms_of_each_stroke": p95s,
        "p95_ms_of_each_idle_stroke": idle95s,
        "p95_ms_of_each_stroke_beside_a_computing_worker": busy95s,
        "long_tasks_ms_beside_a_computing_worker": [r[2] for r in busy],
        "latency_ms": {"p50": med, "p95": p95, "max": max(lat)},
        "from_event_timestamp_ms": {"p50": common.median(queued), "p95": q95, "max": max(queued)},
        "long_tasks_ms": [r[2] for r in measured],
        "run": {
            "classes": len(strokes.SHAPES),
            "drawings_per_class": examples,
            "batch": BATCH,
            "epochs": EPOCHS,
        },
        "progress_after_strokes": progress,
        "load_average_before_strokes": load_before,
        "load_average_after_strokes": load_after,
        "blocked_requests": blocked,
    }
    return [_row(p95, note, len(lat), min(idle95s))], details


def _row(p95: float | None, note: str, moves: int = 0, idle95: float | None = None) -> dict:
    return common.row(
        NAME,
        f"Chromium, chapter 21, {moves} moves of one stroke (best of {ROUNDS} strokes)"
        if p95 is not None
        else "Chromium, chapter 21",
        p95,
        "ms (p95)",
        baseline="the same strokes, the worker idle (best of 3)" if idle95 is not None else None,
        baseline_value=idle95,
        goal=f"p95 ≤ {P95_GOAL_MS:g} ms",
        limit=P95_GOAL_MS if p95 is not None else None,
        on="value",
        note=note,
        why="the machine is shared: see the load average in the note",
    )


EPOCH_GOAL = 3.0  # the engine's epoch in Chromium at most 3 times Keras' single-threaded epoch
EPOCH_NAME = PLAYGROUND_EPOCH_ROW

_EPOCH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>epoch</title></head>
<body><script>
window.loadDigits = async () => {
  const get = (f) => fetch(f).then((r) => r.arrayBuffer());
  const [tx, vx, labels] = await Promise.all([get("train.bin"), get("validation.bin"),
                                              fetch("labels.json").then((r) => r.json())]);
  window.digits = {train: {bytes: new Uint8Array(tx), y: labels.train},
                   validation: {bytes: new Uint8Array(vx), y: labels.validation}};
  return [labels.train.length, labels.validation.length];
};
// the playground's worker trains: from "run" to the message of the first epoch's last batch
// (its validation done), then a pause; the worker is reused, so later rounds run warm
window.epoch = (options) => new Promise((resolve, reject) => {
  const w = window.worker || (window.worker = new Worker("playground-worker.js"));
  let t0 = 0, t1 = 0, batches = 0, val = null;
  w.onmessage = (ev) => {
    const m = ev.data;
    if (m.type === "ready") { t0 = performance.now(); w.postMessage({type: "run"}); }
    else if (m.type === "batch" && !t1) {
      batches++;
      if (m.res.epochEnd) {
        t1 = performance.now(); val = m.res.epochEnd.val_accuracy; w.postMessage({type: "pause"});
      }
    } else if (m.type === "paused") resolve({ms: t1 - t0, batches, val_accuracy: val});
    else if (m.type === "error") reject(new Error(m.message));
  };
  const d = window.digits;
  w.postMessage({type: "init", options, train: d.train, validation: d.validation,
                 fixed: d.validation.bytes.slice(0, 784), probe: {tensor: "conv1/kernel", index: 0}});
});
</script></body></html>
"""


def _keras_epoch(seed: int, threads: str | None) -> dict:
    """``benchmarks.keras_epoch`` in a process of its own: one-thread TensorFlow (``threads="1"``)
    or TensorFlow's default threads (None)."""
    from helpers import tfenv

    env = tfenv.child_env(PYTHONPATH=common.ROOT)
    for k in ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS"):
        env.pop(k, None)
    if threads is not None:
        env.update(TF_NUM_INTRAOP_THREADS=threads, OMP_NUM_THREADS=threads)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.keras_epoch", str(seed)],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _epoch_files(folder: Path) -> None:
    """The engine's files, the digits (ink bytes, as the playground's data files hold them) and
    the page, in ``folder``."""
    import numpy as np

    from helpers import data

    static = common.ROOT / "helpers" / "interactive" / "static"
    for name in ("digitnet.js", "cnntrain.js", "playground-worker.js"):
        (folder / name).write_bytes((static / name).read_bytes())
    images, labels, split = data.load_mnist_5k()
    for part in ("train", "validation"):
        (folder / f"{part}.bin").write_bytes(
            np.ascontiguousarray(images[split[part]], dtype=np.uint8).tobytes()
        )
    (folder / "labels.json").write_text(
        json.dumps({part: [int(v) for v in labels[split[part]]] for part in ("train", "validation")})
    )
    (folder / "epoch.html").write_text(_EPOCH_PAGE)


def epoch_rows(rounds: int) -> tuple[list[dict], dict]:
    if chromium_missing():
        return [_epoch_row(None, None, f"not measured: {chromium_missing()}")], {}
    from playwright.sync_api import sync_playwright

    r = CNNTRAIN_RECIPE
    options = {  # 2 epochs: the first is timed, the second paused at once (no end-of-run results)
        "design": r["design"],
        "classes": 10,
        "batchSize": r["batch_size"],
        "epochs": 2,
        "optimizer": {"name": "adam", "learningRate": r["learning_rate"]},
        "shift": 0,
    }
    keras1, keras_default, chromium, node, blocked = [], [], [], [], []
    load_before = common.load_average()
    with tempfile.TemporaryDirectory() as tmp:
        _epoch_files(Path(tmp))
        with serve(Path(tmp)) as origin, sync_playwright() as p:
            b = launch(p)
            page = offline_context(b, origin, blocked).new_page()
            page.goto(f"{origin}/epoch.html", wait_until="load")
            sizes = settled(page, "the digits loaded", "() => window.loadDigits()")

            def in_chromium(seed: int) -> dict:
                return settled(
                    page,
                    f"one epoch in Chromium (seed {seed})",
                    "(o) => window.epoch(o)",
                    {**options, "seed": seed},
                    timeout_ms=600_000,
                )

            cold = in_chromium(0)  # untimed warm-up: the worker's first epoch
            common.log(f"  Chromium, first epoch (cold): {cold['ms'] / 1e3:.2f} s")
            for seed in range(1, rounds + 1):
                keras1.append(_keras_epoch(seed, "1"))
                chromium.append(in_chromium(seed))
                node.append(_cnntrain_node("epoch", seed))
                keras_default.append(_keras_epoch(seed, None))
                common.log(
                    f"  round {seed}: Keras 1 thread {keras1[-1]['seconds']:.2f} s, Chromium "
                    f"{chromium[-1]['ms'] / 1e3:.2f} s, Node {node[-1]['seconds']:.2f} s, Keras default "
                    f"threads {keras_default[-1]['seconds']:.2f} s"
                )
            b.close()
    load_after = common.load_average()
    k1 = common.median([k["seconds"] for k in keras1])
    kcpu = common.median([k["cpu_seconds"] for k in keras1])
    kd = common.median([k["seconds"] for k in keras_default])
    ch = common.median([c["ms"] / 1e3 for c in chromium])
    nd = common.median([n["seconds"] for n in node])
    load = (
        f"; load average {load_before[0]:g} before, {load_after[0]:g} after"
        if load_before and load_after
        else ""
    )
    note = (
        f"medians of {rounds} interleaved rounds: Chromium {ch:.3g} s, Node {nd:.3g} s "
        f"(ratio {nd / k1:.3g}), "
        f"Keras single-threaded {k1:.3g} s ({kcpu:.3g} s of CPU), Keras with TensorFlow's default threads "
        f"{kd:.3g} s (Chromium / that: {ch / kd:.3g}); the worker's first, cold epoch "
        f"{cold['ms'] / 1e3:.3g} s{load}"
    )
    details = {
        "case": f"chapter 16's design, {sizes[0]:,} training digits, batch {r['batch_size']}, Adam, "
        f"{sizes[1]} validation digits at the epoch's end",
        "design": r["design"],
        "rounds": rounds,
        "chromium_seconds": [c["ms"] / 1e3 for c in chromium],
        "chromium_batches": [c["batches"] for c in chromium],
        "chromium_val_accuracy": [c["val_accuracy"] for c in chromium],
        "chromium_first_epoch_seconds": cold["ms"] / 1e3,
        "node_seconds": [n["seconds"] for n in node],
        "keras_one_thread": keras1,
        "keras_default_threads": keras_default,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "blocked_requests": blocked,
    }
    return [_epoch_row(ch, k1, note)], details


def _epoch_row(chromium_s: float | None, keras_s: float | None, note: str) -> dict:
    return common.row(
        EPOCH_NAME,
        "chapter 16's design, 4,000 digits, batch 32, Adam, validation on 500",
        chromium_s,
        "s per epoch",
        baseline="Keras fit, single-threaded" if keras_s is not None else None,
        baseline_value=keras_s,
        goal=f"≤ {EPOCH_GOAL:g}× Keras",
        limit=EPOCH_GOAL if chromium_s is not None else None,
        note=note,
        why="the machine is shared: see the load average in the note",
    )


def run(mode: str) -> dict:
    quick = mode == "quick"
    rows, details = browser_rows(40 if quick else 200, EXAMPLES if quick else TRAIN_EXAMPLES)
    epoch, epoch_details = epoch_rows(1 if quick else 5)
    return common.section(
        "playground",
        "Playground (chapter 21)",
        mode,
        rows + epoch,
        {"browser": details, "epoch": epoch_details},
    )

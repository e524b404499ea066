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
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from book import control_page, strokes
from book.browser import chromium_missing, launch, offline_context, serve, settled

from . import common
from .bench_explorer import zigzag

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


def run(mode: str) -> dict:
    quick = mode == "quick"
    rows, details = browser_rows(40 if quick else 200, EXAMPLES if quick else TRAIN_EXAMPLES)
    return common.section("playground", "Playground (chapter 21)", mode, rows, {"browser": details})

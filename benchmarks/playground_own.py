"""The playground's own classes (chapter 21), measured: do a few synthetic drawings per class
teach the page's network to read a new one? ``book.strokes`` draws the examples on the pad in
Chromium (the playground served as the website serves it, ``book.control_page``); the page's
own preprocessing turns each into its 784 bytes, gathered from the page; then
``benchmarks/playground_own_node.js`` trains the page's engine on them with each setting over
seeds and reads a fresh drawing of each class. Writes
``benchmarks/results/experiments/playground-own.json`` (to a temporary name, then renamed);
``tests/test_playground_browser.py``'s own-classes test quotes it.

    python -m benchmarks.playground_own [seeds]
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from book import control_page, strokes
from book.browser import launch, new_context, serve

from . import common

TRAIN = 5  # drawings per class (the page's minimum); index TRAIN is the fresh one
# the settings tried: the page's default design and optimiser, small batches, a few epochs
SETTINGS = [
    {
        "convs": 2,
        "act": "relu",
        "hidden": 0,
        "opt": "adam",
        "lr": 0.003,
        "batch": 8,
        "epochs": e,
        "layers": [{"filters": 8, "kernel": 3, "pool": True}, {"filters": 16, "kernel": 3, "pool": True}],
    }
    for e in (5, 10, 20)
]
DEST = common.ROOT / "benchmarks" / "results" / "experiments" / "playground-own.json"


def drawings() -> dict:
    """The page's bytes of drawings 0..TRAIN of each shape, drawn with the mouse."""
    from playwright.sync_api import sync_playwright

    from helpers.interactive import playground

    with tempfile.TemporaryDirectory() as tmp:
        body = control_page.output(lambda: playground.playground(uid="pg"))
        control_page.write(Path(tmp), {"p.html": (body, "light", True)})
        with serve(Path(tmp)) as origin, sync_playwright() as p:
            b = launch(p)
            page = new_context(b, viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{origin}/p.html", wait_until="load")
            page.locator(".cnn-playground[data-cnn-mounted]").wait_for()
            page.select_option("[name=data]", "own")
            for k, shape in enumerate(strokes.SHAPES):
                for i in range(TRAIN + 1):
                    strokes.draw(page, ".pg-pad", shape, i)
                    page.click(f".pg-classes .pg-class:nth-child({k + 1}) .pg-add")
            own = page.evaluate(
                "() => document.querySelector('.cnn-playground').playground.own.examples"
                ".map(list => list.map(b => Array.from(b)))"
            )
            message = page.inner_text(".pg-message")
            b.close()
    if any(len(ds) != TRAIN + 1 for ds in own):
        raise RuntimeError(
            f"drawings gathered per class: {[len(ds) for ds in own]}; the page said {message!r}"
        )
    pack = lambda rows: base64.b64encode(bytes(v for r in rows for v in r)).decode()  # noqa: E731
    train = [(k, d) for k, ds in enumerate(own) for d in ds[:TRAIN]]
    fresh = [(k, ds[TRAIN]) for k, ds in enumerate(own)]
    return {
        "classes": list(strokes.SHAPES),
        "train": {"bytes": pack(d for _, d in train), "y": [k for k, _ in train]},
        "fresh": {"bytes": pack(d for _, d in fresh), "y": [k for k, _ in fresh]},
    }


def main(argv: list[str]) -> int:
    seeds = int(argv[0]) if argv else 10
    data, runs = drawings(), []
    for s in SETTINGS:
        res = subprocess.run(
            [shutil.which("node") or "node", str(common.ROOT / "benchmarks" / "playground_own_node.js")],
            input=json.dumps({**data, "settings": s, "seeds": seeds}),
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        runs.append(json.loads(res.stdout))
        print(
            f"{s['epochs']} epochs: all 3 read right at {runs[-1]['all_right']} of {seeds} seeds",
            file=sys.stderr,
        )
    out = {
        "schema": 1,
        "experiment": "playground-own",
        "drawings_per_class": TRAIN,
        "classes": data["classes"],
        "seeds": seeds,
        "measured_at": common.now(),
        "machine": {"cpu": common.machine()["cpu"]},
        "runs": runs,
    }
    tmp = DEST.with_name(DEST.name + ".tmp")
    tmp.write_text(json.dumps(out, indent=1) + "\n")
    os.replace(tmp, DEST)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

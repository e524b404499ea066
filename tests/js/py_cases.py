"""Python's side of the Node tests: prints, as JSON, a table of cases with what the Python
helpers compute for each, so ``tests/js/*.test.js`` can check that the page JavaScript gives
identical output text.

    python tests/js/py_cases.py calc|softmax|player|weights|channels|gallery|digitnet|digitnet-layers

The Node tests run this themselves (``$PYTHON``, else ``.venv/bin/python``, else ``python3``),
so the comparison is always with the Python of the current tree, never with a stale copy.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from helpers.interactive import calculator, gallery, players, softmax  # noqa: E402
from helpers.sweep import ChannelSweep, SweepFrames  # noqa: E402

# Real networks' layers (n, k, s, p, d): ResNet's and VGG's stems and blocks, AlexNet's
# 11x11 at stride 4, a 1024 segmentation input, the largest case the boxes allow
NETWORK_LAYERS = [
    (224, 7, 2, 3, 1),
    (224, 3, 1, 1, 1),
    (56, 3, 2, 1, 1),
    (227, 11, 4, 0, 1),
    (1024, 3, 2, 1, 1),
    (512, 3, 1, 2, 2),
    (64, 3, 1, 1, 1),
    (62, 3, 1, 1, 1),
    (4096, 15, 10, 10, 5),
]
# what a reader may leave in a number box (a browser's number box gives "" for text it cannot read)
TYPED = [
    "",
    "0",
    "1",
    "007",
    "6",
    "40",
    "41",
    "224",
    "4096",
    "4097",
    "-3",
    "2.5",
    "2.0",
    "1e3",
    "abc",
    " 6",
    "6 ",
    "+6",
    "99999999999999999999999",
    "0" * 30 + "6",
    "\u0666",
]


def calc() -> dict:
    cases = []
    small = [
        (n, k, s, p, d)
        for n in (1, 2, 5, 6, 7, 32, 40)
        for k in (1, 2, 3, 5, 7)
        for s in (1, 2, 3)
        for p in (0, 1, 2)
        for d in (1, 2)
    ]
    for n, k, s, p, d in small + NETWORK_LAYERS:
        res = calculator.sizes(n, k, s, p, d)
        cases.append(
            {
                "args": [n, k, s, p, d],
                "sizes": res,
                "results": calculator.results_html(res),
                "grids": {c: calculator.grid_or_error(res, n, k, s, d, c) for c in calculator.CONVENTIONS},
            }
        )
    typed = [
        {
            "field": [lo, hi, desc],
            "text": text,
            "reading": calculator.read_field(text, lo, hi, desc),
        }
        for fields in (calculator.SIZE_FIELDS, calculator.VOLUME_FIELDS)
        for _, lo, hi, desc in fields.values()
        for text in TYPED
    ]
    volumes = [
        {
            "args": list(a),
            "volume": calculator.volume(*a) if a[3] <= a[0] + 2 * a[5] else None,
            "text": calculator.volume_text(*a),
        }
        for a in [
            (32, 3, 10, 5, 1, 0),
            (32, 3, 10, 3, 1, 0),
            (300, 3, 10, 5, 1, 0),
            (7, 4, 6, 3, 2, 1),
            (5, 1, 1, 7, 1, 0),
            (5, 1, 1, 7, 1, 1),
            (28, 1, 32, 5, 1, 0),
            (1, 1, 1, 1, 1, 0),
            (224, 64, 128, 3, 2, 1),
            (224, 3, 64, 7, 2, 3),
            (4096, 4096, 4096, 15, 1, 10),
        ]
    ]
    return {
        "labels": list(calculator.LABELS.items()),
        "messages": calculator.MESSAGES,
        "cases": cases,
        "volumes": volumes,
        "typed": typed,
        "message_html": calculator.message_html("input size n: type a whole number from 1 to 4096 <&>"),
        "grid_max": calculator.GRID_MAX,
    }


def softmax_cases() -> dict:
    cases = []
    for z in (
        [2, 1, -1],
        [0, 0, 0],
        [1000, 0, -3],
        [-2.5, 4, 0.5],
        [5, 5, -5],
        [0.5, -0.5, 3],
        [-5, -5, -5],
        [3.7, 3.7, 0],
        [1, 2, 3, 4],
    ):
        for y in range(len(z)):
            cases.append({"z": z, "y": y, "text": softmax.softmax_text(z, y)})
    return {"cases": cases}


def gallery_cases() -> dict:
    """The photo controls: 8-bit photos (a corner of the cat photo, random pixels, thin and tiny
    ones) with the page data Python writes for them; for every kernel (the named ones, the
    shift by one pixel, asymmetric ones, one adding up to 0 up to rounding, the weight limits)
    ``filters.apply``'s outputs, ``filtered_pixels`` and the description; for every pooling
    ``ops.pool2d``'s outputs, ``pooled_pixels`` and the description; ``np.sum`` of random
    kernels (the order of addition decides "adds up to 0"); how window boxes are read."""
    import numpy as np

    from helpers import data, filters, ops

    rng = np.random.default_rng(8)
    cat = gallery.grey_pixels(data.load_photo("chelsea", gray=True))
    photos = [
        ("the cat corner", cat[:23, -31:]),
        ("random pixels", rng.integers(0, 256, (17, 13)).astype(np.uint8)),
        ("a flat patch", np.full((5, 6), 200, np.uint8)),
        ("one row", rng.integers(0, 256, (1, 9)).astype(np.uint8)),
        ("one pixel", np.array([[77]], np.uint8)),
    ]
    kernels = [w.tolist() for w in filters.KERNELS.values()] + [
        [[0, 0, 1], [0, 0, 0], [0, 0, 0]],  # each pixel takes its up-right neighbour
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
        [[0, 0, 0], [1, 0, 0], [0, 0, -1]],
        [[0.1, 0.2, -0.3], [0.4, 0.5, -0.9], [0.7, -0.6, -0.1]],  # adds up to 0 up to rounding
        [[0] * 3] * 3,
        [[1000, -1000, 0.5], [-0.25, 0.0625, 3], [-1000, 1e-3, 1000]],
        [[0.0625, 0.125, 0.0625], [0.125, 0.25, 0.125], [0.0625, 0.125, 0.0625]],
    ]
    sums = [rng.normal(size=(3, 3)) * rng.choice([1e-3, 1, 1e3], size=(3, 3)) for _ in range(200)]
    filtered = []
    for name, px in photos:
        for k in kernels:
            texts = [gallery.weight_text(v) for v in np.ravel(k)]
            filtered.append(
                {
                    "photo": name,
                    "kernel": [float(t) for t in texts],
                    "out": filters.apply(px, np.array(k, float)).ravel().tolist(),
                    "pixels": gallery.filtered_pixels(px, k).ravel().tolist(),
                    "text": gallery.kernel_text(name, texts),
                    "texts": texts,
                }
            )
    pooled = []
    for name, px in photos:
        for size, stride in [(1, 1), (2, 2), (3, 2), (2, 3), (4, 4), (5, 1), (16, 16), (13, 5)]:
            if size > min(px.shape):
                continue
            for mode in gallery.POOL_MODES:
                pooled.append(
                    {
                        "photo": name,
                        "args": [mode, size, stride],
                        "out": ops.pool2d(px, size, stride, mode=mode).ravel().tolist(),
                        "shape": list(ops.pool2d(px, size, stride, mode=mode).shape),
                        "pixels": gallery.pooled_pixels(px, mode, size, stride).ravel().tolist(),
                        "text": gallery.pool_text(name, *px.shape, mode, size, stride),
                    }
                )
    return {
        "photos": {name: gallery._pixels_data(px) for name, px in photos},
        "filtered": filtered,
        "pooled": pooled,
        "modes": gallery.POOL_MODES,
        "sums": [[k.ravel().tolist(), float(np.sum(k))] for k in sums],
        "presets": [[gallery.weight_text(v) for v in w.ravel()] for w in filters.KERNELS.values()],
        "typed": [
            {"text": t, "reading": calculator.read_field(t, 1, gallery.POOL_MAX, "window size")}
            for t in TYPED
        ],
        "limit": gallery.WEIGHT_LIMIT,
    }


def _classes(view: str, table: str) -> dict:
    """``{"r,c": [classes]}`` of the cells of one table of a frame's HTML."""
    m = re.search(rf'<table class="cnn-grid {table}">.*?</table>', view, re.S)
    return {
        f"{r},{c}": cls.split()[1:]
        for r, c, cls in re.findall(r'data-r="(\d+)" data-c="(\d+)" class="([^"]*)"', m.group(0))
    }


def player() -> dict:
    """For several sweeps: the data the page gets and, for every frame, the window cells and
    output states that Python's ``sweep_html`` marks."""
    cases = []
    for x, k, stride, padding in [
        ([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[1, 0.5]], 1, "valid"),
        ([[1, 2, 3, 4, 5]] * 5, [[1, 0, 1], [0, 1, 0], [1, 0, 1]], 2, "same"),
        ([[0, 1], [2, 3], [4, 5]], [[2]], 1, 1),
        ([[1, 2, 3, 4, 5, 6]] * 4, [[1, 2], [3, 4]], (1, 2), ((0, 1), (1, 0))),
    ]:
        f = SweepFrames(x, k, stride, padding)
        data = players._sweep_data(f, [f], 2, 600)
        frames = []
        for p in range(f.n_frames):
            view = players.sweep_html(f, p)
            win = sorted(key for key, cls in _classes(view, "in").items() if "win" in cls)
            out = {
                key: [c for c in cls if c in ("cur", "done", "todo")]
                for key, cls in _classes(view, "out").items()
            }
            frames.append({"win": win, "out": out})
        cases.append({"data": data, "frames": frames})
    return {"cases": cases}


def weights() -> dict:
    """For editable sweeps: the page's data for the starting kernel, then other kernels a
    reader may type, with the sums and output values Python's SweepFrames gives for them."""
    from helpers.fmt import fmt_number

    cases = []
    for x, k0, stride, padding, typed in [
        (
            [[86, 4, 8, 184], [1, 2, 0.5, 7], [3, 3, 3, 3]],
            [[1, 0.3]],
            1,
            "valid",
            [[[1, -1]], [[0, 2.5]], [[0.125, 0.375]], [[0, 0]], [[-0.5, 1e-3]]],
        ),
        (
            [[1, 2, 3, 4, 5]] * 5,
            [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
            2,
            "same",
            [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]],
        ),
        ([[0, 1, 2], [3, 4, 5]], [[1, 1]], 1, ((0, 0), (1, 1)), [[[2.675, -3]]]),
    ]:
        f0 = SweepFrames(x, k0, stride, padding)
        data = players._sweep_data(SweepFrames(x, k0, stride, padding), [f0], 2, 600)
        data.update(x=f0.padded.tolist(), k=f0.kernel.tolist(), dec=2)
        for k in typed:
            f = SweepFrames(x, k, stride, padding)
            cases.append(
                {
                    "data": data,
                    "kernel": k,
                    "arith": [f.arithmetic(p, 2) for p in range(f.n_frames)],
                    "out": [[fmt_number(v, 2) for v in row] for row in f.out],
                }
            )
    numbers = [0.125, 0.375, 2.5, 2.675, -0.125, 1e-9, -0.004, 1065.105, 87.2, 3.0, -7.5]
    return {
        "cases": cases,
        "banks": _bank_weights(),
        "numbers": [[v, d, fmt_number(v, d)] for v in numbers for d in (0, 1, 2)],
    }


def _bank_weights() -> list:
    """For editable filter banks: the data ``filter_bank_player(editable=True)`` gives the page,
    then kernels a reader may type for every filter, with each filter's sums and output as
    Python's SweepFrames gives them."""
    from helpers.fmt import fmt_number

    cases = []
    for x, kernels, stride, padding, typed in [
        (
            [[86, 4, 8, 184], [1, 2, 0.5, 7], [3, 3, 3, 3]],
            [[[1, 0.3]], [[0.1, 5]]],
            1,
            "valid",
            [[[[1, -1]], [[0, 2.5]]], [[[0.125, 0.375]], [[0, 0]]]],
        ),
        (
            [[1, 2, 3, 4, 5]] * 4,
            [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[1, 1], [1, 1]]],
            (1, 2),
            ((0, 0), (1, 1)),
            [[[[0.5, -1], [2, 0]], [[0, 0], [0, 3]], [[-0.25, 1e-3], [4, 7]]]],
        ),
    ]:
        player = players.filter_bank_player(x, kernels, stride, padding, editable=True)
        page_data = json.loads(html.unescape(re.search(r"data-cnn='([^']*)'", player.data).group(1)))
        for ks in typed:
            banks = [SweepFrames(x, k, stride, padding) for k in ks]
            cases.append(
                {
                    "data": page_data,
                    "kernels": ks,
                    "arith": [[f.arithmetic(p, 2) for p in range(f.n_frames)] for f in banks],
                    "out": [[[fmt_number(v, 2) for v in row] for row in f.out] for f in banks],
                }
            )
    return cases


def channels() -> dict:
    """For sweeps over several channels: the data ``sweep_player(editable=True)`` gives the page,
    for every frame the window cells and output states ``channel_html`` marks (every channel's
    input and map, and the output), then kernels and biases a reader may type, with every
    channel's sums and map and the output's as ChannelSweep and fmt_number give them."""
    import numpy as np

    from helpers import data
    from helpers.fmt import fmt_number

    x2, kernels, biases = data.two_channel()
    rgb = [[[r, (r * c) % 7, 5 - c] for c in range(5)] for r in range(4)]
    cases = []
    for x, k0, b0, stride, padding, typed in [
        (
            x2,
            kernels[..., 0],
            biases[0],
            1,
            "valid",
            [
                (kernels[..., 1], biases[1]),
                ([[[0.5, 0], [1, -1]], [[2, 0.25], [0, 3]]], 2.675),
                (np.zeros((2, 2, 2)), 0),
            ],
        ),
        (
            rgb,
            np.ones((3, 3, 3)),
            0.5,
            (1, 2),
            1,
            [(np.arange(27).reshape(3, 3, 3) / 8 - 1, -0.125)],
        ),
    ]:
        player = players.sweep_player(x, k0, stride, padding, editable=True, bias=b0)
        page_data = json.loads(html.unescape(re.search(r"data-cnn='([^']*)'", player.data).group(1)))
        start = ChannelSweep(x, k0, b0, stride, padding)
        frames = []
        for p in range(start.n_frames):
            view = players.channel_html(start, p)
            wins = [sorted(key for key, cls in t.items() if "win" in cls) for t in _all_classes(view, "in")]
            outs = [
                {key: [c for c in cls if c in ("cur", "done", "todo")] for key, cls in t.items()}
                for t in _all_classes(view, "out")
            ]
            frames.append({"wins": wins, "outs": outs})
        for k, b in typed:
            sweep = ChannelSweep(x, k, b, stride, padding)
            grids = [ch.out for ch in sweep.channels] + [sweep.out]
            cases.append(
                {
                    "data": page_data,
                    "frames": frames,
                    "kernels": [ch.kernel.tolist() for ch in sweep.channels],
                    "bias": float(b),
                    "lines": [[ch.arithmetic(p, 2) for p in range(sweep.n_frames)] for ch in sweep.channels]
                    + [[sweep.total(p, 2) for p in range(sweep.n_frames)]],
                    "outs": [[[fmt_number(v, 2) for v in row] for row in g] for g in grids],
                }
            )
    return {"cases": cases}


def _all_classes(view: str, table: str) -> list:
    """``_classes`` of every table of one kind in a frame's HTML, in page order."""
    cell = r'data-r="(\d+)" data-c="(\d+)" class="([^"]*)"'
    return [
        {f"{r},{c}": cls.split()[1:] for r, c, cls in re.findall(cell, m)}
        for m in re.findall(rf'<table class="cnn-grid {table}">.*?</table>', view, re.S)
    ]


def digitnet_cases() -> dict:
    """The explorer's data as Python reads it: every epoch's weights decoded from the export
    (float32 and float16 epochs, widened to float64), and a few shipped digits with their packed
    form (``explorer.pack_digit``) and their pixels."""
    from helpers import digitnet
    from helpers.interactive import explorer

    exported = digitnet.load_export()
    epochs = [
        {name: w.astype(float).ravel().tolist() for name, w in e["weights"].items()} for e in exported.epochs
    ]
    digits = [
        {"ink": d["ink"], "pixels": explorer.unpack_digit(d["ink"]).ravel().tolist()}
        for d in explorer.test_digits(per_digit=1)
    ]
    return {"epochs": epochs, "digits": digits}


# Another network than the book's, to check that the page reads its layers from the export:
# two input channels, a strided conv, a pool whose stride is not its size, default map names.
OTHER_LAYERS = (
    ("c", "conv", {"filters": 3, "kernel": 3, "stride": 2, "activation": "relu"}),
    ("p", "maxpool", {"size": 2, "stride": 1}),
    ("f", "flatten", {}),
    ("out", "dense", {"units": 4, "activation": "softmax"}),
)
OTHER_INPUT = (11, 11, 2)


def digitnet_layers() -> dict:
    """A network with another layer list (``OTHER_LAYERS``), exported as the page reads it
    (``digitnet.network_meta`` plus one float32 epoch of small random weights), with
    ``digitnet.forward``'s maps on a few random inputs and ``digitnet.receptive_fields``; and
    the book's layers as the export writer describes them now."""
    import numpy as np

    from helpers import digitnet

    rng = np.random.default_rng(16)
    shapes = digitnet.tensor_shapes(OTHER_LAYERS, OTHER_INPUT)
    blob = digitnet.encode_weights([rng.normal(0, 0.5, s) for s in shapes.values()])
    weights = digitnet.decode_weights(blob, shapes=shapes)  # the float32 values stored
    net = {
        **digitnet.network_meta(OTHER_LAYERS, OTHER_INPUT),
        "epochs": [{"epoch": 0, "dtype": "float32", "weights": blob}],
    }
    cases = []
    for _ in range(3):
        image = rng.uniform(0, 1, OTHER_INPUT)
        maps = digitnet.forward(weights, image, OTHER_LAYERS, OTHER_INPUT)
        cases.append(
            {
                "image": image.ravel().tolist(),
                "maps": {name: m.ravel().tolist() for name, m in maps.items()},
                "shapes": {name: list(m.shape) for name, m in maps.items()},
            }
        )
    return {
        "net": net,
        "cases": cases,
        "fields": [list(f) for f in digitnet.receptive_fields(OTHER_LAYERS, OTHER_INPUT)],
        "book_layers": digitnet.network_meta()["layers"],
    }


GROUPS = {
    "calc": calc,
    "softmax": softmax_cases,
    "player": player,
    "weights": weights,
    "channels": channels,
    "gallery": gallery_cases,
    "digitnet": digitnet_cases,
    "digitnet-layers": digitnet_layers,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in GROUPS:
        sys.exit(f"usage: py_cases.py {'|'.join(GROUPS)}")
    json.dump(GROUPS[sys.argv[1]](), sys.stdout, ensure_ascii=False)

"""Synthetic pen strokes for the book's drawing pads, drawn with Playwright's mouse: a circle, a
cross and a vertical bar, each at a position and size that vary with an index, so that a
browser test or a benchmark can draw distinct examples of a few classes the way a reader would
(pointer down, moves, pointer up). Points are fractions of the pad's width and height.
"""

from __future__ import annotations

import math

SHAPES = ("circle", "cross", "bar")


def _variant(index: int) -> tuple[float, float, float]:
    """Centre (x, y) and size of the ``index``-th example: deterministic, spread over the pad."""
    # low-discrepancy offsets (golden-ratio steps): no two indices give the same place
    a, b = (index * 0.618034) % 1, (index * 0.754878) % 1
    size = 0.26 + 0.14 * ((index * 0.569840) % 1)  # half-extent, a fraction of the pad
    return 0.5 + (a - 0.5) * (0.9 - 2 * size) * 0.6, 0.5 + (b - 0.5) * (0.9 - 2 * size) * 0.6, size


def strokes(shape: str, index: int, points: int = 16) -> list[list[tuple[float, float]]]:
    """The ``index``-th example of ``shape`` as strokes (each a list of points: a circle
    ``points`` moves, a straight line 4; the pad joins them with straight segments)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    cx, cy, s = _variant(index)
    if shape == "circle":
        turn = [2 * math.pi * ((index * 0.37) % 1 + k / points) for k in range(points + 1)]
        return [[(cx + s * math.cos(t), cy + s * math.sin(t)) for t in turn]]
    half = 4

    def line(x0, y0, x1, y1):
        return [(x0 + (x1 - x0) * k / half, y0 + (y1 - y0) * k / half) for k in range(half + 1)]

    if shape == "cross":
        return [line(cx - s, cy - s, cx + s, cy + s), line(cx + s, cy - s, cx - s, cy + s)]
    return [line(cx, cy - s, cx, cy + s)]


def draw(page, selector: str, shape: str, index: int) -> None:
    """Draws the ``index``-th ``shape`` on the canvas ``selector`` of ``page`` with the mouse."""
    pad = page.locator(selector)
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    if box is None:
        raise ValueError(f"selector {selector!r} names no visible element; show the pad first")
    for stroke in strokes(shape, index):
        (x0, y0), rest = stroke[0], stroke[1:]
        page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.up()

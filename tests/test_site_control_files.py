"""The built site serves the kernel-free controls' page files (site/offline.py): each page with
controls links ``book.css``, ``book.js`` and exactly the files its controls name, each once, from
``_static/cnn/`` (copies of helpers/interactive/static), and no page carries an inline copy of
the page code (committed outputs name their files: tests/test_page_outputs.py). That every
control then works on every page is for the browser tests (tests/test_site_pages_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from site_support import OFFLINE, READER_PAGES, html_of

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "helpers" / "interactive" / "static"
PAGE_CODE = sorted(p.name for p in STATIC.iterdir() if p.suffix in (".js", ".css"))
# kind -> the scripts and styles its control needs besides book.js and book.css
NEEDS = {
    "sweep": ["player.js"],
    "bank": ["player.js"],
    "flatten": ["player.js"],
    "calc": ["calc.js"],
    "volume": ["calc.js"],
    "softmax": ["softmax.js"],
    "kernel": ["gallery.js"],
    "pool": ["gallery.js"],
    "images": ["gallery.js"],
    "explorer": ["digitnet-drawn-weights.json.js", "digitnet.js", "explorer.js", "explorer.css"],
    # its data files load when the reader trains on them (cnnBook.lazy), its worker in the worker
    "playground": ["digitnet.js", "cnntrain.js", "playground.js", "playground.css"],
}
LINKED = re.compile(
    r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(?:\.\./)*_static/cnn/([^"?]+)'
    r'(?:\?v=[0-9a-f]+)?"'
)


def test_the_site_ships_exactly_the_controls_files(site):
    shipped = site / "_static" / OFFLINE.CONTROLS_DIR
    assert sorted(p.name for p in shipped.iterdir()) == sorted(
        [*PAGE_CODE, *(OFFLINE.data_script(p.name) for p in STATIC.glob("*.json"))]
    )
    for name in PAGE_CODE:
        assert (shipped / name).read_bytes() == (STATIC / name).read_bytes(), name
    weights = (shipped / "digitnet-weights.json.js").read_text(encoding="utf-8")
    call = re.fullmatch(r'/\*[^\n]*\*/\ncnnBook\.file\("digitnet-weights\.json", (.*)\);\n', weights, re.S)
    assert call and json.loads(call.group(1)) == json.loads((STATIC / "digitnet-weights.json").read_text())


@pytest.mark.parametrize("page", READER_PAGES)
def test_a_page_loads_what_its_controls_need_once_and_no_inline_copy(site, page):
    text = html_of(page)
    kinds = re.findall(r'\sdata-cnn-kind="([^"]+)"', text)
    linked = LINKED.findall(text)
    want = {"book.js", "book.css", *(f for k in kinds for f in NEEDS[k])} if kinds else set()
    if 'data-cnn-styles="book.css"' in text:  # a figure view, no script
        want.add("book.css")
    assert sorted(linked) == sorted(want), f"{page}: links {linked}, its controls need {want}"
    assert "cnnBook.mount(" not in text and "<style>" not in text.split("</head>", 1)[1]
    for name in PAGE_CODE:  # no page code inline: a file's opening comment is not in the HTML
        assert STATIC.joinpath(name).read_text(encoding="utf-8")[:120] not in text, (page, name)


def test_control_files_follow_the_elements():
    body = (
        '<div id="a" data-cnn-kind="explorer" data-cnn-scripts="digitnet.js explorer.js" '
        'data-cnn-styles="explorer.css" data-cnn-files="net=digitnet-weights.json" '
        """data-cnn='{"a":1}'></div><div data-cnn-styles="book.css"></div>"""
        '<div data-cnn-kind="sweep" data-cnn-scripts="player.js"></div>'
        '<div data-cnn-kind="sweep" data-cnn-scripts="player.js"></div>'
    )
    assert OFFLINE.control_files(body) == {
        "styles": ["book.css", "explorer.css"],
        "scripts": ["book.js", "digitnet-weights.json.js", "digitnet.js", "explorer.js", "player.js"],
    }
    assert OFFLINE.control_files('<div class="cnn-calc" data-cnn-styles="book.css">') == {
        "styles": ["book.css"],
        "scripts": [],
    }
    assert OFFLINE.control_files("<p>no controls</p>") == {"styles": [], "scripts": []}

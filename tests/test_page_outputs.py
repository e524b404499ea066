"""The two forms of a kernel-free control's notebook output (helpers/interactive/page.py).

Committed (``CNN_BOOK_OUTPUTS=committed``: the kernels of scripts/execute.py and of nbval): the
element alone, no ``<script>`` and no ``<style>``, naming the page files it needs besides
``book.js`` and ``book.css`` (the website serves them, site/offline.py), the same text on
every run. Every other kernel (JupyterLab, Binder, Colab, live code): self-contained, the CSS,
the same element with its data files inlined, the scripts and ``cnnBook.mount`` on it. The
built site's side is tests/test_site_control_files.py.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.interactive import calculator, explorer, gallery, page, players, softmax

ROOT = Path(__file__).resolve().parent.parent
B = data.load("image_b")
PAIRS = [data.load("case2_weights"), data.load("case4_weights")]
PX = np.arange(64, dtype=np.uint8).reshape(8, 8)


@pytest.fixture(scope="module")
def digits():
    return explorer.test_digits(per_digit=1)


# kind -> (a maker taking the element's id, the scripts and styles it names, its data files)
CONTROLS = {
    "sweep": (
        lambda uid, _: players.sweep_player(B, PAIRS[0], uid=uid, editable=True),
        ("player.js",),
        (),
        {},
    ),
    "bank": (
        lambda uid, _: players.filter_bank_player(B, PAIRS, names=["a", "b"], uid=uid),
        ("player.js",),
        (),
        {},
    ),
    "flatten": (lambda uid, _: players.flatten_player(data.load("digit4"), uid=uid), ("player.js",), (), {}),
    "calc": (lambda uid, _: calculator.calculator_html(uid=uid), ("calc.js",), (), {}),
    "volume": (lambda uid, _: calculator.volume_html(uid=uid), ("calc.js",), (), {}),
    "softmax": (lambda uid, _: softmax.softmax_html(uid=uid), ("softmax.js",), (), {}),
    "kernel": (lambda uid, _: gallery.kernel_editor_html(PX, "Sobel x", uid=uid), ("gallery.js",), (), {}),
    "pool": (lambda uid, _: gallery.pool_explorer_html(PX, "avg", 2, uid=uid), ("gallery.js",), (), {}),
    "images": (
        lambda uid, _: gallery.switcher_html(
            [("a", PX, "cap a", "alt a"), ("b", 255 - PX, "cap b", "alt b")], uid=uid
        ),
        ("gallery.js",),
        (),
        {},
    ),
    "explorer": (
        lambda uid, digits: explorer.explorer(digits, uid=uid),
        ("digitnet.js", "explorer.js"),
        ("explorer.css",),
        {"net": "digitnet-drawn-weights.json"},
    ),
}


def _output(monkeypatch, committed: bool, kind: str, digits, uid="the-control") -> str:
    if committed:
        monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)
    else:
        monkeypatch.delenv(page.OUTPUTS_ENV, raising=False)
    return CONTROLS[kind][0](uid, digits).data


def _attr(text: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', text)
    return m and m.group(1)


def _data(text: str) -> dict:
    return json.loads(html.unescape(re.search(r"data-cnn='([^']*)'", text).group(1)))


@pytest.mark.parametrize("kind", CONTROLS)
def test_a_committed_output_is_the_element_naming_its_files(monkeypatch, kind, digits):
    _, scripts, styles, files = CONTROLS[kind]
    out = _output(monkeypatch, True, kind, digits)
    assert "<script" not in out and "<style" not in out and "cnnBook" not in out
    assert re.fullmatch(
        r'<div class="[^"]+" id="the-control" data-cnn-kind="[a-z]+"[^>]*>.*</div>', out, re.S
    )
    assert _attr(out, "data-cnn-kind") == kind
    assert _attr(out, "data-cnn-scripts") == " ".join(scripts)
    assert _attr(out, "data-cnn-styles") == (" ".join(styles) or None)
    assert _attr(out, "data-cnn-files") == (" ".join(f"{k}={v}" for k, v in files.items()) or None)
    assert not set(files) & set(_data(out))  # a data file is named, never copied
    for name in (*scripts, *styles, *files.values()):
        assert (ROOT / "helpers" / "interactive" / "static" / name).is_file(), name
    assert out == _output(monkeypatch, True, kind, digits)


@pytest.mark.parametrize("kind", CONTROLS)
def test_any_other_output_is_self_contained_and_mounts(monkeypatch, kind, digits):
    _, scripts, styles, files = CONTROLS[kind]
    out = _output(monkeypatch, False, kind, digits)
    css = "\n".join(page.static_text(n) for n in ("book.css", *styles))
    js = "\n".join(page.static_text(n) for n in ("book.js", *scripts))
    assert out.startswith(f"<style>{css}</style><div ")
    assert out.endswith(
        f'<script>\n{js}\ncnnBook.mount(document.getElementById("the-control"));\n</script>\n'
    )
    assert out.count("<script") == out.count("<style") == 1
    assert _attr(out, "data-cnn-files") is None
    d = _data(out)
    for key, name in files.items():
        assert d[key] == json.loads(page.static_text(name))
    # the element itself: the committed one, with the data files inlined
    element = out[len(f"<style>{css}</style>") : out.index("\n<script>")]
    committed = _output(monkeypatch, True, kind, digits)
    refs = f' data-cnn-files="{_attr(committed, "data-cnn-files")}"' if files else ""
    strip = re.compile(r" data-cnn='[^']*'")
    assert strip.sub("", element) == strip.sub("", committed.replace(refs, ""))
    assert {k: v for k, v in d.items() if k not in files} == _data(committed)


def test_a_figure_view_names_or_carries_the_books_css(monkeypatch):
    monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)
    committed = calculator.grid_view(6, 3, s=2).data
    assert committed.startswith('<div class="cnn-calc" data-cnn-styles="book.css"><table')
    assert "<style" not in committed and "data-cnn-kind" not in committed
    monkeypatch.setenv(page.OUTPUTS_ENV, "something else")
    inline = calculator.grid_view(6, 3, s=2).data
    assert (
        inline
        == f'<style>{page.static_text("book.css")}</style><div class="cnn-calc">' + committed.split(">", 1)[1]
    )


def test_control_checks_the_files_it_is_given(monkeypatch):
    for committed in (True, False):
        if committed:
            monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)
        else:
            monkeypatch.delenv(page.OUTPUTS_ENV)
        with pytest.raises(ValueError, match="every control"):
            page.control("k", "u", "c", "", {}, ("book.js", "player.js"))
        with pytest.raises(FileNotFoundError, match=r"nope\.js"):
            page.control("k", "u", "c", "", {}, ("nope.js",))
        with pytest.raises(ValueError, match=r"\.json"):
            page.control("k", "u", "c", "", {}, ("player.js",), files={"net": "player.js"})
        with pytest.raises(ValueError, match=r"\.json"):
            page.control("k", "u", "c", "", {}, ("player.js",), files={"a=b": "x.json"})
        with pytest.raises(FileNotFoundError, match=r"nope\.json"):
            page.control("k", "u", "c", "", {}, ("player.js",), files={"net": "nope.json"})


CHAPTER_LIKE = """
from helpers import data
from helpers.interactive import calculator, players
print(players.sweep_player(data.load("digit4"), [[3]]).data)
print(calculator.calculator_html().data)
print(calculator.grid_view(6, 3, s=2).data)
"""


def test_committed_outputs_are_the_same_on_every_run():
    """As nbval sees them: a fresh kernel, generated ids, twice."""
    env = {"PATH": "", "PYTHONPATH": str(ROOT), page.OUTPUTS_ENV: page.COMMITTED}
    runs = [
        subprocess.run(
            [sys.executable, "-c", CHAPTER_LIKE],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
            timeout=120,
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and runs[0].count("data-cnn-scripts=") == 2
    assert "<script" not in runs[0] and "<style" not in runs[0]


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_execute_and_nbval_kernels_make_committed_outputs():
    """scripts/execute.py's kernels, nbval's (the top-level conftest.py) and page.py agree."""
    execute = _load(ROOT / "scripts" / "execute.py", "cnn_execute")
    top = _load(ROOT / "conftest.py", "cnn_top_conftest")
    assert execute.COMMITTED_ENV == top.NBVAL_KERNEL_ENV == {page.OUTPUTS_ENV: page.COMMITTED}

"""Every figure of the book is described in words, from the data it draws: the builders of
``helpers.figures`` write the alt text (``helpers.figures.alt``), IPython puts it into the
output's metadata, the committed chapters carry it there (and nowhere else), and the website
gives each image that text (``site/alt_text.py``), never its file path."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from docutils import nodes
from site_support import PAGES, load_site_module, undescribed

from helpers import data
from helpers.figures import alt, compare, grids, panels, plots, style
from helpers.network import Conv, Dense, Flatten, Pool

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
ALT_TEXT = load_site_module("alt_text")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


def teardown_function():
    plt.close("all")


class _Run:
    """What plots.overfitting_curves reads of a helpers.overfit run."""

    def __init__(self, variant, regularised):
        self.variant, self.regularised = variant, regularised
        e = np.array([0.7, 0.3, 0.1])
        self.history = {k: list(e) for k in ("loss", "val_loss", "clean_loss")}
        self.history.update({k: list(1 - e) for k in ("accuracy", "val_accuracy", "clean_accuracy")})


def _builders():
    rng = np.random.default_rng(0)
    digit, photo = data.load("digit4"), data.load_photo("coffee")
    image, kernel = data.load("conv6x6_image"), data.load("conv6x6_kernel")
    x2, kernels, biases = data.two_channel()
    two_channel_first_filter = (x2, kernels[..., 0], biases[0])
    history = {
        "loss": [0.7, 0.1],
        "val_loss": [0.6, 0.2],
        "accuracy": [0.5, 0.99],
        "val_accuracy": [0.6, 0.95],
    }
    return {
        "image_and_grid": (lambda: grids.image_and_grid(digit, title="digit"), ["17×4", "from 1 to 249"]),
        "digit_beside_real": (
            lambda: grids.digit_beside_real(digit, np.arange(28 * 28).reshape(28, 28) % 256, (0, 2, 2)),
            [
                "Left, the article's 4: a 17×4 grid of shaded cells from 1 to 249",
                "a 28×28 grid of shaded cells from 0 to 255",
                "rows 0 to 1, columns 2 to 3 outlined in orange",
                "Right, the outlined 2×2 block: a 2×2 grid, row by row: 2 3; 30 31.",
            ],
        ),
        "window_figure": (
            lambda: grids.window_figure(image, kernel, position=0),
            ["output[0, 0] = 18×1 + 51×1 + 121×1 + 35×1 + 204×1 = 429", "429 505 686 856"],
        ),
        "channel_figure": (
            lambda: grids.channel_figure(*two_channel_first_filter, position=4),
            [
                "output[1, 1] = 14 + -2 + -2 = 10",
                "Row 2, channel 1: a 4×4 grid, row by row: 1 0 2 1; 0 3 1 2",
                "columns 1 to 2 outlined in orange",
                "whose cell [1, 1] is 3×-1 + 1×1 + 0×1 = -2",
                "the maps added plus the bias -2: a 3×3 grid, row by row: 11 6 -1; 7 10 7; -1 4 13",
            ],
        ),
        "grid_panels": (
            lambda: grids.grid_panels(
                [[[1, 2], [3, 4]], photo], titles=["small", "photo"], marks=[[(0, 1)], None]
            ),
            [
                "Small: a 2×2 grid, row by row: 1 2; 3 4, with cells [0, 1] outlined",
                "Photo: a 300×300 colour picture",
            ],
        ),
        "pooling_figure": (
            lambda: grids.pooling_figure(
                [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
                {"max": [[4, 0], [0, 0]], "l2": [[5.48, 0], [0, 0]]},
                cell=(0, 0),
            ),
            [
                "A 4×4 grid, row by row: 1 2 0 0; 3 4 0 0",
                "block that feeds pooled cell [0, 0] outlined in orange",
                "max pooling, a 2×2 grid, row by row: 4 0; 0 0",
                "max pooling shaded on the map's scale, from 0 to 4",
                "l2 pooling on a scale of its own, from 0 to 5.48, outside the map's range",
            ],
        ),
        "network_figure": (
            lambda: panels.network_figure(
                (32, 32, 3), [Conv(10, 5), Pool(2), Flatten(), Dense(10, "softmax")]
            ),
            [
                "the 5 volumes its layers output",
                "input: a 32×32×3 volume; conv 5×5, 10 filters: a 28×28×10 volume",
                "max pool, 2×2: a 14×14×10 volume; flatten: a vector of 1960",
                "dense 10, softmax: a vector of 10.",
            ],
        ),
        "conv_matrix_figure": (
            lambda: panels.conv_matrix_figure((2, 2), (3, 3)),
            ["4×9 matrix", "20 of its 36"],
        ),
        "images_figure": (
            lambda: panels.images_figure([photo, photo], ["a", "b"], ncols=2),
            ["2 pictures side by side, 300×300 colour: a; b."],
        ),
        "image_row": (lambda: panels.image_row([np.zeros((28, 28))], ["a 4"]), ["A 4: a 28×28 grey picture"]),
        "filter_responses_figure": (
            lambda: panels.filter_responses_figure(
                {"blur": np.full((4, 4), 300.0), "edge": np.arange(-8.0, 8.0).reshape(4, 4)},
                {"blur": np.full((3, 3), 1 / 9), "edge": np.array([[-1, 0, 1]] * 3)},
                ncols=2,
                clip=50,
            ),
            [
                "2 pictures side by side, each 4×4: blur; edge.",
                "1 kernel whose weights add up to 1 (blur) drawn in grey, 0 black to 255 white",
                "on one scale from -4 to +4, the 50th percentile of their sizes",  # |values| 0-8, median 4
                "the 43.8% of values beyond it (up to 8) are drawn in the end colours",  # 7 of 16
            ],
        ),
        "signed_maps_grid": (
            lambda: panels.signed_maps_grid(
                np.stack([np.full((4, 4), -2.0), np.eye(4)], -1), "pre", labels=["a", "b"]
            ),
            [
                "Pre: 2 maps of 4×4, blue below 0, white at 0, red above, on one scale from -2 to +2 "
                "(the largest size of all)",
                "The range of each: a -2 to -2 (0 % above 0), b 0 to 1 (25 % above 0).",
            ],
        ),
        "maps_grid": (
            lambda: panels.maps_grid(np.stack([np.zeros((4, 4)), np.full((4, 4), 2.0)], -1), "maps"),
            ["2 feature maps of 4×4", "filter 0 all 0, filter 1 2", "One map is 0 everywhere"],
        ),
        "kernels_figure": (
            lambda: panels.kernels_figure([np.full((5, 5, 1, 3), -0.5)], ["initial"]),
            ["1 row of 3 5×5 kernels", "initial, weights from -0.5 to -0.5"],
        ),
        "kernels_change_figure": (
            lambda: panels.kernels_change_figure(
                np.zeros((5, 5, 1, 3)),
                np.stack([np.full((5, 5), v) for v in (0.1, -0.4, 0.2)], -1)[:, :, None],
            ),
            [
                "3 rows of 3 5×5 kernels",
                "learned − initial, weights from -0.4 to 0.2 (colour bar from -0.4 to 0.4)",
                "kernel 1 (summed absolute change 10.00), kernel 2 (summed absolute change 5.00), "
                "kernel 0 (summed absolute change 2.50)",
            ],
        ),
        "kernels_grid": (
            lambda: panels.kernels_grid(rng.normal(size=(5, 5, 1, 32))),
            ["32 5×5 kernels in 4 rows"],
        ),
        "receptive_fields_figure": (
            lambda: panels.receptive_fields_figure(
                photo[:64, :64], {"a": [Conv(1, 3)], "b": [Conv(1, 3)] * 2}
            ),
            ["2 nested squares", "a: 3×3; b: 5×5 pixels"],
        ),
        "loss_curve": (
            lambda: plots.loss_curve([1.0, 0.1, 0.01]),
            ["over 3 steps", "from 1 to 0.01, falling"],
        ),
        "learning_curves": (
            lambda: plots.learning_curves(history),
            ["over 2 epochs", "training from 0.5 to 0.99"],
        ),
        "confusion_figure": (
            lambda: plots.confusion_figure(np.array([[3, 1], [0, 4]]), ["4", "9"]),
            ["True 4: 3 read as 4, 1 read as 9; true 9: 0 read as 4, 4 read as 9", "7 of 8"],
        ),
        "overfitting_curves": (
            lambda: plots.overfitting_curves([_Run("plain", False), _Run("cured", True)]),
            ["2 columns", "plain, over 3 epochs", "Keras's own training accuracy (dotted) from 0.3 to 0.9"],
        ),
        "values_histogram": (
            lambda: plots.values_histogram([-2.0, -1.0, -0.5, 1.0], "values"),
            ["Values: a histogram of 4 values", "from -2 to 1", "75 % are below 0", "25 % are above 0"],
        ),
        "loss_quiz_figure": (
            lambda: plots.loss_quiz_figure(
                [{"clean_loss": [1.0, 0.1, 0.01], "val_loss": [1.0, 0.5, 0.6]}] * 2, ["A", "B"]
            ),
            [
                "2 line charts",
                "training A, over 3 epochs: training digits from 1 to 0.01, validation digits "
                "from 1 to 0.6, lowest at epoch 2 (0.5)",
            ],
        ),
        "selectivity_figure": (
            lambda: plots.selectivity_figure({"flat": np.ones((4, 10)), "one": np.eye(4, 10)}, n_channels=4),
            ["flat 1, one 0.1"],
        ),
        "class_grid": (
            lambda: compare.class_grid(
                np.zeros((6, 28, 28, 1)), np.array([0, 1, 0, 1, 0, 1]), ["Coat", "Bag"], per_class=2
            ),
            ["4 photos in 2 columns of 2, 28×28 grey", "one column per class: Coat; Bag."],
        ),
        "seed_curves": (
            lambda: compare.seed_curves(
                {"plain": [[1.0, 0.5], [0.9, 0.6]], "skips": [[0.8, 0.2]]}, "training loss", target=0.3
            ),
            [
                "Line chart of training loss per epoch, one line per seed",
                "a dotted line at the target 0.3",
                "Plain (2 seeds): between 0.9 and 1 after epoch 1, between 0.5 and 0.6 after epoch 2",
                "skips (1 seed): 0.8 after epoch 1, 0.2 after epoch 2.",
            ],
        ),
    }


BUILDERS = _builders()


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_builder_describes_its_figure_from_its_data(name):
    build, says = BUILDERS[name]
    text = alt.description(build())
    assert text and text.endswith(".") and "None" not in text, text
    for words in says:
        assert words in text, (words, text)


def test_every_builder_of_the_figures_package_is_tested():
    """A new figure builder gets a description, and a case above."""
    public = {
        f"{m.__name__.rsplit('.', 1)[1]}.{n}"
        for m in (compare, grids, panels, plots)
        for n, f in vars(m).items()
        if callable(f) and not n.startswith("_") and getattr(f, "__module__", "") == m.__name__
    }
    not_figures = {
        "grids.draw_grid",  # draws on an axis of a figure the caller opened and describes
        "grids.window_words",
        "grids.channel_words",
        "panels.maps_words",
        "panels.signed_limit",
        "panels.network_words",
        "panels.as_jpeg",
        "plots.overfitting_words",
        "plots.values_words",
    }
    assert {p.split(".")[1] for p in public - not_figures} == set(BUILDERS)


def test_grid_words():
    assert alt.grid_words([[1, 2.5], [3, 4]]) == "a 2×2 grid, row by row: 1 2.5; 3 4"
    assert alt.grid_words(np.arange(8 * 6).reshape(8, 6)) == "an 8×6 grid of numbers from 0 to 47"
    assert alt.grid_words(np.zeros((11, 5))) == "an 11×5 grid of numbers, all 0"
    assert alt.grid_words([[1, np.nan]]) == "a 1×2 grid, row by row: 1 *, * where the source gives no value"
    assert (
        alt.grid_words([[0, 255]], numbers=False)
        == "a 1×2 grid of shaded cells from 0 to 255, no numbers shown"
    )
    assert alt.grid_words([[1 / 3]], decimals=3) == "a 1×1 grid, row by row: 0.333"


def test_describe_refuses_what_it_cannot_describe():
    with pytest.raises(
        TypeError, match=r"fig must be a figure opened with helpers\.figures\.style\.subplots"
    ):
        alt.describe(plt.figure(), "a figure")
    fig, _ = style.subplots()
    with pytest.raises(ValueError, match="text must say what the figure shows in words, got ' '"):
        alt.describe(fig, " ")
    with pytest.raises(ValueError, match="values must be 2-D"):
        alt.grid_words([1, 2])
    assert alt.description(plt.figure()) == ""


# What a kernel's shell does with a figure: the inline backend displays it as PNG, or as JPEG
# after %config; as_jpeg's image is the cell's result. Run in a shell of its own (IPython's
# test shell changes the interpreter it runs in).
DISPLAY_SCRIPT = textwrap.dedent(
    """
    import json
    from IPython.testing.globalipapp import start_ipython
    from IPython.utils.capture import capture_output
    ip = start_ipython()
    ip.display_formatter.active_types = ip.display_formatter.format_types
    ip.run_cell("%matplotlib inline")
    ip.run_cell("from helpers.figures import grids, panels, style")
    found = {}
    for name, code in [
        ("png", "fig = grids.grid_panels([[[1, 2], [3, 4]]], titles=['t'])"),
        ("undescribed", "fig, ax = style.subplots()"),
        ("jpeg", "%config InlineBackend.figure_formats = ['jpeg']\\nfig = grids.grid_panels([[[1]]])"),
    ]:
        with capture_output() as cap:
            ip.run_cell(code)
        found[name] = [o.metadata for o in cap.outputs]
    result = ip.run_cell("panels.as_jpeg(grids.grid_panels([[[5]]]))").result
    found["as_jpeg"] = [ip.display_formatter.format(result)[1]]
    print(json.dumps(found))
    """
)


def test_a_displayed_figure_carries_its_alt_text_in_the_output_metadata(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", DISPLAY_SCRIPT],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), IPYTHONDIR=str(tmp_path), MPLBACKEND="Agg"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["png"] == [{"image/png": {"alt": "T: a 2×2 grid, row by row: 1 2; 3 4."}}]
    assert found["undescribed"] == [{}]
    assert found["jpeg"] == [{"image/jpeg": {"alt": "A 1×1 grid, row by row: 1."}}]
    assert found["as_jpeg"] == [{"image/jpeg": {"alt": "A 1×1 grid, row by row: 5."}}]


# ----------------------------------------------------------------------------- the chapters
def _image_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            for mime in output.get("data", {}):
                if mime in IMAGE_TYPES:
                    yield i, mime, (output.get("metadata", {}).get(mime) or {}).get("alt", "")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_of_a_chapter_carries_its_alt_text(path):
    """Each image output has its builder's alt text in its metadata (re-execute a chapter
    whose figures have none: ``scripts/execute.py``)."""
    missing = [f"cell {i} ({mime})" for i, mime, text in _image_outputs(path) if not text.strip()]
    assert missing == [], f"{path.name}: figures without alt text, re-execute it: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_chapter_types_alt_text_by_hand(path):
    """One source: the figure's builder. A cell's ``mystnb.image.alt`` would hold numbers typed
    by hand, for every image of the cell, and stay behind when the cell moves."""
    nb = nbformat.read(path, as_version=4)
    typed = [i for i, c in enumerate(nb.cells) if "alt" in c.metadata.get("mystnb", {}).get("image", {})]
    assert typed == [], (
        f"{path.name}: cells {typed} carry alt text in their metadata; describe the figure instead"
    )


# ----------------------------------------------------------------------------- the website
def _png(seed: int) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (seed, 0, 0)).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _notebook(outputs):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()", id="c1")
    cell.outputs = outputs
    nb.cells = [nbformat.v4.new_markdown_cell("# Figures", id="m1"), cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _image_output(seed, alt_text=None):
    meta = {"image/png": {"alt": alt_text}} if alt_text else {}
    return nbformat.v4.new_output(
        "display_data", data={"image/png": _png(seed), "text/plain": "<Figure>"}, metadata=meta
    )


def test_output_alts_are_keyed_by_the_hash_that_names_the_file():
    nb = json.loads(nbformat.writes(_notebook([_image_output(1, "one"), _image_output(2)])))
    key = hashlib.sha256(base64.b64decode(_png(1))).hexdigest()
    assert ALT_TEXT.output_alts(nb) == {key: "one"}
    doctree = nodes.section()
    doctree += nodes.image(uri=f"_build/jupyter_execute/{key}.png")
    doctree += nodes.image(uri="_build/jupyter_execute/other.png")
    assert ALT_TEXT.describe_images(doctree, ALT_TEXT.output_alts(nb)) == 1
    assert [i.get("alt") for i in doctree.findall(nodes.image)] == ["one", None]


def test_myst_nb_page_shows_the_outputs_alt_text(tmp_path):
    """A small Sphinx project with myst-nb and site/alt_text.py: the image's alt is the text
    from the output's metadata (without the extension, it is the image's path)."""
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'site')!r})\n"
        "extensions = ['myst_nb', 'alt_text']\nnb_execution_mode = 'off'\n"
        "exclude_patterns = ['_build']\n"
    )
    nbformat.write(
        _notebook([_image_output(7, "A 2×2 grid, row by row: 1 2; 3 4.")]), tmp_path / "index.ipynb"
    )
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(tmp_path / "_build")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    page = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<img [^>]*alt="([^"]*)"', page) == ["A 2×2 grid, row by row: 1 2; 3 4."]


@pytest.mark.parametrize("page", PAGES)
def test_no_built_page_shows_an_image_without_a_description(site, page):
    """Every ``<img>`` of the built site has an alt text, and not a file path."""
    text = (site / page).read_text(encoding="utf-8")
    tags = re.findall(r"<img\b[^>]*>", text)
    alts = [html.unescape(m.group(1)) if (m := re.search(r'\balt="([^"]*)"', t)) else None for t in tags]
    bad = [a for a in alts if undescribed(a)]
    assert bad == [], f"{page}: images without a description: {bad[:5]}"

"""helpers.interactive.playground: its committed data files are what ``data_file`` makes from the
book's fixed splits; its committed output names its files (the data files lazily) and carries
no data, a reader's self-contained output carries everything, the worker's text included; what
the page ships stays within its share of the 2.5 MB page weight."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import data
from helpers.interactive import page, playground
from helpers.interactive.explorer import unpack_digit

# The chapter's page without the playground weighs about 0.9 MB (pages without maths in
# benchmarks/results/site.json: 0.86-0.98 MB); the playground's files, with BOTH data sets
# loaded, may add at most this much so that the page stays well under 2.5 MB.
PLAYGROUND_BYTES = 1_100_000


@pytest.mark.parametrize("key", sorted(playground.SETS))
def test_committed_data_file_is_current(key):
    name = playground.SETS[key][0]
    assert json.loads(page.static_text(name)) == playground.data_file(key), (
        f"{name} is stale: run `python -c 'from helpers.interactive import playground; "
        f"playground.write_data_files()'`"
    )


def test_data_files_hold_the_split_images_in_class_rotation():
    images, labels, split = data.load_fashion()
    got = json.loads(page.static_text(playground.SETS["fashion"][0]))
    assert got["classes"] == list(data.FASHION_CLASSES)
    for part in ("train", "validation"):
        rows = got[part]["rows"]
        assert set(rows) <= set(np.asarray(split[part]).tolist()) and len(set(rows)) == len(rows)
        assert got[part]["y"] == labels[rows].tolist()
        assert got[part]["y"][:10] == list(range(10))
        np.testing.assert_array_equal(unpack_digit(got[part]["ink"][7]), images[rows[7]])


def test_committed_output_names_its_files_and_inlines_none(monkeypatch):
    monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)
    html = playground.playground(uid="pg").data
    assert 'data-cnn-lazy="digits=playground-digits.json fashion=playground-fashion.json"' in html
    assert 'data-cnn-scripts="digitnet.js cnntrain.js playground.js"' in html
    assert "<script" not in html and len(html) < 20_000
    monkeypatch.delenv(page.OUTPUTS_ENV)
    contained = playground.playground(uid="pg").data
    attr = contained.split("data-cnn='")[1].split("'")[0]
    for name in playground.WORKER:  # the worker's Blob: each file's text, in data-cnn
        assert page.data_attr(page.static_text(name)[:200])[1:-1] in attr, name
    assert " data-cnn-lazy=" not in contained and '"digits":{"name":"digits"' in attr  # data inlined


def test_lazy_files_must_be_static_json(monkeypatch):
    with pytest.raises(ValueError, match=r"lazy maps keys of data to static \.json files"):
        page.control("x", "x", "x", "", {}, (), lazy={"a": "a.js"})
    monkeypatch.setenv(page.OUTPUTS_ENV, page.COMMITTED)
    with pytest.raises(FileNotFoundError, match=r"no static file 'nothing\.json'"):
        page.control("x", "x", "x", "", {}, (), lazy={"a": "nothing.json"})


def test_page_weight_share():
    names = [*playground.SCRIPTS, *playground.STYLES, "playground-worker.js", *playground.LAZY.values()]
    total = sum(len(page.static_text(n).encode()) for n in names)
    assert total <= PLAYGROUND_BYTES, f"the playground ships {total} bytes"

"""The committed notebooks as files: nothing volatile in them, and ``scripts/execute.py``
rewrites a chapter byte for byte when nothing changed (a one-line change gives a one-line
diff), never leaves a half-written notebook, and reports a failing cell in one line."""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _execute_script():
    spec = importlib.util.spec_from_file_location("execute", ROOT / "scripts" / "execute.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["execute"] = module
    spec.loader.exec_module(module)
    return module


execute = _execute_script()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_committed_notebook_is_clean_and_written_as_execute_writes_it(path):
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert "widgets" not in nb.metadata, "saved widget state"
    assert "version" not in nb.metadata.get("language_info", {})
    assert [i for i, c in enumerate(nb.cells) if "execution" in c.metadata] == [], "timestamps"
    assert nbformat.writes(execute.clean(copy.deepcopy(nb), path.name)) + "\n" == text


def _notebook_with_volatile_metadata():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    cell = nbformat.v4.new_code_cell("w", id="widget")
    cell.metadata["execution"] = {"iopub.execute_input": "2026-12-06T10:00:00.000Z"}
    view = {"model_id": "45fd2e3427e1489b804c78b5d23827cf", "version_major": 2, "version_minor": 0}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={execute.WIDGET_VIEW: view, "text/plain": "IntSlider(value=0)"}
        )
        for _ in range(2)
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# t", id="title"), cell]
    return nb


def test_clean_drops_what_changes_from_run_to_run():
    a = execute.clean(_notebook_with_volatile_metadata(), "x.ipynb")
    assert "widgets" not in a.metadata and a.metadata.language_info == {"name": "python"}
    assert "execution" not in a.cells[1].metadata
    ids = [o.data[execute.WIDGET_VIEW]["model_id"] for o in a.cells[1].outputs]
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    b = execute.clean(_notebook_with_volatile_metadata(), "x.ipynb")
    assert nbformat.writes(a) == nbformat.writes(b) == nbformat.writes(execute.clean(b, "x.ipynb"))
    c = execute.clean(_notebook_with_volatile_metadata(), "y.ipynb")
    assert c.cells[1].outputs[0].data[execute.WIDGET_VIEW]["model_id"] not in ids


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "ch.ipynb"
    target.write_text("the committed notebook")

    def full_disk(nb, f, **kw):
        f.write('{"cells": [')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nbformat, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        execute.write_atomic(nbformat.v4.new_notebook(), target)
    assert target.read_text() == "the committed notebook"
    assert [p.name for p in tmp_path.iterdir()] == ["ch.ipynb"]  # no temporary file left


def test_reexecuting_an_unchanged_chapter_changes_no_byte(tmp_path):
    """The shortest chapter, executed again by scripts/execute.py: the same bytes."""
    src = ROOT / "chapters" / "02_case1_one_weight.ipynb"
    copy_ = tmp_path / src.name
    shutil.copy(src, copy_)
    execute.execute(copy_)
    assert copy_.read_bytes() == src.read_bytes()


def test_a_failing_cell_is_one_line_and_the_file_is_untouched(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError) as info:
        execute.execute(path)
    assert str(info.value) == "cell 1 raised ZeroDivisionError: division by zero"
    assert path.read_bytes() == before


def test_a_broken_notebook_is_one_line_and_the_others_still_run(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')  # cut off, as a full disk leaves it
    good = tmp_path / "good.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(2 + 2)")]), good)
    assert execute.main([str(broken), str(good)]) == 1
    err = capsys.readouterr()
    lines = err.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{broken}: FAILED, left as it was: not a readable notebook")
    assert broken.read_text() == '{"cells": ['
    assert nbformat.read(good, as_version=4).cells[0].outputs[0]["text"] == "4\n"
    assert err.out.strip().endswith(f"rewritten 1, failed 1: {broken}")


def test_ctrl_c_is_one_line_the_file_untouched_and_no_kernel_left(tmp_path):
    """As a terminal sends it: SIGINT to the script's whole process group, mid-cell."""
    marker = tmp_path / "kernel.pid"
    path = tmp_path / "slow.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)"
                )
            ]
        ),
        path,
    )
    before = path.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "execute.py"), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (marker.is_file() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.is_file(), "the kernel never started the cell"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines() == [
        f"interrupted while executing {path} (left as it was); rewritten before it: none"
    ]
    assert path.read_bytes() == before
    kernel = int(marker.read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{kernel}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{kernel}").exists(), "the kernel outlived the script"

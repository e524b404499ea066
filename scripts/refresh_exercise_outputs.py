"""Refresh the committed output of every reader cell ``check_answer("key", None)``.

    .venv/bin/python scripts/refresh_exercise_outputs.py [chapters/NN_name.ipynb ...]

``check_answer(key, None)`` prints one neutral line (``helpers.exercises.unanswered_line``).
A chapter executed before that line changed still shows the old text, and nbval would flag
it. This rewrites only those cells' outputs - the line ``check_answer`` prints today, computed
by calling it - and leaves every other cell, the metadata and the execution counts alone, so
it can be re-run after chapters are merged. Cells that do more than the one call are left for
a normal re-execution (scripts/execute.py) and listed.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.exercises import check_answer  # noqa: E402

ONLY_CALL = re.compile(
    r"""^\s*check_answer\(\s*(["'])(?P<key>[^"'\n]+)\1\s*,\s*None\s*\)"""
    r"""\s*;?\s*(#[^\n]*)?$"""
)


def refresh(path: Path) -> tuple[int, list[int]]:
    """(cells refreshed, indices of cells that need a real re-execution)."""
    nb = nbformat.read(path, as_version=4)
    changed, skipped = 0, []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "check_answer(" not in cell.source:
            continue
        m = ONLY_CALL.match(cell.source)
        if not m:
            if re.search(r"check_answer\([^)]*,\s*None\s*\)", cell.source):
                skipped.append(i)
            continue
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            check_answer(m.group("key"), None)
        outputs = [nbformat.v4.new_output("stream", name="stdout", text=buf.getvalue())]
        if cell.outputs != outputs:
            cell.outputs = outputs
            changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed, skipped


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        changed, skipped = refresh(path)
        note = f"; re-execute for cells {skipped}" if skipped else ""
        print(f"{path.name}: {changed} cell(s) refreshed{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Re-execute chapter notebooks in place, so the committed outputs and the static site match
what the code does now, and keep nothing volatile: re-executing an unchanged chapter on the
same machine leaves the file byte for byte as it was.

    .venv/bin/python scripts/execute.py                 # every chapter
    .venv/bin/python scripts/execute.py chapters/01_*.ipynb
    .venv/bin/python scripts/execute.py --prose-only    # no kernel: only the prose's numbers

After a run, the numbers in the prose (``<span data-glue="name">``, ``book.markup``) are
rewritten from the values the code cells stored, so the text a reader sees in any front end
is what the code computed; ``--prose-only`` does only that, from the saved outputs (after
editing the prose).

What a committed notebook never holds (``clean``): per-cell execution timestamps, saved
ipywidgets state (the book's controls run in the page, and the site build refuses widget
outputs), the Python patch version, random widget model ids (each
widget output gets an id derived from the notebook, cell and output position), and the split
of a cell's printed text into several outputs (consecutive streams are merged). Each notebook
is written to a temporary file beside it and renamed, so a full disk or Ctrl-C never leaves a
truncated notebook. A failing notebook is left as it was, reported in one line, and the run
goes on with the next; the exit status is 1 if any failed, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The kernels that make committed outputs know it from this variable (helpers read it):
#: outputs then leave out what the website serves from files of its own.
COMMITTED_ENV = {"CNN_BOOK_OUTPUTS": "committed"}
CELL_TIMEOUT = 900  # seconds for one cell; the longest training cell takes well under a minute


def clean(nb, name: str):
    """``nb`` (an nbformat notebook) without volatile metadata, in place; returns it.
    ``name`` (the file name) seeds the widget model ids, so they are the same every run."""
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for j, out in enumerate(cell.get("outputs", [])):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = hashlib.sha1(f"{name}:{i}:{j}".encode()).hexdigest()[:32]
    return nb


def write_atomic(nb, path: Path) -> None:
    """Write ``nb`` to a temporary file in ``path``'s folder, then rename it over ``path``."""
    import nbformat

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _failure(nb, error) -> str:
    """One line: which cell failed and how (the error's name and first line)."""
    failed = next(
        (i for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"),
        None,
    )
    where = f"cell {failed}" if failed is not None else "the kernel"
    ename = getattr(error, "ename", None) or type(error).__name__
    evalue = getattr(error, "evalue", None) or str(error)
    first = (evalue.strip().splitlines() or [""])[0][:200]
    return f"{where} raised {ename}: {first}"


def execute(path: Path) -> float:
    """Execute ``path`` in a fresh kernel (working directory: its folder), clean it and write
    it back. Raises ``RuntimeError`` with one line if a cell fails (the file is untouched)."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.ValidationError) as e:  # not JSON, not a notebook
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
        raise RuntimeError(f"not a readable notebook ({type(e).__name__}: {first})") from None
    with mock.patch.dict(os.environ, COMMITTED_ENV):  # the kernel inherits it when it starts
        return _execute(nb, path)


def _execute(nb, path: Path) -> float:
    from nbclient import NotebookClient

    start = time.perf_counter()
    # coalesce_streams: a cell's printed lines are one output however the kernel's messages
    # happened to be split in time
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        # the kernel in a session of its own: Ctrl-C reaches this script, which shuts it down,
        # and its own log lines (an unencrypted-TCP warning) stay out of the report
        client.execute(start_new_session=True, stderr=subprocess.DEVNULL)
    except Exception as e:  # every kernel or cell failure becomes one line
        # nbclient answers Ctrl-C itself (it shuts the kernel down, then reports a dead kernel
        # or an AssertionError): its signal handler leaves this future behind
        if getattr(client, "_async_cleanup_kernel_future", None) is not None:
            raise KeyboardInterrupt from None
        raise RuntimeError(_failure(nb, e)) from None
    _fill_prose(nb)
    write_atomic(clean(nb, path.name), path)
    return time.perf_counter() - start


def _fill_prose(nb) -> int:
    from book import markup

    try:
        return markup.fill(nb)
    except KeyError as e:
        raise RuntimeError(e.args[0]) from None


def fill_prose(path: Path) -> int:
    """Rewrite only the prose's numbers of ``path`` from its saved outputs; returns how many
    changed (the file is rewritten only if some did)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = _fill_prose(nb)
    if changed:
        write_atomic(nb, path)
    return changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Re-execute chapter notebooks in place.")
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: every chapters/*.ipynb")
    ap.add_argument(
        "--prose-only",
        action="store_true",
        help="no kernel: rewrite the prose's numbers from the saved outputs",
    )
    args = ap.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    missing = [str(p) for p in paths if p.suffix != ".ipynb" or not p.is_file()]
    if missing:
        ap.error(f"not a notebook file: {', '.join(missing)} (give paths like chapters/01_*.ipynb)")
    sys.path.insert(0, str(ROOT))
    if args.prose_only:
        return _prose_only(paths)
    from helpers import tfenv  # noqa: F401 - the kernels inherit its quiet-TensorFlow setting

    os.environ.setdefault("PYTHONHASHSEED", "0")
    done, failed = [], []
    for p in paths:
        try:
            seconds = execute(p)
        except KeyboardInterrupt:
            print(
                f"\ninterrupted while executing {p} (left as it was); rewritten before it: "
                f"{', '.join(done) or 'none'}",
                file=sys.stderr,
            )
            return 130
        except RuntimeError as e:
            print(f"{p}: FAILED, left as it was: {e}", file=sys.stderr, flush=True)
            failed.append(str(p))
            continue
        done.append(str(p))
        print(f"{p}: {seconds:.1f} s", flush=True)
    if len(paths) > 1 or failed:
        print(f"rewritten {len(done)}, failed {len(failed)}" + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def _prose_only(paths) -> int:
    failed = 0
    for p in paths:
        try:
            print(f"{p}: {fill_prose(p)} numbers rewritten", flush=True)
        except RuntimeError as e:
            print(f"{p}: FAILED, left as it was: {e}", file=sys.stderr, flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

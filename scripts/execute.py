"""Re-execute chapter notebooks in place, saving widget state, so the committed outputs and
the static site match what the code does now.

    .venv/bin/python scripts/execute.py                 # every chapter
    .venv/bin/python scripts/execute.py chapters/01_*.ipynb
"""

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers import tfenv  # noqa: E402,F401 - the kernels inherit its quiet-TensorFlow setting

os.environ.setdefault("PYTHONHASHSEED", "0")


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Re-execute chapter notebooks in place.")
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: every chapters/*.ipynb")
    paths = ap.parse_args().notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    missing = [str(p) for p in paths if p.suffix != ".ipynb" or not p.is_file()]
    if missing:
        ap.error(f"not a notebook file: {', '.join(missing)} (give paths like chapters/01_*.ipynb)")
    for p in paths:
        print(f"{p}: {execute(p):.1f} s", flush=True)

"""Insert (or refresh) the Colab set-up cell in chapter notebooks.

    .venv/bin/python scripts/add_colab_cell.py chapters/NN_name.ipynb [...]
    .venv/bin/python scripts/add_colab_cell.py            # every chapter

On Colab the notebook arrives alone, without the book's ``helpers`` package and ``data/``
folder; everything else the chapters import (numpy, matplotlib, TensorFlow,
OpenCV, scikit-image, mlxtend) is preinstalled there. The cell clones the book's repository
(URL read from ``_config.yml`` -> ``repository.url``, set once there) and puts it on
``sys.path``. Everywhere else (JupyterLab, Binder, Thebe, nbval) it does nothing and prints
nothing, so committed outputs stay stable. It goes right after the title cell, is tagged
``remove-cell`` (not shown on the website) and ``colab-setup`` (so re-running this script
updates it instead of adding a second one). Re-execute the chapter afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAG = "colab-setup"

TEMPLATE = """# Colab only: fetch the book's `helpers` package and `data/` (Colab has the rest).
# Everywhere else (JupyterLab, Binder, live code on the website) this cell does nothing.
import sys
if "google.colab" in sys.modules:
    import os
    import subprocess
    REPO, BOOK = "{url}", "/content/{name}"
    if not os.path.isdir(BOOK):
        subprocess.run(["git", "clone", "-q", "--depth", "1", REPO, BOOK], check=True)
    sys.path.insert(0, BOOK)"""


def repository_url(config: Path = ROOT / "_config.yml") -> str:
    """``repository.url`` from _config.yml (PyYAML comes with Jupyter Book)."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    repository = settings.get("repository")
    url = repository.get("url") if isinstance(repository, dict) else None
    if not isinstance(url, str) or not url:
        raise ValueError(f"{config} has no repository.url; set it once there")
    return url


def colab_source(url: str) -> str:
    if not url.startswith("https://"):
        raise ValueError(f"url must be an https:// repository URL, got {url!r}")
    name = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    return TEMPLATE.format(url=url, name=name)


def add_cell(path: Path, url: str) -> str:
    """Insert or update the set-up cell in ``path``; returns 'added', 'updated' or 'unchanged'."""
    nb = nbformat.read(path, as_version=4)
    source = colab_source(url)
    for cell in nb.cells:
        if TAG in cell.get("metadata", {}).get("tags", []):
            if cell.source == source:
                return "unchanged"
            cell.source = source
            nbformat.write(nb, path)
            return "updated"
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["remove-cell", TAG]})
    cell.id = TAG  # stable id: the same cell in every chapter, no random churn
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(at, cell)
    nbformat.write(nb, path)
    return "added"


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "chapters").glob("*.ipynb"))
    url = repository_url()
    for p in paths:
        print(f"{p}: {add_cell(p, url)}")

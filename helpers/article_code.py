"""The article's Keras program as the scrape kept it (``data/article_program.txt``): its lines,
its imports, and which imported names the surviving code never uses.

The program is not valid Python (lost text, a missing indentation, an IPython ``%`` command),
so it is read as text: an import line binds names, and a name counts as used when it appears
as a whole word in a later code line.
"""

from __future__ import annotations

import re

from . import data

#: The program's file name in the data folder (``data.DATA_DIR``).
PROGRAM_FILE = "article_program.txt"


def program_lines() -> list[str]:
    """The program's lines in order: headings as ``## …``, lost text as ``…``; the file's own
    ``#`` header lines are dropped."""
    lines = (data.DATA_DIR / PROGRAM_FILE).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not (line.startswith("# ") and not line.startswith("## "))]


def code_lines() -> list[str]:
    """Only the code: no headings, no ``…`` lines, no comments."""
    return [
        line
        for line in program_lines()
        if line.strip()
        and not line.startswith("##")
        and line.strip() != "…"
        and not line.lstrip().startswith("#")
    ]


def imported_names(line: str) -> list[str]:
    """The names an import line binds: ``import numpy as np`` -> ['np'], ``from skimage import
    io`` -> ['io'], ``import os`` -> ['os']; [] for other lines."""
    m = re.match(r"\s*from\s+[\w.]+\s+import\s+(.+)$", line)
    if m:
        parts = m.group(1).split(",")
    else:
        m = re.match(r"\s*import\s+(.+)$", line)
        if not m:
            return []
        parts = m.group(1).split(",")
    names = []
    for part in parts:
        words = part.split()
        names.append(words[-1] if "as" in words else words[0].split(".")[0])
    return names


def unused_imports() -> list[tuple[str, str]]:
    """(import line, name) for every imported name that no later code line uses."""
    lines = code_lines()
    unused = []
    for i, line in enumerate(lines):
        for name in imported_names(line):
            pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
            if not any(pattern.search(later) for later in lines[i + 1 :]):
                unused.append((line.strip(), name))
    return unused

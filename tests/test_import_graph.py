"""The helpers package imports without cycles, and no module of it is named like a module of
the standard library (``helpers/models/inspect.py`` shadowed ``inspect`` for code run next to
it).

The graph is read from the source with ``ast``, nothing is imported. Every ``import``
statement counts, at the top of a module or inside a function: an import moved into a
function only postpones a cycle. ``from package import name`` depends on the submodule
``package.name`` when there is one, else on the package itself (its ``__init__``); that a
submodule's parent package is loaded first is Python's doing, not an edge.
"""

import ast
import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parent.parent / "helpers"


def module_names(root: Path) -> dict[str, Path]:
    """``{"helpers.ops": path, "helpers.models": path/__init__.py, ...}`` for package ``root``."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of package ``root`` -> the modules of the same package it imports."""
    modules = module_names(root)

    def within(target: str) -> str | None:  # the module of the package that ``target`` names
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [within(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [
                    f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else within(source)
                    for alias in node.names
                ]
            else:
                continue
            edges.update(t for t in targets if t and t != name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after
    path: list[str] = []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in {"__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_helpers_have_no_import_cycle():
    cycle = find_cycle(import_graph(HELPERS))
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_helpers_module_is_named_like_the_standard_library():
    clashes = sorted(
        str(path.relative_to(HELPERS.parent))
        for name, path in module_names(HELPERS).items()
        if name.rpartition(".")[2] in sys.stdlib_module_names
    )
    assert clashes == [], f"named like a standard-library module: {clashes}"


def test_the_check_finds_a_cycle_through_a_function_level_import(tmp_path):
    # the shape learning.py and backprop.py had: one imports at the top, the other in a function
    root = _package(
        tmp_path,
        {
            "a.py": "from . import b, c\n",
            "b.py": "import os\n\ndef f():\n    from .a import g\n",
            "c.py": "from pkg import b\n",
        },
    )
    assert import_graph(root) == {
        "pkg": set(),
        "pkg.a": {"pkg.b", "pkg.c"},
        "pkg.b": {"pkg.a"},
        "pkg.c": {"pkg.b"},
    }
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]
    (root / "b.py").write_text("import os\n")
    assert find_cycle(import_graph(root)) is None


def test_the_check_finds_a_cycle_through_a_package_init(tmp_path):
    # a registry package that imports its parts at the end while they import names from it
    root = _package(
        tmp_path,
        {
            "reg/__init__.py": "def mark(): pass\n\nfrom . import part\n",
            "reg/part.py": "from . import mark\nfrom .. import util\n",
            "util.py": "import pkg.reg.part as p\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.reg.part"] == {"pkg.reg", "pkg.util"} and graph["pkg.util"] == {"pkg.reg.part"}
    assert find_cycle(graph) == ["pkg.reg", "pkg.reg.part", "pkg.reg"]

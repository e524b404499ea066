"""The book's page JavaScript, checked by Node: every .js file the book ships parses
(``node --check``), and the Node unit tests in ``tests/js/*.test.js`` pass (``node --test``).

Node tests compare page code with the Python/Keras side on tables of cases that pytest writes
to a temporary folder or that the tests compute themselves; see each file's first comment.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
# every JavaScript file the book ships (site/node_modules holds third-party packages: not ours)
OWN_JS = sorted(p for d in ("helpers", "site/static") for p in (ROOT / d).rglob("*.js"))
NODE_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.mark.parametrize("path", OWN_JS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_javascript_parses(path):
    res = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize("path", NODE_TESTS, ids=lambda p: p.name)
def test_node_unit_tests(path):
    res = subprocess.run([NODE, "--test", str(path)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]

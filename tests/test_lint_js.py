"""The book's own JavaScript passes ESLint: the page scripts (``helpers/interactive/static``,
``site/static``) and the Node code (``tests/js``, ``benchmarks``, the config itself), linted by
the eslint pinned in ``site/package.json`` with the flat config ``site/eslint.config.js``. The
command is the ``lint`` script of ``site/package.json`` (``npm run lint``), which ``make lint``
and pre-commit (``.pre-commit-config.yaml``) run too."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
NPM = shutil.which("npm")
INSTALL = "`make book` (or `cd site && npm ci`) installs the version site/package.json pins"
# every JavaScript file of the book's own (site/node_modules holds third-party packages)
OWN_JS = sorted(
    [
        p.relative_to(ROOT).as_posix()
        for d in ("helpers", "site/static", "tests/js", "benchmarks")
        for p in (ROOT / d).rglob("*.js")
    ]
    + ["site/eslint.config.js"]
)


def lint(*args: str, source: str | None = None) -> tuple[list[dict], subprocess.CompletedProcess]:
    """`npm run lint` with eslint's JSON report (and ``args``); ``source`` is linted as stdin."""
    assert NPM, "npm is not installed: `bash scripts/system-deps.sh npm` installs it"
    eslint = SITE / "node_modules" / "eslint" / "package.json"
    assert eslint.is_file(), f"eslint is not installed in site/node_modules: {INSTALL}"
    pinned = json.loads((SITE / "package.json").read_text())["devDependencies"]["eslint"]
    installed = json.loads(eslint.read_text())["version"]
    assert installed == pinned, f"site/node_modules has eslint {installed}, not {pinned}: {INSTALL}"
    res = subprocess.run(
        [NPM, "run", "--silent", "lint", "--", "--format", "json", *args],
        cwd=SITE,
        input=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.stdout.startswith("["), f"eslint did not report (exit {res.returncode}): {res.stderr}"
    return json.loads(res.stdout), res


def findings(report: list[dict]) -> list[str]:
    return [
        f"{Path(r['filePath']).relative_to(ROOT)}:{m.get('line', 0)}:{m.get('column', 0)}: "
        f"{m['message']} ({m.get('ruleId')})"
        for r in report
        for m in r["messages"]
    ]


def test_the_books_javascript_passes_eslint():
    report, res = lint()
    found = findings(report)
    assert found == [], f"eslint found {len(found)} problem(s):\n" + "\n".join(found)
    assert res.returncode == 0, res.stderr
    linted = sorted(Path(r["filePath"]).relative_to(ROOT).as_posix() for r in report)
    assert linted == OWN_JS, "npm run lint (site/package.json) must lint every file of ours"


@pytest.mark.parametrize(
    "path, source, expected",
    [
        # a page script runs in the browser: a Node global is an undefined name there
        ("site/static/probe.js", "(function () { process.exit(0); })();\n", ["'process' is not defined."]),
        (
            "helpers/interactive/static/probe.js",
            "(function () { var unused = 1 == 1; })();\n",
            ["'unused' is assigned a value but never used.", "Expected '===' and instead saw '=='."],
        ),
        # a Node test: Node's globals, and no browser
        ("tests/js/probe.test.js", "process.exit(document.title.length);\n", ["'document' is not defined."]),
    ],
)
def test_each_kind_of_file_gets_its_environment_and_rules(path, source, expected):
    """The config applies to each kind of file: what it must flag (as a file of that folder)."""
    report, res = lint("--stdin", "--stdin-filename", path, source=source)
    assert [m["message"] for r in report for m in r["messages"]] == expected
    assert res.returncode == 1

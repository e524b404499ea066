"""The maintainer tooling keeps its promises: the hash lock covers every direct pin at the same
version, the CI hypothesis profile is the one in force, every test has a timeout, the site
build command has one home, the schedule of the parallel run names files that exist."""

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"


def _requirements(path):
    """{name: version} of the `name==version` lines of a requirements file (names normalised)."""
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def _lock_entries():
    """[(name, version, number of hashes)] of requirements-lock.txt."""
    entries = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text()):
        m = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if m:
            entries.append((m.group(1), m.group(2), block.count("--hash=sha256:")))
    return entries


def test_every_direct_pin_is_locked_at_the_same_version():
    pins = _requirements(ROOT / "requirements.txt")
    locked = _requirements(LOCK)
    assert {"jupyter-book", "tensorflow-cpu", "ruff", "pytest-xdist"} <= set(pins)
    wrong = {name: (version, locked.get(name)) for name, version in pins.items()
             if locked.get(name) != version}
    assert not wrong, f"requirements.txt and the lock disagree (pin, lock): {wrong}; run make lock"


def test_every_locked_package_has_hashes_and_nothing_is_editable():
    entries = _lock_entries()
    assert len(entries) > 100  # the whole environment, not only the direct pins
    assert [name for name, _, hashes in entries if hashes == 0] == []
    assert not re.search(r"^\s*-e\s", LOCK.read_text(), re.M)


def test_ci_hypothesis_profile_is_in_force():
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci":
        pytest.skip("another hypothesis profile was asked for")
    current = settings()
    assert current.derandomize and current.database is None and current.deadline is None


def test_every_test_has_a_timeout(request):
    """pytest-timeout is on, from pyproject.toml, for every test with its fixtures (SIGALRM,
    which pytest-xdist's workers get too), and above the PDF printer's own bound (the longest
    fixture), so that the plainer message of that bound comes first."""
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert ini.get("timeout_method") == "signal" and ini.get("timeout_func_only") is False
    assert 300 <= int(ini.get("timeout", 0)) <= 900, "a bound minutes above the slowest test"
    assert request.config.pluginmanager.hasplugin("timeout")
    assert float(request.config.getini("timeout")) == int(ini["timeout"])  # the one in force
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    printer = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                   and getattr(n.targets[0], "id", "") == "PRINT_PDFS_S")
    assert printer < int(ini["timeout"])


def test_site_build_command_has_one_home():
    env = {k: v for k, v in os.environ.items() if k != "BOOK_BUILD"}
    printed = subprocess.run(["make", "-s", "--no-print-directory", "print-book-build"], cwd=ROOT,
                             env=env, capture_output=True, text=True, check=True).stdout
    cmd = shlex.split(printed)
    assert cmd[0].endswith("jupyter-book") and cmd[1:3] == ["build", "."]
    assert {"-W", "-n", "--keep-going"} <= set(cmd)
    if "BOOK_BUILD" in os.environ:  # run by make: the exported variable is the same line
        assert shlex.split(os.environ["BOOK_BUILD"]) == cmd
    # nothing else spells the command: tests build through tests/conftest.py (built_site).
    skip = {Path(__file__).name}
    files = [ROOT / "Makefile", ROOT / ".ci" / "run", *ROOT.glob("tests/*.py"),
             *ROOT.glob("benchmarks/*.py"), *ROOT.glob("book/*.py"), *ROOT.glob("scripts/*")]
    spelled = {p.name: len(re.findall(r"jupyter[-_]book", p.read_text()))
               for p in files if p.is_file() and p.name not in skip}
    assert {name: n for name, n in spelled.items() if n} == {"Makefile": 1}


def test_schedule_names_real_files_and_is_in_force():
    """conftest.py's FIRST and LAST name existing files, once, and make test keeps xdist from
    re-sorting them (without --no-loadscope-reorder xdist orders files by number of tests)."""
    tree = ast.parse((ROOT / "conftest.py").read_text(encoding="utf-8"))
    lists = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
             and getattr(n.targets[0], "id", "") in ("FIRST", "LAST")}
    listed = [*lists["FIRST"], *lists["LAST"]]
    assert len(lists["FIRST"]) >= 3 and len(set(listed)) == len(listed)
    assert [p for p in listed if not (ROOT / p.split("::")[0]).is_file()] == []
    for entry in listed:   # a class entry names a class of that file
        path, _, cls = entry.partition("::")
        assert not cls or f"\nclass {cls}" in (ROOT / path).read_text(encoding="utf-8"), entry
    test_line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                     if "-m pytest -n $(WORKERS)" in line)
    assert "--dist loadscope" in test_line and "--no-loadscope-reorder" in test_line


def test_non_editable_install_is_complete_and_finds_the_data(tmp_path):
    """`pip install .` (no editable link to the checkout) ships every module and static file of
    helpers/, and the installed package reads the book's data through CNN_BOOK_DATA."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "helpers", src / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "--target", str(target), str(src)],
                   check=True, capture_output=True, text=True)
    shipped = {p.relative_to(src).as_posix() for p in (src / "helpers").rglob("*") if p.is_file()}
    installed = {p.relative_to(target).as_posix() for p in (target / "helpers").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert shipped - installed == set()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(target), CNN_BOOK_DATA=str(ROOT / "data"))
    probe = ("import helpers, helpers.data as d; print(helpers.__file__); "
             "print(d.load('case1_weight').tolist())")
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout.splitlines()
    assert out[0] == str(target / "helpers" / "__init__.py")
    from helpers import data

    assert out[1] == str(data.load("case1_weight").tolist())

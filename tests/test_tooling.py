"""The maintainer tooling keeps its promises: the hash lock covers every direct pin at the same
version, the CI hypothesis profile is the one in force, every test has a timeout, the site
build command has one home, the schedule of the parallel run names files that exist, make test
runs ruff and then one pytest run in that order. What make would run is asked of make itself
(``make -n``), and conftest.py's values are read from the modules pytest loaded."""

import ast
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"


def _requirements(path):
    """{name: version} of the `name==version` lines of a requirements file (names normalised,
    extras such as `[format-nongpl]` left out)."""
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"([A-Za-z0-9._-]+)(?:\[[A-Za-z0-9._,-]+\])?==([^\s;\\]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def _lock_entries():
    """[(name, version, number of hashes)] of requirements-lock.txt."""
    entries = []
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text()):
        m = re.match(r"([A-Za-z0-9._-]+)(?:\[[A-Za-z0-9._,-]+\])?==(\S+)", block)
        if m:
            entries.append((m.group(1), m.group(2), block.count("--hash=sha256:")))
    return entries


def test_every_direct_pin_is_locked_at_the_same_version():
    pins = _requirements(ROOT / "requirements.txt")
    locked = _requirements(LOCK)
    assert {"jupyter-book", "tensorflow-cpu", "ruff", "pytest-xdist"} <= set(pins)
    wrong = {
        name: (version, locked.get(name)) for name, version in pins.items() if locked.get(name) != version
    }
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


def _conftest(request, path: Path):
    """The module of the conftest.py at ``path``, as pytest loaded it."""
    return next(
        p
        for p in request.config.pluginmanager.get_plugins()
        if getattr(p, "__file__", None) and Path(p.__file__).resolve() == path
    )


def _dry_run(*targets: str) -> list[str]:
    """What ``make TARGETS`` would run (``make -n``), one command a line; nothing is run."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOOK_BUILD", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "-n", "--no-print-directory", *targets],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def test_every_test_has_a_timeout(request):
    """pytest-timeout is on, from pyproject.toml, for every test with its fixtures (SIGALRM,
    which pytest-xdist's workers get too), and above the PDF printer's own bound (the longest
    fixture), so that the plainer message of that bound comes first."""
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert ini.get("timeout_method") == "signal" and ini.get("timeout_func_only") is False
    assert 300 <= int(ini.get("timeout", 0)) <= 900, "a bound minutes above the slowest test"
    assert request.config.pluginmanager.hasplugin("timeout")
    assert float(request.config.getini("timeout")) == int(ini["timeout"])  # the one in force
    assert request.config.getini("timeout_method") == "signal"
    assert request.config.getini("timeout_func_only") is False
    printer = _conftest(request, ROOT / "tests" / "conftest.py").PRINT_PDFS_S
    assert printer < int(ini["timeout"])


def test_site_build_command_has_one_home(request, monkeypatch):
    """The Makefile's BOOK_BUILD is the one -W build command: ``make print-book-build`` prints
    it, the targets that build the site (book, pdf, live) run exactly it, and the tests build
    with it (tests/conftest.py's ``book_build_command``: the exported variable under make, else
    what make prints)."""
    env = {k: v for k, v in os.environ.items() if k != "BOOK_BUILD"}
    printed = subprocess.run(
        ["make", "-s", "--no-print-directory", "print-book-build"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    cmd = shlex.split(printed)
    assert cmd[0].endswith("jupyter-book") and cmd[1:3] == ["build", "."]
    assert {"-W", "-n", "--keep-going"} <= set(cmd)
    if "BOOK_BUILD" in os.environ:  # run by make: the exported variable is the same line
        assert shlex.split(os.environ["BOOK_BUILD"]) == cmd
    for target in ("book", "pdf", "live"):
        builds = [line for line in _dry_run(target) if cmd[0] in line]
        assert builds and all(line.endswith(printed) for line in builds), (target, builds)
        assert all(shlex.split(line.split(" || ")[-1]) == cmd for line in builds), (target, builds)
    tests = _conftest(request, ROOT / "tests" / "conftest.py")
    monkeypatch.delenv("BOOK_BUILD", raising=False)
    assert tests.book_build_command() == cmd
    monkeypatch.setenv("BOOK_BUILD", "echo exported")
    assert tests.book_build_command() == ["echo", "exported"]


def test_schedule_names_real_files_and_is_in_force(request):
    """conftest.py's FIRST and LAST name existing files (and classes of them), once, and make
    test keeps xdist from re-sorting them (without --no-loadscope-reorder xdist orders files by
    number of tests), in the pytest run it starts after ruff."""
    schedule = _conftest(request, ROOT / "conftest.py")
    listed = [*schedule.FIRST, *schedule.LAST]
    assert len(schedule.FIRST) >= 3 and len(set(listed)) == len(listed)
    assert [p for p in listed if not (ROOT / p.split("::")[0]).is_file()] == []
    for entry in listed:  # a class entry names a class of that file
        path, _, cls = entry.partition("::")
        defined = (
            {
                n.name
                for n in ast.parse((ROOT / path).read_text(encoding="utf-8")).body
                if isinstance(n, ast.ClassDef)
            }
            if path.endswith(".py")
            else set()
        )
        assert not cls or cls in defined, entry
    steps = _dry_run("test")
    pytest_runs = [n for n, line in enumerate(steps) if " -m pytest " in line]
    assert len(pytest_runs) == 1, steps
    run = shlex.split(steps[pytest_runs[0]])
    assert run[run.index("--dist") + 1] == "loadscope" and "--no-loadscope-reorder" in run
    assert {"tests", "chapters"} <= set(run)
    ruff = [
        n
        for n, line in enumerate(steps)
        if shlex.split(line)[-2:] == ["check", "."] and shlex.split(line)[0].endswith("ruff")
    ]
    assert ruff and ruff[0] < pytest_runs[0], "ruff (F401 included) runs before the tests"


def test_non_editable_install_is_complete_and_finds_the_data(tmp_path):
    """`pip install .` (no editable link to the checkout) ships every module and static file of
    helpers/, and the installed package reads the book's data through CNN_BOOK_DATA."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "helpers", src / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    shipped = {p.relative_to(src).as_posix() for p in (src / "helpers").rglob("*") if p.is_file()}
    installed = {
        p.relative_to(target).as_posix()
        for p in (target / "helpers").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped - installed == set()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONPATH=str(target), CNN_BOOK_DATA=str(ROOT / "data"))
    probe = (
        "import helpers, helpers.data as d; print(helpers.__file__); print(d.load('case1_weight').tolist())"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout.splitlines()
    assert out[0] == str(target / "helpers" / "__init__.py")
    from helpers import data

    assert out[1] == str(data.load("case1_weight").tolist())


def test_a_session_started_with_sigint_ignored_gives_its_children_ctrl_c_back():
    """A shell's background job starts with SIGINT ignored, which every child would inherit and
    the Ctrl-C tests would time out; the session's conftest puts Python's handler back."""
    probe = (
        "import runpy, signal\n"
        "assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN\n"
        "runpy.run_path('conftest.py')\n"
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == "True"

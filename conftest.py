"""pytest configuration for the whole repository (tests/ and nbval over chapters/)."""

import os
import shutil
import tempfile
from unittest import mock

import pytest

from helpers.interactive.page import COMMITTED, OUTPUTS_ENV

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")
# nbval's kernels make a chapter's outputs as scripts/execute.py's kernels do (its
# COMMITTED_ENV), so they compare like with like: controls that name their page files. Only
# those kernels: the tests' own pages and Jupyter servers need self-contained controls.
NBVAL_KERNEL_ENV = {OUTPUTS_ENV: COMMITTED}
RUN_CACHE = "CNN_BOOK_RUN_CACHE"  # helpers.runcache: each training recipe runs once per session


def pytest_configure(config):
    """The first process of the session (pytest-xdist's controller, or the only one) makes an
    empty folder where ``helpers.runcache`` keeps each training for the rest of the session;
    the workers and the notebook kernels inherit its name from the environment."""
    if not hasattr(config, "workerinput") and RUN_CACHE not in os.environ:
        config._run_cache = tempfile.mkdtemp(prefix="cnn-book-runs-")
        os.environ[RUN_CACHE] = config._run_cache


def pytest_unconfigure(config):
    folder = getattr(config, "_run_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(RUN_CACHE, None)


# The files that take longest in `make test`, longest first (seconds of one worker, measured
# with pytest --durations on 2026-12-01; benchmarks/results/make.json records the totals).
# pytest-xdist hands whole files to the workers in collection order (`--dist loadfile
# --no-loadscope-reorder`, the Makefile), so these start first and only short files are left
# for the end, when one worker would otherwise run alone. The list changes only the schedule,
# never a result; tests/test_tooling.py checks that every path in it exists.
LONGEST_FIRST = (
    "tests/test_site_pages_browser.py",              # ~100: every page of the site, once
    "tests/test_site_browser.py",                    # ~55: prints the PDFs
    "tests/test_jupyterlab_browser.py",              # ~40: JupyterLab runs two chapters
    "chapters/14b_overfitting_and_its_cures.ipynb",  # ~36: trains two networks
    "tests/test_overfit.py",                         # ~35: retrains them against the record
    "tests/test_benchmarks_smoke.py",                # ~17
    "tests/test_explorer_browser.py",                # ~15
)


def pytest_collection_modifyitems(items):
    """nbval: never compare stderr (library warnings and log lines vary between machines);
    stdout, results and HTML are still compared, images are not (nbval's default).

    Then the files of ``LONGEST_FIRST`` move to the front, in its order, and the browser
    modules after them; a stable sort, so every file stays whole and in order."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = skip + ("stderr",)
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}

    def order(item):
        path = item.nodeid.split("::")[0]
        return rank.get(path, len(rank)), item.get_closest_marker("browser") is None

    items.sort(key=order)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel while it sets up the notebook's first cell: with
    ``NBVAL_KERNEL_ENV`` in the environment it inherits, which is then restored."""
    if item.path.suffix != ".ipynb":
        yield
        return
    with mock.patch.dict(os.environ, NBVAL_KERNEL_ENV):
        yield

"""pytest configuration for the whole repository (tests/ and nbval over chapters/)."""

import os

import pytest

from helpers.interactive.page import COMMITTED, OUTPUTS_ENV

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")
# nbval's kernels make a chapter's outputs as scripts/execute.py's kernels do (its
# COMMITTED_ENV), so they compare like with like: controls that name their page files. Only
# those kernels: the tests' own pages and Jupyter servers need self-contained controls.
NBVAL_KERNEL_ENV = {OUTPUTS_ENV: COMMITTED}


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
    saved = {key: os.environ.get(key) for key in NBVAL_KERNEL_ENV}
    os.environ.update(NBVAL_KERNEL_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

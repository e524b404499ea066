"""pytest configuration for the whole repository (tests/ and nbval over chapters/)."""

import os
import shutil
import signal
import tempfile
from unittest import mock

import pytest

from helpers.interactive.page import COMMITTED, OUTPUTS_ENV

# The tests of Ctrl-C send SIGINT as a terminal does. A shell starts a background job (`make
# test &`, a runner's script) with SIGINT ignored, and an ignored signal stays ignored in every
# process started from it, so those children would never see their Ctrl-C. Python's own handler
# instead: the processes this session starts begin with SIGINT's default action again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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


# The order in which pytest-xdist hands test scopes to the workers (`--dist loadscope
# --no-loadscope-reorder`, the Makefile: a notebook, a module, or a class of tests stays whole on
# one worker). The worker that takes the first part of the site's pages builds the site
# (tests/conftest.py, built_site) while the others train the chapters' networks; then the
# longest scopes, so that only short ones are left at the end, when a worker would otherwise run
# alone; the tests that reuse the chapters' trainings (helpers.runcache) come last, when those
# trainings are done (a test that reached one first would train it while the chapter waited).
# An entry is a file or a file's class ("path::Class"). The lists change only the schedule,
# never a result; tests/test_tooling.py checks that they name real files.
FIRST = (
    "tests/test_site_pages_browser.py::TestPagesOfPartI",  # builds the site, then visits
    "chapters/14b_overfitting_and_its_cures.ipynb",  # trains two networks
    "chapters/16_draw_a_digit.ipynb",  # trains the explorer's network
    "chapters/17_classic_designs.ipynb",  # trains LeNet-5 twice
    "chapters/19_transfer_learning.ipynb",  # pretrains, then heads and fine-tuning
    "chapters/18_optimisers_and_inputs.ipynb",  # trains with three optimisers and three rates
    "chapters/20_augmentation_and_errors.ipynb",  # trains with and without augmentation, then on 6,000
    "tests/test_site_pages_browser.py::TestPagesOfPartII",
    "tests/test_site_pages_browser.py::TestPagesOfPartIII",
    "tests/test_site_pages_browser.py::TestPagesOfPartIVAndAfter",
    "chapters/14_training_on_real_digits.ipynb",  # trains two small networks
    "chapters/15_real_cats_and_dogs.ipynb",
    "chapters/13_article_keras_model.ipynb",
    "tests/test_site_browser.py",  # prints the PDFs
    "tests/test_jupyterlab_browser.py",  # JupyterLab runs two chapters
    "tests/test_live_server.py",
    "tests/test_explorer_browser.py",
    "tests/test_benchmarks_smoke.py",
    "tests/test_livecode_security.py",
)
LAST = (
    "tests/test_models.py",  # chapter 14's trainings
    "tests/test_digitnet.py",  # chapter 16's
    "tests/test_overfit.py",  # chapter 14b's
    "tests/test_classic.py",  # chapter 17's
    "tests/test_optim.py",  # chapter 18's
    "tests/test_transfer.py",  # chapter 19's
    "tests/test_augment.py",  # chapter 20's
)


def pytest_collection_modifyitems(items):
    """nbval: never compare stderr (library warnings and log lines vary between machines);
    stdout, results and HTML are still compared, images are not (nbval's default).

    Then the scopes of ``FIRST`` move to the front and those of ``LAST`` to the end, in their
    order; a stable sort, so every scope stays whole and in order."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = skip + ("stderr",)
    rank = {entry: i for i, entry in enumerate(FIRST)}
    rank.update({entry: len(FIRST) + 1 + i for i, entry in enumerate(LAST)})

    def order(item):
        path, _, rest = item.nodeid.partition("::")
        scope = f"{path}::{rest.split('::')[0]}"
        return rank.get(scope, rank.get(path, len(FIRST)))

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

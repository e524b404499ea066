"""Shared test set-up: the hypothesis profile, quiet deterministic TensorFlow (imported only by
tests that need it), the built site (built once, also under pytest-xdist), its PDFs and its
local server, and the browser fixture of every browser test module (``browser_support``)."""

import fcntl
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import _chromium, browser  # noqa: F401 - the fixtures, for every browser test module
from hypothesis import settings
from site_support import BOOK_PDF, PAGES, chapter_pdfs

from book.pages import ROOT, SITE

# One hypothesis profile for CI and `make test`: the same examples every run (derandomize), no
# deadline (a shared 2-core machine stalls), no example database written into the checkout.
# HYPOTHESIS_PROFILE=explore draws fresh random examples, more of them, for local bug hunting.
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, database=None, print_blob=True
)
settings.register_profile("explore", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def tf():
    from helpers import tfenv

    tf_module = tfenv.tensorflow()
    tf_module.config.experimental.enable_op_determinism()
    return tf_module


def book_build_command() -> list[str]:
    """The -W site build command line. Its one home is the Makefile (BOOK_BUILD, exported to
    everything make runs); a pytest started by hand asks make for it."""
    line = (
        os.environ.get("BOOK_BUILD")
        or subprocess.run(
            ["make", "-s", "--no-print-directory", "print-book-build"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    return shlex.split(line)


BUILD_LOG = SITE.parent / "site-build.log"  # what the build printed
BUILD_STATUS = SITE.parent / "site-build.status"  # its exit code


def build_site_once() -> Path:
    """``_build/html``, built with the Makefile's command (-W: a warning fails it) if it is
    missing. ``make test`` leaves the build to this fixture, so the first browser test module
    builds the site while the other workers run the notebooks and unit tests. A lock file makes
    the other workers wait for that one build; a failed build fails every test that needs the
    site, naming its warnings and the log."""
    SITE.parent.mkdir(exist_ok=True)
    with open(SITE.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not BUILD_STATUS.is_file() and not (SITE / "index.html").is_file():
            with open(BUILD_LOG, "w") as log:
                done = subprocess.run(book_build_command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            BUILD_STATUS.write_text(f"{done.returncode}\n")
        if BUILD_STATUS.is_file() and BUILD_STATUS.read_text().strip() != "0":
            lines = BUILD_LOG.read_text(encoding="utf-8", errors="replace").splitlines()
            said = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln][:20] or lines[-20:]
            pytest.fail(
                f"the -W site build failed (whole log: {BUILD_LOG.relative_to(ROOT)}):\n" + "\n".join(said),
                pytrace=False,
            )
    return SITE


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built website (built here once per session if ``_build/html`` is missing)."""
    return build_site_once()


@pytest.fixture(scope="module")
def site_origin(built_site):
    """The built site served on 127.0.0.1 (``book.browser.serve``) for one module."""
    from book.browser import serve

    with serve(built_site) as origin:
        yield origin


@pytest.fixture(scope="session")
def site(built_site):
    """The built site, with every page of _toc.yml."""
    missing = [p for p in PAGES if not (built_site / p).is_file()]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"
    return built_site


# site/pdf.py bounds each PDF it prints; this bounds the whole printer: several times what it
# takes on the 2-core machine under load, and below the per-test timeout of pyproject.toml.
PRINT_PDFS_S = 480


# The chapter printed alone besides the whole book: a chapter PDF is the book's code on one
# page (site/pdf.py), and the book prints every page, so one chapter checks that path.
PDF_CHAPTER = "09_stride_and_padding"


@pytest.fixture(scope="session")
def pdfs(site):
    """The book's PDF and ``PDF_CHAPTER``'s (site/pdf.py, as ``make pdf`` prints them), printed
    here when missing or older than the site (under a lock: one printer under pytest-xdist)."""
    chapter = next(p for p in chapter_pdfs() if p.stem == PDF_CHAPTER)
    with open(site.parent / ".pdf.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = (site / "intro.html").stat().st_mtime
        if not all(p.is_file() and p.stat().st_mtime >= built for p in [BOOK_PDF, chapter]):
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "site" / "pdf.py"),
                    "--site",
                    str(site),
                    "--chapter",
                    PDF_CHAPTER,
                ],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                timeout=PRINT_PDFS_S,
            )
    return BOOK_PDF, chapter

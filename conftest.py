"""pytest configuration for the whole repository (tests/ and nbval over chapters/)."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """nbval: never compare stderr (library warnings and log lines vary between machines);
    stdout, results and HTML are still compared, images are not (nbval's default).

    pytest-xdist (`make test` runs ``--dist loadgroup``): every notebook and every test module
    is one group that one worker runs whole and in order (a notebook's cells share a kernel, a
    module's tests share its fixtures: servers, a trained model, a benchmark run). Browser
    tests (marker ``browser``) are independent of each other - each opens its own page - so
    they are spread over the workers one by one, each worker starting its own browser; they
    also run first, being the longest part, so that the workers finish together."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = skip + ("stderr",)
        if not (item.get_closest_marker("browser") or item.get_closest_marker("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)

"""pytest configuration for the whole repository (tests/ and nbval over chapters/)."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")


def pytest_collection_modifyitems(items):
    """nbval: never compare stderr (library warnings and log lines vary between machines);
    stdout, results and HTML are still compared, images are not (nbval's default).

    Then the browser tests (marker ``browser``) move to the front, in a stable sort, so every
    module stays whole and in order: `make test` runs ``pytest -n auto --dist loadfile`` (each
    file, a test module or a notebook, runs whole on one worker), and the browser modules are
    the longest, so started first they do not keep one worker busy after the others are done."""
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = skip + ("stderr",)
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)

"""One training (or another costly computation), reused within a test session: the test suite
trains each recipe once.

A training with a given seed gives the same weights every time on one machine
(``tfenv.set_determinism``). The test suite would run some of them twice: once in a chapter
(nbval) and once in the test module that checks what the chapter states. When the environment
variable ``CNN_BOOK_RUN_CACHE`` names a folder (the test suite sets it for itself and for the
notebook kernels it starts), ``reuse`` keeps the first result there and every later caller with
the same recipe, on the same machine and library versions, loads it instead of training again;
a lock makes a concurrent caller wait for the first one. Without the variable (a reader, the
scripts, ``scripts/execute.py``) every call trains.

Whether two trainings on one machine really agree is tested with the reuse switched off
(``disabled``); nothing is reused across machines or sessions: the test suite starts each
session with an empty folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import numpy as np

ENV = "CNN_BOOK_RUN_CACHE"
T = TypeVar("T")


def _machine() -> dict:
    """What decides the floating-point results besides the recipe: the CPU and the versions
    (TensorFlow's and Keras's read from their installed metadata, without importing them)."""
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith(("model name", "flags"))
            ),
            "",
        )
    return {
        "cpu": cpu,
        "machine": platform.machine(),
        "numpy": np.__version__,
        "tensorflow": _installed("tensorflow", "tensorflow-cpu"),
        "keras": _installed("keras"),
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", ""),
    }


def _installed(*distributions: str) -> str:
    """The version of the first of ``distributions`` installed ("" if none is)."""
    for name in distributions:
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version(name)
    return ""


def reuse(
    recipe: str,
    params: dict,
    train: Callable[[], T],
    dump: Callable[[T], tuple[dict, dict]],
    load: Callable[[dict, dict], T],
) -> T:
    """``train()``, or the result a previous call with the same ``recipe`` and ``params`` stored.

    ``dump(result)`` gives ``(arrays, meta)``: NumPy arrays by name and JSON-able values;
    ``load(arrays, meta)`` rebuilds the result from them."""
    folder = os.environ.get(ENV)
    if not folder:
        return train()
    key = json.dumps({"recipe": recipe, "params": params, "machine": _machine()}, sort_keys=True)
    base = Path(folder) / f"{recipe}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"
    base.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{base}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        npz, meta_file = Path(f"{base}.npz"), Path(f"{base}.json")
        if npz.is_file() and meta_file.is_file():
            with np.load(npz) as stored:
                arrays = {name: stored[name] for name in stored.files}
            return load(arrays, json.loads(meta_file.read_text())["meta"])
        result = train()
        arrays, meta = dump(result)
        _write(npz, lambda f: np.savez(f, **arrays))
        _write(meta_file, lambda f: f.write(json.dumps({"key": json.loads(key), "meta": meta}).encode()))
        return result


def _write(path: Path, fill) -> None:
    """``fill(file)`` into a temporary file beside ``path``, renamed to ``path`` when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def disabled():
    """Within the block every ``reuse`` trains (for tests that compare two real trainings)."""
    saved = os.environ.pop(ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[ENV] = saved


def weights_arrays(prefix: str, weights: list) -> dict:
    """A model's weight list as named arrays (``prefix0``, ``prefix1``, ...)."""
    return {f"{prefix}{i}": np.asarray(w) for i, w in enumerate(weights)}


def weights_list(prefix: str, arrays: dict) -> list:
    """The inverse of ``weights_arrays``."""
    n = sum(1 for name in arrays if name.startswith(prefix) and name[len(prefix) :].isdigit())
    return [arrays[f"{prefix}{i}"] for i in range(n)]

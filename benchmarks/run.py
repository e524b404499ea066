"""Run the benchmarks, save one JSON file per section, print one table of ratios.

    python -m benchmarks.run                 # default: a few minutes
    python -m benchmarks.run --full          # + make test cold/warm, site build, nbval twice
    python -m benchmarks.run --quick --out /tmp/r --only conv,loader   # smoke (seconds)

``make bench`` then re-executes chapters/90_performance_notes.ipynb so the page shows the new JSON.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from helpers import tfenv  # noqa: F401 - quiet TensorFlow for every section

from . import common

# (key, module, in which modes it runs). "make" runs first: it runs nbval over the appendix
# page, which must still match the JSON files it was executed from.
SECTIONS = (
    ("make", "bench_make", {"full"}),
    ("conv", "bench_conv", {"quick", "default", "full"}),
    ("loader", "bench_loader", {"quick", "default", "full"}),
    ("training", "bench_training", {"default", "full"}),
    ("determinism", "bench_determinism", {"default", "full"}),
    ("nbval", "bench_determinism:run_nbval", {"full"}),
    ("site", "bench_site", {"default", "full"}),
    ("explorer", "bench_explorer", {"default", "full"}),
    ("playground", "bench_playground", {"default", "full"}),
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    g.add_argument("--full", action="store_true", help="also the slow make/nbval steps")
    ap.add_argument("--only", default="", help="comma-separated section keys")
    ap.add_argument("--out", type=Path, default=common.RESULTS, help="results directory")
    ap.add_argument(
        "--make",
        default=os.environ.get("MAKE", "make"),
        help="make command for the make-test timing (full mode)",
    )
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full" if args.full else "default"
    only = {s for s in args.only.split(",") if s}
    unknown = only - {k for k, _, _ in SECTIONS}
    if unknown:
        ap.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(k for k, _, _ in SECTIONS)}")
    os.environ["BENCH_MAKE"] = args.make

    from helpers import perfnotes

    done, t_all = [], time.perf_counter()
    for key, modname, modes in SECTIONS:
        if (only and key not in only) or (not only and mode not in modes):
            continue
        common.log(f"[bench] {key} ({mode}) ...")
        t0 = time.perf_counter()
        mach = common.machine()
        modname, _, func = modname.partition(":")
        mod = importlib.import_module(f".{modname}", __package__)
        sec = getattr(mod, func or "run")(mode)
        sec["machine"] = mach
        sec["seconds"] = round(time.perf_counter() - t0, 1)
        perfnotes.check_section(sec, key)
        path = args.out / f"{key}.json"
        common.save(sec, args.out)
        done.append(sec)
        common.log(f"[bench] {key} done in {sec['seconds']} s -> {path}")
    print()
    print(
        f"Benchmarks ({mode} mode, {time.perf_counter() - t_all:.0f} s) on "
        f"{perfnotes.machine_line(common.machine())}"
    )
    print("Ratios are medians measured in this run on this machine; absolute times are noise.")
    print()
    print(text_table(done))
    return 0


def text_table(sections: list[dict]) -> str:
    """The appendix page's table (``helpers.perfnotes.table_rows``) as text for a terminal."""
    from helpers import perfnotes

    rows = [list(perfnotes.HEADER)] + perfnotes.table_rows(sections)
    widths = [max(len(r[i]) for r in rows) for i in range(len(perfnotes.HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks of the book: speed, memory and determinism, reported as ratios.

Run them with ``make bench`` (a few minutes) or ``make bench FULL=1`` (adds ``make test`` cold and
warm, the site build and two nbval passes). ``python -m benchmarks.run --help`` lists options.
Results go to ``benchmarks/results/<section>.json``; the appendix page
``chapters/90_performance_notes.ipynb`` renders them. These are not tests: nothing here asserts
a time. ``tests/test_benchmarks_smoke.py`` only checks that the runner still runs.
"""

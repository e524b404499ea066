"""The code that produces and checks the book, as opposed to ``helpers``, the package the
readers' notebooks import (on Colab and Binder too). Nothing here is imported by a chapter.

    pages     the book's pages in reading order (``_toc.yml``), the built site's folder and
              the names of the PDFs printed from it (site/offline.py links them, site/pdf.py
              writes them, the tests read them)
    browser   Debian's Chromium under Playwright as site/pdf.py, the tests and the benchmarks
              drive it: its path and flags, bounded waits, and the built site on 127.0.0.1
    markup    the chapters' prose markup that every Jupyter front end renders (numbers written
              out and checked against the stored values, folded answer and erratum boxes)
    errata    the errata index generator (``python -m book.errata``): the erratum boxes of the
              pages, collected into the appendix page chapters/95_errata.ipynb

Only the standard library at import time (and PyYAML where ``_toc.yml`` is read, the glue
format of ``helpers.glue`` in markup and errata; Playwright is imported by the callers), so
that site/ scripts, tests/ and benchmarks/ can all import it.
"""

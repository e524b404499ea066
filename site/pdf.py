"""Print the book to PDF from the built website, offline, with Debian's Chromium (`make pdf`).

    .venv/bin/python site/pdf.py [--site _build/html]

Writes into the site, under the names of ``book/pages.py`` (which site/offline.py's download
menus link):

* ``pdf/cnns-demystified.pdf`` - the whole book: a contents page with page numbers (the
  book is printed twice: the first print's outline gives them), then every page of
  ``_toc.yml`` in reading order, each starting a new sheet with its title as a top-level
  section of the PDF outline (bookmarks); links between pages become links inside the PDF;
* ``pdf/<chapter>.pdf`` - each chapter alone, laid out the same way (``--chapter NAME``: only
  the named ones, e.g. ``--chapter 09_stride_and_padding``).

The pages are the site's own HTML (``static/print-book.js`` assembles them, with the site's
styles, MathJax and figures; the kernel-free controls print in their first state under a line
saying where they run, and the answers at the end of their page). Chromium (Playwright
``page.pdf``) prints them with every request outside 127.0.0.1 blocked. Needs the built site
(``make book``). Each PDF's assembly and the whole of it, printing included, have bounds
(``ASSEMBLE_MS``, ``PDF_S``): a hang ends the run with what hung.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from book.browser import chromium_missing, launch, new_context, serve, settled  # noqa: E402
from book.pages import BOOK_PDF, PDF_DIR, SITE, book_pages, chapter_pages, chapter_pdf  # noqa: E402

# Bounds of one PDF, many times what the whole book (the longest) takes on the 2-core machine
# under load: its pages fetched, typeset and laid out by print-book.js; all of it, Chromium's
# printing included (page.pdf has no timeout of its own, and a page that stops answering would
# keep any call waiting).
ASSEMBLE_MS = 60_000
PDF_S = 240.0
SKELETON = f"_print_book-{os.getpid()}.html"  # per process: two printers never share it
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444">'
    '<span class="title"></span> &middot; <span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


def skeleton(site: Path) -> str:
    """An empty page with the site's stylesheets and MathJax (taken from the first page's
    head, so the print looks like the site), light mode, and the assembling script."""
    first = (site / book_pages()[0]["path"]).read_text(encoding="utf-8")
    head = first[: first.index("</head>")]
    css = re.findall(r'<link rel="stylesheet"[^>]*>|<link href="[^"]*" rel="stylesheet"[^>]*>', head)
    mathjax = re.findall(
        r"<script>window\.MathJax = .*?</script>|<script[^>]*vendor/mathjax/[^>]*></script>", head
    )
    title = re.search(r"<title>(.*?)</title>", head)
    return (
        '<!DOCTYPE html><html lang="en" data-theme="light" data-mode="light"><head>'
        '<meta charset="utf-8"><title>'
        + (title.group(1).split("&#8212;")[-1].strip() if title else "CNNs Demystified")
        + "</title>"
        + "".join(css)
        + '<link rel="stylesheet" href="_static/print-book.css">'
        + "".join(mathjax)
        + '<script src="_static/print-book.js"></script></head>'
        '<body><main id="book" class="bd-article"></main></body></html>'
    )


@contextlib.contextmanager
def _at_most(seconds: float, what: str, leftovers: list[Path]):
    """If the block is still running after ``seconds``, say what hung, remove ``leftovers`` and
    end the process (Playwright's driver, whose pipe closes with it, then closes Chromium)."""

    def expire():
        print(f"site/pdf.py: {what} not done after {seconds:g} s", file=sys.stderr, flush=True)
        for path in leftovers:
            path.unlink(missing_ok=True)
        os._exit(3)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _pdf(pg, path: Path) -> None:
    pg.pdf(
        path=str(path),
        format="A4",
        print_background=True,
        outline=True,
        tagged=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
    )


def outline(pdf: Path) -> list[tuple[int, str]]:
    """(page number, title) of each top-level entry of ``pdf``'s outline (poppler's pdftohtml,
    which lists the whole outline with the first page's text only)."""
    if not shutil.which("pdftohtml"):
        raise SystemExit("site/pdf.py: pdftohtml is missing: apt-get install -y poppler-utils")
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-stdout", "-f", "1", "-l", "1", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    entries, depth = [], 0
    listed = xml[xml.index("<outline>") :] if "<outline>" in xml else ""
    for m in re.finditer(r"<(/?)(outline|item)\b([^>]*)>([^<]*)", listed):
        closing, kind, attrs, text = m.groups()
        if kind == "outline":
            depth += -1 if closing else 1
        elif not closing and depth == 1:
            entries.append((int(re.search(r'page="(\d+)"', attrs).group(1)), html.unescape(text).strip()))
    return entries


def outline_pages(pdf: Path) -> list[int]:
    """The page number of each top-level entry of ``pdf``'s outline."""
    return [page for page, _ in outline(pdf)]


def _print(browser, origin: str, site: Path, pages: list[dict], out: Path, with_toc: bool) -> list[str]:
    context = new_context(browser)
    problems: list[str] = []
    # every request outside the loopback fails in this Chromium (book.browser.NO_INTERNET)
    context.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:", "blob:")) else problems.append(r.url),
    )
    tmp = out.with_suffix(f".{os.getpid()}.part")
    try:
        pg = context.new_page()
        pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        with _at_most(PDF_S, f"printing {out.name}", [tmp, site / SKELETON]):
            pg.goto(f"{origin}/{SKELETON}", wait_until="load")
            titles = settled(
                pg,
                f"assembling {out.name} (cnnAssembleBook)",
                "([pages, toc]) => window.cnnAssembleBook(pages, toc)",
                [pages, with_toc],
                timeout_ms=ASSEMBLE_MS,
            )
            if problems:
                raise RuntimeError(f"printing {out.name}: {problems}")
            pg.emulate_media(media="print")
            _pdf(pg, tmp)
            if with_toc:
                first = outline_pages(tmp)[1:]  # after the contents' own entry
                pg.evaluate("(numbers) => window.cnnNumberContents(numbers)", first)
                _pdf(pg, tmp)
                again = outline_pages(tmp)[1:]
                if again != first:  # the numbers made the contents longer: never wrong numbers
                    raise RuntimeError(f"printing {out.name}: the page numbers moved ({first} -> {again})")
        tmp.replace(out)  # never a half-written PDF under the final name
        return titles
    finally:
        context.close()


def make_pdfs(site: Path = SITE, only=None) -> list[Path]:
    """The book PDF and one PDF per chapter (``only``: the chapters of these names), in
    ``site/pdf/``; returns their paths."""
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").is_file():
        raise SystemExit(f"no built site in {site}: run `make book` first")
    if chromium_missing():
        raise SystemExit(f"{chromium_missing()}: apt-get install -y chromium")
    out_dir = site / PDF_DIR
    out_dir.mkdir(exist_ok=True)
    pages = book_pages()
    chapters = [c for c in chapter_pages(pages) if only is None or Path(c["path"]).stem in only]
    unknown = set(only or ()) - {Path(c["path"]).stem for c in chapters}
    if unknown:
        raise SystemExit(
            f"site/pdf.py: --chapter {', '.join(sorted(unknown))}: no such chapter "
            f"(names like 09_stride_and_padding)"
        )
    (site / SKELETON).write_text(skeleton(site), encoding="utf-8")
    written = []
    try:
        with serve(site) as origin, sync_playwright() as p:
            browser = launch(p)
            try:
                book = out_dir / BOOK_PDF
                titles = _print(browser, origin, site, pages, book, with_toc=True)
                written.append(book)
                print(f"[pdf] {book} ({len(titles)} sections)", flush=True)
                for page in chapters:
                    one = out_dir / chapter_pdf(page["path"])
                    _print(browser, origin, site, [page], one, with_toc=False)
                    written.append(one)
                print(f"[pdf] {len(written) - 1} chapter PDFs in {out_dir}", flush=True)
            finally:
                browser.close()
    finally:
        (site / SKELETON).unlink(missing_ok=True)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=SITE, help="the built site (default _build/html)")
    ap.add_argument(
        "--chapter",
        action="append",
        metavar="NAME",
        help="print only this chapter's own PDF (repeatable; default: every chapter)",
    )
    args = ap.parse_args(argv)
    make_pdfs(args.site, args.chapter)
    return 0


if __name__ == "__main__":
    sys.exit(main())

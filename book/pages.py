"""The book's pages and what the build makes of them: the pages of ``_toc.yml`` in reading
order, the built site's folder, and the names of the PDFs printed from it.

One home for each: ``site/offline.py`` links the PDFs under these names, ``site/pdf.py`` prints
them, the tests and the benchmarks read the same pages and folder.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"  # the built website (`make book`)
PDF_DIR = "pdf"  # the PDFs' folder in the site: _build/html/pdf/
BOOK_PDF = "cnns-demystified.pdf"  # the whole book, in PDF_DIR


def book_pages(root: Path = ROOT) -> list[dict]:
    """Every page of _toc.yml in reading order: {"path": "chapters/x.html", "part": caption}
    (the root page's part is "")."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [{"path": f"{toc['root']}.html", "part": ""}]
    for part in toc.get("parts", []):
        pages += [
            {"path": f"{c['file']}.html", "part": part.get("caption", "")} for c in part.get("chapters", [])
        ]
    return pages


def chapter_pages(pages: list[dict]) -> list[dict]:
    """The pages of ``pages`` (from ``book_pages``) that get a PDF of their own: the chapters."""
    return [page for page in pages if page["path"].startswith("chapters/")]


def chapter_pdf(page: str) -> str:
    """The name of a chapter's own PDF in PDF_DIR, for its page (``chapters/x.html``, or the
    docname ``chapters/x``): ``x.pdf``."""
    return Path(page).stem + ".pdf"

"""The errata index: every "Article error" / "Article gap" box of the book, collected from the
pages themselves, and the article's errors it must cover.

A box is a folded ``<details>`` element (the markup of ``book.markup``) in a markdown cell or
in a ``.md`` page::

    <details class="erratum" id="erratum-<slug>">
    <summary>Article error: <short title></summary>

    **The article:** "<its words>"

    **Correct:** <the correction>

    <the rest of the box>

    </details>

``find_boxes`` reads them from ``intro.md`` and ``chapters/`` (the numbers as the page shows
them); ``index_markdown`` writes the index; ``python -m book.errata`` puts it into the appendix
page (``--check`` only reports whether the page is up to date). A box without an id or without
the "The article"/"Correct" paragraphs is still found and listed, linked to its page, and
reported by ``unconverted``.

A chapter keeps in its reading flow only the boxes that teach a concept; the others sit in
its one folded "Checking the article" box (``<details class="checking-article">``, see
``book.markup``), each keeping its id, so this index finds them all the same (``Box.folded``
says which). ``flow_share`` measures, per chapter, the share of the prose in the reading flow
that erratum boxes take (tests/test_erratum_share.py).

``ARTICLE_ERRATA`` is the list of the article's errors the book must correct (the errata list of
the book's content specification, numbered as there). Each has one or more patterns; it is
covered when every pattern matches the text of some box, and ``errata_coverage`` gives the
boxes that cover each (unrelated to ``helpers.coverage``, the input pixels a kernel reads).
An entry of that list that is not an error (``right_on``: the article is right, or shows
something on purpose) is covered by the pages that explain it instead of by a box.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import markup
from .pages import ROOT

INDEX_PAGE = ROOT / "chapters" / "95_errata.ipynb"
INDEX_TAG = "errata-index"  # the markdown cell of INDEX_PAGE that the index is written to

_BOX = re.compile(
    r'^<details class="(?P<classes>[^"]*\berratum\b[^"]*)"(?: id="(?P<name>[\w.-]+)")?>[ \t]*\n'
    r"<summary>(?P<title>Article (?P<kind>error|gap)\b[^<]*)</summary>[ \t]*\n(?P<body>.*?)^</details>",
    re.M | re.S,
)


@dataclass(frozen=True)
class Box:
    page: str  # docname, e.g. "chapters/02_case1_one_weight" or "intro"
    source: str  # its file, e.g. "chapters/02_case1_one_weight.ipynb"
    page_title: str
    title: str  # without the "Article error: " prefix
    kind: str  # "error" or "gap"
    name: str | None  # the box's id (its anchor), None if it has none
    classes: tuple
    article: str | None  # the article's words (the "The article:" paragraph)
    correct: str | None  # the correction (the "Correct:" paragraph)
    text: str  # title and body as plain text (what ARTICLE_ERRATA patterns search)
    folded: bool = False  # inside its page's "Checking the article" box, out of the reading flow

    @property
    def converted(self) -> bool:
        return bool(self.name and "erratum" in self.classes and self.article and self.correct)


@dataclass(frozen=True)
class ArticleErratum:
    number: int
    title: str
    patterns: tuple  # regular expressions; all must match (each in some box)
    # not an error: the page, or pages, whose text explains it (every pattern in one of them)
    right_on: str | tuple[str, ...] | None = None
    verdict: str = "the article is right"  # the index's words for a right_on entry

    @property
    def right_pages(self) -> tuple[str, ...]:
        if self.right_on is None:
            return ()
        return (self.right_on,) if isinstance(self.right_on, str) else tuple(self.right_on)


# The errata of the content specification (section 12), numbered as there. Patterns search the
# boxes' titles and bodies (case-insensitive).
ARTICLE_ERRATA = (
    ArticleErratum(1, "Pixel range: 1 is white and 256 is black", (r"256 is black",)),
    # The specification lists these formulas as errors; they are not: the article shows the
    # selected cell's formula on purpose, and it is the lesson of Case 1 (an anchored $G$5 is
    # one weight shared by every output cell, a relative B2 a window that slides).
    ArticleErratum(
        2,
        "Spreadsheet formulas shown instead of values (Cases 1, 2 and 3)",
        (r"=B2\*\$G\$5", r"SUMPRODUCT\(D3:E3", r"SUMPRODUCT\(E2:F2"),
        right_on=(
            "chapters/02_case1_one_weight",
            "chapters/03_case2_pair_of_weights",
            "chapters/04_case3_zero_padding",
        ),
        verdict="the article shows the selected cell's formula on purpose",
    ),
    ArticleErratum(3, "Cases 2–4 switch to another image without saying so", (r"image B|different image",)),
    ArticleErratum(4, "Case 2 'moving two pixels at a time' (it is stride 1)", (r"two pixels at a time",)),
    ArticleErratum(
        5,
        "Case 3's padding makes the output larger, not the same size",
        (r"image size to reduce|padding did not keep",),
    ),
    # Not an error: a consistent order; chapter 1 shows that any fixed one serves a dense layer.
    ArticleErratum(
        6,
        "The flatten order is column by column, not Keras' row by row",
        (r"column by column",),
        right_on=("chapters/01_how_a_machine_sees", "chapters/02_case1_one_weight"),
        verdict="any fixed order serves a dense layer; Keras reads row by row",
    ),
    ArticleErratum(7, "CNN 'convolution' is cross-correlation", (r"cross-correlation",)),
    ArticleErratum(
        8, "'All the pixels are covered at least once' fails at stride 2", (r"covered at least\s+once",)
    ),
    ArticleErratum(9, "The stride-2 output has a wrong value", (r"\b412\b",)),
    ArticleErratum(10, "Same padding described as 'only the valid pixels'", (r"valid pixels",)),
    # Not errors either: the article makes both statements about its stride-1 examples with a 3×3
    # kernel, where they hold. Chapter 9 shows where they stop holding (stride 2, larger kernels).
    ArticleErratum(
        11,
        "'Same' keeps the size only at stride 1",
        (r"same.{0,40}only at stride 1",),
        right_on="chapters/09_stride_and_padding",
        verdict="the article says it of its stride-1 example, where it holds",
    ),
    ArticleErratum(
        12,
        "'A single zero padding would retain the size' holds only for a 3×3 kernel at stride 1",
        (r"single zero padding",),
        right_on="chapters/09_stride_and_padding",
        verdict="the article says it of its 3×3 kernel at stride 1, where it holds",
    ),
    ArticleErratum(13, "The output-size formula needs a floor", (r"needs a floor|without a floor",)),
    ArticleErratum(14, "The garbled 3×3×3 / 32×32×3 example", (r"32×32×3",)),
    ArticleErratum(
        15,
        "The parameter saving comes from weight sharing, not smaller images",
        (r"lesser pixels|parameter saving",),
    ),
    # Not an error either: the article says pooling helps "reduce the number of trainable
    # parameters", which it does (those of the next layer); it never says pooling has any.
    ArticleErratum(
        16,
        "Pooling has no trainable parameters",
        (r"pooling (layers )?(has|have|does not have)[^.]{0,30}parameters",),
        right_on="chapters/11_pooling",
        verdict="the article never says pooling has parameters; it cuts those of the next layer",
    ),
    ArticleErratum(17, "The pooling table misses a row of the conv output", (r"\b913\b",)),
    ArticleErratum(18, "'Mean square loss' and 'compared to the output layer'", (r"mean square",)),
    # Not an error: "one training cycle is completed in a single forward and backward pass" is
    # the article's name for one iteration; the chapter gives the usual words, iteration and epoch.
    ArticleErratum(
        19,
        "One forward and backward pass is an iteration, not a training cycle",
        (r"not a training cycle|training cycle is completed",),
        right_on="chapters/12_output_layer_and_network",
        verdict="the article's training cycle is one iteration, in other words",
    ),
    ArticleErratum(20, "Softmax is an activation, not a loss", (r"softmax is an\s+activation",)),
    ArticleErratum(
        21,
        "Dense(1) with softmax outputs the same value for every image",
        (r"Dense\(1\)\s*\+?\s*(with )?softmax|softmax over one",),
    ),
    ArticleErratum(
        22,
        "to_categorical labels of shape (n, 2) for a Dense(1) output",
        (r"to_categorical labels|labels of shape \(n, 2\)",),
    ),
    ArticleErratum(23, "Dense(..., input_dim=50) is ignored", (r"input_dim",)),
    ArticleErratum(24, "Keras 2 imports and InputLayer(input_shape=...)", (r"np_utils",)),
    ArticleErratum(25, "images[i] = cv2.resize(...) on an empty list", (r"IndexError",)),
    ArticleErratum(26, "cv2.imread returns BGR, and None for unreadable files", (r"\bBGR\b",)),
    ArticleErratum(27, "The whole data set as one in-memory array", (r"in-memory|6\.21 GB",)),
    ArticleErratum(28, "No pixel scaling", (r"pixel scaling",)),
    ArticleErratum(29, "validation_split without shuffling", (r"validation_split",)),
    ArticleErratum(
        30,
        "Kernel depth: the depth of the weight equals the input depth (right; "
        "kernel_size=(5, 5) is spatial, Keras infers the depth)",
        (r"kernel_size=\(5,\s*5\)",),
        right_on="chapters/10_filters_and_activation_maps",
    ),
    ArticleErratum(
        31,
        "Resizing that ignores the aspect ratio, a hard-coded image count, unused imports",
        (r"resizing to 300|unused imports",),
    ),
    ArticleErratum(
        32,
        "Section numbering; 'convolution and padding' should be pooling; the lost max-pooling picture",
        (r"section numbering|numbered", r"convolution and padding", r"car on a street"),
    ),
    ArticleErratum(33, "How many parameters with an MLP", (r"\bMLP\b",)),
)


# ----------------------------------------------------------------------------- reading
def _pages(root: Path):
    """(docname, file relative to root, markdown cells) for intro.md and every chapter."""
    intro = root / "intro.md"
    if intro.exists():
        yield "intro", "intro.md", [intro.read_text(encoding="utf-8")]
    for path in sorted((root / "chapters").glob("*")):
        source = f"chapters/{path.name}"
        if path.suffix == ".md":
            yield f"chapters/{path.stem}", source, [path.read_text(encoding="utf-8")]
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            stale = markup.stale(nb)
            if stale:
                raise ValueError(
                    f"{source}: numbers in the prose differ from the stored values ({stale[0][0]}, ...); "
                    "run scripts/execute.py (or its --prose-only) before building the errata index"
                )
            cells = [
                "".join(c["source"])
                for c in nb["cells"]
                if c["cell_type"] == "markdown" and INDEX_TAG not in c.get("metadata", {}).get("tags", [])
            ]
            yield f"chapters/{path.stem}", source, cells


def _numbers_as_text(markdown: str) -> str:
    """The prose's numbers without their span (the Markdown the page shows)."""
    return markup.NUMBER.sub(lambda m: m.group("text"), markdown)


def _plain(markdown: str) -> str:
    return markup.unescape(_numbers_as_text(markdown))


def _paragraph(body: str, label: str) -> str | None:
    m = re.search(rf"^\*\*{label}:\*\*[ \t]*(.*?)(?=\n[ \t]*\n|\Z)", body, re.M | re.S)
    return " ".join(m.group(1).split()) if m else None


def _page_title(cells) -> str:
    for text in cells:
        m = re.search(r"^# (.+)$", text, re.M)
        if m:
            return m.group(1).strip()
    return ""


def find_boxes(root: Path = ROOT) -> list[Box]:
    """Every Article error/gap box in intro.md and chapters/, in page order."""
    boxes = []
    for page, source, cells in _pages(root):
        title = _page_title(cells)
        for text in cells:
            folded = _folded_starts(text)
            for m in _BOX.finditer(text):
                raw = m.group("body").strip("\n")
                body = _numbers_as_text(raw)
                head = html.unescape(m.group("title")).strip()
                short = head.split(":", 1)[1].strip() if ":" in head else ""
                boxes.append(
                    Box(
                        page=page,
                        source=source,
                        page_title=title,
                        title=short or head,
                        kind=m.group("kind"),
                        name=m.group("name"),
                        classes=tuple(m.group("classes").split()),
                        article=_paragraph(body, "The article"),
                        correct=_paragraph(body, "Correct"),
                        text=f"{short}\n{_plain(raw)}",
                        folded=m.start() in folded,
                    )
                )
    names = [b.name for b in boxes if b.name]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"erratum box names must be unique in the book; repeated: {dupes}")
    return boxes


def _folded_starts(text: str) -> set[int]:
    """The offsets in ``text`` of the lines inside a "Checking the article" box."""
    starts, at = set(), 0
    for line, classes in markup.nested(text):
        if markup.CHECKING in classes:
            starts.add(at)
        at += len(line) + 1
    return starts


def flow_share(cells) -> tuple[int, int]:
    """(words inside erratum boxes, words) of the reading flow of a page's markdown cells: all
    their prose but what sits in the folded "Checking the article" box (``book.markup``),
    the numbers counted as the page shows them."""
    boxed = total = 0
    for text in cells:
        for line, classes in markup.nested(_numbers_as_text(text)):
            if markup.CHECKING in classes:
                continue
            n = markup.words(line)
            total += n
            boxed += n if "erratum" in classes else 0
    return boxed, total


def flow_shares(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """``flow_share`` of every chapter notebook, by file stem (``02_case1_one_weight``); not
    of the errata appendix itself (``INDEX_PAGE``), whose subject they are."""
    return {
        Path(source).stem: flow_share(cells)
        for page, source, cells in _pages(root)
        if source.startswith("chapters/")
        and source.endswith(".ipynb")
        and Path(source).name != INDEX_PAGE.name
    }


def _page(docname: str, root: Path) -> tuple[str, list[str]] | None:
    """(file, markdown cells) of page ``docname``, read once; None if there is no such page."""
    return next(((source, cells) for page, source, cells in _pages(root) if page == docname), None)


def page_text(docname: str, root: Path = ROOT) -> str:
    """The markdown of a page (all markdown cells of a notebook), or "" if there is none."""
    found = _page(docname, root)
    return _plain("\n".join(found[1])) if found else ""


def errata_coverage(boxes, root: Path = ROOT) -> dict[int, list[Box]]:
    """For each ARTICLE_ERRATA number, the boxes that cover it ([] when not every pattern
    matches). A statement that is not an error (``right_on``) is covered by its pages: the
    value is then ``[None]`` when every pattern is in the text of one of them, else ``[]``."""
    result = {}
    for err in ARTICLE_ERRATA:
        if err.right_on:
            texts = [page_text(page, root) for page in err.right_pages]
            found = all(any(re.search(p, t, re.I) for t in texts) for p in err.patterns)
            result[err.number] = [None] if found else []
            continue
        found, complete = [], True
        for pattern in err.patterns:
            # whitespace in a pattern matches any run of it, line breaks included
            loose = re.sub(r"(?:\\ | )+", r"\\s+", pattern)
            hits = [b for b in boxes if re.search(loose, b.text, re.I | re.S)]
            complete &= bool(hits)
            found += [b for b in hits if b not in found]
        result[err.number] = found if complete else []
    return result


def unconverted(boxes) -> list[Box]:
    """Boxes not yet in the form above (no anchor or no "The article"/"Correct" paragraphs)."""
    return [b for b in boxes if not b.converted]


# ----------------------------------------------------------------------------- writing
def _href(source: str, here: str, anchor: str | None = None) -> str:
    """The relative link from page ``here`` (a docname) to file ``source``, with its anchor."""
    rel = posixpath.relpath(source, posixpath.dirname(here))
    return f"{rel}#{anchor}" if anchor else rel


def _link(box: Box, here: str) -> str:
    return f"[{_escape(box.title)}]({_href(box.source, here, box.name)})"


def _escape(text: str) -> str:
    return markup.escape(text.replace("`", "'"))


def index_markdown(boxes, here: str = "chapters/95_errata", root: Path = ROOT) -> str:
    """The index: by page, each box's link, the article's words and the correction; then the
    article's errors by number with the boxes that cover each, and any still uncovered."""
    lines = ["## Every box, page by page", ""]
    page = None
    for b in boxes:
        if b.page != page:
            page = b.page
            lines += ["", f"### [{_escape(b.page_title)}]({_href(b.source, here)})", ""]
        kind = "Article error" if b.kind == "error" else "Article gap"
        lines.append(f"- **{kind}:** {_link(b, here)}")
        if b.article:
            lines.append(f"  - *The article:* {b.article}")
        if b.correct:
            lines.append(f"  - *Correct:* {b.correct}")
        if not b.converted:
            lines.append("  - (this box is not yet in the standard form: see its page)")
    cov = errata_coverage(boxes, root)
    lines += ["", "## The article's errors, one by one", ""]
    for err in ARTICLE_ERRATA:
        if err.right_on and cov[err.number]:
            pages = [_page(page, root) for page in err.right_pages]
            where = ", ".join(
                f"[{_escape(_page_title(cells))}]({_href(target, here)})" for target, cells in pages
            )
            links = f"not an error, {_escape(err.verdict)}: {where}"
        else:
            links = ", ".join(_link(b, here) for b in cov[err.number]) or "**no box yet**"
        lines.append(f"{err.number}. {_escape(err.title)}: {links}")
    missing = [e for e in ARTICLE_ERRATA if not cov[e.number]]
    if missing:
        lines += [
            "",
            '<div class="admonition note">',
            '<p class="admonition-title">Not covered by a box yet</p>',
            "",
            "; ".join(f"{e.number}. {_escape(e.title)}" for e in missing),
            "",
            "</div>",
        ]
    return "\n".join(lines).strip() + "\n"


def write_index(page: Path = INDEX_PAGE, root: Path = ROOT, check: bool = False) -> bool:
    """Write the index into the ``errata-index`` cell of ``page``; True if it changed (or, with
    ``check``, would change)."""
    nb = json.loads(page.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if INDEX_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{page.name} must have exactly one markdown cell tagged {INDEX_TAG!r}")
    here = f"chapters/{page.stem}"
    text = index_markdown(find_boxes(root), here, root)
    old = "".join(cells[0]["source"])
    if old == text:
        return False
    if not check:
        import nbformat

        book = nbformat.read(page, as_version=4)
        for cell in book.cells:
            if INDEX_TAG in cell.metadata.get("tags", []):
                cell.source = text
        nbformat.write(book, page)
    return True


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    changed = write_index(check=check)
    if check and changed:
        print(f"{INDEX_PAGE.relative_to(ROOT)} is out of date: run python -m book.errata")
        sys.exit(1)
    print(f"{INDEX_PAGE.relative_to(ROOT)}: {'updated' if changed else 'up to date'}")

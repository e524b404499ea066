"""The errata index (book.errata, chapters/95_errata.ipynb): it is generated from the boxes
and up to date, lists every box, covers every error of the article, and its links resolve in
the built site. Plus the parser itself on small synthetic pages."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from book import errata
from helpers.glue import GLUE_PREFIX

ROOT = Path(__file__).resolve().parent.parent
BOXES = errata.find_boxes()
INDEX = "".join(
    "".join(c["source"])
    for c in json.loads(errata.INDEX_PAGE.read_text())["cells"]
    if errata.INDEX_TAG in c.get("metadata", {}).get("tags", [])
)
# pages whose boxes are all in the standard form: every page of the book
CONVERTED_PAGES = {"intro"} | {f"chapters/{p.stem}" for p in sorted((ROOT / "chapters").glob("*.ipynb"))}
# the pages that hold no erratum box (nothing of the article to correct there)
WITHOUT_BOXES = {
    "chapters/02_case1_one_weight",
    "chapters/07_convolution_layer",
    "chapters/14_training_on_real_digits",
    "chapters/14b_overfitting_and_its_cures",
    "chapters/16_draw_a_digit",
    "chapters/17_classic_designs",  # Part IV goes past the article: nothing of it to check
    "chapters/18_optimisers_and_inputs",
    "chapters/19_transfer_learning",
    "chapters/20_augmentation_and_errors",
    "chapters/21_train_a_cnn_in_the_page",
    "chapters/90_performance_notes",
    "chapters/91_the_full_cats_and_dogs_archive",
}


def test_index_is_up_to_date():
    assert not errata.write_index(check=True), "run: python -m book.errata"


def test_every_box_is_listed_once():
    # 39 boxes before the chapters were rewritten course-first, less what is not an error:
    # chapter 9's two statements that hold where the article makes them (ARTICLE_ERRATA 11 and
    # 12), chapter 11's and chapter 12's (16 and 19), and the spreadsheet formulas of chapters
    # 3 and 4 (notes now, like chapter 2's), and the article's column-by-column flatten
    # (ARTICLE_ERRATA 6, a note in chapter 2: any fixed order serves a dense layer, chapter 1)
    assert len(BOXES) >= 32
    for box in BOXES:
        target = f"#{box.name})" if box.name else f"]({Path(box.source).name})"
        assert target in INDEX, box
        if box.name:
            assert re.fullmatch(r"erratum-[a-z0-9]+(-[a-z0-9]+)*", box.name), box.name


def test_every_error_of_the_article_is_covered():
    cov = errata.errata_coverage(BOXES)
    assert sorted(cov) == list(range(1, 34))
    missing = [n for n, boxes in cov.items() if not boxes]
    assert missing == [], f"errata without a box: {missing}"
    assert "no box yet" not in INDEX


def test_boxes_are_in_the_standard_form():
    mine = [b for b in BOXES if b.page in CONVERTED_PAGES]
    assert mine == BOXES and errata.unconverted(BOXES) == []
    assert {b.page for b in mine} == CONVERTED_PAGES - WITHOUT_BOXES
    for box in mine:
        assert box.converted, box
        assert box.article and box.correct and "data-glue" not in box.article + box.correct
        assert box.classes == ("erratum",)


def test_index_shows_words_and_corrections_with_glue_resolved():
    pixel = next(b for b in BOXES if b.name == "erratum-pixel-range")
    assert "256 is black" in pixel.article and "0 to 255" in pixel.correct
    image = next(b for b in BOXES if b.name == "erratum-image-switch")
    assert "62 of its 68 pixels" in image.correct
    assert '*The article:* "In the representation below' in INDEX


def _links(path):
    class Links(HTMLParser):
        hrefs, ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "a" and a.get("href"):
                self.hrefs.append(a["href"])
            if a.get("id"):
                self.ids.add(a["id"])

    p = Links()
    p.hrefs, p.ids = [], set()
    p.feed(path.read_text(encoding="utf-8"))
    return p.hrefs, p.ids


def test_links_resolve_in_the_built_site(site):
    page = site / "chapters" / "95_errata.html"
    hrefs, _ = _links(page)
    anchors = [h for h in hrefs if "#erratum-" in h]
    assert len(anchors) >= sum(1 for b in BOXES if b.name)
    for href in hrefs:
        if href.startswith(("http", "mailto:")) or (href.startswith("#") and "erratum" not in href):
            continue
        if href.endswith(".pdf"):  # the download menu: make pdf's files, checked by test_site_browser
            continue
        file, _, frag = href.partition("#")
        target = (page.parent / file).resolve() if file else page
        assert target.is_file(), href
        if frag:
            assert frag in _links(target)[1], href


# ----------------------------------------------------------------------------- the parser
def _book(tmp_path, md_cells, glue=None, intro=""):
    (tmp_path / "chapters").mkdir(parents=True)
    (tmp_path / "intro.md").write_text(intro)
    outputs = [
        {
            "output_type": "display_data",
            "metadata": {"scrapbook": {"name": k}},
            "data": {GLUE_PREFIX + "text/plain": v},
        }
        for k, v in (glue or {}).items()
    ]
    cells = [{"cell_type": "markdown", "metadata": {}, "source": s} for s in md_cells]
    cells.append(
        {"cell_type": "code", "metadata": {}, "source": "", "outputs": outputs, "execution_count": 1}
    )
    (tmp_path / "chapters" / "01_x.ipynb").write_text(json.dumps({"cells": cells}))
    return tmp_path


NEW = """# A page

<details class="erratum" id="erratum-wrong-number">
<summary>Article error: a wrong number &amp; more</summary>

**The article:** "it is <span data-glue="bad">412</span>"

**Correct:** it is <span data-glue="good">851</span>,
on two lines.

</details>
"""
OLD = """<details class="erratum">
<summary>Article gap: an old box</summary>

Something was lost.

</details>"""


def test_parser_new_and_old_form_and_numbers(tmp_path):
    root = _book(
        tmp_path,
        [NEW, OLD],
        glue={"bad": "412", "good": "851"},
        intro="Boxes look like this: <details><summary>Article error</summary>\n\nnot a box\n\n</details>\n",
    )
    boxes = errata.find_boxes(root)
    assert [b.title for b in boxes] == ["a wrong number & more", "an old box"]
    new, old = boxes
    assert new.converted and new.article == '"it is 412"' and new.correct == "it is 851, on two lines."
    assert new.page == "chapters/01_x" and new.page_title == "A page" and "it is 412" in new.text
    assert not old.converted and old.kind == "gap" and old.name is None
    assert errata.unconverted(boxes) == [old]
    text = errata.index_markdown(boxes, root=root)
    assert "[a wrong number & more](01_x.ipynb#erratum-wrong-number)" in text
    assert "[an old box](01_x.ipynb)" in text
    assert "### [A page](01_x.ipynb)" in text
    assert "no box yet" in text  # this tiny book covers almost nothing


def test_parser_errors(tmp_path):
    with pytest.raises(ValueError, match=r"execute\.py"):
        errata.find_boxes(_book(tmp_path / "a", [NEW]))  # the prose's numbers were never stored
    twice = _book(tmp_path / "b", [NEW, NEW], glue={"bad": "412", "good": "851"})
    with pytest.raises(ValueError, match="unique"):
        errata.find_boxes(twice)


CHECKING = """<details class="checking-article">
<summary>Checking the article</summary>

The article's slips that teach nothing new.

<details class="erratum" id="erratum-folded-slip">
<summary>Article error: a slip</summary>

**The article:** "two"

**Correct:** three.

</details>

</details>
"""


def test_parser_finds_the_boxes_of_a_checking_the_article_box(tmp_path):
    root = _book(tmp_path, [NEW, CHECKING], glue={"bad": "412", "good": "851"})
    flow, folded = errata.find_boxes(root)
    assert not flow.folded and folded.folded and folded.converted
    assert folded.name == "erratum-folded-slip" and folded.correct == "three."
    assert "[a slip](01_x.ipynb#erratum-folded-slip)" in errata.index_markdown([flow, folded], root=root)


def test_the_formulas_are_not_errors_and_the_pages_explain_them():
    """Erratum 2 of the specification (a formula shown instead of a value) is the article
    showing a selected cell on purpose: the lesson of Case 1, not an error, and not a box."""
    two = next(e for e in errata.ARTICLE_ERRATA if e.number == 2)
    assert "chapters/02_case1_one_weight" in two.right_pages
    assert errata.errata_coverage(BOXES)[2] == [None]
    assert not [b for b in BOXES if b.page == "chapters/02_case1_one_weight" and "=B2" in b.text]
    assert "2. Spreadsheet formulas shown instead of values (Cases 1, 2 and 3): not an error" in INDEX


def test_same_padding_and_one_ring_of_zeros_are_not_errors():
    """Errata 11 and 12 of the specification ("same" keeps the size only at stride 1; a single
    zero padding keeps the size only for a 3×3 kernel at stride 1) are what the article says of
    its stride-1, 3×3 examples, where both hold: chapter 9 teaches them, with no box."""
    chapter = "chapters/09_stride_and_padding"
    for number in (11, 12):
        err = next(e for e in errata.ARTICLE_ERRATA if e.number == number)
        assert err.right_pages == (chapter,)
        assert errata.errata_coverage(BOXES)[number] == [None]
        assert not [b for b in BOXES if any(re.search(p, b.text, re.I) for p in err.patterns)]
        assert re.search(rf"^{number}\. .*: not an error, the article says it of", INDEX, re.M)


def test_the_case2_formula_is_a_note_under_its_old_anchor():
    """Chapter 3's row-1 formula (=SUMPRODUCT(D3:E3,...)) is the article's selected cell, part of
    erratum 2 of the specification, not an error: a note, not an erratum box, that keeps the id the
    errata index once linked to and shows the two values the table leaves out."""
    page = "chapters/03_case2_pair_of_weights"
    assert page in next(e for e in errata.ARTICLE_ERRATA if e.number == 2).right_pages
    assert "erratum-case2-formula" not in {b.name for b in BOXES}
    assert not [b for b in BOXES if b.page == page and "SUMPRODUCT" in b.text]
    opening = '<div class="admonition note" id="erratum-case2-formula">'
    note = re.search(re.escape(opening) + r"\n(.*?)^</div>", errata.page_text(page), re.S | re.M)
    assert note, "chapter 3 lost its note on the row-1 formula"
    assert "Article error" not in note.group(1) and "SUMPRODUCT(D3:E3" in note.group(1)
    assert "are 5.4 and 20." in " ".join(note.group(1).split())


@pytest.mark.parametrize(
    "number, page, words",
    [
        (16, "chapters/11_pooling", "pooling has no parameters"),
        (19, "chapters/12_output_layer_and_network", "training cycle is completed"),
    ],
)
def test_statements_that_are_right_are_explained_not_boxed(number, page, words):
    """Errata 16 and 19 of the specification are not errors: the article says pooling reduces
    the number of trainable parameters (it does, those of the next layer) and never that pooling
    has any; its "training cycle" of one forward and backward pass is what is called an
    iteration. Their chapters explain them in the reading flow, in no "Article error" box."""
    entry = next(e for e in errata.ARTICLE_ERRATA if e.number == number)
    assert entry.right_pages == (page,)
    assert errata.errata_coverage(BOXES)[number] == [None]
    assert words in errata.page_text(page).lower()
    assert not [b for b in BOXES if b.page == page and re.search(entry.patterns[0], b.text, re.I)]
    assert f"{number}. " in INDEX and "not an error" in INDEX.split(f"\n{number}. ", 1)[1].split("\n")[0]

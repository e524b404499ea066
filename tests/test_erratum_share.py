"""Course first, the audit beside it: per chapter, the share of the prose in the reading flow
that "Article error" boxes take (``book.errata.flow_share``). A chapter keeps in its flow only
the boxes that teach a concept; the others go into its one folded "Checking the article" box
(``book.markup``), which the share leaves out.

``REWRITTEN`` names the chapters already rewritten course-first: each must stay at or below
``LIMIT``. Add a chapter when it is rewritten; the set only grows, until it names every chapter.
The test prints the table of every chapter (``pytest -s``) and reports the others, which it
does not fail on yet.
"""

import json
import warnings

import pytest

from book import errata, markup

LIMIT = 0.10
# the chapters rewritten course-first (file stems); add yours, never remove one
REWRITTEN = {
    "01_how_a_machine_sees",
    "02_case1_one_weight",
    "03_case2_pair_of_weights",
    "04_case3_zero_padding",
    "05_case4_several_weights",
    "06_case5_2d_kernel",
    "06b_learning_a_kernel",
    "07_convolution_layer",
    "08_filters_on_real_images",
    "09_stride_and_padding",
    "10_filters_and_activation_maps",
    "11_pooling",
    "12_output_layer_and_network",
    "13_article_keras_model",
    "15_real_cats_and_dogs",
    "16_draw_a_digit",
    "14_training_on_real_digits",
    "14b_overfitting_and_its_cures",
}

SHARES = errata.flow_shares()


def _table() -> str:
    rows = [f"{'chapter':<34} {'erratum words':>13} {'flow words':>10} {'share':>7}"]
    for stem, (boxed, total) in SHARES.items():
        mark = "  (rewritten)" if stem in REWRITTEN else ""
        rows.append(f"{stem:<34} {boxed:>13} {total:>10} {boxed / max(total, 1):>7.1%}{mark}")
    return "\n".join(rows)


def test_the_rewritten_chapters_exist():
    assert set(SHARES) >= REWRITTEN, sorted(REWRITTEN - set(SHARES))


@pytest.mark.parametrize("stem", sorted(REWRITTEN))
def test_a_rewritten_chapter_keeps_errata_out_of_its_reading_flow(stem):
    boxed, total = SHARES[stem]
    assert total > 0 and boxed / total <= LIMIT, (
        f"{stem}: {boxed} of {total} words of the reading flow ({boxed / total:.1%}) are in erratum "
        f'boxes, more than {LIMIT:.0%}: move the boxes that teach no concept into its <details class="'
        f'{markup.CHECKING}"> box (book/markup.py)'
    )


def test_report_every_chapter():
    print("\n" + _table())
    over = [s for s, (b, t) in SHARES.items() if s not in REWRITTEN and b > LIMIT * t]
    if over:
        warnings.warn(
            f"{len(over)} chapter(s) not rewritten yet have more than {LIMIT:.0%} of their reading "
            f"flow in erratum boxes: {', '.join(over)}",
            stacklevel=1,
        )


def test_the_share_counts_the_flow_only():
    page = [
        "# A page\n\nOne two three four five six seven eight.\n",
        '<details class="erratum" id="erratum-a">\n<summary>Article error: a b</summary>\n\n'
        "**The article:** c\n\n**Correct:** d\n\n</details>\n",
        '<details class="checking-article">\n<summary>Checking the article</summary>\n\n'
        '<details class="erratum" id="erratum-b">\n<summary>Article error: e f</summary>\n\n'
        "**The article:** g h i j k\n\n**Correct:** l m n o p\n\n</details>\n\n</details>\n",
    ]
    # the flow: 2 + 8 words of prose and the first box's 4 + 3 + 2; the second box is folded away
    assert errata.flow_share(page) == (9, 19)


def test_a_chapter_has_one_checking_the_article_box_at_most():
    for path in sorted(errata.ROOT.glob("chapters/*.ipynb")):
        text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
        assert text.count(f'<details class="{markup.CHECKING}"') <= 1, path.name

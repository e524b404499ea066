"""Course first, the audit beside it: per chapter, the share of the prose in the reading flow
that "Article error" boxes take (``book.errata.flow_share``). A chapter keeps in its flow only
the boxes that teach a concept; the others go into its one folded "Checking the article" box
(``book.markup``), which the share leaves out. Every chapter, appendices included (not the
errata appendix, whose subject they are), stays at or below ``LIMIT``; ``pytest -s`` prints the
table.
"""

import json

import pytest

from book import errata, markup

LIMIT = 0.10
SHARES = errata.flow_shares()


def _table() -> str:
    rows = [f"{'chapter':<34} {'erratum words':>13} {'flow words':>10} {'share':>7}"]
    for stem, (boxed, total) in SHARES.items():
        rows.append(f"{stem:<34} {boxed:>13} {total:>10} {boxed / max(total, 1):>7.1%}")
    return "\n".join(rows)


def test_every_chapter_is_measured():
    assert len(SHARES) >= 20 and "02_case1_one_weight" in SHARES and "95_errata" not in SHARES


@pytest.mark.parametrize("stem", sorted(SHARES))
def test_a_chapter_keeps_errata_out_of_its_reading_flow(stem):
    boxed, total = SHARES[stem]
    assert total > 0 and boxed / total <= LIMIT, (
        f"{stem}: {boxed} of {total} words of the reading flow ({boxed / total:.1%}) are in erratum "
        f'boxes, more than {LIMIT:.0%}: move the boxes that teach no concept into its <details class="'
        f'{markup.CHECKING}"> box (book/markup.py)'
    )


def test_report_every_chapter():
    print("\n" + _table())


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

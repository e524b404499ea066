"""The chapters' markup (book.markup) reads right in every Jupyter front end: no MyST syntax
left in the prose, every number of the prose is the value its notebook stored, every box is
written so that a CommonMark renderer (JupyterLab's, GitHub's, Colab's) parses the Markdown
inside it; and the functions that fill and check the numbers. The same pages in a running
JupyterLab: tests/test_jupyterlab_browser.py."""

import re
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt

from book import markup
from helpers.glue import glue_bundle

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]
OPEN = re.compile(r'^<(?P<tag>details|div) class="(?P<cls>[^"]+)"[^>]*>$')
HEAD = re.compile(r"^<(summary|p class=\"admonition-title\")>[^\n]*</(summary|p)>$")


def _markdown(path: Path) -> list[str]:
    if path.suffix == ".md":
        return [path.read_text(encoding="utf-8")]
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_no_myst_syntax_a_jupyter_front_end_shows_raw(path):
    raw = [line for text in _markdown(path) for line in markup.raw_myst(text)]
    assert raw == [], f"{path.name}: {raw[:3]}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_a_link_target_is_followed_by_a_blank_line(path):
    """``<div id="sec-x"></div>`` starts an HTML block that runs to the next blank line: a
    heading on the very next line would show as raw ``## ...`` on the site and in JupyterLab."""
    glued = [
        m.group(0).replace("\n", " | ")
        for text in _markdown(path)
        for m in re.finditer(r'^<div id="[^"]+"></div>\n\S[^\n]*', text, re.M)
    ]
    assert glued == [], f"{path.name}: put a blank line after the link target: {glued[:3]}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_links_to_a_section_name_their_page(path):
    """``[text](#sec-x)`` is a broken link on the site (site/anchors.py resolves page#anchor):
    even a link within the page names its file."""
    bare = [m.group(0) for text in _markdown(path) for m in re.finditer(r"\]\(#[^)]*\)", text)]
    assert bare == [], f"{path.name}: write [text]({path.name}#anchor): {bare[:3]}"


@pytest.mark.parametrize("path", [p for p in PAGES if p.suffix == ".ipynb"], ids=lambda p: p.stem)
def test_every_number_of_the_prose_is_the_stored_value(path):
    nb = nbformat.read(path, as_version=4)
    assert markup.stale(nb) == [], "run scripts/execute.py --prose-only " + path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_boxes_are_written_for_every_markdown_renderer(path):
    """Each box: its opening tag and title alone on their lines, then a blank line, the
    Markdown, a blank line and the closing tag alone (CommonMark ends an HTML block at a blank
    line, so the Markdown between is parsed); rendered, no ``**`` is left unparsed."""
    md = MarkdownIt("commonmark")
    for text in _markdown(path):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            m = OPEN.match(line)
            if not m:
                continue
            where = (path.name, line)
            assert HEAD.match(lines[i + 1]) and lines[i + 2] == "", where
            close = next(j for j in range(i + 1, len(lines)) if lines[j] == f"</{m.group('tag')}>")
            assert lines[close - 1] == "", where
        rendered = md.render(text)
        assert "&lt;span data-glue" not in rendered, (path.name, "a number inside `code` stays raw")
        shown = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", rendered, flags=re.S)
        assert "**" not in shown, (path.name, text[:200])


def _nb(markdown: str, **stored):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(markdown))
    code = nbformat.v4.new_code_cell("")
    for name, text in stored.items():
        data, meta = glue_bundle(name, text)
        code.outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=meta))
    nb.cells.append(code)
    return nb


def test_fill_writes_the_stored_values_and_stale_finds_the_old_ones():
    nb = _nb('w = <span data-glue="w">2</span>, f = <span data-glue="f">?</span>', w="3", f='"=B2*G5"')
    assert markup.stale(nb) == [("w", "2", "3"), ("f", "?", '"=B2*G5"')]
    assert markup.fill(nb) == 2
    assert nb.cells[0].source == r'w = <span data-glue="w">3</span>, f = <span data-glue="f">"=B2\*G5"</span>'
    assert markup.stale(nb) == [] and markup.fill(nb) == 0


def test_fill_names_a_number_no_cell_stored():
    nb = _nb('<span data-glue="gone">1</span>', w="3")
    with pytest.raises(KeyError, match='"gone"'):
        markup.fill(nb)
    assert markup.stale(nb) == [("gone", "1", None)]


@pytest.mark.parametrize("text", ["851", "0.958 ± 0.002", '"=B2*$G$5"', "a_b [1] <2> |x| ~y `z` \\"])
def test_escaped_text_renders_as_itself(text):
    rendered = MarkdownIt("commonmark").render(f"a {markup.escape(text)} b")
    assert markup.unescape(markup.escape(text)) == text
    assert (
        rendered
        == f"<p>a {text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')} b</p>\n".replace(
            '"', "&quot;"
        )
    )


def test_raw_myst_finds_roles_directives_options_and_labels():
    text = (
        "a {glue}`x` b\n```{admonition} T\n:class: dropdown\n:name: n\n```\n(sec-a)=\n## H\n{ref}`t <sec-a>`"
    )
    assert len(markup.raw_myst(text)) == 6
    assert (
        markup.raw_myst('<span data-glue="x">1</span> and [t](a.ipynb#sec-a) and $\\begin{smallmatrix}$')
        == []
    )


def test_the_built_pages_show_no_myst_syntax_and_fold_every_answer(site):
    """The website side: no page shows a role or a directive as text (a box whose Markdown was
    not parsed, a number left as ``{glue}``), and every answer starts folded."""
    pages = [site / "intro.html", *sorted((site / "chapters").glob("*.html"))]
    assert len(pages) == len(PAGES)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        prose = re.sub(r"<(script|style|pre)\b.*?</\1>", "", text, flags=re.S)
        shown = re.sub(r"<[^>]+>", "\n", prose)
        assert markup.raw_myst(shown) == [] and not re.search(r"\{(glue|ref|doc|numref)(:\w+)?\}", shown), (
            page.name
        )
        answers = re.findall(r"<details class=\"answer\"[^>]*>", text)
        assert all(a == '<details class="answer">' for a in answers), page.name

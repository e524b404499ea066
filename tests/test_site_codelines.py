"""site/codelines.py: the site's highlighted code and outputs, one element per line carrying
its indentation (which static/site.css wraps under), and the same text as before."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from site_support import load_site_module

CODELINES = load_site_module("codelines")
SOURCE = 'def f(x):\n    s = \'<b> & </b>\'\n\n\tif x:  # a tab\n        return """two\n  lines"""\n'


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_every_line_is_marked_with_its_indentation_and_the_text_is_unchanged():
    marked = highlight(SOURCE, PythonLexer(), CODELINES.LineFormatter())
    assert _text(marked) == _text(highlight(SOURCE, PythonLexer(), HtmlFormatter()))
    assert _text(marked).startswith(SOURCE)
    indents = [int(n) for n in re.findall(r'<span class="cnn-line" style="--cnn-indent:(\d+)">', marked)]
    assert indents == [0, 4, 0, 4, 8, 2]
    # the newline stays outside the line's element: read without the style sheet, the lines
    # are the source's lines
    assert "\n</span>" not in marked and marked.count('</span>\n<span class="cnn-line"') == 5


def test_indent_of_reads_through_markup():
    assert CODELINES.indent_of('<span class="w">    </span><span class="k">if</span>') == 4
    assert CODELINES.indent_of("&#32;&#32;x") == 2
    assert CODELINES.indent_of(" " * 100 + "x") == CODELINES.MAX_INDENT
    assert CODELINES.indent_of("") == 0


def test_the_html_builder_highlights_with_it():
    highlighter = SimpleNamespace(formatter=HtmlFormatter)
    app = SimpleNamespace(builder=SimpleNamespace(format="html", highlighter=highlighter))
    CODELINES.builder_inited(app)
    assert highlighter.formatter is CODELINES.LineFormatter
    latex = SimpleNamespace(formatter="latex")
    CODELINES.builder_inited(SimpleNamespace(builder=SimpleNamespace(format="latex", highlighter=latex)))
    assert latex.formatter == "latex"

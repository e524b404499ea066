"""Sphinx extension: each line of highlighted code or output on the site is an element of its
own, ``<span class="cnn-line" style="--cnn-indent:N">``, N being the spaces it starts with.

``static/site.css`` wraps a line too long for the text column under its own start, N + 2
characters in, so a continued line never reads as a new, less indented one (a ``<pre>`` that
wraps as a whole would continue every line at the box's left edge, and Python's indentation is
its syntax). The newline after each line stays in the text, so copying a block, printing it
or reading it without the style sheet gives the same lines.

Sphinx highlights every literal block (code cells, outputs, tracebacks, Markdown code) with the
builder's Pygments HTML formatter; this replaces it, when the builder starts, with one whose
``wrap`` (Pygments' documented hook for what goes around the lines) marks each line.
"""

from __future__ import annotations

import html
import re

from pygments.formatters import HtmlFormatter

TAG = re.compile(r"<[^>]*>")
MAX_INDENT = 40  # characters: a deeper line wraps under this column


def indent_of(line_html: str) -> int:
    """The number of spaces (a tab: 4) that the highlighted line ``line_html`` starts with."""
    text = html.unescape(TAG.sub("", line_html)).expandtabs(4)
    return min(len(text) - len(text.lstrip(" ")), MAX_INDENT)


def mark_lines(source):
    """Pygments' ``(kind, html)`` line stream with each source line (kind 1) wrapped in a
    ``span.cnn-line`` that carries its indentation; the line's newline stays outside."""
    for kind, line in source:
        if kind != 1:
            yield kind, line
            continue
        body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        yield 1, f'<span class="cnn-line" style="--cnn-indent:{indent_of(body)}">{body}</span>{newline}'


class LineFormatter(HtmlFormatter):
    """Pygments' HTML formatter with every line marked (``mark_lines``)."""

    def wrap(self, source):
        return super().wrap(mark_lines(source))


def builder_inited(app):
    highlighter = getattr(app.builder, "highlighter", None)
    if app.builder.format == "html" and highlighter is not None:
        highlighter.formatter = LineFormatter


def setup(app):
    app.connect("builder-inited", builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

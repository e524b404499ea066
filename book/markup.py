"""The markup of the chapters' prose: plain Markdown and a few HTML elements that JupyterLab,
Colab, VS Code, GitHub and the Jupyter Book site all render alike (MyST roles and directives
show as raw text everywhere but the site).

    a computed number   <span data-glue="name">851</span>
                        the text is the value a code cell stored with ``helpers.glue``
                        (``records``); ``fill`` rewrites it from the stored outputs
                        (scripts/execute.py does after every run), ``stale`` lists the spans
                        that differ from them (a test)
    an exercise         <div class="admonition exercise">
                        <p class="admonition-title">Exercise 1 (predict)</p>
                        (blank line, the question in Markdown, blank line)
                        </div>
    an answer           <details class="answer">
                        <summary>Answer</summary>
                        (blank line, Markdown, blank line)
                        </details>
    an erratum          <details class="erratum" id="erratum-slug">
                        <summary>Article error: short title</summary> ...  (book.errata)
    the article checked <details class="checking-article">
                        <summary>Checking the article</summary>
                        (blank line, Markdown, the chapter's erratum boxes that teach no concept,
                        each with its id, at the start of a line, blank line)
                        </details>
                        one per chapter, in one markdown cell: the boxes inside are out of the
                        reading flow (``nested``), the errata index still finds them
    a side note         <div class="admonition note"> ... or, folded, <details class="note">
    a link target       <div id="sec-slug"></div>  (then a blank line, then the heading: Markdown
                        reads every line up to a blank one as part of the HTML block)
    a cross-reference   [text](07_convolution_layer.ipynb#sec-slug): the site resolves it
                        (site/anchors.py), JupyterLab opens the notebook

``RAW_MYST`` is what must not appear in a chapter's markdown any more. ``nested`` tells, line by
line, which ``<details>`` boxes a line of prose sits in, and ``words`` counts its words.
"""

from __future__ import annotations

import html
import re

from helpers.glue import GLUE_PREFIX

NUMBER = re.compile(r'<span data-glue="(?P<name>[\w.-]+)">(?P<text>.*?)</span>', re.S)
ID = re.compile(r'<(?:div|details)\b[^>]*\bid="(?P<id>[\w.-]+)"')
_SPECIAL = re.compile(r"[\\`*_\[\]<>$|~]")
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>$|~])")

CHECKING = "checking-article"  # the class of a chapter's "Checking the article" box
_DETAILS_OPEN = re.compile(r'^<details\b(?:[^>]*?\bclass="(?P<classes>[^"]*)")?[^>]*>')
_DETAILS_CLOSE = re.compile(r"^</details>")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")

#: MyST syntax that the Jupyter front ends show as raw text: roles, directives, labels
RAW_MYST = re.compile(
    r"\{(?:glue|ref|doc|numref|eq|term|download)(?::\w+)?\}`"  # roles
    r"|^\s*(?:`{3,}|:{3,})\{[\w-]+\}"  # directives (```{admonition}, :::{note})
    r"|^\s*:class:|^\s*:name:"  # directive options
    r"|^\([\w.-]+\)=\s*$",  # (label)=
    re.M,
)


def escape(text: str) -> str:
    """``text`` as Markdown that renders literally (a stored "=B2*G5" stays unemphasised)."""
    return _SPECIAL.sub(r"\\\g<0>", text)


def unescape(markdown: str) -> str:
    return _ESCAPED.sub(r"\1", markdown)


def summary(text: str) -> str:
    """A box title as the HTML of a ``<summary>`` or title paragraph."""
    return html.escape(text, quote=False)


def records(nb) -> dict[str, str]:
    """{name: text} of every value a notebook (a dict as JSON has it, or nbformat's) stored
    with ``helpers.glue``, from its saved outputs."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get(GLUE_PREFIX + "text/plain")
            if name and text is not None:
                values[name] = "".join(text)
    return values


def _markdown_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


def _source(cell) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


def stale(nb) -> list[tuple[str, str, str | None]]:
    """[(name, text in the prose, stored text or None)] for every number of the prose that is
    not the value its notebook stored."""
    stored, bad = records(nb), []
    for cell in _markdown_cells(nb):
        for m in NUMBER.finditer(_source(cell)):
            value = stored.get(m.group("name"))
            if value is None or unescape(m.group("text")) != value:
                bad.append((m.group("name"), m.group("text"), value))
    return bad


def fill(nb) -> int:
    """Write every stored value into the prose's numbers, in place; returns how many changed.
    A number whose name no code cell stored raises ``KeyError`` with its name."""
    stored, changed = records(nb), 0

    def sub(m):
        nonlocal changed
        name = m.group("name")
        if name not in stored:
            raise KeyError(
                f'<span data-glue="{name}">: no code cell stores "{name}" (helpers.glue.glue_numbers)'
            )
        new = f'<span data-glue="{name}">{escape(stored[name])}</span>'
        changed += new != m.group(0)
        return new

    for cell in _markdown_cells(nb):
        text = _source(cell)
        new = NUMBER.sub(sub, text)
        if new != text:
            cell["source"] = new
    return changed


def raw_myst(text: str) -> list[str]:
    """The lines of ``text`` that hold MyST syntax a Jupyter front end shows raw."""
    return [line for line in text.splitlines() if RAW_MYST.search(line)]


def nested(text: str) -> list[tuple[str, frozenset]]:
    """[(line, classes)] of ``text``: the classes of every ``<details>`` box the line sits in
    (its own box's included for the opening and closing lines), e.g. ``{"erratum"}`` or
    ``{"checking-article", "erratum"}``. Boxes open and close at the start of a line, as the
    markup above writes them."""
    stack, lines = [], []
    for line in text.splitlines():
        m = _DETAILS_OPEN.match(line)
        if m:
            stack.append(frozenset((m.group("classes") or "").split()))
        lines.append((line, frozenset().union(*stack)))
        if _DETAILS_CLOSE.match(line) and stack:
            stack.pop()
    return lines


def words(markdown: str) -> int:
    """How many words a line (or more) of prose shows: HTML tags left out, a number or a
    hyphenated word one word."""
    return len(_WORD.findall(_TAG.sub(" ", markdown)))

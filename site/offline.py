"""Sphinx extension: the book's website as readers use it - offline, light, no dead controls.

Jupyter Book 1 loads MathJax, require.js and Thebe from CDNs and prints the notebooks'
placeholder exercise output. This
extension, loaded from ``_config.yml`` (``sphinx.local_extensions``), changes that at build
time, never by editing a chapter:

* ships pinned npm packages (``site/package.json`` + ``package-lock.json``, installed with
  ``npm ci --prefix site`` by the Makefile) from ``site/node_modules`` into
  ``_build/html/_static/vendor`` - only the files the pages load, no source maps - and points
  Sphinx (``mathjax_path``) at them; MathJax only on pages with math (Sphinx's own rule),
  loaded as single components (``MATHJAX_COMPONENTS``: TeX input, CommonHTML output,
  assistive MathML for screen readers; no contextual menu);
* refuses ipywidgets outputs (a build warning, so ``-W`` fails): a control on the website
  works without Python, so the book's controls run in the page (``helpers.interactive``); no
  widget manager and no widget state on any page;
* serves the kernel-free controls' page files (``helpers/interactive/static``: ``*.js``,
  ``*.css``, and each ``*.json`` data file wrapped in a script, ``NAME.json.js``) from
  ``_static/cnn/``, and gives each page with controls ``book.css``, ``book.js`` and exactly the
  files its controls name (``data-cnn-scripts``, ``data-cnn-styles``, ``data-cnn-files``), once
  per page: a committed notebook output holds only the control's markup and data
  (``helpers/interactive/page.py``), and ``book.js`` mounts every control of the page;
* replaces each reader cell ``check_answer("key", None)`` with a kernel-free answer box
  (``static/exercises.js``) whose expected value comes from the same registry as
  ``check_answer`` (``helpers.exercises.answer_spec``): the box is labelled with the
  exercise's title in the chapter ("Exercise 1: your answer"), and the cell's code, which asks
  a notebook reader to replace None, is left out (nothing can be replaced on a page);
* theme fixes in templates and ``static/site.css`` (one search box, accessible names, contrast,
  nothing wider than a phone, long lines of code and output wrapped under their indentation,
  which ``site/codelines.py`` marks), a colour-mode switch that keeps the keyboard focus
  (``static/theme-switch.js``), no second icon system (the theme's Font Awesome web fonts
  stay, its 1.5 MB ``fontawesome.js`` goes), search snippets without raw TeX
  (``static/search-snippets.js``);
* launch menu: the JupyterHub entry only when a hub is configured; every launch URL from the
  one ``repository.url``; a placeholder value (``example.org``, ...) is a build warning;
* replaces sphinx-thebe's page scripts (a CDN URL for Thebe, declared twice per page) with
  ``static/livecode.js`` (with ``static/livecells.js``, the cells' side) and a per-page
  ``CNN_LIVECODE`` object (``livecode_server``: ``binder`` or ``local``, the page's notebook
  path, where the shipped Thebe is);
* the download menu links the book's PDFs (``_build/html/pdf/``, made by ``site/pdf.py``; their
  names: ``book/pages.py``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # the book's own packages (book/, helpers/), whatever is installed
    sys.path.insert(0, str(ROOT))
from book.pages import BOOK_PDF, PDF_DIR, chapter_pdf  # noqa: E402 - the PDFs' names, one home

NODE_MODULES = HERE / "node_modules"
LOG = logging.getLogger(__name__)

# MathJax 3 from its single components, not the combined tex-chtml.js (1,161 kB, of which
# 426 kB is the contextual menu): the loader (startup.js) fetches the core, TeX input with
# only the packages the book's formulas use, CommonHTML output (its TeX font data and web
# fonts) and assistive MathML, the hidden MathML screen readers read. No menu (and so no
# speech explorer behind it). A macro from a package not listed here typesets as a MathJax
# error (no "noundefined", no "autoload"), which tests/test_site_browser.py catches: add
# the package's component ("[tex]/name") and name to the two lists below.
MATHJAX_COMPONENTS = ["input/tex-base", "[tex]/ams", "output/chtml", "a11y/assistive-mml"]
MATHJAX_TEX_PACKAGES = ["base", "ams"]
MATHJAX_ES5 = [  # the files those components are, under mathjax/es5/
    "startup.js",
    "core.js",
    "input/tex-base.js",
    "input/tex/extensions/ams.js",
    "output/chtml.js",
    "output/chtml/fonts",
    "a11y/assistive-mml.js",
]
MATHJAX_SCRIPT = "vendor/mathjax/startup.js"  # mathjax_path, relative to _static/
# what the pages load, relative to node_modules -> relative to _static/vendor
VENDOR = [
    *[(f"mathjax/es5/{f}", f"mathjax/{f}") for f in MATHJAX_ES5],
    ("mathjax/LICENSE", "mathjax/LICENSE"),
    ("requirejs/require.js", "requirejs/require.js"),  # Thebe's widgets (live code only)
    ("requirejs/LICENSE", "requirejs/LICENSE"),
    ("thebe/lib", "thebe"),
    ("thebe/LICENSE", "thebe/LICENSE"),
]
# left out of the copies: source maps, TypeScript types, MathJax's SVG output
SKIP = shutil.ignore_patterns("*.map", "types", "svg", "svg.js")
CDN_THEBE = "THEBE_JS_URL"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CHECK_RE = re.compile(r"""\bcheck_answer\(\s*(["'])(?P<key>[^"'\n]+)\1\s*,\s*None\s*\)""")
# an exercise's title in a chapter (book/markup.py): "Exercise 1 (predict)" -> "Exercise 1"
EXERCISE_TITLE_RE = re.compile(r'<p class="admonition-title">\s*(?P<title>Exercise\s+[0-9]+[a-z]?)\b')
# hosts that mark a setting as "fill me in" (RFC 2606 names, and the usual stand-ins)
PLACEHOLDER_RE = re.compile(
    r"(^|\.)(example\.(org|com|net)|invalid|test|localhost)$|your[-_]?"
    r"(hub|org|user|name|repo)|<[^>]*>|\bTODO\b|\bCHANGEME\b",
    re.I,
)
# myst-nb labels every "Show code cell source" toggle "Toggle hidden content": a name that
# leaves out the visible text (axe label-content-name-mismatch)
HIDDEN_TOGGLE = '<summary aria-label="Toggle hidden content">'
DESIGN_CSS, DESIGN_JS = "sphinx-design.min.css", "design-tabs.js"  # only where used
PNG_MIN_PSNR = 40.0  # dB: a palette PNG this close to the figure is visually the same
# the kernel-free controls' page files, served from _static/CONTROLS_DIR/
CONTROL_FILES = ROOT / "helpers" / "interactive" / "static"
CONTROLS_DIR = "cnn"
CONTROL_ATTR_RE = re.compile(r'\sdata-cnn-(kind|scripts|styles|files)="([^"]*)"')


# ----------------------------------------------------------------------------- configuration
def _check_node_modules():
    missing = [src for src, _ in VENDOR if not (NODE_MODULES / src).exists() and not src.endswith("LICENSE")]
    if missing:
        raise ExtensionError(
            f"site assets missing from {NODE_MODULES} ({', '.join(missing)}): run "
            "`npm ci --prefix site` (done by `make book`) before building"
        )


def is_placeholder(url: str) -> bool:
    """True for a URL that still holds a stand-in value (``https://hub.example.org``)."""
    host = urlsplit(url).hostname or ""
    return bool(PLACEHOLDER_RE.search(host) or PLACEHOLDER_RE.search(url))


def check_launch_settings(opts: dict) -> list[str]:
    """Warnings for the launch settings in ``html_theme_options`` (from ``_config.yml``);
    drops a placeholder JupyterHub so the menu never offers it. Every launch URL (Binder,
    Colab, JupyterHub, live code) is built from the one ``repository.url``."""
    problems = []
    repo = opts.get("repository_url", "")
    if not repo:
        problems.append("repository.url is empty in _config.yml: launch buttons need it")
    elif is_placeholder(repo):
        problems.append(
            f"repository.url in _config.yml is a placeholder ({repo}): every launch button would point at it"
        )
    launch = opts.get("launch_buttons", {})
    for key in ("binderhub_url", "jupyterhub_url", "colab_url"):
        url = (launch.get(key) or "").strip()
        if url and is_placeholder(url):
            problems.append(
                f"launch_buttons.{key} in _config.yml is a placeholder ({url}): "
                "left out of the launch menu; set your own or leave it empty"
            )
            launch[key] = ""
    return problems


def config_inited(app, config):
    _check_node_modules()
    config.mathjax_path = MATHJAX_SCRIPT
    config.mathjax3_config = mathjax_config(config.mathjax3_config)
    # no page has an ipywidgets output (see refuse_widgets): no widget manager, no state
    config.nb_ipywidgets_js = {}
    config.html_static_path.append(str(HERE / "static"))
    config.templates_path.insert(0, str(HERE / "templates"))
    opts = config.html_theme_options
    opts["navbar_persistent"] = []  # one search box: the sidebar's, not a second in a top bar
    for problem in check_launch_settings(opts):
        LOG.warning(f"[offline] {problem}")
    if config.livecode_server not in ("binder", "local"):
        raise ExtensionError(f"livecode_server must be 'binder' or 'local', got {config.livecode_server!r}")


def mathjax_config(given: dict | None) -> dict:
    """The ``window.MathJax`` configuration (Sphinx writes it before ``startup.js``): the
    components and TeX packages above, on top of what ``_config.yml`` or myst-parser set."""
    cfg = json.loads(json.dumps(given or {}))  # a copy: the caller's dict stays as it was
    loader = cfg.setdefault("loader", {})
    loader["load"] = list(dict.fromkeys([*loader.get("load", []), *MATHJAX_COMPONENTS]))
    tex = cfg.setdefault("tex", {})
    tex["packages"] = list(dict.fromkeys([*MATHJAX_TEX_PACKAGES, *tex.get("packages", [])]))
    return cfg


# ----------------------------------------------------------------------------- the pages' content
def refuse_widgets(doctree, docname: str) -> int:
    """A build warning for each ipywidgets output (it would need a kernel on the website);
    returns how many there are."""
    boxes = [box for box in doctree.findall(nodes.container) if box.get("mime_type") == WIDGET_VIEW]
    for box in boxes:
        LOG.warning(
            f"[offline] {docname}: an ipywidgets output, which needs a Python kernel: make the control "
            "run in the page (helpers.interactive: players, calculator, softmax, gallery)",
            location=box,
        )
    return len(boxes)


def _exercises():
    from helpers import exercises

    return exercises


def _box_label(spec: dict) -> str:
    if spec["kind"] == "choice":
        quoted = [f'"{o}"' for o in spec["options"]]
        either = ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"your answer ({either}, then why if you like)"
    shape = spec["shape"]
    if not shape:
        return "your answer (a number)"
    n = len(spec["expected"])
    if len(shape) == 1:
        return f"your answer ({n} numbers, separated by commas)"
    dims = "×".join(str(d) for d in shape)
    return f"your answer ({dims} = {n} numbers, row by row, separated by commas)"


def exercise_box(spec: dict, uid: str, title: str = "Exercise") -> str:
    """The HTML of one answer box, labelled "<title>: your answer (...)" (``title`` as the
    chapter titles the exercise, "Exercise 1"); behaviour in static/exercises.js, style in
    site.css. Its method is "dialog": outside a <dialog> a submission goes nowhere, so Enter
    never loads a page (``?answer=...``) even when no script stops it."""
    esc = html.escape
    data = esc(json.dumps(spec, separators=(",", ":"), ensure_ascii=False))
    result = f'<p id="{uid}-result" class="cnn-exercise-result" role="status" aria-live="polite"></p>'
    button = '<button type="submit" class="cnn-exercise-check">Check</button>'
    mode = "decimal" if spec["kind"] == "number" else "text"
    field = (
        f'<label for="{uid}-answer">{esc(title)}: {esc(_box_label(spec))}'
        f'</label> <input id="{uid}-answer" name="answer" type="text" '
        f'inputmode="{mode}" maxlength="{_exercises().MAX_ANSWER_CHARS}" '
        'autocomplete="off" spellcheck="false" '
        f'aria-describedby="{uid}-result">'
    )
    return (
        f'<form class="cnn-exercise" id="{uid}" data-exercise="{data}" method="dialog" novalidate>'
        f"{field} {button}{result}</form>"
    )


def _cell_source(cell) -> str:
    return "\n".join(
        b.astext() for b in cell.findall(nodes.literal_block) if "cell_input" in b.parent.get("classes", [])
    )


def _is_cell(node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node.get("classes", [])


def add_exercise_boxes(doctree, docname: str) -> int:
    """Each ``check_answer("key", None)`` cell becomes an answer box: its output is replaced by
    the box, titled as the exercise just before the cell is (a build warning if there is none),
    and its code is left out."""
    n, title = 0, None
    # the chapter's prose and its cells, in reading order (the boxes added below are not visited)
    for node in list(doctree.findall(lambda x: isinstance(x, nodes.raw) or _is_cell(x))):
        if isinstance(node, nodes.raw):
            titles = EXERCISE_TITLE_RE.findall(node.astext())
            title = titles[-1] if titles else title
            continue
        keys = [m.group("key") for m in CHECK_RE.finditer(_cell_source(node))]
        if not keys:
            continue
        if title is None:
            LOG.warning(
                f'[offline] {docname}: check_answer("{keys[0]}", None) has no exercise title before it; '
                'put it after its <p class="admonition-title">Exercise N</p> (book/markup.py)',
                location=node,
            )
        exercises = _exercises()
        boxes = []
        for key in keys:
            n += 1
            uid = f"cnn-ex-{re.sub(r'[^A-Za-z0-9]+', '-', key).strip('-')}-{n}"
            boxes.append(exercise_box(exercises.answer_spec(key), uid, title or "Exercise"))
        title = None  # one title, one exercise
        out = nodes.container(
            "", nodes.raw("", "".join(boxes), format="html"), classes=["cell_output", "docutils", "container"]
        )
        for old in [c for c in node.children if {"cell_input", "cell_output"} & set(c.get("classes", []))]:
            node.remove(old)
        node.append(out)
    if n:
        LOG.info(f"[offline] {docname}: {n} exercise answer box(es)")
    return n


def doctree_read(app, doctree):
    refuse_widgets(doctree, app.env.docname)
    add_exercise_boxes(doctree, app.env.docname)


# ----------------------------------------------------------------------------- controls' files
def data_script(name: str) -> str:
    """The script a static JSON data file ``name`` is served as (``NAME.json.js``)."""
    return f"{name}.js"


def copy_control_files(app):
    """``_static/cnn/``: exactly the controls' ``*.js`` and ``*.css`` files, and each ``*.json``
    data file as a script that hands it to ``cnnBook.file`` (a script, unlike a fetched file,
    also loads from ``file://``). Written before the pages, so their links carry checksums."""
    if app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / CONTROLS_DIR
    shutil.rmtree(dest, ignore_errors=True)  # nothing left from an older build
    dest.mkdir(parents=True)
    for src in sorted(CONTROL_FILES.iterdir()):
        if src.suffix in (".js", ".css"):
            shutil.copy2(src, dest / src.name)
        elif src.suffix == ".json":
            (dest / data_script(src.name)).write_text(
                f"/* {src.name} from helpers/interactive/static (site/offline.py) */\n"
                f"cnnBook.file({json.dumps(src.name)}, {src.read_text(encoding='utf-8').strip()});\n",
                encoding="utf-8",
            )


def control_files(body: str) -> dict[str, list[str]]:
    """The controls' page files a page's HTML needs, each once, in loading order:
    ``{"styles": [...], "scripts": [...]}`` (names in ``_static/cnn/``). Any control
    (``data-cnn-kind``) needs ``book.css`` and ``book.js``; then come the data files, then
    the scripts and styles its elements name."""
    has_controls, named = False, {"styles": [], "scripts": [], "files": []}
    for attr, value in CONTROL_ATTR_RE.findall(body):
        if attr == "kind":
            has_controls = True
        else:
            named[attr] += value.split()
    book_css, book_js = (["book.css"], ["book.js"]) if has_controls else ([], [])
    data = [data_script(ref.partition("=")[2]) for ref in named["files"]]  # "key=name.json"
    return {
        "styles": list(dict.fromkeys(book_css + named["styles"])),
        "scripts": list(dict.fromkeys(book_js + data + named["scripts"])),
    }


def add_control_files(app, pagename: str, body: str) -> None:
    """Link this page's controls' files (a build warning for a name that is not shipped)."""
    files = control_files(body)
    shipped = Path(app.outdir) / "_static" / CONTROLS_DIR
    for group, names in files.items():
        for name in names:
            if not (shipped / name).is_file():
                LOG.warning(
                    f"[offline] {pagename}: a control needs {name}, which "
                    f"helpers/interactive/static does not have"
                )
            elif group == "styles":
                app.add_css_file(f"{CONTROLS_DIR}/{name}")
            else:  # deferred: they run in order, after the page is parsed
                app.add_js_file(f"{CONTROLS_DIR}/{name}", loading_method="defer")


# ----------------------------------------------------------------------------- per page
def _download_pdfs(context, pagename):
    """Point the download menu's '.pdf' entry (the browser's print dialog) at the book's
    PDFs: the whole book, and this chapter's own."""
    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        buttons.append(
            {
                "type": "link",
                "url": pathto(f"{PDF_DIR}/{BOOK_PDF}", 1),
                "text": "book .pdf",
                "tooltip": "The whole book as one PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            }
        )
        if pagename.startswith("chapters/"):
            name = chapter_pdf(pagename)
            buttons.append(
                {
                    "type": "link",
                    "url": pathto(f"{PDF_DIR}/{name}", 1),
                    "text": "chapter .pdf",
                    "tooltip": "This chapter as a PDF",
                    "icon": "fas fa-file-pdf",
                    "label": "download-chapter-pdf-button",
                }
            )
        group["buttons"] = buttons


def _repository_icon(context):
    """The repository button's icon from the theme's solid icon font, so no page downloads
    the 115 kB brands font for one logo."""
    for button in context.get("header_buttons", []):
        for b in [button, *button.get("buttons", [])]:
            if b.get("label") == "source-repository-button":
                b["icon"] = "fa-solid fa-code-branch"


def page_context(app, pagename, templatename, context, doctree):
    """Drop sphinx-thebe's CDN scripts, any widget state and unused sphinx-design assets;
    add this page's own scripts."""
    body_html = context.get("body", "")
    uses_design = 'class="sd-' in body_html
    scripts = context.get("script_files", [])
    keep = []
    for js in scripts:
        body = js.attributes.get("body", "") or ""
        name = str(js.filename or "")
        if CDN_THEBE in body or name.endswith("sphinx-thebe.js"):
            continue
        if js.attributes.get("type") == WIDGET_STATE:
            continue
        if name.endswith(DESIGN_JS) and not uses_design:
            continue
        keep.append(js)
    scripts[:] = keep  # in place: Sphinx restores its own list after each page
    if not uses_design:
        css = context.get("css_files", [])
        css[:] = [c for c in css if not str(c.filename).endswith(DESIGN_CSS)]
    _download_pdfs(context, pagename)
    _repository_icon(context)
    if "body" in context:  # myst-nb's hidden-cell toggles: named by their visible text
        context["body"] = context["body"].replace(HIDDEN_TOGGLE, "<summary>")
    add_control_files(app, pagename, body_html)
    if 'class="cnn-exercise"' in body_html:
        app.add_js_file("exercises.js")
    if pagename == "search":
        app.add_js_file("search-snippets.js")
    if not context.get("use_thebe"):  # not a notebook page: no live code
        return
    opts = app.config.html_theme_options
    repo = opts.get("repository_url", "").rstrip("/").split("github.com/")[-1]
    source = Path(app.env.doc2path(pagename, base=False)).as_posix()
    settings = {
        "server": app.config.livecode_server,
        "localUrl": app.config.livecode_local_url,
        "binderUrl": opts.get("launch_buttons", {}).get("binderhub_url", "https://mybinder.org"),
        "repo": repo,
        "ref": opts.get("repository_branch", "main"),
        "path": source,
        "static": context["pathto"]("_static/", 1),  # relative URL of _static/
    }
    app.add_js_file(None, body="window.CNN_LIVECODE = " + json.dumps(settings, separators=(",", ":")) + ";")
    app.add_js_file("livecells.js")  # the page's cells under live code; livecode.js uses it
    app.add_js_file("livecode.js")


def lighter_png(path: Path, min_psnr: float = PNG_MIN_PSNR) -> int:
    """Re-save a figure PNG as a 256-colour palette PNG when that is visually the same
    (PSNR >= ``min_psnr``) and smaller; else losslessly optimised when that is smaller.
    Opaque figures stay opaque. Returns the bytes saved."""
    import io

    import numpy as np
    from PIL import Image

    before = path.stat().st_size
    with Image.open(path) as im:
        im.load()
    if im.mode in ("RGBA", "LA") or "transparency" in im.info:
        alpha = np.asarray(im.convert("RGBA"))[..., 3]
        if alpha.min() < 255:
            return 0  # a see-through figure: leave it as its author made it
    rgb = im.convert("RGB")
    candidates = []
    pal = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    err = np.mean((np.asarray(rgb, float) - np.asarray(pal.convert("RGB"), float)) ** 2)
    if err == 0 or 10 * np.log10(255**2 / err) >= min_psnr:
        candidates.append(pal)
    candidates.append(rgb)
    best = None
    for c in candidates:
        buf = io.BytesIO()
        c.save(buf, "PNG", optimize=True)
        if best is None or buf.tell() < len(best):
            best = buf.getvalue()
    if len(best) < before:
        tmp = path.with_suffix(".tmp.png")
        tmp.write_bytes(best)
        tmp.replace(path)
        return before - len(best)
    return 0


def build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    images = Path(app.outdir) / "_images"
    saved = sum(lighter_png(p) for p in sorted(images.glob("*.png")))
    LOG.info(f"[offline] figure PNGs: {saved / 1e3:.0f} kB lighter")
    dest_root = Path(app.outdir) / "_static" / "vendor"
    for ours in sorted({dest.split("/")[0] for _, dest in VENDOR}):  # mathjax/, requirejs/, thebe/
        shutil.rmtree(dest_root / ours, ignore_errors=True)  # exactly VENDOR, nothing from older builds
    for src, dest in VENDOR:
        s, d = NODE_MODULES / src, dest_root / dest
        if not s.exists():
            continue
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, ignore=SKIP, dirs_exist_ok=True)
        else:
            shutil.copy2(s, d)
    size = sum(p.stat().st_size for p in dest_root.rglob("*") if p.is_file())
    LOG.info(f"[offline] shipped vendor assets: {size / 1e6:.1f} MB in {dest_root}")


def setup(app):
    app.add_config_value("livecode_server", "binder", "html")
    app.add_config_value("livecode_local_url", "http://127.0.0.1:8888", "html")
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", copy_control_files)
    app.connect("doctree-read", doctree_read)
    app.add_css_file("site.css")
    app.add_js_file("theme-switch.js", loading_method="defer")  # the colour-mode switch keeps focus
    # after sphinx-book-theme (launch buttons set use_thebe) and sphinx-thebe
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: the book's website works offline and its live code runs where you choose.

Jupyter Book 1 loads MathJax, require.js, the ipywidgets HTML manager and Thebe from CDNs. This
extension ships them with the build instead and wires the "Live Code" button:

* copies pinned npm packages (``site/package.json`` + ``package-lock.json``, installed with
  ``npm ci --prefix site`` by the Makefile) from ``site/node_modules`` into
  ``_build/html/_static/vendor`` - only the files the pages load, no source maps;
* points Sphinx (``mathjax_path``) and myst-nb (``nb_ipywidgets_js``) at those copies, with a
  small shim (``static/widgets-offline.js``) between require.js and the widget manager;
* replaces sphinx-thebe's page scripts (a CDN URL for Thebe, declared twice per page, which
  logs a console error) with ``static/livecode.js`` and a per-page ``CNN_LIVECODE`` object:
  where the kernel runs (``livecode_server`` in ``_config.yml``: ``binder`` or ``local``),
  the notebook path of the page and the URLs of the shipped Thebe and require.js.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.builders.html._assets import _JavaScript
from sphinx.errors import ExtensionError
from sphinx.util import logging

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
LOG = logging.getLogger(__name__)

# what the pages load, relative to node_modules -> relative to _static/vendor
VENDOR = [
    ("mathjax/es5/tex-mml-chtml.js", "mathjax/tex-mml-chtml.js"),
    *[(f"mathjax/es5/{d}", f"mathjax/{d}")
      for d in ("input", "output", "ui", "a11y", "sre", "adaptors")],
    ("mathjax/LICENSE", "mathjax/LICENSE"),
    ("requirejs/require.js", "requirejs/require.js"),
    ("requirejs/LICENSE", "requirejs/LICENSE"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
    ("@jupyter-widgets/html-manager/LICENSE", "html-manager/LICENSE"),
    ("thebe/lib", "thebe"),
    ("thebe/LICENSE", "thebe/LICENSE"),
]
# left out of the copies: source maps, the non-AMD embed bundles, TypeScript types, SVG output
SKIP = shutil.ignore_patterns("*.map", "embed.js", "libembed-amd.js", "embed.js.LICENSE.txt",
                              "types", "svg", "svg.js")
CDN_THEBE = "THEBE_JS_URL"


def _check_node_modules():
    missing = [src for src, _ in VENDOR if not (NODE_MODULES / src).exists()
               and not src.endswith("LICENSE")]
    if missing:
        raise ExtensionError(
            f"site assets missing from {NODE_MODULES} ({', '.join(missing)}): run "
            "`npm ci --prefix site` (done by `make book`) before building")


def config_inited(app, config):
    _check_node_modules()
    config.mathjax_path = "vendor/mathjax/tex-mml-chtml.js"
    # order matters: require.js, then the shim (paths + MathJax 2 bridge), then the manager
    config.nb_ipywidgets_js = {
        "vendor/requirejs/require.js": {},
        "widgets-offline.js": {},
        "vendor/html-manager/embed-amd.js": {},
    }
    config.html_static_path.append(str(HERE / "static"))
    if config.livecode_server not in ("binder", "local"):
        raise ExtensionError(
            f"livecode_server must be 'binder' or 'local', got {config.livecode_server!r}")


def page_context(app, pagename, templatename, context, doctree):
    """Drop sphinx-thebe's CDN scripts; give the page its live-code settings."""
    scripts = context.get("script_files", [])
    keep = []
    for js in scripts:
        body = js.attributes.get("body", "") or ""
        if CDN_THEBE in body or str(js.filename).endswith("sphinx-thebe.js"):
            continue
        keep.append(js)
    scripts[:] = keep  # in place: Sphinx restores its own list after each page
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
    body = "window.CNN_LIVECODE = " + json.dumps(settings, separators=(",", ":")) + ";"
    scripts.append(_JavaScript(None, body=body))
    scripts.append(_JavaScript("_static/livecode.js"))


def build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    dest_root = Path(app.outdir) / "_static" / "vendor"
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
    # after sphinx-book-theme (launch buttons set use_thebe) and sphinx-thebe
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The built website as a whole, offline, in Debian's Chromium driven by Playwright: what is
not one page's own check (those run once per page in tests/test_site_pages_browser.py).

No CDN address in any page's HTML; MathJax only where there is math; opaque figures; every
kind of control in ``LIVE_CONTROLS`` driven by the tests it names (that the answer boxes carry
the exercise registry: tests/test_exercise_boxes.py); the browser cannot reach outside the
loopback; the launch menu comes from the one repository setting; the PDFs (the book
and each chapter) have their sections, titles, figures and links; search snippets read as text.
Then the interactive parts that need more than one page: typed weights recompute a sweep, the
flattening player follows the keyboard, live code with no kernel to reach restores the page.
(Live code on a page against a local Jupyter server: tests/test_live_server.py, on the site as
``make live`` serves it; JupyterLab: tests/test_jupyterlab_browser.py.) On failure a
screenshot goes to ``test-artifacts/``.

``make test`` builds the site (``-W``) before pytest; run alone, the session fixture ``site``
builds it when it is missing. Servers bind 127.0.0.1 and are stopped at the end.
"""

from __future__ import annotations

import ast
import contextlib
import html
import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest
import yaml
from browser_support import free_port, watched
from site_support import (
    BOOK_PDF,
    CHAPTER_PAGES,
    FORM_RE,
    LIVE_CONTROLS,
    OFFLINE,
    PAGES,
    PDF_DIR,
    READER_PAGES,
    ROOT,
    SITE,
    assert_sum_adds_up,
    chapter_pdfs,
    has_sweep,
    html_of,
    live_target,
    load_site_module,
    notebook_of,
    play_advances,
    sum_value,
    toc_pages,
)

pytestmark = pytest.mark.browser

CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "ajax.googleapis.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "cdn.mathjax.org",
    "code.jquery.com",
    "stackpath.bootstrapcdn.com",
    "cdn.plot.ly",
    "polyfill.io",
    "esm.sh",
)


# ----------------------------------------------------------------------------- static checks


def test_site_has_pages(site):
    assert "index.html" in PAGES and any(p.startswith("chapters/") for p in PAGES), PAGES


@pytest.mark.parametrize("page", PAGES)
def test_no_cdn_address_in_html(site, page):
    text = (SITE / page).read_text(encoding="utf-8")
    assert not [h for h in CDN_HOSTS if h in text], f"{page} names a CDN"
    # no resource (script, style, image, frame) loaded from another host
    remote = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"', text)
    remote += [h for tag, h in re.findall(r'<(link)\b[^>]*\bhref="(https?://[^"]+)"', text)]
    assert not remote, f"{page} loads {remote}"


def test_mathjax_only_where_there_is_math(site):
    """Pages with math load MathJax's loader (startup.js) with the book's components and TeX
    packages, and nothing of the combined tex-chtml.js or the contextual menu; pages
    without math load no MathJax at all. (Typesetting itself: test_page_offline_in_chromium.)"""
    with_math = 0
    for page in READER_PAGES:
        text = html_of(page)
        has_math = bool(re.search(r'class="math[ "]', text))
        config = re.search(r"<script>window\.MathJax = (\{.*?\})</script>", text)
        assert (OFFLINE.MATHJAX_SCRIPT in text) == has_math == bool(config), page
        assert not re.search(r'<script[^>]*src="[^"]*(tex-chtml|ui/menu)', text), page
        if has_math:
            with_math += 1
            cfg = json.loads(config.group(1))
            assert cfg["loader"]["load"] == OFFLINE.MATHJAX_COMPONENTS, page
            assert cfg["tex"]["packages"] == OFFLINE.MATHJAX_TEX_PACKAGES, page
    assert with_math >= 10, with_math
    shipped = SITE / "_static" / "vendor" / "mathjax"
    assert not (shipped / "ui").exists() and not (shipped / "tex-chtml.js").exists()


def test_mathjax_config_keeps_what_others_set():
    given = {
        "options": {"processHtmlClass": "math"},
        "tex": {"packages": ["color"]},
        "loader": {"load": ["[tex]/color"]},
    }
    cfg = OFFLINE.mathjax_config(given)
    assert cfg["options"] == {"processHtmlClass": "math"}
    assert cfg["tex"]["packages"] == [*OFFLINE.MATHJAX_TEX_PACKAGES, "color"]
    assert cfg["loader"]["load"] == ["[tex]/color", *OFFLINE.MATHJAX_COMPONENTS]
    assert given["tex"]["packages"] == ["color"], "the given configuration was changed"
    assert OFFLINE.mathjax_config(None)["loader"]["load"] == OFFLINE.MATHJAX_COMPONENTS


def test_figures_are_opaque_for_dark_mode(site):
    """Figure PNGs carry their own white background: readable in the dark theme too."""
    from PIL import Image

    pngs = sorted((SITE / "_images").glob("*.png"))
    assert pngs, "no figures in the site"
    see_through = []
    for p in pngs:
        with Image.open(p) as im:
            if im.mode in ("RGBA", "LA") or "transparency" in im.info:
                alpha = np.asarray(im.convert("RGBA"))[..., 3]
                if alpha.min() < 255:
                    see_through.append(p.name)
    assert see_through == []


# ----------------------------------------------------------------------------- readers' checks


def _functions(module: str) -> tuple[str, dict]:
    """The source text of tests/<module>.py and its functions by name, top-level ones and
    methods of its classes (read, not imported)."""
    text = (ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    nodes = [*tree.body, *(n for c in tree.body if isinstance(c, ast.ClassDef) for n in c.body)]
    return text, {n.name: n for n in nodes if isinstance(n, ast.FunctionDef)}


def _run_by_a_test(functions: dict) -> set:
    """The names of ``functions`` a test runs: the tests, and what they call, at any depth."""

    def called(node):
        return {getattr(c.func, "id", None) for c in ast.walk(node) if isinstance(c, ast.Call)}

    reached = {name for name in functions if name.startswith("test_")}
    while True:
        more = set().union(*(called(functions[n]) for n in reached)) & set(functions) - reached
        if not more:
            return reached
        reached |= more


def _driver_source(ref: str) -> str:
    """The source of ``"module::name"``: a test of tests/<module>.py, or a check that one of
    that module's tests runs."""
    module, name = ref.split("::")
    text, functions = _functions(module)
    assert name in functions, f"{ref}: no such function in tests/{module}.py"
    assert name in _run_by_a_test(functions), f"{ref}: no test of tests/{module}.py calls it"
    return ast.get_source_segment(text, functions[name])


def test_every_control_kind_is_driven_by_its_tests():
    """Each kind of control names tests (or checks a test runs) that exist and that drive it:
    the code uses the kind's registry entry, or names every class its selector names (outside
    ``:not()``)."""
    for kind, control in LIVE_CONTROLS.items():
        assert control.driven_by, kind
        classes = set(re.findall(r"\.([A-Za-z][\w-]*)", re.sub(r":not\([^)]*\)", "", control.selector)))
        for ref in control.driven_by:
            source = _driver_source(ref)
            uses_entry = f'LIVE_CONTROLS["{kind}"]' in source
            missing = sorted(c for c in classes if c not in source)
            assert uses_entry or (classes and not missing), (kind, ref, missing)


def test_a_control_driver_must_exist_and_be_run():
    """The registry check refuses a name that is not there and a check no test runs (a test
    runs what it calls, at any depth, also from a method of a test class)."""
    with pytest.raises(AssertionError, match="no such function"):
        _driver_source("test_site_pages_browser::check_nothing")
    tree = ast.parse(
        "class TestX:\n    def test_a(self):\n        visit()\n"
        "def visit():\n    check()\ndef check():\n    pass\ndef lonely():\n    check()\n"
    )
    nodes = [*tree.body, *tree.body[0].body]
    functions = {n.name: n for n in nodes if isinstance(n, ast.FunctionDef)}
    assert _run_by_a_test(functions) == {"test_a", "visit", "check"}


def _launch_links(page: str) -> list[str]:
    menu = re.search(r"dropdown-launch-buttons.*?</ul>", html_of(page), re.S)
    return re.findall(r'href="([^"]+)"', menu.group(0)) if menu else []


def test_launch_menu_from_the_one_repository_setting(site):
    """Every launch URL (Binder, Colab, JupyterHub when set, live code) is built from
    _config.yml's repository.url; no JupyterHub entry while no hub is configured; the Colab
    set-up cells clone the same repository."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].rstrip("/")
    org_repo = repo.split("github.com/")[-1]
    hub = (config["launch_buttons"].get("jupyterhub_url") or "").strip()
    for page in CHAPTER_PAGES:
        links = _launch_links(page)
        assert links, f"{page} has no launch menu"
        for link in links:
            assert org_repo in unquote(link), (page, link)
        assert any("mybinder.org" in u for u in links) and any("colab" in u for u in links)
        assert any("git-pull" in u for u in links) == bool(hub), (page, links)
        assert not [u for u in links if OFFLINE.is_placeholder(u)], (page, links)
        live = re.search(r"window\.CNN_LIVECODE = (\{.*?\});", html_of(page))
        assert live and json.loads(live.group(1))["repo"] == org_repo, page
        clone = re.findall(r'git", "clone"[^\]]*"(https://[^"\\]+)"', notebook_of(page).read_text())
        assert set(clone) <= {repo}, (page, clone)


def test_placeholder_launch_settings_warn():
    """A placeholder hub or repository is reported (a warning: the -W build fails) and the
    placeholder hub is left out of the menu; real settings pass silently."""
    opts = {
        "repository_url": "https://github.com/cnns-demystified/cnns-demystified",
        "launch_buttons": {
            "binderhub_url": "https://mybinder.org",
            "jupyterhub_url": "https://hub.example.org",
        },
    }
    problems = OFFLINE.check_launch_settings(opts)
    assert len(problems) == 1 and "jupyterhub_url" in problems[0]
    assert opts["launch_buttons"]["jupyterhub_url"] == ""
    assert OFFLINE.check_launch_settings(opts) == []
    bad_repo = {"repository_url": "https://github.com/<your-org>/<repo>", "launch_buttons": {}}
    assert "repository.url" in OFFLINE.check_launch_settings(bad_repo)[0]
    assert not OFFLINE.is_placeholder("https://jupyter.university.edu")


def _page_title(page: str) -> str:
    article = html_of(page).split('<article class="bd-article">', 1)[1]
    h1 = re.search(r"<h1>(.*?)</h1>", article, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", h1)).strip().rstrip("#").strip()


def _pdftext(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils (.ci/run does)")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_book_pdf_one_section_per_chapter(pdfs):
    """make pdf: one PDF with a contents page and one outline section per page of _toc.yml,
    in order; its text has every chapter title, the corrected stride-2 value 851, the
    static state of the controls and no raw TeX; the site links it."""
    book, _ = pdfs
    titles = [_page_title(p) for p in toc_pages()]
    top = [title for _, title in load_site_module("pdf").outline(book)]
    assert len(top) == len(titles) + 1 and top[0] == "Contents", top
    for title, entry in zip(titles, top[1:]):
        # Chromium's tagged outline may repeat the first line of a heading in its bookmark
        assert "".join(entry.split()).endswith("".join(title.split())), (title, entry)
    text = _pdftext(book)
    for title in titles:
        assert " ".join(title.split()) in text, title
    assert re.search(r"\b851\b", text)
    assert "Exercise 1: your answer" in text  # the answer boxes
    assert not re.search(r"\\\(|\\frac|\\times|\$\$", text), "raw TeX in the PDF"
    assert "Choose File" not in text, "a control prints its file picker"
    images = subprocess.run(
        ["pdfimages", "-list", str(book)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    site_images = {
        m for p in READER_PAGES for m in re.findall(r'<img[^>]+src="([^"]+_images/[^"]+)"', html_of(p))
    }
    assert len(images) >= len({Path(m).name for m in site_images}), "figures missing from the PDF"
    for page in toc_pages():  # every page with a download menu
        assert f'{PDF_DIR.name}/{BOOK_PDF.name}"' in html_of(page), f"{page} does not link the PDF"


def test_book_pdf_contents_numbers_answers_at_the_end_and_controls_said(pdfs):
    """The contents give each page's first sheet (the outline's); each answer is printed at the
    end of its page, under "Answer to Exercise N", a link in its place; each kernel-free control
    is introduced by one line saying where it runs."""
    book, _ = pdfs
    pages = load_site_module("pdf").outline_pages(book)[1:]
    first_sheet = ["pdftotext", "-layout", "-f", "1", "-l", "1", str(book), "-"]
    contents = subprocess.run(first_sheet, capture_output=True, text=True, check=True).stdout
    for title, page in zip([_page_title(p) for p in toc_pages()], pages):
        words = r"\s+".join(re.escape(w) for w in title.replace("'", "’").split()[-3:])
        assert re.search(rf"{words}\s+{page}\n", contents.replace("'", "’")), (title, page)
    text = _pdftext(book)
    answers = sum(html_of(p).count('<details class="answer">') for p in READER_PAGES)
    assert text.count("Answer to Exercise ") == answers > 60
    assert text.count("Answer: at the end of this chapter") == answers
    assert "Answer to Exercise 1 -249: the pixel with the most ink" in text
    controls = sum(len(re.findall(r"data-cnn-kind=", html_of(p))) for p in READER_PAGES)
    assert text.count("Interactive: this control runs on the book's website") == controls > 10


def test_chapter_pdfs(pdfs):
    """Each chapter alone: site/pdf.py prints one PDF per chapter page, each page links its own;
    the one printed here holds its chapter's title and figures (the others are the same code on
    another page, and the book PDF prints every page)."""
    _, printed = pdfs
    for page, pdf in zip(CHAPTER_PAGES, chapter_pdfs()):
        assert f'{PDF_DIR.name}/{pdf.name}"' in html_of(page), f"{page} does not link {pdf.name}"
    page = next(p for p in CHAPTER_PAGES if Path(p).stem == printed.stem)
    assert printed.stat().st_size > 10_000, printed
    assert " ".join(_page_title(page).split()) in _pdftext(printed), printed
    figures = set(re.findall(r'<img[^>]+src="([^"]+_images/[^"]+)"', html_of(page)))
    images = subprocess.run(
        ["pdfimages", "-list", str(printed)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) >= len(figures), "figures missing from the chapter PDF"


def test_search_snippets_read_as_text(browser, site_origin):
    """Search results quote the pages as a reader reads them: formulas as plain text (no raw
    TeX), no header-button labels (".ipynb", ".pdf"), not the page's contents list. Words
    that sit next to formulas in the chapters ("kernel" finds raw TeX without the fix)."""
    with watched(browser, "search", site_origin) as w:
        pg = w.page
        for query in ("kernel", "pixel", "stride", "weights"):
            pg.goto(f"{site_origin}/search.html?q={query}", wait_until="load")
            pg.wait_for_function(
                "document.querySelectorAll('#search-results li p.context').length >= 3", timeout=60_000
            )
            pg.wait_for_load_state("networkidle")
            snippets = pg.locator("#search-results li p.context").all_inner_texts()
            raw = [s for s in snippets if re.search(r"\\[A-Za-z,;(\[]|[_^]\{|\$", s)]
            assert raw == [], (query, raw)
            assert not [s for s in snippets if re.search(r"\.(pdf|ipynb)\b|^\W*Contents", s)], snippets
        assert w.problems == [] and w.blocked == []


# ----------------------------------------------------------------------------- controls


def test_every_part_i_and_ii_chapter_has_a_kernel_free_sweep(site):
    chapters = {p.split("/")[-1][:2] for p in CHAPTER_PAGES if has_sweep(p)}
    assert {"02", "03", "04", "05", "06", "07", "09"} <= chapters, sorted(chapters)


@contextlib.contextmanager
def _player_on(browser, site_origin, page, selector, name):
    """The watched ``page`` of the site with its first ``selector`` control scrolled into view."""
    with watched(browser, f"{name}-{page}", site_origin) as w:
        w.page.goto(f"{site_origin}/{page}", wait_until="load")
        player = w.page.locator(selector).first
        player.scroll_into_view_if_needed()
        yield w, player


def test_typed_weights_recompute_the_sweep(browser, site_origin):
    """Chapters 3-7 invite readers to change the weights: in the page player (one kernel, or
    chapter 5's two filters) they type them, and every output cell and the written-out sum of
    each filter follow (the same numbers as helpers.ops); a box emptied keeps its weight and a
    note says so. On the first page of each kind of player with weight boxes (the players
    share their script, which tests/js/ checks against Python for every kernel shape)."""
    from helpers import ops
    from helpers.fmt import fmt_number

    first_of_kind = {}
    for p in CHAPTER_PAGES:
        if 'class="weights"' in html_of(p):
            for kind in re.findall(r'data-cnn-kind="(sweep|bank)"', html_of(p)):
                first_of_kind.setdefault(kind, p)
    pages = list(first_of_kind.values())
    assert "chapters/03_case2_pair_of_weights.html" in pages and len(pages) == 2, first_of_kind
    for page in pages:
        with _player_on(browser, site_origin, page, ".cnn-sweep:has(form.weights)", "weights") as (w, player):
            pg = w.page
            D = json.loads(player.get_attribute("data-cnn"))
            kernels = D["ks"] if "ks" in D else [D["k"]]  # a filter bank, or one sweep
            boxes = player.locator("form.weights input[name=w]")
            assert boxes.count() == sum(np.asarray(k).size for k in kernels)
            typed = (np.arange(boxes.count()) * 1.5 - 2).tolist()  # -2, -0.5, 1, ...
            for i, v in enumerate(typed):
                boxes.nth(i).focus()
                pg.keyboard.press("Control+A")
                pg.keyboard.type(fmt_number(v))
            start, sums = 0, player.locator(".sum")
            for f, k in enumerate(kernels):
                kernel = np.reshape(typed[start : start + np.asarray(k).size], np.shape(k))
                start += kernel.size
                want = ops.conv2d(np.asarray(D["x"], float), kernel, (D["sh"], D["sw"]))
                cells = player.locator("table.out").nth(f).locator("td")
                got = {
                    (int(c.get_attribute("data-r")), int(c.get_attribute("data-c"))): c.inner_text()
                    for c in cells.all()
                }
                assert got == {(r, c): fmt_number(v) for (r, c), v in np.ndenumerate(want)}, (page, f)
                text = sums.nth(f).inner_text()
                assert_sum_adds_up(text)
                head = D["names"][f] if "ks" in D else "output"
                assert text.startswith(f"{head}[0, 0]") and text.endswith(f"= {fmt_number(want[0, 0])}")
            slider = player.locator("input[type=range]")
            slider.focus()
            pg.keyboard.press("ArrowRight")
            for f in range(len(kernels)):
                assert_sum_adds_up(sums.nth(f).inner_text())
            # a box emptied keeps its weight, and the page says so under the boxes
            outputs = [t.inner_text() for t in player.locator("table.out").all()]
            boxes.nth(0).focus()
            pg.keyboard.press("Control+A")
            pg.keyboard.press("Backspace")
            note = player.locator("form.weights .weights-note[role=status]").inner_text()
            who = f"{D['names'][0]}: " if "ks" in D else ""
            what = "filter" if "ks" in D else "sweep"
            assert note.startswith(
                f"{who}w[0, 0] holds no number: the {what} keeps its last value, {fmt_number(typed[0])}."
            )
            assert [t.inner_text() for t in player.locator("table.out").all()] == outputs
            assert w.problems == [] and w.blocked == []


def test_flattening_player_follows_the_keyboard(browser, site_origin):
    """ch01's flattening explorer: each arrow key moves both orders' highlighted value and
    the pixel each one takes, and the sentence says which."""
    pages = [p for p in CHAPTER_PAGES if 'class="cnn-sweep cnn-flat"' in html_of(p)]
    assert pages, "no page has the flattening explorer"
    for page in pages:
        with _player_on(browser, site_origin, page, ".cnn-flat", "flatten") as (w, player):
            pg = w.page
            slider = player.locator("input[type=range]")
            assert slider.get_attribute("aria-label")
            slider.focus()
            for step in (1, 2, 3):
                pg.keyboard.press("ArrowRight")
                text = player.locator(".arith").inner_text()
                assert text.startswith(f"value {step}:"), text
                assert player.locator(f".flat.order-rm span.rm[data-k='{step}']").count() == 1
                assert player.locator(f".flat.order-cm span.cm[data-k='{step}']").count() == 1
                assert player.locator("table.in td.rm").count() == 1
            # both rows laid out by the image's shape: one image row / column per line
            h, wd = (
                player.locator("table.in tr").count(),
                player.locator("table.in tr").first.locator("td").count(),
            )
            for order, run in (("rm", wd), ("cm", h)):
                lines = player.locator(f".flat.order-{order} span").evaluate_all(
                    "spans => { const tops = {}; spans.forEach(s => {"
                    " tops[s.offsetTop] = (tops[s.offsetTop] || 0) + 1; }); return Object.values(tops); }"
                )
                assert lines == [run] * (h * wd // run), (order, lines)
            play_advances(pg, player)
            assert w.problems == [] and w.blocked == []


def test_the_browser_cannot_reach_outside_the_loopback(browser, site_origin):
    """Chromium as the tests start it is offline by construction (``book.browser``): a page's
    request for an outside address fails at the missing proxy, before any name lookup, and the
    watched page records it as blocked; the served site still loads."""
    with watched(browser, "offline-browser", site_origin) as w:
        w.page.goto(f"{site_origin}/intro.html", wait_until="load")
        outside = "https://example.com/cnn-book-probe.js"
        said = w.page.evaluate("u => fetch(u).then(r => 'reached ' + r.status, e => 'failed')", outside)
        assert said == "failed"
        assert w.blocked == [outside]
        assert any(outside in p and "ERR_PROXY_CONNECTION_FAILED" in p for p in w.problems), w.problems


def test_every_part_ii_control_page_is_covered(site):
    chapters = {p.split("/")[-1][:2] for p in CHAPTER_PAGES if FORM_RE.search(html_of(p))}
    assert {"08", "09", "10", "11", "12"} <= chapters, sorted(chapters)


def _restores_the_page(w, address: str) -> None:
    """Live Code on ``address`` (watched page ``w``, as a new tab would open it: nothing in its
    sessionStorage), with no kernel to reach: the page returns to its rendered state with one
    line saying what happened, and the only failures are the kernel's own requests."""
    pg = w.page
    n_problems, n_blocked = len(w.problems), len(w.blocked)
    pg.evaluate("() => { try { sessionStorage.clear(); } catch (e) { /* not a site page */ } }")
    pg.goto(address, wait_until="load")
    article = pg.locator("article.bd-article")
    before = " ".join(article.inner_text().split())
    n_code = pg.locator(".cell_input pre").count()
    pg.click(".dropdown-launch-buttons .dropdown-toggle")
    pg.click(".dropdown-launch-buttons button:has-text('Live Code')")
    pg.wait_for_function(
        "document.documentElement.getAttribute('data-livecode-status') === 'failed'", timeout=90_000
    )
    assert pg.locator(".thebe-cell, [data-executable], [data-output], .CodeMirror, .cnn-livebar").count() == 0
    assert pg.locator(".cell_input pre").count() == n_code
    message = pg.locator("#cnn-livecode-message[role=status]")
    assert message.count() == 1 and "\n" not in message.inner_text().strip()
    assert "could not reach a kernel" in message.inner_text()
    after = " ".join(article.inner_text().split())
    assert after.replace(" ".join(message.inner_text().split()), "").strip() == before
    player = pg.locator(".cnn-sweep:not(.cnn-flat):has(input[type=range])").first
    player.scroll_into_view_if_needed()
    first = sum_value(player.locator(".sum").first.inner_text())
    player.locator("input[type=range]").focus()
    pg.keyboard.press("ArrowRight")
    assert sum_value(player.locator(".sum").first.inner_text())[:2] != first[:2]
    # the only failures are the unreachable kernel's own requests
    problems, blocked = w.problems[n_problems:], w.blocked[n_blocked:]
    assert all(re.search(r"net::ERR_|Lost connection to binder|Server not reachable", p) for p in problems), (
        problems
    )
    assert all(u.startswith("https://mybinder.org/") for u in blocked), blocked


def test_live_code_unreachable_kernel_restores_the_page(browser, site_origin, subtests):
    """Live Code with no kernel to reach (a local server that is not running; Binder while
    offline): the page returns to its rendered state - same text, no editor boxes, the
    kernel-free controls still work - with one line saying what happened. One tab opens the
    page for each, as a new tab would."""
    _, page = live_target()
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    queries = {"local": f"?livecode=local#url={dead}&token=no-server", "binder": "?livecode=binder"}
    with watched(browser, "livecode-offline", site_origin, dead) as w:
        for server, query in queries.items():
            with subtests.test(msg=server):
                try:
                    _restores_the_page(w, f"{site_origin}/{page}{query}")
                except BaseException:
                    w.screenshot(f"livecode-offline-{server}")
                    raise

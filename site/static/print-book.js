/* Assembles the printable book from the built site's pages (site/pdf.py, `make pdf`).
 *
 * site/pdf.py opens _print_book.html (written next to the site's pages, removed afterwards)
 * with the list of pages in reading order and calls window.cnnAssembleBook(pages, withToc).
 * Each page's <article> is fetched, its relative URLs made absolute, its ids prefixed so that
 * pages cannot collide, and links between the book's pages turned into links inside the PDF.
 * A contents page comes first; every page starts a new sheet with its title as the PDF's
 * top-level heading (one outline section per chapter). MathJax typesets the formulas;
 * the kernel-free controls print in their first state (their scripts do not run here), styled
 * by the stylesheets their pages link (book.css, explorer.css), which join the skeleton's,
 * each under a line saying where it runs (a control whose first state shows nothing, the
 * draw-a-digit explorer and the size calculator, is that line alone); each answer moves to an
 * "Answers" section at the end of its page, a link in its place. site/pdf.py prints the book
 * twice: the first print's outline gives the page number of each page, which
 * cnnNumberContents writes into the contents for the second.
 */
(function () {
  "use strict";

  function prefixOf(i) { return "p" + i + "-"; }

  async function fetchArticle(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error("HTTP " + res.status + " for " + url);
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const article = doc.querySelector("article.bd-article");
    if (!article) throw new Error("no article in " + url);
    await addStylesheets(doc, url);
    return article;
  }

  /* The stylesheets a page links that this document does not have yet (a page's controls
     bring their own), added to its head before print-book.css (whose print rules win);
     resolves once they have loaded. */
  function addStylesheets(doc, base) {
    const have = new Set(Array.from(document.querySelectorAll("link[rel=stylesheet]"))
      .map(function (l) { return new URL(l.href).pathname; }));
    return Promise.all(Array.from(doc.querySelectorAll("link[rel=stylesheet]")).map(function (l) {
      const url = new URL(l.getAttribute("href"), base);
      if (have.has(url.pathname)) return null;
      have.add(url.pathname);
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = url.href;
      return new Promise(function (ok, fail) {
        link.onload = ok;
        link.onerror = function () { fail(new Error("stylesheet " + url.href + " did not load")); };
        document.head.insertBefore(link, document.querySelector("link[href$='print-book.css']"));
      });
    }));
  }

  function rewrite(article, base, index, pageIndex) {
    const prefix = prefixOf(index);
    article.querySelectorAll(".headerlink, script, button.copybtn, .onlyprint, .d-print-none")
      .forEach(function (el) { el.remove(); });
    // on paper the article's errata (and the box that holds some of them) and the side notes
    // are read open; answers stay folded
    article.querySelectorAll("details.checking-article, details.erratum, details.note")
      .forEach(function (d) { d.open = true; });
    article.querySelectorAll("[id]").forEach(function (el) { el.id = prefix + el.id; });
    article.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = prefix + el.htmlFor; });
    article.querySelectorAll("[src]").forEach(function (el) {
      el.setAttribute("src", new URL(el.getAttribute("src"), base).href);
    });
    article.querySelectorAll("a[href]").forEach(function (a) {
      const href = a.getAttribute("href");
      const url = new URL(href, base);
      const target = pageIndex[url.origin + url.pathname];
      if (href.startsWith("#")) {
        a.setAttribute("href", "#" + prefix + href.slice(1));
      } else if (target !== undefined) {
        a.setAttribute("href", "#" + (url.hash ? prefixOf(target) + url.hash.slice(1) : "page-" + target));
      } else {
        a.setAttribute("href", url.href);
      }
    });
    forPaper(article, prefix, notebookOf(base));
    // one h1 per page: the page's title is its top-level heading in the PDF outline
    const h1s = article.querySelectorAll("h1");
    h1s.forEach(function (h, k) { if (k > 0) { const h2 = document.createElement("h2"); h2.innerHTML = h.innerHTML; h.replaceWith(h2); } });
    return h1s.length ? h1s[0].textContent.trim() : "";
  }

  /* "chapters/09_stride_and_padding.ipynb" for the page at that .html URL */
  function notebookOf(base) {
    const parts = new URL(base).pathname.split("/");
    const file = parts.pop().replace(/\.html$/, ".ipynb");
    return (parts.pop() === "chapters" ? "chapters/" : "") + file;
  }

  const BLANK_FIRST_STATE = ["explorer", "calc"];

  function forPaper(article, prefix, notebook) {
    article.querySelectorAll("[data-cnn-kind]").forEach(function (el) {
      const blank = BLANK_FIRST_STATE.indexOf(el.getAttribute("data-cnn-kind")) >= 0;
      const note = document.createElement("p");
      note.className = "book-control-note";
      note.textContent = "Interactive: this control runs on the book's website and in the notebook " +
        notebook + (blank ? "." : "; printed here in its first state.");
      el.parentNode.insertBefore(note, el);
      if (blank) el.remove();
    });
    const answers = [];
    let exercise = "";
    article.querySelectorAll(".exercise > .admonition-title, details.answer").forEach(function (el) {
      if (el.tagName === "DETAILS") answers.push([el, exercise]);
      else exercise = el.textContent.replace(/\s*\(.*\)\s*$/, "").trim();
    });
    if (!answers.length) return;
    const section = document.createElement("section");
    section.className = "book-answers";
    section.innerHTML = "<h2>Answers</h2>";
    answers.forEach(function (pair, k) {
      const details = pair[0], id = prefix + "answer-" + (k + 1);
      const box = document.createElement("div");
      box.className = "book-answer";
      box.id = id;
      const title = document.createElement("p");
      title.className = "book-answer-title";
      title.textContent = "Answer to " + (pair[1] || "exercise " + (k + 1));
      box.appendChild(title);
      Array.from(details.childNodes).forEach(function (n) { if (n.nodeName !== "SUMMARY") box.appendChild(n); });
      section.appendChild(box);
      const line = document.createElement("p");
      line.className = "book-answer-link";
      const a = document.createElement("a");
      a.href = "#" + id;
      a.textContent = "Answer: at the end of this chapter";
      line.appendChild(a);
      details.replaceWith(line);
    });
    article.appendChild(section);
  }

  /* The page number of each page (in reading order) into the contents. */
  window.cnnNumberContents = function (numbers) {
    const cells = document.querySelectorAll("section.book-contents .book-page-number");
    if (cells.length !== numbers.length) {
      throw new Error("contents has " + cells.length + " entries, " + numbers.length + " page numbers given");
    }
    cells.forEach(function (cell, i) { cell.textContent = String(numbers[i]); });
  };

  window.cnnAssembleBook = async function (pages, withToc) {
    const root = document.getElementById("book");
    const pageIndex = {};
    pages.forEach(function (p, i) {
      const u = new URL(p.path, location.href);
      pageIndex[u.origin + u.pathname] = i;
    });
    const toc = document.createElement("section");
    toc.className = "book-contents";
    toc.innerHTML = "<h1>Contents</h1>";
    const list = document.createElement("ol");
    let part = null, partList = list;
    const titles = [];
    for (let i = 0; i < pages.length; i++) {
      const base = new URL(pages[i].path, location.href).href;
      const article = await fetchArticle(base);
      const title = rewrite(article, base, i, pageIndex);
      titles.push(title);
      const section = document.createElement("section");
      section.className = "book-page";
      section.id = "page-" + i;
      Array.from(article.childNodes).forEach(function (n) { section.appendChild(n); });
      root.appendChild(section);
      if (pages[i].part !== part) {
        part = pages[i].part;
        if (part) {
          const li = document.createElement("li");
          li.className = "book-part";
          li.textContent = part;
          partList = document.createElement("ol");
          li.appendChild(partList);
          list.appendChild(li);
        } else {
          partList = list;
        }
      }
      const entry = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#page-" + i;
      link.textContent = title;
      entry.appendChild(link);
      const number = document.createElement("span");
      number.className = "book-page-number";
      entry.appendChild(number);
      partList.appendChild(entry);
    }
    if (withToc) {
      toc.appendChild(list);
      root.insertBefore(toc, root.firstChild);
    }
    if (window.MathJax && window.MathJax.startup) {
      // the loader is still fetching MathJax's components: typesetPromise exists once it is done
      await window.MathJax.startup.promise;
      await window.MathJax.typesetPromise([root]);
    }
    await Promise.all(Array.from(document.images).map(function (img) {
      return img.complete ? null : new Promise(function (ok) { img.onload = img.onerror = ok; });
    }));
    await document.fonts.ready;
    return titles;
  };
})();

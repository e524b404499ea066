/* Search results without raw TeX or page furniture (the website's search page only).
 *
 * Sphinx's search (searchtools.js) builds each result's snippet from the text of the found
 * page's [role=main] element: that includes the TeX source of every formula
 * ("w_0\,x_{r,c}"), the labels of the page's header buttons (".ipynb", ".pdf") and the page's
 * contents list (where a word is usually found first). This wraps
 * Search.htmlToText so formulas read as plain text ("w_0 x_r,c") and the buttons, scripts and
 * hidden cells are left out. texToText is plain so Node can test it (tests/js).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof window !== "undefined") api.install(window);
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SYMBOLS = {
    times: "×", cdot: "·", div: "÷", pm: "±", le: "≤", leq: "≤", ge: "≥", geq: "≥",
    neq: "≠", ne: "≠", approx: "≈", to: "→", rightarrow: "→", infty: "∞", sum: "Σ",
    prod: "Π", sqrt: "√", lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉", ldots: "…",
    cdots: "…", dots: "…", in: "∈", partial: "∂", nabla: "∇",
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", eta: "η", theta: "θ",
    lambda: "λ", mu: "μ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", omega: "ω",
    Delta: "Δ", Sigma: "Σ"
  };

  /* TeX source of a formula as readable text: \frac{a}{b} -> a/b, \times -> ×, spacing
   * commands dropped, braces removed (x_{r,c} -> x_r,c). */
  function texToText(tex) {
    var t = String(tex).replace(/^\s*(\\\(|\\\[|\$\$?)/, "").replace(/(\\\)|\\\]|\$\$?)\s*$/, "");
    for (var i = 0; i < 3; i++) {  // nested fractions
      t = t.replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)");
    }
    t = t.replace(/\\(?:text|mathrm|mathbf|mathit|operatorname|textrm)\s*\{([^{}]*)\}/g, "$1")
         .replace(/\\(?:left|right|big|Big|bigg|Bigg)\b/g, "")
         .replace(/\\[,;:! ]/g, " ").replace(/\\(?:quad|qquad)\b/g, " ")
         .replace(/\\([A-Za-z]+)/g, function (m, name) {
           return Object.prototype.hasOwnProperty.call(SYMBOLS, name) ? " " + SYMBOLS[name] + " " : " ";
         })
         .replace(/\\\\/g, " ").replace(/&/g, " ")
         .replace(/[{}]/g, "")
         .replace(/\/\(([^()\s]+)\)/g, "/$1").replace(/\(([^()\s]+)\)\//g, "$1/")
         .replace(/\s+/g, " ").trim();
    return t;
  }

  // page furniture inside [role=main]: header buttons, the page's own contents list (in the
  // sidebar and the print-only copy), prev/next links; scripts and answer boxes
  var DROP = [".headerlink", "script", "style", ".bd-header-article", ".header-article-items",
              ".article-header-buttons", ".bd-sidebar-secondary", "#jb-print-docs-body",
              ".onlyprint", ".prev-next-area", "footer", ".d-print-none", ".cnn-exercise",
              "#pst-back-to-top"];

  function cleanHtml(htmlString) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    DROP.forEach(function (q) { doc.querySelectorAll(q).forEach(function (el) { el.remove(); }); });
    doc.querySelectorAll(".math, mjx-container").forEach(function (el) {
      el.replaceWith(doc.createTextNode(" " + texToText(el.textContent) + " "));
    });
    return doc.documentElement.outerHTML;
  }

  function install(win) {
    function wrap() {
      // searchtools.js declares `const Search` at the top level: a global binding, not a
      // property of window
      var S = win.Search || (typeof Search !== "undefined" ? Search : null);  // eslint-disable-line no-undef
      if (!S || !S.htmlToText || S.htmlToText.cnnClean) return;
      var original = S.htmlToText;
      S.htmlToText = function (htmlString, anchor) {
        return original.call(S, cleanHtml(htmlString), anchor);
      };
      S.htmlToText.cnnClean = true;
    }
    wrap();
    if (win.document) win.document.addEventListener("DOMContentLoaded", wrap);
  }

  return {texToText: texToText, install: install};
});

/* Live code on the book's pages: the "Live Code" launch button runs the page's code cells
 * with Thebe (shipped in _static/vendor/thebe, no CDN) against a Jupyter server.
 *
 * Where the kernel runs is chosen by `livecode_server` in _config.yml (written into each page
 * as window.CNN_LIVECODE by site/offline.py):
 *   "binder" - mybinder.org builds the book's repository (public site);
 *   "local"  - a Jupyter server on this machine, e.g. started by `make live`.
 * A reader can override it per visit: ?livecode=local or ?livecode=binder in the page URL, and
 * give the local server's address and token in the URL fragment:
 *   page.html?livecode=local#url=http://127.0.0.1:8888&token=SECRET
 * The fragment is never sent to the web server; the values are kept in sessionStorage for the
 * other pages of this visit and the fragment is removed from the address bar.
 */
(function () {
  "use strict";
  var CFG = window.CNN_LIVECODE || {};
  var KEY = "cnn-livecode";

  function settings() {
    var s = {server: CFG.server || "binder", url: CFG.localUrl || "http://127.0.0.1:8888", token: ""};
    try { Object.assign(s, JSON.parse(sessionStorage.getItem(KEY) || "{}")); } catch (e) { /* ignore */ }
    var q = new URLSearchParams(location.search), h = new URLSearchParams(location.hash.slice(1));
    if (q.get("livecode")) s.server = q.get("livecode");
    if (h.get("url")) s.url = h.get("url");
    if (h.get("token")) s.token = h.get("token");
    if (h.get("url") || h.get("token")) {
      history.replaceState(null, "", location.pathname + location.search);
    }
    if (s.server !== "local" && s.server !== "binder") s.server = "binder";
    try { sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* ignore */ }
    return s;
  }
  var S = settings();

  function asset(rel) { return new URL(CFG.static + rel, location.href).href; }

  // Thebe fetches require.js from cdnjs before it renders any widget: serve the shipped copy.
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    if (/^https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/require\.js\//.test(url)) {
      return realFetch(asset("vendor/requirejs/require.js"), init);
    }
    return realFetch(input, init);
  };

  function button() { return document.querySelector(".thebe-launch-button"); }
  function say(text) {
    var b = button();
    if (b) { b.textContent = text; b.setAttribute("aria-live", "polite"); }
  }

  // Mark each code cell's source as executable for Thebe and put its saved output after it.
  function prepareCells() {
    document.querySelectorAll(".cell").forEach(function (cell) {
      var src = cell.querySelector(".cell_input pre");
      if (!src || src.hasAttribute("data-executable")) return;
      src.setAttribute("data-executable", "true");
      src.setAttribute("data-language", "python");
      // Every cell gets its own output box: Thebe pairs a source with the next [data-output]
      // element, so a cell without saved output would otherwise take the next cell's.
      var out = cell.querySelector(".cell_output");
      if (!out) {
        out = document.createElement("div");
        out.className = "cell_output docutils container";
        cell.appendChild(out);
      }
      out.setAttribute("data-output", "");
      src.insertAdjacentElement("afterend", out);
      cell.querySelectorAll("button.copybtn").forEach(function (b) { b.remove(); });
    });
  }

  function options() {
    var o = {
      requestKernel: true,
      // Thebe would load MathJax 2 from a CDN and call its API; the page's MathJax 3 (shipped)
      // typesets the page, so Thebe's own loader is switched off.
      mathjaxUrl: "",
      kernelOptions: {kernelName: "python3", name: "python3", path: CFG.path},
    };
    if (S.server === "local") {
      if (!S.token) {
        S.token = window.prompt("Token of your local Jupyter server (printed by `make live`):") || "";
        try { sessionStorage.setItem(KEY, JSON.stringify(S)); } catch (e) { /* ignore */ }
      }
      o.useBinder = false;
      o.serverSettings = {baseUrl: S.url, wsUrl: S.url.replace(/^http/, "ws"), token: S.token,
                          appendToken: true};
    } else {
      o.useBinder = true;
      o.binderOptions = {repo: CFG.repo, ref: CFG.ref, binderUrl: CFG.binderUrl, repoProvider: "github"};
    }
    return o;
  }

  function start() {
    prepareCells();
    var where = S.server === "local" ? "local server " + S.url : "Binder";
    say("Starting a kernel on " + where + "…");
    window.thebe.on("status", function (evt, data) {
      if (data && data.status) {
        document.documentElement.setAttribute("data-livecode-status", data.status);
        say("Live code (" + where + "): " + data.status);
      }
    });
    document.documentElement.setAttribute("data-livecode-server", S.server);
    window.thebe.bootstrap(options()).then(function () {
      document.documentElement.setAttribute("data-livecode-status", "ready");
      say("Live code ready (" + where + ")");
    }).catch(function (e) {
      document.documentElement.setAttribute("data-livecode-status", "failed");
      say("Live code could not start on " + where + ": " + e);
      console.warn("livecode:", e);
    });
  }

  // Called by sphinx-book-theme's "Live Code" launch button (via initThebeSBT).
  window.initThebe = function () {
    if (document.documentElement.hasAttribute("data-livecode-server")) return;  // started
    if (window.thebe && window.thebe.bootstrap) { start(); return; }
    say("Loading Thebe…");
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = asset("vendor/thebe/thebe.css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = asset("vendor/thebe/index.js");
    js.addEventListener("load", start);
    js.addEventListener("error", function () { say("Could not load Thebe"); });
    document.head.appendChild(js);
  };
})();

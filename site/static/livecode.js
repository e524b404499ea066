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
 * `make live` (site/live.py) prints no token in its link, only a one-time code:
 *   page.html?livecode=local#url=http://127.0.0.1:8888&code=CODE
 * which the page posts at once to its own origin's CLAIM path; live.py answers once with
 * {url, token} and the code is spent, so the browser's history keeps nothing usable. The
 * fragment is never sent to the web server; the values are kept in sessionStorage for the
 * other pages of this visit and the fragment is removed from the address bar.
 *
 * The token is a password, so (tests/js/livecode.test.js, tests/test_livecode_security.py):
 *   - only http://127.0.0.1:PORT and http://localhost:PORT are accepted as a local server;
 *     any other #url= is refused (nothing is sent, the button says why);
 *   - the token is bound to the exact server it came with: a link whose #url= names a
 *     server but carries no token drops the stored token, and a stored token is only ever
 *     sent to the server it was stored for;
 *   - a token typed into the prompt is bound to the server the prompt names.
 * `resolve` (pure, loadable by Node) decides all of this; the rest drives the page.
 *
 * When the kernel cannot be reached (offline, Binder down, no local server), every cell goes
 * back to its rendered state - the same nodes, so the page's kernel-free controls keep
 * working - and one line at the top of the page says what happened
 * (tests/test_site_browser.py: test_live_code_unreachable_kernel_restores_the_page).
 */
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof window !== "undefined" && typeof document !== "undefined") api.install(window);
})(function () {
  "use strict";
  var KEY = "cnn-livecode";
  var DEFAULT_LOCAL = "http://127.0.0.1:8888";
  var LOCAL_RE = /^http:\/\/(127\.0\.0\.1|localhost):([0-9]{1,5})\/?$/;
  var CLAIM = "/_livecode/claim";  // site/live.py's CLAIM_PATH
  var CODE_RE = /^[A-Za-z0-9_-]{16,128}$/;

  // "http://127.0.0.1:PORT" / "http://localhost:PORT" (canonical, no trailing slash), else null.
  function localOrigin(url) {
    var m = typeof url === "string" ? LOCAL_RE.exec(url) : null;
    if (!m) return null;
    var port = Number(m[2]);
    if (port < 1 || port > 65535 || m[2].charAt(0) === "0") return null;
    return "http://" + m[1] + ":" + port;
  }

  /* The settings for this page from the page's config, what this visit stored, the query
   * (?livecode=) and the fragment (#url=, #token=, #code=). Returns {settings, problem,
   * hadFragment, code}: settings = {server, url, token, tokenUrl} (token is "" unless
   * tokenUrl === url); problem = why a #url= or #code= was refused (null if none); code = a
   * one-time code to claim the token with (null if none). */
  function resolve(cfg, stored, search, hash) {
    cfg = cfg || {};
    var q = new URLSearchParams(search || ""), h = new URLSearchParams((hash || "").replace(/^#/, ""));
    var s = {server: cfg.server === "local" ? "local" : "binder",
             url: localOrigin(cfg.localUrl) || DEFAULT_LOCAL, token: "", tokenUrl: ""};
    var problem = null;
    if (stored && typeof stored === "object") {
      if (stored.server === "local" || stored.server === "binder") s.server = stored.server;
      var su = localOrigin(stored.url);
      if (su) {
        s.url = su;
        if (typeof stored.token === "string" && stored.token && stored.tokenUrl === su) {
          s.token = stored.token;
          s.tokenUrl = su;
        }
      }
    }
    var ql = q.get("livecode");
    if (ql === "local" || ql === "binder") s.server = ql;
    var hu = h.get("url"), ht = h.get("token");
    if (hu !== null) {  // a link naming a server: the stored token never goes with it
      s.token = "";
      s.tokenUrl = "";
      var o = localOrigin(hu);
      if (o) {
        s.url = o;
      } else {
        problem = "refused the server address " + JSON.stringify(hu.slice(0, 200)) +
                  ": live code connects only to http://127.0.0.1:PORT or http://localhost:PORT";
      }
    }
    if (ht && !problem) {
      s.token = ht;
      s.tokenUrl = s.url;
    }
    var hc = h.get("code"), code = null;
    if (hc !== null && !problem) {  // a token is on its way: the stored one is not used
      s.server = "local";
      s.token = "";
      s.tokenUrl = "";
      if (CODE_RE.test(hc)) code = hc;
      else problem = "refused a malformed one-time code (open the link `make live` printed)";
    }
    return {settings: s, problem: problem, code: code,
            hadFragment: hu !== null || ht !== null || hc !== null};
  }

  // The settings after a claim answered `answer` ({url, token}): the token bound to the
  // server named with it, if that is a local server; null for anything else.
  function claimed(s, answer) {
    var url = answer && localOrigin(answer.url);
    if (!url || typeof answer.token !== "string" || !answer.token) return null;
    return {server: "local", url: url, token: answer.token, tokenUrl: url};
  }

  // The server settings Thebe gets for a local server: the token only if bound to that URL.
  function localServerSettings(s) {
    var token = s.tokenUrl === s.url ? s.token : "";
    return {baseUrl: s.url, wsUrl: s.url.replace(/^http/, "ws"), token: token, appendToken: true};
  }

  function install(window) {
    var document = window.document, location = window.location, history = window.history;
    var CFG = window.CNN_LIVECODE || {};
    var store = {
      get: function () {
        try { return JSON.parse(window.sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
      },
      set: function (s) {
        try { window.sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* ignore */ }
      },
    };
    var R = resolve(CFG, store.get(), location.search, location.hash);
    var S = R.settings;
    if (R.hadFragment) history.replaceState(null, "", location.pathname + location.search);
    store.set(S);
    if (R.problem) window.console.warn("livecode: " + R.problem);
    var handover = R.code ? claim(R.code) : Promise.resolve();
    var handoverProblem = "";

    // Exchange the link's one-time code for the token, at once (the code is spent either way).
    function claim(code) {
      function mark(v) { document.documentElement.setAttribute("data-livecode-handover", v); }
      mark("pending");
      return window.fetch(new URL(CLAIM, location.href).href, {
        method: "POST", body: code, cache: "no-store", credentials: "omit",
        headers: {"Content-Type": "text/plain"},
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          var next = r.ok ? claimed(S, body) : null;
          if (!next) throw new Error(body && body.error || "HTTP " + r.status);
          S = next;
          store.set(S);
          mark("claimed");
        });
      }).catch(function (e) {
        handoverProblem = "This link's one-time code gave no token: " +
                          String(e && e.message || e).slice(0, 160) + ".";
        mark("failed");
        window.console.warn("livecode: " + handoverProblem);
      });
    }

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
    var buttonHtml = null;  // the launch button as the theme drew it
    function say(text) {
      var b = button();
      if (!b) return;
      if (buttonHtml === null) buttonHtml = b.innerHTML;
      b.textContent = text;
      b.setAttribute("aria-live", "polite");
    }
    function resetButton() {
      var b = button();
      if (b && buttonHtml !== null) b.innerHTML = buttonHtml;
    }
    function status(value) { document.documentElement.setAttribute("data-livecode-status", value); }

    // What prepareCells changed, so a failed start can put every cell back as it was.
    var undo = [];

    // Mark each code cell's source as executable for Thebe and put its saved output after it.
    function prepareCells() {
      document.querySelectorAll(".cell").forEach(function (cell) {
        var src = cell.querySelector(".cell_input pre");
        if (!src || src.hasAttribute("data-executable")) return;
        var rec = {src: src, srcParent: src.parentNode, srcNext: src.nextSibling,
                   copy: Array.prototype.slice.call(cell.querySelectorAll("button.copybtn"))
                     .map(function (b) { return {b: b, parent: b.parentNode, next: b.nextSibling}; })};
        src.setAttribute("data-executable", "true");
        src.setAttribute("data-language", "python");
        // Every cell gets its own output box: Thebe pairs a source with the next [data-output]
        // element, so a cell without saved output would otherwise take the next cell's.
        var out = cell.querySelector(".cell_output");
        rec.created = !out;
        if (!out) {
          out = document.createElement("div");
          out.className = "cell_output docutils container";
          cell.appendChild(out);
        } else {
          rec.outParent = out.parentNode;
          rec.outNext = out.nextSibling;
        }
        rec.out = out;
        // Thebe re-renders saved outputs inside its own output area: keep the rendered nodes
        // (and the listeners of their kernel-free controls) to put back
        rec.kids = Array.prototype.slice.call(out.childNodes);
        out.setAttribute("data-output", "");
        src.insertAdjacentElement("afterend", out);
        rec.copy.forEach(function (c) { c.b.remove(); });
        undo.push(rec);
      });
    }

    // The kernel cannot be reached: every cell back to the page as it was rendered (the same
    // nodes, so the kernel-free controls keep working), and one line saying why.
    function restoreCells(reason) {
      undo.slice().reverse().forEach(function (rec) {
        var holder = rec.srcParent.querySelector(".thebe-cell");
        if (holder && holder.parentNode === rec.srcParent) holder.remove();
        rec.src.removeAttribute("data-executable");
        rec.src.removeAttribute("data-language");
        if (!rec.src.isConnected || rec.src.parentNode !== rec.srcParent) {
          rec.srcParent.insertBefore(rec.src, rec.srcNext && rec.srcNext.parentNode === rec.srcParent ? rec.srcNext : null);
        }
        rec.out.removeAttribute("data-output");
        rec.out.replaceChildren.apply(rec.out, rec.kids);
        if (rec.created) {
          rec.out.remove();
        } else {
          rec.outParent.insertBefore(rec.out, rec.outNext && rec.outNext.parentNode === rec.outParent ? rec.outNext : null);
        }
        rec.copy.forEach(function (c) {
          c.parent.insertBefore(c.b, c.next && c.next.parentNode === c.parent ? c.next : null);
        });
      });
      undo = [];
      document.querySelectorAll(".thebe-cell, .thebe-controls, .thebe-status").forEach(function (el) {
        el.remove();
      });
      document.documentElement.removeAttribute("data-livecode-server");  // the reader may retry
      var line = document.getElementById("cnn-livecode-message");
      if (!line) {
        line = document.createElement("p");
        line.id = "cnn-livecode-message";
        line.className = "cnn-livecode-message";
        line.setAttribute("role", "status");
        var article = document.querySelector("article.bd-article") || document.body;
        article.insertBefore(line, article.firstChild);
      }
      line.textContent = reason;
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
        o.useBinder = false;
        o.serverSettings = localServerSettings(S);
      } else {
        o.useBinder = true;
        o.binderOptions = {repo: CFG.repo, ref: CFG.ref, binderUrl: CFG.binderUrl, repoProvider: "github"};
      }
      return o;
    }

    // For a local server: true when there is a server and a token bound to it (asked for once).
    function localReady() {
      if (R.problem) {
        status("refused");
        say("Live code: " + R.problem);
        return false;
      }
      if (!(S.token && S.tokenUrl === S.url)) {
        var typed = window.prompt((handoverProblem ? handoverProblem + " " : "") +
                                  "Token of the local Jupyter server at " + S.url +
                                  " (printed by `make live`):") || "";
        S.token = typed.trim();
        S.tokenUrl = S.token ? S.url : "";
        store.set(S);
      }
      if (!S.token) {
        status("no-token");
        say("Live code needs the token of the local Jupyter server at " + S.url);
        return false;
      }
      return true;
    }

    function start() { handover.then(startKernel); }

    function startKernel() {
      if (S.server === "local" && !localReady()) return;
      prepareCells();
      var where = S.server === "local" ? "local server " + S.url : "Binder";
      say("Starting a kernel on " + where + "…");
      window.thebe.on("status", function (evt, data) {
        if (data && data.status) {
          status(data.status);
          say("Live code (" + where + "): " + data.status);
        }
      });
      document.documentElement.setAttribute("data-livecode-server", S.server);
      window.thebe.bootstrap(options()).then(function () {
        status("ready");
        say("Live code ready (" + where + ")");
      }).catch(function (e) {
        var reason = "Live code could not reach a kernel on " + where + " (" +
                     String(e && e.message || e).replace(/\s+/g, " ").slice(0, 160) + "); the page is as it was.";
        restoreCells(reason);
        status("failed");
        resetButton();
        window.console.warn("livecode:", e);
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
      js.addEventListener("error", function () {
        restoreCells("Live code could not load Thebe; the page is as it was.");
        status("failed");
        resetButton();
      });
      document.head.appendChild(js);
    };
  }

  return {localOrigin: localOrigin, resolve: resolve, claimed: claimed,
          localServerSettings: localServerSettings, install: install, KEY: KEY, CLAIM: CLAIM};
});

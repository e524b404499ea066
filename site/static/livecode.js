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
 * `resolve`, `claimed` and `launchGate` decide all of this.
 *
 * Everything but `install` and the few DOM helpers it uses is pure and loadable by Node
 * (tests/js/livecode.test.js): `resolve` and `claimed` (the rules above), `storeOf` (what is
 * kept where), `claimRequest`/`claimToken` (the handover: claimed or failed, and why),
 * `launchGate` (refused / no-token / starting, the prompt), `view` (each step's
 * data-livecode-status, button text and message line), `SAY` (every message),
 * `thebeOptions` and `shippedCopy` (what Thebe gets). `install` only wires them to a window.
 * The page's cells - what Thebe gets of them, their run controls, putting them back - are
 * site/static/livecells.js's (loaded before this file).
 *
 * When the kernel cannot be reached (offline, Binder down, no local server), every cell goes
 * back to its rendered state - the same nodes, so the page's kernel-free controls keep
 * working - and one line at the top of the page says what happened
 * (tests/test_site_browser.py: test_live_code_unreachable_kernel_restores_the_page).
 */
(function (factory) {
  "use strict";
  var node = typeof module !== "undefined" && module.exports;
  var api = factory(node ? require("./livecells.js") : window.cnnLiveCells);
  if (node) module.exports = api;
  if (typeof window !== "undefined" && typeof document !== "undefined") api.install(window);
})(function (Cells) {
  "use strict";
  var KEY = "cnn-livecode";
  var DEFAULT_LOCAL = "http://127.0.0.1:8888";
  var LOCAL_RE = /^http:\/\/(127\.0\.0\.1|localhost):([0-9]{1,5})\/?$/;
  // site/live.py's CLAIM_PATH: live.py answers there, so that is its home. The page keeps a
  // copy rather than reading one from CNN_LIVECODE (where the one-time code is posted is no
  // setting of the site); tests/js/livecode.test.js checks the two agree.
  var CLAIM = "/_livecode/claim";
  var CODE_RE = /^[A-Za-z0-9_-]{16,128}$/;
  var REQUIREJS_CDN = /^https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/require\.js\//;

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
  function claimed(answer) {
    var url = answer && localOrigin(answer.url);
    if (!url || typeof answer.token !== "string" || !answer.token) return null;
    return {server: "local", url: url, token: answer.token, tokenUrl: url};
  }

  function hasToken(s) { return Boolean(s.token) && s.tokenUrl === s.url; }

  // The server settings Thebe gets for a local server: the token only if bound to that URL.
  function localServerSettings(s) {
    var token = s.tokenUrl === s.url ? s.token : "";
    return {baseUrl: s.url, wsUrl: s.url.replace(/^http/, "ws"), token: token, appendToken: true};
  }

  /* What is kept where: this tab's sessionStorage holds the settings under KEY, as JSON
   * ({server, url, token, tokenUrl}); nothing else is stored. Storage the browser refuses
   * (private modes, sandboxed frames) reads as nothing stored and keeps nothing. */
  function storeOf(window) {
    return {
      get: function () {
        try { return JSON.parse(window.sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
      },
      set: function (s) {
        try { window.sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* ignore */ }
      },
    };
  }

  // What the reader reads: on the launch button, in the token prompt, on the line a failed
  // start leaves at the top of the page.
  function errorText(e) { return String(e && e.message || e); }
  var SAY = {
    loading: function () { return "Loading Thebe…"; },
    refused: function (problem) { return "Live code: " + problem; },
    noToken: function (url) { return "Live code needs the token of the local Jupyter server at " + url; },
    starting: function (where) { return "Starting a kernel on " + where + "…"; },
    kernel: function (where, status) { return "Live code (" + where + "): " + status; },
    ready: function (where) { return "Live code ready (" + where + ")"; },
    unreachable: function (where, e) {
      return "Live code could not reach a kernel on " + where + " (" +
             errorText(e).replace(/\s+/g, " ").slice(0, 160) + "); the page is as it was.";
    },
    noThebe: function () { return "Live code could not load Thebe; the page is as it was."; },
    handoverFailed: function (e) {
      return "This link's one-time code gave no token: " + errorText(e).slice(0, 160) + ".";
    },
    askToken: function (url, handoverProblem) {
      return (handoverProblem ? handoverProblem + " " : "") + "Token of the local Jupyter server at " +
             url + " (printed by `make live`):";
    },
  };

  /* The handover: the link's one-time code, posted to the page's own origin (CLAIM resolved
   * against the page's address, never a server the link names), exchanged for {url, token}. */
  function claimRequest(pageHref, code) {
    return {url: new URL(CLAIM, pageHref).href,
            init: {method: "POST", body: code, cache: "no-store", credentials: "omit",
                   headers: {"Content-Type": "text/plain"}}};
  }

  // Claim `code` with `fetch` (bound to its window): a promise, never rejected, of
  // {state: "claimed", settings} or {state: "failed", problem} (what the prompt will say).
  function claimToken(fetch, pageHref, code) {
    var req = claimRequest(pageHref, code);
    return fetch(req.url, req.init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        var next = r.ok ? claimed(body) : null;
        if (!next) throw new Error(body && body.error || "HTTP " + r.status);
        return {state: "claimed", settings: next};
      });
    }).catch(function (e) {
      return {state: "failed", problem: SAY.handoverFailed(e)};
    });
  }

  /* The launch, once the handover is over. Its first step: "refused" (the link named a server
   * that is not local), "no-token" (no token bound to the local server, and the reader typed
   * none when `prompt`ed), or "starting". Returns {step, detail, settings, asked}: detail for
   * `view` (the refusal, the server without a token); settings carry a typed token bound to
   * the server the prompt named (asked: they changed). Binder needs neither. */
  function launchGate(problem, s, handoverProblem, prompt) {
    if (s.server !== "local") return {step: "starting", settings: s, asked: false};
    if (problem) return {step: "refused", detail: problem, settings: s, asked: false};
    if (hasToken(s)) return {step: "starting", settings: s, asked: false};
    var typed = String(prompt(SAY.askToken(s.url, handoverProblem)) || "").trim();
    var next = {server: s.server, url: s.url, token: typed, tokenUrl: typed ? s.url : ""};
    return {step: typed ? "starting" : "no-token", detail: typed ? undefined : s.url,
            settings: next, asked: true};
  }

  function whereOf(s) { return s.server === "local" ? "local server " + s.url : "Binder"; }

  /* What each step of a launch shows: `status` is <html data-livecode-status> (undefined:
   * left as it is; the browser tests wait on it), `text` the launch button's (null: the
   * theme's own button put back), `line` the one line a failed start leaves on the page (its
   * cells put back first). Steps: loading, refused, no-token, starting, kernel (Thebe's own
   * status, passed on), ready, unreachable, no-thebe. */
  function view(step, where, detail) {
    switch (step) {
      case "loading": return {text: SAY.loading()};
      case "refused": return {status: "refused", text: SAY.refused(detail)};
      case "no-token": return {status: "no-token", text: SAY.noToken(detail)};
      case "starting": return {text: SAY.starting(where)};
      case "kernel": return {status: detail, text: SAY.kernel(where, detail)};
      case "ready": return {status: "ready", text: SAY.ready(where)};
      case "unreachable": return {status: "failed", text: null, line: SAY.unreachable(where, detail)};
      case "no-thebe": return {status: "failed", text: null, line: SAY.noThebe()};
    }
    throw new Error("livecode: no step " + step);
  }

  function thebeOptions(cfg, s) {
    var o = Object.assign({}, Cells.THEBE, {
      requestKernel: true,
      // Thebe would load MathJax 2 from a CDN and call its API; the page's MathJax 3 (shipped)
      // typesets the page, so Thebe's own loader is switched off.
      mathjaxUrl: "",
      kernelOptions: {kernelName: "python3", name: "python3", path: cfg.path},
    });
    if (s.server === "local") {
      o.useBinder = false;
      o.serverSettings = localServerSettings(s);
    } else {
      o.useBinder = true;
      o.binderOptions = {repo: cfg.repo, ref: cfg.ref, binderUrl: cfg.binderUrl, repoProvider: "github"};
    }
    return o;
  }

  function assetUrl(cfg, pageHref, rel) { return new URL(cfg.static + rel, pageHref).href; }

  // Thebe fetches require.js from cdnjs before it renders any widget: the shipped copy's
  // address for that request, null for any other.
  function shippedCopy(cfg, pageHref, input) {
    var url = typeof input === "string" ? input : (input && input.url) || "";
    return REQUIREJS_CDN.test(url) ? assetUrl(cfg, pageHref, "vendor/requirejs/require.js") : null;
  }

  // The one line at the top of the page saying why live code stopped.
  function messageLine(document, text) {
    var line = document.getElementById("cnn-livecode-message");
    if (!line) {
      line = document.createElement("p");
      line.id = "cnn-livecode-message";
      line.className = "cnn-livecode-message";
      line.setAttribute("role", "status");
      var article = document.querySelector("article.bd-article") || document.body;
      article.insertBefore(line, article.firstChild);
    }
    line.textContent = text;
  }

  /* The launch button and <html>'s data-livecode-* attributes. show(v) applies a view (see
   * `view`): the line first (cells back), then the status, then the button. */
  function pageShow(document, restore) {
    var root = document.documentElement, buttonHtml = null;  // the button as the theme drew it
    function button() { return document.querySelector(".thebe-launch-button"); }
    return function show(v) {
      if (v.line) restore(v.line);
      if (v.status !== undefined) root.setAttribute("data-livecode-status", v.status);
      var b = button();
      if (!b) return;
      if (v.text === null) {
        if (buttonHtml !== null) b.innerHTML = buttonHtml;
        return;
      }
      if (buttonHtml === null) buttonHtml = b.innerHTML;
      b.textContent = v.text;
      b.setAttribute("aria-live", "polite");
    };
  }

  // Thebe's page files, shipped in _static/vendor/thebe: onload / onerror once loaded or not.
  function loadThebe(document, cfg, pageHref, onload, onerror) {
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = assetUrl(cfg, pageHref, "vendor/thebe/thebe.css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = assetUrl(cfg, pageHref, "vendor/thebe/index.js");
    js.addEventListener("load", onload);
    js.addEventListener("error", onerror);
    document.head.appendChild(js);
  }

  /* Start a kernel with the page's loaded Thebe on the server `s` names, showing each step.
   * Thebe builds the editors of `cells` (livecells.js `prepare`) as it is called, before it
   * connects: they get the reader's controls at once (`wire`), usable once the kernel is ready. */
  function runThebe(window, cfg, s, show, cells) {
    var where = whereOf(s);
    show(view("starting", where));
    window.thebe.on("status", function (evt, data) {
      if (data && data.status) show(view("kernel", where, data.status));
    });
    window.document.documentElement.setAttribute("data-livecode-server", s.server);
    var started = window.thebe.bootstrap(thebeOptions(cfg, s));
    var controls = window.thebe.notebook ? Cells.wire(window, window.thebe.notebook, cells) : null;
    return started.then(function () {
      show(view("ready", where));
      if (controls) controls.ready();
    }).catch(function (e) {
      show(view("unreachable", where, e));
      window.console.warn("livecode:", e);
    });
  }

  // The page's side: reads the link and the tab's storage once, claims a one-time code at
  // once, and answers sphinx-book-theme's "Live Code" launch button (window.initThebe).
  function install(window) {
    var document = window.document, location = window.location, root = document.documentElement;
    var CFG = window.CNN_LIVECODE || {};
    var store = storeOf(window);
    var R = resolve(CFG, store.get(), location.search, location.hash);
    var S = R.settings, handoverProblem = "", cells = [];
    if (R.hadFragment) window.history.replaceState(null, "", location.pathname + location.search);
    store.set(S);
    if (R.problem) window.console.warn("livecode: " + R.problem);
    var handover = R.code ? handOver(R.code, window.fetch.bind(window)) : Promise.resolve();

    // Exchange the link's one-time code for the token, at once (the code is spent either way).
    function handOver(code, fetch) {
      root.setAttribute("data-livecode-handover", "pending");
      return claimToken(fetch, location.href, code).then(function (h) {
        if (h.settings) {
          S = h.settings;
          store.set(S);
        } else {
          handoverProblem = h.problem;
        }
        root.setAttribute("data-livecode-handover", h.state);
        if (h.problem) window.console.warn("livecode: " + h.problem);
      });
    }

    var realFetch = window.fetch.bind(window);
    window.fetch = function (input, init) {
      return realFetch(shippedCopy(CFG, location.href, input) || input, init);
    };

    var show = pageShow(document, function (line) {
      Cells.restore(document, cells);
      cells = [];
      root.removeAttribute("data-livecode-server");  // the reader may retry
      messageLine(document, line);
    });

    function startKernel() {
      var gate = launchGate(R.problem, S, handoverProblem, function (q) { return window.prompt(q); });
      if (gate.asked) {
        S = gate.settings;
        store.set(S);
      }
      if (gate.step !== "starting") {
        show(view(gate.step, whereOf(S), gate.detail));
        return;
      }
      cells = cells.concat(Cells.prepare(document));
      runThebe(window, CFG, S, show, cells);
    }

    function start() { handover.then(startKernel); }

    // Called by sphinx-book-theme's "Live Code" launch button (via initThebeSBT).
    window.initThebe = function () {
      if (root.hasAttribute("data-livecode-server")) return;  // started
      if (window.thebe && window.thebe.bootstrap) { start(); return; }
      show(view("loading"));
      loadThebe(document, CFG, location.href, start, function () { show(view("no-thebe")); });
    };
  }

  return {KEY: KEY, CLAIM: CLAIM, localOrigin: localOrigin, resolve: resolve, claimed: claimed,
          hasToken: hasToken, localServerSettings: localServerSettings, storeOf: storeOf, SAY: SAY,
          claimRequest: claimRequest, claimToken: claimToken, launchGate: launchGate,
          whereOf: whereOf, view: view, thebeOptions: thebeOptions, shippedCopy: shippedCopy,
          install: install};
});

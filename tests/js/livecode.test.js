// site/static/livecode.js: which server live code may connect to and which token goes with it,
// what is kept where, the handover of a `make live` link's one-time code, and each step of a
// launch (the button's text, <html data-livecode-status>, the prompt, the message line), and
// the options the page's cells give Thebe (site/static/livecells.js: tests/js/livecells.test.js).
// Cases computed in this file; `install` runs on a small fake window (no DOM library); the
// claim path is read from site/live.py. The browser side is tests/test_livecode_security.py,
// tests/test_site_browser.py (live_code) and tests/test_live_server.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const lc = require("../../site/static/livecode.js");
const cells = require("../../site/static/livecells.js");

const CFG = {server: "binder", localUrl: "http://127.0.0.1:8888"};
const GOOD = "http://127.0.0.1:8888";

test("only http://127.0.0.1:PORT and http://localhost:PORT are local servers", () => {
  assert.equal(lc.localOrigin("http://127.0.0.1:8888"), "http://127.0.0.1:8888");
  assert.equal(lc.localOrigin("http://127.0.0.1:8888/"), "http://127.0.0.1:8888");
  assert.equal(lc.localOrigin("http://localhost:1"), "http://localhost:1");
  assert.equal(lc.localOrigin("http://localhost:65535"), "http://localhost:65535");
  for (const bad of ["http://evil.example:8888", "https://127.0.0.1:8888", "http://127.0.0.1",
                     "http://127.0.0.1:8888@evil.example", "http://evil.example/?x=http://127.0.0.1:1",
                     "http://127.0.0.1:8888/api", "http://127.0.0.1:8888?x", "http://127.0.0.2:8888",
                     "http://127.0.0.1.evil.example:8888", "http://user:pw@127.0.0.1:8888",
                     "http://127.0.0.1:0", "http://127.0.0.1:65536", "http://127.0.0.1:08888",
                     "ws://127.0.0.1:8888", "javascript:alert(1)", " http://127.0.0.1:8888", "",
                     null, undefined, 8888, {}]) {
    assert.equal(lc.localOrigin(bad), null, String(bad));
  }
});

test("a token arriving with its server is bound to that server", () => {
  const r = lc.resolve(CFG, {}, "?livecode=local", "#url=http://127.0.0.1:9999/&token=T");
  assert.deepEqual(r.settings, {server: "local", url: "http://127.0.0.1:9999", token: "T",
                                tokenUrl: "http://127.0.0.1:9999"});
  assert.equal(r.problem, null);
  assert.equal(r.hadFragment, true);
  assert.equal(lc.localServerSettings(r.settings).token, "T");
});

test("a crafted #url= without a token drops the stored token (it would send it elsewhere)", () => {
  const stored = {server: "local", url: GOOD, token: "SECRET", tokenUrl: GOOD};
  for (const url of ["http://127.0.0.1:18999", "http://localhost:8888", GOOD]) {
    const r = lc.resolve(CFG, stored, "?livecode=local", "#url=" + url);
    assert.equal(r.settings.token, "", url);
    assert.equal(lc.localServerSettings(r.settings).token, "", url);
    assert.equal(JSON.stringify(r.settings).includes("SECRET"), false, url);
  }
});

test("a foreign #url= is refused, the token dropped, and nothing points at it", () => {
  const stored = {server: "local", url: GOOD, token: "SECRET", tokenUrl: GOOD};
  for (const url of ["http://evil.example:80", "https://127.0.0.1:8888", "http://127.0.0.1:8888@evil.example"]) {
    const r = lc.resolve(CFG, stored, "?livecode=local", "#url=" + encodeURIComponent(url) + "&token=T2");
    assert.match(r.problem, /refused the server address/);
    assert.equal(r.settings.token, "");
    assert.equal(r.settings.url, GOOD);  // never the refused address
  }
});

test("a stored token is only used for the server it was stored for", () => {
  // tampered or stale sessionStorage: the token belongs to another server
  let r = lc.resolve(CFG, {server: "local", url: "http://127.0.0.1:18999", token: "SECRET",
                           tokenUrl: GOOD}, "", "");
  assert.equal(r.settings.url, "http://127.0.0.1:18999");
  assert.equal(r.settings.token, "");
  // a stored foreign URL is ignored, and its token with it
  r = lc.resolve(CFG, {server: "local", url: "http://evil.example:80", token: "SECRET",
                       tokenUrl: "http://evil.example:80"}, "", "");
  assert.equal(r.settings.url, GOOD);
  assert.equal(r.settings.token, "");
  // the legitimate pair survives page changes in the same visit
  r = lc.resolve(CFG, {server: "local", url: GOOD, token: "SECRET", tokenUrl: GOOD}, "", "");
  assert.equal(r.settings.token, "SECRET");
  assert.equal(r.hadFragment, false);
  // settings handed to Thebe never carry a token bound elsewhere
  assert.equal(lc.localServerSettings({url: GOOD, token: "SECRET", tokenUrl: "http://localhost:1"}).token, "");
});

test("a foreign default in the page config is not used either", () => {
  const r = lc.resolve({server: "local", localUrl: "http://evil.example:8888"}, null, "", "");
  assert.equal(r.settings.url, GOOD);
  assert.equal(r.settings.server, "local");
  assert.equal(lc.resolve({server: "nonsense"}, {server: "other"}, "?livecode=x", "").settings.server, "binder");
});

test("a one-time code in the link: claimed once, the stored token set aside meanwhile", () => {
  const stored = {server: "binder", url: GOOD, token: "OLD", tokenUrl: GOOD};
  const code = "AbC_d-0123456789abcdef0123456789";
  const r = lc.resolve(CFG, stored, "", "#code=" + code);
  assert.equal(r.code, code);
  assert.equal(r.problem, null);
  assert.equal(r.hadFragment, true);
  assert.deepEqual(r.settings, {server: "local", url: GOOD, token: "", tokenUrl: ""});
  for (const bad of ["", "short", "a".repeat(129), "abc def ghi jkl mno", "x".repeat(20) + "&"]) {
    const b = lc.resolve(CFG, stored, "", "#code=" + encodeURIComponent(bad));
    assert.equal(b.code, null, bad);
    assert.match(b.problem, /one-time code/, bad);
    assert.equal(b.settings.token, "", bad);
  }
  // a link whose server is refused claims nothing
  assert.equal(lc.resolve(CFG, {}, "", "#url=http://evil.example:1&code=" + code).code, null);
});

test("what a claim answers is used only for a local server with a token", () => {
  assert.deepEqual(lc.claimed({url: "http://127.0.0.1:9999", token: "T"}),
                   {server: "local", url: "http://127.0.0.1:9999", token: "T",
                    tokenUrl: "http://127.0.0.1:9999"});
  for (const bad of [null, undefined, "x", {}, {url: GOOD}, {url: GOOD, token: ""},
                     {url: GOOD, token: 5}, {url: "http://evil.example:8888", token: "T"},
                     {url: "https://127.0.0.1:8888", token: "T"}]) {
    assert.equal(lc.claimed(bad), null, JSON.stringify(bad));
  }
});

test("the claim path is the one site/live.py answers on (CLAIM_PATH)", () => {
  const live = fs.readFileSync(path.join(__dirname, "..", "..", "site", "live.py"), "utf8");
  const found = [...live.matchAll(/^CLAIM_PATH = "([^"]+)"/gm)].map((m) => m[1]);
  assert.equal(found.length, 1, "site/live.py defines CLAIM_PATH once, as a string");
  assert.equal(lc.CLAIM, found[0]);
});

/* A tab's sessionStorage: a Map behind getItem/setItem. */
function storage(entries) {
  const m = new Map(Object.entries(entries || {}));
  return {map: m, getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v))};
}

test("what is kept where: the settings, as JSON, under one key of the tab's sessionStorage", () => {
  const ss = storage();
  const store = lc.storeOf({sessionStorage: ss});
  assert.deepEqual(store.get(), {});
  const s = {server: "local", url: GOOD, token: "T", tokenUrl: GOOD};
  store.set(s);
  assert.deepEqual([...ss.map.keys()], [lc.KEY]);
  assert.equal(lc.KEY, "cnn-livecode");
  assert.deepEqual(JSON.parse(ss.map.get(lc.KEY)), s);
  assert.deepEqual(store.get(), s);
  ss.map.set(lc.KEY, "{not json");
  assert.deepEqual(store.get(), {});
  // storage the browser refuses (the getter itself throws): nothing stored, nothing thrown
  const refusing = {get sessionStorage() { throw new Error("SecurityError"); }};
  assert.deepEqual(lc.storeOf(refusing).get(), {});
  assert.doesNotThrow(() => lc.storeOf(refusing).set(s));
  const full = {sessionStorage: {getItem: () => null, setItem: () => { throw new Error("QuotaExceeded"); }}};
  assert.doesNotThrow(() => lc.storeOf(full).set(s));
});

test("the one-time code is posted to the page's own origin only, without credentials", () => {
  const page = "http://127.0.0.1:8000/chapters/01.html?livecode=local#url=http://127.0.0.1:8888&code=C";
  const req = lc.claimRequest(page, "CODE");
  assert.equal(req.url, "http://127.0.0.1:8000" + lc.CLAIM);
  assert.deepEqual(req.init, {method: "POST", body: "CODE", cache: "no-store", credentials: "omit",
                              headers: {"Content-Type": "text/plain"}});
  assert.equal(lc.claimRequest("http://localhost:9/a/b/c.html", "X").url, "http://localhost:9" + lc.CLAIM);
});

/* A fetch answering `status` with `body` (undefined: not JSON), recording its calls. */
function answering(status, body) {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({url, init});
    return Promise.resolve({ok: status >= 200 && status < 300, status,
                            json: () => (body === undefined ? Promise.reject(new SyntaxError("not JSON"))
                                                            : Promise.resolve(body))});
  };
  return {fetch, calls};
}

const PAGE = "http://127.0.0.1:8000/chapters/01.html?livecode=local";
const CODE = "AbC_d-0123456789abcdef0123456789";
// live.py's answers (site/live.py, Handover.claim)
const SPENT = {error: "it is spent or unknown (a link of live.py works once)"};
const FOREIGN_PAGE = {error: "claims are accepted only from the site's own pages"};

test("the handover: a claimed code gives the token bound to the server named with it", async () => {
  const f = answering(200, {url: "http://127.0.0.1:9999", token: "T"});
  const h = await lc.claimToken(f.fetch, PAGE, CODE);
  assert.deepEqual(h, {state: "claimed", settings: {server: "local", url: "http://127.0.0.1:9999",
                                                    token: "T", tokenUrl: "http://127.0.0.1:9999"}});
  assert.equal(f.calls.length, 1);
  assert.equal(f.calls[0].init.body, CODE);
});

test("the handover fails, and says why: spent, foreign page, foreign server, no server", async () => {
  const cases = [
    [answering(410, SPENT).fetch, "it is spent or unknown (a link of live.py works once)"],
    [answering(403, FOREIGN_PAGE).fetch, "claims are accepted only from the site's own pages"],
    // an answer naming a server that is not local: its token is not taken
    [answering(200, {url: "http://evil.example:8888", token: "STOLEN"}).fetch, "HTTP 200"],
    [answering(200, {url: GOOD}).fetch, "HTTP 200"],
    [answering(500, undefined).fetch, "HTTP 500"],
    [answering(404, {}).fetch, "HTTP 404"],
    [() => Promise.reject(new TypeError("Failed to fetch")), "Failed to fetch"],
    [() => { throw new TypeError("Illegal invocation"); }, null],  // thrown at once: a bug, not a failure
  ];
  for (const [fetch, why] of cases) {
    if (why === null) {
      assert.throws(() => lc.claimToken(fetch, PAGE, CODE), /Illegal invocation/);
      continue;
    }
    const h = await lc.claimToken(fetch, PAGE, CODE);
    assert.equal(h.state, "failed", why);
    assert.equal(h.settings, undefined, why);
    assert.equal(h.problem, "This link's one-time code gave no token: " + why + ".");
    assert.doesNotMatch(JSON.stringify(h), /STOLEN/);
  }
  const long = await lc.claimToken(answering(410, {error: "x".repeat(500)}).fetch, PAGE, CODE);
  assert.equal(long.problem, "This link's one-time code gave no token: " + "x".repeat(160) + ".");
});

test("before a local kernel: refused, or a token bound to the server, or ask for one once", () => {
  const asked = [];
  const ask = (answer) => (q) => { asked.push(q); return answer; };
  const withToken = {server: "local", url: GOOD, token: "T", tokenUrl: GOOD};
  const none = {server: "local", url: GOOD, token: "", tokenUrl: ""};
  // a refused link: no prompt, whatever is stored
  let g = lc.launchGate("refused the server address ...", withToken, "", ask("typed"));
  assert.deepEqual(g, {step: "refused", detail: "refused the server address ...", settings: withToken, asked: false});
  assert.deepEqual(asked, []);
  // a token bound to the server: no prompt
  g = lc.launchGate(null, withToken, "", ask("typed"));
  assert.equal(g.step, "starting");
  assert.equal(g.settings, withToken);
  assert.deepEqual(asked, []);
  // a token bound elsewhere counts as none: the prompt names the server it is for
  g = lc.launchGate(null, {server: "local", url: GOOD, token: "T", tokenUrl: "http://localhost:1"}, "", ask("  typed \n"));
  assert.deepEqual(asked, ["Token of the local Jupyter server at " + GOOD + " (printed by `make live`):"]);
  assert.deepEqual(g, {step: "starting", detail: undefined, asked: true,
                       settings: {server: "local", url: GOOD, token: "typed", tokenUrl: GOOD}});
  // dismissed or blank: no token, and why the handover failed comes first in the question
  for (const answer of [null, "", "   "]) {
    asked.length = 0;
    g = lc.launchGate(null, none, "This link's one-time code gave no token: spent.", ask(answer));
    assert.deepEqual(g, {step: "no-token", detail: GOOD, asked: true, settings: none});
    assert.deepEqual(asked, ["This link's one-time code gave no token: spent. Token of the local " +
                             "Jupyter server at " + GOOD + " (printed by `make live`):"]);
  }
  // Binder takes no token (and a refused #url= is about local servers only)
  asked.length = 0;
  g = lc.launchGate("refused ...", {server: "binder", url: GOOD, token: "", tokenUrl: ""}, "", ask("x"));
  assert.equal(g.step, "starting");
  assert.deepEqual(asked, []);
});

test("each step of a launch: <html data-livecode-status>, the button's text, the line", () => {
  const where = lc.whereOf({server: "local", url: GOOD});
  assert.equal(where, "local server " + GOOD);
  assert.equal(lc.whereOf({server: "binder", url: GOOD}), "Binder");
  const table = [
    [["loading"], {text: "Loading Thebe…"}],
    [["refused", where, "refused the server address \"x\""],
     {status: "refused", text: "Live code: refused the server address \"x\""}],
    [["no-token", where, GOOD],
     {status: "no-token", text: "Live code needs the token of the local Jupyter server at " + GOOD}],
    [["starting", where], {text: "Starting a kernel on local server " + GOOD + "…"}],
    [["kernel", "Binder", "building"], {status: "building", text: "Live code (Binder): building"}],
    [["ready", where], {status: "ready", text: "Live code ready (local server " + GOOD + ")"}],
    [["unreachable", where, new Error("Server\n  not   reachable")],
     {status: "failed", text: null, line: "Live code could not reach a kernel on local server " + GOOD +
                                          " (Server not reachable); the page is as it was."}],
    [["unreachable", "Binder", "x".repeat(400)],
     {status: "failed", text: null, line: "Live code could not reach a kernel on Binder (" + "x".repeat(160) +
                                          "); the page is as it was."}],
    [["no-thebe"], {status: "failed", text: null, line: "Live code could not load Thebe; the page is as it was."}],
  ];
  for (const [args, want] of table) assert.deepEqual(lc.view(...args), want, args[0]);
  assert.throws(() => lc.view("nonsense"), /no step nonsense/);
});

test("Thebe's options: a local server with its bound token and no Binder, or Binder with no token", () => {
  const cfg = {path: "chapters/01.ipynb", repo: "o/r", ref: "main", binderUrl: "https://mybinder.org"};
  const local = lc.thebeOptions(cfg, {server: "local", url: GOOD, token: "T", tokenUrl: GOOD});
  assert.deepEqual(local, {...cells.THEBE, requestKernel: true, mathjaxUrl: "", useBinder: false,
                           kernelOptions: {kernelName: "python3", name: "python3", path: "chapters/01.ipynb"},
                           serverSettings: {baseUrl: GOOD, wsUrl: "ws://127.0.0.1:8888", token: "T", appendToken: true}});
  const binder = lc.thebeOptions(cfg, {server: "binder", url: GOOD, token: "T", tokenUrl: GOOD});
  assert.equal(binder.useBinder, true);
  assert.equal(binder.serverSettings, undefined);
  assert.deepEqual(binder.binderOptions, {repo: "o/r", ref: "main", binderUrl: "https://mybinder.org", repoProvider: "github"});
  assert.doesNotMatch(JSON.stringify(binder), /"T"/);
});

test("only Thebe's require.js request from cdnjs goes to the shipped copy", () => {
  const cfg = {static: "../_static/"};
  const page = "http://127.0.0.1:8000/chapters/01.html";
  const shipped = "http://127.0.0.1:8000/_static/vendor/requirejs/require.js";
  const cdn = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js";
  assert.equal(lc.shippedCopy(cfg, page, cdn), shipped);
  assert.equal(lc.shippedCopy(cfg, page, {url: cdn}), shipped);
  for (const other of ["https://cdnjs.cloudflare.com/ajax/libs/jquery/3/jquery.js", GOOD + "/api/kernels",
                       "https://evil.example/?https://cdnjs.cloudflare.com/ajax/libs/require.js/",
                       null, undefined, {}]) {
    assert.equal(lc.shippedCopy(cfg, page, other), null, String(other));
  }
});

/* ---- install on a fake window: the wiring, as the browser tests see it ---- */

function element(tag) {
  const attrs = new Map();
  const el = {
    tagName: tag, attrs, listeners: {}, children: [],
    setAttribute(k, v) { attrs.set(k, String(v)); },
    getAttribute(k) { return attrs.has(k) ? attrs.get(k) : null; },
    hasAttribute(k) { return attrs.has(k); },
    removeAttribute(k) { attrs.delete(k); },
    addEventListener(type, f) { (el.listeners[type] = el.listeners[type] || []).push(f); },
    appendChild(c) { el.children.push(c); return c; },
    insertBefore(c, ref) { el.children.splice(ref ? el.children.indexOf(ref) : el.children.length, 0, c); return c; },
    get firstChild() { return el.children[0] || null; },
  };
  return el;
}

/* The launch button: textContent replaces its markup, as in a browser. */
function launchButton() {
  const b = element("button");
  b.innerHTML = "<span class=\"btn__icon-container\"></span><span>Live Code</span>";
  Object.defineProperty(b, "textContent", {get: () => b.innerHTML, set: (t) => { b.innerHTML = t; }});
  return b;
}

/* Thebe: bootstrap() resolves, or rejects with `fails`, or (`fails` "held") waits for
 * finish(error); emit(status) plays a status event. */
function fakeThebe(fails) {
  const t = {options: null, handlers: [],
             on(ev, f) { t.handlers.push([ev, f]); },
             bootstrap(o) {
               t.options = o;
               if (fails === "held") return new Promise((ok, no) => { t.finish = (e) => (e ? no(e) : ok()); });
               return fails ? Promise.reject(fails) : Promise.resolve();
             },
             emit(status) { t.handlers.forEach(([ev, f]) => ev === "status" && f({}, {status})); }};
  return t;
}

/* A page of the site at `href`: its window, with what the page did recorded in `log`. */
function page(href, {cfg, stored, fetch, answer, thebe} = {}) {
  const u = new URL(href);
  const ss = storage(stored ? {[lc.KEY]: JSON.stringify(stored)} : {});
  const root = element("html"), head = element("head"), article = element("article");
  const button = launchButton();
  const log = {warnings: [], prompts: [], replaced: [], fetched: []};
  const document = {
    documentElement: root, head, body: element("body"),
    querySelector: (sel) => ({".thebe-launch-button": button, "article.bd-article": article})[sel] || null,
    querySelectorAll: () => [],
    getElementById: (id) => article.children.find((c) => c.id === id) || null,
    createElement: element,
  };
  const window = {
    document, CNN_LIVECODE: {server: "binder", localUrl: GOOD, static: "../_static/", path: "chapters/01.ipynb", ...cfg},
    location: {href: u.href, search: u.search, hash: u.hash, pathname: u.pathname},
    history: {replaceState(state, title, url) { log.replaced.push(url); }},
    sessionStorage: ss,
    console: {warn: (...a) => log.warnings.push(a.map(String).join(" "))},
    fetch(url, init) {  // a browser's fetch throws unless called on its window
      assert.equal(this, window, "fetch called without its window");
      log.fetched.push(url);
      return (fetch || answering(404, {}).fetch)(url, init);
    },
    prompt(q) {
      assert.equal(this, window, "prompt called without its window");
      log.prompts.push(q);
      return answer === undefined ? null : answer;
    },
    thebe,
  };
  lc.install(window);
  const state = () => ({status: root.getAttribute("data-livecode-status"),
                        handover: root.getAttribute("data-livecode-handover"),
                        server: root.getAttribute("data-livecode-server"),
                        button: button.innerHTML,
                        line: (article.children.find((c) => c.id === "cnn-livecode-message") || {}).textContent,
                        lines: article.children.filter((c) => c.id === "cnn-livecode-message").length,
                        stored: JSON.parse(ss.map.get(lc.KEY) || "null")});
  return {window, log, state, head, launch: () => window.initThebe()};
}

const settle = () => new Promise((r) => setImmediate(r));
const THEME_BUTTON = launchButton().innerHTML;
const SITE = "http://127.0.0.1:8000/chapters/01.html";

test("install: a link with a token leaves the address bar, is stored bound, and reaches its server", async () => {
  const thebe = fakeThebe("held");
  const p = page(SITE + "?livecode=local#url=http://127.0.0.1:9999&token=T", {thebe});
  assert.deepEqual(p.log.replaced, ["/chapters/01.html?livecode=local"]);
  assert.deepEqual(p.state().stored, {server: "local", url: "http://127.0.0.1:9999", token: "T",
                                      tokenUrl: "http://127.0.0.1:9999"});
  assert.equal(p.state().handover, null);  // no code, no handover
  p.launch();
  await settle();
  assert.equal(p.state().button, "Starting a kernel on local server http://127.0.0.1:9999…");
  assert.equal(p.state().server, "local");
  thebe.emit("starting");
  assert.equal(p.state().status, "starting");
  assert.equal(p.state().button, "Live code (local server http://127.0.0.1:9999): starting");
  p.launch();  // pressed again while starting: nothing more
  thebe.finish();
  await settle();
  assert.equal(p.state().status, "ready");
  assert.equal(p.state().button, "Live code ready (local server http://127.0.0.1:9999)");
  assert.equal(thebe.options.serverSettings.token, "T");
  assert.equal(thebe.options.serverSettings.baseUrl, "http://127.0.0.1:9999");
  assert.deepEqual(p.log.prompts, []);
  assert.deepEqual(p.log.fetched, []);
  p.launch();  // started: a second press does nothing
  await settle();
  assert.equal(thebe.handlers.length, 1);
});

test("install: a one-time code is claimed at once, stored bound, and Live Code starts without asking", async () => {
  const claim = answering(200, {url: GOOD, token: "FROM-LIVE"});
  const thebe = fakeThebe();
  const p = page(SITE + "?livecode=local#url=" + GOOD + "&code=" + CODE, {fetch: claim.fetch, thebe});
  assert.equal(p.state().handover, "pending");
  assert.deepEqual(p.log.replaced, ["/chapters/01.html?livecode=local"]);
  assert.equal(p.state().stored.token, "");  // nothing stored until the claim answers
  assert.deepEqual(p.log.fetched, ["http://127.0.0.1:8000" + lc.CLAIM]);
  p.launch();  // pressed before the answer came: waits for it
  await settle();
  assert.equal(p.state().handover, "claimed");
  assert.deepEqual(p.state().stored, {server: "local", url: GOOD, token: "FROM-LIVE", tokenUrl: GOOD});
  assert.equal(p.state().status, "ready");
  assert.equal(thebe.options.serverSettings.token, "FROM-LIVE");
  assert.deepEqual(p.log.prompts, []);
  assert.equal(claim.calls.length, 1);
});

test("install: a spent code fails the handover, and the prompt says why and names the server", async () => {
  const thebe = fakeThebe();
  const stored = {server: "local", url: GOOD, token: "OLD", tokenUrl: GOOD};
  const p = page(SITE + "?livecode=local#url=" + GOOD + "&code=" + CODE,
                 {stored, fetch: answering(410, SPENT).fetch, thebe});
  await settle();
  assert.equal(p.state().handover, "failed");
  assert.equal(p.state().stored.token, "");  // the old token is not kept for a new link
  assert.match(p.log.warnings.join("\n"), /one-time code gave no token: it is spent/);
  p.launch();
  await settle();
  assert.equal(p.log.prompts.length, 1);
  assert.match(p.log.prompts[0], /^This link's one-time code gave no token: it is spent or unknown/);
  assert.ok(p.log.prompts[0].includes(GOOD));
  assert.equal(p.state().status, "no-token");
  assert.equal(p.state().button, "Live code needs the token of the local Jupyter server at " + GOOD);
  assert.equal(thebe.options, null);
});

test("install: a typed token is stored bound to the server the prompt named", async () => {
  const thebe = fakeThebe();
  const p = page(SITE + "?livecode=local#url=http://localhost:7777", {answer: " typed ", thebe});
  p.launch();
  await settle();
  assert.equal(p.log.prompts.length, 1);
  assert.ok(p.log.prompts[0].startsWith("Token of the local Jupyter server at http://localhost:7777"));
  assert.deepEqual(p.state().stored, {server: "local", url: "http://localhost:7777", token: "typed",
                                      tokenUrl: "http://localhost:7777"});
  assert.equal(p.state().status, "ready");
  assert.equal(thebe.options.serverSettings.token, "typed");
});

test("install: a refused server is never contacted; the button says why", async () => {
  const thebe = fakeThebe();
  const stored = {server: "local", url: GOOD, token: "SECRET", tokenUrl: GOOD};
  const p = page(SITE + "?livecode=local#url=http://evil.example:8888&token=T2", {stored, thebe});
  assert.match(p.log.warnings.join("\n"), /livecode: refused the server address/);
  p.launch();
  await settle();
  assert.equal(p.state().status, "refused");
  assert.match(p.state().button, /^Live code: refused the server address "http:\/\/evil\.example:8888"/);
  assert.equal(thebe.options, null);
  assert.deepEqual(p.log.prompts, []);
  assert.deepEqual(p.log.fetched, []);
  assert.doesNotMatch(JSON.stringify(p.state().stored), /SECRET|T2|evil/);
});

test("install: an unreachable kernel puts the page back, says why in one line, and allows a retry", async () => {
  const thebe = fakeThebe("held");
  const p = page(SITE + "?livecode=binder", {thebe});
  p.launch();
  await settle();
  assert.equal(p.state().server, "binder");
  thebe.finish(new Error("Lost connection to binder"));
  await settle();
  const s = p.state();
  assert.equal(s.status, "failed");
  assert.equal(s.line, "Live code could not reach a kernel on Binder (Lost connection to binder); the page is as it was.");
  assert.equal(s.button, THEME_BUTTON);  // the button as the theme drew it
  assert.equal(s.server, null);  // may be pressed again
  assert.equal(thebe.options.useBinder, true);
  assert.deepEqual(p.log.prompts, []);
  p.launch();
  await settle();
  assert.equal(thebe.handlers.length, 2);
  thebe.finish(new Error("Lost connection to binder"));
  await settle();
  assert.equal(p.state().line, s.line);
  assert.equal(p.state().lines, 1);  // still one line
});

test("install: Thebe is loaded from the shipped copy; if it does not load, the page says so", () => {
  const p = page(SITE + "?livecode=binder");
  p.launch();
  assert.equal(p.state().button, "Loading Thebe…");
  const [css, js] = p.head.children;
  assert.equal(css.href, "http://127.0.0.1:8000/_static/vendor/thebe/thebe.css");
  assert.equal(js.src, "http://127.0.0.1:8000/_static/vendor/thebe/index.js");
  js.listeners.error.forEach((f) => f());
  assert.equal(p.state().status, "failed");
  assert.equal(p.state().line, "Live code could not load Thebe; the page is as it was.");
  assert.equal(p.state().button, THEME_BUTTON);
});

test("install: Thebe's require.js request goes to the shipped copy, every other request as it was", async () => {
  const p = page(SITE);
  await p.window.fetch("https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js");
  await p.window.fetch(GOOD + "/api/kernels");
  assert.deepEqual(p.log.fetched, ["http://127.0.0.1:8000/_static/vendor/requirejs/require.js", GOOD + "/api/kernels"]);
});

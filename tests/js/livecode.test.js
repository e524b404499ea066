// site/static/livecode.js: which server live code may connect to and which token goes with it.
// Cases computed in this file; the browser side is
// tests/test_livecode_security.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const lc = require("../../site/static/livecode.js");

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
  assert.equal(lc.CLAIM, "/_livecode/claim");
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

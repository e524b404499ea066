/* book.js's mounting on a page that loads it as a file (the website, site/offline.py): every
   control starts once the document is parsed, its kind's script has run and its data files
   have arrived, in whichever order those come, and only once. A small stand-in for the DOM;
   no fixtures (the cases are written here). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { ROOT } = require("./cases.js");

const BOOK = path.join(ROOT, "helpers", "interactive", "static", "book.js");

function freshBook() {  // each test its own book.js (its registry of kinds and files)
  delete require.cache[require.resolve(BOOK)];
  return require(BOOK);
}

function element(attrs) {
  return {
    attrs: Object.assign({}, attrs),
    getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; },
    setAttribute(name, value) { this.attrs[name] = String(value); },
    querySelectorAll() { return []; },
  };
}

/* A document of `elements`, still "loading" until fire() runs its DOMContentLoaded listeners. */
function page(elements) {
  const listeners = [];
  return {
    readyState: "loading",
    addEventListener(type, fn) { if (type === "DOMContentLoaded") listeners.push(fn); },
    querySelectorAll(sel) {
      assert.equal(sel, "[data-cnn-kind]:not([data-cnn-mounted])");
      return elements.filter((el) => el.getAttribute("data-cnn-kind") && !el.getAttribute("data-cnn-mounted"));
    },
    fire() { this.readyState = "interactive"; listeners.forEach((fn) => fn()); },
  };
}

function recorder() {
  const calls = [];
  return { calls, init: (el, data) => calls.push([el.getAttribute("id"), data]) };
}

test("scripts first, then the parsed document: every control mounts once", () => {
  const book = freshBook();
  const a = element({ id: "a", "data-cnn-kind": "sweep", "data-cnn": '{"n":1}' });
  const b = element({ id: "b", "data-cnn-kind": "sweep", "data-cnn": '{"n":2}' });
  global.document = page([a, b]);
  const r = recorder();
  book.autoMount();
  book.define("sweep", r.init);
  assert.deepEqual(r.calls, []);                 // not before the document is parsed
  global.document.fire();
  assert.deepEqual(r.calls, [["a", { n: 1 }], ["b", { n: 2 }]]);
  book.autoMount();
  book.define("sweep", r.init);
  assert.equal(r.calls.length, 2);               // never twice
  assert.equal(a.getAttribute("data-cnn-mounted"), "1");
});

test("a kind or a data file arriving after the document mounts its controls then", () => {
  const book = freshBook();
  const net = { layers: [1, 2] };
  const x = element({ id: "x", "data-cnn-kind": "explorer", "data-cnn": '{"digits":[7]}',
                      "data-cnn-files": "net=digitnet-weights.json" });
  const y = element({ id: "y", "data-cnn-kind": "softmax", "data-cnn": "{}" });
  global.document = page([x, y]);
  global.document.fire();
  book.autoMount();                              // loaded after the document: ready at once
  const r = recorder();
  book.define("explorer", r.init);
  assert.deepEqual(r.calls, []);                 // its data file is not there yet
  book.file("digitnet-weights.json", net);
  assert.deepEqual(r.calls, [["x", { digits: [7], net }]]);
  assert.equal(y.getAttribute("data-cnn-mounted"), null);   // its script never came
  book.define("softmax", r.init);
  assert.deepEqual(r.calls[1], ["y", {}]);
});

test("an output that mounts its own element does not mount the rest of the page", () => {
  const book = freshBook();                      // a notebook output's copy: no autoMount
  const own = element({ id: "own", "data-cnn-kind": "calc", "data-cnn": "{}" });
  const other = element({ id: "other", "data-cnn-kind": "calc", "data-cnn": "{}" });
  global.document = page([own, other]);
  global.document.fire();
  const r = recorder();
  book.define("calc", r.init);
  book.mount(own);
  assert.deepEqual(r.calls, [["own", {}]]);
  assert.equal(other.getAttribute("data-cnn-mounted"), null);
});

/* softmax.js against helpers/interactive/softmax.py: the line the control writes (softmax
   probabilities, cross-entropy, sigmoids, each to 3 decimals) is identical to Python's
   softmax_text on the table of cases tests/js/py_cases.py computes. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const softmax = pageModule("softmax.js");
const py = pyCases("softmax");

test("the control's line is Python's softmax_text", () => {
  assert.ok(py.cases.length >= 20);
  for (const c of py.cases) assert.equal(softmax.text(c.z, c.y), c.text, `z=${c.z} y=${c.y}`);
});

test("probabilities sum to 1 and survive large scores", () => {
  const p = softmax.softmax([1000, 0, -3]);
  assert.ok(p.every(Number.isFinite));
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test("a box that holds no number is named, never read as 0", () => {
  assert.deepEqual(softmax.readScores(["2", " -1.5 ", "1e3"]), { z: [2, -1.5, 1000] });
  for (const [values, bad] of [[["", "1", "2"], 0], [["1", "abc", "2"], 1], [["1", "2", "1e400"], 2], [["1", " ", "2"], 1]]) {
    const r = softmax.readScores(values);
    assert.equal(r.bad, bad, JSON.stringify(values));
    assert.equal(r.z, undefined);
    assert.match(r.problem, new RegExp(`^score of class ${bad}: type a number`));
  }
});

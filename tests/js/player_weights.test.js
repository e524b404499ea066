/* player.js's editable sweep and filter bank against helpers/sweep.py: for kernels a reader
   may type, the written-out sums and the output values the page computes are exactly the text
   Python's SweepFrames and fmt_number give (cases from tests/js/py_cases.py weights). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const player = pageModule("player.js");
const py = pyCases("weights");

test("numbers are written as Python writes them (ties to even)", () => {
  for (const [v, d, want] of py.numbers) assert.equal(player.fmtNumber(v, d), want, `${v} at ${d}`);
});

test("typed weights give Python's sums and output", () => {
  assert.ok(py.cases.length >= 7);
  for (const c of py.cases) {
    const res = player.recompute(c.data, c.kernel);
    assert.deepEqual(res.arith, c.arith, JSON.stringify(c.kernel));
    assert.deepEqual(res.out.map((row) => row.map((v) => player.fmtNumber(v, 2))), c.out);
  }
});

test("an empty weight box keeps the weight's last value and says so, naming the box", () => {
  const last = [[1, 0.3]];
  const same = player.readWeights([[0, 0, "2"], [0, 1, "-0.5"]], last, 2);
  assert.deepEqual(same, { k: [[2, -0.5]], kept: [], note: "" });
  const emptied = player.readWeights([[0, 0, "2"], [0, 1, ""]], last, 2);
  assert.deepEqual(emptied.k, [[2, 0.3]]);  // never the default kernel's weight in the emptied box's place silently
  assert.deepEqual(emptied.kept, [[0, 1]]);
  assert.equal(emptied.note, "w[0, 1] holds no number: the sweep keeps its last value, 0.3. Type a number to change it.");
  // the value kept is the last one the reader typed, not the chapter's
  const typed = player.readWeights([[0, 0, "2"], [0, 1, "1.125"]], last, 2).k;
  assert.deepEqual(player.readWeights([[0, 0, ""], [0, 1, ""]], typed, 2).k, [[2, 1.125]]);
  assert.match(player.readWeights([[0, 0, ""], [0, 1, ""]], typed, 2).note, /w\[0, 0\].*2\. w\[0, 1\].*1\.12\./);
  for (const text of ["1e400", "-", "abc", "0x10", " "]) {
    assert.deepEqual(player.readWeights([[0, 0, text], [0, 1, "1"]], last, 2).k, [[1, 1]], text);
  }
  for (const [text, v] of [["1e-3", 0.001], [".5", 0.5], ["+2", 2], ["-0", -0], ["3.", 3]]) {
    assert.equal(player.readWeights([[0, 0, text]], [[9]], 2).k[0][0], v, text);
  }
});

test("a filter bank's typed weights give Python's sums and output, filter by filter", () => {
  assert.ok(py.banks.length >= 3);
  for (const c of py.banks) {
    assert.equal(c.data.ks.length, c.kernels.length);
    c.kernels.forEach((k, f) => {
      const res = player.recompute(c.data, k);
      assert.deepEqual(res.arith, c.arith[f], JSON.stringify(k));
      assert.deepEqual(res.out.map((row) => row.map((v) => player.fmtNumber(v, c.data.dec))), c.out[f]);
    });
    // the page starts from the player's own kernels: its first sums are the frames' sums
    c.data.ks.forEach((k, f) => {
      assert.deepEqual(player.recompute(c.data, k).arith, c.data.frames.map((fr) => fr[2 + f]));
    });
  }
});

test("an empty box of a filter bank keeps its filter's weight and names the filter", () => {
  const last = [[[1, 0.3]], [[0.1, 5]]], names = ["(1, 0.3)", "(0.1, 5)"];
  const typed = [[0, 0, 0, "2"], [0, 0, 1, "-1"], [1, 0, 0, "0.5"], [1, 0, 1, "3"]];
  assert.deepEqual(player.readBank(typed, last, 2, names), { ks: [[[2, -1]], [[0.5, 3]]], kept: [], note: "" });
  const emptied = player.readBank([[0, 0, 0, "2"], [0, 0, 1, ""], [1, 0, 0, "abc"], [1, 0, 1, "3"]], last, 2, names);
  assert.deepEqual(emptied.ks, [[[2, 0.3]], [[0.1, 3]]]);
  assert.deepEqual(emptied.kept, [[0, 0, 1], [1, 0, 0]]);
  assert.equal(emptied.note,
    "(1, 0.3): w[0, 1] holds no number: the filter keeps its last value, 0.3. " +
    "(0.1, 5): w[0, 0] holds no number: the filter keeps its last value, 0.1. Type a number to change it.");
  assert.deepEqual(last, [[[1, 0.3]], [[0.1, 5]]]);  // the kernels given are left as they were
});

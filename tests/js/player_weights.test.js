/* player.js's editable sweep against helpers/sweep.py: for kernels a reader may type, the
   written-out sums and the output values the page computes are exactly the text Python's
   SweepFrames and fmt_number give (cases from tests/js/py_cases.py weights). */
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

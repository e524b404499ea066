/* calc.js against helpers/interactive/calculator.py: sizes and acceptance rules, the results
   table, the padded grid (or the error, or the note for a grid too wide to draw) of every
   convention, the volume sentence and how a number box is read, on the table of cases
   tests/js/py_cases.py computes with Python. Identical text, not "close". */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const calc = pageModule("calc.js");
const py = pyCases("calc");

test("the table of cases covers every convention's errors", () => {
  const errors = new Set();
  py.cases.forEach((c) => Object.values(c.sizes).forEach((r) => r.error && errors.add(r.error)));
  assert.deepEqual([...errors].sort(), Object.values(py.messages).sort());
});

test("sizes: same outputs, paddings and refusals as Python", () => {
  for (const c of py.cases) {
    assert.deepEqual(calc.sizes(...c.args, py.messages), c.sizes, `sizes(${c.args})`);
  }
});

test("results table: identical HTML", () => {
  for (const c of py.cases) {
    assert.equal(calc.results(calc.sizes(...c.args, py.messages), py.labels), c.results, `${c.args}`);
  }
});

test("padded grid or error of every convention: identical HTML", () => {
  for (const c of py.cases) {
    const [n, k, s, , d] = c.args;
    const res = calc.sizes(...c.args, py.messages);
    for (const [conv, html] of Object.entries(c.grids)) {
      assert.equal(calc.gridOrError(res, n, k, s, d, conv), html, `${conv} ${c.args}`);
    }
  }
});

test("volume and its sentence: identical to Python", () => {
  for (const v of py.volumes) {
    assert.equal(calc.volumeText(...v.args), v.text, `${v.args}`);
    if (v.volume) assert.deepEqual(calc.volume(...v.args), v.volume, `${v.args}`);
  }
});

test("a real network's layer: the ResNet stem (224, 7, 2, 3) gives 112, as Python", () => {
  const c = py.cases.find((x) => x.args.join() === "224,7,2,3,1");
  assert.equal(c.sizes.symmetric.out, 112);
  assert.deepEqual(calc.sizes(...c.args, py.messages), c.sizes);
  assert.match(calc.gridOrError(calc.sizes(...c.args, py.messages), 224, 7, 2, 1, "symmetric"), /not drawn.*230 cells/);
});

test("the widest grid drawn is Python's", () => {
  assert.equal(calc.GRID_MAX, py.grid_max);
  const sides = py.cases.map((c) => c.args[0]);
  assert.ok(sides.some((n) => n <= py.grid_max) && sides.some((n) => n > py.grid_max));
});

test("number boxes: a whole number within the limits, else Python's message, never a clamped number", () => {
  assert.ok(py.typed.length >= 100);
  for (const t of py.typed) {
    const r = calc.readField(t.text, ...t.field);
    assert.deepEqual(r.error !== undefined ? r.error : r.value, t.reading, JSON.stringify(t));
  }
  assert.equal(calc.messageHtml("input size n: type a whole number from 1 to 4096 <&>"), py.message_html);
});

/* gallery.js against helpers/interactive/gallery.py, on the table of cases tests/js/py_cases.py
   computes with Python: the filtered photo (filters.apply's outputs, bit for bit, and the
   pixels shown) for the named kernels, asymmetric ones and the borders; the pooled photo
   (ops.pool2d's outputs, its size and the pixels shown) for every mode, window and stride;
   the descriptions; how a weight box and a window box are read. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const g = pageModule("gallery.js");
const py = pyCases("gallery");
const photos = Object.fromEntries(
  Object.entries(py.photos).map(([name, d]) => [name, { px: g.decodePixels(d.px), h: d.h, w: d.w }])
);

test("the photo's pixels arrive as Python wrote them", () => {
  const p = photos["one pixel"];
  assert.deepEqual([...p.px], [77]);
  assert.equal(photos["the cat corner"].px.length, py.photos["the cat corner"].h * py.photos["the cat corner"].w);
});

test("filtered photo: filters.apply's outputs bit for bit, the pixels and the text as Python's", () => {
  assert.ok(py.filtered.length >= 60);
  for (const c of py.filtered) {
    const p = photos[c.photo];
    const out = g.correlate(p.px, p.h, p.w, c.kernel);
    assert.deepEqual([...out], c.out, `${c.photo} ${c.texts}`);
    assert.deepEqual([...g.toUint8(out, c.kernel)], c.pixels, `${c.photo} ${c.texts}`);
    assert.equal(g.kernelText(c.photo, c.texts, c.kernel), c.text);
  }
});

test("cross-correlation, not convolution: a 1 in the top-right corner brings each pixel's up-right neighbour", () => {
  const p = photos["random pixels"];
  const shift = [0, 0, 1, 0, 0, 0, 0, 0, 0];
  const out = g.correlate(p.px, p.h, p.w, shift);
  for (let i = 0; i < p.h; i++) {
    for (let j = 0; j < p.w; j++) {
      const want = i === 0 || j === p.w - 1 ? 0 : p.px[(i - 1) * p.w + j + 1];  // zeros past the border
      assert.equal(out[i * p.w + j], want, `${i},${j}`);
    }
  }
  const c = py.filtered.find((x) => x.photo === "random pixels" && x.kernel.join() === shift.join());
  assert.deepEqual([...out], c.out);
});

test("the sum of the weights in numpy's order", () => {
  for (const [k, sum] of py.sums) assert.equal(g.kernelSum(k), sum, `${k}`);
});

test("np.round: halves to the even neighbour", () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, 254.5, 2.4999, 2.5001].map(g.roundHalfEven), [0, 2, 2, 0, 254, 2, 3]);
});

test("pooled photo: ops.pool2d's outputs, size and pixels and the text as Python's", () => {
  assert.ok(py.pooled.length >= 60);
  for (const c of py.pooled) {
    const p = photos[c.photo];
    const [mode, size, stride] = c.args;
    const res = g.pool(p.px, p.h, p.w, size, stride, mode);
    assert.deepEqual([res.h, res.w], c.shape, `${c.photo} ${c.args}`);
    assert.deepEqual([...res.out], c.out, `${c.photo} ${c.args}`);
    assert.deepEqual([...g.poolUint8(res.out, mode, size)], c.pixels, `${c.photo} ${c.args}`);
    assert.equal(g.poolText(c.photo, p.h, p.w, py.modes[mode], mode, size, stride), c.text);
  }
});

test("window and stride boxes: a whole number within the limits, else Python's message", () => {
  for (const t of py.typed) {
    const r = g.readWhole(t.text, 1, 16, "window size");
    assert.deepEqual(r.error !== undefined ? r.error : r.value, t.reading, JSON.stringify(t));
  }
});

test("weight boxes: a number within the limit, else what to type; never NaN", () => {
  const desc = "weight row 1, column 2";
  const message = `${desc}: type a number from -${py.limit} to ${py.limit}`;
  for (const [text, want] of [["0.5", 0.5], ["-1", -1], ["+2", 2], [".25", 0.25], ["1e3", 1000],
    ["-1000", -1000], ["0.1111111111111111", 1 / 9]]) {
    assert.deepEqual(g.readWeight(text, py.limit, desc), { value: want }, text);
  }
  for (const text of ["", " ", "abc", "1,5", "NaN", "Infinity", "1e400", "1000.5", "-2000", "0x10", "--1"]) {
    assert.deepEqual(g.readWeight(text, py.limit, desc), { error: message }, text);
  }
  for (const texts of py.presets) {  // a preset's box text is read back as its exact weight
    for (const t of texts) assert.equal(String(g.readWeight(t, py.limit, desc).value), t);
  }
});

// digitnet.js (the page's forward pass and preprocessing) against Keras and Python.
//
// Fixtures, committed so this runs with Node alone, written by scripts/export_digitnet.py and
// kept current by tests/test_digitnet.py (which recomputes them with Keras / Python):
//   helpers/interactive/static/digitnet-weights.json - the exported network (every epoch)
//   tests/js/fixtures/digitnet-keras.json.gz       - every held-out test digit + Keras' softmax
//   tests/js/fixtures/digitnet-preprocess.json.gz  - a table of inputs + Python's preprocessing
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..", "..");
const D = require(path.join(ROOT, "helpers", "interactive", "static", "digitnet.js"));
const net = JSON.parse(fs.readFileSync(path.join(ROOT, "helpers", "interactive", "static",
                                                 "digitnet-weights.json"), "utf8"));
const { pyCases } = require("./cases.js");
const gz = (name) => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "fixtures", name))));
const weights = D.decodeWeights(net);

test("forward pass equals Keras on every held-out test digit", () => {
  const fx = gz("digitnet-keras.json.gz");
  const pixels = Buffer.from(fx.pixels, "base64");
  assert.strictEqual(pixels.length, fx.labels.length * 784);
  assert.ok(fx.labels.length >= 500);
  let maxDiff = 0, agree = 0, correct = 0;
  for (let n = 0; n < fx.labels.length; n++) {
    const image = new Float64Array(784);
    for (let p = 0; p < 784; p++) image[p] = Math.fround(pixels[n * 784 + p] / 255); // Keras' float32 input
    const r = D.forward(net, weights, image);
    const keras = fx.probabilities[n];
    let kerasBest = 0;
    for (let c = 0; c < 10; c++) {
      maxDiff = Math.max(maxDiff, Math.abs(r.probabilities[c] - keras[c]));
      if (keras[c] > keras[kerasBest]) kerasBest = c;
    }
    agree += r.prediction === kerasBest;
    correct += r.prediction === fx.labels[n];
  }
  console.log(`digitnet.js vs Keras on ${fx.labels.length} test digits: max |delta p| = ` +
              `${maxDiff.toExponential(2)}, same digit for ${agree}, accuracy ${correct / fx.labels.length}`);
  assert.strictEqual(agree, fx.labels.length, "a different predicted digit");
  assert.ok(maxDiff <= 1e-5, `max |delta probability| ${maxDiff} > 1e-5`);
  assert.strictEqual(correct / fx.labels.length, net.training.test_accuracy);
});

test("every epoch decodes; epoch 0 is the random start, the last is the network", () => {
  assert.strictEqual(net.epochs.length, net.training.epochs + 1);
  const first = D.decodeWeights(net, 0);
  let total = 0;
  for (const t of net.tensors) total += first[t.name].length;
  assert.strictEqual(total, net.parameters);
  assert.ok(first["conv1/bias"].every((b) => b === 0), "Keras starts biases at 0");
  assert.notDeepStrictEqual(first["conv1/kernel"], weights["conv1/kernel"]);
});

test("float16 numbers decode exactly, subnormals and signs included", () => {
  const cases = [[0x0000, 0], [0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504],
                 [0x0001, Math.pow(2, -24)], [0x03ff, 1023 * Math.pow(2, -24)], [0x0400, Math.pow(2, -14)],
                 [0x7c00, Infinity], [0xfc00, -Infinity]];
  for (const [bits, value] of cases) assert.strictEqual(D.halfToFloat(bits), value, bits.toString(16));
  assert.ok(Object.is(D.halfToFloat(0x8000), -0) && Number.isNaN(D.halfToFloat(0x7e00)));
});

test("every epoch and the shipped digits decode to exactly what Python reads", () => {
  const py = pyCases("digitnet");
  assert.strictEqual(py.epochs.length, net.epochs.length);
  const dtypes = net.epochs.map((e) => e.dtype);
  assert.deepStrictEqual(dtypes, [...Array(net.epochs.length - 1).fill("float16"), "float32"]);
  py.epochs.forEach((expected, e) => {
    const js = D.decodeWeights(net, e);
    for (const t of net.tensors)
      assert.deepStrictEqual(Array.from(js[t.name]), expected[t.name], `epoch ${e} ${t.name}`);
  });
  assert.ok(py.digits.length >= 10);
  for (const d of py.digits) assert.deepStrictEqual(Array.from(D.unpackDigit(d.ink)), d.pixels);
  assert.throws(() => D.unpackDigit(py.digits[0].ink.slice(0, -8)), /packed digit/);
});

test("one cell explained: the sum of products + bias is the map's value, ReLU applied", () => {
  const fx = gz("digitnet-keras.json.gz");
  const px = Buffer.from(fx.pixels, "base64").subarray(0, 784);
  const r = D.forward(net, weights, Float64Array.from(px, (v) => v / 255));
  for (const [name, i, j, f] of [["relu1", 12, 7, 3], ["relu2", 5, 4, 11], ["relu1", 0, 0, 0]]) {
    const e = D.explainCell(net, weights, r, name, i, j, f);
    assert.ok(Math.abs(e.sum + e.bias - e.pre) < 1e-12, `${name} sum + bias = pre`);
    assert.strictEqual(e.relu, Math.max(0, e.pre));
    assert.strictEqual(e.value, e.relu);
    assert.strictEqual(e.window.length, e.channels);
  }
  const p = D.explainCell(net, weights, r, "pool2", 2, 3, 5);
  assert.strictEqual(p.max, p.value);
  assert.deepStrictEqual([p.top, p.left, p.window[0].length], [4, 6, 2]);
  assert.throws(() => D.explainCell(net, weights, r, "relu1", 26, 0, 0), /outside/);
});

test("receptive fields grow 3, 4, 8, 10 by r_out = r_in + (k - 1) * j_in", () => {
  const sizes = ["relu1", "pool1", "relu2", "pool2"].map((n) => D.receptiveField(net, n, 0, 0).size);
  assert.deepStrictEqual(sizes, [3, 4, 8, 10]);
  const f = D.receptiveField(net, "relu2", 3, 2);
  assert.deepStrictEqual([f.top, f.left, f.size, f.jump], [6, 4, 8, 2]);
  for (const s of f.steps) assert.strictEqual(s.r, s.r_in + (s.k - 1) * s.j_in);
});

test("preprocessing agrees with Python on a table of inputs", () => {
  const fx = gz("digitnet-preprocess.json.gz");
  assert.deepStrictEqual(fx.settings, net.preprocessing, "one set of settings");
  assert.ok(fx.cases.length >= 10);
  let maxDiff = 0;
  for (const c of fx.cases) {
    const [h, w] = c.shape;
    const px = new Uint8Array(Buffer.from(c.pixels, "base64"));
    const gray = c.kind === "rgba" ? D.luminance(px, w, h) : Float64Array.from(px);
    const js = D.preprocess(gray, w, h, net.preprocessing);
    if (c.python === null) { assert.strictEqual(js, null, c.name); continue; }
    assert.ok(js, `${c.name}: JavaScript found no ink`);
    assert.strictEqual(js.polarity, c.python.polarity, c.name);
    assert.deepStrictEqual(js.box, c.python.box, c.name);
    assert.deepStrictEqual(js.shift, c.python.shift, c.name);
    for (let p = 0; p < 784; p++) maxDiff = Math.max(maxDiff, Math.abs(js.image[p] - c.python.image[p]));
  }
  console.log(`preprocessing, ${fx.cases.length} inputs: max |JS - Python| = ${maxDiff.toExponential(2)} (0-255 scale)`);
  assert.ok(maxDiff <= 1e-9, `JS and Python differ by ${maxDiff}`);
});

test("a drawn vertical bar reads 1", () => {
  const g = new Float64Array(280 * 280).fill(255);
  for (let r = 40; r < 240; r++) for (let c = 130; c < 152; c++) g[r * 280 + c] = 0;
  const pre = D.preprocess(g, 280, 280, net.preprocessing);
  const r = D.forward(net, weights, pre.image.map((v) => v / 255));
  assert.strictEqual(r.prediction, 1);
});

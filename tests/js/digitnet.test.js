// digitnet.js (the page's forward pass and preprocessing) against Keras and Python.
//
// Fixtures, committed so this runs with Node alone, written by scripts/export_digitnet.py and
// kept current by tests/test_digitnet.py (which recomputes them with Keras / Python):
//   helpers/interactive/static/digitnet-weights.json - the exported network (every epoch)
//   tests/js/fixtures/digitnet-keras.json.gz       - every held-out test digit + Keras' softmax
//   tests/js/fixtures/digitnet-preprocess.json.gz  - a table of inputs + Python's preprocessing
// and, computed now by the Python of this tree (tests/js/py_cases.py digitnet-layers), another
// network than the book's (its own layer list, small random weights) with helpers.digitnet's
// NumPy forward pass on a few inputs: the page must run whatever layers the export lists.
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

test("another layer list: the forward pass, the maps' sources and the fields follow the export", () => {
  const py = pyCases("digitnet-layers");
  const other = py.net, w = D.decodeWeights(other);
  assert.deepStrictEqual(other.layers.map((L) => L.name), ["c", "p", "f", "out"]);
  let maxDiff = 0;
  for (const c of py.cases) {
    const r = D.forward(other, w, c.image);
    assert.deepStrictEqual(Object.keys(c.maps).sort(),
                           Object.keys(r.shapes).filter((n) => n !== "input").sort());
    for (const [name, values] of Object.entries(c.maps)) {
      assert.deepStrictEqual(r.shapes[name], c.shapes[name], name);
      assert.strictEqual(r[name].length, values.length, name);
      for (let p = 0; p < values.length; p++) maxDiff = Math.max(maxDiff, Math.abs(r[name][p] - values[p]));
    }
    assert.deepStrictEqual(D.shapes(other), r.shapes, "shapes without running the network");
    const last = other.layers[other.layers.length - 1].output;
    assert.strictEqual(r.probabilities, r[last]);
    assert.strictEqual(r.prediction, c.maps[last].indexOf(Math.max(...c.maps[last])));
  }
  assert.ok(maxDiff <= 1e-12, `JS and NumPy differ by ${maxDiff}`);

  // which map each conv/pool layer reads, and its receptive fields, as helpers.digitnet traces them
  const src = D.sources(other);
  assert.deepStrictEqual(Object.keys(src), ["c_relu", "p"]);
  assert.deepStrictEqual([src.c_relu.source, src.c_relu.layer.name, src.p.source], ["input", "c", "c_relu"]);
  const fields = ["c_relu", "p"].map((n) => D.receptiveField(other, n, 0, 0));
  assert.deepStrictEqual(fields.map((f) => [f.steps[f.steps.length - 1].layer, f.size, f.jump]), py.fields);
  const f = D.receptiveField(other, "p", 3, 1);
  assert.deepStrictEqual([f.top, f.left, f.size], [6, 2, 5]);
  assert.throws(() => D.receptiveField(other, "f", 0, 0), /unknown layer f/);

  // one cell of the strided conv and of the pool whose stride is not its size
  const r = D.forward(other, w, py.cases[0].image);
  const e = D.explainCell(other, w, r, "c_relu", 2, 3, 1);
  assert.deepStrictEqual([e.top, e.left, e.k, e.channels, e.source], [4, 6, 3, 2, "input"]);
  assert.ok(Math.abs(e.sum + e.bias - e.pre) < 1e-12 && e.pre === r.c[(2 * 5 + 3) * 3 + 1]);
  assert.strictEqual(e.value, Math.max(0, e.pre));
  const q = D.explainCell(other, w, r, "p", 1, 2, 0);
  assert.deepStrictEqual([q.top, q.left, q.k, q.max], [1, 2, 2, q.value]);
  assert.throws(() => D.explainCell(other, w, r, "relu1", 0, 0, 0), /must be c_relu, p/);
});

test("the committed export states every layer as the writer does; one without map names is refused", () => {
  const { book_layers: named } = pyCases("digitnet-layers");
  assert.deepStrictEqual(net.layers, named);
  const bare = Object.assign({}, net, { layers: named.map((L) => {
    const out = Object.assign({}, L);
    delete out.output;
    return out;
  }) });
  assert.throws(() => D.layerList(bare), /layer conv1: no stride or map names; re-export it/);
  const a = D.forward(net, weights, Float64Array.from({ length: 784 }, (_, p) => ((p * 37) % 101) / 100));
  assert.deepStrictEqual(Object.keys(a.shapes),
                         ["input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "logits", "probabilities"]);
  // what the explorer reads from it: the maps it draws, their shapes and the layers behind them
  assert.deepStrictEqual(D.shapes(net), a.shapes);
  assert.deepStrictEqual(["relu1", "pool1", "relu2", "pool2"].map((n) => D.shapes(net)[n]),
                         [[26, 26, 8], [13, 13, 8], [11, 11, 16], [5, 5, 16]]);
  const src = D.sources(net);
  assert.deepStrictEqual(Object.keys(src).map((n) => [n, src[n].source, src[n].layer.name]),
                         [["relu1", "input", "conv1"], ["pool1", "relu1", "pool1"], ["relu2", "pool1", "conv2"],
                          ["pool2", "relu2", "pool2"]]);
});

// cnntrain.js (the in-page training engine) against TensorFlow / Keras 3.
//
// Fixtures, committed so this runs with Node alone:
//   tests/js/fixtures/cnntrain-tf.json.gz - written by scripts/make_cnntrain_fixtures.py and
//     kept current by tests/test_cnntrain.py (which recomputes it with TensorFlow): for three
//     designs, fixed weights and two batches of training digits, Keras' loss and float64
//     gradients, three Keras optimiser steps, numpy's float16 rounding of a table of numbers;
//   benchmarks/results/experiments/cnntrain-seeds.json - written by benchmarks/experiments.py:
//     the short training's recipe and Keras' validation accuracy for it over ten seeds;
//   helpers/interactive/static/digitnet-weights.json - the chapter-16 export (its layer list).
// The digits come from data/mnist_5k.npz (tests/js/mnist5k.js reads it).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..", "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const T = require(path.join(STATIC, "cnntrain.js"));
const D = require(path.join(STATIC, "digitnet.js"));
const M = require("./mnist5k.js");

const fx = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "fixtures", "cnntrain-tf.json.gz"))));
const shipped = JSON.parse(fs.readFileSync(path.join(STATIC, "digitnet-weights.json"), "utf8"));
const seeds = JSON.parse(fs.readFileSync(path.join(ROOT, "benchmarks", "results", "experiments",
                                                   "cnntrain-seeds.json"), "utf8"));
const f64 = (text) => {
  const b = Buffer.from(text, "base64");
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};
// |a - b| relative to the larger of the two, with a floor for numbers that are zero in both
const relErr = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-8);
const pixels = Buffer.from(fx.pixels, "base64");
const images = Float64Array.from(pixels, (p) => p / 255);     // the fixture's float64 input
const labels = Int32Array.from(fx.labels);
const batchOf = (b) => {
  const first = b === "A" ? 0 : fx.batch;
  return [images.subarray(first * 784, (first + fx.batch) * 784), labels.subarray(first, first + fx.batch)];
};
function fixtureWeights(net, d) {
  assert.deepStrictEqual(net.tensors.map((t) => t.shape), d.tensors, d.name + ": tensors in Keras' order");
  const w = {};
  net.tensors.forEach((t, i) => { w[t.name] = f64(d.weights[i]); });
  return w;
}

test("loss and every gradient equal TensorFlow's (float64) for every design", () => {
  let worst = 0;
  for (const d of fx.designs) {
    const net = new T.Network(d.design);
    const w = fixtureWeights(net, d);
    for (const b of ["A", "B"]) {
      const [x, y] = batchOf(b);
      const res = net.batch(w, x, y, fx.batch);
      assert.ok(relErr(res.loss, d.loss[b]) <= 1e-12, `${d.name} batch ${b}: loss ${res.loss} vs ${d.loss[b]}`);
      net.tensors.forEach((t, i) => {
        const tf = f64(d.grads[b][i]), js = res.grads[t.name];
        let e = 0;
        for (let k = 0; k < tf.length; k++) e = Math.max(e, relErr(js[k], tf[k]));
        worst = Math.max(worst, e);
        assert.ok(e <= 1e-5, `${d.name} batch ${b} ${t.name}: max relative error ${e}`);
      });
    }
  }
  console.log(`cnntrain.js vs TensorFlow: gradient max relative error ${worst.toExponential(2)} ` +
              `(${fx.designs.length} designs, 2 batches of ${fx.batch})`);
});

test("the no-ReLU design really has tied maxima (the pooling gradient's tie rule is tested)", () => {
  const d = fx.designs.find((x) => !x.design[0].activation);
  const net = new T.Network(d.design), w = fixtureWeights(net, d);
  const r = D.forward(net.net, w, images.subarray(0, 784)), L = net.layers[0], map = r[L.output];
  const [H, W, C] = [24, 24, L.filters];
  let ties = 0;
  for (let i = 0; i < H; i += 2) for (let j = 0; j < W; j += 2) for (let c = 0; c < C; c++) {
    const v = [0, 1].flatMap((u) => [0, 1].map((q) => map[((i + u) * W + j + q) * C + c]));
    if (v.filter((a) => a === Math.max(...v)).length > 1) ties++;
  }
  assert.ok(ties > 50, `only ${ties} windows with tied maxima`);
  // the tie rule itself: the first largest value, rows first, as TensorFlow's MaxPoolGrad
  const dx = new Float64Array(4);
  T.maxpoolBackward(Float64Array.from([0, 2, 2, 2]), 2, 2, 1, Float64Array.from([1]), 2, 2, dx);
  assert.deepStrictEqual(Array.from(dx), [0, 1, 0, 0]);
});

test("SGD, SGD with momentum and Adam take Keras 3's steps", () => {
  const d = fx.designs.find((x) => x.steps);
  const net = new T.Network(d.design);
  const grads = {};
  for (const b of ["A", "B"]) {
    grads[b] = {};
    net.tensors.forEach((t, i) => { grads[b][t.name] = f64(d.grads[b][i]); });
  }
  const names = {SGD: "sgd", Adam: "adam"};
  for (const [opt, s] of Object.entries(d.steps)) {
    const w = fixtureWeights(net, d), start = fixtureWeights(net, d);
    const o = new T.Optimizer({name: names[s.settings.class], learningRate: s.settings.learning_rate,
                               momentum: s.settings.momentum}, net.tensors);
    for (const b of fx.step_batches) o.apply(w, grads[b]);
    let worst = 0, largest = 0;
    net.tensors.forEach((t, i) => {
      const keras = f64(s.delta[i]);
      for (let k = 0; k < keras.length; k++) {
        worst = Math.max(worst, Math.abs(w[t.name][k] - start[t.name][k] - keras[k]));
        largest = Math.max(largest, Math.abs(keras[k]));
      }
    });
    console.log(`${opt}: ${fx.step_batches.length} steps, max |JS - Keras| of the weights' change ` +
                `${worst.toExponential(2)} (largest change ${largest.toExponential(2)})`);
    assert.ok(largest > 1e-4, `${opt}: the steps changed nothing`);
    assert.ok(worst <= 1e-6 * largest, `${opt}: ${worst} > 1e-6 x ${largest}`);
  }
});

test("the chapter-16 design completes to the export's layer list, shapes and parameters", () => {
  const d = T.describe(seeds.recipe.design);
  assert.deepStrictEqual(d.rows, shipped.layers);
  assert.deepStrictEqual(d.tensors, shipped.tensors);
  assert.strictEqual(d.parameters, shipped.parameters);
  assert.deepStrictEqual(d.layers.map((L) => L.output), [[26, 26, 8], [13, 13, 8], [11, 11, 16], [5, 5, 16], [400], [10]]);
  assert.deepStrictEqual(d.layers.map((L) => L.params), [80, 0, 1168, 0, 0, 4010]);
});

test("a bad design gives one sentence naming the layer and the fix", () => {
  const conv = (kernel, filters = 4) => ({kind: "conv", filters, kernel, activation: "relu"});
  const end = [{kind: "flatten"}, {kind: "dense", units: 10, activation: "softmax"}];
  const pool = {kind: "maxpool"};
  const cases = [
    [[conv(5), pool, conv(5), pool, conv(5), ...end], /^layer 5 \(conv3\): its 5x5 kernel does not fit the 4x4x4 map/],
    [[conv(3), pool, conv(3), pool, conv(3), pool, pool, ...end], /^layer 7 \(pool4\): the 1x1x4 map .* smaller than its 2x2/],
    [[{kind: "conv2d", filters: 4, kernel: 3}, ...end], /^layer 1: unknown kind conv2d; use conv, maxpool, flatten or dense\.$/],
    [[conv(4), ...end], /^layer 1 \(conv1\): kernel must be 3 or 5, got 4\.$/],
    [[conv(3, 0), ...end], /^layer 1 \(conv1\): filters must be a whole number from 1 to 64, got 0\.$/],
    [[conv(3, 2.5), ...end], /filters must be a whole number/],
    [[{kind: "maxpool", size: 3}, ...end], /^layer 1 \(pool1\): pooling here is 2x2 with stride 2/],
    [[{kind: "conv", filters: 4, kernel: 3, stride: 2}, ...end], /^layer 1 \(conv1\): a conv layer here moves by 1 pixel/],
    [[conv(3), {kind: "dense", units: 10, activation: "softmax"}], /^layer 2 \(dense\) is a dense layer before any flatten/],
    [[conv(3), {kind: "flatten"}, {kind: "dense", units: 7, activation: "softmax"}], /^layer 3 \(dense\): the last layer must have 10 units/],
    [[conv(3), {kind: "flatten"}, {kind: "dense", units: 10}], /^layer 3 \(dense\): the last layer's activation must be softmax/],
    [[conv(3), {kind: "flatten"}, conv(3), end[1]], /^layer 3 \(conv2\) is a conv layer after the flatten/],
    [[conv(3), {kind: "flatten"}, {kind: "dense", units: 10, activation: "softmax"}, end[1]],
     /^layer 3 \(dense1\): a hidden dense layer's activation must be relu or none, got softmax\.$/],
    [[conv(3), {kind: "flatten"}], /^layer 2 \(flatten\) must be the dense softmax layer/],
    [[], /^design must be a non-empty list/],
  ];
  for (const [design, pattern] of cases) {
    assert.throws(() => T.normalise(design), (e) => {
      assert.match(e.message, pattern);
      assert.ok(/^[^\n]*\.$/.test(e.message) && e.message.split(". ").length === 1, "one sentence: " + e.message);
      return true;
    });
  }
});

test("a shift moves the image and leaves zeros behind", () => {
  const image = Float64Array.from({length: 16}, (_, i) => i + 1), out = new Float64Array(16);
  T.shiftImage(image, 4, 4, 1, 1, -2, out);                 // one row down, two columns left
  assert.deepStrictEqual(Array.from(out), [0, 0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0, 11, 12, 0, 0]);
  T.shiftImage(image, 4, 4, 1, -2, 1, out);
  assert.deepStrictEqual(Array.from(out), [0, 9, 10, 11, 0, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test("float16 rounding of the export equals numpy's", () => {
  const {values, bits} = fx.float16;
  values.forEach((v, i) => assert.strictEqual(T.floatToHalf(v), bits[i], `${v}`));
});

// the short training of benchmarks/experiments.py's cnntrain-seeds, on the engine
const data = M.load();
const recipe = seeds.recipe;
const trainRows = data.split.train.filter((row, n) => n % recipe.every === 0);
const shortTrain = M.part(data, trainRows, T.pixels);
const validation = M.part(data, data.split.validation, T.pixels);
const trainer = (options) => new T.Trainer(Object.assign({design: recipe.design, train: shortTrain, batchSize: recipe.batch_size,
                                                          optimizer: {name: "adam", learningRate: recipe.learning_rate}}, options));

test("the same seed and settings give the same losses bit for bit; another seed others", () => {
  const losses = (options) => {
    const t = trainer(options), out = [];
    for (let n = 0; n < 12; n++) out.push(t.step().loss);
    return out;
  };
  const a = losses({seed: 7, shift: 2}), b = losses({seed: 7, shift: 2});
  assert.deepStrictEqual(a, b);
  assert.notDeepStrictEqual(losses({seed: 8, shift: 2}), a);
  assert.notDeepStrictEqual(losses({seed: 7, shift: 0}), a);
});

test("step() reports one weight's gradient and update; a NaN loss stops the run as diverged", () => {
  const t = trainer({seed: 1, optimizer: {name: "sgd", learningRate: 0.1}});
  const res = t.step({tensor: "conv2/kernel", index: 17});
  assert.strictEqual(res.batch, 1);
  assert.ok(res.probe.gradient !== 0);
  // SGD: the update is -lr x gradient (lr as Keras holds it, a float32)
  assert.ok(Math.abs(res.probe.update + Math.fround(0.1) * res.probe.gradient) <= 1e-17, JSON.stringify(res.probe));
  assert.strictEqual(res.probe.after, t.weights["conv2/kernel"][17]);
  assert.throws(() => t.step({tensor: "conv9/kernel", index: 0}), {message: /^probe must name a tensor \(conv1\/kernel, /});
  const wild = trainer({seed: 1, optimizer: {name: "sgd", learningRate: 1e300}});
  let r;
  do r = wild.step(); while (!r.done);
  assert.ok(r.diverged && r.diverged.step >= 2 && r.diverged.step <= 5, JSON.stringify(r.diverged));
  assert.ok(!isFinite(r.loss));
  assert.deepStrictEqual(wild.step(), {done: true, diverged: r.diverged});
});

test("a short training reaches Keras' validation accuracy; its export opens in digitnet.js", () => {
  const kerasAcc = seeds.keras.map((r) => r.val_accuracy);
  // the engine's seed draws other weights and another batch order than any Keras seed: it is one
  // more draw from the same spread, so the range is Keras' over ten seeds, 0.03 wider each way
  const lo = Math.min(...kerasAcc) - 0.03, hi = Math.max(...kerasAcc) + 0.03;
  const t0 = process.hrtime.bigint();
  const t = trainer({seed: 0, epochs: recipe.epochs, validation});
  let res;
  do res = t.runEpoch(); while (!res.done);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const acc = res.epochEnd.val_accuracy;
  console.log(`short training (${shortTrain.y.length} digits, ${recipe.epochs} epochs): validation accuracy ${acc} ` +
              `in ${seconds.toFixed(1)} s; Keras over ${kerasAcc.length} seeds ` +
              `${Math.min(...kerasAcc).toFixed(3)}-${Math.max(...kerasAcc).toFixed(3)}`);
  assert.ok(acc >= lo && acc <= hi, `validation accuracy ${acc} outside [${lo}, ${hi}]`);
  for (const r of seeds.engine) assert.ok(r.val_accuracy >= lo && r.val_accuracy <= hi, `recorded engine seed ${r.seed}`);
  const net = t.exportNet({preprocessing: shipped.preprocessing, data: "test"});
  assert.deepStrictEqual(Object.keys(net).sort(), Object.keys(shipped).sort());
  assert.deepStrictEqual(net.epochs.map((e) => e.dtype), ["float16", "float16", "float32"]);
  assert.strictEqual(net.epochs[2].val_accuracy, Math.round(acc * 1e6) / 1e6);
  const w = D.decodeWeights(net);
  let same = 0;
  const checked = 200;
  for (let n = 0; n < checked; n++) {
    const image = validation.x.subarray(n * 784, (n + 1) * 784);
    same += D.forward(net, w, image).prediction === D.forward(net, t.weights, image).prediction;
  }
  assert.ok(same >= checked - 1, `float32 export changes ${checked - same} of ${checked} predictions`);
  assert.strictEqual(net.epochs[0].val_accuracy, Math.round(t.network.evaluate(t.history[0].weights, validation).accuracy * 1e6) / 1e6);
  const first = D.decodeWeights(net, 0);
  t.history[0].weights["conv1/kernel"].forEach((v, i) => assert.ok(Math.abs(first["conv1/kernel"][i] - v) <= 1e-3 * Math.abs(v) + 1e-7));
});

// digitnet.js on the explorer's network (16 then 32 filters, trained on digits redrawn as
// people draw) against Keras: the page runs that export as exactly as the chapter's.
//
// Fixtures, committed so this runs with Node alone, written by scripts/export_digitnet.py --drawn
// and kept current by tests/test_digitnet_drawn.py (which recomputes them with Keras):
//   helpers/interactive/static/digitnet-drawn-weights.json - the explorer's network (every epoch)
//   tests/js/fixtures/digitnet-drawn-keras.json.gz - the held-out MNIST test digits (uint8) and
//     some UCI digits (float32, as the page's preprocessing leaves them) with Keras' softmax
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..", "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const D = require(path.join(STATIC, "digitnet.js"));
const net = JSON.parse(fs.readFileSync(path.join(STATIC, "digitnet-drawn-weights.json"), "utf8"));
const fx = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "fixtures",
                                                                "digitnet-drawn-keras.json.gz"))));
const weights = D.decodeWeights(net);

// every digit of one set of the fixture against Keras: [max |delta p|, same digit, correct]
function compare(set, pixel) {
  let maxDiff = 0, agree = 0, correct = 0;
  for (let n = 0; n < set.labels.length; n++) {
    const image = new Float64Array(784);
    for (let p = 0; p < 784; p++) image[p] = pixel(n * 784 + p);
    const r = D.forward(net, weights, image);
    const keras = set.probabilities[n];
    let kerasBest = 0;
    for (let c = 0; c < 10; c++) {
      maxDiff = Math.max(maxDiff, Math.abs(r.probabilities[c] - keras[c]));
      if (keras[c] > keras[kerasBest]) kerasBest = c;
    }
    agree += r.prediction === kerasBest;
    correct += r.prediction === set.labels[n];
  }
  return [maxDiff, agree, correct];
}

test("the explorer's network is the wider one, every third epoch and the last stored", () => {
  assert.deepStrictEqual(D.layerList(net).filter((l) => l.kind === "conv").map((l) => l.filters), [16, 32]);
  const last = net.training.epochs, want = [];
  for (let e = 0; e <= last; e++) if (e % 3 === 0 || e === last) want.push(e);
  assert.deepStrictEqual(net.epochs.map((e) => e.epoch), want);
  let total = 0;
  for (const t of net.tensors) total += weights[t.name].length;
  assert.strictEqual(total, net.parameters);
  assert.deepStrictEqual(D.shapes(net).pool2, [5, 5, 32]);
});

test("forward pass equals Keras on every held-out MNIST test digit", () => {
  const px = Buffer.from(fx.mnist.pixels, "base64");
  assert.strictEqual(px.length, fx.mnist.labels.length * 784);
  assert.strictEqual(fx.mnist.labels.length, net.training.sets.mnist_test);
  const [maxDiff, agree, correct] = compare(fx.mnist, (i) => Math.fround(px[i] / 255));
  console.log(`digitnet.js vs Keras, explorer's network, ${agree} MNIST test digits: ` +
              `max |delta p| = ${maxDiff.toExponential(2)}`);
  assert.strictEqual(agree, fx.mnist.labels.length, "a different predicted digit");
  assert.ok(maxDiff <= 1e-5, `max |delta probability| ${maxDiff} > 1e-5`);
  assert.strictEqual(correct / fx.mnist.labels.length, net.training.accuracies.mnist_test);
});

test("forward pass equals Keras on UCI digits of other writers", () => {
  const b = Buffer.from(fx.uci.pixels, "base64");
  const px = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
  assert.strictEqual(px.length, fx.uci.labels.length * 784);
  assert.ok(fx.uci.labels.length >= 50);
  const [maxDiff, agree] = compare(fx.uci, (i) => px[i]);
  assert.strictEqual(agree, fx.uci.labels.length, "a different predicted digit");
  assert.ok(maxDiff <= 1e-5, `max |delta probability| ${maxDiff} > 1e-5`);
});

// Used by benchmarks/bench_explorer.py: the page's forward pass (digitnet.js) on every held-out
// test digit against Keras' stored outputs; prints one JSON line. (tests/js/digitnet.test.js
// asserts the same numbers; this only reports them.)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const D = require(path.join(STATIC, "digitnet.js"));
const net = JSON.parse(fs.readFileSync(path.join(STATIC, "digitnet-weights.json"), "utf8"));
const fx = JSON.parse(zlib.gunzipSync(fs.readFileSync(
  path.join(ROOT, "tests", "js", "fixtures", "digitnet-keras.json.gz"))));
const weights = D.decodeWeights(net);
const pixels = Buffer.from(fx.pixels, "base64");
let maxDiff = 0, same = 0;
const t0 = process.hrtime.bigint();
for (let n = 0; n < fx.labels.length; n++) {
  const image = new Float64Array(784);
  for (let p = 0; p < 784; p++) image[p] = Math.fround(pixels[n * 784 + p] / 255);
  const r = D.forward(net, weights, image);
  const k = fx.probabilities[n];
  let best = 0;
  for (let c = 0; c < 10; c++) {
    maxDiff = Math.max(maxDiff, Math.abs(r.probabilities[c] - k[c]));
    if (k[c] > k[best]) best = c;
  }
  same += r.prediction === best;
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({digits: fx.labels.length, same_prediction: same, max_abs_diff: maxDiff,
                            ms_per_forward: ms / fx.labels.length}));

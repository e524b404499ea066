// Used by benchmarks/bench_explorer.py: the page's forward pass (digitnet.js) on every held-out
// MNIST test digit against Keras' stored outputs; prints one JSON line. (tests/js/digitnet.test.js
// and tests/js/digitnet-drawn.test.js assert the same numbers; this only reports them.)
//     node benchmarks/explorer_node.js [explorer|recipe]
//   explorer: the network the explorer reads with (digitnet-drawn-weights.json; default)
//   recipe:   the network of chapter 16's training recipe (digitnet-weights.json)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const ROOT = path.resolve(__dirname, "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const FIXTURES = path.join(ROOT, "tests", "js", "fixtures");
const D = require(path.join(STATIC, "digitnet.js"));

const which = process.argv[2] || "explorer";
const FILES = {explorer: ["digitnet-drawn-weights.json", "digitnet-drawn-keras.json.gz", (fx) => fx.mnist],
               recipe: ["digitnet-weights.json", "digitnet-keras.json.gz", (fx) => fx]};
if (!FILES[which]) throw new Error("the network must be explorer or recipe, got " + which);
const [weightsFile, fixtureFile, mnistOf] = FILES[which];
const net = JSON.parse(fs.readFileSync(path.join(STATIC, weightsFile), "utf8"));
const fx = mnistOf(JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, fixtureFile)))));
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
console.log(JSON.stringify({network: which, parameters: net.parameters, digits: fx.labels.length,
                            same_prediction: same, max_abs_diff: maxDiff, ms_per_forward: ms / fx.labels.length}));

// The playground's own classes (chapter 21) in Node: drawings made in Chromium with
// book.strokes (benchmarks/playground_own.py gathers them from the page and pipes them in as
// JSON {classes, train: {bytes (base64, 784 per drawing), y}, fresh: {bytes, y}}), trained with
// the page's engine and settings over seeds; for each seed, which fresh drawing is read as its
// class. Prints one JSON object.
//     python -m benchmarks.playground_own   (not directly)
"use strict";
const path = require("node:path");

const STATIC = path.join(__dirname, "..", "helpers", "interactive", "static");
const T = require(path.join(STATIC, "cnntrain.js"));
const D = require(path.join(STATIC, "digitnet.js"));
const P = require(path.join(STATIC, "playground.js"));

const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const bytes = (b64) => new Uint8Array(Buffer.from(b64, "base64"));
const train = {x: T.pixels(bytes(input.train.bytes)), y: input.train.y};
const fresh = bytes(input.fresh.bytes), classes = input.classes.length;
const out = {settings: input.settings, seeds: []};
for (let seed = 0; seed < input.seeds; seed++) {
  const c = Object.assign({}, input.settings);
  const tr = new T.Trainer({design: P.designFrom(c, classes), classes, batchSize: c.batch, epochs: c.epochs, seed,
                            optimizer: P.optimizerFrom(c), train});
  let r;
  do r = tr.step(); while (!r.done);
  const read = input.fresh.y.map((_, e) => {
    const f = D.forward(tr.network.net, tr.weights, T.pixels(fresh.subarray(e * 784, (e + 1) * 784)));
    return {read: f.prediction, p: +f.probabilities[f.prediction].toFixed(3)};
  });
  out.seeds.push({seed, right: read.filter((q, e) => q.read === input.fresh.y[e]).length, read, diverged: tr.diverged});
}
out.all_right = out.seeds.filter((s) => s.right === input.fresh.y.length).length;
console.log(JSON.stringify(out));

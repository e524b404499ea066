// One Step of the playground (chapter 21) in Node, for the browser test that compares it with
// the page's: the page's choices (its x.run.choice, as JSON) on the shipped digits file, the
// first layer's kernel centre probed as the page probes it; prints one JSON line
// {gradient, after, loss} (numbers as JSON writes them: every bit kept).
//     node tests/js/playground_step.js CHOICE_JSON
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const STATIC = path.resolve(__dirname, "..", "..", "helpers", "interactive", "static");
const T = require(path.join(STATIC, "cnntrain.js"));
const D = require(path.join(STATIC, "digitnet.js"));
const P = require(path.join(STATIC, "playground.js"));

const c = JSON.parse(process.argv[2]);
if (c.data !== "digits") throw new Error("playground_step.js replays digits runs; the choice's data is " + c.data);
const file = JSON.parse(fs.readFileSync(path.join(STATIC, "playground-digits.json"), "utf8"));
const n = c.count > 0 ? Math.min(c.count, file.train.y.length) : file.train.y.length;
const bytes = new Uint8Array(n * 784);
for (let e = 0; e < n; e++) bytes.set(D.unpackDigit(file.train.ink[e]), e * 784);
const design = P.designFrom(c, file.classes.length);
const trainer = new T.Trainer({
  design, classes: file.classes.length, batchSize: c.batch, epochs: c.epochs, seed: c.seed,
  optimizer: P.optimizerFrom(c), shift: c.aug ? 2 : 0,
  train: {x: T.pixels(bytes), y: file.train.y.slice(0, n)},
});
const first = design[0];
const res = trainer.step({tensor: "conv1/kernel", index: P.centreIndex(first.kernel, first.filters)});
console.log(JSON.stringify({gradient: res.probe.gradient, after: res.probe.after, loss: res.loss}));

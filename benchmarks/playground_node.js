// The playground's questions (chapter 21) measured with the page's own engine and data: each
// scenario (a change from the page's default choices) trained over seeds 0-4 in Node, its
// validation accuracy and loss after every epoch, the seconds per epoch on this machine. Writes
// benchmarks/results/experiments/playground.json (to a temporary name, then renamed); the
// chapter's answers quote these ranges, and tests/test_playground_browser.py its bound.
//     node benchmarks/playground_node.js [seeds]
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const T = require(path.join(STATIC, "cnntrain.js"));
const D = require(path.join(STATIC, "digitnet.js"));
const P = require(path.join(STATIC, "playground.js"));

// the page's default choices (playground.html)
const DEFAULT = {data: "digits", count: 0, convs: 2, act: "relu", hidden: 0, opt: "adam", lr: 0.003, batch: 32,
                 epochs: 2, aug: false,
                 layers: [{filters: 8, kernel: 3, pool: true}, {filters: 16, kernel: 3, pool: true},
                          {filters: 16, kernel: 3, pool: false}]};
const layers = (f) => DEFAULT.layers.map((L, n) => Object.assign({}, L, f(n)));
const SCENARIOS = {
  "default": {},
  "no ReLU": {act: "none"},
  "SGD, learning rate 1": {opt: "sgd", lr: 1},
  "Adam, learning rate 1": {lr: 1},
  "4 filters in conv layer 2 instead of 16": {layers: layers((n) => (n === 1 ? {filters: 4} : {}))},
  "no pooling": {layers: layers(() => ({pool: false}))},
  // tests/test_playground_browser.py's run: 1 conv layer of 4 filters, the first 250 digits, 1 epoch
  "1 conv layer of 4 filters, 250 examples, 1 epoch": {convs: 1, count: 250, epochs: 1,
                                                      layers: layers((n) => (n === 0 ? {filters: 4} : {}))},
  "Fashion-MNIST": {data: "fashion"},
};

function load(name) {
  const file = JSON.parse(fs.readFileSync(path.join(STATIC, `playground-${name}.json`), "utf8"));
  const unpack = (part) => {
    const out = new Uint8Array(part.y.length * 784);
    part.ink.forEach((t, e) => out.set(D.unpackDigit(t), e * 784));
    return {bytes: out, y: part.y};
  };
  return {train: unpack(file.train), validation: unpack(file.validation), classes: file.classes.length};
}

const sets = {digits: load("digits"), fashion: load("fashion")};
const seeds = +(process.argv[2] || 5);
const rows = [];
for (const [name, change] of Object.entries(SCENARIOS)) {
  const c = Object.assign({}, DEFAULT, change), set = sets[c.data];
  const n = c.count > 0 ? c.count : set.train.y.length;
  for (let seed = 0; seed < seeds; seed++) {
    const tr = new T.Trainer({
      design: P.designFrom(c, set.classes), classes: set.classes, batchSize: c.batch, epochs: c.epochs, seed,
      optimizer: P.optimizerFrom(c), shift: c.aug ? 2 : 0,
      train: {x: T.pixels(set.train.bytes.subarray(0, n * 784)), y: set.train.y.slice(0, n)},
      validation: {x: T.pixels(set.validation.bytes), y: set.validation.y},
    });
    const t0 = process.hrtime.bigint();
    const start = tr.start(true);          // epoch 0's metrics are computed only when asked for
    const epochs = [{epoch: 0, val_accuracy: start.val_accuracy, val_loss: start.val_loss}];
    let r;
    do {
      r = tr.step();
      if (r.epochEnd) epochs.push({epoch: r.epochEnd.epoch, val_accuracy: r.epochEnd.val_accuracy,
                                   val_loss: r.epochEnd.val_loss});
    } while (!r.done);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push({scenario: name, seed, parameters: tr.network.parameters, train_examples: n, epochs,
               diverged: tr.diverged, seconds_per_epoch: +(seconds / Math.max(1, epochs.length - 1)).toFixed(2)});
    process.stderr.write(`${name} seed ${seed}: ${JSON.stringify(epochs[epochs.length - 1])} ` +
                         `diverged ${JSON.stringify(tr.diverged)} ${seconds.toFixed(1)} s\n`);
  }
}
const summary = {};
for (const name of Object.keys(SCENARIOS)) {
  const mine = rows.filter((r) => r.scenario === name), last = mine.map((r) => r.epochs[r.epochs.length - 1]);
  const acc = last.map((e) => e.val_accuracy);
  summary[name] = {final_val_accuracy_min: Math.min(...acc), final_val_accuracy_max: Math.max(...acc),
                   diverged: mine.filter((r) => r.diverged).length, runs: mine.length,
                   parameters: mine[0].parameters};
}
const out = {schema: 1, experiment: "playground", default_choices: DEFAULT, scenarios: SCENARIOS, seeds,
             measured_at: new Date().toISOString(), machine: {cpu: os.cpus()[0].model, cores: os.cpus().length,
             node: process.version}, note: "seconds are this machine's, under load; accuracies are the same on " +
             "every machine only up to floating-point summation order", summary, rows};
const dest = path.join(ROOT, "benchmarks", "results", "experiments", "playground.json");
fs.writeFileSync(dest + ".tmp", JSON.stringify(out, null, 1) + "\n");
fs.renameSync(dest + ".tmp", dest);
console.log(JSON.stringify(summary, null, 1));

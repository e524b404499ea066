// The playground's questions (chapter 21) measured with the page's own engine and data: each
// scenario (a change from the page's default choices) trained over seeds 0-4 in Node, its
// validation accuracy and loss after every epoch, the seconds per epoch on this machine, and
// the state of the network at the start and at the end (network(), below: its dead ReLU
// cells, the classes it answers, its largest weight; the largest training-batch loss of the run).
// Writes benchmarks/results/experiments/playground.json (to a temporary name, then renamed); the
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
  "SGD, learning rate 0.05": {opt: "sgd", lr: 0.05},
  "momentum, learning rate 0.05": {opt: "momentum", lr: 0.05},
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

// A cell of a ReLU map (one position of one channel) is dead when it outputs 0 for every
// validation image; a channel is dead when all its cells are. A dead cell passes no gradient
// back for any of those images: nothing below it learns through it from them.
const NETWORK_NOTE = "network: the weights at the start and at the end, on every validation image: per ReLU " +
  "map, its cells (position x channel) and channels, and how many of each output 0 for every image " +
  "(dead_cells, dead_channels; summary: the fraction of dead cells at the end, over the seeds); how many " +
  "different classes the network answers; the largest absolute weight; " +
  "whether every weight is finite. max_batch_loss: the largest training-batch loss of the run";

function network(tr, weights) {
  const net = tr.network.net, va = tr.validation, size = tr.inputSize, n = va.y.length;
  const relus = tr.network.layers.filter((L) => L.activation === "relu");
  const alive = relus.map(() => null), answers = new Set();
  for (let e = 0; e < n; e++) {
    const r = D.forward(net, weights, va.x.subarray(e * size, (e + 1) * size));
    answers.add(r.prediction);
    relus.forEach((L, k) => {
      const out = r[L.output];
      if (!alive[k]) alive[k] = new Uint8Array(out.length);
      for (let i = 0; i < out.length; i++) if (out[i] > 0) alive[k][i] = 1;
    });
  }
  const relu = {};
  relus.forEach((L, k) => {
    const a = alive[k], channels = L.kind === "conv" ? L.filters : L.units;
    let dead = 0, deadChannels = 0;
    for (let i = 0; i < a.length; i++) dead += a[i] ? 0 : 1;
    for (let c = 0; c < channels; c++) {
      let any = 0;
      for (let i = c; i < a.length; i += channels) any |= a[i];
      deadChannels += any ? 0 : 1;
    }
    relu[L.output] = {cells: a.length, dead_cells: dead, channels, dead_channels: deadChannels};
  });
  let largest = 0, finite = true;
  for (const t of tr.network.tensors) {
    for (const w of weights[t.name]) {
      if (!Number.isFinite(w)) finite = false;
      else largest = Math.max(largest, Math.abs(w));
    }
  }
  return {relu, classes_answered: answers.size, max_abs_weight: +largest.toFixed(4), weights_finite: finite};
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
    const atStart = network(tr, tr.weights);   // before the clock: not part of the training's seconds
    const t0 = process.hrtime.bigint();
    const start = tr.start(true);          // epoch 0's metrics are computed only when asked for
    const epochs = [{epoch: 0, val_accuracy: start.val_accuracy, val_loss: start.val_loss}];
    let r, maxLoss = -Infinity;
    do {
      r = tr.step();
      if (r.loss !== undefined) maxLoss = Math.max(maxLoss, r.loss);
      if (r.epochEnd) epochs.push({epoch: r.epochEnd.epoch, val_accuracy: r.epochEnd.val_accuracy,
                                   val_loss: r.epochEnd.val_loss});
    } while (!r.done);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push({scenario: name, seed, parameters: tr.network.parameters, train_examples: n, epochs,
               diverged: tr.diverged, seconds_per_epoch: +(seconds / Math.max(1, epochs.length - 1)).toFixed(2),
               max_batch_loss: Number.isFinite(maxLoss) ? +maxLoss.toFixed(4) : String(maxLoss),
               network: {start: atStart, end: network(tr, tr.weights)}});
    process.stderr.write(`${name} seed ${seed}: ${JSON.stringify(epochs[epochs.length - 1])} ` +
                         `diverged ${JSON.stringify(tr.diverged)} ${seconds.toFixed(1)} s\n`);
  }
}
const summary = {};
for (const name of Object.keys(SCENARIOS)) {
  const mine = rows.filter((r) => r.scenario === name), last = mine.map((r) => r.epochs[r.epochs.length - 1]);
  const acc = last.map((e) => e.val_accuracy);
  const ends = mine.map((r) => r.network.end), dead = {};
  for (const map of Object.keys(ends[0].relu)) {
    const f = ends.map((e) => e.relu[map].dead_cells / e.relu[map].cells);
    dead[map] = {min: Math.min(...f), max: Math.max(...f)};
  }
  summary[name] = {final_val_accuracy_min: Math.min(...acc), final_val_accuracy_max: Math.max(...acc),
                   diverged: mine.filter((r) => r.diverged).length, runs: mine.length,
                   parameters: mine[0].parameters,
                   // at the end, over the seeds
                   dead_cell_fraction: dead, classes_answered_max: Math.max(...ends.map((e) => e.classes_answered)),
                   max_batch_loss: Math.max(...mine.map((r) => +r.max_batch_loss)),
                   max_abs_weight: Math.max(...ends.map((e) => e.max_abs_weight)),
                   weights_finite: ends.every((e) => e.weights_finite)};
}
const out = {schema: 1, experiment: "playground", default_choices: DEFAULT, scenarios: SCENARIOS, seeds,
             measured_at: new Date().toISOString(), machine: {cpu: os.cpus()[0].model, cores: os.cpus().length,
             node: process.version}, note: "seconds are this machine's, under load; accuracies are the same on " +
             "every machine only up to floating-point summation order", network_note: NETWORK_NOTE, summary, rows};
const dest = path.join(ROOT, "benchmarks", "results", "experiments", "playground.json");
fs.writeFileSync(dest + ".tmp", JSON.stringify(out, null, 1) + "\n");
fs.renameSync(dest + ".tmp", dest);
console.log(JSON.stringify(summary, null, 1));

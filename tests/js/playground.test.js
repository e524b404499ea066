// playground.js (chapter 21's page) and its Web Worker playground-worker.js, without a DOM:
// the design and optimiser built from the form's choices, the sentences for bad choices, the
// written-out step of one weight (against the engine's own update, for SGD, momentum and Adam),
// the worker's messages (driven with a stand-in for the worker's global scope) and its
// confusion matrix, and the shipped data files (against data/mnist_5k.npz, read by mnist5k.js).
// The engine itself is checked against TensorFlow in cnntrain.test.js.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");
const T = require(path.join(STATIC, "cnntrain.js"));
const D = require(path.join(STATIC, "digitnet.js"));
const P = require(path.join(STATIC, "playground.js"));
const W = require(path.join(STATIC, "playground-worker.js"));
const M = require("./mnist5k.js");

const shipped = JSON.parse(fs.readFileSync(path.join(STATIC, "digitnet-weights.json"), "utf8"));
const digits = JSON.parse(fs.readFileSync(path.join(STATIC, "playground-digits.json"), "utf8"));
const DEFAULT = {convs: 2, act: "relu", hidden: 0, opt: "adam", lr: 0.003, epochs: 2, seed: 0,
                 layers: [{filters: 8, kernel: 3, pool: true}, {filters: 16, kernel: 3, pool: true},
                          {filters: 16, kernel: 3, pool: false}]};
const choose = (change) => Object.assign({}, DEFAULT, change);

function unpack(part, n) {
  const count = Math.min(n || part.y.length, part.y.length), out = new Uint8Array(count * 784);
  for (let e = 0; e < count; e++) out.set(D.unpackDigit(part.ink[e]), e * 784);
  return {bytes: out, y: part.y.slice(0, count)};
}

// the worker's handle() with a stand-in scope: collects what it posts; run() until `done`
function worker() {
  const posted = [];
  const scope = {postMessage: (m) => posted.push(m)};
  return {posted, send: (m) => W.handle(scope, m), last: () => posted[posted.length - 1]};
}

function init(w, c, n, probe) {
  const train = unpack(digits.train, n), validation = unpack(digits.validation, 40);
  w.send({type: "init", options: {design: P.designFrom(c, 10), classes: 10, batchSize: 8, epochs: 1, seed: 3,
                                  optimizer: P.optimizerFrom(c)},
          train, validation, fixed: validation.bytes.slice(0, 784),
          probe: probe || {tensor: "conv1/kernel", index: P.centreIndex(3, 8)}});
  return w.last();
}

test("the default design is the chapter-16 network: Keras' parameter count, every shape", () => {
  const d = T.describe(P.designFrom(DEFAULT, 10));
  assert.strictEqual(d.parameters, shipped.parameters);
  const rows = P.shapeRows(d);
  assert.deepStrictEqual(rows.map((r) => r[1]),
                         ["28×28×1", "26×26×8", "13×13×8", "11×11×16", "5×5×16", "400", "10", ""]);
  assert.strictEqual(rows[1][0], "conv1 + ReLU");
  assert.strictEqual(rows[rows.length - 1][2], String(shipped.parameters));
  assert.strictEqual(P.shapeRows(T.describe(P.designFrom(choose({act: "none"}), 10)))[1][0], "conv1, no activation");
});

test("a design whose maps shrink below 1x1 gets the engine's one sentence", () => {
  const five = {filters: 8, kernel: 5, pool: true};
  assert.throws(() => T.describe(P.designFrom(choose({convs: 3, layers: [five, five, five]}), 10)),
                /layer 5 \(conv3\): its 5x5 kernel does not fit the 4x4x8 map it receives; use a smaller kernel/);
  // a hidden dense layer and the reader's 3 classes
  const d = T.describe(P.designFrom(choose({hidden: 32}), 3), [28, 28, 1], 3);
  assert.deepStrictEqual(d.layers.slice(-2).map((L) => L.output), [[32], [3]]);
});

test("optimiser settings and the sentences for bad settings", () => {
  assert.deepStrictEqual(P.optimizerFrom(choose({opt: "momentum", lr: 0.05})), {name: "sgd", learningRate: 0.05, momentum: 0.9});
  assert.deepStrictEqual(P.optimizerFrom(choose({})), {name: "adam", learningRate: 0.003});
  assert.strictEqual(P.settingProblem(choose({})), null);
  assert.match(P.settingProblem(choose({lr: NaN})), /^The learning rate must be/);
  assert.match(P.settingProblem(choose({lr: 0})), /above 0/);
  assert.match(P.settingProblem(choose({epochs: 1.5})), /^Epochs must be a whole number/);
  assert.match(P.settingProblem(choose({seed: -1})), /^The seed must be/);
  assert.match(P.ownProblem(["circle", "cross"], [5, 4]), /^Class cross has 4 examples; draw at least 5/);
  assert.match(P.ownProblem(["circle", "circle"], [5, 5]), /Two classes are called circle/);
  assert.match(P.ownProblem(["circle", " "], [5, 5]), /^Class 2 has no name/);
  assert.strictEqual(P.ownProblem(["a", "b", "c"], [5, 6, 9]), null);
});

for (const opt of ["sgd", "momentum", "adam"]) {
  test(`Step writes out the ${opt} update of one weight, and its numbers give the engine's result`, () => {
    const c = choose({opt, lr: opt === "adam" ? 0.003 : 0.05}), w = worker();
    assert.strictEqual(init(w, c, 32).type, "ready");
    let p;
    for (let s = 0; s < 2; s++) {                  // the second step: momentum and Adam have a history
      w.send({type: "step"});
      p = w.last().res.probe;
    }
    assert.ok(p && p.gradient !== 0, "the centre weight of filter 1 gets a gradient");
    assert.strictEqual(p.after, p.before + p.update);
    const o = p.optimizer, lr = o.learningRate, lines = P.stepLines(p, 8);
    assert.match(lines[1], /\(8 examples\)/);
    assert.ok(lines[lines.length - 1].endsWith("= " + P.num(p.after)), lines[lines.length - 1]);
    let expect;
    if (opt === "sgd") expect = p.before - lr * p.gradient;
    else if (opt === "momentum") expect = p.before + o.velocity;
    else {
      const alpha = lr * Math.sqrt(1 - Math.pow(o.beta2, o.t)) / (1 - Math.pow(o.beta1, o.t));
      expect = p.before - alpha * o.m / (Math.sqrt(o.v) + o.epsilon);
      assert.strictEqual(o.t, 2);
    }
    // the engine rounds the hyperparameters to float32 as Keras does: the written-out numbers
    // (4 significant digits) agree far below what they show
    assert.ok(Math.abs(expect - p.after) <= 1e-7 * Math.max(1, Math.abs(p.after)), `${expect} vs ${p.after}`);
    if (opt === "momentum") {                      // the velocity line's previous velocity is the first step's
      const prev = (o.velocity + lr * p.gradient) / o.momentum;
      assert.ok(prev !== 0 && Math.abs(o.momentum * prev - lr * p.gradient - o.velocity) < 1e-15);
    }
    assert.strictEqual(P.probeName(p.tensor, p.index, 3, 8), "conv1/kernel, filter 1, row 2, column 2");
  });
}

test("the worker runs to the end: a batch per message, a view, then the confusion matrix", async () => {
  const w = worker();
  const ready = init(w, choose({}), 64);
  assert.strictEqual(ready.batches, 8);
  assert.deepStrictEqual(ready.view.shape, [26, 26, 8]);
  assert.strictEqual(ready.view.kernel.length, 72);
  w.send({type: "run"});
  for (let k = 0; k < 600 && w.last().type !== "done"; k++) await new Promise((r) => setTimeout(r, 10));
  const done = w.last();
  assert.strictEqual(done.type, "done");
  const batches = w.posted.filter((m) => m.type === "batch" || m.type === "done");
  assert.deepStrictEqual(batches.map((m) => m.res.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  const m = done.result.matrix, n = m.flat().reduce((a, b) => a + b, 0);
  assert.strictEqual(n, 40);
  const right = m.reduce((a, row, t) => a + row[t], 0);
  assert.strictEqual(right / 40, done.res.epochEnd.val_accuracy);
  assert.strictEqual(done.result.misread.length, Math.min(12, 40 - right));
  done.result.misread.forEach((e) => assert.notStrictEqual(e.label, e.read));
  w.send({type: "predict", image: Array.from(unpack(digits.validation, 1).bytes)});
  assert.strictEqual(w.last().p.length, 10);
});

test("a diverging learning rate: first a warning, then the run stops with NaN", () => {
  const w = worker(), c = choose({opt: "sgd", lr: 1e6, act: "none"});
  const start = init(w, c, 64).start;
  // the worker asks the engine for epoch 0's metrics (computed only when asked for): the
  // warning's baseline and the curves' first point
  for (const k of ["loss", "accuracy", "val_loss", "val_accuracy"]) assert.ok(Number.isFinite(start[k]), `start.${k}: ${start[k]}`);
  assert.throws(() => P.explodedText({loss: 3, epoch: 1, batch: 1}, null, c), /^Error: startLoss must be/);
  w.send({type: "step"});
  assert.strictEqual(P.explodedText(w.last().res, start.loss, c), null);   // the first batch: the start's loss
  w.send({type: "step"});
  assert.match(P.explodedText(w.last().res, start.loss, c),
               /^The loss jumped to [0-9.e+]+ at epoch 1, batch 2, more than 10 times its 2\.\d\d before training/);
  let m;
  for (let s = 0; s < 6; s++) {
    w.send({type: "step"});
    m = w.last();
    if (m.type === "done") break;
  }
  assert.strictEqual(m.type, "done");
  assert.ok(Number.isNaN(m.res.loss) || !isFinite(m.res.loss));
  assert.strictEqual(m.result, null);
  const text = P.divergedText(m.res.diverged, c);
  assert.match(text, new RegExp("^The loss became NaN \\(not a number\\) at epoch 1, batch " + m.res.diverged.batch));
  assert.match(text, /learning rate 1000000 is too high for SGD\. Training stopped\. Press Reset/);
  assert.strictEqual(P.curvePoints([1, 2], [1, NaN], 2, 0, 2, 100, 50)[1], null);
});

test("the hand-off to chapter 16's explorer: which designs go, the stored export, the explorer's reading of it", () => {
  const E = require(path.join(STATIC, "explorer.js"));
  const B = require(path.join(STATIC, "book.js"));
  assert.strictEqual(P.explorerProblem(choose({data: "digits"})), null);
  assert.strictEqual(P.explorerProblem(choose({data: "digits", layers: [{filters: 4, kernel: 5, pool: true},
                                                                         {filters: 32, kernel: 3, pool: true}]})), null);
  assert.match(P.explorerProblem(choose({data: "fashion"})), /no Fashion-MNIST photos to show/);
  // every design the page builds goes, on the digits and on the reader's own classes
  for (const data of ["digits", "own"]) {
    for (const change of [{convs: 1}, {convs: 3}, {act: "none"}, {hidden: 32},
                          {layers: [DEFAULT.layers[0], {filters: 16, kernel: 3, pool: false}]}])
      assert.strictEqual(P.explorerProblem(choose(Object.assign({data}, change))), null, JSON.stringify(change));
  }
  // a run of a design the page lets go: its export, as stored, is what the explorer shows
  const w = worker(), c = choose({data: "digits", layers: [{filters: 4, kernel: 5, pool: true}, {filters: 8, kernel: 3, pool: true}]});
  init(w, c, 16);
  w.send({type: "step"});
  w.send({type: "step"});
  const preprocessing = shipped.preprocessing;
  w.send({type: "export", preprocessing, data: P.dataSentence(c, 16, digits.classes), classes: digits.classes, set: "digits"});
  const net = w.last().net, stored = JSON.stringify(net);
  assert.strictEqual(w.last().type, "export");
  assert.strictEqual(net.training.validation_examples, 40);
  const read = E.trainedNet(stored);
  assert.ok(read.net, read.problem);
  assert.deepStrictEqual(read.net.layers.map((L) => L.output), ["relu1", "pool1", "relu2", "pool2", "flatten", "probabilities"]);
  // the explorer's forward pass of the stored (float32) weights reads as the trainer's own
  for (let e = 0; e < 5; e++) {
    const image = unpack(digits.validation, 5).bytes.subarray(e * 784, (e + 1) * 784);
    const ours = D.forward(read.net, D.decodeWeights(read.net, read.net.epochs.length - 1), T.pixels(image)).probabilities;
    w.send({type: "predict", image: Array.from(image)});
    const theirs = w.last().p;
    ours.forEach((v, k) => assert.ok(Math.abs(v - theirs[k]) < 1e-5, `${e}/${k}: ${v} vs ${theirs[k]}`));
  }
  assert.match(E.trainedNote(read.net), new RegExp("^You are exploring the network you trained in chapter 21: " +
    net.parameters + " parameters, the first 16 of the playground's digits \\(chapter 21\\), seed 0, 1 epoch of Adam, validation accuracy "));
  assert.match(E.epochText(read.net.epochs[0], null, net.training.validation_examples), / on 40 digits it never trains on\.$/);
  // what the explorer refuses, each with its sentence
  assert.match(E.trainedNet(null).problem, /^No network from chapter 21 is stored in this tab/);
  assert.match(E.trainedNet("{").problem, /not readable JSON/);
  assert.match(E.trainedNet(JSON.stringify({format: "digitnet/1"})).problem, /not a digitnet\/2 export/);
  const w1 = worker();
  init(w1, choose({convs: 1}), 16);
  w1.send({type: "export", preprocessing, data: "", classes: digits.classes, set: "fashion"});
  assert.match(E.trainedNet(JSON.stringify(w1.last().net)).problem, /trained on Fashion-MNIST photos: the explorer reads/);
  const one = w1.last().net;
  one.training.set = "digits";
  assert.ok(E.trainedNet(JSON.stringify(one)).net, "one conv layer, on the digits: shown");
  one.layers = one.layers.slice(1);  // no conv layer first
  assert.match(E.trainedNet(JSON.stringify(one)).problem, /not one the explorer can draw|cannot be run here/);
  w1.send({type: "export", preprocessing, data: "", classes: ["a", "b"], set: "own"});
  assert.strictEqual(w1.last().type, "error");
  assert.match(w1.last().message, /^classes must list the 10 class names/);
  assert.deepStrictEqual(Object.keys(B.TRAINED_NET).sort(), ["hash", "key", "page"]);
});

test("the export stored for the explorer replaces the one before, or the refusal is said and nothing stale stays", () => {
  const B = require(path.join(STATIC, "book.js"));
  const key = B.TRAINED_NET.key;
  const storage = (quota) => {
    const items = new Map();
    return { items, getItem: (k) => (items.has(k) ? items.get(k) : null), removeItem: (k) => items.delete(k),
             setItem: (k, v) => {
               let used = v.length;
               for (const [other, text] of items) if (other !== k) used += text.length;
               if (used > quota) throw Object.assign(new Error("quota"), { name: "QuotaExceededError" });
               items.set(k, v);
             } };
  };
  const s = storage(100);
  assert.strictEqual(P.storeNet({ sessionStorage: s }, key, { a: 1 }), null);
  assert.strictEqual(s.getItem(key), "{\"a\":1}");
  // a network too big for the storage: the sentence, and the network before it gone
  const refused = P.storeNet({ sessionStorage: s }, key, { a: "x".repeat(200) });
  assert.strictEqual(refused, "The browser refused to store the network for the explorer (QuotaExceededError): " +
                              "allow this site's storage, or try a smaller design.");
  assert.strictEqual(s.getItem(key), null, "no stale network left for the explorer to show as this run's");
  // a browser that blocks the site's storage throws on reading it at all
  const blocked = { get sessionStorage() { throw Object.assign(new Error("denied"), { name: "SecurityError" }); } };
  assert.match(P.storeNet(blocked, key, {}), /^The browser refused to store the network for the explorer \(SecurityError\)/);
});

test("a bad message gets one error line, not a thrown exception", () => {
  const w = worker();
  w.send({type: "init", options: {design: [], classes: 10}, train: {bytes: new Uint8Array(784), y: [0]},
          validation: null, fixed: new Uint8Array(784), probe: null});
  assert.strictEqual(w.last().type, "error");
  assert.match(w.last().message, /^design must be a non-empty list/);
});

test("the shipped digits are the book's digits: rows of the fixed split, balanced classes", () => {
  const mnist = M.load();
  for (const [part, split] of [["train", "train"], ["validation", "validation"]]) {
    const data = digits[part], rows = new Set(Array.from(mnist.split[split]));
    const counts = new Array(10).fill(0);
    data.rows.forEach((r, e) => {
      assert.ok(rows.has(r), `${part} row ${r} is in the ${split} split`);
      assert.strictEqual(data.y[e], mnist.labels[r]);
      counts[data.y[e]]++;
    });
    const ink = unpack(data);
    for (const e of [0, 1, data.rows.length - 1])
      assert.deepStrictEqual(ink.bytes.subarray(e * 784, (e + 1) * 784), mnist.images.subarray(data.rows[e] * 784, (data.rows[e] + 1) * 784));
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${part}: ${counts}`);
    // every prefix (the page's "first 100") is balanced too
    assert.deepStrictEqual(data.y.slice(0, 20), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
});

test("colour pixels and a drawing's bytes", () => {
  const cmap = new Uint8Array(768);
  for (let i = 0; i < 256; i++) cmap[3 * i] = i;
  const px = P.colourPixels([-1, 0, 1, 3], 4, 1, 0, -1, 1, cmap, new Uint8Array(16));
  assert.deepStrictEqual([px[0], px[4], px[8], px[12]], [0, 128, 255, 255]);
  assert.deepStrictEqual(Array.from(D.inkBytes([0.4, 254.6, 300, -2])), [0, 255, 255, 0]);
  assert.strictEqual(P.num(-0.000012346), "(-1.235e-5)");
  assert.strictEqual(P.num(0.0123456), "0.01235");
});

// explorer.js's pure parts, the ones its mount wires to the page: the input's state machine
// (strokes, undo, clear, picks and uploads), the keyboard moves on a map grid, the colours and
// numbers painted, a cell's written-out arithmetic (checked against digitnet.js explainCell
// on the committed network, helpers/interactive/static/digitnet-weights.json, and the first
// held-out digit of tests/js/fixtures/digitnet-keras.json.gz), the text alternatives and the
// status lines; then the same parts on networks chapter 21's playground trains (its worker,
// run here on the shipped digits): another design's layers, titles and explanations, and a
// network of the reader's own classes read by name with the playground's rule for drawings.
// Cases computed here; the page itself is tests/test_explorer_browser.py and, for the
// playground's networks, tests/test_playground_browser.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { pageModule, ROOT } = require("./cases.js");

const E = pageModule("explorer.js");
const D = pageModule("digitnet.js");
const net = JSON.parse(fs.readFileSync(path.join(ROOT, "helpers", "interactive", "static",
                                                 "digitnet-weights.json"), "utf8"));
const weights = D.decodeWeights(net);

function firstDigit() {
  const fx = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(__dirname, "fixtures", "digitnet-keras.json.gz"))));
  const pixels = Buffer.from(fx.pixels, "base64").subarray(0, 784);
  return E.modelInput(E.shippedInput(pixels).image);
}

// ------------------------------------------------------------------ the input's state machine
test("strokes: down starts one, move extends the last, undo drops it, clear empties all", () => {
  let s = E.initialState(5);
  assert.deepStrictEqual([s.strokes, s.base, s.epoch, s.selected], [[], null, 5, null]);
  assert.strictEqual(E.inputSource(s), "none");
  const frozen = JSON.stringify(s);
  let n = E.nextInput(s, { type: "down", point: [1, 2] });
  assert.strictEqual(JSON.stringify(s), frozen, "nextInput changes nothing it is given");
  assert.deepStrictEqual(n, { base: null, strokes: [[[1, 2]]], resetPick: false, status: "" });
  s = n;
  assert.strictEqual(E.inputSource(s), "pad");
  s = E.nextInput(s, { type: "move", points: [[3, 4], [5, 6]] });
  assert.deepStrictEqual(s.strokes, [[[1, 2], [3, 4], [5, 6]]]);
  assert.strictEqual(s.status, undefined, "a move leaves the status line");
  s = E.nextInput(s, { type: "down", point: [9, 9] });
  s = E.nextInput(s, { type: "move", points: [[8, 8]] });
  assert.deepStrictEqual(s.strokes, [[[1, 2], [3, 4], [5, 6]], [[9, 9], [8, 8]]]);
  const before = s.strokes;
  s = E.nextInput(s, { type: "undo" });
  assert.deepStrictEqual(s.strokes, [[[1, 2], [3, 4], [5, 6]]]);
  assert.strictEqual(before.length, 2, "undo copies, it does not pop");
  assert.strictEqual(s.resetPick, false);
  s = E.nextInput(s, { type: "undo" });
  assert.deepStrictEqual(s.strokes, []);
  assert.deepStrictEqual(E.nextInput(s, { type: "undo" }).strokes, [], "undo with nothing drawn");
  assert.deepStrictEqual(E.nextInput(s, { type: "move", points: [[1, 1]] }).strokes, [],
                         "a move with no stroke started adds nothing");
  s = E.nextInput(E.nextInput(s, { type: "down", point: [0, 0] }), { type: "clear" });
  assert.deepStrictEqual(s, { base: null, strokes: [], resetPick: true, status: "" });
  assert.throws(() => E.nextInput(s, { type: "redo" }), /unknown action redo/);
});

test("picks and uploads replace everything; drawing over an upload marks it edited", () => {
  const digit = { kind: "digit", pixels: [0, 255] };
  const upload = { kind: "upload", pre: { image: [1] }, name: "a.png" };
  let s = E.nextInput({ base: null, strokes: [[[1, 1]]] }, { type: "pick", base: digit });
  assert.deepStrictEqual(s, { base: digit, strokes: [], resetPick: false, status: "" });
  assert.strictEqual(E.inputSource(s), "digit");
  assert.strictEqual(E.inputSource(E.nextInput(s, { type: "down", point: [0, 0] })), "pad");
  s = E.nextInput(s, { type: "upload", base: upload });
  assert.deepStrictEqual(s, { base: upload, strokes: [], resetPick: true, status: "" });
  assert.strictEqual(E.inputSource(s), "upload");
  const drawn = E.nextInput(s, { type: "down", point: [4, 4] });
  assert.strictEqual(drawn.base.edited, true);
  assert.strictEqual(upload.edited, undefined, "the upload given is not changed");
  assert.strictEqual(E.inputSource(drawn), "pad");
  assert.strictEqual(E.inputSource(E.nextInput(drawn, { type: "undo" })), "upload");
  const refused = E.nextInput(drawn, { type: "refuse", text: "x.png is all white: ..." });
  assert.deepStrictEqual(refused, { base: null, strokes: [], resetPick: true, status: "x.png is all white: ..." });
  assert.strictEqual(E.inputSource(refused), "none");
});

test("a shipped digit is read as it is; the network's input is float32(pixel / 255)", () => {
  const pre = E.shippedInput(new Uint8Array([0, 128, 255]));
  assert.deepStrictEqual(Array.from(pre.image), [0, 128, 255]);
  assert.ok(pre.image instanceof Float64Array && pre.shipped && pre.polarity === "MNIST");
  const x = E.modelInput(pre.image);
  assert.deepStrictEqual(Array.from(x), [0, Math.fround(128 / 255), 1]);
  assert.notStrictEqual(x[1], 128 / 255, "rounded to float32, as Keras reads it");
});

test("pad points, stroke segments and upload sizes", () => {
  const rect = { left: 10, top: 20, width: 140, height: 140 };
  assert.deepStrictEqual(E.padPoint(10, 20, rect), [0, 0]);
  assert.deepStrictEqual(E.padPoint(150, 90, rect), [E.PAD, E.PAD / 2]);
  assert.deepStrictEqual(E.strokeSegment([[1, 1]], 0), { dot: [1, 1] });
  assert.deepStrictEqual(E.strokeSegment([[1, 1], [2, 2], [3, 3]], 0), { line: [[1, 1], [2, 2], [3, 3]] });
  assert.deepStrictEqual(E.strokeSegment([[1, 1], [2, 2], [3, 3]], 1), { line: [[2, 2], [3, 3]] });
  assert.strictEqual(E.strokeSegment([[1, 1], [2, 2]], 1), null);
  // what a segment can ink: its points' box, widened by the pen's half width (10) and 2 pixels,
  // clamped to the pad; boxes join into the smallest box holding both
  assert.deepStrictEqual(E.inkBounds({ dot: [100, 50.5] }), [88, 38, 112, 63]);
  assert.deepStrictEqual(E.inkBounds({ line: [[5, 270], [30.2, 300], [20, 260]] }), [0, 248, 43, E.PAD]);
  assert.deepStrictEqual(E.unionBox(null, [1, 2, 3, 4]), [1, 2, 3, 4]);
  assert.deepStrictEqual(E.unionBox([1, 2, 3, 4], [0, 3, 2, 9]), [0, 2, 3, 9]);
  assert.deepStrictEqual(E.uploadSize(100, 50), { w: 100, h: 50 });
  assert.deepStrictEqual(E.uploadSize(560, 1120), { w: 140, h: 280 });
  assert.deepStrictEqual(E.uploadSize(5000, 1), { w: 280, h: 1 });
});

// ------------------------------------------------------------------ keyboard and pointer on a map
test("arrow keys move the cell and stop at the edges; Page Down/Up change the map", () => {
  const shape = [4, 6, 8];
  assert.deepStrictEqual(E.keyAction("ArrowRight", [1, 2], shape, 0, 8), { cell: [1, 3] });
  assert.deepStrictEqual(E.keyAction("ArrowLeft", [1, 2], shape, 0, 8), { cell: [1, 1] });
  assert.deepStrictEqual(E.keyAction("ArrowUp", [1, 2], shape, 0, 8), { cell: [0, 2] });
  assert.deepStrictEqual(E.keyAction("ArrowDown", [1, 2], shape, 0, 8), { cell: [2, 2] });
  assert.deepStrictEqual(E.keyAction("ArrowUp", [0, 0], shape, 0, 8), { cell: [0, 0] });
  assert.deepStrictEqual(E.keyAction("ArrowLeft", [0, 0], shape, 0, 8), { cell: [0, 0] });
  assert.deepStrictEqual(E.keyAction("ArrowDown", [3, 5], shape, 0, 8), { cell: [3, 5] });
  assert.deepStrictEqual(E.keyAction("ArrowRight", [3, 5], shape, 0, 8), { cell: [3, 5] });
  assert.deepStrictEqual(E.keyAction("PageDown", [1, 2], shape, 3, 8), { map: 4 });
  assert.deepStrictEqual(E.keyAction("PageUp", [1, 2], shape, 3, 8), { map: 2 });
  assert.deepStrictEqual(E.keyAction("PageDown", [1, 2], shape, 7, 8), { map: 7 });
  assert.deepStrictEqual(E.keyAction("PageUp", [1, 2], shape, 0, 8), { map: 0 });
  for (const key of ["Enter", " ", "Tab", "Home", "a"]) assert.strictEqual(E.keyAction(key, [1, 2], shape, 0, 8), null, key);
  // the walk of tests/test_explorer_browser.py's keyboard test, from the centre of a 26x26 map
  let rc = E.startCell([26, 26, 8]);
  assert.deepStrictEqual(rc, [13, 13]);
  for (const key of ["ArrowRight", "ArrowRight", "ArrowUp"]) rc = E.keyAction(key, rc, [26, 26, 8], 0, 8).cell;
  assert.deepStrictEqual(rc, [12, 15]);
  // every cell reached from a corner with enough presses, never outside
  rc = [0, 0];
  for (let k = 0; k < 10; k++) rc = E.keyAction(k % 2 ? "ArrowDown" : "ArrowRight", rc, shape, 0, 8).cell;
  assert.deepStrictEqual(rc, [3, 5]);
});

test("a pointer picks the cell under it, clamped to the map", () => {
  const rect = { left: 100, top: 50, width: 52, height: 52 };
  const shape = [26, 26, 8];
  assert.deepStrictEqual(E.cellAt(100, 50, rect, shape), [0, 0]);
  assert.deepStrictEqual(E.cellAt(103, 55, rect, shape), [2, 1]);
  assert.deepStrictEqual(E.cellAt(152, 102, rect, shape), [25, 25], "the far edge is the last cell");
  assert.deepStrictEqual(E.cellAt(90, 40, rect, shape), [0, 0], "outside: clamped");
  assert.deepStrictEqual(E.cursorBox([2, 1], [4, 8]), { left: "12.5%", top: "50%", width: "12.5%", height: "25%" });
});

test("a map's label names its cell, the cell's value and the keys", () => {
  const result = { relu1: new Float64Array(26 * 26 * 8) };
  result.relu1[(12 * 26 + 15) * 8 + 3] = 0.25;
  const v = E.cellValue(result, "relu1", [26, 26, 8], 3, [12, 15]);
  assert.strictEqual(v, 0.25);
  assert.strictEqual(E.cellValue(null, "relu1", [26, 26, 8], 3, [12, 15]), null);
  const titles = E.layerTitles(net);
  const label = E.mapLabel(titles.relu1, 3, [26, 26, 8], [12, 15], v);
  assert.match(label, /^conv1 \+ ReLU, map 3 \(26×26\): cell \(12, 15\) = 0\.250\. Arrow keys move the cell, /);
  assert.match(E.mapLabel(titles.pool2, 0, [5, 5, 16], [2, 2], null), /^pool2, map 0 \(5×5\): cell \(2, 2\)\. Arrow/);
  assert.match(E.mapLabel(titles.pool1, 0, [13, 13, 8], [0, 0], -0.0001), /= 0\.000\./, "no minus zero");
});

// ------------------------------------------------------------------ what is painted
test("a map is painted from 0 to its largest value; a kernel from -lim to +lim", () => {
  const cmap = new Uint8Array(768);
  for (let t = 0; t < 256; t++) cmap.set([t, 255 - t, 7], 3 * t);
  // 2x2 map, 2 channels: channel 1 holds 0, 1, 2, 4
  const values = [9, 0, 9, 1, 9, 2, 9, 4];
  const px = new Uint8ClampedArray(16);
  assert.strictEqual(E.mapPixels(values, [2, 2, 2], 1, cmap, px), 4);
  assert.deepStrictEqual(Array.from(px), [0, 255, 7, 255, 64, 191, 7, 255, 128, 127, 7, 255, 255, 0, 7, 255]);
  assert.strictEqual(E.mapPixels([0, 0, 0, 0], [2, 2, 1], 0, cmap, px), 0, "all 0: the first colour");
  assert.ok(Array.from(px).every((v, k) => v === [0, 255, 7, 255][k % 4]));
  // a layer with no activation: its smallest value (below 0) -> the first colour
  assert.strictEqual(E.mapPixels([0, -1, 0, 3], [2, 2, 1], 0, cmap, px), 3);
  assert.deepStrictEqual([px[0], px[4], px[8], px[12]], [64, 0, 64, 255]);
  const ker = [-2, 0, 2, 1];  // K = 2, F = 1
  const kpx = new Uint8ClampedArray(16);
  assert.deepStrictEqual(E.kernelPixels(ker, 1, 0, 2, 2, cmap, kpx), ["-2.00", "0.00", "2.00", "1.00"]);
  assert.deepStrictEqual([kpx[0], kpx[4], kpx[8], kpx[12]], [0, 128, 255, 191]);
  assert.strictEqual(E.kernelLimit([{ k: [0.5, -3] }, { k: [2, 1] }], "k"), 3);
  const grey = E.inputPixels([0, 255, 300, -5], 4, new Uint8ClampedArray(16));
  assert.deepStrictEqual([grey[0], grey[4], grey[8], grey[12], grey[15]], [255, 0, 0, 255, 255]);
  assert.ok(E.inputPixels(null, 4, new Uint8ClampedArray(16)).every((v) => v === 255), "no input: white");
});

// ------------------------------------------------------------------ a cell explained
const NUM = /-?\d+\.\d{3}/g;

function checkExplanation(e, r, network) {
  const on = network || net;
  const titles = E.layerTitles(on);
  const parts = E.explanation(e, titles);
  const shape = r.shapes[e.layer];
  const value = r[e.layer][(e.i * shape[1] + e.j) * shape[2] + e.map];
  assert.strictEqual(e.value, value);
  assert.strictEqual(parts.caption, `${titles[e.layer]}, map ${e.map}, ` +
                                    `cell (${e.i}, ${e.j}) = ${E.fmt(value)}`);
  assert.strictEqual(parts.boxes.length, e.channels);
  if (e.kind === "conv") {  // the channel shown unfolded adds up to the most, in magnitude
    const sums = e.window.map((win, k) => win.flat().reduce((a, v, n) => a + v * e.kernel[k].flat()[n], 0));
    assert.strictEqual(Math.abs(sums[parts.strongest]), Math.max(...sums.map(Math.abs)));
  } else {
    assert.strictEqual(parts.strongest, 0);
  }
  parts.boxes.forEach((tables, k) => {
    assert.deepStrictEqual(tables[0].rows, e.window[k]);
    assert.match(tables[0].caption, new RegExp(`rows ${e.top}–${e.top + e.k - 1}, columns ${e.left}–${e.left + e.k - 1}$`));
    if (e.kind === "conv") assert.deepStrictEqual(tables[1], { rows: e.kernel[k], caption: e.channels > 1 ? `kernel, channel ${k}` : "kernel", signed: true });
    else assert.match(tables[0].caption, new RegExp(`, map ${e.map},`));
  });
  const lines = Object.fromEntries(parts.lines.filter((l) => l[0] !== "dx-sum dx-products").map((l) => [l[0], l[1]]));
  if (e.kind === "conv") {
    const products = parts.lines.filter((l) => l[0] === "dx-sum dx-products").map((l) => l[1]);
    assert.strictEqual(products.length, e.channels);
    products.forEach((text, k) => {
      // every product written out, in (u, v) order, each factor as the window and the kernel hold it
      const want = [];
      let ps = 0;
      for (let u = 0; u < e.k; u++) {
        for (let v = 0; v < e.k; v++) {
          const b = e.kernel[k][u][v];
          want.push(`${E.fmt(e.window[k][u][v])}×${b < 0 ? `(${E.fmt(b)})` : E.fmt(b)}`);
          ps += e.window[k][u][v] * b;
        }
      }
      assert.strictEqual(text, (e.channels > 1 ? `channel ${k}: ` : "") + want.join(" + ") + ` = ${E.fmt(ps)}`);
    });
    const total = Number(lines["dx-sum dx-total"].match(NUM).pop());
    assert.strictEqual(E.fmt(total), E.fmt(e.sum));
    assert.strictEqual(lines["dx-sum dx-bias"], `+ bias ${E.fmt(e.bias)} = ${E.fmt(e.pre)}`);
    assert.ok(Math.abs(e.sum + e.bias - e.pre) < 1e-5, "sum + bias = the value before the ReLU");
    if (e.activation === "relu") {
      assert.strictEqual(lines["dx-sum dx-relu"], `ReLU: max(0, ${E.fmt(e.pre)}) = ${E.fmt(Math.max(0, e.pre))}`);
    } else {
      assert.strictEqual(lines["dx-sum dx-relu"], undefined);
      assert.strictEqual(lines["dx-sum dx-linear"], `no activation: the cell keeps ${E.fmt(e.pre)}`);
      assert.strictEqual(e.pre, value);
    }
    if (e.activation === "relu") assert.strictEqual(E.fmt(e.relu), E.fmt(value));
  } else {
    const shown = lines["dx-sum dx-max"].match(NUM);
    assert.deepStrictEqual(shown.slice(0, -1), e.window[0].flat().map((v) => E.fmt(v)));
    assert.strictEqual(shown[shown.length - 1], E.fmt(value));
    assert.strictEqual(Math.max(...e.window[0].flat()), value);
  }
  const field = D.receptiveField(on, e.layer, e.i, e.j);
  assert.deepStrictEqual(e.field, field);
  assert.strictEqual(parts.lines[parts.lines.length - 1][0], "dx-field");
  assert.ok(lines["dx-field"].startsWith(`Receptive field on the input: ${field.size}×${field.size} pixels, rows ` +
                                         `${field.top}–${field.top + field.size - 1}, columns ${field.left}–`));
  assert.strictEqual(lines["dx-field"].split("; ").length, field.steps.length + (field.jump > 1 ? 1 : 0));
  return parts;
}

test("a cell's written-out arithmetic is digitnet.js explainCell's, on every layer", () => {
  const r = D.forward(net, weights, firstDigit());
  const sizes = {};
  const layers = E.mapLayers(net);
  assert.deepStrictEqual(layers.map((l) => [l.name, l.title, l.source]),
                         [["relu1", "conv1 + ReLU", "input"], ["pool1", "pool1", "relu1"],
                          ["relu2", "conv2 + ReLU", "pool1"], ["pool2", "pool2", "relu2"]]);
  assert.strictEqual(E.tailText(net, null), null, "the book's network: nothing after the maps to name");
  for (const { name: layer } of layers) {
    const shape = r.shapes[layer];
    for (const [i, j] of [[0, 0], [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2)], [shape[0] - 1, shape[1] - 1]]) {
      for (const f of [0, shape[2] - 1]) {
        const parts = checkExplanation(D.explainCell(net, weights, r, layer, i, j, f), r);
        sizes[layer] = parts.lines[parts.lines.length - 1][1].match(/(\d+)×\1 pixels/)[1];
      }
    }
  }
  assert.deepStrictEqual(sizes, { relu1: "3", pool1: "4", relu2: "8", pool2: "10" });
  assert.strictEqual(E.cellClass(0.5, true), "dx-pos");
  assert.strictEqual(E.cellClass(-0.5, true), "dx-neg");
  assert.strictEqual(E.cellClass(0, true), "");
  assert.strictEqual(E.cellClass(-0.5, false), "");
});

// ------------------------------------------------------------------ networks chapter 21's playground trains
const T = pageModule("cnntrain.js");
const P = pageModule("playground.js");
const W = pageModule("playground-worker.js");
const shippedDigits = JSON.parse(fs.readFileSync(path.join(ROOT, "helpers", "interactive", "static",
                                                           "playground-digits.json"), "utf8"));

// the first n of a playground data part as bytes, and labels (relabelled by `label`, if given)
function digitBytes(part, n, label) {
  const out = new Uint8Array(n * 784);
  for (let e = 0; e < n; e++) out.set(D.unpackDigit(part.ink[e]), e * 784);
  return { bytes: out, y: part.y.slice(0, n).map(label || ((v) => v)) };
}

// a run of the playground's worker on choices c: `steps` batches, then its export as stored
function playgroundRun(c, classes, train, validation, extra) {
  const posted = [];
  const scope = { postMessage: (m) => posted.push(m) };
  W.handle(scope, { type: "init", options: { design: P.designFrom(c, classes.length), classes: classes.length,
                                             batchSize: 8, epochs: 1, seed: 2, optimizer: P.optimizerFrom(c) },
                    train, validation, fixed: train.bytes.slice(0, 784), probe: null });
  for (let k = 0; k < 2; k++) W.handle(scope, { type: "step" });
  W.handle(scope, Object.assign({ type: "export", preprocessing: net.preprocessing, classes,
                                  data: P.dataSentence(c, train.y.length, classes) }, extra));
  const read = E.trainedNet(JSON.stringify(posted[posted.length - 1].net));
  assert.ok(read.net, read.problem);
  return { net: read.net, predict: (image) => {
    W.handle(scope, { type: "predict", image: Array.from(image) });
    return posted[posted.length - 1].p;
  } };
}

test("a network of 3 conv layers, no pooling, no activation, a hidden dense layer: its own layers drawn and explained", () => {
  const c = { data: "digits", convs: 3, act: "none", hidden: 32, opt: "adam", lr: 0.003, seed: 0,
              layers: [{ filters: 4, kernel: 3, pool: false }, { filters: 6, kernel: 5, pool: false },
                       { filters: 8, kernel: 3, pool: false }] };
  assert.strictEqual(P.explorerProblem(c), null);
  const run = playgroundRun(c, shippedDigits.classes, digitBytes(shippedDigits.train, 16),
                            digitBytes(shippedDigits.validation, 8), { set: "digits" });
  const other = run.net;
  const layers = E.mapLayers(other);
  assert.deepStrictEqual(layers.map((l) => [l.name, l.title, l.source]),
                         [["conv1", "conv1", "input"], ["conv2", "conv2", "conv1"], ["conv3", "conv3", "conv2"]]);
  assert.deepStrictEqual(E.layerTitles(other),
                         { input: "the input (pixel / 255)", conv1: "conv1", conv2: "conv2", conv3: "conv3" });
  const shapes = D.shapes(other);
  assert.deepStrictEqual(layers.map((l) => shapes[l.name]), [[26, 26, 4], [22, 22, 6], [20, 20, 8]]);
  assert.strictEqual(E.layerCaption(layers[2].layer, shapes.conv3), ": 8 maps of 20×20");
  assert.strictEqual(E.tailText(other, null), "After the last maps: flatten (the last maps as 3200 numbers), then " +
                     "dense1, no activation (32 units), then dense2 with softmax, the probabilities of the 10 digits shown above.");
  assert.strictEqual(E.classNames(other), null, "it reads digits");
  const w = D.decodeWeights(other);
  const r = D.forward(other, w, firstDigit());
  const sizes = {};
  let negative = false;
  for (const { name: layer } of layers) {
    const shape = r.shapes[layer];
    for (const [i, j] of [[0, 0], [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2)], [shape[0] - 1, shape[1] - 1]]) {
      for (const f of [0, shape[2] - 1]) {
        const e = D.explainCell(other, w, r, layer, i, j, f);
        assert.strictEqual(e.activation, null);
        const parts = checkExplanation(e, r, other);
        assert.ok(parts.boxes[0][0].caption.startsWith(`window of ${E.layerTitles(other)[e.source]}, `));
        sizes[layer] = parts.lines[parts.lines.length - 1][1].match(/(\d+)×\1 pixels/)[1];
      }
    }
    negative = negative || r[layer].some((v) => v < 0);
    // the keys walk the layer's own maps: its count, its shape's edges
    assert.deepStrictEqual(E.keyAction("PageDown", [0, 0], shape, shape[2] - 1, shape[2]), { map: shape[2] - 1 });
    assert.deepStrictEqual(E.keyAction("ArrowDown", [shape[0] - 1, 0], shape, 0, shape[2]), { cell: [shape[0] - 1, 0] });
    assert.match(E.mapLabel(E.layerTitles(other)[layer], 0, shape, [0, 0], null),
                 new RegExp(`^${layer}, map 0 \\(${shape[0]}×${shape[1]}\\): cell \\(0, 0\\)\\. Arrow`));
  }
  assert.deepStrictEqual(sizes, { conv1: "3", conv2: "7", conv3: "9" });
  assert.ok(negative, "with no activation the maps hold values below 0, painted from their smallest");
  // the explorer's forward pass reads as the playground's own
  const image = digitBytes(shippedDigits.validation, 1).bytes;
  const theirs = run.predict(image);
  D.forward(other, w, T.pixels(image)).probabilities.forEach((v, k) => assert.ok(Math.abs(v - theirs[k]) < 1e-6));
});

test("a network of the reader's own classes reads with their names and the playground's rule for drawings", () => {
  const names = ["circle", "cross", "bar"];
  const c = { data: "own", convs: 2, act: "relu", hidden: 0, opt: "adam", lr: 0.003, seed: 0,
              layers: [{ filters: 4, kernel: 3, pool: true }, { filters: 4, kernel: 3, pool: true }] };
  assert.strictEqual(P.explorerProblem(c), null);
  const run = playgroundRun(c, names, digitBytes(shippedDigits.train, 15, (v) => v % 3), null, { set: "own" });
  const own = run.net;
  assert.deepStrictEqual(E.classNames(own), names);
  assert.strictEqual(own.training.data, "your 15 drawings of circle, cross, bar (chapter 21), seed 0");
  const note = E.trainedNote(own);
  assert.match(note, /^You are exploring the network you trained in chapter 21: \d+ parameters, your 15 drawings of circle, cross, bar \(chapter 21\), seed 0, 1 epoch of Adam, training accuracy \d\.\d{3}\. /);
  assert.ok(note.endsWith("; it reads your classes: circle, cross, bar."), note);
  // a drawing on the pad: a dark ring on white, preprocessed as the explorer and the playground do
  const gray = new Float64Array(E.PAD * E.PAD).fill(255);
  for (let p = 0; p < gray.length; p++) {
    const d = Math.hypot(p % E.PAD - 150, Math.floor(p / E.PAD) - 130);
    if (d > 60 && d < 78) gray[p] = 0;
  }
  const pre = D.preprocess(gray, E.PAD, E.PAD, own.preprocessing);
  assert.ok(pre.image.some((v) => v !== Math.round(v)), "the preprocessing's output is not whole bytes");
  const x = E.networkInput(pre, true);
  assert.deepStrictEqual(Array.from(x), Array.from(T.pixels(D.inkBytes(pre.image))), "the playground's rule: its bytes / 255");
  assert.notDeepStrictEqual(Array.from(x), Array.from(E.modelInput(pre.image)));
  assert.deepStrictEqual(Array.from(E.networkInput(pre, false)), Array.from(E.modelInput(pre.image)), "digits: the book's rule");
  // what the explorer reads is what the playground reads of the same drawing
  const r = D.forward(own, D.decodeWeights(own), x);
  const theirs = run.predict(D.inkBytes(pre.image));
  r.probabilities.forEach((v, k) => assert.ok(Math.abs(v - theirs[k]) < 1e-6, `${k}: ${v} vs ${theirs[k]}`));
  const read = names[r.prediction];
  const order = E.ranking(r.probabilities);
  assert.strictEqual(E.barsLabel(r, names), "Probability of each class, " +
                     names.map((n, k) => `${n}: ${E.fmt(r.probabilities[k], 3)}`).join(", "));
  assert.strictEqual(E.barsLabel(null, names), "Probability of each class: no input yet");
  const state = { result: r, pre, base: null, strokes: [[[0, 0]]] };
  assert.ok(E.altText(state, names).endsWith(`. The network reads ${read} (probability ` +
                                             `${E.fmt(r.probabilities[order[0]], 3)}); next ${names[order[1]]} ` +
                                             `(${E.fmt(r.probabilities[order[1]], 3)}).`));
  assert.strictEqual(E.altText(E.initialState(0), names), "No input yet: draw one of the classes or upload a picture.");
  const last = own.epochs[own.epochs.length - 1];
  assert.strictEqual(last.val_accuracy, null, "own classes: no validation set");
  assert.strictEqual(E.epochText(last, r, undefined, names),
                     `After epoch ${last.epoch}: training accuracy ${E.fmt(last.accuracy, 3)} on the drawings it trains ` +
                     `on (there is no validation set); with these weights the network reads your input as ${read} ` +
                     `(probability ${E.fmt(r.probabilities[r.prediction], 3)}).`);
  assert.match(E.curveLabel(own.epochs), /^Training accuracy per epoch: 0: \d\.\d{3}, /);
  assert.ok(E.curvePoints(own.epochs).every((pt) => pt.every(Number.isFinite)));
  // an export whose class names do not match its last layer, or of Fashion-MNIST, is refused
  assert.match(E.trainedNet(JSON.stringify(Object.assign({}, own, { classes: ["a", "b"] }))).problem, /one unit per class/);
  const fashion = Object.assign({}, own, { training: Object.assign({}, own.training, { set: "fashion" }) });
  assert.match(E.trainedNet(JSON.stringify(fashion)).problem, /Fashion-MNIST photos/);
});

test("a stored network cut short, corrupted or of an older format gets one sentence, never an exception", () => {
  const c = { data: "own", convs: 1, act: "relu", hidden: 0, opt: "adam", lr: 0.003, seed: 0,
              layers: [{ filters: 4, kernel: 3, pool: true }] };
  const good = playgroundRun(c, ["a", "b"], digitBytes(shippedDigits.train, 8, (v) => v % 2), null, { set: "own" }).net;
  const text = JSON.stringify(good);
  const read = E.trainedNet(text);
  assert.strictEqual(read.weights.length, good.epochs.length, "every epoch decoded, once");
  assert.deepStrictEqual(read.weights[1]["conv1/kernel"], D.decodeWeights(good, 1)["conv1/kernel"]);
  const changed = (edit) => {
    const n = JSON.parse(text);
    edit(n);
    return E.trainedNet(JSON.stringify(n));
  };
  const cases = [
    [E.trainedNet(text.slice(0, text.length >> 1)), /^The stored network is not readable JSON; /],
    [E.trainedNet("null"), /^The stored network is not a digitnet\/2 export; /],
    [changed((n) => { n.format = "digitnet/1"; }), /^The stored network is not a digitnet\/2 export \(its format is digitnet\/1\); /],
    [changed((n) => { delete n.preprocessing; delete n.tensors; }), /^The stored network has no preprocessing, no tensors; /],
    [changed((n) => { n.epochs = []; }), /^The stored network has no epochs; /],
    // an export older than the layers' strides and map names (digitnet.js asks the book's own
    // files to be re-exported; the reader is told to train again)
    [changed((n) => { n.layers.forEach((L) => { delete L.stride; delete L.output; }); }),
     /^The stored network cannot be run here \(layer conv1: no stride or map names\); it may come from an older version of this page: /],
    [changed((n) => { n.layers[0].kind = "conv3d"; }), /cannot be run here \(layer conv1: unknown kind conv3d\)/],
    [changed((n) => { n.epochs[1].weights = n.epochs[1].weights.slice(0, 40); }),
     /cannot be run here \(epoch 1: weights blob has 30 bytes, its (\d+) float32 numbers need \d+\)/],
    [changed((n) => { n.epochs[0].weights = "not base64!"; }), /^The stored network cannot be run here \(/],
    [changed((n) => { n.epochs[0].dtype = "int8"; }), /cannot be run here \(epoch 0: unknown dtype int8\)/],
    [changed((n) => { delete n.epochs[1].accuracy; }), /cannot be run here \(epoch 1 states no epoch number or accuracy\)/],
    [changed((n) => { n.tensors = n.tensors.slice(2); n.epochs.forEach((ep) => { ep.weights = ""; }); }),
     /^The stored network cannot be run here \(/],
    [changed((n) => { n.preprocessing = { side: 28 }; }), /cannot be run here \(/],
    [changed((n) => { n.classes = ["a", "a"]; }), /^The stored network's class names are not a list of different names; /],
    [changed((n) => { n.classes = ["a", 7]; }), /class names are not a list of different names/],
    [changed((n) => { n.classes = ["a"]; }), /^The stored network is not one the explorer can draw /],
  ];
  for (const [got, want] of cases) {
    assert.ok(!got.net, want);
    assert.match(got.problem, want);
    assert.ok(got.problem.endsWith("chapter 21."), got.problem);
    assert.ok(!/\n|export_digitnet/.test(got.problem), got.problem);
  }
  // any top-level key gone, null or a number, or the text cut anywhere: a sentence or the network
  const keys = Object.keys(good);
  for (const key of keys) {
    for (const value of [undefined, null, 3]) {
      const got = changed((n) => { n[key] = value; });
      assert.ok(got.net || /^The stored network.* chapter 21\.$/.test(got.problem), `${key}=${value}: ${got.problem}`);
    }
  }
  for (let cut = 0; cut < text.length; cut += 997) assert.ok(E.trainedNet(text.slice(0, cut)).problem);
  // the note says what the export states, and leaves out what it does not
  const bare = changed((n) => { delete n.parameters; delete n.training.optimizer; delete n.training.data; });
  assert.match(E.trainedNote(bare.net), /^You are exploring the network you trained in chapter 21: 1 epoch, training accuracy \d\.\d{3}\. Every map/);
  // the address: only chapter 16 + book.TRAINED_NET's hash reads the tab's storage
  const B = pageModule("book.js");
  const tab = (hash, stored) => ({ location: { hash }, sessionStorage: { getItem: (k) => (k === B.TRAINED_NET.key ? stored : null) } });
  assert.strictEqual(E.handedOver(tab("", text)), null, "no hash: the book's network");
  assert.strictEqual(E.handedOver(tab("#other", text)), null);
  assert.ok(E.handedOver(tab(B.TRAINED_NET.hash, text)).net, "the stored network, as after a reload of the tab");
  assert.match(E.handedOver(tab(B.TRAINED_NET.hash, null)).problem, /^No network from chapter 21 is stored in this tab/);
  assert.match(E.handedOver(tab(B.TRAINED_NET.hash, "{\"format\"")).problem, /not readable JSON/);
  const blocked = { location: { hash: B.TRAINED_NET.hash }, get sessionStorage() { throw new Error("SecurityError"); } };
  assert.match(E.handedOver(blocked).problem, /^This browser does not let the page read the tab's storage/);
});

test("class names too long for the bars are cut with … and given in full under them", () => {
  const measure = (t) => 8 * t.length;  // a monospace font, 8 px a character
  assert.deepStrictEqual(E.barLabels(["circle", "cross"], measure, 92), { labels: ["circle", "cross"], cut: "" });
  const names = ["circle", "a twenty-letter name", "bar"];
  const got = E.barLabels(names, measure, 92);
  assert.deepStrictEqual(got.labels, ["circle", "a twenty-l…", "bar"]);
  assert.ok(got.labels.every((l) => measure(l) <= 92));
  assert.strictEqual(got.cut, "The classes, top to bottom, in full: circle, a twenty-letter name, bar.");
  // the bars' accessible name names every class in full
  assert.match(E.barsLabel({ prediction: 1, probabilities: [0.2, 0.7, 0.1] }, names),
               /^Probability of each class, circle: 0\.200, a twenty-letter name: 0\.700, bar: 0\.100$/);
  assert.deepStrictEqual(E.barLabels(["WWWW"], measure, 4).labels, ["W…"], "at least one character is kept");
});

// ------------------------------------------------------------------ text alternatives and status lines
test("the text alternatives say what the input is and what the network reads", () => {
  assert.strictEqual(E.altText(E.initialState(0)), "No input yet: draw a digit, upload a picture or pick a test digit.");
  assert.strictEqual(E.barsLabel(null), "Probability of each digit: no input yet");
  const probabilities = new Float64Array([0.01, 0.7, 0, 0, 0, 0, 0, 0.29, 0, 0]);
  const result = { prediction: 1, probabilities };
  assert.deepStrictEqual(E.ranking(probabilities).slice(0, 2), [1, 7]);
  assert.match(E.barsLabel(result), /^Probability of each digit, 0: 0\.010, 1: 0\.700, 2: 0\.000, .* 9: 0\.000$/);
  const drawn = { box: [3, 4, 10, 18], shift: [1, -2], polarity: "dark-on-light" };
  assert.strictEqual(E.altText({ result, pre: drawn, base: null, strokes: [[[0, 0]]] }),
                     "Input: your drawing (dark ink on a light background): its ink, a 10×18-pixel box, scaled into " +
                     "20×20 and shifted by (1, -2) pixels to centre its mass. The network reads 1 (probability 0.700); " +
                     "next 7 (0.290).");
  const upload = { kind: "upload", name: "seven.png" };
  const pre = Object.assign({}, drawn, { polarity: "light-on-dark" });
  assert.match(E.altText({ result, pre, base: upload, strokes: [] }),
               /^Input: the uploaded picture seven\.png \(light ink on a dark background\): /);
  assert.match(E.altText({ result, pre, base: upload, strokes: [[[0, 0]]] }), /^Input: your drawing \(light ink/);
  assert.match(E.altText({ result, pre: { shipped: true }, base: { kind: "digit", digit: { label: 4 } }, strokes: [] }),
               /^Input: a shipped test digit \(digit 4\), already in MNIST form, read as it is\. The network reads 1 /);
  assert.strictEqual(E.digitOptionText({ row: 12, label: 9, wrong: true }), "test digit 12: a 9 (misread)");
  assert.strictEqual(E.digitOptionText({ row: 3, label: 0, wrong: false }), "test digit 3: a 0");
  assert.strictEqual(E.layerCaption({ kind: "maxpool", size: 2 }, [13, 13, 8]), " (2×2 max-pooling): 8 maps of 13×13");
  assert.strictEqual(E.layerCaption({ kind: "conv" }, [26, 26, 8]), ": 8 maps of 26×26");
});

test("the epoch panel's sentence, slider text, curve and labels", () => {
  const epochs = [{ epoch: 0, val_accuracy: 0.1 }, { epoch: 1, val_accuracy: 0.9 }, { epoch: 2, val_accuracy: 0.95 }];
  assert.strictEqual(E.epochText(epochs[0], null),
                     "Epoch 0: the random starting weights: validation accuracy 0.100 on 500 digits it never trains on.");
  assert.strictEqual(E.epochText(epochs[2], { prediction: 3, probabilities: [0, 0, 0, 0.8766] }),
                     "After epoch 2: validation accuracy 0.950 on 500 digits it never trains on; with these " +
                     "weights the network reads your input as 3 (probability 0.877).");
  assert.strictEqual(E.epochValueText(epochs[1]), "epoch 1, validation accuracy 0.900");
  assert.deepStrictEqual(E.curvePoints(epochs), [[10, 73], [140, 17], [270, 80 - 70 * 0.95]]);
  assert.strictEqual(E.curveLabel(epochs), "Validation accuracy per epoch: 0: 0.100, 1: 0.900, 2: 0.950");
  // an export that stores every third epoch: the points sit at their epochs, the texts name them
  const thinned = [{ epoch: 0, val_accuracy: 0.1 }, { epoch: 3, val_accuracy: 0.9 }, { epoch: 4, val_accuracy: 0.95 }];
  assert.deepStrictEqual(E.curvePoints(thinned).map((p) => p[0]), [10, 10 + 260 * 3 / 4, 270]);
  assert.strictEqual(E.epochValueText(thinned[1]), "epoch 3, validation accuracy 0.900");
  assert.match(E.epochText(thinned[1], null), /^After epoch 3: /);
  assert.strictEqual(E.kernelLabel(2, 1, ["0.10", "-0.20"]), "kernel 2 at epoch 1, row by row: 0.10, -0.20");
  assert.strictEqual(E.epochMapLabel("conv1", 5), "conv1 map 5 of the current input, with this epoch's kernel 5");
  assert.strictEqual(E.probabilityText(null, 3), "–");
});

test("an upload the browser cannot read gets one status line naming it once", () => {
  const want = {
    "hidden-pixels": /^The browser does not let the page read the pixels of a b\.svg \(an SVG that draws HTML, say\): choose a PNG or JPEG file\.$/,
    "not-an-image": /^Could not read a b\.svg as an image: choose a PNG or JPEG file\.$/,
    "unreadable-file": /^Could not read the file a b\.svg: choose a PNG or JPEG file\.$/,
  };
  for (const [reason, re] of Object.entries(want)) {
    const line = E.statusLine(reason, "a b.svg");
    assert.match(line, re);
    assert.strictEqual(line.split("a b.svg").length, 2);
    assert.ok(!line.includes("\n"));
  }
  assert.throws(() => E.statusLine("other", "x"), /unknown reason other/);
  // a refused upload's status line is the one the state machine shows; a new stroke empties it
  const s = E.nextInput(E.initialState(0), { type: "refuse", text: E.statusLine("not-an-image", "n.txt") });
  assert.strictEqual(s.status, "Could not read n.txt as an image: choose a PNG or JPEG file.");
  assert.strictEqual(E.nextInput(s, { type: "down", point: [0, 0] }).status, "");
});

test("the explorer opens on the first correctly read 4 of its list, or its first digit", () => {
  const d = (label, wrong) => ({ label, wrong, row: 0, ink: "" });
  assert.strictEqual(E.exampleIndex([d(0, false), d(4, true), d(4, false), d(4, false)]), 2);
  assert.strictEqual(E.exampleIndex([d(0, false), d(1, false)]), 0);
  assert.strictEqual(E.exampleIndex([]), -1);
});

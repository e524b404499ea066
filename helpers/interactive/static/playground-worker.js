/* playground-worker.js - the playground's Web Worker (chapter 21, playground.js): it holds one
 * CNNTrain.Trainer and runs its batches off the page's main thread, so the page stays
 * responsive while a network trains.
 *
 * Messages in:  {type: "init", options (the Trainer's: design, classes, batchSize, epochs,
 *                seed, optimizer, shift), train {bytes (Uint8Array, 784 per image), y},
 *                validation (same, or null), fixed (784 bytes: the input whose maps are shown),
 *                probe {tensor, index}}
 *               {type: "run"} (batches until done or paused), {type: "pause"},
 *               {type: "step"} (one batch, with the probed weight's arithmetic),
 *               {type: "predict", image (784 floats, ink 0-255)},
 *               {type: "export", preprocessing, data (a sentence naming the training data),
 *                classes (their names), set ("digits", "fashion" or "own")}
 * Messages out: {type: "ready", start}, {type: "batch", res, view?}, {type: "paused"},
 *               {type: "done", res, view, result}, {type: "probabilities", p},
 *               {type: "export", net (CNNTrain's digitnet/2 export, with the number of
 *               validation examples in training.validation_examples)}, {type: "error", message}
 * A view (what the page redraws) is posted at most every VIEW_MS while running, and with every
 * single step: the first layer's kernels and its maps of the fixed input.
 *
 * On the website it is started from its file and imports the engine next to it; in a
 * self-contained notebook output it is a Blob URL of digitnet.js + cnntrain.js + this file.
 * In Node, require() returns its pure functions (tests/js/playground.test.js).
 */
(function (root, factory) {
  "use strict";
  if (typeof module !== "undefined" && module.exports) {
    module.exports = factory(require("./digitnet.js"), require("./cnntrain.js"));
    return;
  }
  if (typeof root.CNNTrain === "undefined") root.importScripts("digitnet.js", "cnntrain.js");
  var api = factory(root.DigitNet, root.CNNTrain);
  root.onmessage = function (ev) { api.handle(root, ev.data); };
})(typeof self !== "undefined" ? self : this, function (D, T) {
  "use strict";
  var VIEW_MS = 150;   // at most this often a view while running
  var SLICE_MS = 40;   // run batches this long, then let messages (Pause) in
  var MISREAD = 12;    // misread validation examples sent back at the end

  /* counts[t][p]: how many examples of class t were read as p. */
  function confusion(labels, predictions, classes) {
    var m = [];
    for (var t = 0; t < classes; t++) m.push(new Array(classes).fill(0));
    for (var e = 0; e < labels.length; e++) m[labels[e]][predictions[e]]++;
    return m;
  }

  /* Every example's prediction and probability of it, from the trained weights. */
  function readAll(network, weights, x, n) {
    var size = 784, preds = new Int32Array(n), probs = new Float64Array(n);
    for (var e = 0; e < n; e++) {
      var r = D.forward(network.net, weights, x.subarray(e * size, (e + 1) * size));
      preds[e] = r.prediction;
      probs[e] = r.probabilities[r.prediction];
    }
    return {predictions: preds, confidence: probs};
  }

  /* The end of a run: the confusion matrix of the validation set (the training set when there
   * is none) and its first misread examples {index, label, read, confidence}. */
  function result(trainer) {
    var set = trainer.validation || trainer.train, n = set.y.length;
    var r = readAll(trainer.network, trainer.weights, set.x, n), wrong = [];
    for (var e = 0; e < n && wrong.length < MISREAD; e++) {
      if (r.predictions[e] !== set.y[e])
        wrong.push({index: e, label: set.y[e], read: r.predictions[e], confidence: r.confidence[e]});
    }
    return {on: trainer.validation ? "validation" : "training",
            matrix: confusion(set.y, r.predictions, trainer.network.classes), misread: wrong};
  }

  /* What the page redraws: the first conv layer's kernels (k, k, C, F) and its output maps of
   * the fixed input (after its activation), or null before any conv layer. */
  function view(trainer, fixed) {
    var first = trainer.network.layers[0];
    if (first.kind !== "conv") return null;
    var r = D.forward(trainer.network.net, trainer.weights, fixed);
    var shape = trainer.network.describe.layers[0].output;
    return {layer: first.name, kernel: Float64Array.from(trainer.weights[first.name + "/kernel"]),
            k: first.kernel, filters: first.filters, maps: Float64Array.from(r[first.output]), shape: shape,
            activation: first.activation};
  }

  /* The optimiser's state of the probed weight after its update: the velocity (momentum) or
   * Adam's m, v and step count, for the page's written-out arithmetic. */
  function probeState(optimizer, probe) {
    var slot = optimizer.slots[probe.tensor], out = {name: optimizer.name, learningRate: optimizer.learningRate};
    if (optimizer.name === "sgd") {
      out.momentum = optimizer.momentum;
      if (slot) out.velocity = slot.v[probe.index];
    } else {
      out.m = slot.m[probe.index]; out.v = slot.v[probe.index]; out.t = optimizer.iterations;
      out.beta1 = optimizer.beta1; out.beta2 = optimizer.beta2; out.epsilon = optimizer.epsilon;
    }
    return out;
  }

  var state = null;   // {trainer, fixed, probe, running, lastView}

  function post(scope, msg) { scope.postMessage(msg); }

  function step(scope, withProbe) {
    var s = state, res = s.trainer.step(withProbe ? s.probe : undefined);
    if (res.probe) res.probe.optimizer = probeState(s.trainer.optimizer, s.probe);
    return res;
  }

  function finish(scope, res) {
    state.running = false;
    post(scope, {type: "done", res: res, view: view(state.trainer, state.fixed),
                 result: state.trainer.diverged ? null : result(state.trainer)});
  }

  function slice(scope) {
    var s = state;
    if (!s || !s.running) return;
    var t0 = Date.now();
    while (s.running && Date.now() - t0 < SLICE_MS) {
      var res = step(scope, false);
      if (res.done) { finish(scope, res); return; }
      var msg = {type: "batch", res: res};
      if (Date.now() - s.lastView >= VIEW_MS || res.epochEnd) {
        msg.view = view(s.trainer, s.fixed);
        s.lastView = Date.now();
      }
      post(scope, msg);
    }
    if (s.running) setTimeout(function () { slice(scope); }, 0);
  }

  function handle(scope, msg) {
    try {
      if (msg.type === "init") {
        var o = msg.options;
        o.train = {x: T.pixels(msg.train.bytes), y: msg.train.y};
        o.validation = msg.validation ? {x: T.pixels(msg.validation.bytes), y: msg.validation.y} : undefined;
        var trainer = new T.Trainer(o);
        state = {trainer: trainer, fixed: T.pixels(msg.fixed), probe: msg.probe, running: false, lastView: 0};
        var start = trainer.start(true);          // epoch 0's metrics: the curves' first point, the warning's baseline
        post(scope, {type: "ready", start: {loss: start.loss, accuracy: start.accuracy, val_loss: start.val_loss,
                                             val_accuracy: start.val_accuracy},
                     batches: trainer.batchesPerEpoch, view: view(trainer, state.fixed)});
      } else if (msg.type === "run") {
        if (state.trainer.done()) return;
        state.running = true;
        slice(scope);
      } else if (msg.type === "pause") {
        state.running = false;
        post(scope, {type: "paused"});
      } else if (msg.type === "step") {
        state.running = false;
        var res = step(scope, true);
        if (res.done) finish(scope, res);
        else post(scope, {type: "batch", res: res, view: view(state.trainer, state.fixed)});
      } else if (msg.type === "export") {
        var net = state.trainer.exportNet({preprocessing: msg.preprocessing, data: msg.data, classes: msg.classes,
                                           set: msg.set});
        if (state.trainer.validation) net.training.validation_examples = state.trainer.validation.y.length;
        post(scope, {type: "export", net: net});
      } else if (msg.type === "predict") {
        var r = D.forward(state.trainer.network.net, state.trainer.weights, T.pixels(msg.image));
        post(scope, {type: "probabilities", p: Array.from(r.probabilities)});
      }
    } catch (e) {
      if (state) state.running = false;
      post(scope, {type: "error", message: String(e && e.message || e)});
    }
  }

  return {confusion: confusion, result: result, view: view, probeState: probeState, handle: handle};
});

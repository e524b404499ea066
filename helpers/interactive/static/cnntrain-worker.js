/* cnntrain-worker.js - runs the training engine (cnntrain.js) in a Web Worker, so the page stays
 * responsive while a network trains. All the logic is in cnntrain.js (tested in Node); this file
 * only passes messages.
 *
 * Messages in (postMessage({type, ...})):
 *   {type: "init", options}   options as CNNTrain.Trainer takes them (design, train, validation,
 *                             batchSize, epochs, seed, optimizer, shift); replies "ready" with
 *                             the design's layers, shapes and parameter count
 *   {type: "train"}           runs batches until the run ends or a "pause" arrives
 *   {type: "pause"}           stops after the current batch
 *   {type: "step", probe}     runs ONE batch (probe: {tensor, index}, optional)
 *   {type: "reset"}           a fresh run with the last init's options (the same seed)
 *   {type: "export", extra}   replies "export" with Trainer.exportNet(extra)
 * Messages out: {type: "ready", describe}, {type: "progress", result} after every batch (the
 * step's result), {type: "summary", ...} when the run ends (all epochs, or diverged), and
 * {type: "error", message} with the engine's one-sentence message.
 */
/* global importScripts */
(function () {
  "use strict";
  importScripts("digitnet.js", "cnntrain.js");

  var trainer = null;
  var lastOptions = null;
  var running = false;

  function summary() {
    trainer.start(true);                         // epoch 0's metrics, for the summary
    return {type: "summary", epochs: trainer.history.map(function (h) {
      return {epoch: h.epoch, loss: h.loss, accuracy: h.accuracy, val_loss: h.val_loss, val_accuracy: h.val_accuracy};
    }), steps: trainer.steps, diverged: trainer.diverged};
  }

  function runOne(probe) {
    var result = trainer.step(probe);
    self.postMessage({type: "progress", result: result});
    if (result.done) {
      running = false;
      self.postMessage(summary());
    }
    return result;
  }

  // one batch per task, so a "pause" message is handled between batches
  function loop() {
    if (!running || !trainer) return;
    runOne();
    if (running) setTimeout(loop, 0);
  }

  self.onmessage = function (ev) {
    var msg = ev.data || {};
    try {
      if (msg.type === "init" || msg.type === "reset") {
        running = false;
        if (msg.type === "init") lastOptions = msg.options;
        if (!lastOptions) throw new Error("reset needs an init first; send init with the options.");
        trainer = new self.CNNTrain.Trainer(lastOptions);
        var d = trainer.network.describe;
        self.postMessage({type: "ready", describe: {layers: d.layers, tensors: d.tensors, parameters: d.parameters}});
      } else if (!trainer) {
        throw new Error(msg.type + " needs an init first; send init with the options.");
      } else if (msg.type === "train") {
        if (!running) { running = true; setTimeout(loop, 0); }
      } else if (msg.type === "pause") {
        running = false;
      } else if (msg.type === "step") {
        running = false;
        runOne(msg.probe);
      } else if (msg.type === "export") {
        self.postMessage({type: "export", net: trainer.exportNet(msg.extra)});
      } else {
        throw new Error("unknown message type " + msg.type + "; use init, train, pause, step, reset or export.");
      }
    } catch (e) {
      running = false;
      self.postMessage({type: "error", message: e.message});
    }
  };
})();

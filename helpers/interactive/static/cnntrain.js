/* cnntrain.js - trains a small CNN in the page (plain JavaScript, no libraries, no DOM), the
 * engine of chapter 21's playground, run in its Web Worker (playground-worker.js).
 *
 * The forward pass is DigitNet's (digitnet.js: conv2d, relu, maxpool, dense, softmax, forward),
 * the one implementation of it; this file adds what training needs: a design (a layer list in
 * the export's format, helpers.digitnet.layer_table) checked and completed, its shapes and
 * parameter count, seeded initial weights, the backward pass of every layer, the loss, Keras 3's
 * optimisers (SGD, SGD with momentum, Adam), a trainer (seeded shuffling, minibatches,
 * optional seeded shifts, per-epoch validation) and the export of the trained weights in the
 * format of digitnet-weights.json (digitnet/2) so the chapter-16 explorer can open them.
 *
 * Arrays are flat Float64Arrays in channels-last order, as digitnet.js and Keras store them:
 *   a map (H, W, C):          index (i * W + j) * C + c
 *   a kernel (k, k, Cin, F):  index ((u * k + v) * Cin + ci) * F + f
 *   a dense kernel (N, U):    index n * U + u
 * Loadable by Node (module.exports; it requires ./digitnet.js), by a page after digitnet.js
 * (window.CNNTrain) and by a Web Worker after importScripts("digitnet.js").
 * tests/js/cnntrain.test.js checks it against TensorFlow (tests/js/fixtures/cnntrain-tf.json.gz).
 */
(function (root, factory) {
  "use strict";
  if (typeof module !== "undefined" && module.exports) module.exports = factory(require("./digitnet.js"));
  else {
    if (!root.DigitNet) throw new Error("cnntrain.js needs digitnet.js: load it first");
    root.CNNTrain = factory(root.DigitNet);
  }
})(typeof self !== "undefined" ? self : this, function (D) {
  "use strict";

  var KERNELS = [3, 5];
  var POOL = 2;
  var MAX_FILTERS = 64;
  var MAX_UNITS = 512;
  var DEFAULT_INPUT = [28, 28, 1];
  var DEFAULT_CLASSES = 10;

  // ------------------------------------------------------------------ designs
  function isCount(n, max) {
    return typeof n === "number" && Math.floor(n) === n && n >= 1 && n <= max;
  }

  function where(n, L) {
    return "layer " + (n + 1) + (L && typeof L.name === "string" ? " (" + L.name + ")" : "");
  }

  /* A design checked and completed into the export's layer list (helpers.digitnet.layer_table):
   * every layer gets its name (conv1, pool1, ... as the book's network; the last dense layer
   * "dense"), stride, activation and the names of the maps it leaves (a conv layer with ReLU
   * leaves "convN" and "reluN", the last layer "logits" and "probabilities").
   * A design lists {kind: "conv", filters, kernel: 3 or 5, activation: "relu" or none},
   * {kind: "maxpool"} (2x2, stride 2), {kind: "flatten"}, {kind: "dense", units, activation}
   * (the last one: softmax over the classes). A bad design throws an Error whose message is
   * one sentence naming the layer and the fix. */
  function normalise(design, inputShape, classes) {
    var shape = (inputShape || DEFAULT_INPUT).slice(), nClasses = classes || DEFAULT_CLASSES;
    if (!Array.isArray(design) || design.length === 0)
      throw new Error("design must be a non-empty list of layers; give at least a flatten and a dense layer.");
    var counts = {conv: 0, maxpool: 0, dense: 0}, flat = false, rows = [];
    var denseTotal = design.filter(function (L) { return L && L.kind === "dense"; }).length;
    design.forEach(function (L, n) {
      var last = n === design.length - 1;
      if (!L || typeof L !== "object") throw new Error(where(n, null) + " is not a layer; give an object with a kind.");
      // the name the layer gets, so that a message names it as the page will
      var at = where(n, {name: L.name || (L.kind === "conv" ? "conv" + (counts.conv + 1)
        : L.kind === "maxpool" ? "pool" + (counts.maxpool + 1) : L.kind === "flatten" ? "flatten"
          : L.kind === "dense" ? (last && denseTotal === 1 ? "dense" : "dense" + (counts.dense + 1)) : undefined)});
      var act = L.activation === undefined || L.activation === "linear" ? null : L.activation;
      var row = {kind: L.kind};
      if (L.kind === "conv") {
        if (flat) throw new Error(at + " is a conv layer after the flatten; move it before the flatten.");
        if (!isCount(L.filters, MAX_FILTERS))
          throw new Error(at + ": filters must be a whole number from 1 to " + MAX_FILTERS + ", got " + L.filters + ".");
        if (KERNELS.indexOf(L.kernel) < 0)
          throw new Error(at + ": kernel must be 3 or 5, got " + L.kernel + ".");
        if (L.stride !== undefined && L.stride !== 1)
          throw new Error(at + ": a conv layer here moves by 1 pixel; remove its stride " + L.stride + ".");
        if (act !== null && act !== "relu")
          throw new Error(at + ": a conv layer's activation must be relu or none, got " + act + ".");
        if (shape[0] < L.kernel || shape[1] < L.kernel)
          throw new Error(at + ": its " + L.kernel + "x" + L.kernel + " kernel does not fit the " + shape.join("x") +
                          " map it receives; use a smaller kernel or fewer layers before it.");
        counts.conv++;
        row.name = L.name || "conv" + counts.conv;
        row.filters = L.filters; row.kernel = L.kernel; row.stride = 1; row.activation = act;
        if (act) { row.linear = row.name; row.output = "relu" + counts.conv; } else row.output = row.name;
        shape = [shape[0] - L.kernel + 1, shape[1] - L.kernel + 1, L.filters];
      } else if (L.kind === "maxpool") {
        if (flat) throw new Error(at + " is a pooling layer after the flatten; move it before the flatten.");
        if ((L.size !== undefined && L.size !== POOL) || (L.stride !== undefined && L.stride !== POOL))
          throw new Error(at + ": pooling here is 2x2 with stride 2; remove its size and stride.");
        if (shape[0] < POOL || shape[1] < POOL)
          throw new Error(at + ": the " + shape.join("x") + " map it receives is smaller than its 2x2 window; " +
                          "remove this pooling layer or a layer before it.");
        counts.maxpool++;
        row.name = L.name || "pool" + counts.maxpool;
        row.size = POOL; row.stride = POOL; row.output = row.name;
        shape = [Math.floor((shape[0] - POOL) / POOL) + 1, Math.floor((shape[1] - POOL) / POOL) + 1, shape[2]];
      } else if (L.kind === "flatten") {
        if (flat) throw new Error(at + " is a second flatten; remove it.");
        flat = true;
        row.name = L.name || "flatten"; row.output = row.name;
        shape = [shape[0] * shape[1] * shape[2]];
      } else if (L.kind === "dense") {
        if (!flat) throw new Error(at + " is a dense layer before any flatten; put a flatten before it.");
        counts.dense++;
        if (last) {
          if (L.units !== nClasses)
            throw new Error(at + ": the last layer must have " + nClasses + " units, one per class, got " + L.units + ".");
          if (act !== "softmax")
            throw new Error(at + ": the last layer's activation must be softmax, got " + act + ".");
          row.name = L.name || (denseTotal === 1 ? "dense" : "dense" + counts.dense);
          row.units = L.units; row.activation = "softmax"; row.linear = "logits"; row.output = "probabilities";
        } else {
          if (!isCount(L.units, MAX_UNITS))
            throw new Error(at + ": units must be a whole number from 1 to " + MAX_UNITS + ", got " + L.units + ".");
          if (act !== null && act !== "relu")
            throw new Error(at + ": a hidden dense layer's activation must be relu or none, got " + act + ".");
          row.name = L.name || "dense" + counts.dense;
          row.units = L.units; row.activation = act;
          if (act) { row.linear = row.name; row.output = row.name + "_relu"; } else row.output = row.name;
        }
        shape = [L.units];
      } else {
        throw new Error(at + ": unknown kind " + L.kind + "; use conv, maxpool, flatten or dense.");
      }
      if (shape.length === 3 && (shape[0] < 1 || shape[1] < 1))
        throw new Error(at + " leaves a map smaller than 1x1; remove it or a layer before it.");
      rows.push(row);
    });
    var end = rows[rows.length - 1];
    if (end.kind !== "dense" || end.activation !== "softmax")
      throw new Error(where(rows.length - 1, end) + " must be the dense softmax layer with " + nClasses +
                      " units; end the design with one.");
    var names = {input: true};
    rows.forEach(function (row, n) {
      [row.linear, row.output].forEach(function (m) {
        if (m === undefined) return;
        if (names[m]) throw new Error(where(n, row) + ": the map name " + m + " is used twice; rename the layer.");
        names[m] = true;
      });
    });
    return rows;
  }

  /* What the page shows while a reader edits a design: every layer's output shape and
   * parameter count, the trainable tensors (Keras' order and shapes) and the total. */
  function describe(design, inputShape, classes) {
    var rows = normalise(design, inputShape, classes), shape = (inputShape || DEFAULT_INPUT).slice();
    var layers = [], tensors = [], total = 0;
    rows.forEach(function (L) {
      var inShape = shape, params = 0;
      if (L.kind === "conv") {
        shape = [inShape[0] - L.kernel + 1, inShape[1] - L.kernel + 1, L.filters];
        tensors.push({name: L.name + "/kernel", shape: [L.kernel, L.kernel, inShape[2], L.filters]});
        tensors.push({name: L.name + "/bias", shape: [L.filters]});
        params = L.kernel * L.kernel * inShape[2] * L.filters + L.filters;
      } else if (L.kind === "maxpool") {
        shape = [Math.floor(inShape[0] / L.size), Math.floor(inShape[1] / L.size), inShape[2]];
      } else if (L.kind === "flatten") {
        shape = [inShape[0] * inShape[1] * inShape[2]];
      } else {
        shape = [L.units];
        tensors.push({name: L.name + "/kernel", shape: [inShape[0], L.units]});
        tensors.push({name: L.name + "/bias", shape: [L.units]});
        params = inShape[0] * L.units + L.units;
      }
      total += params;
      layers.push({name: L.name, kind: L.kind, input: inShape, output: shape, params: params});
    });
    return {layers: layers, rows: rows, tensors: tensors, parameters: total};
  }

  // ------------------------------------------------------------------ seeded numbers
  /* mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a seed -> a function giving
   * uniform numbers in [0, 1). Small and fast; not Keras' generator, so a seed here gives other
   * weights and another batch order than the same seed in Keras. */
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // one independent stream per use of the seed (weights, batch order, shifts)
  function stream(seed, which) {
    return mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(which, 0x85ebca77)) >>> 0);
  }

  /* Keras' default initial weights in kind: Glorot-uniform kernels (uniform in +-sqrt(6 /
   * (fan_in + fan_out)), fan = kernel area x channels in / out, or the dense layer's inputs /
   * units) and zero biases, drawn from mulberry32(seed). */
  function initWeights(tensors, seed) {
    var rand = stream(seed, 1), out = {};
    tensors.forEach(function (t) {
      var n = t.shape.reduce(function (a, b) { return a * b; }, 1), arr = new Float64Array(n);
      if (t.shape.length > 1) {
        var area = t.shape.length === 4 ? t.shape[0] * t.shape[1] : 1;
        var fanIn = area * t.shape[t.shape.length - 2], fanOut = area * t.shape[t.shape.length - 1];
        var limit = Math.sqrt(6 / (fanIn + fanOut));
        for (var i = 0; i < n; i++) arr[i] = (2 * rand() - 1) * limit;
      }
      out[t.name] = arr;
    });
    return out;
  }

  // ------------------------------------------------------------------ backward
  /* Conv layer backward (no padding, stride s): g (oh, ow, F), the loss' gradient with respect
   * to the layer's values before its activation, adds to dW (k, k, C, F) and db (F), and, if
   * dx is given, to dx (H, W, C), the gradient with respect to the layer's input x; with
   * zerosDead, only where x is not 0 (see Network: the layers below would zero the rest). */
  function convBackward(x, H, W, C, g, kernel, k, F, s, dW, db, dx, zerosDead) {
    var oh = Math.floor((H - k) / s) + 1, ow = Math.floor((W - k) / s) + 1, nz = new Int32Array(F), t, f;
    for (var i = 0; i < oh; i++) {
      for (var j = 0; j < ow; j++) {
        var o = (i * ow + j) * F, m = 0;
        for (f = 0; f < F; f++) {                      // the filters this position sends a gradient
          var gf = g[o + f];
          if (gf !== 0) { db[f] += gf; nz[m++] = f; }
        }
        if (m === 0) continue;
        for (var u = 0; u < k; u++) {
          for (var v = 0; v < k; v++) {
            var xi = ((i * s + u) * W + (j * s + v)) * C, ki = (u * k + v) * C * F;
            for (var c = 0; c < C; c++) {
              var kc = ki + c * F, xv = x[xi + c];
              if (xv !== 0) for (t = 0; t < m; t++) { f = nz[t]; dW[kc + f] += xv * g[o + f]; }
              else if (zerosDead) continue;
              if (dx) {
                var sum = 0;
                for (t = 0; t < m; t++) { f = nz[t]; sum += kernel[kc + f] * g[o + f]; }
                dx[xi + c] += sum;
              }
            }
          }
        }
      }
    }
  }

  /* Max-pool backward: each window's gradient goes to the first largest value in the window,
   * rows first (as DigitNet.maxpool picks it and as TensorFlow's MaxPoolGrad routes ties).
   * dx (H, W, C) is overwritten. */
  function maxpoolBackward(x, H, W, C, g, size, s, dx) {
    var oh = Math.floor((H - size) / s) + 1, ow = Math.floor((W - size) / s) + 1;
    dx.fill(0);
    for (var i = 0; i < oh; i++) for (var j = 0; j < ow; j++) for (var c = 0; c < C; c++) {
      var gv = g[(i * ow + j) * C + c];
      if (gv === 0) continue;
      var m = -Infinity, best = -1;
      for (var u = 0; u < size; u++) for (var v = 0; v < size; v++) {
        var at = ((i * s + u) * W + (j * s + v)) * C + c;
        if (x[at] > m) { m = x[at]; best = at; }
      }
      if (best >= 0) dx[best] += gv;
    }
  }

  /* Dense backward: g (U) adds to dW (N, U) and db (U); dx (N), if given, is overwritten
   * (with zerosDead, 0 where x is 0). */
  function denseBackward(x, g, kernel, units, dW, db, dx, zerosDead) {
    var q;
    for (q = 0; q < units; q++) db[q] += g[q];
    for (var n = 0; n < x.length; n++) {
      var xv = x[n], row = n * units;
      if (xv !== 0) for (q = 0; q < units; q++) dW[row + q] += xv * g[q];
      else if (zerosDead) { if (dx) dx[n] = 0; continue; }
      if (dx) {
        var sum = 0;
        for (q = 0; q < units; q++) sum += kernel[row + q] * g[q];
        dx[n] = sum;
      }
    }
  }

  /* A network to train: the completed layer list, DigitNet's net object for its forward pass,
   * the tensors, and per layer the shapes and scratch gradient buffers of the backward pass
   * (allocated once). */
  function Network(design, inputShape, classes) {
    var d = describe(design, inputShape, classes);
    this.inputShape = (inputShape || DEFAULT_INPUT).slice();
    this.classes = classes || DEFAULT_CLASSES;
    this.layers = d.rows;
    this.describe = d;
    this.tensors = d.tensors;
    this.parameters = d.parameters;
    this.net = {input: {shape: this.inputShape.slice()}, layers: d.rows};
    var firstTrainable = -1;
    this.plan = d.layers.map(function (info, n) {
      var L = d.rows[n];
      if (firstTrainable < 0 && (L.kind === "conv" || L.kind === "dense")) firstTrainable = n;
      var size = info.input.reduce(function (a, b) { return a * b; }, 1);
      return {L: L, inShape: info.input, outShape: info.output, source: n === 0 ? "input" : d.rows[n - 1].output,
              // the gradient with respect to this layer's input: needed only above the first
              // trainable layer
              dx: null, inSize: size};
    });
    this.plan.forEach(function (p, n) {
      if (n > firstTrainable && p.L.kind !== "flatten") p.dx = new Float64Array(p.inSize);
    });
    // zerosDead: the layer's input is a ReLU's output (directly, or through max-pools and a
    // flatten). A 0 there came from a ReLU that was not active (a pool window's maximum 0 means
    // all four were 0, and the window's gradient goes to one of them), so the ReLU's backward
    // zeroes whatever gradient reaches that input: the backward pass need not compute it.
    var dead = false;
    this.plan.forEach(function (p) {
      p.zerosDead = dead;
      if (p.L.activation === "relu") dead = true;
      else if (p.L.kind !== "maxpool" && p.L.kind !== "flatten") dead = false;
    });
    this.dz = new Float64Array(this.classes);
  }

  Network.prototype.zeroGradients = function () {
    var out = {};
    this.tensors.forEach(function (t) {
      out[t.name] = new Float64Array(t.shape.reduce(function (a, b) { return a * b; }, 1));
    });
    return out;
  };

  /* One example: DigitNet's forward pass, then its backward pass. Adds scale x the gradient
   * of the example's cross-entropy to grads; returns {loss (of the example), prediction}. */
  Network.prototype.example = function (weights, image, label, scale, grads) {
    var r = D.forward(this.net, weights, image), plan = this.plan, last = plan[plan.length - 1].L;
    var z = r[last.linear], p = r[last.output], m = -Infinity, i, sum = 0;
    for (i = 0; i < z.length; i++) if (z[i] > m) m = z[i];
    for (i = 0; i < z.length; i++) sum += Math.exp(z[i] - m);
    var loss = Math.log(sum) - (z[label] - m);          // -log softmax(z)[label], from the logits
    var g = this.dz;
    for (i = 0; i < p.length; i++) g[i] = scale * (p[i] - (i === label ? 1 : 0));
    for (var n = plan.length - 1; n >= 0; n--) {
      var P = plan[n], L = P.L, x = r[P.source], inS = P.inShape;
      if (L.activation === "relu") {
        var out = r[L.output];
        for (i = 0; i < g.length; i++) if (!(out[i] > 0)) g[i] = 0;
      }
      if (L.kind === "conv") {
        if (P.dx) P.dx.fill(0);
        convBackward(x, inS[0], inS[1], inS[2], g, weights[L.name + "/kernel"], L.kernel, L.filters, L.stride,
                     grads[L.name + "/kernel"], grads[L.name + "/bias"], P.dx, P.zerosDead);
      } else if (L.kind === "maxpool") {
        if (P.dx) maxpoolBackward(x, inS[0], inS[1], inS[2], g, L.size, L.stride, P.dx);
      } else if (L.kind === "dense") {
        denseBackward(x, g, weights[L.name + "/kernel"], L.units, grads[L.name + "/kernel"], grads[L.name + "/bias"],
                      P.dx, P.zerosDead);
      }
      if (L.kind !== "flatten") {
        if (!P.dx) break;                                // nothing trainable below this layer
        g = P.dx;
      }
    }
    return {loss: loss, prediction: r.prediction};
  };

  /* A batch: the mean sparse categorical cross-entropy over the batch (as Keras' loss, which
   * takes the softmax layer's logits), its gradient for every tensor and the correct count.
   * images: a flat array of n examples (each H*W*C values); labels: n class numbers. */
  Network.prototype.batch = function (weights, images, labels, n) {
    var size = this.inputShape[0] * this.inputShape[1] * this.inputShape[2];
    var grads = this.zeroGradients(), loss = 0, correct = 0;
    for (var e = 0; e < n; e++) {
      var res = this.example(weights, images.subarray(e * size, (e + 1) * size), labels[e], 1 / n, grads);
      loss += res.loss;
      correct += res.prediction === labels[e] ? 1 : 0;
    }
    return {loss: loss / n, correct: correct, grads: grads};
  };

  /* Mean loss and accuracy of the weights on a data set ({x, y}), forward passes only. */
  Network.prototype.evaluate = function (weights, data) {
    var size = this.inputShape[0] * this.inputShape[1] * this.inputShape[2], last = this.layers[this.layers.length - 1];
    var n = data.y.length, loss = 0, correct = 0;
    for (var e = 0; e < n; e++) {
      var r = D.forward(this.net, weights, data.x.subarray(e * size, (e + 1) * size));
      var z = r[last.linear], m = -Infinity, s = 0, i;
      for (i = 0; i < z.length; i++) if (z[i] > m) m = z[i];
      for (i = 0; i < z.length; i++) s += Math.exp(z[i] - m);
      loss += Math.log(s) - (z[data.y[e]] - m);
      correct += r.prediction === data.y[e] ? 1 : 0;
    }
    return {loss: loss / n, accuracy: correct / n};
  };

  // ------------------------------------------------------------------ optimisers
  function positive(settings, key, fallback, below) {
    var v = settings[key] === undefined ? fallback : settings[key];
    if (typeof v !== "number" || !(v > 0) || !(below === undefined || v < below))
      throw new Error("optimizer " + key + " must be a number above 0" + (below === undefined ? "" : " and below " + below) +
                      ", got " + v + ".");
    return v;
  }

  /* Keras 3's update rules, tensor by tensor (keras/src/optimizers/sgd.py, adam.py):
   *   SGD:            w = w - lr * g
   *   SGD + momentum: v = momentum * v - lr * g;  w = w + v            (nesterov off)
   *   Adam:           t = t + 1;  m = m + (g - m) * (1 - beta1);  v = v + (g^2 - v) * (1 - beta2);
   *                   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
   *                   w = w - m * alpha / (sqrt(v) + epsilon)
   * (epsilon is added to the uncorrected sqrt(v), as Keras does). Keras holds the learning rate
   * in a float32 variable and turns momentum, beta1 and beta2 (in the powers) into float32
   * constants before casting them to the weights' type; so does this (Math.fround), which makes
   * its float64 steps equal Keras' float64 steps. settings: {name: "sgd" or
   * "adam", learningRate, momentum (sgd, default 0), beta1, beta2, epsilon (adam, defaults
   * 0.9, 0.999, 1e-7)}. */
  function Optimizer(settings, tensors) {
    var s = settings || {};
    this.name = s.name || "adam";
    if (this.name !== "sgd" && this.name !== "adam")
      throw new Error("optimizer name must be sgd or adam, got " + this.name + ".");
    this.learningRate = positive(s, "learningRate", this.name === "adam" ? 0.001 : 0.01);
    this.iterations = 0;
    this.slots = {};
    var self = this, zeros = function (t) { return new Float64Array(t.shape.reduce(function (a, b) { return a * b; }, 1)); };
    if (this.name === "sgd") {
      var mom = s.momentum === undefined ? 0 : s.momentum;
      if (typeof mom !== "number" || !(mom >= 0 && mom < 1))
        throw new Error("optimizer momentum must be a number from 0 to below 1, got " + mom + ".");
      this.momentum = mom;
      if (mom !== 0) tensors.forEach(function (t) { self.slots[t.name] = {v: zeros(t)}; });
    } else {
      this.beta1 = s.beta1 === undefined ? 0.9 : positive(s, "beta1", 0.9, 1);
      this.beta2 = s.beta2 === undefined ? 0.999 : positive(s, "beta2", 0.999, 1);
      this.epsilon = positive(s, "epsilon", 1e-7);
      tensors.forEach(function (t) { self.slots[t.name] = {m: zeros(t), v: zeros(t)}; });
    }
  }

  Optimizer.prototype.settings = function () {
    var out = {name: this.name, learningRate: this.learningRate};
    if (this.name === "sgd") out.momentum = this.momentum;
    else { out.beta1 = this.beta1; out.beta2 = this.beta2; out.epsilon = this.epsilon; }
    return out;
  };

  /* One update of every tensor in weights (in place) from grads (same names). */
  Optimizer.prototype.apply = function (weights, grads) {
    var lr = Math.fround(this.learningRate), i;
    var names = Object.keys(grads);
    if (this.name === "adam") {
      var t = this.iterations + 1, b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
      var alpha = lr * Math.sqrt(1 - Math.pow(Math.fround(b2), t)) / (1 - Math.pow(Math.fround(b1), t));
      for (var a = 0; a < names.length; a++) {
        var w = weights[names[a]], g = grads[names[a]], m = this.slots[names[a]].m, v = this.slots[names[a]].v;
        for (i = 0; i < w.length; i++) {
          m[i] += (g[i] - m[i]) * (1 - b1);
          v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
          w[i] -= m[i] * alpha / (Math.sqrt(v[i]) + eps);
        }
      }
    } else {
      for (var b = 0; b < names.length; b++) {
        var w2 = weights[names[b]], g2 = grads[names[b]];
        if (this.momentum !== 0) {
          var vel = this.slots[names[b]].v, mu = Math.fround(this.momentum);
          for (i = 0; i < w2.length; i++) { vel[i] = mu * vel[i] - lr * g2[i]; w2[i] += vel[i]; }
        } else {
          for (i = 0; i < w2.length; i++) w2[i] -= lr * g2[i];
        }
      }
    }
    this.iterations++;
  };

  // ------------------------------------------------------------------ data
  /* Digits as uint8 ink (0-255) -> the network's input, pixel / 255 rounded to float32 as
   * Keras reads helpers.digitnet.load_split's float32 images. */
  function pixels(bytes) {
    var out = new Float64Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) out[i] = Math.fround(bytes[i] / 255);
    return out;
  }

  function checkData(name, data, size, classes) {
    if (!data || !data.x || !data.y) throw new Error(name + " must be {x, y}: a flat array of images and their labels.");
    var n = data.y.length;
    if (n < 1) throw new Error(name + " has no examples; give at least one.");
    if (data.x.length !== n * size)
      throw new Error(name + ".x holds " + data.x.length + " values, " + n + " images of " + size +
                      " need " + n * size + "; give one image per label.");
    for (var e = 0; e < n; e++) {
      var c = data.y[e];
      if (!(Math.floor(c) === c && c >= 0 && c < classes))
        throw new Error(name + ".y[" + e + "] is " + c + "; labels must be whole numbers from 0 to " + (classes - 1) + ".");
    }
    return {x: data.x instanceof Float64Array ? data.x : Float64Array.from(data.x), y: Int32Array.from(data.y)};
  }

  /* image (H, W, C) shifted by (dy, dx) pixels into out, the uncovered border set to 0. */
  function shiftImage(image, H, W, C, dy, dx, out) {
    out.fill(0);
    for (var i = Math.max(0, dy); i < Math.min(H, H + dy); i++) {
      var from = ((i - dy) * W + Math.max(0, -dx)) * C, to = (i * W + Math.max(0, dx)) * C;
      out.set(image.subarray(from, from + (W - Math.abs(dx)) * C), to);
    }
    return out;
  }

  // ------------------------------------------------------------------ the trainer
  /* A training run, one batch per step():
   *   options: design, train {x, y} (x: flat images in the network's units, e.g. pixels(bytes)),
   *   validation {x, y} (optional), inputShape [28, 28, 1], classes 10, batchSize 32,
   *   epochs (default 1), seed 0 (the initial weights, the batch order and the shifts, each from
   *   its own mulberry32 stream), optimizer (see Optimizer; default Adam 0.001), shift (0, 1 or
   *   2: shift every training image by up to that many pixels each way, seeded).
   * Per epoch, as Keras' fit: a fresh shuffle of the training examples, batches in that order
   * (the last one may be smaller), the epoch's loss and accuracy (means over its examples as
   * they were trained), then the validation loss and accuracy. */
  function Trainer(options) {
    var o = options || {};
    this.network = new Network(o.design, o.inputShape, o.classes);
    var size = this.inputSize = this.network.inputShape.reduce(function (a, b) { return a * b; }, 1);
    this.train = checkData("train", o.train, size, this.network.classes);
    this.validation = o.validation ? checkData("validation", o.validation, size, this.network.classes) : null;
    this.batchSize = o.batchSize === undefined ? 32 : o.batchSize;
    if (!isCount(this.batchSize, 4096)) throw new Error("batchSize must be a whole number from 1 to 4096, got " + o.batchSize + ".");
    this.epochs = o.epochs === undefined ? 1 : o.epochs;
    if (!isCount(this.epochs, 1000)) throw new Error("epochs must be a whole number from 1 to 1000, got " + o.epochs + ".");
    this.seed = o.seed === undefined ? 0 : o.seed;
    if (!(Math.floor(this.seed) === this.seed && this.seed >= 0 && this.seed < 4294967296))
      throw new Error("seed must be a whole number from 0 to 2^32 - 1, got " + o.seed + ".");
    this.shift = o.shift === undefined ? 0 : o.shift;
    if ([0, 1, 2].indexOf(this.shift) < 0) throw new Error("shift must be 0, 1 or 2 pixels, got " + o.shift + ".");
    this.weights = initWeights(this.network.tensors, this.seed);
    this.optimizer = new Optimizer(o.optimizer, this.network.tensors);
    this.shuffleRand = stream(this.seed, 2);
    this.shiftRand = stream(this.seed, 3);
    this.batchX = new Float64Array(this.batchSize * size);
    this.batchY = new Int32Array(this.batchSize);
    this.batchesPerEpoch = Math.ceil(this.train.y.length / this.batchSize);
    this.epoch = 0;          // epochs finished
    this.batchInEpoch = 0;   // batches of the current epoch done
    this.steps = 0;          // batches done in all
    this.order = null;
    this.history = [];       // per epoch (0 = the start): loss, accuracy, val_loss, val_accuracy, weights
    this.running = {loss: 0, correct: 0, seen: 0};
    this.diverged = null;
  }

  function copyWeights(w) {
    var out = {};
    for (var k in w) if (Object.prototype.hasOwnProperty.call(w, k)) out[k] = Float64Array.from(w[k]);
    return out;
  }

  /* Epoch 0, the start: its weights are kept before the first batch (step() does it); its
   * metrics (as the export's first epoch) are computed from them when first asked for, so
   * that a run that never exports does not pay for them. Returns that record. */
  Trainer.prototype.start = function (metrics) {
    if (!this.history.length)
      this.history.push({epoch: 0, loss: null, accuracy: null, val_loss: null, val_accuracy: null,
                         weights: copyWeights(this.weights), measured: false});
    var h = this.history[0];
    if (metrics && !h.measured) {
      var tr = this.network.evaluate(h.weights, this.train);
      var va = this.validation ? this.network.evaluate(h.weights, this.validation) : {loss: null, accuracy: null};
      h.loss = tr.loss; h.accuracy = tr.accuracy; h.val_loss = va.loss; h.val_accuracy = va.accuracy;
      h.measured = true;
    }
    return h;
  };

  Trainer.prototype.done = function () {
    return this.diverged !== null || this.epoch >= this.epochs;
  };

  /* Runs ONE batch. probe (optional): {tensor, index} of one weight, whose value before, batch
   * gradient, update and value after are reported. Returns {epoch (1-based), batch (1-based,
   * within the epoch), batches, step, size, loss, accuracy (of this batch), probe, epochEnd
   * (that epoch's record when this batch ended it), diverged, done}. A loss that is not a
   * finite number stops the run: the weights are left as they were and diverged is
   * {epoch, batch, step}. */
  Trainer.prototype.step = function (probe) {
    if (this.done()) return {done: true, diverged: this.diverged};
    if (probe && !(this.weights[probe.tensor] && probe.index >= 0 && probe.index < this.weights[probe.tensor].length))
      throw new Error("probe must name a tensor (" + this.network.tensors.map(function (t) { return t.name; }).join(", ") +
                      ") and an index inside it.");
    this.start();
    var n = this.train.y.length, size = this.inputSize, shape = this.network.inputShape, e;
    if (this.batchInEpoch === 0) {
      this.order = new Int32Array(n);
      for (e = 0; e < n; e++) this.order[e] = e;
      for (e = n - 1; e > 0; e--) {                     // Fisher-Yates
        var r = Math.floor(this.shuffleRand() * (e + 1)), tmp = this.order[e];
        this.order[e] = this.order[r]; this.order[r] = tmp;
      }
      this.running = {loss: 0, correct: 0, seen: 0};
    }
    var first = this.batchInEpoch * this.batchSize, count = Math.min(this.batchSize, n - first);
    for (e = 0; e < count; e++) {
      var src = this.order[first + e], image = this.train.x.subarray(src * size, (src + 1) * size);
      var dst = this.batchX.subarray(e * size, (e + 1) * size);
      if (this.shift) {
        var dy = Math.floor(this.shiftRand() * (2 * this.shift + 1)) - this.shift;
        var dx = Math.floor(this.shiftRand() * (2 * this.shift + 1)) - this.shift;
        shiftImage(image, shape[0], shape[1], shape[2], dy, dx, dst);
      } else dst.set(image);
      this.batchY[e] = this.train.y[src];
    }
    var res = this.network.batch(this.weights, this.batchX, this.batchY, count);
    var out = {epoch: this.epoch + 1, batch: this.batchInEpoch + 1, batches: this.batchesPerEpoch,
               step: this.steps + 1, size: count, loss: res.loss, accuracy: res.correct / count,
               probe: null, epochEnd: null, diverged: null, done: false};
    if (!isFinite(res.loss)) {
      this.diverged = out.diverged = {epoch: out.epoch, batch: out.batch, step: out.step};
      out.done = true;
      return out;
    }
    var w0 = probe ? this.weights[probe.tensor][probe.index] : 0;
    this.optimizer.apply(this.weights, res.grads);
    if (probe) {
      var w1 = this.weights[probe.tensor][probe.index];
      out.probe = {tensor: probe.tensor, index: probe.index, before: w0, gradient: res.grads[probe.tensor][probe.index],
                   update: w1 - w0, after: w1};
    }
    this.steps++;
    this.batchInEpoch++;
    this.running.loss += res.loss * count;
    this.running.correct += res.correct;
    this.running.seen += count;
    if (this.batchInEpoch === this.batchesPerEpoch) {
      var va = this.validation ? this.network.evaluate(this.weights, this.validation) : {loss: null, accuracy: null};
      this.epoch++;
      this.batchInEpoch = 0;
      var rec = {epoch: this.epoch, loss: this.running.loss / this.running.seen,
                 accuracy: this.running.correct / this.running.seen, val_loss: va.loss, val_accuracy: va.accuracy,
                 weights: copyWeights(this.weights)};
      this.history.push(rec);
      out.epochEnd = {epoch: rec.epoch, loss: rec.loss, accuracy: rec.accuracy, val_loss: rec.val_loss,
                      val_accuracy: rec.val_accuracy};
      out.done = this.done();
    }
    return out;
  };

  /* Runs the batches that remain of the current epoch; returns its record. */
  Trainer.prototype.runEpoch = function () {
    var res;
    do res = this.step(); while (!res.done && !res.epochEnd);
    return res;
  };

  // ------------------------------------------------------------------ export
  var f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

  /* The IEEE 754 half-precision bits of x rounded to float32 first, then to float16 (nearest,
   * ties to even), as numpy's x.astype(float32).astype(float16) in helpers.digitnet.export_file;
   * DigitNet.halfToFloat reads them back. */
  function floatToHalf(x) {
    f32[0] = x;
    var b = u32[0], sign = (b >>> 16) & 0x8000, exp = (b >>> 23) & 0xff, mant = b & 0x7fffff;
    if (exp === 255) return sign | 0x7c00 | (mant ? 0x200 : 0);
    var e = exp - 127 + 15;
    if (e >= 31) return sign | 0x7c00;
    if (e <= 0) {                                       // a subnormal half, or zero
      if (e < -10) return sign;
      var full = mant | 0x800000, s = 14 - e, half = 1 << (s - 1), rem = full & ((1 << s) - 1), m = full >>> s;
      if (rem > half || (rem === half && (m & 1))) m++;
      return sign | m;
    }
    var h = (e << 10) | (mant >>> 13), low = mant & 0x1fff;
    if (low > 0x1000 || (low === 0x1000 && (h & 1))) h++;
    return sign | h;
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
    return btoa(text);
  }

  /* Tensors (by name, in `tensors` order) as one little-endian base64 blob of float32 or
   * float16, as helpers.digitnet.encode_weights writes it. */
  function encodeWeights(weights, tensors, dtype) {
    var total = 0;
    tensors.forEach(function (t) { total += weights[t.name].length; });
    var size = dtype === "float16" ? 2 : 4, view = new DataView(new ArrayBuffer(total * size)), at = 0;
    tensors.forEach(function (t) {
      var w = weights[t.name];
      for (var i = 0; i < w.length; i++, at += size) {
        if (size === 4) view.setFloat32(at, w[i], true);
        else view.setUint16(at, floatToHalf(w[i]), true);
      }
    });
    return base64(new Uint8Array(view.buffer));
  }

  function round6(v) {
    return v === null ? null : Math.round(v * 1e6) / 1e6;
  }

  /* The run as an export in the format of digitnet-weights.json (digitnet/2, as
   * helpers.digitnet.export writes it): the layers, the tensors, and for every epoch so far
   * (0 = the start) its metrics and weights, the last epoch as float32, the earlier ones as
   * float16. extra: {preprocessing (the explorer's settings: take the shipped export's),
   * data (a sentence naming the training data), classes (the names of the classes, in the
   * order of the last layer's units; none: the ten digits) and set (the data's kind, stored as
   * training.set: "digits", "fashion", or "own" for drawings prepared by digitnet.js inkBytes)}. */
  Trainer.prototype.exportNet = function (extra) {
    var x = extra || {}, self = this, tensors = this.network.tensors;
    this.start(true);
    var last = this.history.length - 1;
    if (x.classes !== undefined && !(Array.isArray(x.classes) && x.classes.length === this.network.classes))
      throw new Error("classes must list the " + this.network.classes + " class names, one per unit of the last layer.");
    var out = {
      format: "digitnet/2",
      input: {shape: this.network.inputShape.slice(), scale: "pixel / 255, 0 = no ink"},
      preprocessing: x.preprocessing === undefined ? null : x.preprocessing,
      layers: this.network.layers.map(function (L) { return Object.assign({}, L); }),
      tensors: tensors.map(function (t) { return {name: t.name, shape: t.shape.slice()}; }),
      parameters: this.network.parameters,
      training: {
        seed: this.seed, epochs: last, batch_size: this.batchSize,
        optimizer: this.optimizer.name === "adam" ? "Adam" : this.optimizer.momentum ? "SGD with momentum" : "SGD",
        learning_rate: this.optimizer.learningRate, optimizer_settings: this.optimizer.settings(),
        shift: this.shift, data: x.data || "", engine: "cnntrain.js"
      },
      epochs: this.history.map(function (h, e) {
        var dtype = e === last ? "float32" : "float16";
        return {epoch: h.epoch, loss: round6(h.loss), accuracy: round6(h.accuracy), val_loss: round6(h.val_loss),
                val_accuracy: round6(h.val_accuracy), dtype: dtype, weights: encodeWeights(h.weights, self.network.tensors, dtype)};
      })
    };
    if (x.classes !== undefined) out.classes = x.classes.slice();
    if (x.set !== undefined) out.training.set = x.set;
    return out;
  };

  return {normalise: normalise, describe: describe, mulberry32: mulberry32, initWeights: initWeights,
          convBackward: convBackward, maxpoolBackward: maxpoolBackward, denseBackward: denseBackward,
          Network: Network, Optimizer: Optimizer, Trainer: Trainer, pixels: pixels, shiftImage: shiftImage,
          floatToHalf: floatToHalf, encodeWeights: encodeWeights};
});

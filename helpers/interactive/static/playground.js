/* playground.js - the playground of chapter 21: the reader designs a small CNN, chooses its data
 * and trains it in the page, with no Python and no server.
 *
 * helpers/interactive/playground.py gives one control output (helpers/interactive/page.py): a
 * <div class="cnn-playground" data-cnn-kind="playground"> holding the markup (playground.html)
 * and, in data-cnn, the colour maps, the drawing pad's preprocessing settings and the sets'
 * names; the data files of the book's digits and of Fashion-MNIST are lazy (cnnBook.lazy), so
 * the page loads one only when the reader trains on it. The network is CNNTrain's
 * (cnntrain.js): this file builds its design from the form, shows CNNTrain.describe's shapes
 * and parameters, and hands the training to a Web Worker (playground-worker.js: from its file
 * on the website, from a Blob URL of data.worker in a self-contained notebook output), so the
 * page stays responsive; it draws what the worker sends back.
 *
 * For tests, the control's div says data-state="idle", "training" (data-paused="true" while
 * paused) or "done", the validation line carries data-val-accuracy, and the reading of a
 * drawing counts the readings so far in data-readings. The pure functions
 * (form choices -> design and optimiser, the sentences, the written-out step) are exported for
 * Node (tests/js/playground.test.js).
 */
(function (root, book) {
  "use strict";
  var T = root.CNNTrain || (typeof require !== "undefined" ? require("./cnntrain.js") : null);
  var D = root.DigitNet || (typeof require !== "undefined" ? require("./digitnet.js") : null);
  var INPUT = [28, 28, 1];
  var PAD = 280, STROKE = 20;
  var MIN_EXAMPLES = 5;            // drawings per class before the reader's classes can train
  var OWN_NAMES = ["circle", "cross", "line", "triangle", "wave"];
  var LOAD_MS = 30000;             // bound on loading a data file
  var READY_MS = 30000;            // bound on the worker's first answer
  var MAPS = 8;                    // first-layer maps shown
  var DRAW_MS = 100;               // the curves and maps redrawn at most this often while training
  var EXPLODE = 10;                // a batch loss this many times the start's: the page warns
  var TRAIN_COLOUR = "#1f5fbf", VAL_COLOUR = "#c0392b";

  // ================================================================ pure
  function fmt(v, d) {
    if (v === null || v === undefined) return "–";
    if (!isFinite(v)) return isNaN(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity");
    var s = Number(v).toFixed(d === undefined ? 4 : d);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }

  /* A number as the arithmetic writes it: 4 significant digits, a negative one in brackets. */
  function num(v) {
    if (!isFinite(v)) return fmt(v);
    var s = Math.abs(v) >= 1e-4 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
    return v < 0 ? "(" + s + ")" : s;
  }

  function percent(v) {
    return (100 * v).toFixed(1) + "%";
  }

  /* The form's choices (plain values) -> CNNTrain's design: each conv layer (with ReLU or no
   * activation) and its pooling, a flatten, an optional hidden dense layer, the softmax layer. */
  function designFrom(c, classes) {
    var act = c.act === "relu" ? "relu" : undefined, out = [];
    for (var n = 0; n < c.convs; n++) {
      var L = c.layers[n];
      out.push({kind: "conv", filters: L.filters, kernel: L.kernel, activation: act});
      if (L.pool) out.push({kind: "maxpool"});
    }
    out.push({kind: "flatten"});
    if (c.hidden > 0) out.push({kind: "dense", units: c.hidden, activation: act});
    out.push({kind: "dense", units: classes, activation: "softmax"});
    return out;
  }

  /* The optimiser's settings for CNNTrain.Optimizer. */
  function optimizerFrom(c) {
    if (c.opt === "adam") return {name: "adam", learningRate: c.lr};
    return {name: "sgd", learningRate: c.lr, momentum: c.opt === "momentum" ? 0.9 : 0};
  }

  /* One sentence for a training setting the engine would refuse, or null. */
  function settingProblem(c) {
    if (!(c.lr > 0 && c.lr <= 10)) return "The learning rate must be a number above 0 and at most 10; type one such as 0.003.";
    if (!(Math.floor(c.epochs) === c.epochs && c.epochs >= 1 && c.epochs <= 20))
      return "Epochs must be a whole number from 1 to 20; type one such as 2.";
    if (!(Math.floor(c.seed) === c.seed && c.seed >= 0 && c.seed < 4294967296))
      return "The seed must be a whole number from 0 to 4294967295; type one such as 0.";
    return null;
  }

  /* The shapes table's rows from CNNTrain.describe: [layer, output shape, parameters]. */
  function shapeRows(d) {
    var rows = [["input", INPUT.join("×"), "0"]];
    d.layers.forEach(function (L, n) {
      var name = L.name + (L.kind === "conv" ? (d.rows[n].activation ? " + ReLU" : ", no activation") : "");
      rows.push([name, L.output.join("×"), String(L.params)]);
    });
    rows.push(["total", "", String(d.parameters)]);
    return rows;
  }

  /* The reader's classes: one sentence saying what is missing before they can train, or null. */
  function ownProblem(names, counts) {
    var seen = {};
    for (var k = 0; k < names.length; k++) {
      var nm = names[k].trim();
      if (!nm) return "Class " + (k + 1) + " has no name; type one.";
      if (seen[nm]) return "Two classes are called " + nm + "; give each class its own name.";
      seen[nm] = true;
    }
    for (k = 0; k < names.length; k++) {
      if (counts[k] < MIN_EXAMPLES)
        return "Class " + names[k].trim() + " has " + counts[k] + " example" + (counts[k] === 1 ? "" : "s") +
               "; draw at least " + MIN_EXAMPLES + " of each class before training.";
    }
    return null;
  }

  /* Why chapter 16's explorer cannot show the network trained with choices `c`, or null. It
   * draws the maps of any design the page builds, and reads digits or the reader's own classes
   * (drawn on its pad, prepared as here: digitnet.js inkBytes); Fashion-MNIST's photos are not
   * drawings and none ship with chapter 16, so a network trained on them has nothing to read there. */
  function explorerProblem(c) {
    if (c.data === "fashion")
      return "Chapter 16's explorer reads drawings and pictures prepared as handwriting, and it has no " +
             "Fashion-MNIST photos to show: explore a network trained on the digits or on your own classes there.";
    return null;
  }

  /* The sentence naming a run's training data, for the export: `n` examples, of `classes` (names). */
  function dataSentence(c, n, classes) {
    if (c.data === "own")
      return "your " + n + " drawing" + (n === 1 ? "" : "s") + " of " + classes.join(", ") + " (chapter 21), seed " + c.seed;
    return "the first " + n + " of the playground's digits (chapter 21), seed " + c.seed;
  }

  /* What the page says when the loss stopped being a number. */
  function divergedText(div, c) {
    return "The loss became NaN (not a number) at epoch " + div.epoch + ", batch " + div.batch +
           ": the updates made the weights too large, so the learning rate " + c.lr + " is too high for " +
           ({sgd: "SGD", momentum: "SGD with momentum", adam: "Adam"})[c.opt] +
           ". Training stopped. Press Reset, lower the learning rate (try " + (c.opt === "adam" ? "0.003" : "0.05") +
           ") and train again.";
  }

  /* Where filter 1's centre weight is in a first-layer kernel (k, k, 1, F): the weight Step
     writes out. */
  function centreIndex(k, filters) {
    var c = Math.floor(k / 2);
    return (c * k + c) * filters;
  }

  /* What the page says when a batch's loss has grown past EXPLODE times the loss before
     training (the loss is computed from the logits, so it stays a number long after the
     weights have run away; NaN comes only when they overflow), or null. */
  function explodedText(res, startLoss, c) {
    if (typeof startLoss !== "number" || !(startLoss > 0)) throw new Error("startLoss must be the loss before training, a number above 0.");
    if (!(isFinite(res.loss) && res.loss > EXPLODE * startLoss)) return null;
    return "The loss jumped to " + num(res.loss) + " at epoch " + res.epoch + ", batch " + res.batch + ", more than " +
           EXPLODE + " times its " + fmt(startLoss, 2) + " before training: the learning rate " + c.lr +
           " is too high, each update overshoots. Training goes on so you can watch; press Reset, lower the " +
           "learning rate and train again.";
  }

  /* The probed weight (a first-layer kernel's centre) in words. */
  function probeName(tensor, index, k, filters) {
    var f = index % filters, cell = Math.floor(index / filters), u = Math.floor(cell / k), v = cell % k;
    return tensor + ", filter " + (f + 1) + ", row " + (u + 1) + ", column " + (v + 1);
  }

  /* One step of one weight written out, line by line, from the worker's probe (the engine's
   * before, gradient, update and after, and the optimiser's state after the update). */
  function stepLines(p, batch) {
    var o = p.optimizer, lr = o.learningRate, g = p.gradient, lines = [];
    lines.push("before this batch: w = " + num(p.before));
    lines.push("gradient of the batch's mean loss (" + batch + " examples) with respect to w: g = " + num(g));
    if (o.name === "sgd" && !o.momentum) {
      lines.push("SGD: w − lr × g = " + num(p.before) + " − " + num(lr) + " × " + num(g) + " = " + num(p.after));
    } else if (o.name === "sgd") {
      var prev = (o.velocity + lr * g) / o.momentum;
      lines.push("velocity: v = " + num(o.momentum) + " × " + num(prev) + " − " + num(lr) + " × " + num(g) +
                 " = " + num(o.velocity));
      lines.push("SGD with momentum: w + v = " + num(p.before) + " + " + num(o.velocity) + " = " + num(p.after));
    } else {
      var alpha = lr * Math.sqrt(1 - Math.pow(o.beta2, o.t)) / (1 - Math.pow(o.beta1, o.t));
      lines.push("Adam, step t = " + o.t + ": running mean of g: m = " + num(o.m) + ", of g²: v = " + num(o.v));
      lines.push("step size: lr × √(1 − " + o.beta2 + "^" + o.t + ") / (1 − " + o.beta1 + "^" + o.t + ") = " + num(alpha));
      lines.push("update: −" + num(alpha) + " × m / (√v + " + o.epsilon + ") = " + num(p.update));
      lines.push("w + update = " + num(p.before) + " + " + num(p.update) + " = " + num(p.after));
    }
    return lines;
  }

  /* Points of a curve in a w × h picture: values[i] at x = xs[i] of `steps`, y from lo to hi
   * (top); a value that is not a number gives null (drawn as a gap and marked NaN). */
  function curvePoints(xs, values, steps, lo, hi, w, h) {
    var pad = 8;
    return values.map(function (v, i) {
      if (!isFinite(v)) return null;
      var t = Math.max(lo, Math.min(hi, v));
      return [pad + (w - 2 * pad) * xs[i] / Math.max(1, steps), h - pad - (h - 2 * pad) * (t - lo) / (hi - lo)];
    });
  }

  /* The loss axis' top: the largest finite loss seen (at least ln(classes) + a margin). */
  function lossTop(values, classes) {
    var top = Math.log(classes) * 1.2;
    values.forEach(function (v) { if (isFinite(v) && v > top) top = v; });
    return top;
  }

  /* A map or kernel as RGBA: values from lo to hi into the colour map (256 RGB triples). */
  function colourPixels(values, n, stride, offset, lo, hi, cmap, px) {
    for (var k = 0; k < n; k++) {
      var v = values[k * stride + offset], t = hi > lo ? Math.round((v - lo) / (hi - lo) * 255) : 0;
      t = Math.max(0, Math.min(255, t));
      px[4 * k] = cmap[3 * t]; px[4 * k + 1] = cmap[3 * t + 1]; px[4 * k + 2] = cmap[3 * t + 2]; px[4 * k + 3] = 255;
    }
    return px;
  }

  // ================================================================ the page
  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function context(rootEl, data) {
    var q = function (sel) { return rootEl.querySelector(sel); };
    return {root: rootEl, data: data, q: q, form: q(".pg-form"), magma: bytes(data.cmaps.magma),
            rdbu: bytes(data.cmaps.rdbu), sets: {}, own: {names: OWN_NAMES.slice(0, 3), examples: [[], [], []]},
            worker: null, run: null, frame: null};
  }

  function choice(x) {
    var f = x.form, v = function (n) { return f.elements[n].value; };
    var layers = [1, 2, 3].map(function (n) {
      return {filters: +v("f" + n), kernel: +v("k" + n), pool: f.elements["p" + n].checked};
    });
    return {data: v("data"), count: +v("count"), convs: +v("convs"), layers: layers, act: v("act"), hidden: +v("hidden"), opt: v("opt"),
            lr: parseFloat(v("lr")), batch: +v("batch"), epochs: parseFloat(v("epochs")), aug: f.elements.aug.checked,
            seed: parseFloat(v("seed"))};
  }

  function classNames(x, c) {
    return c.data === "own" ? x.own.names.slice() : x.data.sets[c.data].classes;
  }

  function say(x, text) {
    x.q(".pg-message").textContent = text || "";
  }

  function setState(x, s, paused) {
    x.root.setAttribute("data-state", s);
    if (paused) x.root.setAttribute("data-paused", "true");
    else x.root.removeAttribute("data-paused");
    var busy = s === "training";
    x.q(".pg-pause").disabled = !busy || !!paused;
    x.q(".pg-train").textContent = "Train";
    x.q(".pg-train").disabled = busy && !paused;
    x.q(".pg-step").disabled = s === "done" || (busy && !paused);
    x.form.querySelectorAll("fieldset").forEach(function (fs) { fs.disabled = s !== "idle"; });
    x.q(".pg-own").querySelectorAll("input, select").forEach(function (i) { i.disabled = s !== "idle"; });
  }

  /* The design as chosen, or an Error with the engine's sentence; redraws the shapes table. */
  function showDesign(x) {
    var c = choice(x), body = x.q(".pg-shapes tbody");
    x.form.querySelectorAll(".pg-conv").forEach(function (row) {
      row.hidden = +row.getAttribute("data-layer") > c.convs;
    });
    x.q(".pg-own").hidden = c.data !== "own";
    body.textContent = "";
    var problem = settingProblem(c), d = null;
    try {
      d = T.describe(designFrom(c, classNames(x, c).length), INPUT, classNames(x, c).length);
    } catch (e) {
      problem = "This design cannot be built: " + e.message;
    }
    if (d) {
      shapeRows(d).forEach(function (r) {
        var tr = el("tr");
        r.forEach(function (cell, k) {
          var td = el(k === 0 ? "th" : "td", null, cell);
          if (k === 0) td.setAttribute("scope", "row");
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    say(x, problem);
    return {choice: c, problem: problem, describe: d};
  }

  // ---------------------------------------------------------------- data
  function unpackSet(part) {
    var n = part.y.length, out = new Uint8Array(n * 784);
    part.ink.forEach(function (t, e) { out.set(D.unpackDigit(t), e * 784); });
    return {bytes: out, y: part.y.slice()};
  }

  /* A promise of the chosen data {train, validation, classes}. */
  function dataFor(x, c) {
    if (c.data === "own") {
      var problem = ownProblem(x.own.names, x.own.examples.map(function (e) { return e.length; }));
      if (problem) return Promise.reject(new Error(problem));
      var all = [], y = [];
      x.own.examples.forEach(function (list, k) { list.forEach(function (b) { all.push(b); y.push(k); }); });
      var buf = new Uint8Array(all.length * 784);
      all.forEach(function (b, e) { buf.set(b, e * 784); });
      return Promise.resolve({train: {bytes: buf, y: y}, validation: null, classes: x.own.names.slice()});
    }
    var cut = function (set) {
      var n = c.count > 0 ? Math.min(c.count, set.train.y.length) : set.train.y.length;
      return {train: {bytes: set.train.bytes.slice(0, n * 784), y: set.train.y.slice(0, n)},
              validation: set.validation, classes: set.classes};
    };
    if (x.sets[c.data]) return Promise.resolve(cut(x.sets[c.data]));
    say(x, "Loading the " + (c.data === "digits" ? "digits" : "Fashion-MNIST photos") + "…");
    var got = x.data[c.data] ? Promise.resolve(x.data[c.data]) : book.lazy(x.root, c.data, LOAD_MS);
    return got.then(function (file) {
      x.sets[c.data] = {train: unpackSet(file.train), validation: unpackSet(file.validation), classes: file.classes};
      say(x, "");
      return cut(x.sets[c.data]);
    });
  }

  // ---------------------------------------------------------------- the worker
  function newWorker(x) {
    if (x.data.worker) {
      var url = URL.createObjectURL(new Blob([x.data.worker], {type: "text/javascript"}));
      var w = new Worker(url);
      URL.revokeObjectURL(url);
      return w;
    }
    return new Worker(((book && book.base) || "") + "playground-worker.js");
  }

  function stopWorker(x) {
    if (x.worker) x.worker.terminate();
    x.worker = null;
    x.exporting = false;
    clearTimeout(x.readyTimer);
  }

  /* A new run: the worker started on the chosen design and data; then(after) once ready. */
  function startRun(x, after) {
    var d = showDesign(x);
    if (d.problem) return;
    var c = d.choice;
    setState(x, "training", true);
    x.q(".pg-train").disabled = x.q(".pg-step").disabled = true;
    dataFor(x, c).then(function (set) {
      var classes = set.classes.length, first = d.describe.rows[0];
      x.run = {choice: c, set: set, classes: set.classes, steps: [], loss: [], acc: [], valX: [], valLoss: [],
               valAcc: [], batches: 0, total: 0, diverged: null, ready: false,
               probe: {tensor: first.name + "/kernel",
                       index: centreIndex(first.kernel, first.filters)},
               k: first.kernel, filters: first.filters};
      stopWorker(x);
      x.worker = newWorker(x);
      x.worker.onmessage = function (ev) { onMessage(x, ev.data); };
      x.worker.onerror = function (ev) {
        ev.preventDefault();
        fail(x, "The training worker stopped: " + (ev.message || "an error in the worker") + ". Press Reset to start again.");
      };
      x.readyTimer = setTimeout(function () {
        fail(x, "The training worker did not start within " + READY_MS / 1000 + " s. Press Reset to try again.");
      }, READY_MS);
      x.afterReady = after;
      var fixedSource = set.validation || set.train;
      x.worker.postMessage({
        type: "init",
        options: {design: designFrom(c, classes), classes: classes, batchSize: c.batch, epochs: c.epochs, seed: c.seed,
                  optimizer: optimizerFrom(c), shift: c.aug ? 2 : 0},
        train: set.train, validation: set.validation, fixed: fixedSource.bytes.slice(0, 784), probe: x.run.probe
      });
    }, function (e) {
      setState(x, "idle");
      say(x, e.message);
    });
  }

  function fail(x, text) {
    stopWorker(x);
    x.q(".pg-explore").hidden = true;  // no worker left to write the network's export
    setState(x, "done");
    x.q(".pg-step").disabled = true;
    say(x, text);
  }

  function onMessage(x, m) {
    var r = x.run;
    if (!r) return;
    if (m.type === "ready") {
      clearTimeout(x.readyTimer);
      r.ready = true;
      r.batches = m.batches;
      r.total = m.batches * r.choice.epochs;
      r.startLoss = m.start.loss;
      r.valX.push(0); r.valLoss.push(m.start.val_loss === null ? m.start.loss : m.start.val_loss);
      r.valAcc.push(m.start.val_accuracy === null ? m.start.accuracy : m.start.val_accuracy);
      showVal(x, 0, m.start);
      if (m.view) r.view = m.view;
      schedule(x, !!m.view);
      if (x.afterReady) x.afterReady();
    } else if (m.type === "batch" || m.type === "done") {
      var res = m.res;
      if (res && res.step) {
        r.steps.push(res.step); r.loss.push(res.loss); r.acc.push(res.accuracy);
        r.progress = "Epoch " + res.epoch + " of " + r.choice.epochs + ", batch " + res.batch + " of " + res.batches +
                     ": loss " + fmt(res.loss, 3) + ", accuracy " + percent(res.accuracy) + " on this batch.";
        if (res.epochEnd) {
          r.valX.push(res.step);
          r.valLoss.push(res.epochEnd.val_loss === null ? res.epochEnd.loss : res.epochEnd.val_loss);
          r.valAcc.push(res.epochEnd.val_accuracy === null ? res.epochEnd.accuracy : res.epochEnd.val_accuracy);
          showVal(x, res.epochEnd.epoch, res.epochEnd);
        }
        if (res.probe) showStep(x, res);
        var jump = r.warned ? null : explodedText(res, r.startLoss, r.choice);
        if (jump) { r.warned = true; say(x, jump); }
      }
      if (m.view) r.view = m.view;
      schedule(x, !!m.view);
      if (m.type === "done") {
        setState(x, "done");
        if (res && res.diverged) {
          r.diverged = res.diverged;
          say(x, divergedText(res.diverged, r.choice));
          x.q(".pg-reset").focus();
        } else {
          say(x, "Training finished: " + r.choice.epochs + " epoch" + (r.choice.epochs === 1 ? "" : "s") + ", " +
                 r.steps.length + " batches.");
        }
        if (m.result) showResults(x, m.result);
        x.q(".pg-read-btn").disabled = r.choice.data !== "own";
        if (!r.diverged) showExplore(x);
      }
    } else if (m.type === "export") {
      openExplorer(x, m.net);
    } else if (m.type === "paused") {
      setState(x, "training", true);
    } else if (m.type === "probabilities") {
      showReading(x, m.p);
    } else if (m.type === "error" && x.exporting) {
      exportFailed(x, m.message);
    } else if (m.type === "error") {
      fail(x, "Training stopped: " + m.message + " Press Reset to start again.");
    }
  }

  // ---------------------------------------------------------------- to chapter 16's explorer
  /* After a run: the button that opens the trained network in chapter 16's explorer, or the
     sentence saying why this run cannot go there. */
  function showExplore(x) {
    var box = x.q(".pg-explore"), btn = x.q(".pg-explore-btn"), note = x.q(".pg-explore-note");
    var problem = x.data.worker ? "Opening your network in chapter 16's explorer works on the book's website, " +
                                  "where both chapters are pages." : explorerProblem(x.run.choice);
    box.hidden = false;
    btn.hidden = !!problem;
    note.textContent = problem || "The explorer opens with your network in place of the book's, in this tab; " +
                                  "its Back button returns to the book's network.";
  }

  /* The export stored for the explorer (book.TRAINED_NET), then chapter 16 opened. */
  function openExplorer(x, net) {
    var T = book.TRAINED_NET;
    x.exporting = false;
    var problem = storeNet(root, T.key, net);
    if (problem) {
      x.q(".pg-explore-note").textContent = problem;
      return;
    }
    root.location.href = T.page + T.hash;
  }

  /* `net` stored in the tab's sessionStorage (of `win`, the window) under `key`: null, or the
     sentence saying why the browser refused (a browser that blocks the site's storage throws
     on reading win.sessionStorage itself). The network stored before goes first: it would count
     against the storage's quota, and when the new one cannot be stored the explorer must not
     show the old one as this run's. */
  function storeNet(win, key, net) {
    try {
      var storage = win.sessionStorage;
      storage.removeItem(key);
      storage.setItem(key, JSON.stringify(net));
      return null;
    } catch (e) {
      return "The browser refused to store the network for the explorer (" + (e && e.name || "an error") + "): " +
             "allow this site's storage, or try a smaller design.";
    }
  }

  /* An export the worker could not write: the button goes, its note says why; the trained
     network stays on the page. */
  function exportFailed(x, message) {
    x.exporting = false;
    x.q(".pg-explore-btn").hidden = true;
    x.q(".pg-explore-note").textContent = "The network could not be prepared for chapter 16's explorer: " + message;
  }

  function showVal(x, epoch, rec) {
    var v = x.q(".pg-val");
    if (rec.val_accuracy === null) {
      v.setAttribute("data-val-accuracy", "");
      v.textContent = "Validation accuracy: none (your own classes have no validation set: every drawing trains). " +
                      "Training accuracy after epoch " + epoch + ": " + percent(rec.accuracy) + ".";
      return;
    }
    v.setAttribute("data-val-accuracy", String(rec.val_accuracy));
    var n = x.run.set.validation.y.length;
    v.textContent = "Validation accuracy " + (epoch === 0 ? "before training" : "after epoch " + epoch) + ": " +
                    percent(rec.val_accuracy) + " (" + Math.round(rec.val_accuracy * n) + " of " + n + "), loss " +
                    fmt(rec.val_loss, 3) + ".";
  }

  function showStep(x, res) {
    var box = x.q(".pg-step-out"), r = x.run, p = res.probe;
    box.textContent = "";
    box.appendChild(el("p", "pg-cap", "Step " + res.step + " (epoch " + res.epoch + ", batch " + res.batch + "): " +
                       probeName(p.tensor, p.index, r.k, r.filters)));
    var ol = el("ol", "pg-sum");
    stepLines(p, res.size).forEach(function (line) { ol.appendChild(el("li", null, line)); });
    box.appendChild(ol);
    box.setAttribute("data-gradient", String(p.gradient));
  }

  // ---------------------------------------------------------------- drawing
  /* Redraws in an animation frame at most every DRAW_MS, once however many messages came in
   * (a batch message every few ms with small batches): the curves and the progress line, then,
   * only when a new view came (the worker sends one at most every 150 ms), the first layer's
   * kernels and maps in the next frame, so that no frame carries both. The frames in between
   * are left to the reader's drawing and scrolling. */
  function schedule(x, view) {
    if (!x.frame) {
      var wait = Math.max(0, (x.drawnAt || 0) + DRAW_MS - Date.now());
      x.frame = {view: false};
      setTimeout(function () {
        requestAnimationFrame(function () {
          var f = x.frame, r = x.run;
          x.frame = null;
          x.drawnAt = Date.now();
          if (!r) return;
          if (r.progress) x.q(".pg-progress").textContent = r.progress;
          drawCurves(x);
          if (f.view) requestAnimationFrame(function () { if (x.run === r) drawFirstLayer(x); });
        });
      }, wait);
    }
    if (view) x.frame.view = true;
  }

  function drawCurve(canvas, r, train, val, lo, hi, label) {
    var g = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
    g.fillStyle = "#fff"; g.fillRect(0, 0, w, h);
    g.strokeStyle = "#bbb"; g.lineWidth = 1; g.strokeRect(8.5, 8.5, w - 17, h - 17);
    g.fillStyle = "#333"; g.font = "11px sans-serif";
    g.fillText(fmt(hi, 2), 10, 19); g.fillText(fmt(lo, 2), 10, h - 11);
    [[r.steps, train, TRAIN_COLOUR, false], [r.valX, val, VAL_COLOUR, true]].forEach(function (s) {
      var pts = curvePoints(s[0], s[1], r.total, lo, hi, w, h), started = false;
      g.strokeStyle = g.fillStyle = s[2]; g.lineWidth = s[3] ? 2 : 1;
      g.beginPath();
      pts.forEach(function (p) {
        if (!p) { started = false; return; }
        if (started) g.lineTo(p[0], p[1]); else g.moveTo(p[0], p[1]);
        started = true;
      });
      g.stroke();
      if (s[3]) pts.forEach(function (p) { if (p) { g.beginPath(); g.arc(p[0], p[1], 3, 0, 2 * Math.PI); g.fill(); } });
    });
    if (r.diverged) {
      g.fillStyle = VAL_COLOUR; g.font = "bold 14px sans-serif";
      g.fillText("NaN", w - 50, 28);
    }
    canvas.setAttribute("aria-label", label);
  }

  function drawCurves(x) {
    var r = x.run, n = r.loss.length, last = n ? n - 1 : -1;
    var tail = function (arr, k) { return k >= 0 && k < arr.length ? fmt(arr[k], 3) : "–"; };
    drawCurve(x.q(".pg-loss"), r, r.loss, r.valLoss, 0, lossTop(r.loss.concat(r.valLoss), r.classes.length),
              "Loss: " + n + " of " + r.total + " batches trained; last batch " + tail(r.loss, last) +
              "; validation " + r.valLoss.map(function (v) { return fmt(v, 3); }).join(", ") +
              (r.diverged ? "; the loss became NaN" : ""));
    drawCurve(x.q(".pg-acc"), r, r.acc, r.valAcc, 0, 1,
              "Accuracy: " + n + " of " + r.total + " batches trained; last batch " + tail(r.acc, last) +
              "; validation " + r.valAcc.map(function (v) { return fmt(v, 3); }).join(", "));
  }

  function tile(parent, k, w, h, cls, label) {
    var holder = parent.children[k];
    if (!holder) {
      holder = el("div", cls);
      var c = el("canvas");
      c.width = w; c.height = h;
      c.setAttribute("role", "img");
      holder.appendChild(c);
      holder.appendChild(el("span", null, ""));
      parent.appendChild(holder);
    }
    var canvas = holder.firstChild;
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    canvas.setAttribute("aria-label", label);
    holder.lastChild.textContent = String(k + 1);
    return canvas;
  }

  function drawFirstLayer(x) {
    var v = x.run.view, kBox = x.q(".pg-kernels"), mBox = x.q(".pg-maps");
    if (!v) return;
    while (kBox.children.length > v.filters) kBox.removeChild(kBox.lastChild);
    var lim = 0, f, k2 = v.k * v.k;
    for (var i = 0; i < v.kernel.length; i++) lim = Math.max(lim, Math.abs(v.kernel[i]));
    for (f = 0; f < v.filters; f++) {
      var c = tile(kBox, f, v.k, v.k, "pg-tile", "kernel " + (f + 1) + " of " + v.layer + ", colour scale ±" + fmt(lim, 3));
      var g = c.getContext("2d"), img = g.createImageData(v.k, v.k);
      colourPixels(v.kernel, k2, v.filters, f, -lim, lim, x.rdbu, img.data);
      g.putImageData(img, 0, 0);
    }
    var shown = Math.min(MAPS, v.filters), H = v.shape[0], W = v.shape[1];
    while (mBox.children.length > shown) mBox.removeChild(mBox.lastChild);
    for (f = 0; f < shown; f++) {
      var lo = Infinity, hi = -Infinity;
      for (var p = 0; p < H * W; p++) { var val = v.maps[p * v.filters + f]; lo = Math.min(lo, val); hi = Math.max(hi, val); }
      var mc = tile(mBox, f, W, H, "pg-tile", "map " + (f + 1) + " of " + v.layer + " (" + H + "×" + W + "), from " +
                    fmt(lo, 2) + " to " + fmt(hi, 2));
      var mg = mc.getContext("2d"), mi = mg.createImageData(W, H);
      colourPixels(v.maps, H * W, v.filters, f, Math.min(0, lo), hi, x.magma, mi.data);
      mg.putImageData(mi, 0, 0);
    }
  }

  function digitCanvas(b) {
    var c = el("canvas"), g;
    c.width = 28; c.height = 28;
    g = c.getContext("2d");
    var img = g.createImageData(28, 28);
    for (var k = 0; k < 784; k++) {
      var v = 255 - b[k];
      img.data[4 * k] = img.data[4 * k + 1] = img.data[4 * k + 2] = v; img.data[4 * k + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    return c;
  }

  function showResults(x, res) {
    var box = x.q(".pg-results"), names = x.run.classes, set = res.on === "validation" ? x.run.set.validation : x.run.set.train;
    box.textContent = "";
    var wrap = el("div", "pg-scroll"), table = el("table", "pg-confusion");
    table.appendChild(el("caption", null, "Confusion matrix of the " + res.on + " set: rows the true class, columns what the network read"));
    var head = el("tr");
    head.appendChild(el("th", null, "true \\ read")).setAttribute("scope", "col");
    names.forEach(function (nm) { head.appendChild(el("th", null, nm)).setAttribute("scope", "col"); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    res.matrix.forEach(function (row, t) {
      var tr = el("tr");
      tr.appendChild(el("th", null, names[t])).setAttribute("scope", "row");
      row.forEach(function (v, p) {
        var td = el("td", p === t ? "pg-diag" : v ? "pg-off" : "", String(v));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    wrap.appendChild(table);
    box.appendChild(wrap);
    box.appendChild(el("div", "pg-cap", res.misread.length ? "Misread examples (the first " + res.misread.length + ")" :
                                                              "No example of the " + res.on + " set is misread."));
    var list = el("div", "pg-misread");
    res.misread.forEach(function (m) {
      var fig = el("figure", "pg-tile"), c = digitCanvas(set.bytes.subarray(m.index * 784, (m.index + 1) * 784));
      var text = "a " + names[m.label] + " read as " + names[m.read] + " (" + percent(m.confidence) + ")";
      c.setAttribute("role", "img");
      c.setAttribute("aria-label", text);
      fig.appendChild(c);
      fig.appendChild(el("figcaption", null, text));
      list.appendChild(fig);
    });
    box.appendChild(list);
  }

  // ---------------------------------------------------------------- own classes
  function buildClasses(x) {
    var n = +x.q("[name=nclasses]").value, box = x.q(".pg-classes");
    while (x.own.names.length < n) { x.own.names.push(OWN_NAMES[x.own.names.length]); x.own.examples.push([]); }
    x.own.names.length = n; x.own.examples.length = n;
    box.textContent = "";
    x.own.names.forEach(function (nm, k) {
      var row = el("div", "pg-class"), id = x.root.id + "-class" + k;
      var label = el("label", null, "Class " + (k + 1) + " name");
      label.setAttribute("for", id);
      var input = el("input");
      input.id = id; input.type = "text"; input.value = nm; input.maxLength = 20;
      input.addEventListener("input", function () { x.own.names[k] = input.value; showDesign(x); });
      var add = el("button", "pg-add", "Add the drawing to class " + (k + 1));
      add.type = "button";
      var count = el("span", "pg-count", x.own.examples[k].length + " examples");
      add.addEventListener("click", function () { addDrawing(x, k); count.textContent = x.own.examples[k].length + " examples"; });
      row.appendChild(label); row.appendChild(input); row.appendChild(add); row.appendChild(count);
      box.appendChild(row);
    });
    showDesign(x);
  }

  /* The pad's drawing as the network gets it, to train on or to read (digitnet.js inkBytes: the
     one rule, the explorer's too), or null when the pad is empty. */
  function padImage(x) {
    var g = D.luminance(x.pctx.getImageData(0, 0, PAD, PAD).data, PAD, PAD);
    var pre = D.preprocess(g, PAD, PAD, x.data.preprocessing);
    return pre ? D.inkBytes(pre.image) : null;
  }

  function clearPad(x) {
    x.pctx.fillStyle = "#fff";
    x.pctx.fillRect(0, 0, PAD, PAD);
  }

  function addDrawing(x, k) {
    var image = padImage(x);
    if (!image) { say(x, "The pad is empty: draw an example, then add it."); return; }
    x.own.examples[k].push(image);
    clearPad(x);
    say(x, "Added to " + x.own.names[k] + ": " + x.own.examples[k].length + " examples.");
  }

  function readDrawing(x) {
    var image = padImage(x);
    if (!image) { x.q(".pg-read-out").textContent = "The pad is empty: draw something to read."; return; }
    if (!x.worker) return;
    x.worker.postMessage({type: "predict", image: Array.from(image)});
  }

  function showReading(x, p) {
    var names = x.run.classes, best = 0;
    var out = x.q(".pg-read-out");
    p.forEach(function (v, k) { if (v > p[best]) best = k; });
    out.textContent = "The network reads " + names[best] + ": " +
      names.map(function (nm, k) { return nm + " " + percent(p[k]); }).join(", ") + ".";
    out.setAttribute("data-readings", String(+(out.getAttribute("data-readings") || 0) + 1));
  }

  function wirePad(x) {
    var pad = x.q(".pg-pad"), last = null;
    x.pctx = pad.getContext("2d", {willReadFrequently: true});
    clearPad(x);
    var at = function (ev) {
      var r = pad.getBoundingClientRect();
      return [(ev.clientX - r.left) * PAD / r.width, (ev.clientY - r.top) * PAD / r.height];
    };
    pad.addEventListener("pointerdown", function (ev) {
      last = at(ev);
      pad.setPointerCapture(ev.pointerId);
      x.pctx.fillStyle = "#000";
      x.pctx.beginPath(); x.pctx.arc(last[0], last[1], STROKE / 2, 0, 2 * Math.PI); x.pctx.fill();
    });
    pad.addEventListener("pointermove", function (ev) {
      if (!last) return;
      var p = at(ev), g = x.pctx;
      g.strokeStyle = "#000"; g.lineWidth = STROKE; g.lineCap = "round";
      g.beginPath(); g.moveTo(last[0], last[1]); g.lineTo(p[0], p[1]); g.stroke();
      last = p;
    });
    ["pointerup", "pointercancel"].forEach(function (t) { pad.addEventListener(t, function () { last = null; }); });
    x.q(".pg-clear").addEventListener("click", function () { clearPad(x); });
  }

  // ---------------------------------------------------------------- mount
  function reset(x) {
    stopWorker(x);
    x.run = null;
    setState(x, "idle");
    ["pg-kernels", "pg-maps", "pg-results"].forEach(function (c) { x.q("." + c).textContent = ""; });
    x.q(".pg-step-out").innerHTML = "<p>Press Step to train one batch and see one weight's gradient and update written out.</p>";
    x.q(".pg-progress").textContent = "Not trained yet.";
    var v = x.q(".pg-val");
    v.setAttribute("data-val-accuracy", "");
    v.textContent = "Validation accuracy: not measured yet.";
    ["pg-loss", "pg-acc"].forEach(function (c) {
      var cv = x.q("." + c);
      cv.getContext("2d").clearRect(0, 0, cv.width, cv.height);
      cv.setAttribute("aria-label", (c === "pg-loss" ? "Loss" : "Accuracy") + ": nothing trained yet");
    });
    x.q(".pg-read-btn").disabled = true;
    x.q(".pg-explore").hidden = true;
    showDesign(x);
  }

  function mount(rootEl, data) {
    var x = context(rootEl, data);
    rootEl.playground = x;
    wirePad(x);
    buildClasses(x);
    reset(x);
    x.form.addEventListener("change", function () { showDesign(x); });
    x.form.addEventListener("input", function () { showDesign(x); });
    x.q("[name=nclasses]").addEventListener("change", function () { buildClasses(x); });
    x.q(".pg-train").addEventListener("click", function () {
      var s = rootEl.getAttribute("data-state");
      if (s === "done") reset(x);
      if (x.run && x.run.ready) {
        setState(x, "training");
        x.worker.postMessage({type: "run"});
      } else {
        startRun(x, function () { setState(x, "training"); x.worker.postMessage({type: "run"}); });
      }
    });
    x.q(".pg-pause").addEventListener("click", function () {
      if (x.worker) x.worker.postMessage({type: "pause"});
    });
    x.q(".pg-step").addEventListener("click", function () {
      if (x.run && x.run.ready) x.worker.postMessage({type: "step"});
      else startRun(x, function () { setState(x, "training", true); x.worker.postMessage({type: "step"}); });
    });
    x.q(".pg-reset").addEventListener("click", function () { reset(x); say(x, "Reset: nothing trained yet."); });
    x.q(".pg-read-btn").addEventListener("click", function () { readDrawing(x); });
    x.q(".pg-explore-btn").addEventListener("click", function () {
      if (!x.worker || x.exporting) return;
      x.exporting = true;
      var n = x.run.set.train.y.length;
      x.worker.postMessage({type: "export", preprocessing: data.preprocessing, classes: x.run.classes, set: x.run.choice.data,
                            data: dataSentence(x.run.choice, n, x.run.classes)});
    });
    return x;
  }

  var api = {mount: mount, fmt: fmt, num: num, designFrom: designFrom, optimizerFrom: optimizerFrom,
             settingProblem: settingProblem, shapeRows: shapeRows, ownProblem: ownProblem, divergedText: divergedText, explodedText: explodedText,
             centreIndex: centreIndex, probeName: probeName, stepLines: stepLines, curvePoints: curvePoints, lossTop: lossTop,
             colourPixels: colourPixels, explorerProblem: explorerProblem, dataSentence: dataSentence, storeNet: storeNet,
             MIN_EXAMPLES: MIN_EXAMPLES};
  if (book && typeof document !== "undefined") book.define("playground", mount);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this,
   typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

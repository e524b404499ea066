/* The kernel-free size and volume calculators (helpers/interactive/calculator.py).
   The same rules as Python: the output size and padding of ops.output_size in every
   convention, which library accepts a case, the results table, the padded grid and the
   volume sentence, and how a number box is read (a whole number within its limits, or a
   message naming the box: never a number clamped into range). tests/js/calc.test.js checks
   every function here against Python's text on a table of cases. The labels, messages and
   limits come from Python (the data-cnn JSON); a box is named by its accessible name. */
(function (book) {
  "use strict";
  var esc = book.esc;
  var GRID_MAX = 64;  // calculator.GRID_MAX: the widest padded grid drawn, in cells a side

  /* The whole number a box holding `text` gives, {value}, or {error: the message naming the
     box (`desc`) and what to type} (calculator.read_field). */
  function readField(text, lo, hi, desc) {
    var top = hi == null ? Number.MAX_SAFE_INTEGER : hi, v = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!(v >= lo && v <= top)) return { error: desc + ": type a whole number from " + lo + " to " + top };
    return { value: v };
  }

  /* A calculator's message in place of its results (calculator.message_html). */
  function messageHtml(message) {
    return '<p class="cnn-calc-error">' + esc(message) + "</p>";
  }

  /* One axis: {out, pads} for `before`/`after` zeros, or null if the window does not fit. */
  function fit(n, ke, s, before, after) {
    var span = n + before + after;
    if (ke > span) return null;
    return { out: Math.floor((span - ke) / s) + 1, pads: [before, after] };
  }

  /* TensorFlow's "same": ceil(n/s) outputs, the odd extra zero after. */
  function samePads(n, ke, s) {
    var total = Math.max((Math.ceil(n / s) - 1) * s + ke - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }

  /* Every convention for one axis, as calculator.sizes: {key: {out, pads} | {error}}. */
  function sizes(n, k, s, p, d, M) {
    var ke = d * (k - 1) + 1, same = samePads(n, ke, s), kerasBad = s > 1 && d > 1;
    function conv(before, after) {
      return fit(n, ke, s, before, after) || { error: M.too_big };
    }
    return {
      symmetric: conv(p, p),
      keras_valid: kerasBad ? { error: M.keras_dilation } : conv(0, 0),
      keras_same: kerasBad ? { error: M.keras_dilation } : conv(same[0], same[1]),
      torch_same: s > 1 ? { error: M.torch_stride } : conv(same[0], same[1])
    };
  }

  /* The padded input as a square grid (calculator.grid_html). */
  function grid(n, before, after, k, s, d, out) {
    var m = before + n + after, read = [], first = {}, i, j, r, c, h = '<table class="cnn-pad">';
    for (i = 0; i < m; i++) read.push(false);
    for (i = 0; i < out; i++) for (j = 0; j < k; j++) read[i * s + j * d] = true;
    for (j = 0; j < k; j++) first[j * d] = true;
    for (r = 0; r < m; r++) {
      h += "<tr>";
      for (c = 0; c < m; c++) {
        var cls = (r < before || r >= before + n || c < before || c >= before + n) ? "z" : "x";
        if (!(read[r] && read[c]) && cls === "x") cls += " u";
        if (first[r] && first[c]) cls += " w";
        h += '<td class="' + cls + '"></td>';
      }
      h += "</tr>";
    }
    return h + "</table>";
  }

  /* The grid of one convention, or its error as a paragraph (calculator.grid_or_error). */
  function gridOrError(res, n, k, s, d, conv) {
    var r = res[conv];
    if (!("out" in r)) return "<p>" + esc(r.error) + "</p>";
    var m = r.pads[0] + n + r.pads[1];
    if (m > GRID_MAX) {
      return "<p>grid not drawn: the padded input is " + m + " cells a side, more than the " + GRID_MAX +
        " it draws</p>";
    }
    return grid(n, r.pads[0], r.pads[1], k, s, d, r.out);
  }

  /* The four conventions as a table (calculator.results_html); L: [[key, label], ...]. */
  function results(res, L) {
    var h = '<table class="res">';
    L.forEach(function (kl) {
      var r = res[kl[0]];
      var val = ("out" in r) ? r.out + " (pads " + r.pads[0] + " before, " + r.pads[1] + " after)" : r.error;
      h += "<tr><td>" + esc(kl[1]) + "</td><td>" + esc(val) + "</td></tr>";
    });
    return h + "</table>";
  }

  /* Output side, weights and parameters of f filters k×k×c on n×n×c (calculator.volume). */
  function volume(n, c, f, k, s, p) {
    return { out: Math.floor((n + 2 * p - k) / s) + 1, weights: k * k * c * f, params: k * k * c * f + f };
  }

  /* The volume calculator's sentence (calculator.volume_text). */
  function volumeText(n, c, f, k, s, p) {
    if (k > n + 2 * p) return "kernel " + k + " is larger than the padded input " + (n + 2 * p);
    var r = volume(n, c, f, k, s, p);
    return n + "×" + n + "×" + c + " → " + r.out + "×" + r.out + "×" + f + "; each filter is " +
      k + "×" + k + "×" + c + "; " + r.weights + " weights + " + f + " biases = " + r.params +
      " parameters";
  }

  /* Every box of the form read (calculator.read_form): {values} or {error: the first box's
     message}; each box that cannot be read is marked aria-invalid. */
  function fields(root, bounds) {
    var v = {}, error = null;
    Object.keys(bounds).forEach(function (name) {
      var box = root.querySelector("[name=" + name + "]");
      var r = readField(box.value, bounds[name][0], bounds[name][1], box.getAttribute("aria-label") || name);
      box.setAttribute("aria-invalid", r.error ? "true" : "false");
      if (r.error && !error) error = r.error;
      v[name] = r.value;
    });
    return error ? { error: error } : { values: v };
  }

  function mountCalc(root, D) {
    function update() {
      var f = fields(root, D.bounds), v = f.values;
      if (f.error) {
        root.querySelector(".results").innerHTML = messageHtml(f.error);
        root.querySelector(".grid").innerHTML = "";
        return;
      }
      var res = sizes(v.n, v.k, v.s, v.p, v.d, D.messages);
      root.querySelector(".results").innerHTML = results(res, D.labels);
      root.querySelector(".grid").innerHTML =
        gridOrError(res, v.n, v.k, v.s, v.d, root.querySelector("[name=conv]").value);
    }
    root.querySelectorAll("input,select").forEach(function (e) { e.addEventListener("input", update); });
    update();
  }

  function mountVolume(root, D) {
    function update() {
      var f = fields(root, D.bounds), v = f.values, out = root.querySelector(".out");
      out.textContent = f.error || volumeText(v.n, v.c, v.f, v.k, v.s, v.p);
      out.classList.toggle("cnn-calc-error", !!f.error);
    }
    root.querySelectorAll("input").forEach(function (e) { e.addEventListener("input", update); });
    update();
  }

  if (book.define && typeof document !== "undefined") {
    book.define("calc", mountCalc);
    book.define("volume", mountVolume);
  }
  var api = { sizes: sizes, grid: grid, gridOrError: gridOrError, results: results,
           volume: volume, volumeText: volumeText, readField: readField, messageHtml: messageHtml,
           GRID_MAX: GRID_MAX };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

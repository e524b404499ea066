/* The kernel-free softmax control (helpers/interactive/softmax.py): three class scores and a
   true class give the softmax probabilities, the cross-entropy and each score's sigmoid.
   tests/js/softmax.test.js checks softmax() against helpers.learning.softmax and text()
   against softmax.softmax_text on a table of cases. */
(function (book) {
  "use strict";

  /* exp(z - max) / sum: class probabilities from scores (shifted to avoid overflow). */
  function softmax(z) {
    var m = Math.max.apply(null, z);
    var e = z.map(function (v) { return Math.exp(v - m); });
    var t = e.reduce(function (a, b) { return a + b; }, 0);
    return e.map(function (v) { return v / t; });
  }

  function sigmoid(z) {
    return 1 / (1 + Math.exp(-z));
  }

  function fixed3(v) {
    return v.toFixed(3);
  }

  /* logsumexp(z) - z[y]: the cross-entropy from the scores (learning.softmax_cross_entropy),
     finite even where softmax rounds a probability to 0. */
  function crossEntropy(z, y) {
    var m = Math.max.apply(null, z);
    return m + Math.log(z.reduce(function (a, v) { return a + Math.exp(v - m); }, 0)) - z[y];
  }

  /* The line the control writes (softmax.softmax_text). */
  function text(z, y) {
    var p = softmax(z);
    return "softmax: " + p.map(fixed3).join(", ") + " (sum 1) · cross-entropy for class " + y +
      ": " + fixed3(crossEntropy(z, y) + 0) + " · sigmoid of each score alone: " +
      z.map(function (v) { return fixed3(sigmoid(v)); }).join(", ");
  }

  /* The scores typed in the boxes (their values, as strings): {z}, or {bad: i, problem} for
     the first box that holds no finite number (an emptied box is never read as 0). */
  function readScores(values) {
    var z = [];
    for (var i = 0; i < values.length; i++) {
      var t = String(values[i]).trim();
      var v = t === "" ? NaN : Number(t);
      if (!isFinite(v)) {
        return {bad: i, problem: "score of class " + i + ": type a number (e.g. 1.5); nothing is computed until it holds one"};
      }
      z.push(v);
    }
    return {z: z};
  }

  function mountSoftmax(root, D) {
    function update() {
      var boxes = [];
      for (var i = 0; i < D.classes; i++) boxes.push(root.querySelector("[name=z" + i + "]"));
      var r = readScores(boxes.map(function (b) { return b.value; }));
      boxes.forEach(function (b, k) { b.setAttribute("aria-invalid", r.bad === k ? "true" : "false"); });
      root.querySelector(".out").textContent = r.problem ||
        text(r.z, book.intField(root, "y", 0, D.classes - 1));
    }
    root.querySelectorAll("input,select").forEach(function (e) { e.addEventListener("input", update); });
    update();
  }

  if (typeof document !== "undefined") book.define("softmax", mountSoftmax);
  var api = { softmax: softmax, sigmoid: sigmoid, crossEntropy: crossEntropy, text: text, readScores: readScores };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

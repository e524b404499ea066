/* Kernel-free players (helpers/interactive/players.py): a window sliding over an image
   ("sweep"), several filters over one input ("bank"), a walk along a flattened row
   ("flatten"). Python precomputes every frame (the data-cnn JSON); this file only shows
   frame p: which cells are highlighted and the written-out sums - except that an editable
   sweep (weight boxes) recomputes its sums and output from the padded input, and says under
   its boxes when one is empty (the weight keeps its last value).
   In Node, require() returns the pure functions (tests/js/player.test.js). */
(function (book) {
  "use strict";

  /* Frame p of a sweep: the input cells under the window ([row, col] pairs) and the state of
     every output cell, row by row: "cur" (this frame), "done" (before), "todo" (after). */
  function sweepState(D, p) {
    var fr = D.frames[p], r0 = fr[0] * D.sh, c0 = fr[1] * D.sw, win = [], out = [], q;
    for (var r = r0; r < r0 + D.kh; r++) {
      for (var c = c0; c < c0 + D.kw; c++) win.push([r, c]);
    }
    for (q = 0; q < D.frames.length; q++) out.push(q === p ? "cur" : (q < p ? "done" : "todo"));
    return { win: win, out: out };
  }

  function cells(root, table) {
    var map = {};
    root.querySelectorAll("table." + table + " td").forEach(function (td) {
      var key = td.getAttribute("data-r") + "," + td.getAttribute("data-c");
      (map[key] = map[key] || []).push(td);
    });
    return map;
  }

  function each(map, key, fn) {
    (map[key] || []).forEach(fn);
  }

  /* Python's fmt_number: round to `dec` places as round() does (on the double's exact
     value, ties to even), no trailing zeros, integers without a point. */
  function fmtNumber(v, dec) {
    if (v === null || isNaN(v)) return "*";
    var rounded = v.toFixed(dec);  // exact value, ties away from zero
    var exact = v.toFixed(Math.min(100, dec + 60)), cut = exact.indexOf(".") + (dec ? 1 + dec : 0);
    if (/^\.?50*$/.test(exact.slice(cut))) {  // an exact tie: keep the even neighbour
      var kept = exact.slice(0, cut);
      if (+kept.charAt(kept.length - 1) % 2 === 0) rounded = kept;
    }
    var r = Number(rounded);
    if (Number.isInteger(r)) return String(r === 0 ? 0 : r);
    return r.toFixed(dec).replace(/0+$/, "").replace(/\.$/, "");
  }

  /* The sweep with kernel `k` (rows of weights): for every frame its written-out sum
     ("86×1 + 4×0.3 = 87.2", zero weights left out, as SweepFrames.arithmetic) and the
     output grid. D.x is the padded input. */
  function recompute(D, k) {
    var arith = [], out = [];
    D.frames.forEach(function (fr) {
      var i = fr[0], j = fr[1], total = 0, terms = [];
      for (var r = 0; r < D.kh; r++) {
        for (var c = 0; c < D.kw; c++) {
          var a = D.x[i * D.sh + r][j * D.sw + c], b = k[r][c];
          total += a * b;
          if (b !== 0) terms.push(fmtNumber(a, D.dec) + "×" + fmtNumber(b, D.dec));
        }
      }
      (out[i] = out[i] || [])[j] = total;
      arith.push((terms.length ? terms.join(" + ") : "0") + " = " + fmtNumber(total, D.dec));
    });
    return { arith: arith, out: out };
  }

  var DECIMAL = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

  /* The kernel the weight boxes give. `typed`: [[row, col, text of the box], ...]; `last`: the
     kernel the sweep uses now. A box holding a number gives it; an empty box, or one a browser
     cannot read (its value is then ""), keeps the weight's last value, and the note says so,
     naming the box and the value kept: the sweep never falls back to another kernel silently.
     Returns {k, kept: [[row, col], ...], note}. */
  function readWeights(typed, last, dec) {
    var k = last.map(function (row) { return row.slice(); }), kept = [], said = [];
    typed.forEach(function (t) {
      var r = t[0], c = t[1], v = DECIMAL.test(t[2]) ? Number(t[2]) : NaN;
      if (isFinite(v)) {
        k[r][c] = v;
      } else {
        kept.push([r, c]);
        said.push("w[" + r + ", " + c + "] holds no number: the sweep keeps its last value, " +
                  fmtNumber(k[r][c], dec) + ".");
      }
    });
    if (said.length) said.push("Type a number to change it.");
    return { k: k, kept: kept, note: said.join(" ") };
  }

  /* Weight boxes (sweep_player(editable=True)): typing a weight recomputes the sweep; a box
     left empty keeps its last weight and a note under the boxes (a live region) says so. */
  function mountWeights(root, D, redraw) {
    var form = root.querySelector("form.weights"), boxes = form.querySelectorAll("input[name=w]");
    var kCells = cells(root, "k"), outCells = cells(root, "out"), last = D.k;
    var note = document.createElement("p");
    note.className = "weights-note";
    note.id = (root.id || "cnn-sweep") + "-weights-note";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    form.appendChild(note);
    boxes.forEach(function (b) { b.setAttribute("aria-describedby", note.id); });
    function update() {
      var typed = Array.prototype.map.call(boxes, function (b) {
        return [+b.getAttribute("data-r"), +b.getAttribute("data-c"), b.value];
      });
      var read = readWeights(typed, last, D.dec), k = read.k;
      last = k;
      note.textContent = read.note;
      boxes.forEach(function (b) {
        var bad = read.kept.some(function (rc) {
          return rc[0] === +b.getAttribute("data-r") && rc[1] === +b.getAttribute("data-c");
        });
        b.setAttribute("aria-invalid", bad ? "true" : "false");
      });
      var res = recompute(D, k);
      D.frames.forEach(function (fr, p) { fr[2] = res.arith[p]; });
      k.forEach(function (row, r) {
        row.forEach(function (v, c) {
          each(kCells, r + "," + c, function (td) { td.textContent = fmtNumber(v, D.dec); });
        });
      });
      res.out.forEach(function (row, i) {
        row.forEach(function (v, j) {
          each(outCells, i + "," + j, function (td) { td.textContent = fmtNumber(v, D.dec); });
        });
      });
      redraw();
    }
    boxes.forEach(function (b) { b.addEventListener("input", update); });
  }

  function mountSweep(root, D) {
    var inCells = cells(root, "in"), outCells = cells(root, "out");
    var ariths = root.querySelectorAll(".arith"), heads = root.querySelectorAll(".head");
    var lit = [], w = D.ow;
    book.player(root, D.frames.length, D.ms, function (p) {
      var st = sweepState(D, p), fr = D.frames[p];
      lit.forEach(function (td) { td.classList.remove("win"); });
      lit = [];
      st.win.forEach(function (rc) {
        each(inCells, rc[0] + "," + rc[1], function (td) { td.classList.add("win"); lit.push(td); });
      });
      st.out.forEach(function (state, q) {
        each(outCells, Math.floor(q / w) + "," + (q % w), function (td) {
          td.classList.remove("cur", "done", "todo");
          td.classList.add(state);
        });
      });
      ariths.forEach(function (el, k) { el.textContent = fr[2 + k]; });
      heads.forEach(function (el, k) {
        el.textContent = (D.names ? D.names[k] : "output") + "[" + fr[0] + ", " + fr[1] + "] = ";
      });
    });
    if (D.x && D.k) {
      var slider = root.querySelector("input[type=range]");
      mountWeights(root, D, function () {
        slider.dispatchEvent(new Event("input"));  // redraw the frame shown, with new sums
      });
    }
  }

  function mountFlatten(root, D) {
    var grid = cells(root, "in"), arith = root.querySelector(".arith");
    var rows = { rm: root.querySelectorAll(".flat.order-rm span"),
                 cm: root.querySelectorAll(".flat.order-cm span") };
    book.player(root, D.frames.length, D.ms, function (p) {
      var fr = D.frames[p];
      root.querySelectorAll(".rm, .cm").forEach(function (el) { el.classList.remove("rm", "cm"); });
      each(grid, fr[0] + "," + fr[1], function (td) { td.classList.add("rm"); });
      each(grid, fr[2] + "," + fr[3], function (td) { td.classList.add("cm"); });
      rows.rm[p].classList.add("rm");
      rows.cm[p].classList.add("cm");
      arith.textContent = fr[4];
    });
  }

  if (typeof document !== "undefined") {
    book.define("sweep", mountSweep);
    book.define("bank", mountSweep);
    book.define("flatten", mountFlatten);
  }
  var api = { sweepState: sweepState, fmtNumber: fmtNumber, recompute: recompute, readWeights: readWeights };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

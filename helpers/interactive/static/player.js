/* Kernel-free players (helpers/interactive/players.py): a window sliding over an image
   ("sweep"), several filters over one input ("bank"), a walk along a flattened row
   ("flatten"). Python precomputes every frame (the data-cnn JSON); this file only shows
   frame p: which cells are highlighted and the written-out sums - except that an editable
   sweep (weight boxes) recomputes its sums and output from the padded input.
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

  /* Weight boxes (sweep_player(editable=True)): typing a weight recomputes the sweep. */
  function mountWeights(root, D, redraw) {
    var boxes = root.querySelectorAll("form.weights input[name=w]");
    var kCells = cells(root, "k"), outCells = cells(root, "out");
    function update() {
      var k = D.k.map(function (row) { return row.slice(); });
      boxes.forEach(function (b) {
        var v = parseFloat(b.value);
        if (!isNaN(v)) k[+b.getAttribute("data-r")][+b.getAttribute("data-c")] = v;
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
  var api = { sweepState: sweepState, fmtNumber: fmtNumber, recompute: recompute };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

/* Kernel-free players (helpers/interactive/players.py): a window sliding over an image
   ("sweep"), several filters over one input ("bank"), a walk along a flattened row
   ("flatten"). Python precomputes every frame (the data-cnn JSON); this file only shows
   frame p: which cells are highlighted and the written-out sums.
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
  var api = { sweepState: sweepState };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

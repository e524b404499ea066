/* Kernel-free players (helpers/interactive/players.py): a window sliding over an image
   ("sweep"; over every channel of an input of several channels, with a bias), several filters over one input ("bank"), a walk along a flattened row
   ("flatten"). Python precomputes every frame (the data-cnn JSON); this file only shows
   frame p: which cells are highlighted and the written-out sums - except that an editable
   sweep or filter bank (weight boxes) recomputes its sums and outputs from the padded input,
   and says under its boxes when one is empty (the weight keeps its last value).
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

  /* The kernels the weight boxes of a filter bank give (one sweep: a bank of one kernel).
     `typed`: [[filter, row, col, text of the box], ...]; `last`: the kernels used now;
     `names`: the filters' names (null for one sweep). A box holding a number gives it; an empty
     box, or one a browser cannot read (its value is then ""), keeps the weight's last value, and
     the note says so, naming the box (and its filter) and the value kept: the sweep never falls
     back to another kernel silently. Returns {ks, kept: [[filter, row, col], ...], note}. */
  function readBank(typed, last, dec, names) {
    var ks = last.map(function (k) { return k.map(function (row) { return row.slice(); }); });
    var kept = [], said = [];
    typed.forEach(function (t) {
      var f = t[0], r = t[1], c = t[2], v = DECIMAL.test(t[3]) ? Number(t[3]) : NaN;
      if (isFinite(v)) {
        ks[f][r][c] = v;
      } else {
        kept.push([f, r, c]);
        said.push((names ? names[f] + ": w[" : "w[") + r + ", " + c + "] holds no number: the " +
                  (names ? "filter" : "sweep") + " keeps its last value, " + fmtNumber(ks[f][r][c], dec) + ".");
      }
    });
    if (said.length) said.push("Type a number to change it.");
    return { ks: ks, kept: kept, note: said.join(" ") };
  }

  /* readBank for one sweep: `typed` [[row, col, text], ...], `last` one kernel;
     returns {k, kept: [[row, col], ...], note}. */
  function readWeights(typed, last, dec) {
    var read = readBank(typed.map(function (t) { return [0, t[0], t[1], t[2]]; }), [last], dec, null);
    return { k: read.ks[0], kept: read.kept.map(function (frc) { return frc.slice(1); }), note: read.note };
  }

  function cellsOf(table) {
    var map = {};
    table.querySelectorAll("td").forEach(function (td) {
      map[td.getAttribute("data-r") + "," + td.getAttribute("data-c")] = td;
    });
    return map;
  }

  /* The live region under a form of weight boxes that says when a box left empty keeps its
     last value. */
  function weightsNote(root, form) {
    var note = document.createElement("p");
    note.className = "weights-note";
    note.id = (root.id || "cnn-sweep") + "-weights-note";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    form.appendChild(note);
    return note;
  }

  /* Weight boxes (sweep_player or filter_bank_player with editable=True): typing a weight
     recomputes its filter's sums and output (the bank's kernel and output tables come filter by
     filter, in the order of D.ks); a box left empty keeps its last weight and a note under the
     boxes (a live region) says so. */
  function mountWeights(root, D, redraw) {
    var form = root.querySelector("form.weights"), boxes = form.querySelectorAll("input[name=w]");
    var kTables = Array.prototype.map.call(root.querySelectorAll("table.k"), cellsOf);
    var outTables = Array.prototype.map.call(root.querySelectorAll("table.out"), cellsOf);
    var last = D.ks || [D.k], names = D.ks ? D.names : null;
    var note = weightsNote(root, form);
    function where(b) {
      return [+(b.getAttribute("data-f") || 0), +b.getAttribute("data-r"), +b.getAttribute("data-c")];
    }
    boxes.forEach(function (b) { b.setAttribute("aria-describedby", note.id); });
    function update() {
      var typed = Array.prototype.map.call(boxes, function (b) { return where(b).concat([b.value]); });
      var read = readBank(typed, last, D.dec, names);
      last = read.ks;
      note.textContent = read.note;
      boxes.forEach(function (b) {
        var at = where(b).join(",");
        var bad = read.kept.some(function (frc) { return frc.join(",") === at; });
        b.setAttribute("aria-invalid", bad ? "true" : "false");
      });
      read.ks.forEach(function (k, f) {
        var res = recompute(D, k);
        D.frames.forEach(function (fr, p) { fr[2 + f] = res.arith[p]; });
        k.forEach(function (row, r) {
          row.forEach(function (v, c) { kTables[f][r + "," + c].textContent = fmtNumber(v, D.dec); });
        });
        res.out.forEach(function (row, i) {
          row.forEach(function (v, j) { outTables[f][i + "," + j].textContent = fmtNumber(v, D.dec); });
        });
      });
      redraw();
    }
    boxes.forEach(function (b) { b.addEventListener("input", update); });
  }

  /* A sweep over several channels (sweep_player with an (H, W, C) input): channel c's padded
     input D.xc[c] correlated with the kernel slice ks[c] gives map c (recompute); the output
     adds the maps in channel order, then the bias b, as ChannelSweep does. Returns
     {lines: [sums of channel 0, ..., sums of the output], outs: [map 0, ..., output]}; a line
     of the output reads "11 + 2 + -2 = 11". */
  function recomputeChannels(D, ks, b) {
    var lines = [], outs = [];
    ks.forEach(function (k, c) {
      var one = { frames: D.frames, kh: D.kh, kw: D.kw, sh: D.sh, sw: D.sw, dec: D.dec, x: D.xc[c] };
      var res = recompute(one, k);
      lines.push(res.arith);
      outs.push(res.out);
    });
    var total = outs[0].map(function (row, i) {
      return row.map(function (v, j) {
        for (var c = 1; c < outs.length; c++) v += outs[c][i][j];
        return v + b;
      });
    });
    lines.push(D.frames.map(function (fr) {
      var i = fr[0], j = fr[1];
      var terms = outs.map(function (o) { return fmtNumber(o[i][j], D.dec); });
      terms.push(fmtNumber(b, D.dec));
      return terms.join(" + ") + " = " + fmtNumber(total[i][j], D.dec);
    }));
    outs.push(total);
    return { lines: lines, outs: outs };
  }

  /* The bias box: a number gives the bias; anything else keeps the last one, and the note says so. */
  function readBias(text, last, dec) {
    var v = DECIMAL.test(text) ? Number(text) : NaN;
    if (isFinite(v)) return { b: v, kept: false, note: "" };
    return { b: last, kept: true,
             note: "b holds no number: the filter keeps its last bias, " + fmtNumber(last, dec) + "." };
  }

  /* Weight boxes of a sweep over several channels: one line per channel (data-f is the
     channel), then the bias; typing recomputes every map, the output and the sums. */
  function mountChannels(root, D, redraw) {
    var form = root.querySelector("form.weights"), boxes = form.querySelectorAll("input[name=w]");
    var biasBox = form.querySelector("input[name=b]");
    var kTables = Array.prototype.map.call(root.querySelectorAll("table.k"), cellsOf);
    var outTables = Array.prototype.map.call(root.querySelectorAll("table.out"), cellsOf);
    var last = D.kc, lastB = D.b, names = D.names.slice(0, D.kc.length);
    var note = weightsNote(root, form);
    function where(b) {
      return [+b.getAttribute("data-f"), +b.getAttribute("data-r"), +b.getAttribute("data-c")];
    }
    boxes.forEach(function (b) { b.setAttribute("aria-describedby", note.id); });
    biasBox.setAttribute("aria-describedby", note.id);
    function update() {
      var typed = Array.prototype.map.call(boxes, function (b) { return where(b).concat([b.value]); });
      var read = readBank(typed, last, D.dec, names), bias = readBias(biasBox.value, lastB, D.dec);
      last = read.ks;
      lastB = bias.b;
      var said = read.note.replace(/ Type a number to change it\.$/, "");
      if (bias.note) said = (said ? said + " " : "") + bias.note;
      note.textContent = said ? said + " Type a number to change it." : "";
      boxes.forEach(function (b) {
        var at = where(b).join(",");
        var bad = read.kept.some(function (frc) { return frc.join(",") === at; });
        b.setAttribute("aria-invalid", bad ? "true" : "false");
      });
      biasBox.setAttribute("aria-invalid", bias.kept ? "true" : "false");
      var res = recomputeChannels(D, last, lastB);
      D.frames.forEach(function (fr, p) {
        res.lines.forEach(function (line, n) { fr[2 + n] = line[p]; });
      });
      last.forEach(function (k, c) {
        k.forEach(function (row, r) {
          row.forEach(function (v, col) { kTables[c][r + "," + col].textContent = fmtNumber(v, D.dec); });
        });
      });
      res.outs.forEach(function (o, n) {
        o.forEach(function (row, i) {
          row.forEach(function (v, j) { outTables[n][i + "," + j].textContent = fmtNumber(v, D.dec); });
        });
      });
      redraw();
    }
    boxes.forEach(function (b) { b.addEventListener("input", update); });
    biasBox.addEventListener("input", update);
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
    var slider = root.querySelector("input[type=range]");
    function redraw() {
      slider.dispatchEvent(new Event("input"));  // redraw the frame shown, with new sums
    }
    if (D.x && (D.k || D.ks)) mountWeights(root, D, redraw);
    else if (D.xc && D.kc) mountChannels(root, D, redraw);
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
  var api = { sweepState: sweepState, fmtNumber: fmtNumber, recompute: recompute, readWeights: readWeights,
              readBank: readBank, recomputeChannels: recomputeChannels, readBias: readBias };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

/* explorer.js - the digit explorer of chapter 16: draw, upload or pick a digit and see every
 * layer of the trained network (helpers/digitnet/) work on it, in the page, with no kernel.
 *
 * The numbers come from digitnet.js (window.DigitNet); this file only reads the inputs and
 * draws. The page (or JupyterLab) gets, from helpers/interactive/explorer.py, one control
 * output (helpers/interactive/page.py): a <div class="digit-explorer" data-cnn-kind="explorer">
 * holding the markup (explorer.html) and, in its data-cnn attribute, a few test digits and
 * the book's colour maps; cnnBook.mount adds the exported network (data.net: inlined, or on
 * the website the data file digitnet-weights.json) and starts it with mount(div, data).
 * Everything is looked up inside that div, so two explorers on a page work independently. The
 * mounted div gets .digitExplorer (its state), for the browser tests.
 *
 * An upload the network cannot read (not an image, cut short, pixels the browser hides, no
 * digit in it) clears the explorer and gets one line in its status line (role=status) saying
 * why: fileProblem and pictureProblem (pure, tested in tests/js/explorer.test.js) write it.
 */
(function (root, book) {
  "use strict";
  var D = root.DigitNet || (typeof require !== "undefined" ? require("./digitnet.js") : null);
  var LAYERS = [["relu1", "conv1 + ReLU"], ["pool1", "pool1"], ["relu2", "conv2 + ReLU"], ["pool2", "pool2"]];
  var TITLES = {}; LAYERS.forEach(function (l) { TITLES[l[0]] = l[1]; });
  var PAD = 280, STROKE = 20;

  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function fmt(v, d) {
    var s = v.toFixed(d === undefined ? 3 : d);
    return s === "-0.000" ? "0.000" : s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---------------------------------------------------------------- uploads that cannot be read
  var PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

  function startsWith(b, head) {
    if (b.length < head.length) return false;
    for (var i = 0; i < head.length; i++) if (b[i] !== head[i]) return false;
    return true;
  }

  // True when the PNG's chunks run, whole, up to its IEND chunk.
  function pngComplete(b) {
    var pos = 8;
    while (pos + 8 <= b.length) {
      var len = ((b[pos] << 24) >>> 0) + (b[pos + 1] << 16) + (b[pos + 2] << 8) + b[pos + 3];
      var type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
      pos += 12 + len;
      if (pos > b.length) return false;
      if (type === "IEND") return true;
    }
    return false;
  }

  // True when the JPEG ends with its end-of-image marker (FF D9; zero padding after it allowed).
  function jpegComplete(b) {
    var n = b.length;
    while (n > 0 && b[n - 1] === 0) n--;
    return n >= 4 && b[n - 2] === 0xff && b[n - 1] === 0xd9;
  }

  /* Why the file `name` (its bytes) cannot be read whole, in one line, or null: empty, or a PNG
   * or JPEG cut short (a browser shows the part it has and says nothing). Any other file is left
   * to the browser's decoder. */
  function fileProblem(name, bytes) {
    if (bytes.length === 0) return name + " is empty (0 bytes): choose a PNG or JPEG picture of a digit.";
    var kind = startsWith(bytes, PNG_SIGNATURE) ? (pngComplete(bytes) ? null : "PNG")
             : startsWith(bytes, [0xff, 0xd8, 0xff]) ? (jpegComplete(bytes) ? null : "JPEG") : null;
    return kind && name + " is cut short: its " + kind + " data stops before the end of the picture, " +
                   "so only part of it would be read. Choose the complete file.";
  }

  /* Why the decoded picture `name` (RGBA pixels, w x h) holds no digit to read, in one line:
   * called when the preprocessing found no ink (digitnet.js preprocess returned null). */
  function pictureProblem(name, rgba, w, h) {
    var lo = Infinity, hi = -Infinity, opaque = false;
    var gray = D.luminance(rgba, w, h);
    for (var p = 0; p < w * h; p++) {
      if (rgba[4 * p + 3] > 0) opaque = true;
      if (gray[p] < lo) lo = gray[p];
      if (gray[p] > hi) hi = gray[p];
    }
    if (!opaque) return name + " is fully transparent: there is no ink in it to read.";
    if (w * h < 4) {
      return name + " is only " + w + "×" + h + " pixel" + (w * h === 1 ? "" : "s") +
             ": too small to hold a digit.";
    }
    if (hi - lo < 1) {
      var colour = hi < 32 ? "black" : lo > 223 ? "white" : "one grey";
      return name + " is all " + colour + ": there is no digit in it to read.";
    }
    return name + "'s ink is too faint against its background to read: upload a picture with more contrast.";
  }

  function mount(rootEl, data) {
    var net = data.net, S = net.preprocessing, side = S.side;
    var magma = bytes(data.cmaps.magma), rdbu = bytes(data.cmaps.rdbu);
    var epochCache = {};
    function weightsOf(e) { if (!epochCache[e]) epochCache[e] = D.decodeWeights(net, e); return epochCache[e]; }
    var last = net.epochs.length - 1, W = weightsOf(last);
    var q = function (sel) { return rootEl.querySelector(sel); };
    var pad = q(".dx-pad"), pctx = pad.getContext("2d", {willReadFrequently: true});
    var inputCanvas = q(".dx-input"), ictx = inputCanvas.getContext("2d");
    var predEl = q(".dx-prediction"), altEl = q(".dx-alt"), explainEl = q(".dx-explain");
    // one line on the last upload that could not be read (empty otherwise)
    var statusEl = q(".dx-status");
    if (!statusEl) {
      statusEl = el("p", "dx-status");
      statusEl.setAttribute("role", "status");
      q(".dx-upload").appendChild(statusEl);
    }
    function say(text) { statusEl.textContent = text; }
    var state = {strokes: [], base: null, result: null, pre: null, source: "none", selected: null,
                 cursor: {}, epoch: last, timings: []};
    rootEl.digitExplorer = {state: state, net: net, D: D};

    // ---------------------------------------------------------------- bars
    // One canvas for the ten bars: while a stroke is drawn it is repainted on every frame, and
    // a canvas repaint needs no style, layout or DOM work. Its text alternative is written
    // when the input is complete (describe), not on every move.
    var bars = q(".dx-bars"), BAR_W = 220, BAR_ROW = 18;
    var dpr = Math.max(1, Math.min(3, root.devicePixelRatio || 1));
    bars.width = BAR_W * dpr; bars.height = 10 * BAR_ROW * dpr;
    var bctx = bars.getContext("2d");
    bctx.scale(dpr, dpr);
    function paintBars(r) {
      bctx.fillStyle = "#fff"; bctx.fillRect(0, 0, BAR_W, 10 * BAR_ROW);
      bctx.font = "13px ui-monospace, monospace"; bctx.textBaseline = "middle";
      for (var k = 0; k < 10; k++) {
        var y = k * BAR_ROW, mid = y + BAR_ROW / 2, top = r && k === r.prediction;
        bctx.fillStyle = "#000"; bctx.textAlign = "left"; bctx.fillText(String(k), 4, mid);
        bctx.fillStyle = "#e4e4e4"; bctx.fillRect(18, y + 3, 150, BAR_ROW - 6);
        if (r) {
          bctx.fillStyle = top ? "#e66100" : "#1f5fbf";
          bctx.fillRect(18, y + 3, 150 * r.probabilities[k], BAR_ROW - 6);
        }
        bctx.fillStyle = "#000"; bctx.textAlign = "right";
        bctx.fillText(r ? fmt(r.probabilities[k], 3) : "–", BAR_W - 4, mid);
      }
    }
    function describeBars(r) {
      var parts = [];
      for (var k = 0; k < 10; k++) parts.push(k + ": " + (r ? fmt(r.probabilities[k], 3) : "–"));
      bars.setAttribute("aria-label", "Probability of each digit" + (r ? ", " + parts.join(", ") : ": no input yet"));
    }

    // ---------------------------------------------------------------- maps
    var maps = {};
    LAYERS.forEach(function (l) {
      var name = l[0], box = q('.dx-layer[data-layer="' + name + '"] .dx-maps');
      var shape = shapeOf(name), cap = q('.dx-layer[data-layer="' + name + '"] .dx-cap');
      var from = D.sources(net)[name].layer, pool = from.kind === "maxpool" ? from.size : 0;
      cap.textContent += (pool ? " (" + pool + "×" + pool + " max-pooling)" : "") + ": " + shape[2] +
        " maps of " + shape[0] + "×" + shape[1];
      maps[name] = [];
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", cap.textContent);
      for (var f = 0; f < shape[2]; f++) {
        var b = el("button", "dx-map"), c = el("canvas"), cur = el("span", "dx-cur");
        b.type = "button";
        b.tabIndex = f === 0 ? 0 : -1;          // one Tab stop per layer (a roving tabindex)
        c.width = shape[1]; c.height = shape[0];
        b.appendChild(c); b.appendChild(cur); b.appendChild(el("span", "dx-num", String(f)));
        box.appendChild(b);
        state.cursor[name + ":" + f] = [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2)];
        var m = {button: b, canvas: c, ctx: c.getContext("2d"), cur: cur, f: f, name: name, shape: shape,
                 image: c.getContext("2d").createImageData(shape[1], shape[0])};
        maps[name].push(m);
        wireMap(m);
        placeCursor(m);
      }
    });

    function shapeOf(name) { return D.shapes(net)[name]; }   // from the export's layers

    function placeCursor(m) {
      var rc = state.cursor[m.name + ":" + m.f], cw = 100 / m.shape[1], ch = 100 / m.shape[0];
      m.cur.style.left = rc[1] * cw + "%"; m.cur.style.top = rc[0] * ch + "%";
      m.cur.style.width = cw + "%"; m.cur.style.height = ch + "%";
      var v = state.result ? state.result[m.name][(rc[0] * m.shape[1] + rc[1]) * m.shape[2] + m.f] : null;
      m.button.setAttribute("aria-label", TITLES[m.name] + ", map " + m.f + " (" + m.shape[0] + "×" + m.shape[1] +
        "): cell (" + rc[0] + ", " + rc[1] + ")" + (v === null ? "" : " = " + fmt(v)) +
        ". Arrow keys move the cell, Page Down and Page Up change the map, Enter explains the cell.");
    }

    // the layer's Tab stop moves to map m (and the keyboard focus with it, if asked)
    function activate(m, focus) {
      maps[m.name].forEach(function (o) { o.button.tabIndex = o === m ? 0 : -1; });
      if (focus) m.button.focus();
    }
    function wireMap(m) {
      m.button.addEventListener("focus", function () { activate(m, false); });
      m.button.addEventListener("click", function (ev) {
        if (ev.detail > 0 && ev.target === m.canvas) {          // a pointer click: the cell under it
          var r = m.canvas.getBoundingClientRect();
          var i = Math.min(m.shape[0] - 1, Math.floor((ev.clientY - r.top) / r.height * m.shape[0]));
          var j = Math.min(m.shape[1] - 1, Math.floor((ev.clientX - r.left) / r.width * m.shape[1]));
          state.cursor[m.name + ":" + m.f] = [Math.max(0, i), Math.max(0, j)];
          placeCursor(m);
        }
        var rc = state.cursor[m.name + ":" + m.f];
        state.selected = {layer: m.name, i: rc[0], j: rc[1], f: m.f};
        rootEl.querySelectorAll(".dx-map.dx-selected").forEach(function (b) { b.classList.remove("dx-selected"); });
        m.button.classList.add("dx-selected");
        explain();
        drawInput();
      });
      m.button.addEventListener("keydown", function (ev) {
        var step = {PageDown: 1, PageUp: -1}[ev.key];
        if (step) {
          ev.preventDefault();
          var all = maps[m.name];
          activate(all[Math.max(0, Math.min(all.length - 1, m.f + step))], true);
          return;
        }
        var mv = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]}[ev.key];
        if (!mv) return;
        ev.preventDefault();
        var rc = state.cursor[m.name + ":" + m.f];
        rc[0] = Math.max(0, Math.min(m.shape[0] - 1, rc[0] + mv[0]));
        rc[1] = Math.max(0, Math.min(m.shape[1] - 1, rc[1] + mv[1]));
        placeCursor(m);
      });
    }

    function paintMap(m, values, shape, f, ctx, image) {
      var n = shape[0] * shape[1], C = shape[2], max = 0, px = image.data;
      for (var k = 0; k < n; k++) if (values[k * C + f] > max) max = values[k * C + f];
      for (k = 0; k < n; k++) {
        var t = max > 0 ? Math.round(values[k * C + f] / max * 255) : 0;
        px[4 * k] = magma[3 * t]; px[4 * k + 1] = magma[3 * t + 1]; px[4 * k + 2] = magma[3 * t + 2]; px[4 * k + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      return max;
    }

    // ---------------------------------------------------------------- the input grid
    var cellsCanvas = document.createElement("canvas");          // the 28x28 pixels, 1:1
    cellsCanvas.width = cellsCanvas.height = side;
    var cctx = cellsCanvas.getContext("2d"), cells = cctx.createImageData(side, side);
    var gridCanvas = document.createElement("canvas");            // the grid lines, drawn once
    gridCanvas.width = inputCanvas.width; gridCanvas.height = inputCanvas.height;
    (function () {
      var g = gridCanvas.getContext("2d"), size = gridCanvas.width, cell = size / side;
      g.strokeStyle = "rgba(128,128,128,0.35)"; g.lineWidth = 1; g.beginPath();
      for (var k = 0; k <= side; k++) {
        g.moveTo(k * cell + 0.5, 0); g.lineTo(k * cell + 0.5, size);
        g.moveTo(0, k * cell + 0.5); g.lineTo(size, k * cell + 0.5);
      }
      g.stroke();
    })();
    function drawInput() {
      var size = inputCanvas.width, cell = size / side, img = state.pre ? state.pre.image : null, px = cells.data;
      for (var k = 0; k < side * side; k++) {
        var g = img ? Math.round(255 - Math.min(255, Math.max(0, img[k]))) : 255;
        px[4 * k] = px[4 * k + 1] = px[4 * k + 2] = g; px[4 * k + 3] = 255;
      }
      cctx.putImageData(cells, 0, 0);
      ictx.imageSmoothingEnabled = false;
      ictx.drawImage(cellsCanvas, 0, 0, size, size);
      ictx.drawImage(gridCanvas, 0, 0);
      if (state.selected && state.result) {
        var fld = D.receptiveField(net, state.selected.layer, state.selected.i, state.selected.j);
        ictx.strokeStyle = "#e66100"; ictx.lineWidth = 3;
        ictx.strokeRect(fld.left * cell + 1.5, fld.top * cell + 1.5, fld.size * cell - 3, fld.size * cell - 3);
      }
    }

    // ---------------------------------------------------------------- pad
    function redrawPad() {
      pctx.fillStyle = "#fff";
      pctx.fillRect(0, 0, PAD, PAD);
      if (state.base) pctx.drawImage(state.base.canvas, 0, 0);
      state.strokes.forEach(function (s) { strokePath(s, 0); });
    }
    function strokePath(s, from) {
      pctx.strokeStyle = "#000"; pctx.fillStyle = "#000"; pctx.lineWidth = STROKE;
      pctx.lineCap = "round"; pctx.lineJoin = "round";
      if (s.length === 1 || from >= s.length - 1) {
        var pt = s[s.length - 1];
        if (s.length === 1) { pctx.beginPath(); pctx.arc(pt[0], pt[1], STROKE / 2, 0, 2 * Math.PI); pctx.fill(); }
        return;
      }
      pctx.beginPath();
      pctx.moveTo(s[Math.max(0, from)][0], s[Math.max(0, from)][1]);
      for (var k = Math.max(1, from + 1); k < s.length; k++) pctx.lineTo(s[k][0], s[k][1]);
      pctx.stroke();
    }
    function padPoint(ev, r) {
      return [(ev.clientX - r.left) * PAD / r.width, (ev.clientY - r.top) * PAD / r.height];
    }
    // While a stroke is drawn, the pad gets its ink at once and the network runs once per
    // frame (requestAnimationFrame), however many pointer events arrive; the text parts (the
    // explained cell, the text alternatives, the epoch panel) follow when the stroke ends.
    var drawing = null, frame = 0;
    function scheduleUpdate() {
      if (!frame) frame = root.requestAnimationFrame(function () { frame = 0; update("draw"); });
    }
    function flushUpdate() {
      if (frame) { root.cancelAnimationFrame(frame); frame = 0; update("draw"); }
    }
    pad.addEventListener("pointerdown", function (ev) {
      ev.preventDefault();
      say("");
      if (state.base && state.base.kind === "upload" && state.strokes.length === 0) state.base.edited = true;
      drawing = [padPoint(ev, pad.getBoundingClientRect())];
      state.strokes.push(drawing);
      try { pad.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic events */ }
      strokePath(drawing, 0);
      scheduleUpdate();
    });
    pad.addEventListener("pointermove", function (ev) {
      if (!drawing) return;
      var pts = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
      if (!pts.length) pts = [ev];
      var from = drawing.length - 1, rect = pad.getBoundingClientRect();
      pts.forEach(function (e) { drawing.push(padPoint(e, rect)); });
      strokePath(drawing, from);
      scheduleUpdate();
    });
    function endStroke() {
      if (!drawing) return;
      flushUpdate();
      drawing = null;
      paintEpoch(); describe();
      if (state.selected) explain();
    }
    pad.addEventListener("pointerup", endStroke);
    pad.addEventListener("pointercancel", endStroke);
    q(".dx-clear").addEventListener("click", function () {
      state.strokes = []; state.base = null; q(".dx-select").value = ""; say("");
      redrawPad(); update("clear"); describe();
    });
    q(".dx-undo").addEventListener("click", function () {
      state.strokes.pop(); redrawPad(); update("undo"); describe();
    });

    // ---------------------------------------------------------------- pick a test digit
    var select = q(".dx-select");
    data.digits.forEach(function (dg, k) {
      var o = el("option", null, "test digit " + dg.row + ": a " + dg.label + (dg.wrong ? " (misread)" : ""));
      o.value = String(k);
      select.appendChild(o);
    });
    select.addEventListener("change", function () {
      if (select.value === "") return;
      var dg = data.digits[+select.value], px = D.unpackDigit(dg.ink), c = document.createElement("canvas");
      c.width = c.height = PAD;
      var cx = c.getContext("2d"), cell = PAD / side;
      cx.fillStyle = "#fff"; cx.fillRect(0, 0, PAD, PAD);
      for (var k = 0; k < px.length; k++) {
        if (!px[k]) continue;
        var g = 255 - px[k];
        cx.fillStyle = "rgb(" + g + "," + g + "," + g + ")";
        cx.fillRect((k % side) * cell, Math.floor(k / side) * cell, cell, cell);
      }
      state.base = {kind: "digit", canvas: c, pixels: px, digit: dg};
      state.strokes = []; say("");
      redrawPad(); update("pick"); describe();
    });

    // ---------------------------------------------------------------- upload
    var file = q(".dx-file"), uploads = 0;
    // An upload that cannot be read leaves nothing of what was there before (no stale
    // prediction, no picture to draw over) and says why in the status line.
    function refuse(text) {
      state.base = null; state.strokes = []; select.value = "";
      redrawPad(); update("upload"); describe();
      say(text);
    }
    function load(f, url) {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, PAD / Math.max(img.naturalWidth, img.naturalHeight));
        var w = Math.max(1, Math.round(img.naturalWidth * scale)), h = Math.max(1, Math.round(img.naturalHeight * scale));
        var c = document.createElement("canvas");
        c.width = w; c.height = h;
        var cx = c.getContext("2d", {willReadFrequently: true}), rgba;
        try {
          cx.drawImage(img, 0, 0, w, h);
          rgba = cx.getImageData(0, 0, w, h).data;
        } catch (e) {  // a tainted canvas: e.g. an SVG that draws HTML (foreignObject)
          refuse("The browser does not let the page read the pixels of " + f.name +
                 " (an SVG that draws HTML, say): choose a PNG or JPEG file.");
          return;
        } finally {
          URL.revokeObjectURL(url);
        }
        var pre = D.preprocess(D.luminance(rgba, w, h), w, h, S);
        if (!pre) { refuse(pictureProblem(f.name, rgba, w, h)); return; }
        // the pad shows the picture as dark ink on white, so a reader can draw over it
        var shown = document.createElement("canvas");
        shown.width = shown.height = PAD;
        var sx = shown.getContext("2d");
        sx.fillStyle = "#fff"; sx.fillRect(0, 0, PAD, PAD);
        if (pre.polarity === "light-on-dark") sx.filter = "invert(1)";
        sx.drawImage(c, Math.floor((PAD - w) / 2), Math.floor((PAD - h) / 2));
        state.base = {kind: "upload", canvas: shown, pre: pre, name: f.name, w: w, h: h};
        state.strokes = []; select.value = "";
        say("");
        redrawPad(); update("upload"); describe();
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        refuse("Could not read " + f.name + " as an image: choose a PNG or JPEG file.");
      };
      img.src = url;
    }
    file.addEventListener("change", function () {
      var f = file.files && file.files[0];
      if (!f) return;
      var mine = ++uploads;  // a later upload wins over one still being read
      f.arrayBuffer().then(function (buf) {
        if (mine !== uploads) return;
        var problem = fileProblem(f.name, new Uint8Array(buf));
        if (problem) refuse(problem);
        else load(f, URL.createObjectURL(f));
      }, function () {
        if (mine === uploads) refuse("Could not read the file " + f.name + ": choose a PNG or JPEG file.");
      });
    });

    // ---------------------------------------------------------------- compute + paint
    function currentInput() {
      if (state.base && state.strokes.length === 0) {
        if (state.base.kind === "digit") {
          var px = state.base.pixels, image = new Float64Array(px.length);
          for (var k = 0; k < px.length; k++) image[k] = px[k];
          return {image: image, polarity: "MNIST", shipped: true};
        }
        if (state.base.kind === "upload") return state.base.pre;
      }
      if (!state.base && state.strokes.length === 0) return null;
      var g = D.luminance(pctx.getImageData(0, 0, PAD, PAD).data, PAD, PAD);
      return D.preprocess(g, PAD, PAD, S);
    }

    function update(source) {
      var t0 = performance.now();
      state.source = source;
      state.pre = currentInput();
      if (state.pre) {
        var x = new Float64Array(side * side);
        // as Keras reads it: float32(pixel / 255)
        for (var k = 0; k < x.length; k++) x[k] = Math.fround(state.pre.image[k] / 255);
        state.input = x;
        state.result = D.forward(net, W, x);
      } else {
        state.input = null; state.result = null;
      }
      paint();
      state.lastUpdateMs = performance.now() - t0;
    }

    // Repaint what depends on the input: only canvases, and the predicted digit when it
    // changes; while a stroke is drawn nothing else is touched (see endStroke).
    function paint() {
      var r = state.result;
      drawInput();
      var digit = r ? String(r.prediction) : "";
      if (predEl.getAttribute("data-prediction") !== digit) {
        predEl.textContent = digit || "–";
        predEl.setAttribute("data-prediction", digit);
      }
      paintBars(r);
      LAYERS.forEach(function (l) {
        maps[l[0]].forEach(function (m) {
          if (r) paintMap(m, r[m.name], m.shape, m.f, m.ctx, m.image);
          else { m.ctx.fillStyle = "#000"; m.ctx.fillRect(0, 0, m.shape[1], m.shape[0]); }
        });
      });
      if (drawing) return;
      if (state.selected) explain();
      paintEpoch();
    }

    // ---------------------------------------------------------------- text alternative
    function describe() {
      LAYERS.forEach(function (l) { maps[l[0]].forEach(placeCursor); });
      var r = state.result, p = state.pre;
      describeBars(r);
      if (!r) { altEl.textContent = "No input yet: draw a digit, upload a picture or pick a test digit."; return; }
      var how;
      if (p.shipped) how = "a shipped test digit (digit " + state.base.digit.label + "), already in MNIST form, read as it is";
      else {
        var what = state.base && state.base.kind === "upload" && state.strokes.length === 0 ? "the uploaded picture " + state.base.name : "your drawing";
        how = what + " (" + (p.polarity === "dark-on-light" ? "dark ink on a light background" : "light ink on a dark background") +
          "): its ink, a " + p.box[2] + "×" + p.box[3] + "-pixel box, scaled into 20×20 and shifted by (" +
          p.shift[0] + ", " + p.shift[1] + ") pixels to centre its mass";
      }
      var order = Array.from(r.probabilities.keys()).sort(function (a, b) { return r.probabilities[b] - r.probabilities[a]; });
      altEl.textContent = "Input: " + how + ". The network reads " + order[0] + " (probability " +
        fmt(r.probabilities[order[0]], 3) + "); next " + order[1] + " (" + fmt(r.probabilities[order[1]], 3) + ").";
    }

    // ---------------------------------------------------------------- one cell explained
    function table(rows, caption, signed) {
      var t = el("table", "dx-grid");
      if (caption) t.appendChild(el("caption", null, caption));
      rows.forEach(function (row) {
        var tr = el("tr");
        row.forEach(function (v) {
          var td = el("td", signed ? (v > 0 ? "dx-pos" : v < 0 ? "dx-neg" : "") : "", fmt(v));
          tr.appendChild(td);
        });
        t.appendChild(tr);
      });
      return t;
    }
    function explain() {
      var s = state.selected;
      explainEl.textContent = "";
      if (!s || !state.result) { explainEl.appendChild(el("p", "dx-none", "No cell chosen yet.")); return; }
      var e = D.explainCell(net, W, state.result, s.layer, s.i, s.j, s.f);
      explainEl.dataset.layer = s.layer; explainEl.dataset.i = s.i; explainEl.dataset.j = s.j;
      explainEl.dataset.map = s.f; explainEl.dataset.value = String(e.value);
      var src = {input: "the input (pixel / 255)", relu1: "conv1 + ReLU", pool1: "pool1", relu2: "conv2 + ReLU"}[e.source];
      explainEl.appendChild(el("div", "dx-cap", TITLES[s.layer] + ", map " + s.f + ", cell (" + s.i + ", " + s.j + ") = " + fmt(e.value)));
      var row = el("div", "dx-row");
      var chans = [];
      for (var c = 0; c < e.window.length; c++) chans.push(e.kind === "conv" ? c : s.f);
      e.window.forEach(function (win, k) {
        var box = el("div");
        box.appendChild(table(win, "window of " + src + (e.channels > 1 || e.kind !== "conv" ? ", map " + chans[k] : "") +
                              ", rows " + e.top + "–" + (e.top + e.k - 1) + ", columns " + e.left + "–" + (e.left + e.k - 1)));
        if (e.kind === "conv") box.appendChild(table(e.kernel[k], "kernel" + (e.channels > 1 ? ", channel " + k : ""), true));
        row.appendChild(box);
      });
      explainEl.appendChild(row);
      if (e.kind === "conv") {
        var partials = [];
        e.window.forEach(function (win, k) {
          var terms = [], ps = 0;
          for (var u = 0; u < e.k; u++) for (var v = 0; v < e.k; v++) {
            var a = win[u][v], b = e.kernel[k][u][v];
            ps += a * b;
            terms.push(fmt(a) + "×" + (b < 0 ? "(" + fmt(b) + ")" : fmt(b)));
          }
          partials.push(ps);
          explainEl.appendChild(el("p", "dx-sum dx-products", (e.channels > 1 ? "channel " + k + ": " : "") + terms.join(" + ") + " = " + fmt(ps)));
        });
        var total = partials.length > 1 ? partials.map(function (v) { return fmt(v); }).join(" + ") + " = " + fmt(e.sum) : fmt(e.sum);
        explainEl.appendChild(el("p", "dx-sum dx-total", "sum of products = " + total));
        explainEl.appendChild(el("p", "dx-sum dx-bias", "+ bias " + fmt(e.bias) + " = " + fmt(e.pre)));
        explainEl.appendChild(el("p", "dx-sum dx-relu", "ReLU: max(0, " + fmt(e.pre) + ") = " + fmt(e.relu)));
      } else {
        var vals = [];
        e.window[0].forEach(function (r) { r.forEach(function (v) { vals.push(fmt(v)); }); });
        explainEl.appendChild(el("p", "dx-sum dx-max", "max(" + vals.join(", ") + ") = " + fmt(e.max)));
      }
      var f = e.field, steps = f.steps.map(function (st) {
        return st.layer + " (k = " + st.k + (st.stride > 1 ? ", stride " + st.stride : "") + "): " + st.r_in + " + (" + st.k + " − 1)·" + st.j_in + " = " + st.r;
      });
      explainEl.appendChild(el("p", "dx-field", "Receptive field on the input: " + f.size + "×" + f.size + " pixels, rows " +
        f.top + "–" + (f.top + f.size - 1) + ", columns " + f.left + "–" + (f.left + f.size - 1) +
        " (outlined in orange on the 28×28 input). r_out = r_in + (k − 1)·j_in, starting from r = 1, j = 1: " + steps.join("; ") +
        (f.jump > 1 ? "; the jump j doubles after each pooling (now " + f.jump + ")." : ".")));
    }

    // ---------------------------------------------------------------- epochs
    var epochInput = q(".dx-epoch"), epochLabel = q(".dx-epoch-label"), epochText = q(".dx-epoch-text");
    epochInput.max = String(last); epochInput.value = String(last);
    var k1 = D.layerList(net)[0], k1Shape = D.shapes(net)[k1.output], kernelsBox = q(".dx-kernels"), kernelCanvases = [], epochMaps = [];
    var lim = 0;
    for (var e = 0; e <= last; e++) weightsOf(e)[k1.name + "/kernel"].forEach(function (v) { if (Math.abs(v) > lim) lim = Math.abs(v); });
    for (var f = 0; f < k1.filters; f++) {
      var wrap = el("div", "dx-kernel"), kc = el("canvas");
      kc.width = kc.height = k1.kernel;
      wrap.appendChild(kc); var lab = el("div", null, "kernel " + f); wrap.appendChild(lab);
      kernelsBox.appendChild(wrap);
      kernelCanvases.push({canvas: kc, label: lab});
      var mc = el("canvas"); mc.width = k1Shape[1]; mc.height = k1Shape[0];
      mc.setAttribute("role", "img");
      mc.setAttribute("aria-label", k1.name + " map " + f + " of the current input, with this epoch's kernel " + f);
      q(".dx-epoch-maps").appendChild(mc);
      epochMaps.push({canvas: mc, ctx: mc.getContext("2d"), image: mc.getContext("2d").createImageData(mc.width, mc.height)});
    }
    var svgNS = "http://www.w3.org/2000/svg", svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("class", "dx-curve"); svg.setAttribute("width", "280"); svg.setAttribute("height", "90");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Validation accuracy per epoch: " + net.epochs.map(function (ep) { return ep.epoch + ": " + fmt(ep.val_accuracy, 3); }).join(", "));
    var pts = net.epochs.map(function (ep, k) { return [10 + 260 * k / last, 80 - 70 * ep.val_accuracy]; });
    var line = document.createElementNS(svgNS, "polyline");
    line.setAttribute("points", pts.map(function (p) { return p.join(","); }).join(" "));
    line.setAttribute("fill", "none"); line.setAttribute("stroke", "#1f5fbf"); line.setAttribute("stroke-width", "2");
    var dot = document.createElementNS(svgNS, "circle");
    dot.setAttribute("r", "5"); dot.setAttribute("fill", "#e66100");
    svg.appendChild(line); svg.appendChild(dot);
    epochText.parentNode.insertBefore(svg, epochText.nextSibling);
    epochInput.addEventListener("input", function () { state.epoch = +epochInput.value; paintEpoch(); });

    function paintEpoch() {
      var ep = state.epoch, w = weightsOf(ep), ker = w[k1.name + "/kernel"], F = k1.filters, K = k1.kernel;
      var info = net.epochs[ep];
      epochLabel.textContent = ep + " of " + last;
      epochInput.setAttribute("aria-valuetext", "epoch " + ep + ", validation accuracy " + fmt(info.val_accuracy, 3));
      dot.setAttribute("cx", String(pts[ep][0])); dot.setAttribute("cy", String(pts[ep][1]));
      var text = (ep === 0 ? "Epoch 0: the random starting weights" : "After epoch " + ep) +
        ": validation accuracy " + fmt(info.val_accuracy, 3) + " on 500 digits it never trains on";
      kernelCanvases.forEach(function (kc, f) {
        var cx = kc.canvas.getContext("2d"), img = cx.createImageData(K, K), vals = [];
        for (var u = 0; u < K * K; u++) {
          var v = ker[u * F + f], t = Math.round((v / lim + 1) / 2 * 255);
          vals.push(fmt(v, 2));
          img.data[4 * u] = rdbu[3 * t]; img.data[4 * u + 1] = rdbu[3 * t + 1]; img.data[4 * u + 2] = rdbu[3 * t + 2]; img.data[4 * u + 3] = 255;
        }
        cx.putImageData(img, 0, 0);
        kc.canvas.setAttribute("role", "img");
        kc.canvas.setAttribute("aria-label", "kernel " + f + " at epoch " + ep + ", row by row: " + vals.join(", "));
      });
      if (state.input) {
        var r = D.forward(net, w, state.input);
        for (var f = 0; f < F; f++) paintMap(null, r[k1.output], r.shapes[k1.output], f, epochMaps[f].ctx, epochMaps[f].image);
        text += "; with these weights the network reads your input as " + r.prediction + " (probability " + fmt(r.probabilities[r.prediction], 3) + ")";
      } else {
        epochMaps.forEach(function (m) { m.ctx.fillStyle = "#000"; m.ctx.fillRect(0, 0, m.canvas.width, m.canvas.height); });
      }
      epochText.textContent = text + ".";
    }

    redrawPad();
    update("none");
    return rootEl.digitExplorer;
  }

  var api = {mount: mount, fileProblem: fileProblem, pictureProblem: pictureProblem};
  if (book && typeof document !== "undefined") book.define("explorer", mount);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this,
   typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

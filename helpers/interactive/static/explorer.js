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
 * The layers drawn are the network's own (mapLayers: the maps every conv and pooling layer of
 * the export's layer list leaves, titled from it), so the explorer shows any design chapter 21's
 * playground trains. The network a reader trained there can take the book's place: on the
 * address book.TRAINED_NET names (its hash), mount reads the export the playground stored in
 * the tab's sessionStorage and, when the explorer can read it (trainedNet: digits, or the
 * reader's own classes), shows it instead, under a note saying so, with a button back to the
 * book's network. A network of the reader's own classes reads with their names, offers no test
 * digits, and gets the pad's drawing as the playground trained it on (digitnet.js inkBytes).
 *
 * An upload the network cannot read (not an image, cut short, pixels the browser hides, no
 * ink in it) clears the explorer and gets one line in its status line (role=status) saying
 * why, in the network's terms (a digit, or one of the reader's classes): fileProblem,
 * pictureProblem and statusLine write it.
 *
 * The file has three parts. First the pure functions: plain data in, plain data out, no DOM
 * (the input's state machine, the cursor moves of a key, the colours and numbers painted, the
 * explanation of a cell, the text alternatives and status lines); Node requires the file and
 * tests them (tests/js/explorer.test.js, tests/js/explorer-parts.test.js). Then the views: each
 * builds or repaints one part of the page from the explorer's context `x` (its elements, the
 * network and the state). Last, mount, which only builds the views and wires the DOM events
 * to them. It stays one file, as the controls name their page files (data-cnn-scripts in the
 * committed chapter outputs): a file more would mean re-executing the chapter.
 */
(function (root, book) {
  "use strict";
  var D = root.DigitNet || (typeof require !== "undefined" ? require("./digitnet.js") : null);
  var INPUT_TITLE = "the input (pixel / 255)";  // the first layer's source, as the explanation names it
  var ACTIVATION_TITLES = {relu: "ReLU"};
  var PAD = 280;
  var STROKE = 20;
  var BAR_W = 220;
  var BAR_ROW = 18;
  var NAMED_BAR_W = 280;  // px: the bars of named classes, their names in the first NAMED_LABEL_W
  var NAMED_LABEL_W = 100;
  var BAR_FONT = "13px ui-monospace, monospace";
  var NO_INPUT = "No input yet: draw a digit, upload a picture or pick a test digit.";
  var NO_INPUT_OWN = "No input yet: draw one of the classes or upload a picture.";
  var FIELD_PIC = 112;  // px: the input beside an explained cell, 4 px per input pixel
  var BOOK_VALIDATION = 500;  // the book's network's validation digits (helpers/digitnet)
  var EXAMPLE_DIGIT = 4;  // the test digit the explorer opens with (the book's running example)
  var KEY_MAPS = {PageDown: 1, PageUp: -1};
  var KEY_CELLS = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};

  function bytes(b64) {
    var s = atob(b64);
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) {
      out[i] = s.charCodeAt(i);
    }
    return out;
  }
  function fmt(v, d) {
    var s = v.toFixed(d === undefined ? 3 : d);
    return s === "-0.000" ? "0.000" : s;
  }
  function clamp(v, lo, hi) {
    return Math.max(lo, Math.min(hi, v));
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ================================================================ pure: uploads that cannot be read
  var PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

  function startsWith(b, head) {
    if (b.length < head.length) return false;
    for (var i = 0; i < head.length; i++) {
      if (b[i] !== head[i]) return false;
    }
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
    while (n > 0 && b[n - 1] === 0) {
      n--;
    }
    return n >= 4 && b[n - 2] === 0xff && b[n - 1] === 0xd9;
  }

  /* What an upload should show, in the upload sentences: a digit, or for a network of the
   * reader's own classes (`names`: classNames) one of them. */
  function uploadSubject(names) {
    return names ? "one of your classes (" + names.join(", ") + ")" : "a digit";
  }

  /* Why the file `name` (its bytes) cannot be read whole, in one line, or null: empty, or a PNG
   * or JPEG cut short (a browser shows the part it has and says nothing). Any other file is left
   * to the browser's decoder. `names`: the network's classes (classNames; null: digits). */
  function fileProblem(name, bytes, names) {
    if (bytes.length === 0) return name + " is empty (0 bytes): choose a PNG or JPEG picture of " + uploadSubject(names) + ".";
    var kind = startsWith(bytes, PNG_SIGNATURE) ? (pngComplete(bytes) ? null : "PNG")
             : startsWith(bytes, [0xff, 0xd8, 0xff]) ? (jpegComplete(bytes) ? null : "JPEG") : null;
    return kind && name + " is cut short: its " + kind + " data stops before the end of the picture, " +
                   "so only part of it would be read. Choose the complete file.";
  }

  /* Why the decoded picture `name` (RGBA pixels, w x h) holds nothing to read, in one line:
   * called when the preprocessing found no ink (digitnet.js preprocess returned null).
   * `names`: the network's classes (classNames; null: digits). */
  function pictureProblem(name, rgba, w, h, names) {
    var lo = Infinity;
    var hi = -Infinity;
    var opaque = false;
    var thing = names ? "drawing" : "digit";
    var gray = D.luminance(rgba, w, h);
    for (var p = 0; p < w * h; p++) {
      if (rgba[4 * p + 3] > 0) opaque = true;
      if (gray[p] < lo) lo = gray[p];
      if (gray[p] > hi) hi = gray[p];
    }
    if (!opaque) return name + " is fully transparent: there is no ink in it to read.";
    if (w * h < 4) {
      return name + " is only " + w + "×" + h + " pixel" + (w * h === 1 ? "" : "s") +
             ": too small to hold a " + thing + ".";
    }
    if (hi - lo < 1) {
      var colour = hi < 32 ? "black" : lo > 223 ? "white" : "one grey";
      return name + " is all " + colour + ": there is no " + thing + " in it to read.";
    }
    return name + "'s ink is too faint against its background to read: upload a picture with more contrast.";
  }

  /* The status line of an upload the browser itself cannot read: `reason` is "hidden-pixels"
   * (a tainted canvas: an SVG that draws HTML), "not-an-image" (the decoder failed) or
   * "unreadable-file" (the file's bytes could not be read). */
  function statusLine(reason, name) {
    if (reason === "hidden-pixels") {
      return "The browser does not let the page read the pixels of " + name +
             " (an SVG that draws HTML, say): choose a PNG or JPEG file.";
    }
    if (reason === "not-an-image") return "Could not read " + name + " as an image: choose a PNG or JPEG file.";
    if (reason === "unreadable-file") return "Could not read the file " + name + ": choose a PNG or JPEG file.";
    throw new Error("statusLine: unknown reason " + reason);
  }

  // ================================================================ pure: the input
  /* The explorer's state at the start: no input, the last epoch's weights. */
  function initialState(last) {
    return {strokes: [], base: null, result: null, pre: null, source: "none", selected: null,
            cursor: {}, epoch: last, timings: []};
  }

  /* The input's state machine. `input` holds what the pad shows: `base` (a picked test digit,
   * {kind: "digit"}, or an upload, {kind: "upload"}, or null) and `strokes` (the lines drawn
   * over it, each a list of [x, y] pad points, the last one the stroke being drawn). Returns,
   * without changing `input`, the new {base, strokes} after `action`, with `resetPick` (the
   * test-digit list goes back to "(choose one)") and `status` (the new status line; undefined:
   * left as it is):
   *   {type: "down", point}     a stroke starts (an upload drawn over is marked `edited`)
   *   {type: "move", points}    the stroke being drawn goes on
   *   {type: "undo"}            the last stroke goes
   *   {type: "clear"}           everything goes
   *   {type: "pick", base}      a test digit replaces everything
   *   {type: "upload", base}    a readable upload replaces everything
   *   {type: "refuse", text}    an unreadable upload: everything goes, `text` says why */
  function nextInput(input, action) {
    var base = input.base;
    var strokes = input.strokes;
    switch (action.type) {
      case "down":
        if (base && base.kind === "upload" && strokes.length === 0) base = Object.assign({}, base, {edited: true});
        return {base: base, strokes: strokes.concat([[action.point]]), resetPick: false, status: ""};
      case "move":
        if (strokes.length === 0) return {base: base, strokes: strokes, resetPick: false, status: undefined};
        strokes = strokes.slice(0, -1).concat([strokes[strokes.length - 1].concat(action.points)]);
        return {base: base, strokes: strokes, resetPick: false, status: undefined};
      case "undo":
        return {base: base, strokes: strokes.slice(0, -1), resetPick: false, status: undefined};
      case "clear":
        return {base: null, strokes: [], resetPick: true, status: ""};
      case "pick":
        return {base: action.base, strokes: [], resetPick: false, status: ""};
      case "upload":
        return {base: action.base, strokes: [], resetPick: true, status: ""};
      case "refuse":
        return {base: null, strokes: [], resetPick: true, status: action.text};
    }
    throw new Error("nextInput: unknown action " + action.type);
  }

  /* Where the network's input comes from: "digit" (a shipped test digit, as it is), "upload"
   * (the uploaded picture, preprocessed when it was read), "pad" (the pad's pixels: a drawing,
   * alone or over a picture) or "none". */
  function inputSource(input) {
    var untouched = input.strokes.length === 0;
    if (input.base && untouched && input.base.kind === "digit") return "digit";
    if (input.base && untouched && input.base.kind === "upload") return "upload";
    if (!input.base && untouched) return "none";
    return "pad";
  }

  /* A shipped test digit's pixels as the preprocessing's output: already in MNIST form. */
  function shippedInput(pixels) {
    var image = new Float64Array(pixels.length);
    for (var k = 0; k < pixels.length; k++) {
      image[k] = pixels[k];
    }
    return {image: image, polarity: "MNIST", shipped: true};
  }

  /* The network's input, as Keras reads it: float32(pixel / 255). */
  function modelInput(image) {
    var x = new Float64Array(image.length);
    for (var k = 0; k < x.length; k++) {
      x[k] = Math.fround(image[k] / 255);
    }
    return x;
  }

  /* The network's input from the preprocessing's output `pre`: for a network trained on
   * drawings (`drawn`: chapter 21's own classes) the image as the playground stored its
   * drawings (digitnet.js inkBytes), else the image as it is (the book's rule for digits). */
  function networkInput(pre, drawn) {
    return modelInput(drawn && !pre.shipped ? D.inkBytes(pre.image) : pre.image);
  }

  /* The pad point (in its PAD x PAD pixels) under a pointer at (clientX, clientY), the pad
   * being shown in `rect` (its bounding client rectangle). */
  function padPoint(clientX, clientY, rect) {
    return [(clientX - rect.left) * PAD / rect.width, (clientY - rect.top) * PAD / rect.height];
  }

  /* What to ink of `stroke` from its point `from` on: {dot: point} (a stroke of one point),
   * {line: points} (a polyline), or null (nothing new). */
  function strokeSegment(stroke, from) {
    if (stroke.length === 1) return {dot: stroke[0]};
    if (from >= stroke.length - 1) return null;
    return {line: stroke.slice(Math.max(0, from))};
  }

  /* The pad pixels a segment of strokeSegment can ink: the box of its points widened by the
   * pen's half width and two pixels of antialiasing, as [left, top, right, bottom) clamped to
   * the pad. */
  function inkBounds(seg) {
    var pts = seg.dot ? [seg.dot] : seg.line;
    var reach = STROKE / 2 + 2;
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    pts.forEach(function (p) {
      box = [Math.min(box[0], p[0]), Math.min(box[1], p[1]), Math.max(box[2], p[0]), Math.max(box[3], p[1])];
    });
    return [clamp(Math.floor(box[0] - reach), 0, PAD), clamp(Math.floor(box[1] - reach), 0, PAD),
            clamp(Math.ceil(box[2] + reach), 0, PAD), clamp(Math.ceil(box[3] + reach), 0, PAD)];
  }

  /* The smallest box holding boxes a and b (either null: none). */
  function unionBox(a, b) {
    if (!a || !b) return a || b;
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
  }

  /* The size an uploaded picture (natural size w x h) is read at: shrunk to fit the pad. */
  function uploadSize(w, h) {
    var scale = Math.min(1, PAD / Math.max(w, h));
    return {w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale))};
  }

  /* The grey levels (255 white .. 0 black) of the 28x28 input grid, into RGBA `px`: the
   * preprocessed image (ink 0-255), or white with no input. */
  function inputPixels(image, n, px) {
    for (var k = 0; k < n; k++) {
      var g = image ? Math.round(255 - Math.min(255, Math.max(0, image[k]))) : 255;
      px[4 * k] = g;
      px[4 * k + 1] = g;
      px[4 * k + 2] = g;
      px[4 * k + 3] = 255;
    }
    return px;
  }

  // ================================================================ pure: the maps
  /* What a layer's caption gets after its title: the pooling, if any, and its maps' shape;
   * `from` is the layer that computes it (digitnet.js sources). */
  function layerCaption(from, shape) {
    var pool = from.kind === "maxpool" ? from.size : 0;
    return (pool ? " (" + pool + "×" + pool + " max-pooling)" : "") + ": " + shape[2] +
           " maps of " + shape[0] + "×" + shape[1];
  }

  /* The cell a map's cursor starts on: its centre. */
  function startCell(shape) {
    return [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2)];
  }

  /* The cursor of cell rc on a map of `shape`, in percent of the map (CSS left, top, width,
   * height). */
  function cursorBox(rc, shape) {
    var cw = 100 / shape[1];
    var ch = 100 / shape[0];
    return {left: rc[1] * cw + "%", top: rc[0] * ch + "%", width: cw + "%", height: ch + "%"};
  }

  /* The value of cell rc of map f of layer `name` in a forward pass `result`, or null. */
  function cellValue(result, name, shape, f, rc) {
    return result ? result[name][(rc[0] * shape[1] + rc[1]) * shape[2] + f] : null;
  }

  /* A map button's accessible name: which map (of the layer titled `title`), its cursor's cell
   * and value, the keys. */
  function mapLabel(title, f, shape, rc, value) {
    return title + ", map " + f + " (" + shape[0] + "×" + shape[1] + "): cell (" + rc[0] + ", " +
           rc[1] + ")" + (value === null ? "" : " = " + fmt(value)) +
           ". Arrow keys move the cell, Page Down and Page Up change the map, Enter explains the cell.";
  }

  /* What `key` does on map f (of `count` maps of `shape`, its cursor on rc): {map: g} (the
   * layer's Tab stop moves to map g), {cell: [i, j]} (the cursor moves) or null (not ours:
   * the browser's). Moves stop at the edges. */
  function keyAction(key, rc, shape, f, count) {
    var step = KEY_MAPS[key];
    if (step) return {map: clamp(f + step, 0, count - 1)};
    var mv = KEY_CELLS[key];
    if (!mv) return null;
    return {cell: [clamp(rc[0] + mv[0], 0, shape[0] - 1), clamp(rc[1] + mv[1], 0, shape[1] - 1)]};
  }

  /* The cell of a map of `shape`, shown in `rect`, under a pointer at (clientX, clientY). */
  function cellAt(clientX, clientY, rect, shape) {
    var i = Math.min(shape[0] - 1, Math.floor((clientY - rect.top) / rect.height * shape[0]));
    var j = Math.min(shape[1] - 1, Math.floor((clientX - rect.left) / rect.width * shape[1]));
    return [Math.max(0, i), Math.max(0, j)];
  }

  /* Map f of `values` (H x W x C, channels last) in the colour map `cmap` (256 RGB triples),
   * 0 (or the map's smallest value, when it is below 0: a layer with no activation) -> its
   * first colour, the map's largest value -> its last, into RGBA `px`; returns the largest
   * value (at least 0). */
  function mapPixels(values, shape, f, cmap, px) {
    var n = shape[0] * shape[1];
    var C = shape[2];
    var max = 0;
    var min = 0;
    for (var k = 0; k < n; k++) {
      if (values[k * C + f] > max) max = values[k * C + f];
      if (values[k * C + f] < min) min = values[k * C + f];
    }
    for (k = 0; k < n; k++) {
      var t = max > min ? Math.round((values[k * C + f] - min) / (max - min) * 255) : 0;
      px[4 * k] = cmap[3 * t];
      px[4 * k + 1] = cmap[3 * t + 1];
      px[4 * k + 2] = cmap[3 * t + 2];
      px[4 * k + 3] = 255;
    }
    return max;
  }

  // ================================================================ pure: the network's layers and classes
  /* The maps the explorer draws, from the network's own layer list (digitnet.js): the output
   * of every conv and pooling layer, in order, each {name (the map's name), title ("conv2 +
   * ReLU", "conv2" with no activation, "pool1"), layer (its row of the list), source (the map it
   * reads)}. */
  function mapLayers(net) {
    var sources = D.sources(net);
    return D.layerList(net).filter(function (L) {
      return L.kind === "conv" || L.kind === "maxpool";
    }).map(function (L) {
      var title = L.kind === "conv" && L.activation ? L.name + " + " + ACTIVATION_TITLES[L.activation] : L.name;
      return {name: L.output, title: title, layer: L, source: sources[L.output].source};
    });
  }

  /* The title of every map a cell can be computed from, by name: the input and mapLayers'. */
  function layerTitles(net) {
    var titles = {input: INPUT_TITLE};
    mapLayers(net).forEach(function (m) {
      titles[m.name] = m.title;
    });
    return titles;
  }

  /* The layers after the maps when the network has a hidden dense layer (the book's has none),
   * in one sentence, or null: they have no maps to draw, so the page names them. */
  function tailText(net, names) {
    var list = D.layerList(net);
    var shapes = D.shapes(net);
    var dense = list.filter(function (L) {
      return L.kind === "dense";
    });
    if (dense.length < 2) return null;
    var parts = [];
    list.forEach(function (L) {
      if (L.kind === "flatten") parts.push(L.name + " (the last maps as " + shapes[L.output][0] + " numbers)");
      else if (L.kind === "dense" && L.activation !== "softmax") {
        parts.push(L.name + (L.activation ? " + " + ACTIVATION_TITLES[L.activation] : ", no activation") +
                   " (" + L.units + " units)");
      }
    });
    return "After the last maps: " + parts.join(", then ") + ", then " + dense[dense.length - 1].name +
           " with softmax, the probabilities of the " + (names ? names.length + " classes" : "10 digits") +
           " shown above.";
  }

  /* The names the network reads with: its own classes' (a network of chapter 21's own classes,
   * its export's training.set "own"), or null for a network that reads digits. */
  function classNames(net) {
    return net.training && net.training.set === "own" ? net.classes.slice() : null;
  }

  /* What the network reads class k as: its name, or the digit. */
  function className(k, names) {
    return names ? names[k] : String(k);
  }

  // ================================================================ pure: the text
  /* Class k's probability as the bars show it ("–" with no input). */
  function probabilityText(r, k) {
    return r ? fmt(r.probabilities[k], 3) : "–";
  }

  /* The bars' accessible name: every class's probability (`names`: classNames; null: the digits). */
  function barsLabel(r, names) {
    var parts = [];
    for (var k = 0; k < (names ? names.length : 10); k++) {
      parts.push(className(k, names) + ": " + probabilityText(r, k));
    }
    return "Probability of each " + (names ? "class" : "digit") + (r ? ", " + parts.join(", ") : ": no input yet");
  }

  /* `text` cut with "…" to fit `width` (measure(text): its width in the bars' font). */
  function fitted(text, measure, width) {
    if (measure(text) <= width) return text;
    var cut = text;
    while (cut.length > 1 && measure(cut + "…") > width) cut = cut.slice(0, -1);
    return cut + "…";
  }

  /* The bars' labels of class `names` in a column `width` wide (measure: as fitted's), each
   * cut to fit, and `cut`: the line under the bars naming every class in full when one is cut,
   * or "" (the bars' accessible name names them in full either way: barsLabel). */
  function barLabels(names, measure, width) {
    var labels = names.map(function (n) {
      return fitted(n, measure, width);
    });
    var cut = labels.some(function (l, k) {
      return l !== names[k];
    });
    return {labels: labels, cut: cut ? "The classes, top to bottom, in full: " + names.join(", ") + "." : ""};
  }

  /* The digits in order of their probability, most likely first. */
  function ranking(probabilities) {
    return Array.from(probabilities.keys()).sort(function (a, b) {
      return probabilities[b] - probabilities[a];
    });
  }

  /* What the input is and how it was read, for the text alternative. */
  function inputHow(state) {
    var p = state.pre;
    if (p.shipped) return "a shipped test digit (digit " + state.base.digit.label + "), already in MNIST form, read as it is";
    var uploaded = state.base && state.base.kind === "upload" && state.strokes.length === 0;
    var what = uploaded ? "the uploaded picture " + state.base.name : "your drawing";
    var ink = p.polarity === "dark-on-light" ? "dark ink on a light background" : "light ink on a dark background";
    return what + " (" + ink + "): its ink, a " + p.box[2] + "×" + p.box[3] + "-pixel box, scaled into " +
           "20×20 and shifted by (" + p.shift[0] + ", " + p.shift[1] + ") pixels to centre its mass";
  }

  /* The text alternative of the input and the prediction (state: result, pre, base, strokes;
   * `names`: classNames). */
  function altText(state, names) {
    var r = state.result;
    if (!r) return names ? NO_INPUT_OWN : NO_INPUT;
    var order = ranking(r.probabilities);
    return "Input: " + inputHow(state) + ". The network reads " + className(order[0], names) + " (probability " +
           fmt(r.probabilities[order[0]], 3) + "); next " + className(order[1], names) + " (" +
           fmt(r.probabilities[order[1]], 3) + ").";
  }

  /* The class of a table cell of value v: kernels (signed) show its sign. */
  function cellClass(v, signed) {
    if (!signed) return "";
    return v > 0 ? "dx-pos" : v < 0 ? "dx-neg" : "";
  }

  /* The tables of window k of a cell explained (digitnet.js explainCell's `e`; `titles`:
   * layerTitles): the input window, and for a conv cell the kernel it is multiplied with. */
  function windowTables(e, k, titles) {
    var map = e.kind === "conv" ? k : e.map;
    var caption = "window of " + titles[e.source] + (e.channels > 1 || e.kind !== "conv" ? ", map " + map : "") +
                  ", rows " + e.top + "–" + (e.top + e.k - 1) + ", columns " + e.left + "–" + (e.left + e.k - 1);
    var tables = [{rows: e.window[k], caption: caption, signed: false}];
    if (e.kind === "conv") tables.push({rows: e.kernel[k], caption: "kernel" + (e.channels > 1 ? ", channel " + k : ""), signed: true});
    return tables;
  }

  /* A product a×b as written out (a negative factor in brackets). */
  function product(a, b) {
    return fmt(a) + "×" + (b < 0 ? "(" + fmt(b) + ")" : fmt(b));
  }

  /* The written-out sums of a conv cell: one per channel, the total, the bias, the ReLU (a
   * layer with no activation keeps the sum plus the bias). */
  function convLines(e) {
    var lines = [];
    var partials = e.window.map(function (win, k) {
      var terms = [];
      var ps = 0;
      for (var u = 0; u < e.k; u++) {
        for (var v = 0; v < e.k; v++) {
          ps += win[u][v] * e.kernel[k][u][v];
          terms.push(product(win[u][v], e.kernel[k][u][v]));
        }
      }
      lines.push(["dx-sum dx-products", (e.channels > 1 ? "channel " + k + ": " : "") + terms.join(" + ") + " = " + fmt(ps)]);
      return ps;
    });
    var total = partials.length > 1 ? partials.map(function (v) {
      return fmt(v);
    }).join(" + ") + " = " + fmt(e.sum) : fmt(e.sum);
    lines.push(["dx-sum dx-total", "sum of products = " + total]);
    lines.push(["dx-sum dx-bias", "+ bias " + fmt(e.bias) + " = " + fmt(e.pre)]);
    if (e.activation === "relu") lines.push(["dx-sum dx-relu", "ReLU: max(0, " + fmt(e.pre) + ") = " + fmt(e.relu)]);
    else lines.push(["dx-sum dx-linear", "no activation: the cell keeps " + fmt(e.pre)]);
    return lines;
  }

  /* The written-out maximum of a pooling cell. */
  function maxLine(e) {
    var vals = [];
    e.window[0].forEach(function (r) {
      r.forEach(function (v) {
        vals.push(fmt(v));
      });
    });
    return ["dx-sum dx-max", "max(" + vals.join(", ") + ") = " + fmt(e.max)];
  }

  /* The receptive field of a cell (digitnet.js receptiveField), step by step. */
  function fieldLine(f) {
    var steps = f.steps.map(function (st) {
      return st.layer + " (k = " + st.k + (st.stride > 1 ? ", stride " + st.stride : "") + "): " + st.r_in +
             " + (" + st.k + " − 1)·" + st.j_in + " = " + st.r;
    });
    return ["dx-field", "Receptive field on the input: " + f.size + "×" + f.size + " pixels, rows " +
            f.top + "–" + (f.top + f.size - 1) + ", columns " + f.left + "–" + (f.left + f.size - 1) +
            " (outlined in orange on the 28×28 input). r_out = r_in + (k − 1)·j_in, starting from r = 1, j = 1: " +
            steps.join("; ") + (f.jump > 1 ? "; the jump j doubles after each pooling (now " + f.jump + ")." : ".")];
  }

  /* The channel of a conv cell whose products add up to the most, in magnitude (0 for a
   * pooling cell): the one the explanation shows unfolded. */
  function strongest(e) {
    if (e.kind !== "conv") return 0;
    var best = 0;
    var most = -1;
    e.window.forEach(function (win, k) {
      var ps = 0;
      for (var u = 0; u < e.k; u++) {
        for (var v = 0; v < e.k; v++) ps += win[u][v] * e.kernel[k][u][v];
      }
      if (Math.abs(ps) > most) {
        most = Math.abs(ps);
        best = k;
      }
    });
    return best;
  }

  /* The explanation of one cell, from digitnet.js explainCell's `e` (`titles`: layerTitles of
   * its network): its caption, its boxes (each a list of tables {rows, caption, signed}), its
   * lines ([class, text], in order) and the box shown unfolded (`strongest`). */
  function explanation(e, titles) {
    return {
      caption: titles[e.layer] + ", map " + e.map + ", cell (" + e.i + ", " + e.j + ") = " + fmt(e.value),
      boxes: e.window.map(function (win, k) {
        return windowTables(e, k, titles);
      }),
      lines: (e.kind === "conv" ? convLines(e) : [maxLine(e)]).concat([fieldLine(e.field)]),
      strongest: strongest(e),
    };
  }

  // ================================================================ pure: the epochs
  /* The largest |weight| of the kernel `name` over every epoch's weights: the colour scale of
   * the kernels, the same at every epoch. */
  function kernelLimit(weightsByEpoch, name) {
    var lim = 0;
    weightsByEpoch.forEach(function (w) {
      w[name].forEach(function (v) {
        if (Math.abs(v) > lim) lim = Math.abs(v);
      });
    });
    return lim;
  }

  /* Kernel f (K x K, of F filters, one input channel) of `ker` in the colour map `cmap`, -lim
   * -> its first colour, +lim -> its last, into RGBA `px`; returns its values as shown (2
   * decimals, row by row). */
  function kernelPixels(ker, F, f, K, lim, cmap, px) {
    var vals = [];
    for (var u = 0; u < K * K; u++) {
      var v = ker[u * F + f];
      var t = Math.round((v / lim + 1) / 2 * 255);
      vals.push(fmt(v, 2));
      px[4 * u] = cmap[3 * t];
      px[4 * u + 1] = cmap[3 * t + 1];
      px[4 * u + 2] = cmap[3 * t + 2];
      px[4 * u + 3] = 255;
    }
    return vals;
  }

  /* The accuracy an epoch is judged by: its validation accuracy, or, for a network with no
   * validation set (chapter 21's own classes: every drawing trains), its training accuracy. */
  function accuracyOf(ep) {
    var val = ep.val_accuracy !== null && ep.val_accuracy !== undefined;
    return {name: val ? "validation accuracy" : "training accuracy", value: val ? ep.val_accuracy : ep.accuracy};
  }

  /* The points of the accuracy curve (a 280 x 90 picture), one per stored epoch, placed by
   * epoch number (an export may store only some epochs: every third, say). */
  function curvePoints(epochs) {
    var last = epochs[epochs.length - 1].epoch;
    return epochs.map(function (ep) {
      return [10 + 260 * ep.epoch / Math.max(1, last), 80 - 70 * accuracyOf(ep).value];
    });
  }

  function curveLabel(epochs) {
    var name = accuracyOf(epochs[0]).name;
    return name.charAt(0).toUpperCase() + name.slice(1) + " per epoch: " + epochs.map(function (ep) {
      return ep.epoch + ": " + fmt(accuracyOf(ep).value, 3);
    }).join(", ");
  }

  function kernelLabel(f, ep, vals) {
    return "kernel " + f + " at epoch " + ep + ", row by row: " + vals.join(", ");
  }

  function epochMapLabel(layer, f) {
    return layer + " map " + f + " of the current input, with this epoch's kernel " + f;
  }

  function epochValueText(info) {
    var acc = accuracyOf(info);
    return "epoch " + info.epoch + ", " + acc.name + " " + fmt(acc.value, 3);
  }

  /* The epoch panel's sentence: the epoch, its accuracy (on `validation` digits the network
   * never trains on; none: the book's) and, given the forward pass `r` of the current input
   * with that epoch's weights, what it reads (`names`: classNames). */
  function epochText(info, r, validation, names) {
    var ep = info.epoch;
    var acc = accuracyOf(info);
    var text = (ep === 0 ? "Epoch 0: the random starting weights" : "After epoch " + ep) + ": " + acc.name + " " +
               fmt(acc.value, 3) + (acc.name === "validation accuracy" ? " on " + (validation || BOOK_VALIDATION) +
               " digits it never trains on" : " on the drawings it trains on (there is no validation set)");
    if (r) {
      text += "; with these weights the network reads your input as " + className(r.prediction, names) +
              " (probability " + fmt(r.probabilities[r.prediction], 3) + ")";
    }
    return text + ".";
  }

  /* The network handed over from chapter 21 (book.TRAINED_NET): `text` as stored ->
   * {net, weights (every epoch's, decoded)} when the explorer can show it, else {problem: one
   * sentence}. It draws the maps of any layer list digitnet.js runs that starts with a conv
   * layer on a 28x28 input and ends with the softmax layer, and reads digits (10 classes) or the
   * reader's own classes (their names). Whatever the explorer later reads of the export is
   * tried here first (every epoch's weights and accuracy, a drawing prepared with its
   * preprocessing and run through it), so an export cut short, corrupted or of an older
   * format gets its sentence instead of breaking the page. */
  function trainedNet(text) {
    var again = "; train it again in chapter 21.";
    var net;
    if (text === null || text === undefined)
      return {problem: "No network from chapter 21 is stored in this tab: train one in chapter 21's playground and press its Explore button."};
    try {
      net = JSON.parse(text);
    } catch (e) {
      return {problem: "The stored network is not readable JSON" + again};
    }
    if (!net || typeof net !== "object" || net.format !== "digitnet/2") {
      var format = net && typeof net.format === "string" ? " (its format is " + net.format + ")" : "";
      return {problem: "The stored network is not a digitnet/2 export" + format + again};
    }
    var lacks = ["preprocessing", "input", "layers", "tensors", "epochs"].filter(function (key) {
      return !net[key] || typeof net[key] !== "object" || (Array.isArray(net[key]) && !net[key].length);
    });
    if (lacks.length) return {problem: "The stored network has no " + lacks.join(", no ") + again};
    var list;
    try {
      list = D.layerList(net);
      D.shapes(net);
    } catch (e) {
      return {problem: cannotRun(e)};
    }
    var set = net.training && net.training.set || "digits";
    if (set === "fashion")
      return {problem: "The stored network was trained on Fashion-MNIST photos: the explorer reads drawings and " +
                       "pictures prepared as handwriting and has no photos to show it, so it cannot be explored here."};
    var last = list[list.length - 1];
    var classes = set === "own" ? (Array.isArray(net.classes) ? net.classes.length : 0) : 10;
    var input = Array.isArray(net.input.shape) ? net.input.shape.join("x") : "";
    if (list[0].kind !== "conv" || input !== "28x28x1" || last.activation !== "softmax" ||
        last.output !== "probabilities" || last.units !== classes || (set === "own" && classes < 2))
      return {problem: "The stored network is not one the explorer can draw (a conv layer first on a 28×28 input, the " +
                       "softmax layer last, one unit per class)" + again};
    if (set === "own" && !distinctNames(net.classes))
      return {problem: "The stored network's class names are not a list of different names" + again};
    var weights = [];
    try {
      net.epochs.forEach(function (ep, e) {
        var acc = accuracyOf(ep);
        if (typeof ep.epoch !== "number" || typeof acc.value !== "number" || !isFinite(acc.value))
          throw new Error("epoch " + e + " states no epoch number or accuracy");
        weights.push(D.decodeWeights(net, e));
      });
      tryDrawing(net, weights[weights.length - 1], set === "own");
    } catch (e) {
      return {problem: cannotRun(e)};
    }
    return {net: net, weights: weights};
  }

  // the sentence of an export digitnet.js cannot run (its own advice, for the book's files, left out)
  function cannotRun(e) {
    return "The stored network cannot be run here (" + String(e && e.message || e).split(";")[0] + "); it may " +
           "come from an older version of this page: train it again in chapter 21.";
  }

  // True when `names` are strings, none empty, no two alike.
  function distinctNames(names) {
    var seen = {};
    return names.every(function (n) {
      var fresh = typeof n === "string" && n.trim() !== "" && !Object.prototype.hasOwnProperty.call(seen, n);
      seen[n] = true;
      return fresh;
    });
  }

  // A vertical bar, drawn on a pad, prepared with the export's settings and read by it with
  // `weights`: throws unless the bar comes out as 28x28 inked pixels and the probabilities
  // come out, finite, one per class.
  function tryDrawing(net, weights, drawn) {
    var side = 56;
    var gray = new Float64Array(side * side).fill(255);
    for (var i = 10; i < side - 10; i++) {
      for (var j = 24; j < 32; j++) gray[i * side + j] = 0;
    }
    var pre = D.preprocess(gray, side, side, net.preprocessing);
    var image = pre ? Array.from(pre.image) : [];
    if (image.length !== 784 || !image.every(isFinite) || !image.some(function (v) {
      return v > 0;
    })) throw new Error("its preprocessing settings lose a drawing's ink");
    var p = D.forward(net, weights, networkInput(pre, drawn)).probabilities;
    var units = net.layers[net.layers.length - 1].units;
    if (p.length !== units || !Array.prototype.every.call(p, isFinite))
      throw new Error("a drawing does not give " + units + " finite probabilities");
  }

  /* The note above an explorer showing a handed-over network: what it is (what the export
   * states of it). */
  function trainedNote(net) {
    var t = net.training || {}, last = net.epochs[net.epochs.length - 1], acc = accuracyOf(last), names = classNames(net);
    var facts = [];
    if (typeof net.parameters === "number") facts.push(net.parameters + " parameters");
    if (t.data) facts.push(t.data);
    facts.push(last.epoch + " epoch" + (last.epoch === 1 ? "" : "s") + (t.optimizer ? " of " + t.optimizer : ""));
    facts.push(acc.name + " " + fmt(acc.value, 3));
    return "You are exploring the network you trained in chapter 21: " + facts.join(", ") +
           ". Every map, kernel and epoch below is its own" +
           (names ? "; it reads your classes: " + names.join(", ") + "." : ".");
  }

  function digitOptionText(dg) {
    return "test digit " + dg.row + ": a " + dg.label + (dg.wrong ? " (misread)" : "");
  }

  // ================================================================ views: the context
  /* The explorer's context: its elements, the network, the colour maps and the state. */
  function context(rootEl, data) {
    var net = data.net;
    var q = function (sel) {
      return rootEl.querySelector(sel);
    };
    var x = {root: rootEl, data: data, net: net, S: net.preprocessing, side: net.preprocessing.side,
             magma: bytes(data.cmaps.magma), rdbu: bytes(data.cmaps.rdbu),
             epochCache: Object.assign({}, data.decoded),  // a handed-over network comes decoded (trainedNet)
             last: net.epochs.length - 1, maps: {}, layerDivs: {}, gray: null, inked: null, drawing: false, frame: 0, uploads: 0, q: q,
             layers: mapLayers(net), titles: layerTitles(net), names: classNames(net)};
    x.W = weightsOf(x, x.last);
    x.pad = q(".dx-pad");
    x.pctx = x.pad.getContext("2d", {willReadFrequently: true});
    x.inputCanvas = q(".dx-input");
    x.ictx = x.inputCanvas.getContext("2d");
    x.predEl = q(".dx-prediction");
    x.altEl = q(".dx-alt");
    x.explainEl = q(".dx-explain");
    x.statusEl = statusElement(q);
    x.select = q(".dx-select");
    x.file = q(".dx-file");
    x.state = initialState(x.last);
    return x;
  }

  function weightsOf(x, e) {
    if (!x.epochCache[e]) x.epochCache[e] = D.decodeWeights(x.net, e);
    return x.epochCache[e];
  }

  // one line on the last upload that could not be read (empty otherwise)
  function statusElement(q) {
    var statusEl = q(".dx-status");
    if (statusEl) return statusEl;
    statusEl = el("p", "dx-status");
    statusEl.setAttribute("role", "status");
    q(".dx-upload").appendChild(statusEl);
    return statusEl;
  }

  function say(x, text) {
    x.statusEl.textContent = text;
  }

  // ================================================================ views: bars
  // One canvas for the bars, one per class: while a stroke is drawn it is repainted on every
  // frame, and a canvas repaint needs no style, layout or DOM work. Its text alternative is
  // written when the input is complete (describe), not on every move. Digits get a one-character
  // label column; class names a wider one (barLabels: a name too long for it is cut with "…",
  // and a line under the bars gives the names in full).
  function barLayout(names) {
    if (!names) return {w: BAR_W, label: 18, bar: 150, rows: 10};
    return {w: NAMED_BAR_W, label: NAMED_LABEL_W, bar: NAMED_BAR_W - NAMED_LABEL_W - 52, rows: names.length};
  }

  function buildBars(x) {
    var dpr = Math.max(1, Math.min(3, root.devicePixelRatio || 1));
    x.bars = x.q(".dx-bars");
    x.barLayout = barLayout(x.names);
    x.bars.width = x.barLayout.w * dpr;
    x.bars.height = x.barLayout.rows * BAR_ROW * dpr;
    x.bctx = x.bars.getContext("2d");
    x.bctx.scale(dpr, dpr);
    x.bctx.font = BAR_FONT;
    x.barLabels = null;
    if (!x.names) return;
    x.bars.style.width = x.barLayout.w + "px";
    x.bars.style.height = x.barLayout.rows * BAR_ROW + "px";
    var labels = barLabels(x.names, function (t) {
      return x.bctx.measureText(t).width;
    }, x.barLayout.label - 8);
    x.barLabels = labels.labels;
    if (labels.cut) x.bars.parentNode.insertBefore(el("p", "dx-bar-names", labels.cut), x.bars.nextSibling);
  }

  function paintBars(x, r) {
    var bctx = x.bctx;
    var lay = x.barLayout;
    bctx.fillStyle = "#fff";
    bctx.fillRect(0, 0, lay.w, lay.rows * BAR_ROW);
    bctx.font = BAR_FONT;
    bctx.textBaseline = "middle";
    for (var k = 0; k < lay.rows; k++) {
      paintBar(bctx, r, k, lay, x.barLabels);
    }
  }

  function paintBar(bctx, r, k, lay, labels) {
    var y = k * BAR_ROW;
    var mid = y + BAR_ROW / 2;
    bctx.fillStyle = "#000";
    bctx.textAlign = "left";
    bctx.fillText(labels ? labels[k] : String(k), 4, mid);
    bctx.fillStyle = "#e4e4e4";
    bctx.fillRect(lay.label, y + 3, lay.bar, BAR_ROW - 6);
    if (r) {
      bctx.fillStyle = k === r.prediction ? "#e66100" : "#1f5fbf";
      bctx.fillRect(lay.label, y + 3, lay.bar * r.probabilities[k], BAR_ROW - 6);
    }
    bctx.fillStyle = "#000";
    bctx.textAlign = "right";
    bctx.fillText(probabilityText(r, k), lay.w - 4, mid);
  }

  // ================================================================ views: maps
  // The layers' sections, built from the network's layers (mapLayers) in place of the
  // markup's (explorer.html: the book's layout, what a page shows before its script runs).
  function buildMaps(x) {
    var section = x.q(".dx-layers");
    section.querySelectorAll(".dx-layer, .dx-tail").forEach(function (old) {
      section.removeChild(old);
    });
    x.layers.forEach(function (l) {
      buildLayer(x, section, l);
    });
    var tail = tailText(x.net, x.names);
    if (tail) section.appendChild(el("p", "dx-tail", tail));
  }

  function buildLayer(x, section, l) {
    var name = l.name;
    var div = el("div", "dx-layer");
    div.setAttribute("data-layer", name);
    var cap = el("div", "dx-cap", l.title);
    var box = el("div", "dx-maps");
    div.appendChild(cap);
    div.appendChild(box);
    section.appendChild(div);
    var shape = D.shapes(x.net)[name];   // from the export's layers
    cap.textContent += layerCaption(l.layer, shape);
    x.maps[name] = [];
    x.layerDivs[name] = div;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", cap.textContent);
    for (var f = 0; f < shape[2]; f++) {
      var m = buildMap(name, l.title, f, shape);
      box.appendChild(m.button);
      x.state.cursor[name + ":" + f] = startCell(shape);
      x.maps[name].push(m);
      wireMap(x, m);
      placeCursor(x, m);
    }
  }

  function buildMap(name, title, f, shape) {
    var b = el("button", "dx-map");
    var c = el("canvas");
    var cur = el("span", "dx-cur");
    b.type = "button";
    b.tabIndex = f === 0 ? 0 : -1;          // one Tab stop per layer (a roving tabindex)
    c.width = shape[1];
    c.height = shape[0];
    b.appendChild(c);
    b.appendChild(cur);
    b.appendChild(el("span", "dx-num", String(f)));
    var ctx = c.getContext("2d");
    return {button: b, canvas: c, ctx: ctx, cur: cur, f: f, name: name, title: title, shape: shape,
            image: ctx.createImageData(shape[1], shape[0])};
  }

  function cursorOf(x, m) {
    return x.state.cursor[m.name + ":" + m.f];
  }

  function placeCursor(x, m) {
    var rc = cursorOf(x, m);
    var box = cursorBox(rc, m.shape);
    m.cur.style.left = box.left;
    m.cur.style.top = box.top;
    m.cur.style.width = box.width;
    m.cur.style.height = box.height;
    m.button.setAttribute("aria-label", mapLabel(m.title, m.f, m.shape, rc, cellValue(x.state.result, m.name, m.shape, m.f, rc)));
  }

  // the layer's Tab stop moves to map m (and the keyboard focus with it, if asked)
  function activate(x, m, focus) {
    x.maps[m.name].forEach(function (o) {
      o.button.tabIndex = o === m ? 0 : -1;
    });
    if (focus) m.button.focus();
  }

  function wireMap(x, m) {
    m.button.addEventListener("focus", function () {
      activate(x, m, false);
    });
    m.button.addEventListener("click", function (ev) {
      onMapClick(x, m, ev);
    });
    m.button.addEventListener("keydown", function (ev) {
      onMapKey(x, m, ev);
    });
  }

  // a pointer click picks the cell under it; a click from the keyboard (Enter) the cursor's
  function onMapClick(x, m, ev) {
    if (ev.detail > 0 && ev.target === m.canvas) {
      x.state.cursor[m.name + ":" + m.f] = cellAt(ev.clientX, ev.clientY, m.canvas.getBoundingClientRect(), m.shape);
      placeCursor(x, m);
    }
    var rc = cursorOf(x, m);
    x.state.selected = {layer: m.name, i: rc[0], j: rc[1], f: m.f};
    x.root.querySelectorAll(".dx-map.dx-selected").forEach(function (b) {
      b.classList.remove("dx-selected");
    });
    m.button.classList.add("dx-selected");
    drawInput(x);
    explain(x);
  }

  function onMapKey(x, m, ev) {
    var all = x.maps[m.name];
    var act = keyAction(ev.key, cursorOf(x, m), m.shape, m.f, all.length);
    if (!act) return;
    ev.preventDefault();
    if (act.map !== undefined) {
      activate(x, all[act.map], true);
      return;
    }
    x.state.cursor[m.name + ":" + m.f] = act.cell;
    placeCursor(x, m);
  }

  function paintMap(values, shape, f, cmap, ctx, image) {
    mapPixels(values, shape, f, cmap, image.data);
    ctx.putImageData(image, 0, 0);
  }

  function blank(ctx, w, h) {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, w, h);
  }

  // Every layer's maps, from the current forward pass; a layer far from the screen (nearScreen)
  // is only marked stale, and drawn when it comes near.
  function paintLayers(x) {
    x.layers.forEach(function (l) {
      if (x.far[l.name]) x.stale[l.name] = true;
      else paintLayer(x, l.name);
    });
  }

  function paintLayer(x, name) {
    var r = x.state.result;
    x.stale[name] = false;
    x.maps[name].forEach(function (m) {
      if (r) paintMap(r[m.name], m.shape, m.f, x.magma, m.ctx, m.image);
      else blank(m.ctx, m.shape[1], m.shape[0]);
    });
  }

  /* What is far from the screen is neither drawn nor composited. Each layer's maps and the
   * epoch panel are watched (an IntersectionObserver, with half a screen's margin above and
   * below so that scrolling reaches nothing stale); a far one gets .dx-far (explorer.css: on
   * screen, its canvases' content-visibility hidden, which keeps their size and text
   * alternatives), and a layer's maps are drawn when it comes near, if the input changed
   * while it was far, or before the page is printed. Where the browser has no
   * IntersectionObserver everything counts as near. */
  function nearScreen(x) {
    x.far = {};
    x.stale = {};
    if (typeof root.IntersectionObserver !== "function") return;
    // In pixels: a percentage of scrollMargin is of each scroller's own size (a page-long
    // wrapper's, on some themes). scrollMargin, where the browser has it, widens every
    // scroller the maps are seen through, the page's too (JupyterLab's notebook panel, say);
    // elsewhere rootMargin widens the page's.
    var margin = Math.round((root.innerHeight || 800) / 2) + "px 0px";
    var options = "scrollMargin" in root.IntersectionObserver.prototype ? {scrollMargin: margin} : {rootMargin: margin};
    var watched = new Map();
    var io = new root.IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var name = watched.get(e.target);
        x.far[name] = !e.isIntersecting;
        e.target.classList.toggle("dx-far", !e.isIntersecting);
        if (e.isIntersecting && x.stale[name]) paintLayer(x, name);
      });
    }, options);
    x.layers.forEach(function (l) {
      watched.set(x.layerDivs[l.name], l.name);
    });
    watched.set(x.q(".dx-learn"), "learn");  // drawn when the input is complete: only hidden
    watched.forEach(function (name, target) {
      io.observe(target);
    });
    root.addEventListener("beforeprint", function () {  // a print shows every layer (explorer.css)
      x.layers.forEach(function (l) {
        if (x.stale[l.name]) paintLayer(x, l.name);
      });
    });
  }

  // ================================================================ views: the input grid
  function buildInputGrid(x) {
    var side = x.side;
    x.cellsCanvas = document.createElement("canvas");          // the 28x28 pixels, 1:1
    x.cellsCanvas.width = side;
    x.cellsCanvas.height = side;
    x.cctx = x.cellsCanvas.getContext("2d");
    x.cells = x.cctx.createImageData(side, side);
    x.gridCanvas = document.createElement("canvas");            // the grid lines, drawn once
    x.gridCanvas.width = x.inputCanvas.width;
    x.gridCanvas.height = x.inputCanvas.height;
    drawGrid(x.gridCanvas.getContext("2d"), x.gridCanvas.width, side);
  }

  function drawGrid(g, size, side) {
    var cell = size / side;
    g.strokeStyle = "rgba(128,128,128,0.35)";
    g.lineWidth = 1;
    g.beginPath();
    for (var k = 0; k <= side; k++) {
      g.moveTo(k * cell + 0.5, 0);
      g.lineTo(k * cell + 0.5, size);
      g.moveTo(0, k * cell + 0.5);
      g.lineTo(size, k * cell + 0.5);
    }
    g.stroke();
  }

  function drawInput(x) {
    var state = x.state;
    var ictx = x.ictx;
    var size = x.inputCanvas.width;
    var cell = size / x.side;
    inputPixels(state.pre ? state.pre.image : null, x.side * x.side, x.cells.data);
    x.cctx.putImageData(x.cells, 0, 0);
    ictx.imageSmoothingEnabled = false;
    ictx.drawImage(x.cellsCanvas, 0, 0, size, size);
    ictx.drawImage(x.gridCanvas, 0, 0);
    if (!(state.selected && state.result)) return;
    var fld = D.receptiveField(x.net, state.selected.layer, state.selected.i, state.selected.j);
    ictx.strokeStyle = "#e66100";
    ictx.lineWidth = 3;
    ictx.strokeRect(fld.left * cell + 1.5, fld.top * cell + 1.5, fld.size * cell - 3, fld.size * cell - 3);
  }

  // ================================================================ views: the pad
  // The pad's luminance (padGray) is kept: a whole redraw drops it, a stroke being drawn
  // marks the box it inks (x.inked), and only that box is read again.
  function redrawPad(x) {
    x.pctx.fillStyle = "#fff";
    x.pctx.fillRect(0, 0, PAD, PAD);
    if (x.state.base) x.pctx.drawImage(x.state.base.canvas, 0, 0);
    x.state.strokes.forEach(function (s) {
      strokePath(x.pctx, strokeSegment(s, 0));
    });
    x.gray = null;
    x.inked = null;
  }

  // the current stroke's points from `from` on, inked on the pad
  function inkStroke(x, from) {
    var seg = strokeSegment(currentStroke(x), from);
    if (!seg) return;
    strokePath(x.pctx, seg);
    x.inked = unionBox(x.inked, inkBounds(seg));
  }

  // the pad's pixels as luminance (digitnet.js luminance), read again only where inked since
  function padGray(x) {
    var b = x.inked;
    x.inked = null;
    if (!x.gray) {
      x.gray = D.luminance(x.pctx.getImageData(0, 0, PAD, PAD).data, PAD, PAD);
      return x.gray;
    }
    var w = b ? b[2] - b[0] : 0;
    var h = b ? b[3] - b[1] : 0;
    if (w > 0 && h > 0) {
      var patch = D.luminance(x.pctx.getImageData(b[0], b[1], w, h).data, w, h);
      for (var r = 0; r < h; r++) {
        x.gray.set(patch.subarray(r * w, (r + 1) * w), (b[1] + r) * PAD + b[0]);
      }
    }
    return x.gray;
  }

  function strokePath(pctx, seg) {
    pctx.strokeStyle = "#000";
    pctx.fillStyle = "#000";
    pctx.lineWidth = STROKE;
    pctx.lineCap = "round";
    pctx.lineJoin = "round";
    if (!seg) return;
    pctx.beginPath();
    if (seg.dot) {
      pctx.arc(seg.dot[0], seg.dot[1], STROKE / 2, 0, 2 * Math.PI);
      pctx.fill();
      return;
    }
    pctx.moveTo(seg.line[0][0], seg.line[0][1]);
    for (var k = 1; k < seg.line.length; k++) {
      pctx.lineTo(seg.line[k][0], seg.line[k][1]);
    }
    pctx.stroke();
  }

  /* The input after `action` (nextInput): the state, the test-digit list, the status line. */
  function setInput(x, action) {
    var next = nextInput(x.state, action);
    x.state.base = next.base;
    x.state.strokes = next.strokes;
    if (next.resetPick) x.select.value = "";
    if (next.status !== undefined) say(x, next.status);
  }

  /* A whole new input (not a stroke being drawn): the pad, the network, the text. A stroke
   * still being drawn ends with it (its later points would go to an input it is not part of). */
  function replaceInput(x, action, source) {
    x.drawing = false;
    if (x.example) {  // the example's status line goes with it
      x.example = false;
      say(x, "");
    }
    setInput(x, action);
    redrawPad(x);
    update(x, source);
    describe(x);
  }

  function currentStroke(x) {
    return x.state.strokes[x.state.strokes.length - 1];
  }

  // While a stroke is drawn, the pad gets its ink at once and the network runs once per
  // frame (requestAnimationFrame), however many pointer events arrive; the text parts (the
  // explained cell, the text alternatives, the epoch panel) follow when the stroke ends.
  function scheduleUpdate(x) {
    if (x.frame) return;
    x.frame = root.requestAnimationFrame(function () {
      x.frame = 0;
      update(x, "draw");
    });
  }

  function flushUpdate(x) {
    if (!x.frame) return;
    root.cancelAnimationFrame(x.frame);
    x.frame = 0;
    update(x, "draw");
  }

  /* The explorer opens on a shipped test digit (the first EXAMPLE_DIGIT of the list), so every
   * map shows something before the reader does anything; the first stroke on the pad then
   * starts a drawing of the reader's own (a digit the reader picks stays, to draw over). */
  function exampleIndex(digits) {
    for (var k = 0; k < digits.length; k++) {
      if (digits[k].label === EXAMPLE_DIGIT && !digits[k].wrong) return k;
    }
    return digits.length ? 0 : -1;
  }

  function showExample(x) {
    var k = exampleIndex(x.data.digits);
    if (k < 0) return;
    x.select.value = String(k);
    onPick(x);
    x.example = true;
    say(x, "An example to start with: test digit " + x.data.digits[k].row +
           ". Draw on the pad to replace it, or pick another digit.");
  }

  function onPadDown(x, ev) {
    ev.preventDefault();
    if (x.example) replaceInput(x, {type: "clear"}, "clear");
    setInput(x, {type: "down", point: padPoint(ev.clientX, ev.clientY, x.pad.getBoundingClientRect())});
    x.drawing = true;
    try {
      x.pad.setPointerCapture(ev.pointerId);
    } catch (e) {
      /* synthetic events */
    }
    inkStroke(x, 0);
    scheduleUpdate(x);
  }

  function onPadMove(x, ev) {
    if (!x.drawing) return;
    var events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
    if (!events.length) events = [ev];
    var from = currentStroke(x).length - 1;
    var rect = x.pad.getBoundingClientRect();
    setInput(x, {type: "move", points: events.map(function (e) {
      return padPoint(e.clientX, e.clientY, rect);
    })});
    inkStroke(x, from);
    scheduleUpdate(x);
  }

  function endStroke(x) {
    if (!x.drawing) return;
    flushUpdate(x);
    x.drawing = false;
    paintEpoch(x);
    describe(x);
    if (x.state.selected) explain(x);
  }

  // ================================================================ views: pick a test digit
  function fillPicker(x) {
    x.data.digits.forEach(function (dg, k) {
      var o = el("option", null, digitOptionText(dg));
      o.value = String(k);
      x.select.appendChild(o);
    });
  }

  function onPick(x) {
    if (x.select.value === "") return;
    var dg = x.data.digits[+x.select.value];
    var px = D.unpackDigit(dg.ink);
    var base = {kind: "digit", canvas: digitCanvas(px, x.side), pixels: px, digit: dg};
    replaceInput(x, {type: "pick", base: base}, "pick");
  }

  // a test digit on the pad: each of its pixels a grey square
  function digitCanvas(px, side) {
    var c = document.createElement("canvas");
    c.width = PAD;
    c.height = PAD;
    var cx = c.getContext("2d");
    var cell = PAD / side;
    cx.fillStyle = "#fff";
    cx.fillRect(0, 0, PAD, PAD);
    for (var k = 0; k < px.length; k++) {
      if (!px[k]) continue;
      var g = 255 - px[k];
      cx.fillStyle = "rgb(" + g + "," + g + "," + g + ")";
      cx.fillRect((k % side) * cell, Math.floor(k / side) * cell, cell, cell);
    }
    return c;
  }

  // ================================================================ views: upload
  // An upload that cannot be read leaves nothing of what was there before (no stale
  // prediction, no picture to draw over) and says why in the status line.
  function refuse(x, text) {
    replaceInput(x, {type: "refuse", text: text}, "upload");
  }

  function onFileChange(x) {
    var f = x.file.files && x.file.files[0];
    if (!f) return;
    var mine = ++x.uploads;  // a later upload wins over one still being read
    f.arrayBuffer().then(function (buf) {
      if (mine !== x.uploads) return;
      var problem = fileProblem(f.name, new Uint8Array(buf), x.names);
      if (problem) refuse(x, problem);
      else loadPicture(x, f, URL.createObjectURL(f), mine);
    }, function () {
      if (mine === x.uploads) refuse(x, statusLine("unreadable-file", f.name));
    });
  }

  function loadPicture(x, f, url, mine) {
    var img = new Image();
    img.onload = function () {
      if (mine === x.uploads) onPicture(x, f, url, img);
      else URL.revokeObjectURL(url);
    };
    img.onerror = function () {
      URL.revokeObjectURL(url);
      if (mine === x.uploads) refuse(x, statusLine("not-an-image", f.name));
    };
    img.src = url;
  }

  // the decoded picture `img` of file f: read, or refused with the reason
  function onPicture(x, f, url, img) {
    var size = uploadSize(img.naturalWidth, img.naturalHeight);
    var c = document.createElement("canvas");
    c.width = size.w;
    c.height = size.h;
    var rgba = picturePixels(c, img, url);
    if (!rgba) {
      refuse(x, statusLine("hidden-pixels", f.name));
      return;
    }
    var pre = D.preprocess(D.luminance(rgba, size.w, size.h), size.w, size.h, x.S);
    if (!pre) {
      refuse(x, pictureProblem(f.name, rgba, size.w, size.h, x.names));
      return;
    }
    var base = {kind: "upload", canvas: shownPicture(c, pre), pre: pre, name: f.name, w: size.w, h: size.h};
    replaceInput(x, {type: "upload", base: base}, "upload");
  }

  // img's RGBA pixels drawn into canvas c, or null when the browser hides them
  function picturePixels(c, img, url) {
    var cx = c.getContext("2d", {willReadFrequently: true});
    try {
      cx.drawImage(img, 0, 0, c.width, c.height);
      return cx.getImageData(0, 0, c.width, c.height).data;
    } catch (e) {  // a tainted canvas: e.g. an SVG that draws HTML (foreignObject)
      return null;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  // the pad shows the picture as dark ink on white, so a reader can draw over it
  function shownPicture(c, pre) {
    var shown = document.createElement("canvas");
    shown.width = PAD;
    shown.height = PAD;
    var sx = shown.getContext("2d");
    sx.fillStyle = "#fff";
    sx.fillRect(0, 0, PAD, PAD);
    if (pre.polarity === "light-on-dark") sx.filter = "invert(1)";
    sx.drawImage(c, Math.floor((PAD - c.width) / 2), Math.floor((PAD - c.height) / 2));
    return shown;
  }

  // ================================================================ compute + paint
  function currentInput(x) {
    var source = inputSource(x.state);
    if (source === "digit") return shippedInput(x.state.base.pixels);
    if (source === "upload") return x.state.base.pre;
    if (source === "none") return null;
    return D.preprocess(padGray(x), PAD, PAD, x.S);
  }

  function update(x, source) {
    var t0 = performance.now();
    var state = x.state;
    state.source = source;
    state.pre = currentInput(x);
    state.input = state.pre ? networkInput(state.pre, !!x.names) : null;
    state.result = state.input ? D.forward(x.net, x.W, state.input) : null;
    paint(x);
    state.lastUpdateMs = performance.now() - t0;
  }

  // Repaint what depends on the input: only canvases, and the predicted digit when it
  // changes; while a stroke is drawn nothing else is touched (see endStroke).
  function paint(x) {
    var r = x.state.result;
    drawInput(x);
    var read = r ? className(r.prediction, x.names) : "";
    if (x.predEl.getAttribute("data-prediction") !== read) {
      x.predEl.textContent = read || "–";
      x.predEl.setAttribute("data-prediction", read);
    }
    paintBars(x, r);
    paintLayers(x);
    if (x.drawing) return;
    if (x.state.selected) explain(x);
    paintEpoch(x);
  }

  // ================================================================ text alternative
  function describe(x) {
    x.layers.forEach(function (l) {
      x.maps[l.name].forEach(function (m) {
        placeCursor(x, m);
      });
    });
    x.bars.setAttribute("aria-label", barsLabel(x.state.result, x.names));
    x.altEl.textContent = altText(x.state, x.names);
  }

  // ================================================================ one cell explained
  function table(t) {
    var out = el("table", "dx-grid");
    if (t.caption) out.appendChild(el("caption", null, t.caption));
    t.rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (v) {
        tr.appendChild(el("td", cellClass(v, t.signed), fmt(v)));
      });
      out.appendChild(tr);
    });
    return out;
  }

  function explain(x) {
    var s = x.state.selected;
    var explainEl = x.explainEl;
    explainEl.textContent = "";
    if (!s || !x.state.result) {
      explainEl.appendChild(el("p", "dx-none", "No cell chosen yet."));
      return;
    }
    var e = D.explainCell(x.net, x.W, x.state.result, s.layer, s.i, s.j, s.f);
    explainEl.dataset.layer = s.layer;
    explainEl.dataset.i = s.i;
    explainEl.dataset.j = s.j;
    explainEl.dataset.map = s.f;
    explainEl.dataset.value = String(e.value);
    showExplanation(explainEl, explanation(e, x.titles), fieldPicture(x, e.field));
  }

  /* The input as the network reads it, small, with the cell's receptive field outlined: the
   * cause beside its effect, wherever the page is scrolled. */
  function fieldPicture(x, f) {
    var c = el("canvas", "dx-field-pic");
    c.width = FIELD_PIC;
    c.height = FIELD_PIC;
    c.getContext("2d").drawImage(x.inputCanvas, 0, 0, FIELD_PIC, FIELD_PIC);
    c.setAttribute("role", "img");
    c.setAttribute("aria-label", "The 28×28 input with this cell's receptive field outlined in orange: rows " +
                   f.top + "–" + (f.top + f.size - 1) + ", columns " + f.left + "–" + (f.left + f.size - 1));
    return c;
  }

  function boxOf(tables) {
    var box = el("div");
    tables.forEach(function (t) {
      box.appendChild(table(t));
    });
    return box;
  }

  /* One screen: the caption, the input with the field beside the strongest channel's window
   * and kernel, then the sums; a cell with several channels folds their tables and products. */
  function showExplanation(explainEl, parts, picture) {
    explainEl.appendChild(el("div", "dx-cap", parts.caption));
    var row = el("div", "dx-row");
    row.appendChild(picture);
    row.appendChild(boxOf(parts.boxes[parts.strongest]));
    explainEl.appendChild(row);
    var several = parts.boxes.length > 1;
    var products = parts.lines.filter(function (l) {
      return l[0] === "dx-sum dx-products";
    });
    var holder = explainEl;
    if (several) {
      explainEl.appendChild(el("p", "dx-note", "Shown: channel " + parts.strongest + ", the one whose products add " +
                               "up to the most. Every channel's window, kernel and products:"));
      holder = el("details", "dx-more");
      holder.appendChild(el("summary", null, "all " + parts.boxes.length + " channels"));
      var all = el("div", "dx-row");
      parts.boxes.forEach(function (tables) {
        all.appendChild(boxOf(tables));
      });
      holder.appendChild(all);
      explainEl.appendChild(holder);
    }
    products.forEach(function (line) {
      holder.appendChild(el("p", line[0], line[1]));
    });
    parts.lines.forEach(function (line) {
      if (line[0] !== "dx-sum dx-products") explainEl.appendChild(el("p", line[0], line[1]));
    });
  }

  // ================================================================ epochs
  function buildEpochPanel(x) {
    var net = x.net;
    x.epochInput = x.q(".dx-epoch");
    x.epochLabel = x.q(".dx-epoch-label");
    x.epochText = x.q(".dx-epoch-text");
    x.epochInput.max = String(x.last);
    x.epochInput.value = String(x.last);
    x.k1 = D.layerList(net)[0];
    var all = net.epochs.map(function (ep, e) {
      return weightsOf(x, e);
    });
    x.lim = kernelLimit(all, x.k1.name + "/kernel");
    x.kernelCanvases = [];
    x.epochMaps = [];
    for (var f = 0; f < x.k1.filters; f++) {
      x.kernelCanvases.push(buildKernel(x, f));
      x.epochMaps.push(buildEpochMap(x, f, D.shapes(net)[x.k1.output]));
    }
    buildCurve(x);
  }

  function buildKernel(x, f) {
    var wrap = el("div", "dx-kernel");
    var kc = el("canvas");
    kc.width = x.k1.kernel;
    kc.height = x.k1.kernel;
    wrap.appendChild(kc);
    var lab = el("div", null, "kernel " + f);
    wrap.appendChild(lab);
    x.q(".dx-kernels").appendChild(wrap);
    return {canvas: kc, label: lab};
  }

  function buildEpochMap(x, f, shape) {
    var mc = el("canvas");
    mc.width = shape[1];
    mc.height = shape[0];
    mc.setAttribute("role", "img");
    mc.setAttribute("aria-label", epochMapLabel(x.k1.name, f));
    x.q(".dx-epoch-maps").appendChild(mc);
    var ctx = mc.getContext("2d");
    return {canvas: mc, ctx: ctx, image: ctx.createImageData(mc.width, mc.height)};
  }

  function svgElement(name, attrs) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", name);
    Object.keys(attrs).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    return e;
  }

  function buildCurve(x) {
    var epochs = x.net.epochs;
    var svg = svgElement("svg", {"class": "dx-curve", width: "280", height: "90", role: "img", "aria-label": curveLabel(epochs)});
    x.curve = curvePoints(epochs);
    var line = svgElement("polyline", {points: x.curve.map(function (p) {
      return p.join(",");
    }).join(" "), fill: "none", stroke: "#1f5fbf", "stroke-width": "2"});
    x.dot = svgElement("circle", {r: "5", fill: "#e66100"});
    svg.appendChild(line);
    svg.appendChild(x.dot);
    x.epochText.parentNode.insertBefore(svg, x.epochText.nextSibling);
  }

  function paintEpoch(x) {
    var ep = x.state.epoch;
    var w = weightsOf(x, ep);
    var info = x.net.epochs[ep];
    x.epochLabel.textContent = info.epoch + " of " + x.net.epochs[x.last].epoch;
    x.epochInput.setAttribute("aria-valuetext", epochValueText(info));
    x.dot.setAttribute("cx", String(x.curve[ep][0]));
    x.dot.setAttribute("cy", String(x.curve[ep][1]));
    paintKernels(x, info.epoch, w[x.k1.name + "/kernel"]);
    var r = x.state.input ? D.forward(x.net, w, x.state.input) : null;
    x.epochMaps.forEach(function (m, f) {
      if (r) paintMap(r[x.k1.output], r.shapes[x.k1.output], f, x.magma, m.ctx, m.image);
      else blank(m.ctx, m.canvas.width, m.canvas.height);
    });
    x.epochText.textContent = epochText(info, r, x.net.training && x.net.training.validation_examples, x.names);
  }

  function paintKernels(x, ep, ker) {
    var K = x.k1.kernel;
    x.kernelCanvases.forEach(function (kc, f) {
      var cx = kc.canvas.getContext("2d");
      var img = cx.createImageData(K, K);
      var vals = kernelPixels(ker, x.k1.filters, f, K, x.lim, x.rdbu, img.data);
      cx.putImageData(img, 0, 0);
      kc.canvas.setAttribute("role", "img");
      kc.canvas.setAttribute("aria-label", kernelLabel(f, ep, vals));
    });
  }

  // ================================================================ views: own classes
  /* A network of the reader's own classes: the texts name them, and the test digits, which it
   * was not trained to read, give way to one line saying so. */
  function showOwnClasses(x) {
    var list = x.names.join(", ");
    x.q(".dx-inputs .dx-cap").textContent = "Draw one of your classes: " + list;
    x.q(".dx-upload label").textContent = "Or upload a picture (PNG or JPEG):";
    var pick = x.q(".dx-pick");
    pick.hidden = true;
    var line = el("p", "dx-pick-note", "No test digits here: this network reads your own classes (" + list +
                  "), not digits.");
    pick.parentNode.insertBefore(line, pick.nextSibling);
    x.predEl.classList.add("dx-prediction-name");
    x.q(".dx-region").setAttribute("aria-label", "Explorer of the network you trained on your own classes, " +
                                   "running in this page");
  }

  // ================================================================ mount: the DOM events
  /* On chapter 21's address (book.TRAINED_NET's hash) in `win` (the window), the stored
   * network as trainedNet reads it ({net, weights} or {problem}); elsewhere null: the book's
   * network. A browser that blocks the site's storage throws on reading win.sessionStorage. */
  function handedOver(win) {
    var T = book && book.TRAINED_NET, text = null;
    if (!T || !win.location || win.location.hash !== T.hash) return null;
    try {
      text = win.sessionStorage.getItem(T.key);
    } catch (e) {
      return {problem: "This browser does not let the page read the tab's storage, so the network from chapter 21 cannot be opened."};
    }
    return trainedNet(text);
  }

  /* The note at the explorer's top: which network it shows, and the way back to the book's. */
  function showHandOff(x, handed) {
    var box = el("div", "dx-handoff");
    box.setAttribute("role", "note");
    box.appendChild(el("p", null, handed.net ? trainedNote(handed.net) :
                                   handed.problem + " The explorer shows the book's network."));
    if (handed.net) {
      var back = el("button", "dx-handoff-back", "Back to the book's network");
      back.type = "button";
      back.addEventListener("click", function () {
        root.history.replaceState(null, "", location.pathname + location.search);
        location.reload();
      });
      box.appendChild(back);
    }
    x.root.insertBefore(box, x.root.firstChild);
    x.root.scrollIntoView();  // the reader came for the explorer, whichever network it shows
  }

  function mount(rootEl, data) {
    var handed = handedOver(root);
    if (handed && handed.net) data = Object.assign({}, data, {net: handed.net, decoded: handed.weights});
    var x = context(rootEl, data);
    rootEl.digitExplorer = {state: x.state, net: x.net, D: D, trained: !!(handed && handed.net), names: x.names};
    if (handed) showHandOff(x, handed);
    if (x.names) showOwnClasses(x);
    buildBars(x);
    buildMaps(x);
    nearScreen(x);
    buildInputGrid(x);
    fillPicker(x);
    buildEpochPanel(x);
    x.pad.addEventListener("pointerdown", function (ev) {
      onPadDown(x, ev);
    });
    x.pad.addEventListener("pointermove", function (ev) {
      onPadMove(x, ev);
    });
    x.pad.addEventListener("pointerup", function () {
      endStroke(x);
    });
    x.pad.addEventListener("pointercancel", function () {
      endStroke(x);
    });
    x.q(".dx-clear").addEventListener("click", function () {
      replaceInput(x, {type: "clear"}, "clear");
    });
    x.q(".dx-undo").addEventListener("click", function () {
      replaceInput(x, {type: "undo"}, "undo");
    });
    x.select.addEventListener("change", function () {
      onPick(x);
    });
    x.file.addEventListener("change", function () {
      onFileChange(x);
    });
    x.epochInput.addEventListener("input", function () {
      x.state.epoch = +x.epochInput.value;
      paintEpoch(x);
    });
    redrawPad(x);
    update(x, "none");
    if (x.names) describe(x);  // no example to open with: the texts of no input
    else showExample(x);
    return rootEl.digitExplorer;
  }

  var api = {mount: mount, fileProblem: fileProblem, pictureProblem: pictureProblem, statusLine: statusLine,
             fmt: fmt, initialState: initialState, nextInput: nextInput, inputSource: inputSource,
             shippedInput: shippedInput, modelInput: modelInput, networkInput: networkInput, padPoint: padPoint,
             strokeSegment: strokeSegment, inkBounds: inkBounds, unionBox: unionBox, uploadSize: uploadSize, inputPixels: inputPixels, layerCaption: layerCaption,
             startCell: startCell, cursorBox: cursorBox, cellValue: cellValue, mapLabel: mapLabel, keyAction: keyAction,
             cellAt: cellAt, mapPixels: mapPixels, mapLayers: mapLayers, layerTitles: layerTitles, tailText: tailText,
             classNames: classNames, probabilityText: probabilityText, barsLabel: barsLabel, barLabels: barLabels,
             ranking: ranking,
             altText: altText, cellClass: cellClass, explanation: explanation, strongest: strongest,
             exampleIndex: exampleIndex, kernelLimit: kernelLimit, accuracyOf: accuracyOf,
             kernelPixels: kernelPixels, curvePoints: curvePoints, curveLabel: curveLabel, kernelLabel: kernelLabel,
             epochMapLabel: epochMapLabel, epochValueText: epochValueText, epochText: epochText,
             digitOptionText: digitOptionText, trainedNet: trainedNet, trainedNote: trainedNote, handedOver: handedOver,
             PAD: PAD};
  if (book && typeof document !== "undefined") book.define("explorer", mount);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this,
   typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

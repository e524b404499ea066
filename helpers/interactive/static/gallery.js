/* Kernel-free photo controls (helpers/interactive/gallery.py): the kernel editor ("kernel":
   a 3×3 kernel from a menu or typed into nine boxes, the photo filtered here), the pooling
   explorer ("pool": mode, window and stride, the photo pooled here) and the image switcher
   ("images": swaps images Python precomputed). The editor and the explorer compute with the
   arithmetic of filters.apply / filters.to_uint8 and ops.pool2d on the photo's 8-bit pixels,
   in the same order, so they draw exactly the pixels Python computes (tests/js/gallery.test.js
   compares them); their descriptions are the sentences gallery.py writes. A box that holds no
   usable number is marked aria-invalid and a message says what to type; nothing is computed
   until it is fixed. In Node, require() returns the pure functions. */
(function (book) {
  "use strict";

  var DECIMAL = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

  /* The photo's 8-bit pixels, row by row, from their base64 text. */
  function decodePixels(b64) {
    var bin = atob(b64), px = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) px[i] = bin.charCodeAt(i);
    return px;
  }

  /* numpy's np.round: halves go to the even neighbour. */
  function roundHalfEven(v) {
    var f = Math.floor(v), d = v - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  }

  /* np.sum of nine weights, added in numpy's order (pairwise: eight partial sums, then the
     ninth), so that "adds up to 0" is decided as filters.to_uint8 decides it. */
  function kernelSum(k) {
    return 0 + (((k[0] + k[1]) + (k[2] + k[3])) + ((k[4] + k[5]) + (k[6] + k[7]))) + k[8];
  }

  /* filters.apply of a grey h×w photo and a 3×3 kernel k (nine weights, row by row): the
     cross-correlation with one zero of padding on every side, each output the sum of its
     nine products taken tap by tap, as ops.conv2d adds them. */
  function correlate(px, h, w, k) {
    var out = new Float64Array(h * w), i, j, u, v, r, c, t;
    for (i = 0; i < h; i++) {
      for (j = 0; j < w; j++) {
        t = 0;
        for (u = 0; u < 3; u++) {
          r = i + u - 1;
          for (v = 0; v < 3; v++) {
            c = j + v - 1;
            t += (r < 0 || r >= h || c < 0 || c >= w ? 0 : px[r * w + c]) * k[u * 3 + v];
          }
        }
        out[i * w + j] = t;
      }
    }
    return out;
  }

  /* filters.to_uint8: weights adding up to 0 show |output| scaled so that the strongest is
     255; any other kernel's outputs are rounded and clipped to 0-255. */
  function toUint8(out, k) {
    var shown = new Uint8Array(out.length), i, top = 0;
    if (Math.abs(kernelSum(k)) < 1e-9) {
      for (i = 0; i < out.length; i++) top = Math.max(top, Math.abs(out[i]));
      if (top === 0) return shown;
      for (i = 0; i < out.length; i++) shown[i] = roundHalfEven(Math.abs(out[i]) * 255 / top);
      return shown;
    }
    for (i = 0; i < out.length; i++) shown[i] = Math.min(255, Math.max(0, roundHalfEven(out[i])));
    return shown;
  }

  /* The output side of a pooling without padding (ops.output_size). */
  function pooledSide(n, size, stride) {
    return Math.floor((n - size) / stride) + 1;
  }

  /* ops.pool2d of an 8-bit h×w photo, no padding: {h, w, out} with every window's max, mean or
     L2 (square root of the sum of squares). Windows are reduced along rows, then down the
     columns; on whole-number pixels every sum is exact, so the order changes nothing. */
  function pool(px, h, w, size, stride, mode) {
    var oh = pooledSide(h, size, stride), ow = pooledSide(w, size, stride);
    var rows = new Float64Array(h * ow), out = new Float64Array(oh * ow), i, j, q, t, v;
    var max = mode === "max";
    for (i = 0; i < h; i++) {
      for (j = 0; j < ow; j++) {
        t = max ? -Infinity : 0;
        for (q = 0; q < size; q++) {
          v = px[i * w + j * stride + q];
          t = max ? Math.max(t, v) : t + (mode === "l2" ? v * v : v);
        }
        rows[i * ow + j] = t;
      }
    }
    for (i = 0; i < oh; i++) {
      for (j = 0; j < ow; j++) {
        t = max ? -Infinity : 0;
        for (q = 0; q < size; q++) {
          v = rows[(i * stride + q) * ow + j];
          t = max ? Math.max(t, v) : t + v;
        }
        out[i * ow + j] = max ? t : (mode === "l2" ? Math.sqrt(t) : t / (size * size));
      }
    }
    return { h: oh, w: ow, out: out };
  }

  /* gallery.pooled_pixels: pooled values as 0-255 pixels, L2 divided by the window side. */
  function poolUint8(out, mode, size) {
    var shown = new Uint8Array(out.length);
    for (var i = 0; i < out.length; i++) {
      shown[i] = Math.min(255, Math.max(0, roundHalfEven(mode === "l2" ? out[i] / size : out[i])));
    }
    return shown;
  }

  function sentence(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  /* gallery.kernel_text: the kernel's rows as the boxes hold them, and how outputs are shown. */
  function kernelText(name, texts, k) {
    var rows = [0, 1, 2].map(function (r) { return "[" + texts.slice(r * 3, r * 3 + 3).join(", ") + "]"; });
    var how = Math.abs(kernelSum(k)) < 1e-9
      ? "The weights add up to 0, so the picture shows the size of each output, scaled so that the " +
        "strongest is white."
      : "Each output is rounded and clipped to 0-255, black to white.";
    return sentence(name) + " filtered with the 3×3 kernel whose rows are " + rows.join(", ") + ". " + how;
  }

  /* gallery.pool_text. */
  function poolText(name, h, w, modeSaid, mode, size, stride) {
    return sentence(name) + " after " + modeSaid + " pooling with " + size + "×" + size +
      " windows, stride " + stride + ": " + h + "×" + w + " pixels become " + pooledSide(h, size, stride) +
      "×" + pooledSide(w, size, stride) + (mode === "l2" ? ", each value divided by " + size + " to show it" : "") +
      ".";
  }

  /* A weight box holding `text`: {value}, or {error} naming the box (`desc`) and what to type
     when it is empty (a browser's number box gives "" for text it cannot read), not a number,
     or beyond `limit` either side. */
  function readWeight(text, limit, desc) {
    var v = DECIMAL.test(text) ? Number(text) : NaN;
    if (!(Math.abs(v) <= limit)) return { error: desc + ": type a number from -" + limit + " to " + limit };
    return { value: v };
  }

  /* A window or stride box (calculator.read_field's rule): a whole number from lo to hi. */
  function readWhole(text, lo, hi, desc) {
    var v = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!(v >= lo && v <= hi)) return { error: desc + ": type a whole number from " + lo + " to " + hi };
    return { value: v };
  }

  /* Swap the first view's <img> for a canvas of the photo's size, drawn `shown` CSS pixels
     wide, an image named by the description paragraph. */
  function canvasFor(root) {
    var img = root.querySelector("img"), text = root.querySelector(".text");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-labelledby", text.id);
    canvas.style.width = img.getAttribute("width") + "px";
    img.parentNode.replaceChild(canvas, img);
    return canvas;
  }

  /* Grey pixels (one byte each) onto the canvas, resized to h×w. */
  function paint(canvas, grey, h, w) {
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    var ctx = canvas.getContext("2d"), im = ctx.createImageData(w, h), d = im.data;
    for (var i = 0, p = 0; i < grey.length; i++, p += 4) {
      d[p] = d[p + 1] = d[p + 2] = grey[i];
      d[p + 3] = 255;
    }
    ctx.putImageData(im, 0, 0);
  }

  /* Boxes of a form read by `read(box)`: each marked aria-invalid or not; the first message. */
  function readBoxes(boxes, read) {
    var values = [], error = null;
    boxes.forEach(function (box) {
      var r = read(box);
      box.setAttribute("aria-invalid", r.error ? "true" : "false");
      if (r.error && !error) error = r.error;
      values.push(r.value);
    });
    return { values: values, error: error };
  }

  function mountKernel(root, D) {
    var px = decodePixels(D.px), canvas = canvasFor(root);
    var menu = root.querySelector("select[name=preset]"), msg = root.querySelector(".msg");
    var text = root.querySelector(".text"), boxes = Array.prototype.slice.call(root.querySelectorAll("input[name=w]"));
    function update() {
      var r = readBoxes(boxes, function (b) { return readWeight(b.value, D.limit, b.getAttribute("aria-label")); });
      msg.textContent = r.error ? r.error + "; the photo still shows the last kernel." : "";
      if (r.error) return;
      var texts = boxes.map(function (b) { return b.value; });
      var preset = D.presets.filter(function (p) {
        return p[1].every(function (t, i) { return Number(t) === r.values[i]; });
      })[0];
      menu.value = preset ? preset[0] : D.own;
      paint(canvas, toUint8(correlate(px, D.h, D.w, r.values), r.values), D.h, D.w);
      text.textContent = kernelText(D.name, texts, r.values);
    }
    menu.addEventListener("change", function () {
      var preset = D.presets.filter(function (p) { return p[0] === menu.value; })[0];
      if (!preset) return;  // "your own": the boxes keep what they hold
      boxes.forEach(function (b, i) { b.value = preset[1][i]; });
      update();
    });
    boxes.forEach(function (b) { b.addEventListener("input", update); });
    update();
  }

  function mountPool(root, D) {
    var px = decodePixels(D.px), canvas = canvasFor(root);
    var mode = root.querySelector("select[name=mode]"), msg = root.querySelector(".msg");
    var text = root.querySelector(".text"), keys = Object.keys(D.bounds);
    var boxes = keys.map(function (key) { return root.querySelector("input[name=" + key + "]"); });
    function update() {
      var r = readBoxes(boxes, function (b) {
        var lim = D.bounds[b.name];
        return readWhole(b.value, lim[0], lim[1], lim[2]);
      });
      msg.textContent = r.error ? r.error + "; the photo still shows the last pooling." : "";
      if (r.error) return;
      var size = r.values[keys.indexOf("size")], stride = r.values[keys.indexOf("stride")];
      var res = pool(px, D.h, D.w, size, stride, mode.value);
      paint(canvas, poolUint8(res.out, mode.value, size), res.h, res.w);
      text.textContent = poolText(D.name, D.h, D.w, D.modes[mode.value], mode.value, size, stride);
    }
    root.querySelectorAll("input, select").forEach(function (e) { e.addEventListener("input", update); });
    update();
  }

  function mountImages(root, D) {
    var select = root.querySelector("select"), img = root.querySelector("img");
    var text = root.querySelector(".text");
    function show() {
      var e = D.entries[select.selectedIndex];
      img.src = e.src;
      img.alt = e.alt;
      text.textContent = e.text;
    }
    select.addEventListener("change", show);
    show();
  }

  if (typeof document !== "undefined") {
    book.define("kernel", mountKernel);
    book.define("pool", mountPool);
    book.define("images", mountImages);
  }
  var api = { decodePixels: decodePixels, roundHalfEven: roundHalfEven, kernelSum: kernelSum,
              correlate: correlate, toUint8: toUint8, pool: pool, poolUint8: poolUint8,
              kernelText: kernelText, poolText: poolText, readWeight: readWeight, readWhole: readWhole };
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

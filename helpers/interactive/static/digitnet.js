/* digitnet.js - the in-page digit network of chapter 16, in plain JavaScript (no libraries).
 *
 * The same computation as helpers/digitnet/ (numpy_forward.py, preprocessing.py), written out
 * so a reader can follow it: luminance -> preprocess (MNIST style) -> the export's layers in
 * order (for the book's network conv + ReLU -> max-pool -> conv + ReLU -> max-pool -> flatten
 * -> dense -> softmax), plus what the page shows about one cell: its input window, kernel, sum
 * of products + bias, ReLU, and its receptive field on the input. Nothing here names a layer:
 * the layer list (kinds, sizes, strides, activations, the names of the maps each leaves) is
 * read from the export's "layers" (helpers.digitnet.layer_table), see layerList.
 *
 * A drawing for a network trained on drawings (chapter 21's own classes) is preprocess's image
 * rounded to bytes, as the playground stored its training drawings: inkBytes.
 *
 * Arrays are flat Float64Arrays in channels-last order, as Keras stores them:
 *   a map (H, W, C):        index (i * W + j) * C + c
 *   a kernel (k, k, Cin, F): index ((u * k + v) * Cin + ci) * F + f
 *   a dense kernel (N, U):   index n * U + u
 * Loadable by Node (module.exports) for tests/js/digitnet.test.js and by the page
 * (window.DigitNet).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.DigitNet = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ------------------------------------------------------------------ weights
  function base64Bytes(text) {
    var bin = atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  /* An IEEE 754 half-precision number (16 bits: sign, 5 exponent bits, 10 fraction bits). */
  function halfToFloat(h) {
    var sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    if (exp === 0) return sign * frac * Math.pow(2, -24);           // zero and subnormals
    if (exp === 31) return frac ? NaN : sign * Infinity;
    return sign * (1 + frac / 1024) * Math.pow(2, exp - 15);
  }

  /* The tensors of one epoch of an export (helpers/digitnet/export_file.py, format digitnet/2), by name
   * ("conv1/kernel", ...), as Float64Arrays holding the exact stored values: float32 for the
   * trained network (the last epoch), float16 for the earlier epochs of the slider. */
  function decodeWeights(net, epoch) {
    var e = epoch === undefined ? net.epochs.length - 1 : epoch, dtype = net.epochs[e].dtype;
    if (dtype !== "float32" && dtype !== "float16") throw new Error("epoch " + e + ": unknown dtype " + dtype);
    var size = dtype === "float32" ? 4 : 2, bytes = base64Bytes(net.epochs[e].weights);
    var counts = net.tensors.map(function (t) { return t.shape.reduce(function (a, b) { return a * b; }, 1); });
    var total = counts.reduce(function (a, b) { return a + b; }, 0);
    if (total * size !== bytes.length)
      throw new Error("epoch " + e + ": weights blob has " + bytes.length + " bytes, its " + total + " " + dtype +
                      " numbers need " + total * size);
    var view = new DataView(bytes.buffer), out = {}, at = 0;
    net.tensors.forEach(function (t, k) {
      var arr = new Float64Array(counts[k]);
      for (var i = 0; i < counts[k]; i++, at += size)
        arr[i] = size === 4 ? view.getFloat32(at, true) : halfToFloat(view.getUint16(at, true));
      out[t.name] = arr;
    });
    return out;
  }

  /* A shipped digit in its compact form (helpers/interactive/explorer.py, pack_digit): a bit
   * mask of the inked pixels (784 bits, high bit first), then their values. -> 784 bytes. */
  function unpackDigit(text) {
    var b = base64Bytes(text), out = new Uint8Array(784), at = 98;
    for (var p = 0; p < 784; p++) if (b[p >> 3] & (128 >> (p & 7))) out[p] = b[at++];
    if (at !== b.length) throw new Error("a packed digit has " + b.length + " bytes, its mask needs " + at);
    return out;
  }

  // ------------------------------------------------------------------ layers
  /* Cross-correlation, no padding, stride s (default 1), plus bias:
   * (H, W, C) -> (floor((H-k)/s)+1, floor((W-k)/s)+1, F).
   * Each output value is its bias plus the products of its window's nonzero inputs with the
   * kernel, added in (u, v, c) order. Eight (or four) filters are summed at a time, each in a
   * variable of its own (the training engine, cnntrain.js, runs this for every example of every batch);
   * a window row's (v, c) values lie side by side in x and in the kernel. */
  function conv2d(x, H, W, C, kernel, bias, k, F, stride) {
    var s = stride || 1, oh = Math.floor((H - k) / s) + 1, ow = Math.floor((W - k) / s) + 1;
    var out = new Float64Array(oh * ow * F), F8 = F - (F % 8), F4 = F - (F % 4), kC = k * C, WC = W * C, kCF = kC * F;
    for (var i = 0; i < oh; i++) {
      for (var j = 0; j < ow; j++) {
        var o = (i * ow + j) * F, base = (i * s * W + j * s) * C, g = 0, u, vc, xr, kr, xv, kc;
        for (; g < F8; g += 8) {
          var t0 = bias[g], t1 = bias[g + 1], t2 = bias[g + 2], t3 = bias[g + 3];
          var t4 = bias[g + 4], t5 = bias[g + 5], t6 = bias[g + 6], t7 = bias[g + 7];
          for (u = 0, xr = base, kr = g; u < k; u++, xr += WC, kr += kCF) {
            for (vc = 0; vc < kC; vc++) {
              xv = x[xr + vc];
              if (xv === 0) continue;
              kc = kr + vc * F;
              t0 += xv * kernel[kc];
              t1 += xv * kernel[kc + 1];
              t2 += xv * kernel[kc + 2];
              t3 += xv * kernel[kc + 3];
              t4 += xv * kernel[kc + 4];
              t5 += xv * kernel[kc + 5];
              t6 += xv * kernel[kc + 6];
              t7 += xv * kernel[kc + 7];
            }
          }
          out[o + g] = t0; out[o + g + 1] = t1; out[o + g + 2] = t2; out[o + g + 3] = t3;
          out[o + g + 4] = t4; out[o + g + 5] = t5; out[o + g + 6] = t6; out[o + g + 7] = t7;
        }
        for (; g < F4; g += 4) {
          var s0 = bias[g], s1 = bias[g + 1], s2 = bias[g + 2], s3 = bias[g + 3];
          for (u = 0, xr = base, kr = g; u < k; u++, xr += WC, kr += kCF) {
            for (vc = 0; vc < kC; vc++) {
              xv = x[xr + vc];
              if (xv === 0) continue;
              kc = kr + vc * F;
              s0 += xv * kernel[kc];
              s1 += xv * kernel[kc + 1];
              s2 += xv * kernel[kc + 2];
              s3 += xv * kernel[kc + 3];
            }
          }
          out[o + g] = s0; out[o + g + 1] = s1; out[o + g + 2] = s2; out[o + g + 3] = s3;
        }
        for (; g < F; g++) {
          var sg = bias[g];
          for (u = 0, xr = base, kr = g; u < k; u++, xr += WC, kr += kCF) {
            for (vc = 0; vc < kC; vc++) {
              xv = x[xr + vc];
              if (xv !== 0) sg += xv * kernel[kr + vc * F];
            }
          }
          out[o + g] = sg;
        }
      }
    }
    return out;
  }

  function relu(x) {
    var out = new Float64Array(x.length);
    for (var i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
    return out;
  }

  /* Max over size x size windows moved by stride (default: size; Keras MaxPooling2D, padding
   * "valid"). */
  function maxpool(x, H, W, C, size, stride) {
    var s = stride || size, oh = Math.floor((H - size) / s) + 1, ow = Math.floor((W - size) / s) + 1;
    var out = new Float64Array(oh * ow * C);
    for (var i = 0; i < oh; i++) for (var j = 0; j < ow; j++) for (var c = 0; c < C; c++) {
      var m = -Infinity;
      for (var u = 0; u < size; u++) for (var v = 0; v < size; v++) {
        var val = x[((i * s + u) * W + (j * s + v)) * C + c];
        if (val > m) m = val;
      }
      out[(i * ow + j) * C + c] = m;
    }
    return out;
  }

  function dense(x, kernel, bias, units) {
    var out = new Float64Array(units);
    for (var u = 0; u < units; u++) out[u] = bias[u];
    for (var n = 0; n < x.length; n++) {
      var xv = x[n];
      if (xv === 0) continue;
      for (var q = 0; q < units; q++) out[q] += xv * kernel[n * units + q];
    }
    return out;
  }

  function softmax(z) {
    var m = -Infinity, i, out = new Float64Array(z.length), s = 0;
    for (i = 0; i < z.length; i++) if (z[i] > m) m = z[i];
    for (i = 0; i < z.length; i++) { out[i] = Math.exp(z[i] - m); s += out[i]; }
    for (i = 0; i < z.length; i++) out[i] /= s;
    return out;
  }

  var ACTIVATIONS = {relu: relu, softmax: softmax};

  // ------------------------------------------------------------------ the export's layers
  function layer(net, name) {
    var list = layerList(net);
    for (var i = 0; i < list.length; i++) if (list[i].name === name) return list[i];
    throw new Error("no layer " + name);
  }

  /* The export's layers, checked: each states its kind, its stride (conv and pooling) and the
   * names of the maps it leaves, "linear" (before its activation, if it has one) and "output",
   * as scripts/export_digitnet.py writes them (helpers.digitnet.layer_table). */
  function layerList(net) {
    return net.layers.map(function (L) {
      var out = {};
      for (var key in L) if (Object.prototype.hasOwnProperty.call(L, key)) out[key] = L[key];
      if (out.activation === undefined) out.activation = null;
      if (["conv", "maxpool", "flatten", "dense"].indexOf(out.kind) < 0)
        throw new Error("layer " + out.name + ": unknown kind " + out.kind);
      if (out.output === undefined || ((out.kind === "conv" || out.kind === "maxpool") && out.stride === undefined))
        throw new Error("layer " + out.name + ": no stride or map names; re-export it with scripts/export_digitnet.py");
      if (out.activation && !(out.activation in ACTIVATIONS))
        throw new Error("layer " + out.name + ": unknown activation " + out.activation);
      return out;
    });
  }

  /* The shape a layer L gives an input of shape [H, W, C] (or [N] after flatten). */
  function outShape(L, shape) {
    if (L.kind === "conv")
      return [Math.floor((shape[0] - L.kernel) / L.stride) + 1, Math.floor((shape[1] - L.kernel) / L.stride) + 1, L.filters];
    if (L.kind === "maxpool")
      return [Math.floor((shape[0] - L.size) / L.stride) + 1, Math.floor((shape[1] - L.size) / L.stride) + 1, shape[2]];
    if (L.kind === "flatten") return [shape.reduce(function (a, b) { return a * b; }, 1)];
    return [L.units];
  }

  /* The shape of every map, by name (as forward's "shapes"), without running the network. */
  function shapes(net) {
    var shape = net.input.shape.slice(), out = {input: shape};
    layerList(net).forEach(function (L) {
      shape = outShape(L, shape);
      if (L.activation) out[L.linear] = shape;
      out[L.output] = shape;
    });
    return out;
  }

  /* One layer L on x of shape [H, W, C] (or [N] after flatten): its values before the
   * activation. */
  function applyLayer(L, weights, x, shape) {
    if (L.kind === "conv")
      return conv2d(x, shape[0], shape[1], shape[2], weights[L.name + "/kernel"], weights[L.name + "/bias"],
                    L.kernel, L.filters, L.stride);
    if (L.kind === "maxpool") return maxpool(x, shape[0], shape[1], shape[2], L.size, L.stride);
    if (L.kind === "flatten") return x;              // row-major (h, w, c), as Keras' Flatten
    return dense(x, weights[L.name + "/kernel"], weights[L.name + "/bias"], L.units);
  }

  /* Every map for one input: image holds the input's values (row by row, channels last; for
   * the book's network 784 values in [0, 1]). Returns {input, one flat array per map name
   * (for the book's network conv1, relu1, pool1, conv2, relu2, pool2, flatten, logits,
   * probabilities), shapes (by map name), probabilities (the last layer's output) and
   * prediction (its largest entry)}. */
  function forward(net, weights, image) {
    var r = {shapes: {input: net.input.shape.slice()}, input: Float64Array.from(image)};
    var x = r.input, shape = r.shapes.input;
    layerList(net).forEach(function (L) {
      x = applyLayer(L, weights, x, shape);
      shape = outShape(L, shape);
      if (L.activation) {
        r[L.linear] = x; r.shapes[L.linear] = shape;
        x = ACTIVATIONS[L.activation](x);
      }
      r[L.output] = x; r.shapes[L.output] = shape;
    });
    r.probabilities = x;
    var best = 0;
    for (var i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
    r.prediction = best;
    return r;
  }

  // ------------------------------------------------------------------ one cell explained
  /* Where the maps of each conv and pool layer come from: {map: {source: the map the layer
   * reads, layer}} (for the book's network relu1 <- input by conv1, pool1 <- relu1 by pool1,
   * relu2 <- pool1 by conv2, pool2 <- relu2 by pool2). */
  function sources(net) {
    var out = {}, previous = "input";
    layerList(net).forEach(function (L) {
      if (L.kind === "conv" || L.kind === "maxpool") out[L.output] = {source: previous, layer: L};
      previous = L.output;
    });
    return out;
  }

  /* The arithmetic behind cell (i, j) of map f of a conv or pool layer's output (for the book's
   * network "relu1", "pool1", "relu2", "pool2"): the input window (k x k x C), for a conv
   * layer the kernel, the products, their sum, the bias, the value before and after the
   * activation; for a pool layer the window's maximum. */
  function explainCell(net, weights, res, name, i, j, f) {
    var all = sources(net), src = all[name];
    if (!src) throw new Error("explainCell: layer must be " + Object.keys(all).join(", ") + ", got " + name);
    var L = src.layer, inShape = res.shapes[src.source], x = res[src.source], shape = res.shapes[name];
    var W = inShape[1], C = inShape[2], conv = L.kind === "conv";
    if (!(i >= 0 && i < shape[0] && j >= 0 && j < shape[1] && f >= 0 && f < shape[2]))
      throw new Error("explainCell: cell (" + i + ", " + j + ") of map " + f + " is outside " + shape.join("x"));
    var k = conv ? L.kernel : L.size, stride = L.stride, at = (i * shape[1] + j) * shape[2] + f;
    var out = {layer: name, source: src.source, kind: L.kind, i: i, j: j, map: f, k: k, channels: C,
               top: i * stride, left: j * stride, window: [], kernel: [], value: res[name][at]};
    var sum = 0, max = -Infinity;
    // a conv cell reads all C channels of its window; a pool cell only its own channel f
    var c0 = conv ? 0 : f, c1 = conv ? C : f + 1;
    out.channels = c1 - c0;
    for (var c = c0; c < c1; c++) {               // window[c][u][v], kernel[c][u][v]
      var win = [], ker = [];
      for (var u = 0; u < k; u++) {
        var wr = [], kr = [];
        for (var v = 0; v < k; v++) {
          var xv = x[((out.top + u) * W + (out.left + v)) * C + c];
          wr.push(xv);
          if (xv > max) max = xv;
          if (conv) {
            var kv = weights[L.name + "/kernel"][((u * k + v) * C + c) * L.filters + f];
            kr.push(kv);
            sum += xv * kv;
          }
        }
        win.push(wr); ker.push(kr);
      }
      out.window.push(win);
      if (conv) out.kernel.push(ker);
    }
    if (conv) {
      out.sum = sum;                              // sum of products, in (c, u, v) order
      out.bias = weights[L.name + "/bias"][f];
      out.pre = L.activation ? res[L.linear][at] : out.value;   // the value before the activation
      out.activation = L.activation;
      out.relu = out.pre > 0 ? out.pre : 0;
    } else {
      out.max = max;
    }
    out.field = receptiveField(net, name, i, j);
    return out;
  }

  /* The receptive field of cell (i, j) of a conv or pool layer's output on the input: top,
   * left, size, and the steps r_out = r_in + (k - 1) * j_in, j_out = j_in * s (starting at
   * r = j = 1 on the input), one per conv/pool layer up to that one. */
  function receptiveField(net, name, i, j) {
    var list = layerList(net), r = 1, jump = 1, steps = [];
    for (var n = 0; n < list.length; n++) {
      var L = list[n];
      if (L.kind !== "conv" && L.kind !== "maxpool") break;
      var k = L.kind === "conv" ? L.kernel : L.size, s = L.stride, rIn = r, jIn = jump;
      r = rIn + (k - 1) * jIn; jump = jIn * s;
      steps.push({layer: L.name, k: k, stride: s, r_in: rIn, j_in: jIn, r: r, jump: jump});
      if (L.output === name) return {top: i * jump, left: j * jump, size: r, jump: jump, steps: steps};
    }
    throw new Error("receptiveField: unknown layer " + name);
  }

  // ------------------------------------------------------------------ preprocessing
  /* ITU-R BT.601 luminance of RGBA pixels (a canvas' ImageData.data), alpha composited on white. */
  function luminance(rgba, w, h) {
    var out = new Float64Array(w * h);
    for (var p = 0; p < w * h; p++) {
      var y = 0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2];
      var alpha = rgba[4 * p + 3] / 255.0;
      out[p] = y * alpha + 255.0 * (1 - alpha);
    }
    return out;
  }

  function median(values) {
    var s = Array.from(values).sort(function (a, b) { return a - b; }), n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /* w[i][r]: the share of source cell r in output cell i (n_in cells averaged to n_out). */
  function areaWeights(nIn, nOut) {
    var s = nIn / nOut, rows = [];
    for (var i = 0; i < nOut; i++) {
      var lo = i * s, hi = (i + 1) * s, first = Math.floor(lo), last = Math.min(nIn, Math.ceil(hi)), ws = [];
      for (var r = first; r < last; r++) ws.push((Math.min(r + 1, hi) - Math.max(r, lo)) / s);
      rows.push({first: first, w: ws});
    }
    return rows;
  }

  /* MNIST-style 28x28 input from a grey image (luminance 0-255, 0 = black), step for step as
   * helpers.digitnet.preprocess (settings: the export's "preprocessing"). Returns
   * {image (784 floats, ink 0-255), polarity, box [top, left, h, w], scaled (400), shift [dy, dx]}
   * or null when there is no ink. */
  // The pixels on the picture's edge (all of them for a one-row or one-column picture).
  function borderOf(gray, w, h) {
    var border = [];
    var p;
    var r;
    var c;
    if (h > 1 && w > 1) {
      for (c = 0; c < w; c++) border.push(gray[c]);
      for (c = 0; c < w; c++) border.push(gray[(h - 1) * w + c]);
      for (r = 1; r < h - 1; r++) border.push(gray[r * w]);
      for (r = 1; r < h - 1; r++) border.push(gray[r * w + w - 1]);
    } else {
      for (p = 0; p < w * h; p++) border.push(gray[p]);
    }
    return border;
  }

  // "auto": dark ink on a light page if the edge is light on average, else light on dark.
  function polarityOf(border, polarity) {
    var pol = polarity || "auto";
    if (pol === "auto") {
      var sum = 0;
      for (var p = 0; p < border.length; p++) sum += border[p];
      return sum / border.length >= 127.5 ? "dark-on-light" : "light-on-dark";
    }
    if (pol !== "dark-on-light" && pol !== "light-on-dark") {
      throw new Error("polarity must be auto, dark-on-light or light-on-dark, got " + pol);
    }
    return pol;
  }

  // The ink, stretched from the background (the edge's median) to 255, faint ink set to 0, and
  // the box around what is left: {ink, top, left, bh, bw}; null if the contrast is too low.
  function inkAndBox(gray, w, h, border, dark, S) {
    var ink = new Float64Array(w * h);
    var peak = -Infinity;
    var p;
    for (p = 0; p < w * h; p++) {
      ink[p] = dark ? 255.0 - gray[p] : gray[p];
      if (ink[p] > peak) peak = ink[p];
    }
    var bg = median(border.map(function (g) { return dark ? 255.0 - g : g; }));
    if (peak - bg < S.min_contrast) return null;
    var gain = 255.0 / (peak - bg);
    var top = h;
    var bottom = -1;
    var left = w;
    var right = -1;
    for (var r = 0; r < h; r++) {
      for (var c = 0; c < w; c++) {
        p = r * w + c;
        var v = Math.min(255.0, Math.max(0.0, (ink[p] - bg) * gain));
        if (v < S.ink_threshold) v = 0.0;
        ink[p] = v;
        if (v > 0) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r);
          left = Math.min(left, c);
          right = Math.max(right, c);
        }
      }
    }
    return {ink: ink, top: top, left: left, bh: bottom - top + 1, bw: right - left + 1};
  }

  // Area-average the ink's square (side x side, the crop centred in it) down to box x box:
  // rows first, then columns.
  function scaledBox(k, w, box) {
    var side = Math.max(k.bh, k.bw);
    var oy = Math.floor((side - k.bh) / 2);
    var ox = Math.floor((side - k.bw) / 2);
    var a = areaWeights(side, box);
    var tmp = new Float64Array(box * side);
    var i;
    var j;
    var q;
    for (i = 0; i < box; i++) {
      for (q = 0; q < a[i].w.length; q++) {
        var sr = a[i].first + q - oy;                       // row of the crop, if inside
        if (sr < 0 || sr >= k.bh) continue;
        var wt = a[i].w[q];
        for (var c = 0; c < k.bw; c++) tmp[i * side + ox + c] += wt * k.ink[(k.top + sr) * w + k.left + c];
      }
    }
    var scaled = new Float64Array(box * box);
    for (i = 0; i < box; i++) {
      for (j = 0; j < box; j++) {
        var s2 = 0;
        for (q = 0; q < a[j].w.length; q++) s2 += a[j].w[q] * tmp[i * side + a[j].first + q];
        scaled[i * box + j] = s2;
      }
    }
    return scaled;
  }

  // The whole-pixel shift that puts the scaled box's centre of mass nearest S.centre (1e-9: as
  // in Python), and the S.side x S.side image with the box placed there.
  function centred(scaled, box, S) {
    var rowSums = new Float64Array(box);
    var colSums = new Float64Array(box);
    var total = 0;
    var my = 0;
    var mx = 0;
    var i;
    var j;
    for (i = 0; i < box; i++) {
      for (j = 0; j < box; j++) {
        rowSums[i] += scaled[i * box + j];
        colSums[j] += scaled[i * box + j];
      }
    }
    for (i = 0; i < box; i++) {
      total += rowSums[i];
      my += rowSums[i] * i;
      mx += colSums[i] * i;
    }
    var cy = my / total;
    var cx = mx / total;
    var off = Math.floor((S.side - box) / 2);
    var dy = Math.floor(S.centre - (off + cy) + 0.5 + 1e-9);
    var dx = Math.floor(S.centre - (off + cx) + 0.5 + 1e-9);
    var image = new Float64Array(S.side * S.side);
    for (i = 0; i < box; i++) {
      var rr = i + off + dy;
      if (rr < 0 || rr >= S.side) continue;
      for (j = 0; j < box; j++) {
        var cc = j + off + dx;
        if (cc >= 0 && cc < S.side) image[rr * S.side + cc] = scaled[i * box + j];
      }
    }
    return {image: image, shift: [dy, dx]};
  }

  // A grey picture (w x h, 0-255) as the network's input, as helpers.digitnet.preprocess does:
  // polarity, ink and its box, the box scaled to S.box, centred by its mass in S.side x S.side.
  function preprocess(gray, w, h, settings, polarity) {
    var border = borderOf(gray, w, h);
    var pol = polarityOf(border, polarity);
    var k = inkAndBox(gray, w, h, border, pol === "dark-on-light", settings);
    if (k === null) return null;
    var scaled = scaledBox(k, w, settings.box);
    var placed = centred(scaled, settings.box, settings);
    return {image: placed.image, polarity: pol, box: [k.top, k.left, k.bh, k.bw], scaled: scaled,
            shift: placed.shift};
  }

  /* A drawing as the playground stores it to train on (chapter 21's own classes): preprocess's
   * image (ink 0-255, floats) rounded to the bytes a data set holds. A network trained on such
   * drawings reads a new one through the same rule, in the playground and in the explorer. */
  function inkBytes(image) {
    var out = new Uint8Array(image.length);
    for (var k = 0; k < image.length; k++) out[k] = Math.max(0, Math.min(255, Math.round(image[k])));
    return out;
  }

  return {decodeWeights: decodeWeights, halfToFloat: halfToFloat, unpackDigit: unpackDigit, layer: layer,
          layerList: layerList, shapes: shapes, sources: sources, conv2d: conv2d, relu: relu, maxpool: maxpool,
          dense: dense, softmax: softmax, forward: forward, explainCell: explainCell,
          receptiveField: receptiveField, luminance: luminance, median: median,
          areaWeights: areaWeights, preprocess: preprocess, inkBytes: inkBytes};
});

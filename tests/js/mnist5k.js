/* Shared by the Node tests and benchmarks of the training engine: the shipped digits
   (data/mnist_5k.npz, as helpers.data.load_mnist_5k reads it) with Node built-ins only: the
   zip's central directory, each member inflated, each .npy array parsed. Returns {images
   (Uint8Array, n x 784), labels (Int32Array), split: {train, validation, test: row numbers}}. */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const FILE = path.resolve(__dirname, "..", "..", "data", "mnist_5k.npz");

function members(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("mnist5k: no zip directory in " + FILE);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = {};
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error("mnist5k: bad zip directory entry");
    const method = buf.readUInt16LE(at + 10), nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30), commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42), name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    // the deflate stream ends by itself: inflate from its start (sizes may sit in zip64 extras)
    out[name] = method === 0 ? buf.subarray(start) : zlib.inflateRawSync(buf.subarray(start));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function npy(buf) {
  const major = buf[6], headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const offset = major === 1 ? 10 : 12, header = buf.toString("latin1", offset, offset + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(",").filter((s) => s.trim()).map(Number);
  const count = shape.reduce((a, b) => a * b, 1), data = buf.subarray(offset + headerLen);
  if (/fortran_order':\s*True/.test(header)) throw new Error("mnist5k: Fortran-ordered array");
  if (descr === "|u1") return {shape, data: Uint8Array.from(data.subarray(0, count))};
  if (descr === "<i8" || descr === "<i4" || descr === "|i1" || descr === "<u8") {
    const size = Number(descr.slice(2)), out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = size === 8 ? Number(data.readBigInt64LE(i * 8)) : size === 4 ? data.readInt32LE(i * 4) : data.readInt8(i);
    }
    return {shape, data: out};
  }
  const unicode = /^<U(\d+)$/.exec(descr);
  if (unicode) {
    const width = Number(unicode[1]), out = [];
    for (let i = 0; i < count; i++) {
      let s = "";
      for (let c = 0; c < width; c++) {
        const code = data.readUInt32LE((i * width + c) * 4);
        if (code) s += String.fromCodePoint(code);
      }
      out.push(s);
    }
    return {shape, data: out};
  }
  throw new Error("mnist5k: unexpected dtype " + descr);
}

function load() {
  const m = members(fs.readFileSync(FILE));
  const images = npy(m["images.npy"]), labels = npy(m["labels.npy"]);
  const codes = npy(m["split.npy"]).data, names = npy(m["split_names.npy"]).data, split = {};
  names.forEach((name, k) => {
    split[name] = [];
    codes.forEach((c, row) => { if (c === k) split[name].push(row); });
  });
  return {images: images.data, labels: labels.data, split};
}

/* The rows of one part of the split as {x: network input (pixel / 255 as float32), y, bytes}. */
function part(data, rows, toInput) {
  const bytes = new Uint8Array(rows.length * 784), y = new Int32Array(rows.length);
  rows.forEach((row, n) => {
    bytes.set(data.images.subarray(row * 784, (row + 1) * 784), n * 784);
    y[n] = data.labels[row];
  });
  return {x: toInput(bytes), y, bytes};
}

module.exports = {load, part, FILE};

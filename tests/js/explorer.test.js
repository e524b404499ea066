// explorer.js: what the digit explorer of chapter 16 says about an upload it cannot read, for a
// network of digits and for one of the reader's own classes
// (fileProblem on the file's bytes, pictureProblem on its decoded pixels). Cases computed here;
// the page itself is tests/test_explorer_browser.py (test_unreadable_uploads_say_why).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const zlib = require("node:zlib");

const E = require(path.join(__dirname, "..", "..", "helpers", "interactive", "static", "explorer.js"));

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(zlib.crc32 ? zlib.crc32(out.subarray(4, 8 + data.length)) : 0, 8 + data.length);
  return out;
}
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function png(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let r = 0; r < h; r++) raw[r * (w + 1)] = 0;
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)),
                        chunk("IEND", Buffer.alloc(0))]);
}
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
                          0xff, 0xda, 0, 2, 1, 2, 3, 0xff, 0xd9]);

test("a complete PNG or JPEG, and any other file, passes to the browser's decoder", () => {
  const p = png(30, 20);
  assert.strictEqual(E.fileProblem("a.png", new Uint8Array(p)), null);
  assert.strictEqual(E.fileProblem("a.jpg", new Uint8Array(JPEG)), null);
  assert.strictEqual(E.fileProblem("a.jpg", new Uint8Array(Buffer.concat([JPEG, Buffer.alloc(7)]))), null);
  assert.strictEqual(E.fileProblem("a.svg", new Uint8Array(Buffer.from("<svg/>"))), null);
});

test("a truncated PNG or JPEG is named as cut short, in one line", () => {
  const p = png(30, 20);
  for (const cut of [p.length - 1, p.length - 12, Math.floor(p.length / 2), 40, 9]) {
    const msg = E.fileProblem("seven.png", new Uint8Array(p.subarray(0, cut)));
    assert.match(msg, /^seven\.png is cut short: .*PNG/, String(cut));
    assert.ok(!msg.includes("\n"));
  }
  // a chunk whose length runs past the end
  const bad = Buffer.from(p); bad.writeUInt32BE(1e9, 8 + 25);
  assert.match(E.fileProblem("x.png", new Uint8Array(bad)), /cut short/);
  assert.match(E.fileProblem("x.jpg", new Uint8Array(JPEG.subarray(0, 20))), /^x\.jpg is cut short: .*JPEG/);
  assert.match(E.fileProblem("e.png", new Uint8Array(0)), /^e\.png is empty/);
});

function rgba(w, h, fill) {
  const out = new Uint8ClampedArray(4 * w * h);
  for (let p = 0; p < w * h; p++) out.set(fill(p), 4 * p);
  return out;
}

test("a picture with no digit to read says why: transparent, tiny, one colour, too faint", () => {
  const cases = [
    [rgba(50, 50, () => [0, 0, 0, 0]), 50, 50, /^t\.png is fully transparent: /],
    [rgba(1, 1, () => [0, 0, 0, 255]), 1, 1, /^t\.png is only 1×1 pixel: too small/],
    [rgba(50, 50, () => [0, 0, 0, 255]), 50, 50, /^t\.png is all black: there is no digit/],
    [rgba(50, 50, () => [255, 255, 255, 255]), 50, 50, /^t\.png is all white: /],
    [rgba(50, 50, () => [128, 128, 128, 255]), 50, 50, /^t\.png is all one grey: /],
    [rgba(50, 50, (p) => (p % 50 === 25 ? [250, 250, 250, 255] : [255, 255, 255, 255])), 50, 50,
     /^t\.png's ink is too faint/],
  ];
  for (const [px, w, h, want] of cases) {
    const msg = E.pictureProblem("t.png", px, w, h);
    assert.match(msg, want);
    assert.ok(!msg.includes("\n"));
  }
});

test("for a network of the reader's own classes the sentences name the classes, never a digit", () => {
  const names = ["circle", "cross", "bar"];
  const cases = [
    [E.fileProblem("e.png", new Uint8Array(0), names),
     "e.png is empty (0 bytes): choose a PNG or JPEG picture of one of your classes (circle, cross, bar)."],
    [E.pictureProblem("t.png", rgba(1, 1, () => [0, 0, 0, 255]), 1, 1, names),
     "t.png is only 1×1 pixel: too small to hold a drawing."],
    [E.pictureProblem("t.png", rgba(50, 50, () => [255, 255, 255, 255]), 50, 50, names),
     "t.png is all white: there is no drawing in it to read."],
  ];
  for (const [own, want] of cases) assert.strictEqual(own, want);
  // the same pictures for a network of digits
  assert.match(E.fileProblem("e.png", new Uint8Array(0), null), /picture of a digit\.$/);
  assert.match(E.pictureProblem("t.png", rgba(1, 1, () => [0, 0, 0, 255]), 1, 1), /too small to hold a digit\.$/);
  // every line an upload can get, for own classes: not one says "digit"
  const p = png(30, 20);
  const lines = [E.fileProblem("a.png", new Uint8Array(0), names),
                 E.fileProblem("a.png", new Uint8Array(p.subarray(0, 40)), names),
                 ...["hidden-pixels", "not-an-image", "unreadable-file"].map((r) => E.statusLine(r, "a.png")),
                 ...[[0, 0, 0, 0], [0, 0, 0, 255], [128, 128, 128, 255]].map((c) =>
                   E.pictureProblem("a.png", rgba(50, 50, () => c), 50, 50, names)),
                 E.pictureProblem("a.png", rgba(50, 50, (q) => (q % 50 === 25 ? [250, 250, 250, 255] : [255, 255, 255, 255])),
                                  50, 50, names)];
  for (const line of lines) assert.ok(!/digit/i.test(line), line);
});

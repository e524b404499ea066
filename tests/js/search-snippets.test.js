// site/static/search-snippets.js: a formula's TeX source reads as plain text in search
// results. Cases computed here (the TeX the book's chapters write, and what a reader sees).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const { texToText } = require("../../site/static/search-snippets.js");

test("inline formulas lose their TeX commands and braces", () => {
  assert.strictEqual(texToText("\\(y_{r,c} = w_0\\,x_{r,c} + w_1\\,x_{r,c+1}\\)"),
                     "y_r,c = w_0 x_r,c + w_1 x_r,c+1");
  assert.strictEqual(texToText("\\(1 \\times 2\\)"), "1 × 2");
  assert.strictEqual(texToText("\\(\\text{out} = n - k + 1\\)"), "out = n - k + 1");
});

test("fractions, floors and display delimiters", () => {
  assert.strictEqual(texToText("\\[\\left\\lfloor \\frac{n + 2p - k}{s} \\right\\rfloor + 1\\]"),
                     "⌊ (n + 2p - k)/s ⌋ + 1");
  assert.strictEqual(texToText("$$\\frac{1}{2}$$"), "1/2");
});

test("no backslash, brace or dollar survives", () => {
  for (const tex of ["\\(\\sum_{i=0}^{k-1} w_i\\,x_{c+i}\\)", "\\(\\sigma(z) = \\frac{1}{1 + e^{-z}}\\)",
                     "\\(\\mathbf{W} \\in \\mathbb{R}^{3 \\times 3}\\)"]) {
    assert.doesNotMatch(texToText(tex), /[\\{}$]/, tex);
  }
});

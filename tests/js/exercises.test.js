// site/static/exercises.js: how typed answers are read. The verdicts on every registered
// exercise are compared with Python's check_answer in tests/test_exercise_boxes.py; these are
// the parsing rules on their own (cases computed here).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const ex = require("../../site/static/exercises.js");

const one = { kind: "number", expected: [438842], shape: [], tol: 1e-6, why: "w", hint: "h" };
const pair = { kind: "number", expected: [17, 5], shape: [2], tol: 1e-6, why: "w", hint: "h" };

test("one number: thousands separators, brackets, a minus sign", () => {
  for (const t of ["438842", "438,842", "438 842", "438_842", "[438842]", "4.38842e5"]) {
    assert.ok(ex.check(one, t).ok, t);
  }
  const neg = { ...one, expected: [-3] };
  assert.ok(ex.check(neg, "\u22123").ok);  // typographic minus
  assert.ok(!ex.check(one, "438,843").ok);
});

test("several numbers: any separators, and the count must match", () => {
  for (const t of ["17, 5", "17 5", "[17, 5]", "(17, 5)", "17×5", "17x5"]) assert.ok(ex.check(pair, t).ok, t);
  assert.match(ex.check(pair, "17").detail, /1 number, the answer has 2/);
  assert.match(ex.check(pair, "17, 6").detail, /1 of 2 values differ/);
  assert.match(ex.check(pair, "17, five").detail, /numbers separated by commas/);
});

test("messages: right, wrong with the hint, empty without a verdict", () => {
  assert.strictEqual(ex.message(pair, ex.check(pair, "17, 5")), "Correct. w");
  assert.strictEqual(ex.message(pair, ex.check(pair, "1, 5")), "Not quite: that is not it (1 of 2 values differ). Hint: h");
  const empty = ex.check(pair, "  ");
  assert.ok(empty.empty && !empty.ok);
  assert.doesNotMatch(ex.message(pair, empty), /Not quite/);
});

test("words and choices compare without case or surrounding spaces", () => {
  const c = { kind: "choice", expected: "max", options: ["max", "average"], why: "w", hint: "h" };
  assert.ok(ex.check(c, " MAX ").ok);
  assert.ok(!ex.check(c, "average").ok);
  assert.ok(ex.check(c, "").empty);
});

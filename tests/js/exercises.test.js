// site/static/exercises.js: how typed answers are read. The reading rules and their tables of
// cases are tests/js/fixtures/answer_reading.json (numbers) and answer_choices.json (yes/no,
// a/b/c), which tests/test_exercise_boxes.py checks against Python's read_numbers, read_choice
// and check_answer too; the verdicts on every registered exercise are compared with Python's
// check_answer there. The other cases are computed here.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const ex = require("../../site/static/exercises.js");
const READING = require("./fixtures/answer_reading.json");
const CHOICES = require("./fixtures/answer_choices.json");

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

test("a choice is graded, never the reasons after it", () => {
  const c = { kind: "choice", expected: "no", options: ["yes", "no"], why: "w", hint: "h" };
  for (const t of [" NO ", "\"no\"", "no.", "no, because every ratio stays", "(no) since w scales all"]) {
    assert.ok(ex.check(c, t).ok, t);
  }
  assert.strictEqual(ex.message(c, ex.check(c, "yes, it can")), "Not quite: \"yes\" is not the answer. Hint: h");
  const unread = ex.check(c, "nope");
  assert.ok(!unread.ok && unread.unread && !unread.empty);
  assert.doesNotMatch(ex.message(c, unread), /Not quite|Correct/);
  assert.ok(ex.check(c, "").empty);
});

test("typed choices are read by the one rule of answer_choices.json", () => {
  assert.strictEqual(ex.MAX_CHARS, CHOICES.max_chars);
  assert.strictEqual(ex.EXTRA_SEPARATORS, CHOICES.extra_separators);
  for (const c of CHOICES.cases) {
    assert.deepStrictEqual(ex.readChoice(c.text, c.options), c.reading, JSON.stringify(c));
  }
  for (const c of CHOICES.verdicts) {
    const spec = { kind: "choice", expected: c.expected, options: c.options, why: "W", hint: "H" };
    assert.strictEqual(ex.message(spec, ex.check(spec, c.text)), c.message, JSON.stringify(c));
  }
});

/* Reading is linear in the length, not quadratic: the fastest of seven readings of a text of
   100,000 characters takes under 250 ms, or at most 8 times as long as the same text at 25,000
   (4 if linear, 16 if quadratic). A quadratic reading of 100,000 characters (10^10 steps) takes
   many seconds, far above the 250 ms; a linear one a few ms, so a busy machine's pauses (which
   hit a 25,000-character reading of 5 ms harder than a longer one) cannot fail it. */
function assertLinear(make, read, what) {
  const fastest = (text) => {
    let best = Infinity;
    for (let i = 0; i < 7; i++) {
      const t0 = process.hrtime.bigint();
      read(text);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return best;
  };
  const long = fastest(make(100000));
  if (long < 250) return;
  const ratio = long / Math.max(fastest(make(25000)), 0.01);
  assert.ok(ratio <= 8, `${what}: ${long.toFixed(0)} ms at 100,000 characters, ${ratio.toFixed(1)} times 25,000`);
}

test("reading a choice is linear: 100,000 characters in well under a second", () => {
  const texts = [(n) => " ".repeat(n) + "x", (n) => "\"".repeat(n), (n) => "no" + "a".repeat(n),
                 (n) => "(".repeat(n) + "no"];
  for (const make of texts) {
    assertLinear(make, (text) => ex.readChoice(text, ["yes", "no"], Infinity), JSON.stringify(make(12).slice(0, 12)));
  }
});

test("typed numbers are read by the one rule of answer_reading.json", () => {
  assert.strictEqual(ex.MAX_CHARS, READING.max_chars);
  for (const c of READING.cases) {
    const r = ex.readNumbers(c.text, c.count);
    assert.deepStrictEqual(r.values || r.problem, c.reading, JSON.stringify(c));
  }
});

test("0x15, 0b10101, 2_1 and Arabic-Indic digits are not 21; U+2212 is a minus", () => {
  const n21 = { ...one, expected: [21] };
  for (const t of ["0x15", "0b10101", "2_1", "\u0662\u0661"]) {
    const r = ex.check(n21, t);
    assert.ok(!r.ok && /digits 0-9/.test(r.detail), t);
  }
  assert.ok(ex.check({ ...one, expected: [-249] }, "\u2212249").ok);
});

test("reading is linear: 100,000 characters in well under a second", () => {
  const n = 100000;
  const long = [(m) => "1" + " ".repeat(m) + "1", (m) => "[1" + " ".repeat(m) + "x", (m) => " ".repeat(m) + "x",
                (m) => "[" + " ".repeat(m), (m) => " ".repeat(m) + "]", (m) => "1".repeat(m) + "x",
                (m) => "1 ".repeat(m / 2) + "x", (m) => "1,".repeat(m / 2), (m) => "111 ".repeat(m / 4) + "x",
                (m) => "-".repeat(m), (m) => "1e".repeat(m / 2), (m) => "\u2212".repeat(m), (m) => "(".repeat(m) + ")"];
  for (const count of [1, 2]) {
    for (const make of long) {
      const r = ex.readNumbers(make(n), count, Infinity);
      assert.ok(r.values || r.problem);
      assertLinear(make, (text) => ex.readNumbers(text, count, Infinity),
                   `${JSON.stringify(make(12).slice(0, 12))}... (count ${count})`);
    }
    // the box's own limit: refused at once, whatever the text
    assert.deepStrictEqual(ex.readNumbers(" ".repeat(n), count), { problem: "too-long" });
    assert.match(ex.check(count === 1 ? one : pair, " ".repeat(n)).detail, /longer than 200 characters/);
  }
});

/* ---- start on a small fake document: the listeners, as the browser tests see them ---- */

// A form.cnn-exercise made from its HTML alone (no listener of its own), with its text box;
// `other` is any other form of the page.
function exerciseForm(spec, typed, {other = false} = {}) {
  const classes = new Set();
  const result = { textContent: "" };
  const box = { value: typed, attrs: {}, setAttribute(k, v) { this.attrs[k] = v; } };
  const form = {
    matches: (sel) => sel === "form.cnn-exercise" && !other,
    getAttribute: (k) => (k === "data-exercise" ? JSON.stringify(spec) : null),
    setAttribute(k, v) { this[k] = v; },
    querySelector: (sel) => ({ ".cnn-exercise-result": result, "input[name=answer]": box })[sel],
    classList: { toggle: (c, on) => (on ? classes.add(c) : classes.delete(c)) },
  };
  return { form, result, box, classes };
}

function fakeDocument(forms) {
  const listeners = {};
  return {
    listeners, readyState: "complete",
    addEventListener(type, f) { (listeners[type] = listeners[type] || []).push(f); },
    querySelectorAll: (sel) => (sel === "form.cnn-exercise" ? forms : []),
    dispatch(type, evt) {
      evt.prevented = false;
      evt.preventDefault = () => { evt.prevented = true; };
      (listeners[type] || []).forEach((f) => f(evt));
      return evt;
    },
  };
}

test("start: the document answers every box and stops its submission, also a box added later", () => {
  const spec = { ...one, expected: [-249] };
  const parsed = exerciseForm(spec, "-249");
  const doc = fakeDocument([parsed.form]);
  ex.start(doc);
  assert.strictEqual(parsed.form["data-ready"], "true");
  assert.ok(doc.dispatch("submit", { target: parsed.form }).prevented);
  assert.strictEqual(parsed.result.textContent, "Correct. w");
  assert.ok(parsed.classes.has("is-right"));
  assert.strictEqual(parsed.box.attrs["aria-invalid"], "false");
  // a copy made from the box's HTML after the page was parsed: never wired, still answered
  const copy = exerciseForm(spec, "249");
  assert.ok(doc.dispatch("submit", { target: copy.form }).prevented);
  assert.match(copy.result.textContent, /^Not quite: that is not it\. Hint: h$/);
  assert.ok(copy.classes.has("is-wrong"));
  // a box whose data cannot be read is not submitted either
  const broken = exerciseForm(spec, "1");
  broken.form.getAttribute = () => "{not json";
  assert.ok(doc.dispatch("submit", { target: broken.form }).prevented);
  // any other form of the page is left alone
  const other = exerciseForm(spec, "1", { other: true });
  assert.ok(!doc.dispatch("submit", { target: other.form }).prevented);
  assert.strictEqual(other.result.textContent, "");
});

/* Kernel-free answer boxes for the book's exercises (the website only).
 *
 * site/offline.py replaces the output of each reader cell `check_answer("key", None)` with a
 * <form class="cnn-exercise" data-exercise="{...}">, the JSON coming from
 * helpers.exercises.answer_spec(key): the same registry `check_answer` uses in a notebook.
 * The reader types a number (or several, separated by commas) or a choice ("no, because..."),
 * presses Enter or Check, and reads "Correct. <why>" or "Not quite: <what>. Hint: <hint>" in a
 * live region. `check(spec, answer)` is the same rule as helpers.exercises._judge (tests/js and
 * tests/test_exercise_boxes.py compare the two), reading typed numbers with `readNumbers` and
 * choices with `readChoice`. `start` answers the boxes from the document, so that no box ever
 * navigates (tests/js, tests/test_livecode_page.py).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document !== "undefined") api.start(document);
  root.cnnExercises = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* How a typed answer is read: the rule, and a table of cases both sides are tested on, is
   * tests/js/fixtures/answer_reading.json; helpers.exercises.read_numbers is the same rule for
   * check_answer given a string. Every step is linear in the length of the text (no
   * backtracking pattern is run over a run of spaces). */
  var MAX_CHARS = 200;  // the box's maxlength; helpers.exercises.MAX_ANSWER_CHARS
  var SPACES = " \t\n\r\u00a0\u2009\u202f";
  var BETWEEN = SPACES + ",;xX*\u00d7()[]{}";  // what may stand between several numbers
  var ONE = /^[-+]?(?:[0-9]{1,3}(?:[,_' \u00a0\u2009\u202f][0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/;
  var MANY = /[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/g;

  function strip(t) {
    var i = 0, j = t.length;
    while (i < j && SPACES.indexOf(t.charAt(i)) >= 0) i++;
    while (j > i && SPACES.indexOf(t.charAt(j - 1)) >= 0) j--;
    return t.slice(i, j);
  }

  /* The numbers in `text` when `count` are expected: {values: [...]} or {problem: "empty",
   * "not-a-number", "too-large" or "too-long"}. `maxChars` defaults to MAX_CHARS. */
  function readNumbers(text, count, maxChars) {
    var t = String(text);
    if (t.length > (maxChars === undefined ? MAX_CHARS : maxChars)) return {problem: "too-long"};
    t = strip(t.replace(/\u2212/g, "-"));
    var values;
    if (count === 1) {
      if (t.length >= 2 && ((t[0] === "[" && t[t.length - 1] === "]") ||
                            (t[0] === "(" && t[t.length - 1] === ")"))) {
        t = strip(t.slice(1, -1));
      }
      if (t === "") return {problem: "empty"};
      if (!ONE.test(t) || !/[0-9]/.test(t.split(/[eE]/)[0])) return {problem: "not-a-number"};
      values = [Number(t.replace(/[,_' \u00a0\u2009\u202f]/g, ""))];
    } else {
      var rest = t.replace(MANY, " ");
      for (var i = 0; i < rest.length; i++) {
        if (BETWEEN.indexOf(rest.charAt(i)) < 0) return {problem: "not-a-number"};
      }
      values = (t.match(MANY) || []).map(Number);
      if (values.length === 0) return {problem: "empty"};
    }
    if (values.some(function (v) { return !isFinite(v); })) return {problem: "too-large"};
    return {values: values};
  }

  /* How a typed choice is read (yes/no, a/b/c, or an exercise's words): the rule, and a table
   * of cases both sides are tested on, is tests/js/fixtures/answer_choices.json;
   * helpers.exercises.read_choice is the same rule. The choice is the first word after any
   * quotes, brackets or punctuation, case ignored; what follows it is never read. */
  var EXTRA_SEPARATORS = "\u00a0\u2009\u202f\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2013\u2014\u2026";

  function isWordChar(c) { return /^[A-Za-z0-9]$/.test(c); }

  function isSeparator(c) {
    return (c.charCodeAt(0) < 128 && !isWordChar(c)) || EXTRA_SEPARATORS.indexOf(c) >= 0;
  }

  /* {choice: option} or {problem: "empty", "not-a-choice" or "too-long"}. */
  function readChoice(text, options, maxChars) {
    var t = String(text);
    if (t.length > (maxChars === undefined ? MAX_CHARS : maxChars)) return {problem: "too-long"};
    if (strip(t) === "") return {problem: "empty"};
    var i = 0, j;
    while (i < t.length && isSeparator(t.charAt(i))) i++;
    for (j = i; j < t.length && isWordChar(t.charAt(j)); j++) { /* the word */ }
    var word = t.slice(i, j).toLowerCase();
    if (word === "" || (j < t.length && !isSeparator(t.charAt(j))) || options.indexOf(word) < 0) {
      return {problem: "not-a-choice"};
    }
    return {choice: word};
  }

  /* '"a", "b" or "c"': the options as a reader is asked for them (helpers.exercises._either). */
  function either(options) {
    var q = options.map(function (o) { return '"' + o + '"'; });
    return q.length === 1 ? q[0] : q.slice(0, -1).join(", ") + " or " + q[q.length - 1];
  }

  /* What the reader is told when an answer cannot be read (the same words as check_answer). */
  function problemDetail(problem, count) {
    if (problem === "empty") return "type your answer first";
    if (problem === "too-long") return "your answer is longer than " + MAX_CHARS + " characters";
    if (problem === "too-large") return "your number is too large to be the answer (beyond float64)";
    return count === 1 ? "expected a number written with the digits 0-9"
                       : "expected numbers separated by commas";
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* A typed choice against spec.expected (helpers.exercises._judge_choice). */
  function checkChoice(spec, a) {
    var read = readChoice(a, spec.options);
    if (read.choice !== undefined) {
      if (read.choice === spec.expected) return {ok: true, detail: ""};
      return {ok: false, detail: '"' + read.choice + '" is not the answer'};
    }
    if (read.problem === "empty") return {ok: false, empty: true, detail: problemDetail("empty")};
    if (read.problem === "too-long") return {ok: false, detail: problemDetail("too-long")};
    return {ok: false, unread: true, detail: "start your answer with " + either(spec.options)};
  }

  /* {ok, detail} for `answer` (a string) against `spec` (helpers.exercises.answer_spec), with
   * `empty` (nothing typed) or `unread` (no choice found) when no verdict is given. */
  function check(spec, answer) {
    var a = answer == null ? "" : String(answer);
    if (spec.kind === "choice") return checkChoice(spec, a);
    if (a.length > MAX_CHARS) return {ok: false, detail: problemDetail("too-long")};
    var want = spec.expected, read = readNumbers(a, want.length), got = read.values;
    if (read.problem) {
      return {ok: false, empty: read.problem === "empty", detail: problemDetail(read.problem, want.length)};
    }
    if (got.length !== want.length) {
      return {ok: false, detail: "your answer has " + plural(got.length, "number") +
                                 ", the answer has " + want.length};
    }
    var wrong = 0;
    for (var i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= spec.tol)) wrong++;
    }
    if (wrong === 0) return {ok: true, detail: ""};
    var where = want.length > 1 ? " (" + wrong + " of " + want.length + " values differ)" : "";
    return {ok: false, detail: "that is not it" + where};
  }

  /* The sentence the box shows (and a notebook prints) for a result. */
  function message(spec, result) {
    if (result.ok) return "Correct. " + spec.why;
    if (result.empty) return "No answer yet: " + result.detail + ".";
    if (result.unread) return "Which one? " + result.detail.charAt(0).toUpperCase() + result.detail.slice(1) + ".";
    return "Not quite: " + result.detail + ". Hint: " + spec.hint;
  }

  /* Check the answer in `form` (a form.cnn-exercise) and show the verdict in it. */
  function answer(form) {
    var spec;
    try { spec = JSON.parse(form.getAttribute("data-exercise")); } catch (e) { return; }
    var out = form.querySelector(".cnn-exercise-result"), box = form.querySelector("input[name=answer]");
    if (!box) return;
    var result = check(spec, box.value);
    out.textContent = message(spec, result);
    form.classList.toggle("is-right", result.ok);
    form.classList.toggle("is-wrong", !result.ok && !result.empty && !result.unread);
    box.setAttribute("aria-invalid", result.ok || result.empty ? "false" : "true");
  }

  function exerciseForm(el) {
    return el && el.matches && el.matches("form.cnn-exercise") ? el : null;
  }

  /* The document answers every box: Enter or Check in any form.cnn-exercise, also one whose
   * own elements were made anew from its HTML (live code's cells, another script), is checked
   * in the page and never submitted. (The form's method="dialog", site/offline.py, makes a
   * submission that no script stops go nowhere, too.) Boxes present when the page is parsed
   * get data-ready="true". */
  function start(doc) {
    doc.addEventListener("submit", function (evt) {
      var form = exerciseForm(evt.target);
      if (!form) return;
      evt.preventDefault();
      answer(form);
    });
    function ready() {
      doc.querySelectorAll("form.cnn-exercise").forEach(function (f) { f.setAttribute("data-ready", "true"); });
    }
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ready);
    else ready();
  }

  return {readNumbers: readNumbers, readChoice: readChoice, check: check, message: message, start: start,
          MAX_CHARS: MAX_CHARS, EXTRA_SEPARATORS: EXTRA_SEPARATORS};
});

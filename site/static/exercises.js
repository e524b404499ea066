/* Kernel-free answer boxes for the book's exercises (the website only).
 *
 * site/offline.py replaces the output of each reader cell `check_answer("key", None)` with a
 * <form class="cnn-exercise" data-exercise="{...}">, the JSON coming from
 * helpers.exercises.answer_spec(key): the same registry `check_answer` uses in a notebook.
 * The reader types a number (or several, separated by commas) or picks an option, presses
 * Enter or Check, and reads "Correct. <why>" or "Not quite: <what>. Hint: <hint>" in a live
 * region. `check(spec, answer)` is the same rule as helpers.exercises._compare (tests/js and
 * tests/test_exercise_boxes.py compare the two).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document !== "undefined") api.start(document);
  root.cnnExercises = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

  /* The numbers a reader typed. One expected number: thousands separators are allowed
   * ("438,842", "438 842", "438_842"). Several: any separators ("17, 5", "[17 5]", "17×5"). */
  function parseNumbers(text, count) {
    var t = String(text).replace(/\u2212/g, "-").trim();
    if (t === "") return [];
    if (count === 1) {
      var one = t.replace(/^[[(]\s*|\s*[\])]$/g, "")
                 .replace(/(\d)[,_\s\u2009\u202f'](?=\d{3}(\D|$))/g, "$1");
      var v = Number(one);
      return one !== "" && isFinite(v) ? [v] : [NaN];
    }
    var found = t.match(NUMBER) || [];
    var rest = t.replace(NUMBER, "").replace(/[\s,;×x*()[\]{}]/gi, "");
    var values = found.map(Number);
    if (rest !== "") values.push(NaN);  // letters or other stray characters
    return values;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  /* {ok, detail} for `answer` (a string) against `spec` (helpers.exercises.answer_spec). */
  function check(spec, answer) {
    var a = answer == null ? "" : String(answer);
    if (spec.kind === "text" || spec.kind === "choice") {
      if (a.trim() === "") {
        return {ok: false, empty: true,
                detail: spec.kind === "choice" ? "choose one of the options" : "type your answer first"};
      }
      var ok = a.trim().toLowerCase() === String(spec.expected).trim().toLowerCase();
      return {ok: ok, detail: ok ? "" : "compare your wording with the text above"};
    }
    var want = spec.expected, got = parseNumbers(a, want.length);
    if (got.length === 0) return {ok: false, empty: true, detail: "type your answer first"};
    if (got.some(function (v) { return isNaN(v); })) {
      return {ok: false, detail: want.length === 1 ? "expected a number"
                                                   : "expected numbers separated by commas"};
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
    return "Not quite: " + result.detail + ". Hint: " + spec.hint;
  }

  function answerOf(form) {
    var checked = form.querySelector("input[type=radio]:checked");
    if (checked) return checked.value;
    var box = form.querySelector("input[name=answer]");
    return box ? box.value : "";
  }

  function wire(form) {
    var spec;
    try { spec = JSON.parse(form.getAttribute("data-exercise")); } catch (e) { return; }
    var out = form.querySelector(".cnn-exercise-result"), box = form.querySelector("input[name=answer]");
    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      var result = check(spec, answerOf(form));
      out.textContent = message(spec, result);
      form.classList.toggle("is-right", result.ok);
      form.classList.toggle("is-wrong", !result.ok && !result.empty);
      if (box) box.setAttribute("aria-invalid", result.ok || result.empty ? "false" : "true");
    });
    // Enter on an option checks it too (text boxes submit the form by themselves)
    form.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.addEventListener("keydown", function (evt) {
        if (evt.key === "Enter") { evt.preventDefault(); form.requestSubmit(); }
      });
    });
    form.setAttribute("data-ready", "true");
  }

  function start(doc) {
    function all() { doc.querySelectorAll("form.cnn-exercise").forEach(wire); }
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", all);
    else all();
  }

  return {parseNumbers: parseNumbers, check: check, message: message, start: start};
});

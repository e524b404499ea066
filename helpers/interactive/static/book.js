/* The core of the book's kernel-free controls (helpers/interactive/page.py): the namespace
   cnnBook, `mount(element)` which starts the control an output holds (its kind and data are
   the element's data-cnn-kind and data-cnn attributes), and what several controls share: the
   slider + Play button of a player, HTML escaping, reading a number box.
   Loaded in a page by every control output (the first copy wins); in Node by require(). */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (!root.cnnBook) {
    root.cnnBook = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var kinds = {};

  /* The same escaping as Python's html.escape(text, quote=True). */
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  function define(kind, init) {
    kinds[kind] = init;
  }

  /* Start the control `el` once (a second call, or a second copy of this file, is harmless).
     Its forms compute in the page: pressing Enter must not submit them. */
  function mount(el) {
    if (!el || el.getAttribute("data-cnn-mounted")) return;
    var init = kinds[el.getAttribute("data-cnn-kind")];
    if (!init) return;
    el.setAttribute("data-cnn-mounted", "1");
    el.querySelectorAll("form").forEach(function (f) {
      f.addEventListener("submit", function (e) { e.preventDefault(); });
    });
    init(el, JSON.parse(el.getAttribute("data-cnn") || "{}"));
  }

  /* An integer from the form field `name` inside `root`, clamped to [lo, hi] (NaN -> lo). */
  function intField(root, name, lo, hi) {
    var v = parseInt(root.querySelector("[name=" + name + "]").value, 10);
    if (isNaN(v)) v = lo;
    return Math.min(hi == null ? Infinity : hi, Math.max(lo, v));
  }

  /* Slider, Play/Pause button and "k / n" label of a player: show(p) draws frame p. */
  function player(root, count, ms, show) {
    var slider = root.querySelector("input[type=range]");
    var button = root.querySelector(".controls button");
    var label = root.querySelector(".pos");
    var timer = null;
    function go(p) {
      p = +p;
      show(p);
      slider.value = p;
      label.textContent = (p + 1) + " / " + count;
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      button.textContent = "Play";
      button.setAttribute("aria-pressed", "false");
    }
    slider.addEventListener("input", function () { stop(); go(slider.value); });
    button.addEventListener("click", function () {
      if (timer) { stop(); return; }
      button.textContent = "Pause";
      button.setAttribute("aria-pressed", "true");
      if (+slider.value >= count - 1) go(0);
      timer = setInterval(function () {
        var p = +slider.value + 1;
        if (p >= count) { stop(); return; }
        go(p);
      }, ms);
    });
    go(0);
  }

  return { esc: esc, define: define, mount: mount, intField: intField, player: player,
           kinds: kinds };
});

/* The core of the book's kernel-free controls (helpers/interactive/page.py): the namespace
   cnnBook, mount(el), which starts the control of an element (data-cnn-kind, its data in
   data-cnn, data files named in data-cnn-files), lazy(el, key, ms), a data file loaded only
   when a control asks for it (data-cnn-lazy), and what controls share: a player's slider and
   Play button, HTML escaping, reading a number box. Loaded as a file (the website) it
   mounts every control of the page; a notebook output's copy mounts its own element (the
   first copy on a page wins). In Node, require() returns the API. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  var book = root.cnnBook || (root.cnnBook = api), me = document.currentScript;
  if (me && me.src && book.autoMount) {
    book.base = me.src.replace(/[^/]*$/, "");  // where the website serves the controls' files
    book.autoMount();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var kinds = {}, files = {}, ready = false, api = {};

  /* The same escaping as Python's html.escape(text, quote=True). */
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  /* A control's script registers its kind, a data file (NAME.json.js, site/offline.py) its
     value: either may be what a control of the page still waits for. */
  function define(kind, init) {
    kinds[kind] = init;
    if (ready) mountAll();
  }

  function file(name, value) {
    files[name] = value;
    if (ready) mountAll();
  }

  /* The data file `key` of `el` that the page loads only when asked (data-cnn-lazy="key=name
     ...", page.control's lazy): a promise of its value, from the data files already given
     (cnnBook.file) or from the website's NAME.json.js next to book.js, which hands it to
     cnnBook.file. Rejected, with one sentence, when the file cannot load within `ms`. */
  function lazy(el, key, ms) {
    var ref = (el.getAttribute("data-cnn-lazy") || "").split(" ").filter(function (r) {
      return r.split("=")[0] === key;
    })[0];
    return new Promise(function (resolve, reject) {
      if (!ref) { reject(new Error("This control has no data file " + key + ".")); return; }
      var name = ref.split("=")[1];
      if (name in files) { resolve(files[name]); return; }
      var tag = document.createElement("script"), poll, timer;
      function end() { clearInterval(poll); clearTimeout(timer); }
      poll = setInterval(function () {
        if (name in files) { end(); resolve(files[name]); }
      }, 50);
      timer = setTimeout(function () {
        end();
        reject(new Error("The data file " + name + " did not arrive within " + Math.round(ms / 1000) +
                         " s; reload the page to try again."));
      }, ms);
      tag.onerror = function () {
        end();
        reject(new Error("The data file " + name + " could not be loaded; reload the page to try again."));
      };
      tag.src = (api.base || "") + name + ".js";
      document.head.appendChild(tag);
    });
  }

  /* Start `el` once, when its kind and its data files ("key=name ...": data[key]) are there.
     Its forms compute in the page: Enter must not submit them. */
  function mount(el) {
    if (!el || el.getAttribute("data-cnn-mounted")) return;
    var init = kinds[el.getAttribute("data-cnn-kind")];
    var refs = (el.getAttribute("data-cnn-files") || "").split(" ").filter(Boolean)
      .map(function (ref) { return ref.split("="); });
    if (!init || refs.some(function (r) { return !(r[1] in files); })) return;
    var data = JSON.parse(el.getAttribute("data-cnn") || "{}");
    refs.forEach(function (r) { data[r[0]] = files[r[1]]; });
    el.setAttribute("data-cnn-mounted", "1");
    el.querySelectorAll("form").forEach(function (f) {
      f.addEventListener("submit", function (e) { e.preventDefault(); });
    });
    init(el, data);
  }

  /* Every control that can start; one that fails is reported, the others still start. */
  function mountAll() {
    document.querySelectorAll("[data-cnn-kind]:not([data-cnn-mounted])").forEach(function (el) {
      try { mount(el); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  /* From the parsed document on, whatever order the scripts and data files arrive in. */
  function autoMount() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", autoMount);
    } else if (!ready) {
      ready = true;
      mountAll();
    }
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

  /* The network a reader trained in chapter 21's playground, handed to chapter 16's explorer:
     the playground stores its digitnet/2 export in the tab's sessionStorage under `key` and
     opens `page` + `hash`; the explorer shows the stored network only on that address. */
  var TRAINED_NET = {key: "cnnBook.trainedNet", page: "16_draw_a_digit.html", hash: "#dx-trained"};

  return Object.assign(api, { esc: esc, define: define, file: file, mount: mount, autoMount: autoMount,
                              lazy: lazy, intField: intField, player: player, kinds: kinds,
                              TRAINED_NET: TRAINED_NET });
});

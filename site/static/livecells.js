/* The page's code cells under live code: what Thebe gets of them, and how a reader runs them
 * (site/static/livecode.js connects the kernel and calls this file).
 *
 * `prepare` hands Thebe each code cell's source (data-executable) and an output box of its
 * own, new and empty (div.cnn-live-output[data-output]), put before the cell's rendered
 * output. Thebe copies whatever its output box holds as HTML text and renders that copy
 * anew, which would leave the page's kernel-free controls (cnnBook.mount, exercises.js)
 * without their listeners; so the rendered output is never given to Thebe: the same nodes
 * stay on the page, with their listeners and state, and nothing is mounted again. When the
 * reader runs a cell, its rendered output leaves the page and the kernel's output takes its
 * place. `restore` puts every cell back as it was rendered (a kernel that cannot be reached).
 *
 * `wire` gives what Thebe built the reader's controls: each editor a name, each cell a compact
 * toolbar - "Run" (Shift+Enter in the editor does the same) and "Run up to here" (the cells
 * above, then this one, stopping at the first error) - and the page one bar that says what
 * runs and what happened, with "Restart kernel". Thebe's own four buttons per cell are off
 * (`THEBE`, the options Thebe gets for its editors and buttons).
 *
 * `THEBE`, `SAY` (every sentence), `outcome`, `upTo` and `runInTurn` are loadable by Node
 * (tests/js/livecells.test.js); the browser side is tests/test_livecode_page.py.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.cnnLiveCells = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* Thebe's options for the page's cells: no buttons of its own (the toolbar below), and
   * editors as tall as their code, in the page's colours (theme "cnn": site.css), whose code
   * is the text a screen reader reads and edits (CodeMirror's "contenteditable" input: its
   * default on phones; the "textarea" one types into a hidden box). */
  var THEBE = {
    mountRunButton: false, mountRunAllButton: false, mountRestartButton: false,
    mountRestartAllButton: false, mountStatusWidget: false, mountActivateWidget: false,
    codeMirrorConfig: {theme: "cnn", lineNumbers: false, styleActiveLine: false,
                       viewportMargin: Infinity, indentUnit: 4, inputStyle: "contenteditable"},
  };

  function cellName(i, n) { return "cell " + i + " of " + n; }

  var SAY = {
    editor: function (i, n) {
      return "Code, " + cellName(i, n) + " (Shift+Enter runs it; Esc leaves the editor)";
    },
    run: function (i) { return "Run cell " + i; },
    upTo: function (i) { return i === 1 ? "Run up to here (cell 1)" : "Run up to here (cells 1 to " + i + ")"; },
    upToTitle: function () { return "Run every cell above, then this one"; },
    // a cell's own state, next to its buttons (null: not run since the kernel started)
    state: function (o) {
      if (!o) return "";
      if (o.state === "running") return "running…";
      if (o.state === "ran") return "ran";
      return "stopped" + (o.name ? ": " + o.name : "");
    },
    waiting: function () { return "Live code: waiting for the kernel…"; },
    ready: function () {
      return "Live code ready: Run (or Shift+Enter) runs a cell; Run up to here runs the cells above it first.";
    },
    notReady: function () { return "The kernel is not ready yet: wait for “Live code ready”."; },
    running: function (i, n) { return "Running " + cellName(i, n) + "…"; },
    ran: function (i, n) { return "Ran " + cellName(i, n) + "."; },
    failed: function (i, n, name, value) {
      var what = name ? name + (value ? ": " + String(value).slice(0, 160) : "") : "no answer from the kernel";
      var hint = name === "NameError" ? " Run up to here runs the cells above it first." : "";
      return "Cell " + i + " of " + n + " stopped (" + what + ")." + hint;
    },
    figure: function (i, n) { return "Figure drawn by " + cellName(i, n) + " (its code is above)"; },
    restarting: function () { return "Restarting the kernel…"; },
    restarted: function () {
      return "Kernel restarted: nothing is defined any more; Run up to here runs a cell with the cells above it.";
    },
    restartFailed: function (e) { return "The kernel did not restart (" + String(e && e.message || e).slice(0, 160) + ")."; },
  };

  /* What a run of one cell came to, from Thebe's answer (null: the kernel did not run it):
   * {state: "ran"} or {state: "error", name, value}. */
  function outcome(reply) {
    if (!reply) return {state: "error", name: "", value: ""};
    var err = reply.error && reply.error[0];
    return err ? {state: "error", name: err.ename || "Error", value: err.evalue || ""} : {state: "ran"};
  }

  /* The cells "Run up to here" on `cell` runs: every cell of `cells` (page order) up to it. */
  function upTo(cells, cell) {
    var k = cells.indexOf(cell);
    return k < 0 ? [] : cells.slice(0, k + 1);
  }

  /* Run `cells` one after the other, each once the one before it ran, up to the first that
   * stops; a promise of the last answer. */
  function runInTurn(cells) {
    return cells.reduce(function (prev, c) {
      return prev.then(function (reply) {
        if (reply !== undefined && outcome(reply).state !== "ran") return reply;
        return c.cell.execute(c.cell.source);
      });
    }, Promise.resolve(undefined));
  }

  function putBack(node, parent, next) {
    parent.insertBefore(node, next && next.parentNode === parent ? next : null);
  }

  /* Every code cell's source marked for Thebe, with an empty output box before its rendered
   * output (its copy button set aside: the editor is copied like any text); returns what it
   * changed, for `restore` and `wire`. */
  function prepare(document) {
    var cells = [];
    document.querySelectorAll(".cell").forEach(function (cell) {
      var src = cell.querySelector(".cell_input pre");
      if (!src || src.hasAttribute("data-executable")) return;
      var saved = cell.querySelector(".cell_output");
      var rec = {cell: cell, src: src, srcParent: src.parentNode, srcNext: src.nextSibling, saved: saved,
                 copy: Array.prototype.slice.call(cell.querySelectorAll("button.copybtn"))
                   .map(function (b) { return {b: b, parent: b.parentNode, next: b.nextSibling}; })};
      if (saved) {
        rec.savedParent = saved.parentNode;
        rec.savedNext = saved.nextSibling;
      }
      src.setAttribute("data-executable", "true");
      src.setAttribute("data-language", "python");
      // Thebe pairs the page's n-th source with its n-th [data-output] element: one per cell
      var box = document.createElement("div");
      box.className = "cnn-live-output";
      box.setAttribute("data-output", "");
      if (saved) saved.parentNode.insertBefore(box, saved);
      else cell.appendChild(box);
      rec.box = box;
      rec.copy.forEach(function (c) { c.b.remove(); });
      cells.push(rec);
    });
    return cells;
  }

  /* The cell's rendered output leaves the page: its kernel output replaces it (its controls'
   * ids come back in the kernel's copy, which mounts its own element). */
  function retire(rec) {
    if (rec.saved && rec.saved.isConnected) rec.saved.remove();
  }

  /* Every cell as it was rendered (the same nodes), nothing of Thebe's or of `wire` left. */
  function restore(document, cells) {
    cells.slice().reverse().forEach(function (rec) {
      var holder = rec.srcParent.querySelector(".thebe-cell");
      if (holder && holder.parentNode === rec.srcParent) holder.remove();
      rec.src.removeAttribute("data-executable");
      rec.src.removeAttribute("data-language");
      if (rec.src.parentNode !== rec.srcParent) putBack(rec.src, rec.srcParent, rec.srcNext);
      rec.box.remove();
      if (rec.saved && !rec.saved.isConnected) putBack(rec.saved, rec.savedParent, rec.savedNext);
      rec.cell.removeAttribute("data-cnn-run");
      rec.copy.forEach(function (c) { putBack(c.b, c.parent, c.next); });
    });
    document.querySelectorAll(".thebe-cell, .thebe-controls, .thebe-status, .cnn-livebar").forEach(function (el) {
      el.remove();
    });
  }

  function button(document, cls, text, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  /* The page's one bar: a status line and "Restart kernel", at the end of the article (it
   * stays in sight at the bottom of the window while the article scrolls: site.css). */
  function bar(document) {
    var el = document.createElement("div");
    el.className = "cnn-livebar";
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "Live code");
    var line = document.createElement("p");
    line.className = "cnn-livebar-status";
    line.setAttribute("role", "status");
    line.textContent = SAY.waiting();
    var restart = button(document, "cnn-livebar-restart", "Restart kernel");
    el.appendChild(line);
    el.appendChild(restart);
    (document.querySelector("article.bd-article") || document.body).appendChild(el);
    return {el: el, restart: restart, say: function (text) { line.textContent = text; }};
  }

  /* One cell's controls (`c`: its record, the editor Thebe built, Thebe's cell; `i` of `n`
   * on the page): the editor's name, the cell's state, Run and Run up to here. Every way of
   * running the cell (its buttons, Shift+Enter, Run up to here on a cell below) goes through
   * its `execute`, which retires the rendered output and says what happened. */
  function cellControls(document, page, c, i, n, cells) {
    var cell = c.cell, execute = cell.execute;
    var cm = c.holder.querySelector(".CodeMirror");
    if (cm && cm.CodeMirror) {
      cm.CodeMirror.setOption("screenReaderLabel", SAY.editor(i, n));
      var input = cm.CodeMirror.getInputField();
      input.setAttribute("role", "textbox");
      input.setAttribute("aria-multiline", "true");
    }
    var tools = c.holder.querySelector(".thebe-controls") || c.holder;
    var state = document.createElement("span");
    state.className = "cnn-run-state";
    c.mark = function (o) {  // o: an `outcome`, {state: "running"}, or null (not run)
      if (o) c.rec.cell.setAttribute("data-cnn-run", o.state);
      else c.rec.cell.removeAttribute("data-cnn-run");
      state.textContent = SAY.state(o);
    };
    cell.execute = function (source) {
      if (!cell.session || !cell.session.kernel) {
        page.say(SAY.notReady());
        return Promise.resolve(null);
      }
      retire(c.rec);
      c.mark({state: "running"});
      page.say(SAY.running(i, n));
      return execute.call(cell, source).then(function (reply) {
        var o = outcome(reply);
        c.mark(o);
        page.say(o.state === "ran" ? SAY.ran(i, n) : SAY.failed(i, n, o.name, o.value));
        return reply;
      });
    };
    var run = button(document, "cnn-run", "Run", SAY.run(i));
    var all = button(document, "cnn-run-upto", "Run up to here", SAY.upTo(i));
    all.title = SAY.upToTitle();
    run.addEventListener("click", function () { cell.execute(cell.source); });
    all.addEventListener("click", function () { runInTurn(upTo(cells, c)); });
    tools.insertBefore(all, tools.firstChild);
    tools.insertBefore(run, all);
    tools.insertBefore(state, run);
    // JupyterLab shows a figure without a text alternative: name it by the cell that drew it
    var Observer = document.defaultView && document.defaultView.MutationObserver;
    if (Observer) {
      new Observer(function () {
        c.rec.box.querySelectorAll("img:not([alt])").forEach(function (img) { img.alt = SAY.figure(i, n); });
      }).observe(c.rec.box, {childList: true, subtree: true});
    }
  }

  /* The reader's controls on the cells Thebe built for `notebook` out of `cells` (`prepare`).
   * Returns {ready()}, to call once the kernel is there. */
  function wire(window, notebook, cells) {
    var document = window.document, page = bar(document);
    var live = cells.map(function (rec) {
      var holder = rec.srcParent.querySelector(".thebe-cell");
      var cell = holder && notebook.getCellById(holder.getAttribute("data-thebe-id"));
      return cell ? {rec: rec, holder: holder, cell: cell} : null;
    }).filter(Boolean);
    live.forEach(function (c, k) { cellControls(document, page, c, k + 1, live.length, live); });
    page.restart.addEventListener("click", function () {
      var kernel = notebook.session && notebook.session.kernel;
      if (!kernel) {
        page.say(SAY.notReady());
        return;
      }
      page.say(SAY.restarting());
      kernel.restart().then(function () {
        live.forEach(function (c) { c.mark(null); });
        page.say(SAY.restarted());
      }, function (e) { page.say(SAY.restartFailed(e)); });
    });
    // CodeMirror measures its text when it is built: again once the page has settled, and for
    // the editors in a folded cell ("Show code cell source") when it opens
    function refresh(root) {
      root.querySelectorAll(".thebe-cell .CodeMirror").forEach(function (el) {
        if (el.CodeMirror) el.CodeMirror.refresh();
      });
    }
    document.addEventListener("toggle", function (evt) {
      if (evt.target.open && evt.target.querySelector) refresh(evt.target);
    }, true);
    return {ready: function () {
      refresh(document);
      page.say(SAY.ready());
    }};
  }

  return {THEBE: THEBE, SAY: SAY, outcome: outcome, upTo: upTo, runInTurn: runInTurn, prepare: prepare,
          restore: restore, wire: wire};
});

// site/static/livecells.js: what Thebe gets for the page's cells (no buttons of its own,
// editors as tall as their code), which cells "Run up to here" runs, what a run came to and
// every sentence the reader reads. Cases computed in this file; the page itself (cells kept,
// run from the keyboard, restart, axe-core) is tests/test_livecode_page.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const cells = require("../../site/static/livecells.js");

test("Thebe builds no buttons of its own, and editors without a fixed height", () => {
  for (const k of ["mountRunButton", "mountRunAllButton", "mountRestartButton", "mountRestartAllButton",
                   "mountStatusWidget", "mountActivateWidget"]) {
    assert.equal(cells.THEBE[k], false, k);
  }
  const cm = cells.THEBE.codeMirrorConfig;
  assert.equal(cm.theme, "cnn");  // site.css colours it; the page config's "abcdef" is black
  assert.equal(cm.viewportMargin, Infinity);  // every line drawn: the editor grows with its code
  assert.equal(cm.lineNumbers, false);
  assert.equal(cm.inputStyle, "contenteditable");
});

test("Run up to here runs every cell up to this one, in page order", () => {
  const ids = ["a", "b", "c", "d"];
  assert.deepEqual(cells.upTo(ids, "a"), ["a"]);
  assert.deepEqual(cells.upTo(ids, "c"), ["a", "b", "c"]);
  assert.deepEqual(cells.upTo(ids, "d"), ids);
  assert.deepEqual(cells.upTo(ids, "zz"), []);
});

// Thebe's cells as runInTurn sees them: each answers after `ms`, with an error if it `fails`.
function thebeCells(log, spec) {
  return spec.map(([name, ms, fails]) => ({cell: {source: name, execute(source) {
    log.push("start " + source);
    return new Promise((done) => setTimeout(() => {
      log.push("end " + source);
      done(fails ? {error: [{ename: "NameError", evalue: "x"}]} : {error: undefined});
    }, ms));
  }}}));
}

test("cells run in turn, each once the one before it answered, up to the first that stops", async () => {
  const log = [];
  const last = await cells.runInTurn(thebeCells(log, [["a", 20], ["b", 1], ["c", 5]]));
  assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  assert.deepEqual(last, {error: undefined});
  log.length = 0;
  const stopped = await cells.runInTurn(thebeCells(log, [["a", 1], ["b", 1, true], ["c", 1]]));
  assert.deepEqual(log, ["start a", "end a", "start b", "end b"]);
  assert.equal(stopped.error[0].ename, "NameError");
  log.length = 0;
  const cut = thebeCells(log, [["a", 1], ["b", 1]]);
  cut[0].cell.execute = (source) => { log.push("no kernel " + source); return Promise.resolve(null); };
  assert.equal(await cells.runInTurn(cut), null);
  assert.deepEqual(log, ["no kernel a"]);
  assert.equal(await cells.runInTurn([]), undefined);
});

test("what a run came to: ran, an exception, or no answer from the kernel", () => {
  assert.deepEqual(cells.outcome({id: "a", error: undefined}), {state: "ran"});
  assert.deepEqual(cells.outcome({id: "a", error: [{ename: "NameError", evalue: "name 'A' is not defined"}]}),
                   {state: "error", name: "NameError", value: "name 'A' is not defined"});
  assert.deepEqual(cells.outcome({id: "a", error: [{}]}), {state: "error", name: "Error", value: ""});
  assert.deepEqual(cells.outcome(null), {state: "error", name: "", value: ""});
});

test("what the reader reads: names with the cell's place, what ran, what to do after a NameError", () => {
  const S = cells.SAY;
  assert.equal(S.editor(3, 13), "Code, cell 3 of 13 (Shift+Enter runs it; Esc leaves the editor)");
  assert.equal(S.run(3), "Run cell 3");
  assert.equal(S.upTo(1), "Run up to here (cell 1)");
  assert.equal(S.upTo(4), "Run up to here (cells 1 to 4)");
  assert.ok(S.upTo(4).startsWith("Run up to here"));  // the accessible name holds the visible text
  assert.equal(S.running(2, 5), "Running cell 2 of 5…");
  assert.equal(S.ran(2, 5), "Ran cell 2 of 5.");
  assert.equal(S.failed(6, 13, "NameError", "name 'A' is not defined"),
               "Cell 6 of 13 stopped (NameError: name 'A' is not defined). Run up to here runs the cells above it first.");
  assert.equal(S.failed(6, 13, "ValueError", ""), "Cell 6 of 13 stopped (ValueError).");
  assert.equal(S.failed(6, 13, "", ""), "Cell 6 of 13 stopped (no answer from the kernel).");
  assert.ok(S.failed(1, 1, "ValueError", "x".repeat(1000)).length < 220);
  assert.deepEqual([null, {state: "running"}, {state: "ran"}, {state: "error", name: "NameError"},
                    {state: "error", name: ""}].map(S.state),
                   ["", "running…", "ran", "stopped: NameError", "stopped"]);
  assert.equal(S.figure(2, 5), "Figure drawn by cell 2 of 5 (its code is above)");
  assert.match(S.ready(), /^Live code ready/);
  assert.match(S.restarted(), /^Kernel restarted/);
});

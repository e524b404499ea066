/* player.js against helpers/interactive/players.py: for every frame of several sweeps
   (strides, "same" and explicit padding), the window cells and the cur/done/todo state of
   every output cell that the page script shows are the ones Python's sweep_html marks. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const player = pageModule("player.js");
const py = pyCases("player");

test("every frame highlights the cells Python highlights", () => {
  assert.ok(py.cases.length >= 4);
  for (const c of py.cases) {
    const D = c.data, w = D.ow;
    c.frames.forEach((want, p) => {
      const st = player.sweepState(D, p);
      const win = st.win.map(([r, col]) => `${r},${col}`).sort();
      assert.deepEqual(win, want.win, `frame ${p}`);
      const out = {};
      st.out.forEach((state, q) => { out[`${Math.floor(q / w)},${q % w}`] = [state]; });
      assert.deepEqual(out, want.out, `frame ${p}`);
    });
  }
});

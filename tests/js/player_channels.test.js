/* player.js's sweep over several channels against helpers/sweep.py's ChannelSweep and
   helpers/interactive/players.py's channel_html: every frame highlights the window on every
   channel and the same output cell on every map; typed kernels and biases give, channel by
   channel and for the output, exactly the sums and numbers Python writes (cases from
   tests/js/py_cases.py channels). */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { pyCases, pageModule } = require("./cases.js");

const player = pageModule("player.js");
const py = pyCases("channels");

test("every frame highlights the window on every channel and the cell on every map", () => {
  assert.ok(py.cases.length >= 4);
  for (const c of py.cases) {
    const D = c.data, w = D.ow;
    c.frames.forEach((want, p) => {
      const st = player.sweepState(D, p);
      const win = st.win.map(([r, col]) => `${r},${col}`).sort();
      assert.equal(want.wins.length, D.xc.length);
      for (const channel of want.wins) assert.deepEqual(win, channel, `frame ${p}`);
      const out = {};
      st.out.forEach((state, q) => { out[`${Math.floor(q / w)},${q % w}`] = [state]; });
      assert.equal(want.outs.length, D.xc.length + 1);  // one map per channel, then the output
      for (const grid of want.outs) assert.deepEqual(out, grid, `frame ${p}`);
    });
  }
});

test("typed kernels and biases give Python's sums, maps and output", () => {
  for (const c of py.cases) {
    const res = player.recomputeChannels(c.data, c.kernels, c.bias);
    assert.deepEqual(res.lines, c.lines, JSON.stringify([c.kernels, c.bias]));
    assert.deepEqual(res.outs.map((g) => g.map((row) => row.map((v) => player.fmtNumber(v, 2)))), c.outs);
  }
  // the page starts from the player's own kernel and bias: its first sums are the frames' sums
  for (const c of py.cases) {
    const res = player.recomputeChannels(c.data, c.data.kc, c.data.b);
    res.lines.forEach((line, n) => assert.deepEqual(line, c.data.frames.map((fr) => fr[2 + n])));
  }
});

test("a bias box that holds no number keeps the last bias and says so", () => {
  assert.deepEqual(player.readBias("-2", 1, 2), { b: -2, kept: false, note: "" });
  assert.deepEqual(player.readBias("", 2.675, 2),
    { b: 2.675, kept: true, note: "b holds no number: the filter keeps its last bias, 2.67." });
  for (const text of ["abc", "-", "1e400", " "]) assert.equal(player.readBias(text, 3, 2).b, 3, text);
});

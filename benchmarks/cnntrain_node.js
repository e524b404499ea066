// Used by benchmarks/experiments.py (cnntrain-seeds) and benchmarks/bench_playground.py (the
// epoch time): the in-page training engine (cnntrain.js) in Node on the shipped digits; prints
// one JSON line.
//   node benchmarks/cnntrain_node.js epoch SEED RECIPE   one epoch of the chapter-16 design on
//                                                        the 4,000 training digits, timed
//   node benchmarks/cnntrain_node.js short SEED RECIPE   the short training the Node test runs
//                                                        (RECIPE: JSON, see experiments.py)
"use strict";
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const T = require(path.join(ROOT, "helpers", "interactive", "static", "cnntrain.js"));
const M = require(path.join(ROOT, "tests", "js", "mnist5k.js"));

const [mode, seedText, recipeText] = process.argv.slice(2);
const seed = Number(seedText || 0);
const data = M.load();
if (mode === "epoch") {
  const recipe = JSON.parse(recipeText);
  const trainer = new T.Trainer({design: recipe.design, train: M.part(data, data.split.train, T.pixels),
                                 validation: M.part(data, data.split.validation, T.pixels),
                                 batchSize: recipe.batch_size, epochs: 1, seed,
                                 optimizer: {name: "adam", learningRate: recipe.learning_rate}});
  trainer.start();                                   // the start's weights kept before timing
  const t0 = process.hrtime.bigint();
  const end = trainer.runEpoch().epochEnd;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({seconds, val_accuracy: end.val_accuracy, loss: end.loss}));
} else if (mode === "short") {
  const recipe = JSON.parse(recipeText);
  const rows = data.split.train.filter((row, n) => n % recipe.every === 0);
  const trainer = new T.Trainer({design: recipe.design, train: M.part(data, rows, T.pixels),
                                 validation: M.part(data, data.split.validation, T.pixels),
                                 batchSize: recipe.batch_size, epochs: recipe.epochs, seed,
                                 optimizer: {name: "adam", learningRate: recipe.learning_rate}});
  const t0 = process.hrtime.bigint();
  let res;
  do res = trainer.runEpoch(); while (!res.done);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({seconds, val_accuracy: res.epochEnd.val_accuracy, loss: res.epochEnd.loss}));
} else {
  throw new Error("mode must be epoch or short, got " + mode);
}

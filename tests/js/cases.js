/* Shared by the Node tests: the Python side's table of cases (tests/js/py_cases.py), computed
   now by the Python of this tree, and the page module under test. */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const STATIC = path.join(ROOT, "helpers", "interactive", "static");

function python() {
  if (process.env.PYTHON) return process.env.PYTHON;
  const venv = path.join(ROOT, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

function pyCases(group) {
  const env = Object.assign({}, process.env, { PYTHONPATH: ROOT });
  const out = execFileSync(python(), [path.join(__dirname, "py_cases.py"), group],
                           { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

function pageModule(name) {
  return require(path.join(STATIC, name));
}

module.exports = { pyCases, pageModule, ROOT };

/* ESLint's flat config for the book's own JavaScript, run from the repository root by
   `npm run lint` (site/package.json, which names the folders linted): `make test` runs it
   (tests/test_lint_js.py), and so do `make lint` and pre-commit. The file patterns are
   relative to the repository root, the base path when a config is given with --config.
   eslint's recommended rules, plus a few that catch slips in hand-written code. */
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

const rules = {
  ...js.configs.recommended.rules,
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
  eqeqeq: ["error", "always", { null: "ignore" }],
  "no-implicit-globals": "error",
  "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
};

module.exports = [
  {
    // The page scripts: plain browser scripts, each wrapped in a function. The CommonJS guard
    // at their end (`typeof module === "object" && module.exports`) lets Node's tests
    // require() them, so `module` and `require` are known names too.
    files: ["helpers/interactive/static/*.js", "site/static/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, module: "readonly", require: "readonly" },
    },
    rules,
  },
  {
    // explorer.js is written one statement per line; keep it so.
    files: ["helpers/interactive/static/explorer.js"],
    rules: { "max-statements-per-line": ["error", { max: 1 }] },
  },
  {
    // Node's: the tests of its built-in runner (tests/js/README.md), the benchmarks' Node
    // script and this file, CommonJS modules.
    files: ["tests/js/**/*.js", "benchmarks/*.js", "site/eslint.config.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "commonjs",
      globals: { ...globals.node },
    },
    rules,
  },
];

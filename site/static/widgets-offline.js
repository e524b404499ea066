/* Loaded between the shipped require.js and @jupyter-widgets/html-manager's embed-amd.js on
 * pages with saved widget state (see site/offline.py).
 * 1. embed-amd.js finds its fonts next to the require.js URL of its modules
 *    (@jupyter-widgets/base, .../controls, ...): map those module paths to the shipped copy,
 *    else the FontAwesome fonts are fetched relative to the page and 404.
 * 2. @jupyter-widgets/base typesets labels with the MathJax 2 API (MathJax.Hub.Queue); the
 *    site runs MathJax 3, which has no Hub: bridge the one call the widgets make.
 */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (window.requirejs && here) {
    var dir = new URL("vendor/html-manager", here).href;
    window.requirejs.config({
      paths: {"@jupyter-widgets": dir, "@jupyter-widgets/html-manager/dist": dir}
    });
  }
  function bridge() {
    var M = window.MathJax;
    if (!M || !M.version || M.Hub) return;  // MathJax 3 not loaded (yet), or already bridged
    M.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (cmd) {
          if (Array.isArray(cmd) && cmd[0] === "Typeset" && cmd[2] && M.typesetPromise) {
            M.typesetPromise([cmd[2]]).catch(function (e) { console.warn("MathJax:", e); });
          }
        });
      }
    };
  }
  bridge();
  document.addEventListener("DOMContentLoaded", bridge);
  window.addEventListener("load", bridge);
})();

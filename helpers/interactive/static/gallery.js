/* Kernel-free image menus (helpers/interactive/gallery.py): choosing an option swaps in an
   image Python precomputed, with its alt text, its caption and (the filter gallery) the
   kernel's weights. Nothing is computed here. */
(function (root, factory) {
  var node = typeof module === "object" && module.exports;
  var api = factory(node ? require("./book.js") : root.cnnBook);
  if (node) module.exports = api;
})(typeof self !== "undefined" ? self : this, function (book) {
  "use strict";

  function mountImages(root, D) {
    var select = root.querySelector("select"), img = root.querySelector("img");
    var text = root.querySelector(".text"), detail = root.querySelector(".detail");
    function show() {
      var e = D.entries[select.selectedIndex];
      img.src = e.src;
      img.alt = e.alt;
      text.textContent = e.text;
      if (detail && e.html !== undefined) detail.innerHTML = e.html;
    }
    select.addEventListener("change", show);
    show();
  }

  if (typeof document !== "undefined") book.define("images", mountImages);
  return {};
});

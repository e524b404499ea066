/* Kernel-free image menus (helpers/interactive/gallery.py): choosing an option swaps in an
   image Python precomputed, with its alt text, its caption and (the filter gallery) the
   kernel's weights. Nothing is computed here. */
(function (book) {
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
  var api = {};
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof module === "object" && module.exports ? require("./book.js") : self.cnnBook);

/* The colour-mode switch (pydata-sphinx-theme's button) keeps the keyboard focus when it is
 * pressed. sphinx-book-theme blurs the button on every click, so that its tooltip goes away
 * after a mouse click; a keyboard user who pressed Enter or Space on it lost the focus with
 * it, and the next Tab started again from the top of the page. A click the keyboard made
 * (Enter or Space on a button: `detail` 0) gives the focus back; a mouse click stays blurred.
 * Loaded on every page by site/offline.py. */
(function () {
  "use strict";

  const SWITCH = ".theme-switch-button";

  function keepFocus(event) {
    if (event.detail === 0) event.currentTarget.focus();
  }

  function init() {
    document.querySelectorAll(SWITCH).forEach((button) => button.addEventListener("click", keepFocus));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

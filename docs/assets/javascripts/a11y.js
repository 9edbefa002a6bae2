// Accessibility fixes for Material for MkDocs' markup (written for this project; checked by
// tests/test_a11y.py). Both concern elements Material's JavaScript creates, so no template
// override can reach them.
// 1. Material wraps each table in a div.md-typeset__scrollwrap; a table wider than the screen
//    scrolls inside it, and a region that scrolls must be reachable with the keyboard (axe
//    scrollable-region-focusable, WCAG 2.1.1). Only wraps that really scroll get a tab stop,
//    so narrow tables add none; checked again when the window is resized.
// 2. Each code block gets a <nav class="md-code__nav"> holding its copy button: one unnamed
//    navigation landmark per code block, so a screen reader's landmark list is a row of
//    identical "navigation" entries (axe landmark-unique). They are not navigation: the
//    button stays, the landmark goes (role="none").
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  // document$ is Material's page stream (each page load); it wraps tables in its own
  // subscriber, registered before this file runs.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(mark, 0); });
  } else {
    window.addEventListener("load", mark);
  }
  window.addEventListener("resize", mark);
})();

/* Printing: the 打印 button calls the browser's own print, and the page's address is handed to
   print.css (custom property --kb-print-source) so the first printed page carries one line saying
   where the paper came from. Everything else about the paper is CSS (@media print), so Ctrl+P and
   the button give the same result. */
(function () {
  "use strict";

  // A CSS string literal: backslash, quote and line breaks escaped.
  function cssString(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ") + '"';
  }

  function markSource() {
    var url = location.href.split("#")[0];
    document.documentElement.style.setProperty("--kb-print-source", cssString("本页网址：" + url));
  }

  // Delegated, so it keeps working if Material's instant navigation swaps the page content.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });

  markSource();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markSource);
  }
  window.addEventListener("beforeprint", markSource);
})();

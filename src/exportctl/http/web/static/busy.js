// Feedback for the live parts (htmx requests): the element that asked is aria-busy while its request is in
// flight, so assistive technology waits for the new content and app.css shows a "Checking…" indicator.
// htmx counts overlapping requests with its request class; an element stays busy until the last one ends.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.elt.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.classList.contains("htmx-request")) {
      elt.removeAttribute("aria-busy");
    }
  });
})();

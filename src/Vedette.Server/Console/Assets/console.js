// Keyboard navigation for the console: j/k move between rows, Enter opens the focused one (the browser's own link
// behaviour), a acknowledges the incident on its page. Keys typed into form fields are left alone.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" || target.isContentEditable)) { return; }
    if (event.key === "j" || event.key === "k") {
      var links = Array.prototype.slice.call(document.querySelectorAll("a[data-nav]"));
      if (links.length === 0) { return; }
      var index = links.indexOf(document.activeElement);
      index = event.key === "j" ? Math.min(index + 1, links.length - 1) : Math.max(index - 1, 0);
      links[index].focus();
      event.preventDefault();
    } else if (event.key === "a") {
      var acknowledge = document.getElementById("acknowledge");
      if (acknowledge) { acknowledge.click(); event.preventDefault(); }
    }
  });
}());

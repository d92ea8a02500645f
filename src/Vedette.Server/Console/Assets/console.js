// Keyboard use of the console. Queue: j/k move between incidents, Enter opens the focused one (the browser's own link
// behaviour), x ticks it for a bulk action, a acknowledges the ticked ones (or the focused one), / jumps to search.
// Incident and alert pages: a acknowledges. Keys typed into form fields are left alone. Without script every action
// is still a plain form.
(function () {
  "use strict";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("a[data-nav]")); }

  function focusedRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("tr") : null;
  }

  function ticked() { return document.querySelectorAll("input.select:checked"); }

  function updateCount() {
    var count = document.getElementById("selected-count");
    if (!count) { return; }
    var n = ticked().length;
    count.textContent = n === 0 ? "Tick incidents (x), then:" : n + " selected:";
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("select")) { updateCount(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" || target.isContentEditable)) { return; }
    var row;
    if (event.key === "j" || event.key === "k") {
      var links = rows();
      if (links.length === 0) { return; }
      row = focusedRow();
      var index = row ? links.indexOf(row.querySelector("a[data-nav]")) : -1;
      index = event.key === "j" ? Math.min(index + 1, links.length - 1) : Math.max(index - 1, 0);
      links[index].focus();
      event.preventDefault();
    } else if (event.key === "x") {
      row = focusedRow();
      var box = row ? row.querySelector("input.select") : null;
      if (box) { box.checked = !box.checked; updateCount(); event.preventDefault(); }
    } else if (event.key === "a") {
      var single = document.getElementById("acknowledge");
      if (single) { single.click(); event.preventDefault(); return; }
      var bulk = document.getElementById("bulk-acknowledge");
      if (!bulk) { return; }
      if (ticked().length === 0) {
        row = focusedRow();
        var own = row ? row.querySelector("input.select") : null;
        if (!own) { return; }
        own.checked = true;
      }
      bulk.click();
      event.preventDefault();
    } else if (event.key === "/") {
      var search = document.getElementById("q");
      if (search) { search.focus(); event.preventDefault(); }
    }
  });
}());

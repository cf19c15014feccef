// The verifier's queue: "select all on this page" without loading the page again, and a count of
// the ticked deeds. Without JavaScript the same link loads the page with every box ticked (or none).
(function () {
  "use strict";
  var form = document.querySelector("form[data-bulk-verify]");
  if (!form) return;
  var toggle = form.querySelector("[data-select-all]");
  var count = form.querySelector("[data-picked-count]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=deeds]"));

  function ticked() {
    return boxes.filter(function (box) { return box.checked; }).length;
  }

  function refresh() {
    var n = ticked();
    var all = boxes.length > 0 && n === boxes.length;
    toggle.textContent = all ? toggle.dataset.labelClear : toggle.dataset.labelSelect;
    count.querySelector("strong").textContent = String(n);
    count.hidden = false;
  }

  function flip(event) {
    event.preventDefault();
    var all = ticked() === boxes.length;
    boxes.forEach(function (box) { box.checked = !all; });
    refresh();
  }

  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", flip);
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") flip(event);
  });
  form.addEventListener("change", refresh);
  // The browser may bring back earlier ticks (the back button): count what is really ticked.
  window.addEventListener("pageshow", refresh);
  refresh();
})();

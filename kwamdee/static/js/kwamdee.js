// The site's only always-loaded script, small and optional: every page works without it.
// It marks the page as scripted (so the phone menu can fold), opens and closes that menu, and
// moves the focus to a form's error summary so that a screen reader reads the errors first.
(function () {
  "use strict";
  document.documentElement.className += " js";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-menu-toggle]");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        nav.classList.toggle("collapsed", open);
      });
    }
    // A select whose choices depend on another's (province → district → subdistrict) is emptied,
    // back to its first "choose" option, when the one it depends on changes.
    document.querySelectorAll("select[data-clears]").forEach(function (parent) {
      parent.addEventListener("change", function () {
        var child = document.querySelector(parent.getAttribute("data-clears"));
        if (!child) return;
        while (child.options.length > 1) child.remove(1);
        child.selectedIndex = 0;
      });
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();

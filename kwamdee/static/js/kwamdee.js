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
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();

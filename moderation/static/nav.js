// The moderator pages' navigation folds into « Menu » on a narrow screen.
// Without this script it simply stays unfolded.
(function () {
  "use strict";
  var menu = document.querySelector(".mod-menu");
  if (!menu || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fit() { menu.open = !narrow.matches; }
  fit();
  narrow.addEventListener("change", fit);
}());

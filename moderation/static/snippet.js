/* /embed: a copy button for the filled-in code (the page works without it). */
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var line = button.parentNode, status = line.querySelector("[data-copied]");
  if (!navigator.clipboard) { return; }
  line.hidden = false;
  button.addEventListener("click", function () {
    var code = document.getElementById(button.getAttribute("data-copy")).textContent;
    navigator.clipboard.writeText(code).then(function () {
      status.textContent = status.getAttribute("data-copied");
    });
  });
});

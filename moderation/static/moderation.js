// Keyboard shortcuts for the moderation queue. The page works without this
// file: every key only presses a button that is already there.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".queue .item"));
  var help = document.getElementById("shortcuts");
  var current = -1;

  function focus(index) {
    if (!items.length) { return; }
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) { item.classList.toggle("current", i === current); });
    items[current].focus();
  }

  function press(key) {
    var scope = key === "u" ? document : items[current];
    if (!scope) { return; }
    var button = scope.querySelector('button[data-key="' + key + '"]');
    if (button) { button.click(); }
  }

  items.forEach(function (item, i) {
    item.addEventListener("focusin", function () { current = i; });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    // Typing in a field or a list (the filters, the language chooser) is not a shortcut.
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT") && target.type !== "checkbox") { return; }
    switch (event.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "a": case "s": case "r": press(event.key); break;
      case "u": press("u"); break;
      case "?": if (help) { help.hidden = !help.hidden; } break;
      default: return;
    }
    event.preventDefault();
  });

  if (items.length) { focus(0); }
}());

// The moderation queue's flow: keyboard shortcuts, decisions in one request
// that keep the moderator's place, undo, selection, the help dialog.
// The page works without this file: every form posts as a plain form.
(function () {
  "use strict";
  var form = document.getElementById("queue-form");
  if (!form) { return; }
  var list = form.querySelector(".queue");
  var help = document.getElementById("shortcuts");
  var announce = document.querySelector(".announce");
  var undoForm = document.getElementById("undo-form");
  var search = document.getElementById("queue-search");
  var pickAll = document.getElementById("pick-all");
  var picked = document.getElementById("picked");
  var pickedText = document.getElementById("picked-text");
  var undoText = document.getElementById("undo-text");
  var tab = form.dataset.status;
  var site = form.dataset.site;
  var current = null;
  var removed = [];  // what this page took out, newest last: undo puts it back

  function items() {
    return Array.prototype.filter.call(list ? list.children : [], function (item) {
      return !item.hidden && !item.classList.contains("filtered");
    });
  }

  function focus(item) {
    if (current) { current.classList.remove("current"); }
    current = item || null;
    if (!current) { return; }
    current.classList.add("current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest" });
  }

  function step(delta) {
    var all = items();
    if (!all.length) { return; }
    var index = all.indexOf(current);
    focus(all[Math.max(0, Math.min(all.length - 1, index < 0 ? 0 : index + delta))]);
  }

  function say(message, errors, withUndo) {
    if (!announce) { return; }
    announce.textContent = "";
    var line = document.createElement("p");
    line.className = "flash flash-done";
    line.textContent = message;
    if (withUndo) {
      var link = document.createElement("a");
      link.href = "#undo";
      link.className = "undo-link";
      link.setAttribute("role", "button");
      link.textContent = undoText.dataset.label;
      link.addEventListener("click", function (event) { event.preventDefault(); undo(); });
      line.appendChild(document.createTextNode(" "));
      line.appendChild(link);
    }
    if (message) { announce.appendChild(line); }
    (errors || []).forEach(function (text) {
      var error = document.createElement("p");
      error.className = "flash flash-error";
      error.textContent = text;
      announce.appendChild(error);
    });
  }

  function count(status, delta) {
    var badge = document.querySelector('.tabs [data-tab="' + status + '"] .count');
    if (badge) { badge.textContent = String(Math.max(0, Number(badge.textContent) + delta)); }
  }

  function updatePicked() {
    var boxes = form.querySelectorAll(".item:not([hidden]) .pick input");
    var n = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
    if (picked) {
      var text = n < 2 ? pickedText.dataset.one : pickedText.dataset.many;
      picked.textContent = text.replace(/\d+/, String(n));
    }
    if (pickAll) {
      pickAll.checked = n > 0 && n === boxes.length;
      pickAll.indeterminate = n > 0 && n < boxes.length;
    }
  }

  function settled() {
    updatePicked();
    var empty = form.querySelector(".empty");
    if (empty) { empty.hidden = items().length > 0; }
  }

  // Take the cards out at once and move on; put them back if the server refuses.
  function decide(targets, decision, bulk) {
    var all = items();
    if (!targets.length) { return; }
    var after = all[all.indexOf(targets[targets.length - 1]) + 1] ||
      all.filter(function (item) { return targets.indexOf(item) < 0; }).pop();
    var data = new FormData();
    data.append("csrf_token", form.querySelector('[name="csrf_token"]').value);
    ["status", "site", "sort", "thread"].forEach(function (name) {
      var field = form.querySelector('input[type="hidden"][name="' + name + '"]');
      if (field) { data.append(name, field.value); }
    });
    data.append("position", String(all.indexOf(targets[0])));
    targets.forEach(function (item) {
      data.append("expected-" + item.dataset.id, item.dataset.status);
      if (bulk) { data.append("ids", item.dataset.id); }
      item.hidden = true;
    });
    if (bulk) { data.append("bulk", decision); } else { data.append("action", targets[0].dataset.id + ":" + decision); }
    focus(after);
    settled();
    send(form.getAttribute("action"), data).then(function (reply) {
      var done = reply.done || [];
      var kept = [];
      targets.forEach(function (item) {
        if (done.indexOf(item.dataset.id) >= 0) {
          // Kept hidden in its place, so that undo shows it exactly there again.
          item.querySelector(".pick input").checked = false;
          item.classList.add("decided");
          kept.push(item);
        } else {
          item.hidden = false;  // a conflict: show it again, the message says why
        }
      });
      if (kept.length) {
        var target = { approve: "approved", spam: "spam", reject: "rejected", review: "review" }[decision];
        removed.push({ items: kept });
        count(tab, -kept.length);
        count(target, kept.length);
        if (undoForm) { undoForm.hidden = false; }
      }
      say(reply.message || "", reply.errors, kept.length > 0);
      settled();
      if (!items().length && document.querySelector('a[rel="next"]')) { window.location.reload(); }
    }, function () {
      targets.forEach(function (item) { item.hidden = false; });
      say("", [undoText.dataset.failed], false);
      settled();
    });
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.status >= 500) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  function undo() {
    if (!undoForm) { return; }
    send(undoForm.getAttribute("action"), new FormData(undoForm)).then(function (reply) {
      if (reply.error) { say("", [reply.error.message], false); return; }
      var last = removed[removed.length - 1];
      var ours = last && reply.tab === tab && reply.site === site &&
        last.items.some(function (item) { return reply.restored.indexOf(item.dataset.id) >= 0; });
      if (!ours) { window.location.assign(reply.url); return; }
      removed.pop();
      var placed = last.items.filter(function (item) {
        return reply.restored.indexOf(item.dataset.id) >= 0;
      });
      placed.forEach(function (item) { item.classList.remove("decided"); item.hidden = false; });
      count(tab, placed.length);
      if (undoForm) { undoForm.hidden = reply.undo === 0; }
      say(reply.message, reply.errors, false);
      settled();
      focus(placed[0]);
    }, function () { say("", [undoText.dataset.failed], false); });
  }

  function openHelp() {
    if (!help || help.open) { return; }
    help.showModal();
    var close = help.querySelector(".close");
    if (close) { close.focus(); }
  }

  // The dialog is modal (the page behind is inert); Tab stays inside it.
  if (help) {
    help.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") { return; }
      var inside = help.querySelectorAll("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])");
      if (!inside.length) { return; }
      var first = inside[0];
      var last = inside[inside.length - 1];
      if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
      else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    });
    help.addEventListener("close", function () { if (current) { current.focus({ preventScroll: true }); } });
  }

  var opener = document.querySelector(".help-open");
  if (opener) {
    opener.hidden = false;
    opener.addEventListener("click", openHelp);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit]");
    // Decisions go as JSON; other buttons (formaction: reports, closing) post the form.
    if (!button || (button.name !== "action" && button.name !== "bulk")) { return; }
    event.preventDefault();
    if (button.name === "action") {
      decide([button.closest(".item")], button.value.split(":")[1], false);
    } else if (button.name === "bulk") {
      decide(selected(), button.value, true);
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target === pickAll) {
      form.querySelectorAll(".item:not([hidden]) .pick input").forEach(function (box) {
        box.checked = pickAll.checked;
      });
    }
    updatePicked();
  });

  if (undoForm) {
    undoForm.addEventListener("submit", function (event) { event.preventDefault(); undo(); });
  }

  if (search) {
    search.closest("label").hidden = false;
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase();
      Array.prototype.forEach.call(list ? list.children : [], function (item) {
        item.classList.toggle("filtered", words !== "" && item.textContent.toLowerCase().indexOf(words) < 0);
      });
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Enter") { event.preventDefault(); search.blur(); step(0); }
    });
  }

  function selected() {
    return items().filter(function (item) { return item.querySelector(".pick input").checked; });
  }

  if (list) {
    list.addEventListener("focusin", function (event) {
      var item = event.target.closest(".item");
      if (item && item !== current) {
        if (current) { current.classList.remove("current"); }
        current = item;
        item.classList.add("current");
      }
    });
  }

  function key(item, name) {
    return item && item.querySelector('button[data-key="' + name + '"]');
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || (help && help.open)) { return; }
    // Typing in a field or a list (the filters, the language chooser) is not a shortcut.
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT") && target.type !== "checkbox") { return; }
    var name = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (event.shiftKey && "asr".indexOf(name) >= 0 && name.length === 1) {
      var decision = { a: "approve", s: "spam", r: "reject" }[name];
      if (form.querySelector('.bulk button[value="' + decision + '"]')) { decide(selected(), decision, true); }
    } else {
      switch (event.key) {
        case "j": step(1); break;
        case "k": step(-1); break;
        case "a": case "s": case "r":
          if (key(current, event.key)) { decide([current], key(current, event.key).value.split(":")[1], false); }
          break;
        case "x":
          if (current) {
            var box = current.querySelector(".pick input");
            box.checked = !box.checked;
            updatePicked();
          }
          break;
        case "u": undo(); break;
        case "/": if (search) { search.focus(); } break;
        case "o": var panel = current && current.querySelector(".author-panel-link"); if (panel) { panel.click(); } break;
        case "?": openHelp(); break;
        default: return;
      }
    }
    event.preventDefault();
  });

  // New comments: poll the queue's state (304 while nothing changed) and
  // offer them in a banner; a click inserts them at the end of the list.
  var banner = document.getElementById("live-banner");
  var etag = "";

  function newestId() {
    var ids = Array.prototype.map.call(form.querySelectorAll(".item"), function (item) {
      return item.dataset.id;
    }).sort();
    return ids.length ? ids[ids.length - 1] : "";
  }

  function showState(state) {
    Object.keys(state.counts).forEach(function (status) {
      var badge = document.querySelector('.tabs [data-tab="' + status + '"] .count');
      if (badge) { badge.textContent = String(state.counts[status]); }
    });
    Object.keys(state.sites).forEach(function (name) {
      var option = document.querySelector('select[name="site"] option[value="' + name + '"]');
      if (option) { option.textContent = option.textContent.replace(/\(\d+\)$/, "(" + state.sites[name] + ")"); }
    });
    if (banner) {
      banner.hidden = state["new"] < 1;
      var text = state["new"] < 2 ? banner.dataset.one : banner.dataset.many;
      banner.textContent = text.replace(/\d+/, String(state["new"]));
    }
  }

  function pollState() {
    if (document.visibilityState !== "visible") { return; }
    var headers = { Accept: "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(form.dataset.state + "&after=" + encodeURIComponent(newestId()),
          { headers: headers, credentials: "same-origin" }).then(function (response) {
      if (response.status !== 200) { return null; }
      etag = response.headers.get("ETag") || "";
      return response.json();
    }).then(function (state) { if (state) { showState(state); } }, function () {});
  }

  function insertNew() {
    if (!list) { window.location.reload(); return; }
    fetch(form.dataset.more + "&cursor=" + encodeURIComponent(newestId()),
          { credentials: "same-origin" }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      page.querySelectorAll(".queue .item").forEach(function (item) {
        if (!document.getElementById(item.id)) { list.appendChild(document.importNode(item, true)); }
      });
      banner.hidden = true;
      etag = "";
      settled();
      if (!current) { focus(items()[0]); }
    });
  }

  if (banner && Number(form.dataset.poll) > 0) {
    banner.addEventListener("click", insertNew);
    window.setInterval(pollState, Number(form.dataset.poll) * 1000);
  }

  var wanted = form.dataset.focus && document.getElementById("item-" + form.dataset.focus);
  focus(wanted || items()[0]);
  settled();
}());

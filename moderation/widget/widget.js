/* Comment widget: <script src=".../embed.js" data-thread="slug" data-lang="fr" data-title="…" async>
   (or data-url="https://…/page/" instead of data-thread: the page's address
   where its comments were imported from).
   Renders into an open shadow root on #comments (or data-target); comment text
   only ever goes into text nodes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  // {"fr": {...}, "en": {...}}, from the gettext catalogs (moderation/web/widget.py).
  var T = "__STRINGS__";
  var thread = script.getAttribute("data-thread") || "";
  var pageUrl = script.getAttribute("data-url") || "";
  var title = script.getAttribute("data-title") || "";
  var lang = (script.getAttribute("data-lang") || document.documentElement.lang || "").slice(0, 2).toLowerCase();
  if (!T.hasOwnProperty(lang)) { lang = "fr"; }
  var t = T[lang];
  var base = new URL(script.src).origin + "/api/v1";
  var host = document.getElementById(script.getAttribute("data-target") || "comments");
  if (!host || !(thread || pageUrl)) { return; }
  // Named once the thread is known (data-url asks the server first); keysKey
  // holds the edit keys of this browser's comments (the server keeps hashes).
  var draftKey, mineKey, keysKey, meKey = "comments:me";
  var root = host.shadowRoot || host.attachShadow({ mode: "open" });
  root.textContent = "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) { parent.appendChild(arguments[i]); }
    return parent;
  }
  function put(parent, child) { parent.appendChild(child); return child; }
  // Accept-Language is CORS-safelisted (no preflight): the server's error
  // messages and question come back in the widget's language.
  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "Accept-Language": lang }, options.headers);
    return fetch(base + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }
  function store(key, value) {
    try { if (value == null) { localStorage.removeItem(key); } else { localStorage.setItem(key, JSON.stringify(value)); } } catch (e) { /* private mode */ }
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  add(root, el("style", {}, "__CSS__"));
  var box = put(root, el("section", { "class": "w", lang: lang, "aria-label": t.title }));
  add(box, el("h2", {}, t.title));
  var live = put(box, el("p", { "class": "live", role: "status", "aria-live": "polite" }));
  var list = put(box, el("ol", { "class": "list" }));
  var mine = put(box, el("div", { "class": "mine" }));
  // The live region says both news and refusals: a refusal looks like one.
  function say(message, bad) { live.textContent = message; live.className = bad ? "live bad" : "live"; }

  // « il y a 3 h »: the largest unit that fits, as the page says it (i18n.relative_datetime).
  var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
    ["hour", 3600], ["minute", 60], ["second", 1]];
  function ago(iso) {
    var s = Math.max((Date.now() - Date.parse(iso)) / 1000, 1), i = 0;
    while (i < units.length - 1 && s < units[i][1]) { i++; }
    return new Intl.RelativeTimeFormat(lang, { style: "short" }).format(-Math.max(1, Math.round(s / units[i][1])), units[i][0]);
  }
  function comment(c, own) {
    var li = el("li", { "class": own ? "c own" : "c" });
    var who = el("p", { "class": "meta" });
    if (c.url && /^https?:\/\//i.test(c.url)) {
      add(who, el("a", { href: c.url, rel: "nofollow ugc noopener", target: "_blank" }, c.author));
    } else { add(who, el("strong", {}, c.author)); }
    if (c.created_at) {
      var full = new Date(c.created_at).toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
      add(who, document.createTextNode(" · "), el("time", { datetime: c.created_at, title: full }, ago(c.created_at)));
    }
    var body = el("div", { "class": "body" });
    String(c.body || "").split(/\n{2,}/).forEach(function (para) {
      var p = el("p");
      para.split(/(https?:\/\/[^\s<>"']+)/).forEach(function (part, i) {
        if (i % 2) { add(p, el("a", { href: part, rel: "nofollow ugc noopener", target: "_blank" }, part)); }
        else { add(p, document.createTextNode(part)); }
      });
      add(body, p);
    });
    add(li, who, body);
    if (c.id) { ownTools(c, li); }
    if (c.id && !own) {
      var button = put(li, el("button", { type: "button", "class": "reply report", "aria-expanded": "false" }, t.report));
      button.addEventListener("click", function () { reportForm(c, li, button); });
    }
    return li;
  }

  function editKey(id) {
    var k = (load(keysKey) || {})[id];
    return k && Date.parse(k.until) > Date.now() ? k.key : null;
  }
  function keepKey(id, key, until) {
    var keys = load(keysKey) || {}, now = Date.now();
    Object.keys(keys).forEach(function (k) { if (!(Date.parse(keys[k].until) > now)) { delete keys[k]; } });
    if (key) { keys[id] = { key: key, until: until }; } else { delete keys[id]; }
    store(keysKey, keys);
  }
  function changed(message) { say(message); showMine(); refresh(); }
  // The author's « Edit » and « Delete », while the edit window is open.
  function ownTools(c, li) {
    var key = editKey(c.id);
    if (!key) { return; }
    var tools = put(li, el("p", { "class": "tools" }));
    var edit = put(tools, el("button", { type: "button", "class": "reply" }, t.edit));
    var del = put(tools, el("button", { type: "button", "class": "reply" }, t["delete"]));
    edit.addEventListener("click", function () { editForm(c, li, key, tools); });
    del.addEventListener("click", function () {
      api("/comments/" + encodeURIComponent(c.id), { method: "DELETE", headers: { "X-Edit-Key": key } }).then(function (r) {
        if (r.status !== 200) { say((r.body.error && r.body.error.message) || t.down, true); return; }
        keepKey(c.id, null);
        if ((load(mineKey) || {}).id === c.id) { store(mineKey, null); }
        changed(t.deleted);
      }, function () { say(t.down, true); });
    });
  }
  function editForm(c, li, key, tools) {
    tools.hidden = true;
    var f = put(li, el("form", { "class": "rf", novalidate: "" })), id = "w-e-" + c.id;
    var area = el("textarea", { id: id, rows: "4", maxlength: "5000" });
    area.value = c.body || "";
    var note = el("p", { "class": "err", role: "status" });
    var cancel = el("button", { type: "button", "class": "reply" }, t.cancel);
    add(f, el("label", { "for": id }, t.body), area, note, el("button", { type: "submit" }, t.save), document.createTextNode(" "), cancel);
    cancel.addEventListener("click", function () { f.remove(); tools.hidden = false; });
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      api("/comments/" + encodeURIComponent(c.id), {
        method: "PATCH", headers: { "Content-Type": "application/json", "X-Edit-Key": key },
        body: JSON.stringify({ body: area.value })
      }).then(function (r) {
        if (r.status !== 200) { note.textContent = (r.body.error && r.body.error.message) || t.down; return; }
        // Waiting again either way: shown as this browser's own comment until published.
        store(mineKey, { id: c.id, author: c.author, url: c.url, body: area.value });
        changed(t.edited);
      }, function () { note.textContent = t.down; });
    });
    area.focus();
  }

  // « Report »: reasons and details under the comment, sent to the API once.
  var reasons = ["spam", "abuse", "off_topic", "other"];
  function reportForm(c, li, button) {
    var open = li.querySelector(":scope > form.rf");
    if (open) { open.remove(); button.setAttribute("aria-expanded", "false"); return; }
    button.setAttribute("aria-expanded", "true");
    var f = put(li, el("form", { "class": "rf", novalidate: "" }));
    var set = put(f, el("fieldset"));
    add(set, el("legend", {}, t.why));
    reasons.forEach(function (reason, i) {
      var id = "w-r-" + c.id + "-" + reason, label = el("label", { "for": id, "class": "choice" });
      var radio = el("input", { type: "radio", name: "reason", value: reason, id: id });
      if (!i) { radio.checked = true; }
      add(set, add(label, radio, document.createTextNode(" " + t[reason])));
    });
    var tid = "w-r-" + c.id + "-text";
    var text = el("textarea", { id: tid, rows: "2", maxlength: "500" });
    var note = el("p", { "class": "err", role: "status" });
    add(f, el("label", { "for": tid }, t.details), text, note, el("button", { type: "submit" }, t.send_report));
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = f.querySelector("input[name=reason]:checked").value;
      api("/comments/" + encodeURIComponent(c.id) + "/reports", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ reason: reason, text: text.value })
      }).then(function (r) {
        if (r.status === 202) {
          f.remove(); button.remove();
          add(li, el("p", { "class": "note", role: "status" }, t.reported));
          return;
        }
        note.textContent = (r.body.error && r.body.error.message) || t.down;
      }, function () { note.textContent = t.down; });
    });
    f.querySelector("input").focus();
  }

  function failed() {
    // An unregistered origin gets no CORS grant, so the browser hides the
    // answer; this one endpoint says whether that is the reason.
    return api("/origin").then(function (r) {
      say(r.body && r.body.allowed === false ? t.forbidden : t.down, true);
    }, function () { say(t.down, true); }).then(function () { return false; });
  }

  // Replies (one level deep) go under their comment; one whose comment is no
  // longer published stands on its own.
  // The list may be kept a few seconds by caches (Cache-Control); "fresh"
  // asks the browser to revalidate, when the reader knows it has changed.
  function refresh(fresh) {
    var path = "/threads/" + encodeURIComponent(thread) + "/comments";
    return api(path, fresh ? { cache: "no-cache" } : {}).then(function (r) {
      if (list.contains(form)) { replyTo(null); }  // the form is not cleared with the list
      list.textContent = "";
      if (r.status !== 200) { say(r.status === 403 ? t.forbidden : t.down, true); return false; }
      var items = {};
      r.body.comments.forEach(function (c) {
        var parent = c.parent && items[c.parent];
        if (parent) {
          add(parent.replies || (parent.replies = put(parent.li, el("ol", { "class": "list replies" }))), comment(c));
          return;
        }
        var li = put(list, comment(c));
        if (!r.body.closed) {
          var button = put(li, el("button", { type: "button", "class": "reply" }, t.reply));
          button.addEventListener("click", function () { replyTo(c, li); });
        }
        items[c.id] = { li: li };
      });
      if (!r.body.comments.length) { add(list, el("li", { "class": "none" }, t.none)); }
      if (r.body.closed) { closeThread(); }
      return true;
    }, failed);
  }

  function showMine() {
    var own = load(mineKey);
    mine.textContent = "";
    if (!own) { return; }
    api("/comments/" + encodeURIComponent(own.id)).then(function (r) {
      var status = r.body && r.body.status;
      if (status === "approved") { store(mineKey, null); say(t.published); refresh(true); return; }
      if (status === "rejected" || status === "spam" || r.status === 404) { store(mineKey, null); return; }
      add(mine, el("p", { "class": "note" }, t.yours), add(el("ol", { "class": "list" }), comment(own, true)));
    });
  }

  // A closed thread shows its comments and this note instead of the form.
  var closedNote = put(box, el("p", { "class": "closed", hidden: "" }, t.closed));
  var closed = false;
  function closeThread() {
    closed = true; form.hidden = true; closedNote.hidden = false; replyTo(null);
    Array.prototype.forEach.call(list.querySelectorAll("button.reply:not(.report)"), function (b) { b.remove(); });
  }

  var form = el("form", { "class": "f", novalidate: "" });
  var fields = {};
  function field(name, label, type, extra) {
    var id = "w-" + name, wrap = el("div", { "class": "fl" });
    var input = el(type === "textarea" ? "textarea" : "input", Object.assign({ id: id, name: name }, extra || {}));
    if (type !== "textarea") { input.type = type; }
    var error = el("p", { "class": "err", id: id + "-err" });
    input.setAttribute("aria-describedby", id + "-err");
    fields[name] = { input: input, error: error, label: el("label", { "for": id }, label) };
    return add(wrap, fields[name].label, input, error);
  }
  add(form, el("h3", {}, t.form),
    field("author", t.name, "text", { autocomplete: "name", maxlength: "80" }),
    field("email", t.email, "email", { autocomplete: "email" }),
    field("url", t.url, "url", { autocomplete: "url" }),
    field("body", t.body, "textarea", { rows: "5", maxlength: "5000" }),
    field("answer", "…", "text", { inputmode: "numeric", autocomplete: "off" }));
  var replying = el("p", { "class": "to", hidden: "" });
  var parentId = null;
  // A reply's form opens under the comment it answers; back at the foot after.
  function replyTo(c, li) {
    parentId = c ? c.id : null;
    replying.textContent = "";
    replying.hidden = !c;
    add(c ? li : box, form);
    if (!c) { return; }
    var cancel = el("button", { type: "button", "class": "reply" }, t.cancel);
    cancel.addEventListener("click", function () { replyTo(null); fields.body.input.focus(); });
    add(replying, document.createTextNode(t.to.replace("%(author)s", function () { return c.author; }) + " "), cancel);
    fields.body.input.focus();
  }
  form.insertBefore(replying, form.children[1]);
  var hint = el("p", { "class": "hint" }, t.answer);
  // E-mail me replies: the server asks the address to confirm first (double opt-in).
  var notify = el("input", { type: "checkbox", id: "w-notify", name: "notify" });
  var send = el("button", { type: "submit" }, t.send);
  var remember = el("input", { type: "checkbox", id: "w-remember" });
  add(form, add(el("p", { "class": "remember" }), remember, document.createTextNode(" "), el("label", { "for": "w-remember" }, t.remember)), hint, add(el("div", { "class": "fl ck" }), notify, el("label", { "for": "w-notify" }, t.notify)), send);
  add(box, form);
  var token = null;

  function question(message) {
    // Where the widget runs and under what title: the page without JavaScript links back.
    var here = "&page=" + encodeURIComponent(pageUrl || location.href.split("#")[0]) + (title ? "&title=" + encodeURIComponent(title) : "");
    return api("/challenge?thread=" + encodeURIComponent(thread) + here).then(function (r) {
      if (r.status === 403 && r.body.error && r.body.error.code === "thread_closed") { closeThread(); return; }
      if (r.status !== 200) {  // say why (too many wrong answers, the service down)
        fields.answer.label.textContent = "—";
        fields.answer.error.textContent = (r.body.error && r.body.error.message) || t.down;
        return;
      }
      token = r.body.token;
      fields.answer.label.textContent = r.body.question;
      fields.answer.input.value = "";
      if (message) { fields.answer.error.textContent = message; }
    });
  }

  // The text being written is kept as a draft; name, e-mail and website only
  // with « Remember me » ticked (in "comments:me", for every thread).
  var draft = {}, me = load(meKey);
  function restoreDraft() {
    draftKey = "comments:draft:" + thread; mineKey = "comments:mine:" + thread; keysKey = "comments:keys:" + thread;
    draft = load(draftKey) || {};
    fields.body.input.value = draft.body || "";
  }
  fields.body.input.addEventListener("input", function () { store(draftKey, { body: fields.body.input.value }); });
  ["author", "email", "url"].forEach(function (name) { fields[name].input.value = (me || {})[name] || ""; });
  remember.checked = !!me;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    Object.keys(fields).forEach(function (k) { fields[k].error.textContent = ""; fields[k].input.removeAttribute("aria-invalid"); });
    say("");
    send.disabled = true; send.textContent = t.sending;
    var payload = { author: fields.author.input.value, email: fields.email.input.value,
      url: fields.url.input.value, body: fields.body.input.value,
      captcha: { token: token, answer: fields.answer.input.value }, notify: notify.checked, lang: lang };
    if (parentId) { payload.parent = parentId; }
    api("/threads/" + encodeURIComponent(thread) + "/comments", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
    }).then(function (r) {
      send.disabled = false; send.textContent = t.send;
      if (r.status === 202) {
        store(mineKey, { id: r.body.id, author: payload.author, url: payload.url, body: payload.body });
        keepKey(r.body.id, r.body.edit_key, r.body.edit_until);
        store(draftKey, null);
        store(meKey, remember.checked ? { author: payload.author, email: payload.email, url: payload.url } : null);
        fields.body.input.value = "";
        replyTo(null);
        say(t.pending + (notify.checked ? " " + t.confirm : ""));
        notify.checked = false;
        live.setAttribute("tabindex", "-1"); live.focus();
        showMine(); question();
        return;
      }
      var error = (r.body && r.body.error) || {};
      if (error.code === "thread_closed") { closeThread(); say(error.message, true); return; }
      var name = (error.field || "").indexOf("captcha") === 0 ? "answer" : error.field;
      var target = fields[name];
      if (target) {
        target.error.textContent = error.message || t.down;
        target.input.setAttribute("aria-invalid", "true");
      } else { say(error.message || t.down, true); }
      // The server's CAPTCHA messages already ask for the new question.
      if (r.status === 403 && name === "answer") { question(error.message); }
      (target ? target.input : live).focus();
    }, function () {
      send.disabled = false; send.textContent = t.send; say(t.down, true);
    });
  });

  // data-url: ask which thread the page's imported comments are in.
  var found = thread ? Promise.resolve(true) : api("/threads?url=" + encodeURIComponent(pageUrl)).then(function (r) {
    if (r.status === 200 && r.body.thread) { thread = r.body.thread; return true; }
    say(r.status === 404 ? t.unknown : r.status === 403 ? t.forbidden : t.down, true);
    return false;
  }, function () { say(t.down, true); return false; });
  found.then(function (known) {
    if (!known) { form.hidden = true; return; }
    restoreDraft();
    refresh().then(function (ok) {
      if (!ok) { form.hidden = true; return; }
      if (!closed) { question(); }
      showMine();
    });
  });
}());

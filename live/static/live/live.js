/* Live page: asks <page>/updates/?after=<id> for new updates and offers them behind a
   "N new updates" button, so nothing moves under the reader. No framework; see docs/live.md. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-poll]");
  if (!root || !window.fetch || !("content" in document.createElement("template"))) return;

  var BASE = parseInt(root.getAttribute("data-live-interval"), 10) || 15000;
  var MAX = 300000, SLOW = 4000;
  var endpoint = root.getAttribute("data-live-poll");
  var latest = parseInt(root.getAttribute("data-live-latest"), 10) || 0;
  var list = root.querySelector(".live-updates");
  var notice = root.querySelector(".live-notice");
  var delay = BASE, timer = null, inFlight = false, stopped = false, pending = [];

  var button = document.createElement("button");
  button.type = "button";
  button.className = "live-new";
  button.hidden = true;
  notice.appendChild(button);
  root.classList.add("is-polling");

  function present(id) {
    return document.getElementById("update-" + id) !== null;
  }

  // The page's own words (data-live-text-*, in its language); English if they are missing.
  function text(name, fallback) {
    return root.getAttribute("data-live-text-" + name) || fallback;
  }

  function plural(n) {
    var lang = document.documentElement.lang || "en";
    try {
      return new Intl.PluralRules(lang).select(n);
    } catch (e) {
      return n === 1 ? "one" : "other";
    }
  }

  function say() {
    var n = pending.length;
    button.hidden = n === 0;
    var form = root.getAttribute("data-live-text-" + plural(n)) || text("other", "");
    button.textContent = form
      ? form.replace("{n}", n)
      : n === 1 ? "Show 1 new update" : "Show " + n + " new updates";
  }

  function schedule(ms) {
    clearTimeout(timer);
    if (stopped || document.hidden) return;
    timer = setTimeout(poll, ms * (0.9 + Math.random() * 0.2));
  }

  function withdraw(ids) {
    ids.forEach(function (id) {
      pending = pending.filter(function (u) { return u.id !== id; });
      var el = document.getElementById("update-" + id);
      var body = el && el.querySelector(".live-update-body");
      if (body) {
        var p = document.createElement("p");
        p.className = "live-withdrawn";
        p.textContent = text("withdrawn", "This update was withdrawn.");
        body.replaceWith(p);
      }
    });
  }

  function received(data) {
    withdraw(data.withdrawn || []);
    (data.updates || []).slice().reverse().forEach(function (u) {
      var known = pending.some(function (p) { return p.id === u.id; });
      if (!known && !present(u.id)) pending.unshift(u);
    });
    latest = Math.max(latest, data.latest || 0);
    say();
    if (data.status === "ended") {
      stopped = true;
      var ended = document.createElement("p");
      ended.textContent = text(
        "ended", "This live coverage has ended. Reload the page for the closing note."
      );
      notice.appendChild(ended);
    }
  }

  function poll() {
    if (inFlight || stopped) return;
    inFlight = true;
    var started = Date.now();
    fetch(endpoint + "?after=" + latest, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { latest = 0; return null; } // that update is gone
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (data) received(data);
        delay = Date.now() - started > SLOW ? Math.min(delay * 2, MAX) : BASE;
      })
      .catch(function () { delay = Math.min(delay * 2, MAX); })
      .then(function () { inFlight = false; schedule(delay); });
  }

  button.addEventListener("click", function () {
    var prev = null; // pending is newest first: each one goes after the one before
    var empty = list.querySelector(".empty-state");
    if (empty) empty.remove();
    pending.forEach(function (u) {
      if (present(u.id)) return;
      var t = document.createElement("template");
      t.innerHTML = u.html.trim();
      var el = t.content.firstElementChild;
      if (prev) { prev.after(el); } else { list.prepend(el); }
      prev = el;
    });
    var top = list.firstElementChild;
    pending = [];
    say();
    if (top) top.focus();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(timer); } else { poll(); }
  });
  schedule(delay);
})();

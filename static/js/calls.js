/* MineGap calls: local times, countdowns, character counters, autosave safety net.
   No inline scripts (CSP): everything hooks onto data- attributes. */
(function () {
  "use strict";

  function formatLocal(iso) {
    var date = new Date(iso);
    if (isNaN(date)) { return ""; }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }) + " (" + zone + ")";
  }

  function showLocalTimes(root) {
    root.querySelectorAll("[data-local-time]").forEach(function (el) {
      var text = formatLocal(el.getAttribute("data-local-time"));
      if (text) { el.textContent = "· " + text; }
    });
  }

  function countdown(el) {
    var end = new Date(el.getAttribute("datetime"));
    function tick() {
      var left = Math.floor((end - new Date()) / 1000);
      if (left <= 0) { el.textContent = el.getAttribute("data-closed-text") || "closed"; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
      var m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (d ? d + " d " : "") + h + " h " + m + " min " + s + " s";
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function counters(root) {
    root.querySelectorAll("textarea[data-limit]").forEach(function (area) {
      var out = document.getElementById(area.id + "-count");
      if (!out) { return; }
      var limit = parseInt(area.getAttribute("data-limit"), 10);
      function update() {
        var n = area.value.length;
        out.textContent = n + " / " + limit;
        out.classList.toggle("bad", n > limit);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  /* Keep a copy of every answer in localStorage until the server confirms it: a dropped
     connection or an expired session never loses what was typed. */
  function backups(root) {
    root.querySelectorAll("textarea[data-backup-key]").forEach(function (area) {
      var key = "minegap:" + area.getAttribute("data-backup-key");
      var saved = window.localStorage.getItem(key);
      var serverStamp = area.getAttribute("data-saved-at") || "";
      if (saved) {
        try {
          var copy = JSON.parse(saved);
          var newer = !serverStamp || new Date(copy.at) > new Date(serverStamp);
          if (copy.text === area.value) {
            window.localStorage.removeItem(key);
          } else if (newer) {
            area.value = copy.text;
            /* Let htmx finish wiring the page, then send the restored text to the server. */
            window.setTimeout(function () {
              area.dispatchEvent(new Event("input", { bubbles: true }));
            }, 50);
          }
        } catch (e) { window.localStorage.removeItem(key); }
      }
      area.addEventListener("input", function () {
        window.localStorage.setItem(key, JSON.stringify({ text: area.value, at: new Date().toISOString() }));
      });
    });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var area = event.detail.elt;
    if (!area || !area.getAttribute || !area.getAttribute("data-backup-key")) { return; }
    if (event.detail.successful) {
      window.localStorage.removeItem("minegap:" + area.getAttribute("data-backup-key"));
    } else {
      var out = document.getElementById(area.id + "-saved");
      if (out) { out.textContent = out.getAttribute("data-offline-text") || "Not saved yet"; }
    }
  });

  function sessionWarning() {
    var el = document.querySelector("[data-session-expires]");
    if (!el) { return; }
    var seconds = parseInt(el.getAttribute("data-session-expires"), 10);
    var warnAt = Math.max(seconds - 300, 0) * 1000;
    window.setTimeout(function () { el.hidden = false; }, warnAt);
  }

  function init() {
    showLocalTimes(document);
    document.querySelectorAll("time[data-countdown]").forEach(countdown);
    counters(document);
    backups(document);
    sessionWarning();
  }

  /* After htmx (loaded first, also deferred) has processed the page on DOMContentLoaded. */
  if (document.readyState === "complete") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();

/* MineGap shared behaviour, loaded with `defer` by base.html (the CSP forbids inline scripts).
   Every page works without it; it only adds conveniences:
   - HTMX requests carry the CSRF token read from <meta name="csrf-token">;
   - `data-confirm="Question?"` on a form (or on a submit button / link) asks before going on;
   - `data-autosubmit` on a <select> submits its form on change (language switcher);
   - a session-expiry warning when <body data-session-expires-in="seconds"> is set;
   - the role menu stays on one line when it fits, else it folds into the "Menu" disclosure
     (several roles at once, longer labels in another language). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // HTMX: send the CSRF token on every request htmx makes.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // Confirmation before irreversible steps, for plain forms and links (htmx has hx-confirm).
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var question =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest("a[data-confirm]");
      if (link && !window.confirm(link.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    },
    true
  );

  // Auto-submit (e.g. the language switcher): the submit button stays for people without JS.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  // Session-expiry warning: shown two minutes before the server forgets the session.
  function armSessionWarning() {
    var seconds = parseInt(document.body.getAttribute("data-session-expires-in") || "", 10);
    var box = document.getElementById("session-warning");
    if (!box || !seconds || seconds <= 0) {
      return;
    }
    var lead = Math.min(120, Math.floor(seconds / 2));
    var delay = (seconds - lead) * 1000;
    // setTimeout cannot wait longer than about 24.8 days.
    if (delay > 2147483647) {
      return;
    }
    window.setTimeout(function () {
      box.hidden = false;
      box.focus();
    }, delay);
  }

  // Close the small-screen menu after a link in it is followed or Escape is pressed.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var menu = document.querySelector("details.nav-narrow[open]");
      if (menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    }
  });

  // The inline menu never wraps; when its links are wider than the header, they fold under the
  // Menu toggle (class nav-collapsed on the header), at any width. On a phone CSS folds them.
  function fitNavigation() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".nav-narrow");
    if (!toggle) {
      return;
    }
    header.classList.remove("nav-collapsed");
    if (window.getComputedStyle(toggle).display !== "none") {
      return;
    }
    var row = header.querySelector(".container");
    if (row.scrollWidth > row.clientWidth) {
      header.classList.add("nav-collapsed");
    }
  }

  function start() {
    armSessionWarning();
    fitNavigation();
    window.addEventListener("resize", fitNavigation);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

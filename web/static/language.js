// Language suggestions as you type (issue 7). Without this script the same
// suggestions show after saving; with it they show beside the box a moment
// after typing stops, and saving goes straight on. Nothing here ever stops
// a form being sent.
(function () {
  "use strict";
  var off = false;

  function keyOf(area) {
    var action = area.form.getAttribute("action") || location.pathname;
    return new URL(action, location.href).pathname + "#" + area.name;
  }

  function seenInput(form) {
    var seen = form.querySelector('input[name="suggestions_seen"]');
    if (!seen) {
      seen = document.createElement("input");
      seen.type = "hidden";
      seen.name = "suggestions_seen";
      form.appendChild(seen);
    }
    return seen;
  }

  function boxFor(area) {
    var id = area.id + "-suggestions";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "suggestions-live";
      var status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      box.appendChild(status);
      var body = document.createElement("div");
      box.appendChild(body);
      area.insertAdjacentElement("afterend", box);
    }
    return box;
  }

  function show(area, html) {
    var box = boxFor(area);
    var status = box.firstChild, body = box.lastChild;
    body.innerHTML = html;
    var n = body.querySelectorAll(".suggestion").length;
    var said = n === 0 ? "" : n === 1 ? "1 suggestion about words, after the box." : n + " suggestions about words, after the box.";
    if (status.textContent !== said) status.textContent = said;
    body.querySelectorAll("button[data-dismiss]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var item = btn.closest(".suggestion");
        var data = new URLSearchParams();
        data.set("entry", item.getAttribute("data-entry"));
        data.set("key", keyOf(area));
        data.set("scope", btn.getAttribute("data-dismiss"));
        fetch("/language/dismiss", { method: "POST", body: data, headers: { "X-Requested-With": "alongside" }, credentials: "same-origin" })
          .then(function (res) {
            if (!res.ok) return;
            item.remove();
            if (!body.querySelector(".suggestion")) { body.innerHTML = ""; status.textContent = ""; }
            area.focus();
          })
          .catch(function () {});
      });
    });
  }

  function check(area) {
    if (off) return;
    var seen = seenInput(area.form);
    var data = new URLSearchParams();
    data.set("text", area.value);
    data.set("key", keyOf(area));
    data.set("before", area.defaultValue);
    fetch("/language/check", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (res) {
        if (res.headers.get("X-Suggestions") === "off") { off = true; return; }
        if (res.status === 204) { show(area, ""); seen.value = "1"; return; }
        if (!res.ok) return;
        return res.text().then(function (html) { show(area, html); seen.value = "1"; });
      })
      .catch(function () {});
  }

  document.querySelectorAll("form textarea[data-suggest]").forEach(function (area) {
    var timer = null;
    area.addEventListener("input", function () {
      seenInput(area.form).value = "";
      clearTimeout(timer);
      timer = setTimeout(function () { check(area); }, 400); // a pause, not every key; shown well within a second
    });
  });
})();

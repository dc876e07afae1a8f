// Keyboard triage of the claims list: j/k move, o or Enter opens, x selects, a assigns to me,
// d dismisses (type the reason, then Enter), r checks again, / searches. The shortcuts are listed
// on the page; they do nothing while the focus is in a form field.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  if (!table) { return; }
  var form = document.getElementById("bulk-form");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-row]"));
  var action = document.getElementById("bulk-action");
  var reason = document.getElementById("bulk-reason");
  var counter = document.getElementById("selected-count");
  var KEY = "claimtrack-queue-row";
  var current = -1;

  function box(row) { return row.querySelector('input[type="checkbox"][name="ids"]'); }
  function selected() { return rows.filter(function (row) { var b = box(row); return b && b.checked; }); }
  function count() { if (counter) { counter.textContent = String(selected().length); } }

  function go(index) {
    if (!rows.length) { return; }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) { rows[current].classList.remove("current"); rows[current].removeAttribute("aria-current"); }
    current = index;
    var row = rows[current];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    row.querySelector("a.claim-link").focus();
    try { window.sessionStorage.setItem(KEY, row.getAttribute("data-row") + ":" + current); } catch (e) { /* private mode */ }
  }

  function act(name) {
    if (!form || !action || current < 0) { return; }
    if (!selected().length) {
      var b = box(rows[current]);
      if (!b) { return; }
      b.checked = true;
      count();
    }
    action.value = name;
    if (name === "dismiss") { reason.focus(); return; }
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    switch (event.key) {
      case "j": case "ArrowDown": go(current + 1); break;
      case "k": case "ArrowUp": go(current - 1); break;
      case "o": if (current >= 0) { rows[current].querySelector("a.claim-link").click(); } break;
      case "x": if (current >= 0 && box(rows[current])) { var b = box(rows[current]); b.checked = !b.checked; count(); } break;
      case "a": act("assign_self"); break;
      case "d": act("dismiss"); break;
      case "r": act("requeue"); break;
      case "/": document.getElementById("filter-q").focus(); break;
      default: return;
    }
    event.preventDefault();
  });

  table.addEventListener("change", count);
  table.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-row]");
    if (row) { var i = rows.indexOf(row); if (i !== current) { if (current >= 0) { rows[current].classList.remove("current"); } current = i; row.classList.add("current"); } }
  });

  // Back from an action (POST, redirect, GET): return to the same claim, or the same place.
  var saved = null;
  try { saved = window.sessionStorage.getItem(KEY); } catch (e) { saved = null; }
  if (saved) {
    var parts = saved.split(":");
    var found = rows.findIndex(function (row) { return row.getAttribute("data-row") === parts[0]; });
    go(found >= 0 ? found : Math.min(parseInt(parts[1], 10) || 0, rows.length - 1));
  }
  count();
}());

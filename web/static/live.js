// Keeps the status cells of the claims list current: polls /claims/status.json every 3 s.
(function () {
  "use strict";
  var INTERVAL = 3000;
  var table = document.querySelector("table[data-status-url]");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-status-url");
  var cells = Array.prototype.slice.call(table.querySelectorAll("td[data-claim-id]"));
  var announcer = document.getElementById("live-status");
  if (!cells.length) { return; }
  var ids = cells.map(function (cell) { return cell.getAttribute("data-claim-id"); }).join(",");

  function label(status) { return status.replace(/_/g, " "); }

  function update(statuses) {
    var changed = 0;
    cells.forEach(function (cell) {
      var status = statuses[cell.getAttribute("data-claim-id")];
      if (!status || status === cell.getAttribute("data-claim-status")) { return; }
      cell.setAttribute("data-claim-status", status);
      var badge = document.createElement("span");
      badge.className = "status status-" + status;
      badge.textContent = label(status);
      cell.replaceChildren(badge);
      changed += 1;
    });
    if (changed && announcer) {
      announcer.textContent = changed + (changed === 1 ? " claim changed" : " claims changed") + " status.";
    }
  }

  var stopped = false;

  function poll() {
    if (document.hidden) { window.setTimeout(poll, INTERVAL); return; }
    fetch(url + "?ids=" + encodeURIComponent(ids), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) {
        // Signed out meanwhile: stop asking; the next page load goes to the sign-in page.
        if (response.status === 401) { stopped = true; }
        return response.ok ? response.json() : null;
      })
      .then(function (statuses) { if (statuses) { update(statuses); } })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { if (!stopped) { window.setTimeout(poll, INTERVAL); } });
  }

  window.setTimeout(poll, INTERVAL);
}());

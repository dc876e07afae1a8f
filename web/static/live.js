// Live status without a reload. On the claims list and a claim's page: polls
// /claims/status.json every 3 s and updates the status badges. On a document's page: polls its
// progress while checks run, and reloads the page once they are all done.
(function () {
  "use strict";
  var INTERVAL = 3000;
  if (!window.fetch) { return; }
  var announcer = document.getElementById("live-status");

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        // Signed out meanwhile: stop asking; the next page load goes to the sign-in page.
        if (response.status === 401) { throw new Error("signed out"); }
        return response.ok ? response.json() : null;
      });
  }

  function every(task) {
    var stopped = false;
    function tick() {
      if (document.hidden) { window.setTimeout(tick, INTERVAL); return; }
      task()
        .catch(function (error) { if (error && error.message === "signed out") { stopped = true; } })
        .then(function (again) { if (!stopped && again !== false) { window.setTimeout(tick, INTERVAL); } });
    }
    window.setTimeout(tick, INTERVAL);
  }

  var cells = Array.prototype.slice.call(document.querySelectorAll("[data-claim-id][data-claim-status]"));
  var table = document.querySelector("[data-status-url]");
  var statusUrl = table ? table.getAttribute("data-status-url") : "/claims/status.json";
  if (cells.length) {
    var ids = cells.map(function (cell) { return cell.getAttribute("data-claim-id"); }).join(",");
    every(function () {
      return getJSON(statusUrl + "?ids=" + encodeURIComponent(ids)).then(function (statuses) {
        if (!statuses) { return; }
        var changed = 0;
        cells.forEach(function (cell) {
          var status = statuses[cell.getAttribute("data-claim-id")];
          if (!status || status === cell.getAttribute("data-claim-status")) { return; }
          cell.setAttribute("data-claim-status", status);
          var badge = document.createElement("span");
          badge.className = "status status-" + status;
          badge.textContent = status.replace(/_/g, " ");
          cell.replaceChildren(badge);
          changed += 1;
        });
        if (changed && announcer) {
          announcer.textContent = changed + (changed === 1 ? " claim changed" : " claims changed") + " status.";
        }
      });
    });
  }

  var box = document.querySelector("[data-progress-url]");
  if (box && box.getAttribute("data-pending") !== "0") {
    var bar = box.querySelector("progress");
    var text = document.getElementById("progress-text");
    every(function () {
      return getJSON(box.getAttribute("data-progress-url")).then(function (progress) {
        if (!progress) { return; }
        bar.max = progress.total || 1;
        bar.value = progress.done;
        if (text) { text.textContent = progress.done + " / " + progress.total; }
        Object.keys(progress.counts).forEach(function (status) {
          var count = document.querySelector('[data-count="' + status + '"]');
          if (count) { count.textContent = progress.counts[status]; }
        });
        if (!progress.pending) { window.location.reload(); return false; }
      });
    });
  }
}());

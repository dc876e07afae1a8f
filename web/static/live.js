// Live status without a reload. On the claims list and a claim's page: polls
// /claims/status.json every 3 s and updates the status badges, and on the list the counts per
// status above it (the bar's data-counts-url, under the list's filters); a claim's page opened
// while its check ran reloads once the check is done (unless a form on it has been typed in), to
// show the evidence. On a document's page: polls its progress while checks run, and reloads the
// page once they are all done. On the documents list: polls the progress of each document whose
// checks run and updates its counts by status. Words come from the page, in its language.
(function () {
  "use strict";
  var INTERVAL = 3000;
  if (!window.fetch) { return; }
  var announcer = document.getElementById("live-status");
  var script = document.querySelector("script[data-status-labels]");
  var labels = script ? JSON.parse(script.getAttribute("data-status-labels")) : {};
  var ACTIVE = ["queued", "checking"];
  var typed = false;
  document.addEventListener("input", function () { typed = true; });

  function label(status) { return labels[status] || status.replace(/_/g, " "); }

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

  function changedNote(count) {
    // The page gives the note in its language, with "{count}" for the number.
    var name = count === 1 ? "data-changed-one" : "data-changed-other";
    var template = announcer && announcer.getAttribute(name);
    if (!template) { return count + (count === 1 ? " claim changed" : " claims changed") + " status."; }
    return template.replace("{count}", String(count));
  }

  // The counts per status above the queue, refreshed with its badges.
  var countsBar = document.querySelector("[data-counts-url]");
  function refreshCounts() {
    if (!countsBar) { return Promise.resolve(); }
    return getJSON(countsBar.getAttribute("data-counts-url")).then(function (answer) {
      if (!answer) { return; }
      Object.keys(answer.counts).forEach(function (status) {
        var count = countsBar.querySelector('[data-count="' + status + '"]');
        if (count) { count.textContent = answer.counts[status]; }
      });
      var all = countsBar.querySelector('[data-count="all"]');
      if (all) { all.textContent = answer.total; }
    });
  }

  var cells = Array.prototype.slice.call(document.querySelectorAll("[data-claim-id][data-claim-status]"));
  var table = document.querySelector("[data-status-url]");
  var statusUrl = table ? table.getAttribute("data-status-url") : "/claims/status.json";
  if (!cells.length && countsBar) {
    every(refreshCounts);  // an empty page of the queue: its counts still move
  }
  if (cells.length) {
    var ids = cells.map(function (cell) { return cell.getAttribute("data-claim-id"); }).join(",");
    every(function () {
      return Promise.all([
        getJSON(statusUrl + "?ids=" + encodeURIComponent(ids)),
        refreshCounts()
      ]).then(function (answers) {
        var statuses = answers[0];
        if (!statuses) { return; }
        var changed = 0;
        var checked = false;
        cells.forEach(function (cell) {
          var status = statuses[cell.getAttribute("data-claim-id")];
          if (!status || status === cell.getAttribute("data-claim-status")) { return; }
          cell.setAttribute("data-claim-status", status);
          var badge = document.createElement("span");
          badge.className = "status status-" + status;
          badge.textContent = label(status);
          cell.replaceChildren(badge);
          changed += 1;
          if (cell.hasAttribute("data-reload-when-checked") && ACTIVE.indexOf(status) < 0) {
            cell.removeAttribute("data-reload-when-checked");
            checked = true;
          }
        });
        if (checked && !typed) { window.location.reload(); return false; }
        if (announcer && announcer.hasAttribute("data-checked")) {
          // A claim's page: the new badge says it; the note only asks for the reload not done.
          if (checked) { announcer.textContent = announcer.getAttribute("data-checked"); }
        } else if (changed && announcer) {
          announcer.textContent = changedNote(changed);
        }
      });
    });
  }

  // The documents list: one row per document, polled while its checks run.
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-progress-url]"))
    .filter(function (row) { return row.getAttribute("data-pending") !== "0"; });
  if (rows.length) {
    every(function () {
      return Promise.all(rows.map(function (row) {
        return getJSON(row.getAttribute("data-progress-url")).then(function (progress) {
          if (!progress) { return; }
          var list = row.querySelector(".status-counts");
          var base = row.getAttribute("data-queue-url");
          var items = Object.keys(progress.counts).filter(function (s) { return progress.counts[s]; })
            .map(function (status) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.className = "status status-" + status;
              link.href = base + (base.indexOf("?") < 0 ? "?" : "&") + "status=" + encodeURIComponent(status);
              link.textContent = label(status) + " " + progress.counts[status];
              item.appendChild(link);
              return item;
            });
          if (list) { list.replaceChildren.apply(list, items); }
          var total = row.querySelector("[data-total] a");
          if (total) { total.textContent = progress.total; }
          row.setAttribute("data-pending", String(progress.pending));
        });
      })).then(function () {
        rows = rows.filter(function (row) { return row.getAttribute("data-pending") !== "0"; });
        return rows.length > 0;
      });
    });
  }

  // A document's page (the documents list's rows carry data-progress-url too, polled above).
  var box = document.querySelector(".progress-box[data-progress-url]");
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

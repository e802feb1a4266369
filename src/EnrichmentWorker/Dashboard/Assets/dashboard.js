// EnrichmentWorker dashboard: live numbers, two small SVG charts, confirmations. No framework, no inline script
// (the CSP allows only this file). Every change request sends the antiforgery token in the X-CSRF-TOKEN header.
(function () {
  "use strict";
  var body = document.body;
  var base = body.getAttribute("data-base") || "/dashboard";
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var SVG = "http://www.w3.org/2000/svg";

  // Ask before destructive or wide actions (buttons carry data-confirm).
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { e.preventDefault(); }
  });

  // "Select all on this page".
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
    });
  }

  function text(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }
  function number(n) { return Math.round(n).toLocaleString("en-US"); }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return "unknown"; }
    if (seconds < 1) { return "now"; }
    if (seconds < 90) { return Math.round(seconds) + " s"; }
    if (seconds < 5400) { return Math.round(seconds / 60) + " min"; }
    if (seconds < 172800) { return (seconds / 3600).toFixed(1) + " h"; }
    return (seconds / 86400).toFixed(1) + " days";
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  // A bar chart of [{label, values:[..]}] stacked in the given colours, with a y scale and a few x labels.
  function bars(svg, points, colours, labelEvery) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var w = 600, h = 180, left = 36, bottom = 20, top = 8;
    var max = 1;
    points.forEach(function (p) { var sum = p.values.reduce(function (a, b) { return a + b; }, 0); if (sum > max) { max = sum; } });
    var scale = (h - bottom - top) / max;
    el("line", { x1: left, y1: h - bottom, x2: w, y2: h - bottom, "class": "axis" }, svg);
    [0, 0.5, 1].forEach(function (f) {
      var y = h - bottom - f * max * scale;
      el("line", { x1: left, y1: y, x2: w, y2: y, "class": "axis", "stroke-dasharray": "2 3" }, svg);
      el("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, svg).textContent = number(f * max);
    });
    var slot = (w - left) / Math.max(points.length, 1);
    points.forEach(function (p, i) {
      var y = h - bottom;
      p.values.forEach(function (v, k) {
        if (v <= 0) { return; }
        var height = v * scale;
        y -= height;
        var rect = el("rect", { x: left + i * slot + slot * 0.15, y: y, width: Math.max(slot * 0.7, 1), height: height, rx: 1.5, fill: colours[k] }, svg);
        el("title", {}, rect).textContent = p.label + ": " + v;
      });
      if (i % labelEvery === 0) {
        el("text", { x: left + i * slot + slot / 2, y: h - 5, "text-anchor": "middle" }, svg).textContent = p.short;
      }
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The last hour, one slot per minute, zeros included so the chart moves steadily.
  function drawThroughput(points, now) {
    var svg = document.getElementById("throughput-chart");
    if (!svg) { return; }
    var byMinute = {};
    points.forEach(function (p) { byMinute[Math.floor(Date.parse(p.at) / 60000)] = p; });
    var end = Math.floor(Date.parse(now) / 60000), series = [];
    for (var m = end - 59; m <= end; m++) {
      var p = byMinute[m] || { succeeded: 0, failed: 0 };
      var d = new Date(m * 60000);
      series.push({ label: pad(d.getHours()) + ":" + pad(d.getMinutes()), short: pad(d.getHours()) + ":" + pad(d.getMinutes()), values: [p.succeeded, p.failed] });
    }
    bars(svg, series, ["#2f9e44", "#d9480f"], 10);
  }

  var history = null, historyMode = "hourly";
  function drawHistory() {
    var svg = document.getElementById("history-chart");
    if (!svg || !history) { return; }
    var hourly = historyMode === "hourly", unit = hourly ? 3600000 : 86400000, count = hourly ? 48 : 30;
    var byBucket = {};
    (hourly ? history.hourly : history.daily).forEach(function (p) { byBucket[Math.floor(Date.parse(p.at) / unit)] = p.finished; });
    var end = Math.floor(Date.now() / unit), series = [];
    for (var b = end - count + 1; b <= end; b++) {
      var d = new Date(b * unit);
      var label = hourly ? (d.getMonth() + 1) + "/" + d.getDate() + " " + pad(d.getHours()) + ":00" : d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
      series.push({ label: label, short: hourly ? pad(d.getHours()) + "h" : pad(d.getMonth() + 1) + "/" + pad(d.getDate()), values: [byBucket[b] || 0] });
    }
    bars(svg, series, ["#3b5bdb"], hourly ? 6 : 5);
    text("history-caption", hourly ? "finished jobs per hour, last 48 hours" : "finished jobs per day, last 30 days");
  }

  document.querySelectorAll("[data-history]").forEach(function (button) {
    button.addEventListener("click", function () {
      historyMode = button.getAttribute("data-history");
      document.querySelectorAll("[data-history]").forEach(function (b) { b.classList.toggle("active", b === button); });
      drawHistory();
    });
  });

  function showQueue(queue) {
    var state = document.getElementById("queue-state");
    if (!state) { return; }
    state.textContent = queue.paused ? "Paused" : "Running";
    state.className = "pill " + (queue.paused ? "bad" : "ok");
    text("queue-reason", queue.paused ? (queue.reason || "No reason given.") : "Workers claim jobs as the budget allows.");
    var toggle = document.getElementById("queue-toggle");
    if (toggle) {
      toggle.textContent = queue.paused ? "Resume queue" : "Pause queue";
      toggle.className = "btn" + (queue.paused ? " primary" : "");
      toggle.form.querySelector('input[name="action"]').value = queue.paused ? "resume" : "pause";
    }
  }

  function refresh() {
    fetch("/api/overview", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (o) {
        if (!o) { return; }
        o.counts.forEach(function (c) {
          var node = document.querySelector('[data-count="' + c.state + '"]');
          if (node) { node.textContent = (c.estimated ? "≈ " : "") + number(c.count); }
        });
        showQueue(o.queue);
        text("backlog-total", number(o.backlog.ready + o.backlog.scheduled));
        text("backlog-eta", o.backlog.etaSeconds === null ? "unknown" : o.backlog.etaSeconds === 0 ? "done" : "≈ " + duration(o.backlog.etaSeconds));
        text("backlog-basis", o.backlog.etaBasis);
        text("backlog-rate", o.backlog.measuredPerMinute.toFixed(1) + "/min");
        if (o.budget) {
          text("budget-used", o.budget.usedInWindow);
          text("budget-remaining", o.budget.remainingInWindow);
          var bar = document.getElementById("budget-bar");
          if (bar) { bar.value = o.budget.usedInWindow; }
        }
        text("updated-at", new Date(o.now).toLocaleTimeString());
        drawThroughput(o.throughput, o.now);
      })
      .catch(function () { /* the next poll tries again */ });
  }

  if (document.getElementById("throughput-chart")) {
    refresh();
    window.setInterval(refresh, 5000);
    fetch("/api/history", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (h) { history = h; drawHistory(); });
  }

  // Pause/resume through the JSON API with the header token; the plain form still works without script.
  var queueForm = document.querySelector("[data-queue-form]");
  if (queueForm) {
    queueForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var action = queueForm.querySelector('input[name="action"]').value;
      fetch("/api/queue", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": token },
        body: JSON.stringify({ action: action })
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (q) { if (q) { showQueue(q); } });
    });
  }
}());

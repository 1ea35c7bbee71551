// The ingest job page follows its job: it polls the job's JSON status route until the job is
// finished and redraws the progress and the per-document results. Everything is written with
// textContent, so file names, titles and reasons are never read as HTML.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var url = box.getAttribute("data-job-url");
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function cell(row, text, extra, extraClass) {
    var td = document.createElement("td");
    td.appendChild(document.createTextNode(text));
    if (extra) {
      td.appendChild(document.createElement("br"));
      var span = document.createElement("span");
      span.className = extraClass || "meta";
      span.textContent = extra;
      td.appendChild(span);
    }
    row.appendChild(td);
    return td;
  }
  function draw(job) {
    var status = field("status");
    status.textContent = job.status;
    status.className = "status status-" + job.status;
    field("step").textContent = job.finished ? "" : job.step;
    var progress = field("progress");
    progress.max = Math.max(job.sources, 1);
    progress.value = job.done_sources;
    field("done").textContent = job.done_sources + " of " + job.sources + " source(s) done";
    var c = job.counts;
    field("counts").textContent = "read " + c.read + " · skipped " + c.skipped + " · failed " + c.failed +
      " · " + c.evidence + " evidence sentence(s), " + c.patients + " patient(s)";
    var error = field("error");
    error.textContent = job.error || "";
    error.hidden = !job.error;
    var summary = field("summary");
    summary.textContent = job.summary || "";
    summary.hidden = !job.summary;
    var body = field("results");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    job.results.forEach(function (r) {
      var row = document.createElement("tr");
      row.className = "result-" + r.status;
      cell(row, r.source, r.title && r.title !== r.source ? r.title : "");
      var result = cell(row, "", r.reason || "");
      var badge = document.createElement("span");
      badge.className = "status status-" + r.status;
      badge.textContent = r.status + (r.stored ? " (" + r.stored + ")" : "");
      result.insertBefore(badge, result.firstChild);
      cell(row, String(r.sentences));
      cell(row, String(r.evidence));
      cell(row, r.concepts.join(", "));
      body.appendChild(row);
    });
    box.setAttribute("data-finished", job.finished ? "true" : "false");
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        draw(job);
        if (!job.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
})();

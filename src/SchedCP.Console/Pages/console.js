// The console's only script: refresh the live region when the server says something changed, and send lifecycle actions.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  var lastResult = "";
  var lastHtml = null;
  var inFlight = false;
  var again = false;

  // One refresh at a time; changes that arrive meanwhile are read by one more. The live region is replaced only when
  // its text differs, so an element the operator is about to click is not swapped for an identical copy by every event
  // (on a busy machine events come faster than a click lands).
  function refresh() {
    if (inFlight) { again = true; return Promise.resolve(); }
    inFlight = true;
    var url = new URL(window.location.href);
    url.searchParams.set("fragment", "1");
    return fetch(url.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (html !== lastHtml) {
          lastHtml = html;
          live.innerHTML = html;
        }
        var result = document.getElementById("action-result");
        if (result && result.textContent !== lastResult) { result.textContent = lastResult; }
      })
      .catch(function () { if (status) { status.textContent = "refresh failed"; } })
      .then(function () {
        inFlight = false;
        if (again) { again = false; return refresh(); }
      });
  }

  if (live && live.dataset.live === "1" && window.EventSource) {
    var source = new EventSource("/events");
    source.addEventListener("hello", function () { if (status) { status.textContent = "live"; } refresh(); });
    source.addEventListener("changed", function (e) { if (status) { status.textContent = "live · v" + e.data; } refresh(); });
    source.onerror = function () { if (status) { status.textContent = "reconnecting…"; } };
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (!button) { return; }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
    button.disabled = true;
    fetch(button.dataset.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-SchedCP-Console": "1", "Content-Type": "application/json" },
      body: JSON.stringify({ reason: "from the console page" })
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        lastResult = answer.ok ? answer.body.action + " " + answer.body.agent + ": queued" : answer.body.error;
        return refresh();
      })
      .catch(function () { lastResult = "the action failed"; return refresh(); });
  });
})();

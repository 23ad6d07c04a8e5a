/* "Already checked?": as the editor types a claim in the admin, list the fact checks of it
   (ours and other publishers'), from GET /api/v1/claims/similar/, and let the editor link one
   as the same claim or a related one. No inline code: the CSP allows only our own files.
   matching.admin.MatchingClaimAdmin renders the panel and its data-* attributes. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 400;
  var MIN_LENGTH = 12;

  function init() {
    var panel = document.getElementById("already-checked");
    if (!panel) return;
    // The review page: the claim's text is given, nothing is typed and nothing is linked here.
    var fixed = panel.dataset.text !== undefined;
    var text = fixed ? { value: panel.dataset.text } : document.getElementById("id_text");
    if (!text) return;
    var results = panel.querySelector(".already-checked-results");
    var status = panel.querySelector(".already-checked-status");
    var links = fixed ? null : panel.querySelector('input[name="' + panel.dataset.linksField + '"]');
    var timer = null;
    var asked = "";
    var pending = null;

    function csrfToken() {
      var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
      return input ? input.value : "";
    }

    function el(tag, className, content) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (content) node.textContent = content;
      return node;
    }

    function link(kind, id, button, row) {
      if (panel.dataset.relationsUrl) {
        button.disabled = true;
        fetch(panel.dataset.relationsUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
          body: JSON.stringify({ prior_check: id, kind: kind }),
        }).then(function (response) {
          button.disabled = false;
          var done = row.querySelector(".linked") || row.appendChild(el("span", "linked"));
          done.textContent = response.ok ? " Linked: " + (kind === "same" ? "same claim" : "related") :
            response.status === 409 ? " Linked already" : " Could not link (" + response.status + ")";
        });
      } else {
        // A new claim: the links are recorded when it is saved.
        var items = links.value ? links.value.split(",") : [];
        items = items.filter(function (item) { return item.split(":")[1] !== String(id); });
        items.push(kind + ":" + id);
        links.value = items.join(",");
        var note = row.querySelector(".linked") || row.appendChild(el("span", "linked"));
        note.textContent = " Will be linked (" + (kind === "same" ? "same claim" : "related") + ") when you save";
      }
    }

    function render(data) {
      results.textContent = "";
      if (!data.results.length) {
        status.textContent = "No fact check of this claim found.";
        return;
      }
      status.textContent = "Closest fact checks first:";
      data.results.forEach(function (result) {
        var row = el("li", "match");
        var item = result.prior_check || result.claim;
        var verdict = item.rating_label || (result.claim ? (result.claim.status || "no review") : "unrated");
        row.appendChild(el("span", "verdict verdict-" + (item.verdict || "other"), verdict));
        row.appendChild(document.createTextNode(" "));
        var a = el("a", "match-link", result.prior_check ? item.title || item.claim_text : item.short_text);
        a.href = result.prior_check ? item.url : "/admin/claims/claim/" + item.id + "/change/";
        if (result.prior_check) a.rel = "noopener";
        row.appendChild(a);
        var meta = (result.prior_check ? item.publisher.name : "Ours") + (item.date ? ", " + item.date : "") +
          " · " + Math.round(result.score * 100) + "% (" + result.reasons.join(", ") + ")";
        row.appendChild(el("span", "match-meta", " — " + meta));
        if (result.prior_check && !fixed) {
          [["same", "Same claim"], ["related", "Related"]].forEach(function (pair) {
            var button = el("button", "button match-" + pair[0], pair[1]);
            button.type = "button";
            button.addEventListener("click", function () { link(pair[0], item.id, button, row); });
            row.appendChild(button);
          });
        }
        results.appendChild(row);
      });
    }

    function ask() {
      var value = text.value.trim();
      if ((!fixed && value.length < MIN_LENGTH) || !value || value === asked) return;
      asked = value;
      var params = new URLSearchParams({ text: value, limit: "5" });
      var language = fixed ? { value: panel.dataset.language } : document.getElementById("id_language");
      if (language && language.value) params.set("language", language.value);
      if (panel.dataset.claimId) params.set("exclude", panel.dataset.claimId);
      if (pending) pending.abort();
      pending = new AbortController();
      status.textContent = "Looking for fact checks of this claim…";
      fetch(panel.dataset.similarUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal,
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(render).catch(function (error) {
        if (error.name !== "AbortError") status.textContent = "Matching is not available right now.";
      });
    }

    if (!fixed) {
      text.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DEBOUNCE_MS);
      });
    }
    if (text.value) ask();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

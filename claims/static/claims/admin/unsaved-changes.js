/* Workflow buttons never discard an edit: on a review's (or revision's) admin page, a workflow
   action taken while the edit form below has unsaved changes is stopped with a warning that
   says so, and the edit stays on the page to be saved ("Save and continue editing") first. */
(function () {
  "use strict";

  function snapshot(form) {
    var values = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        values.push(name + "=" + (typeof value === "string" ? value : value.name));
      }
    });
    return values.join("&");
  }

  function start() {
    var form = document.querySelector("form[id$='_form']");
    var panel = document.getElementById("workflow");
    if (!form || !panel) {
      return;
    }
    var saved = snapshot(form);
    var submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });

    function warn(event) {
      if (submitting || snapshot(form) === saved) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      var warning = document.getElementById("unsaved-warning");
      if (!warning) {
        warning = document.createElement("p");
        warning.id = "unsaved-warning";
        warning.className = "errornote";
        warning.setAttribute("role", "alert");
        warning.tabIndex = -1;
        warning.textContent =
          "You have unsaved changes on this page. Nothing was done: save them first " +
          "(\u201cSave and continue editing\u201d at the bottom of the form), or undo them, " +
          "then choose the action again.";
        panel.insertBefore(warning, panel.children[1] || null);
      }
      warning.scrollIntoView({ block: "center" });
      warning.focus();
    }

    panel.querySelectorAll("form.workflow-action").forEach(function (action) {
      action.addEventListener("submit", warn);
    });
    panel.querySelectorAll("a.button").forEach(function (link) {
      link.addEventListener("click", warn);
    });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    // After every widget (autocomplete, date pickers) has set itself up.
    window.addEventListener("load", start);
  }
})();

// The admin's autocomplete (Select2) draws its own combobox, named only by the
// selected text, so a new, empty contact row has no accessible name at all.
// Name each combobox by its column label as well as its selection. Select2 starts
// in a jQuery ready callback whose timing varies, and again for each added row,
// so watch the document for its widgets instead of guessing when they appear.
(function () {
  "use strict";

  function name(box) {
    var container = box.closest(".select2-container");
    var select = container && container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") {
      return;
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = select.id + "-label";
    }
    var ids = [label.id];
    var rendered = box.querySelector(".select2-selection__rendered");
    if (rendered) {
      // Select2 marks the selection text as a read-only textbox that has no name
      // while empty; it is only the combobox's visible value.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
      if (rendered.id) {
        ids.push(rendered.id);
      }
    }
    if (box.getAttribute("aria-labelledby") !== ids.join(" ")) {
      box.setAttribute("aria-labelledby", ids.join(" "));
    }
  }

  function nameAll() {
    document.querySelectorAll('.select2-selection[role="combobox"]').forEach(name);
  }

  new MutationObserver(nameAll).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nameAll);
})();

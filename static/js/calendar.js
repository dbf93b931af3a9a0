/* The calendar without this file is complete; this only adds a print button
   and, on narrow screens, scrolls the table to the current month. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var region = document.querySelector(".gantt-scroll");
  var current = region && region.querySelector("thead .is-current");
  var nameColumn = region && region.querySelector("thead .gantt__corner");
  if (current && nameColumn && region.scrollWidth > region.clientWidth) {
    // Leave the previous month in view too, beside the sticky name column.
    region.scrollLeft = Math.max(
      0,
      current.offsetLeft - nameColumn.offsetWidth - current.offsetWidth
    );
  }
})();

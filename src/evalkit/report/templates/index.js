/* evalkit index: sort buttons in the column headings and a filter by text and priority.
   The page is complete without this script; it only reorders and hides rows. */
(function () {
  "use strict";
  var table = document.getElementById("packs");
  var form = document.getElementById("packs-filter");
  if (!table || !form || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.filter.call(body.rows, function (row) {
    return row.hasAttribute("data-priority");
  });
  if (!rows.length) { return; }
  rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = document.getElementById("packs-filter-text");
  var priority = document.getElementById("packs-filter-priority");
  var shown = document.getElementById("packs-shown");

  function sortValue(row, column) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(a, b, column, numeric) {
    var x = sortValue(a, column);
    var y = sortValue(b, column);
    if (numeric) { return Number(x) - Number(y); }
    return x.localeCompare(y, "en-GB", { sensitivity: "base" });
  }

  function sortBy(column) {
    var head = heads[column];
    var numeric = head.getAttribute("data-sort-type") === "number";
    var current = head.getAttribute("aria-sort");
    var first = head.getAttribute("data-sort-first") || "ascending";
    var direction = current === "ascending" ? "descending"
      : current === "descending" ? "ascending" : first;
    var sign = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      return sign * compare(a, b, column, numeric) ||
        Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", direction);
  }

  heads.forEach(function (head, column) {
    if (!head.hasAttribute("data-sort-type")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    while (head.firstChild) { button.appendChild(head.firstChild); }
    head.appendChild(button);
    button.addEventListener("click", function () { sortBy(column); });
  });

  function applyFilter() {
    var words = text.value.trim().toLocaleLowerCase("en-GB");
    var wanted = priority.value;
    var count = 0;
    rows.forEach(function (row) {
      var matches = (!wanted || row.getAttribute("data-priority") === wanted) &&
        (!words || row.textContent.toLocaleLowerCase("en-GB").indexOf(words) !== -1);
      row.hidden = !matches;
      if (matches) { count += 1; }
    });
    shown.textContent = "Showing " + count + " of " + rows.length + " partnerships.";
  }

  text.addEventListener("input", applyFilter);
  priority.addEventListener("change", applyFilter);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  applyFilter();
}());

// vnindustry dashboard: progressive enhancement only (the pages work without it).
// - bar charts: the hovered bar's value in a small tip (the SVG <title> already gives a native tooltip)
// - industries table: a filter box by name or code
(function () {
  "use strict";
  var tip = null;
  function showTip(bar, event) {
    var title = bar.querySelector("title");
    if (!title) return;
    if (!tip) { tip = document.createElement("div"); tip.className = "chart-tip"; document.body.appendChild(tip); }
    tip.textContent = title.textContent;
    tip.style.left = (event.pageX + 10) + "px";
    tip.style.top = (event.pageY - 24) + "px";
    tip.hidden = false;
  }
  document.addEventListener("mouseover", function (e) {
    var bar = e.target.closest ? e.target.closest("rect.bar") : null;
    if (bar) { bar.classList.add("hover"); showTip(bar, e); }
  });
  document.addEventListener("mouseout", function (e) {
    var bar = e.target.closest ? e.target.closest("rect.bar") : null;
    if (bar) { bar.classList.remove("hover"); if (tip) tip.hidden = true; }
  });
  var filter = document.getElementById("filter");
  var table = document.getElementById("iip-table");
  if (filter && table) {
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var text = row.textContent.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
        row.hidden = q !== "" && text.indexOf(q) < 0;
      });
    });
  }
}());

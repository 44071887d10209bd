// vnindustry portal: checks as one types (the server checks again; the form works without this script).
// - a quantity that is not a number, or negative, is marked at once
// - a quantity 10x off the enterprise's own history (outside data-low..data-high) shows the confirmation
//   box and asks for a comment before submitting
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var lang = form.getAttribute("data-lang") || "vi";
  var group = lang === "en" ? "," : ".", decimal = lang === "en" ? "." : ",";
  var TEXT = {
    vi: { nan: "không phải là số", negative: "Sản lượng không được âm.",
          unusual: "Số liệu khác thường so với các tháng trước. Kiểm tra đơn vị tính; nếu đúng, đánh dấu xác nhận và ghi lý do.",
          comment: "Hãy ghi lý do vào ô ghi chú." },
    en: { nan: "is not a number", negative: "The quantity must not be negative.",
          unusual: "Unusual compared with earlier months. Check the unit; if right, tick the confirmation and say why.",
          comment: "Say why in the comment." }
  }[lang === "en" ? "en" : "vi"];

  // The same reading as publish/numbers.parse_number: groups of three after the thousands mark.
  function parse(text) {
    var s = text.replace(/[\s\u00a0\u202f]/g, "");
    if (s === "") return null;
    var sign = 1;
    if (s[0] === "-" || s[0] === "+") { if (s[0] === "-") sign = -1; s = s.slice(1); }
    if (!/^[0-9.,]+$/.test(s)) return NaN;
    // Refused like the server (issue 12): a trailing mark ("5."), a leading thousands mark (".5").
    if (s[s.length - 1] === group || s[s.length - 1] === decimal || s[0] === group) return NaN;
    var whole = s, frac = "";
    var d = s.indexOf(decimal);
    if (d >= 0) {
      whole = s.slice(0, d); frac = s.slice(d + 1);
      if (frac === "" || /[.,]/.test(frac)) return NaN;
      if (whole === "") whole = "0";
    } else if (s.split(group).length === 2 && s.split(group)[1].length !== 3) {
      whole = s.split(group)[0]; frac = s.split(group)[1];
      if (whole === "") return NaN;
    }
    if (whole.indexOf(group) >= 0) {
      var parts = whole.split(group);
      if (parts[0].length < 1 || parts[0].length > 3) return NaN;
      for (var i = 1; i < parts.length; i++) if (parts[i].length !== 3) return NaN;
      if (parts[0][0] === "0") return NaN;  // "0.250": would read 250, most likely meant 0,25
      whole = parts.join("");
    }
    if (!/^[0-9]+$/.test(whole)) return NaN;
    return sign * parseFloat(whole + "." + (frac || "0"));
  }

  function check(row) {
    var input = row.querySelector("input.q"), error = row.querySelector(".error");
    var confirm = row.querySelector("label.confirm"), box = confirm && confirm.querySelector("input");
    var comment = row.querySelector("input.c");
    var value = parse(input.value);
    var message = "", unusual = false;
    if (value !== null && isNaN(value)) message = "\u00ab" + input.value + "\u00bb " + TEXT.nan;
    else if (value !== null && value < 0) message = TEXT.negative;
    else if (value !== null && row.hasAttribute("data-low")) {
      var low = parseFloat(row.getAttribute("data-low")), high = parseFloat(row.getAttribute("data-high"));
      unusual = !(low < value && value < high);
      if (unusual) message = TEXT.unusual;
      if (unusual && box && box.checked && comment && comment.value.trim() === "") message = TEXT.comment;
    }
    error.textContent = message;
    row.classList.toggle("invalid", message !== "" && !unusual);
    row.classList.toggle("unusual", unusual);
    if (confirm) confirm.hidden = !unusual && !(box && box.checked);
    return message === "" || (unusual && box && box.checked && comment && comment.value.trim() !== "");
  }

  var rows = form.querySelectorAll("tr.line");
  rows.forEach(function (row) {
    row.querySelectorAll("input").forEach(function (el) {
      el.addEventListener("input", function () { check(row); });
      el.addEventListener("change", function () { check(row); });
    });
    if (row.querySelector("input.q").value !== "" && !row.classList.contains("invalid")) check(row);
  });
  form.addEventListener("submit", function (event) {
    var first = null;
    rows.forEach(function (row) { if (!check(row) && !first) first = row; });
    if (first) {
      event.preventDefault();
      var target = first.querySelector("label.confirm:not([hidden]) input") || first.querySelector("input.q");
      target.focus();
    }
  });
}());

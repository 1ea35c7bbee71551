// Live count of the characters left in each textarea with data-limit (the server enforces the
// limit too). Line breaks count once and characters are counted as the server counts them.
(function () {
  "use strict";
  function left(box) {
    var limit = parseInt(box.getAttribute("data-limit"), 10);
    var used = Array.from(box.value.replace(/\r\n?/g, "\n").trim()).length;
    return limit - used;
  }
  function show(box) {
    var out = document.getElementById(box.getAttribute("data-left"));
    if (!out) { return; }
    var n = left(box);
    out.textContent = n >= 0
      ? n.toLocaleString("en") + " characters left"
      : (-n).toLocaleString("en") + " characters too many";
    out.classList.toggle("over", n < 0);
  }
  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    box.addEventListener("input", function () { show(box); });
    show(box);
  });
})();

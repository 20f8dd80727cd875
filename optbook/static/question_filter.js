(function () {
  var box = document.getElementById("__ID__");
  if (!box) { return; }
  function apply() {
    var on = {};
    box.querySelectorAll("input[type=checkbox]").forEach(function (c) { on[c.value] = c.checked; });
    var shown = 0;
    document.querySelectorAll(".optlib-q").forEach(function (q) {
      var level = "";
      q.classList.forEach(function (c) {
        if (c.indexOf("optlib-q-") === 0) { level = c.slice(9); }
      });
      var visible = on[level] !== false;
      q.style.display = visible ? "" : "none";
      if (visible) { shown += 1; }
    });
    box.querySelector(".oqf-count").textContent =
      shown + " question" + (shown === 1 ? "" : "s") + " shown";
    // each chapter's count ("From <chapter>: N questions.") follows the filter too, and a
    // chapter with no question left is hidden with its heading
    document.querySelectorAll(".optlib-qcount").forEach(function (count) {
      var section = count.closest("section");
      if (!section) { return; }
      var n = Array.prototype.filter.call(section.querySelectorAll(".optlib-q"), function (q) {
        return q.style.display !== "none";
      }).length;
      var p = count.querySelector("p") || count;
      var last = p.lastChild;
      if (last && last.nodeType === 3) {
        last.textContent = ": " + n + " question" + (n === 1 ? "" : "s") + ".";
      }
      section.style.display = n ? "" : "none";
    });
  }
  box.addEventListener("change", apply);
  // the questions come after the filter on the page: count them once they are parsed
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else { apply(); }
})();

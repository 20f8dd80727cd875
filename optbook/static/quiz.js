(function () {
  var root = document.getElementById("__ID__");
  if (!root) { return; }
  var total = root.querySelectorAll(".oq-item").length;
  function score() {
    var done = root.querySelectorAll(".oq-item[data-first]");
    var right = root.querySelectorAll(".oq-item[data-first='right']").length;
    root.querySelector(".oq-score").textContent = "Answered " + done.length + " of " + total +
      "; right at the first try: " + right + ".";
  }
  root.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.oq-option") : null;
    if (!button || !root.contains(button)) { return; }
    var item = button.closest(".oq-item");
    var right = button.getAttribute("data-correct") === "1";
    item.querySelectorAll("button.oq-option").forEach(function (b) {
      b.classList.remove("oq-right", "oq-wrong"); b.setAttribute("aria-pressed", "false");
    });
    button.classList.add(right ? "oq-right" : "oq-wrong");
    button.setAttribute("aria-pressed", "true");
    var feedback = item.querySelector(".oq-feedback");
    feedback.className = "oq-feedback " + (right ? "oq-right" : "oq-wrong");
    feedback.textContent = (right ? "Right. " : "Not quite. ") +
      button.parentNode.querySelector(".oq-why").textContent;
    if (!item.hasAttribute("data-first")) {
      item.setAttribute("data-first", right ? "right" : "wrong");
    }
    score();
  });
  score();
})();

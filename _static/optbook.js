/* The book's page behaviour on top of the theme (Jupyter Book adds this file to every page).

   1. Sidebar toggles. pydata-sphinx-theme 0.17.1 binds its sidebar dialogs to the FIRST
      element with the class primary-toggle / secondary-toggle, which with
      sphinx-book-theme 1.3.0 is a header button that the book theme hides; the buttons a
      reader sees get no listener and only show a tooltip (upstream:
      pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988). Every other
      toggle forwards its click to that first one, whose handlers (the book theme's collapse
      on wide screens, the theme's dialog on narrow ones) then do what they are meant to do.
   2. Live Code. sphinx-thebe loads thebe from a CDN and, when that fails (offline, blocked),
      shows "Loading thebe from CDN..." for ever. This tells the reader what failed, and
      what to do instead, within a few seconds.
   3. Search results. Sphinx makes the snippet under a result from the page's HTML, where
      the math is still TeX source (\(\rho\)); the snippet shows it as plain symbols.
   4. Accessibility fixes to the theme's markup and to what its extensions' scripts add after
      load: buttons get a name that matches what they show, the primary sidebar a landmark.
*/
(function () {
  "use strict";

  // -- 1. sidebar toggles ----------------------------------------------------------------
  function forwardToggles() {
    ["primary-toggle", "secondary-toggle"].forEach(function (name) {
      var all = document.querySelectorAll("." + name);
      if (all.length < 2) { return; }
      var bound = all[0];
      Array.prototype.slice.call(all, 1).forEach(function (button) {
        if (button.getAttribute("data-optbook-forward")) { return; }
        button.setAttribute("data-optbook-forward", "1");
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          bound.click();
        });
      });
    });
  }

  // -- 2. Live Code: say what failed -----------------------------------------------------
  var LIVE_TIMEOUT_MS = 8000;
  function liveCodeFailed(why) {
    var button = document.querySelector(".thebe-launch-button");
    var text = "Live Code could not start: " + why + " Live Code needs the internet " +
      "(thebe from unpkg.com and a kernel from mybinder.org). Instead, open this page on " +
      "Binder or Colab (rocket icon above), or download the notebook and run it locally.";
    var box = document.querySelector(".optbook-live-status");
    if (!box) {
      box = document.createElement("div");
      box.className = "optbook-live-status admonition warning";
      box.setAttribute("role", "alert");
      var article = document.querySelector("article.bd-article") || document.body;
      article.insertBefore(box, article.firstChild);
    }
    box.textContent = text;
    if (button) { button.textContent = "Live Code could not start (see the note below)"; }
  }
  function watchLiveCode() {
    if (typeof window.initThebe !== "function" || window.initThebe.optbookWatched) { return; }
    var original = window.initThebe;
    var watched = function () {
      var failed = false;
      var onError = function (event) {
        var src = event.target && event.target.src;
        if (src && /thebe/i.test(src) && !failed) {
          failed = true;
          liveCodeFailed("the thebe library could not be loaded from " + src.split("/")[2] +
                         ".");
        }
      };
      document.addEventListener("error", onError, true);
      window.setTimeout(function () {
        if (!failed && typeof window.thebelab === "undefined" &&
            typeof window.thebe === "undefined") {
          failed = true;
          liveCodeFailed("the thebe library did not load within " +
                         LIVE_TIMEOUT_MS / 1000 + " seconds.");
        }
      }, LIVE_TIMEOUT_MS);
      return original.apply(this, arguments);
    };
    watched.optbookWatched = true;
    window.initThebe = watched;
  }

  // -- 3. search snippets: TeX as plain symbols --------------------------------------------
  var GREEK = {alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε",
    eta: "η", theta: "θ", lambda: "λ", mu: "μ", nu: "ν", pi: "π", rho: "ρ", sigma: "σ",
    tau: "τ", phi: "φ", psi: "ψ", omega: "ω", Delta: "Δ", Sigma: "Σ", nabla: "∇",
    sqrt: "√", cdot: "·", times: "×", odot: "⊙", le: "≤", leq: "≤", ge: "≥", geq: "≥",
    approx: "≈", infty: "∞", sum: "Σ", partial: "∂", to: "→", leftarrow: "←", in: "∈",
    prime: "′", ldots: "…", dots: "…", mid: "|", ne: "≠", neq: "≠", quad: " ", qquad: " "};
  function texToText(tex) {
    return tex
      .replace(/\\[()[\]]|\$\$?/g, "")
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\(?:mathrm|mathbf|boldsymbol|text|operatorname|hat|bar|tilde)\s*\{([^{}]*)\}/g,
               "$1")
      .replace(/\\([A-Za-z]+)/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(GREEK, name) ? GREEK[name] : "";
      })
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  function patchSearch() {
    // searchtools.js declares `const Search` (a global binding, not a property of window)
    var S = typeof Search === "object" ? Search : window.Search;  // eslint-disable-line no-undef
    if (!S || typeof S.htmlToText !== "function" || S.htmlToText.optbookPatched) { return; }
    var original = S.htmlToText;
    var patched = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math").forEach(function (m) {
        m.textContent = " " + texToText(m.textContent) + " ";
      });
      return original.call(this, doc.documentElement.outerHTML, anchor);
    };
    patched.optbookPatched = true;
    S.htmlToText = patched;
  }

  // -- 4. names of the theme extensions' buttons ------------------------------------------
  function mendThemeMarkup() {
    // the search field shows "Search Ctrl+K" but is named "Search": its text names it
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (b) {
      b.removeAttribute("aria-label");
    });
    // the primary sidebar holds the logo and the search field outside any landmark
    var sidebar = document.getElementById("pst-primary-sidebar");
    if (sidebar && !sidebar.getAttribute("role")) {
      sidebar.setAttribute("role", "complementary");
      sidebar.setAttribute("aria-label", "Book contents");
    }
  }
  function nameToggleButtons() {
    document.querySelectorAll("button.toggle-button[aria-label]").forEach(function (b) {
      // the button shows its hint ("Show code cell source"…) via CSS; the name says the same
      var hint = b.getAttribute("data-toggle-hint");
      if (hint) { b.setAttribute("aria-label", hint); } else { b.removeAttribute("aria-label"); }
    });
  }

  function ready() {
    forwardToggles();
    mendThemeMarkup();
    watchLiveCode();
    patchSearch();
    nameToggleButtons();
    // togglebutton.js adds its buttons on DOMContentLoaded too, maybe after this ran
    window.setTimeout(nameToggleButtons, 0);
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("button.toggle-button, .admonition-title")) {
        window.setTimeout(nameToggleButtons, 0);
      }
    }, true);
  }
  patchSearch();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else { ready(); }
})();

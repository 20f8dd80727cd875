// Written for this book (not part of the vendored package).
// The widgets manager below is a set of named AMD modules; it looks for its Font Awesome
// files next to the URL that require.js gives its modules, which by default is relative to
// the page (e.g. chapters/@jupyter-widgets/...). Map those module names to this folder, so the
// fonts are found here, in _static/vendor/html-manager/.
(function () {
  "use strict";
  if (typeof window.require === "undefined" || !window.require.config) { return; }
  var here = document.currentScript ? document.currentScript.src : "";
  var dir = here.slice(0, here.lastIndexOf("/"));
  if (!dir) { return; }
  var paths = {"@jupyter-widgets/html-manager/dist": dir};
  ["base", "controls", "base7", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dir + "/" + name;
  });
  window.require.config({paths: paths});
})();

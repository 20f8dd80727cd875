// Measurements the browser tests make inside a page (tests/built/test_browser.py and
// test_phone.py). Selenium runs this file's text followed by a `return CHECKS.name(...)`.
// It defines nothing on the page.
var CHECKS = (function () {
  "use strict";

  // The book's own elements: what optbook and _static/optbook.css put on a page.
  var OWN = [".optlib-webfig", ".optlib-explorer-static", ".optlib-quiz", ".optlib-qfilter",
             ".optlib-q", ".optlib-cheatsheet", ".optlib-whiteboard", ".optbook-live-status"];

  function rgba(text) {
    var m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) { return [0, 0, 0, 0]; }
    var p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, bottom) {       // top colour (with alpha) composited on an opaque bottom
    var a = top[3];
    return [0, 1, 2].map(function (i) { return top[i] * a + bottom[i] * (1 - a); }).concat(1);
  }
  function background(el) {
    var layers = [];
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      var c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
    }
    var out = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) {
      out = rgba(getComputedStyle(document.body).backgroundColor);
      if (out[3] === 0) { out = [255, 255, 255, 1]; }
    }
    for (var i = layers.length - 1; i >= 0; i--) { out = over(layers[i], out); }
    return out;
  }
  function luminance(c) {
    var v = c.slice(0, 3).map(function (x) {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  function ratio(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function visible(el) {
    if (!el.getClientRects().length) { return false; }
    var s = getComputedStyle(el);
    return s.visibility !== "hidden" && Number(s.opacity) > 0.05;
  }
  function label(el) {
    var cls = (el.className && el.className.baseVal === undefined) ? el.className : "";
    return el.tagName.toLowerCase() + (cls ? "." + String(cls).trim().split(/\s+/).join(".") : "");
  }

  // Text/background contrast of every element of the book's own that holds text directly.
  function contrast() {
    var out = [], seen = new Set();
    document.querySelectorAll(OWN.join(",")).forEach(function (root) {
      [root].concat(Array.from(root.querySelectorAll("*"))).forEach(function (el) {
        if (seen.has(el) || el.closest("mjx-container, svg, canvas, script, style")) { return; }
        seen.add(el);
        var own = Array.from(el.childNodes).some(function (n) {
          return n.nodeType === 3 && n.textContent.trim();
        });
        if (!own || !visible(el)) { return; }
        var s = getComputedStyle(el);
        var fg = rgba(s.color), bg = background(el);
        var r = ratio(over(fg, bg), bg);
        var size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
        var need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
        out.push({el: label(el), text: el.textContent.trim().slice(0, 50),
                  ratio: Math.round(r * 100) / 100, need: need,
                  color: s.color, background: "rgb(" + bg.slice(0, 3).map(Math.round) + ")"});
      });
    });
    return out;
  }

  // What sticks out of the article, or needs scrolling inside it.
  function overflow() {
    var article = document.querySelector("article.bd-article") ||
                  document.querySelector(".bd-article") || document.querySelector("main");
    if (!article) { return []; }
    var right = article.getBoundingClientRect().right + 1;
    var out = [];
    article.querySelectorAll("*").forEach(function (el) {
      if (!visible(el) || el.closest("mjx-assistive-mml, .sd-tab-content")) { return; }
      // MathJax's inner boxes clip by design (stretchy delimiters); its container is checked
      if (el.tagName.indexOf("MJX-") === 0 && el.tagName !== "MJX-CONTAINER") { return; }
      var s = getComputedStyle(el);
      var scroller = /(auto|scroll)/.test(s.overflowX);
      var clipped = s.overflowX === "hidden" || s.overflowX === "clip";
      // an inline box (inline math) has no width of its own to overflow
      var boxed = s.display.indexOf("inline") !== 0;
      if (boxed && (scroller || clipped) && el.scrollWidth > el.clientWidth + 2) {
        // a code block that scrolls is normal for code; everything else is reported
        if (el.tagName === "PRE" || el.closest(".highlight")) { return; }
        out.push({el: label(el), kind: scroller ? "scrolls" : "clipped",
                  by: el.scrollWidth - el.clientWidth,
                  text: el.textContent.trim().replace(/\s+/g, " ").slice(0, 60)});
        return;
      }
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right) {
        var p = el.parentElement, inside = false;
        while (p && p !== article) {
          if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) { inside = true; break; }
          p = p.parentElement;
        }
        if (!inside) {
          out.push({el: label(el), kind: "sticks out", by: Math.round(r.right - right),
                    text: el.textContent.trim().replace(/\s+/g, " ").slice(0, 60)});
        }
      }
    });
    // report the outermost element of a nest once
    return out.filter(function (o, i) {
      return !out.slice(0, i).some(function (p) { return p.text.indexOf(o.text) >= 0 && p.kind === o.kind; });
    });
  }

  // Every content image: its natural and displayed size and its alt text.
  function images() {
    return Array.from(document.querySelectorAll(".bd-article img")).map(function (img) {
      var r = img.getBoundingClientRect();
      return {src: img.getAttribute("src") || "", alt: img.getAttribute("alt"),
              natural: img.naturalWidth, shown: r.width};
    });
  }

  // Bytes of the page: the document and every resource it loaded, as sent (encoded, e.g.
  // gzip) and as unpacked (decoded).
  function weight() {
    var nav = performance.getEntriesByType("navigation")[0];
    var items = [{name: location.href, bytes: nav ? nav.encodedBodySize : 0,
                  unpacked: nav ? nav.decodedBodySize : 0}];
    var seen = new Set();
    performance.getEntriesByType("resource").forEach(function (e) {
      if (seen.has(e.name) || e.name.indexOf("data:") === 0) { return; }
      seen.add(e.name);
      items.push({name: e.name, bytes: e.encodedBodySize || e.transferSize || 0,
                  unpacked: e.decodedBodySize || e.encodedBodySize || 0});
    });
    return items;
  }

  // The colour mode the page shows: the theme reads data-theme (data-mode is the reader's
  // choice, light/dark/auto, which stays as it is).
  function setMode(mode) {
    document.documentElement.setAttribute("data-theme", mode);
  }

  return {contrast: contrast, overflow: overflow, images: images, weight: weight,
          setMode: setMode};
})();

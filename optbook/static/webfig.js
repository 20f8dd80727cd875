(function () {
  // The figure's script. "__ID__" is replaced by the element id. It defines no globals.
  // The two panels take the width of the figure's element: side by side when two panels of
  // at least MIN_PANEL px fit, one above the other otherwise (a phone); they are redrawn when
  // the width or the page's colour mode changes.
  "use strict";
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var D = JSON.parse(root.querySelector("script.owf-data").textContent);
  var MIN_PANEL = 300, MAX_SINGLE = 520, GAP = 12;
  var PAD = {l: 54, r: 10, t: 10, b: 36};
  var W = 370, H = 270;
  var pathCanvas = root.querySelector("canvas.owf-path");
  var lossCanvas = root.querySelector("canvas.owf-loss");

  // -- the stored runs: base64 little-endian int16, all runs one after the other -----------
  function int16s(text) {
    var s = atob(text), n = s.length >> 1, out = new Int16Array(n);
    for (var i = 0; i < n; i++) {
      out[i] = (s.charCodeAt(2 * i) | (s.charCodeAt(2 * i + 1) << 8)) << 16 >> 16;
    }
    return out;
  }
  var P = int16s(D.paths), L = int16s(D.losses), offsets = [], total = 0;
  D.lengths.forEach(function (n) { offsets.push(total); total += n; });
  var bx = D.bounds[0], by = D.bounds[1], yr = D.yrange, steps = D.steps;
  function pointX(k, i) { return bx[0] + P[2 * (offsets[k] + i)] / D.pscale * (bx[1] - bx[0]); }
  function pointY(k, i) {
    return by[0] + P[2 * (offsets[k] + i) + 1] / D.pscale * (by[1] - by[0]);
  }
  function lossAt(k, i) {
    var q = L[offsets[k] + i];
    if (D.log) { return q === -32768 ? 0 : Math.pow(10, q / D.lscale); }
    return yr[0] + (q / D.lscale + 0.5) * (yr[1] - yr[0]);
  }

  // -- colours: light or dark, following the book's colour mode ------------------------------
  function palette() {
    var dark = document.documentElement.getAttribute("data-theme") === "dark";
    return dark
      ? {bg: "#14181e", grid: "#2b313b", text: "#d8dde4", contour: "#5d6673", box: "#9aa3ad",
         star: "#ffffff", start: "#e8e8e8", run: "#ff7b72"}
      : {bg: "#ffffff", grid: "#eeeeee", text: "#333333", contour: "#a8a8a8", box: "#555555",
         star: "#000000", start: "#222222", run: "#d62728"};
  }
  var C = palette();

  function setup(canvas) {
    var dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.width = W + "px"; canvas.style.height = H + "px";
    var ctx = canvas.getContext("2d"); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }
  function fmt(v) {
    if (v === 0) { return "0"; }
    var a = Math.abs(v);
    return (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(3));
  }
  function niceTicks(lo, hi, n) {
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    step *= err >= 5 ? 10 : err >= 2 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return out;
  }
  function frame(ctx, xTicks, yTicks, sx, sy, xLabel, yLabel, yFmt) {
    ctx.fillStyle = C.bg; ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = C.grid; ctx.lineWidth = 1; ctx.beginPath();
    yTicks.forEach(function (v) { ctx.moveTo(PAD.l, sy(v)); ctx.lineTo(W - PAD.r, sy(v)); });
    ctx.stroke();
    ctx.fillStyle = C.text; ctx.font = "12px sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    xTicks.forEach(function (v) { ctx.fillText(fmt(v), sx(v), H - PAD.b + 4); });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    yTicks.forEach(function (v) { ctx.fillText(yFmt(v), PAD.l - 4, sy(v)); });
    ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.fillText(xLabel, PAD.l + (W - PAD.l - PAD.r) / 2, H - 1);
    ctx.save(); ctx.translate(11, PAD.t + (H - PAD.t - PAD.b) / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle"; ctx.fillText(yLabel, 0, 0); ctx.restore();
  }
  function box(ctx) {
    ctx.strokeStyle = C.box; ctx.lineWidth = 1;
    ctx.strokeRect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b);
  }
  function clipToPlot(ctx) {
    ctx.beginPath(); ctx.rect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b); ctx.clip();
  }
  function px(x) { return PAD.l + (x - bx[0]) / (bx[1] - bx[0]) * (W - PAD.l - PAD.r); }
  function py(y) { return H - PAD.b - (y - by[0]) / (by[1] - by[0]) * (H - PAD.t - PAD.b); }
  function lx(t) { return PAD.l + t / steps * (W - PAD.l - PAD.r); }
  function ly(v) {
    if (D.log) {
      var e = Math.log10(Math.max(v, Math.pow(10, yr[0] - 1)));
      return H - PAD.b - (e - yr[0]) / (yr[1] - yr[0]) * (H - PAD.t - PAD.b);
    }
    return H - PAD.b - (v - yr[0]) / (yr[1] - yr[0]) * (H - PAD.t - PAD.b);
  }

  // -- backgrounds: contours and axes, drawn once per size and colour mode ------------------
  var pathBack = document.createElement("canvas"), lossBack = document.createElement("canvas");
  var pathCtx, lossCtx;
  function backgrounds() {
    var pb = setup(pathBack);
    frame(pb, niceTicks(bx[0], bx[1], W < 340 ? 4 : 6), niceTicks(by[0], by[1], 5), px, py,
          "x\u2081", "x\u2082", fmt);
    pb.save(); clipToPlot(pb);
    pb.strokeStyle = C.contour; pb.lineWidth = 0.8; pb.beginPath();
    D.contours.forEach(function (c) {
      for (var i = 0; i < c.length; i += 2) {
        var X = px(bx[0] + c[i] / D.grid * (bx[1] - bx[0]));
        var Y = py(by[0] + c[i + 1] / D.grid * (by[1] - by[0]));
        if (i === 0) { pb.moveTo(X, Y); } else { pb.lineTo(X, Y); }
      }
    });
    pb.stroke();
    if (D.minimum) {
      pb.fillStyle = C.star; pb.font = "16px sans-serif"; pb.textAlign = "center";
      pb.textBaseline = "middle"; pb.fillText("\u2605", px(D.minimum[0]), py(D.minimum[1]));
    }
    pb.restore(); box(pb);

    var yTicks, yFmt;
    if (D.log) {
      var every = Math.max(1, Math.ceil((yr[1] - yr[0]) / 6));
      yTicks = [];
      for (var e = Math.ceil(yr[0]); e <= yr[1]; e += every) { yTicks.push(Math.pow(10, e)); }
      yFmt = function (v) { return "1e" + Math.round(Math.log10(v)); };
    } else { yTicks = niceTicks(yr[0], yr[1], 5); yFmt = fmt; }
    var lb = setup(lossBack);
    frame(lb, niceTicks(0, steps, 5), yTicks, lx, ly, "step t", D.ylabel, yFmt);
    box(lb);
    pathCtx = setup(pathCanvas); lossCtx = setup(lossCanvas);
  }

  // -- controls: one row per slider (label, slider, value), aligned in a grid ----------------
  var controls = root.querySelector(".owf-controls");
  var readout = root.querySelector(".owf-readout");
  var inputs = D.params.map(function (p, j) {
    var id = root.id + "-s" + j;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = p.symbol + " (" + p.name + ")";
    var input = document.createElement("input");
    input.type = "range"; input.id = id; input.min = "0";
    input.max = String(p.values.length - 1); input.step = "1"; input.value = String(p.start);
    input.setAttribute("data-param", p.name);
    var out = document.createElement("output");
    out.htmlFor = id;
    controls.appendChild(label); controls.appendChild(input); controls.appendChild(out);
    input.addEventListener("input", draw);
    return {input: input, out: out, p: p};
  });

  function runIndex() {
    var k = 0;
    inputs.forEach(function (c) { k = k * c.p.values.length + Number(c.input.value); });
    return k;
  }
  function polyline(ctx, n, fx, fy) {
    ctx.beginPath();
    ctx.moveTo(fx(0), fy(0));
    for (var i = 1; i < n; i++) { ctx.lineTo(fx(i), fy(i)); }
    ctx.stroke();
  }
  function draw() {
    var t0 = performance.now();
    var k = runIndex(), n = D.lengths[k];
    inputs.forEach(function (c) {
      var v = c.p.values[Number(c.input.value)];
      c.out.textContent = fmt(v);
      c.input.setAttribute("aria-valuetext", c.p.symbol + " = " + fmt(v));
    });
    pathCtx.clearRect(0, 0, W, H); pathCtx.drawImage(pathBack, 0, 0, W, H);
    pathCtx.save(); clipToPlot(pathCtx);
    pathCtx.strokeStyle = C.run; pathCtx.lineWidth = 1.6;
    polyline(pathCtx, n, function (i) { return px(pointX(k, i)); },
             function (i) { return py(pointY(k, i)); });
    pathCtx.fillStyle = C.run;
    for (var i = 1; i < n; i++) {
      pathCtx.fillRect(px(pointX(k, i)) - 1.5, py(pointY(k, i)) - 1.5, 3, 3);
    }
    pathCtx.fillStyle = C.start; pathCtx.beginPath();
    pathCtx.arc(px(D.x0[0]), py(D.x0[1]), 4, 0, 2 * Math.PI); pathCtx.fill();
    pathCtx.restore();
    lossCtx.clearRect(0, 0, W, H); lossCtx.drawImage(lossBack, 0, 0, W, H);
    lossCtx.save(); clipToPlot(lossCtx);
    lossCtx.strokeStyle = C.run; lossCtx.lineWidth = 1.6;
    polyline(lossCtx, n, lx, function (i) { return ly(lossAt(k, i)); });
    lossCtx.restore();
    var names = inputs.map(function (c) {
      return c.p.symbol + " = " + fmt(c.p.values[Number(c.input.value)]);
    });
    readout.textContent = names.join(", ") + (D.diverged[k] >= 0
      ? ": diverged at step " + D.diverged[k]
      : ": " + D.ylabel + " = " + fmt(D.final[k]) + " after " + steps + " steps");
    root.setAttribute("data-draw-ms", (performance.now() - t0).toFixed(2));
    root.setAttribute("data-run", String(k));
  }

  // -- layout: panel size from the width the page gives the figure --------------------------
  var laidOut = "";
  function layout() {
    var avail = Math.floor(root.querySelector(".owf-panels").clientWidth) || 2 * 370 + GAP;
    var two = avail >= 2 * MIN_PANEL + GAP;
    // each canvas has a 1 px border on both sides
    var w = (two ? Math.floor((avail - GAP) / 2) : Math.min(avail, MAX_SINGLE)) - 2;
    var key = w + "/" + document.documentElement.getAttribute("data-theme");
    if (key === laidOut) { return; }
    laidOut = key;
    W = w; H = Math.round(Math.max(220, Math.min(320, w * 0.74)));
    C = palette();
    root.setAttribute("data-layout", two ? "side-by-side" : "stacked");
    backgrounds();
    draw();
  }
  layout();
  if (window.ResizeObserver) { new ResizeObserver(layout).observe(root); }
  else { window.addEventListener("resize", layout); }
  if (window.MutationObserver) {
    new MutationObserver(layout).observe(document.documentElement,
                                         {attributes: true, attributeFilter: ["data-theme"]});
  }
})();

(function () {
  "use strict";
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var D = JSON.parse(root.querySelector("script.owf-data").textContent);
  var W = 370, H = 270, PAD = {l: 52, r: 10, t: 10, b: 34};
  var dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  var pathCanvas = root.querySelector("canvas.owf-path");
  var lossCanvas = root.querySelector("canvas.owf-loss");
  var COLOR = "#d62728";

  function setup(canvas) {
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
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
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = "#eee"; ctx.lineWidth = 1; ctx.beginPath();
    yTicks.forEach(function (v) { ctx.moveTo(PAD.l, sy(v)); ctx.lineTo(W - PAD.r, sy(v)); });
    ctx.stroke();
    ctx.fillStyle = "#333"; ctx.font = "11px sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    xTicks.forEach(function (v) { ctx.fillText(fmt(v), sx(v), H - PAD.b + 4); });
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    yTicks.forEach(function (v) { ctx.fillText(yFmt(v), PAD.l - 4, sy(v)); });
    ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.fillText(xLabel, PAD.l + (W - PAD.l - PAD.r) / 2, H - 2);
    ctx.save(); ctx.translate(11, PAD.t + (H - PAD.t - PAD.b) / 2); ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle"; ctx.fillText(yLabel, 0, 0); ctx.restore();
  }
  function box(ctx) {
    ctx.strokeStyle = "#555"; ctx.lineWidth = 1;
    ctx.strokeRect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b);
  }
  function clipToPlot(ctx) {
    ctx.beginPath(); ctx.rect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b); ctx.clip();
  }

  // -- the path panel: contours drawn once into an off-screen canvas -----------------------
  var bx = D.bounds[0], by = D.bounds[1];
  var px = function (x) { return PAD.l + (x - bx[0]) / (bx[1] - bx[0]) * (W - PAD.l - PAD.r); };
  var py = function (y) { return H - PAD.b - (y - by[0]) / (by[1] - by[0]) * (H - PAD.t - PAD.b); };
  var pathBack = document.createElement("canvas");
  var pb = setup(pathBack);
  frame(pb, niceTicks(bx[0], bx[1], 6), niceTicks(by[0], by[1], 5), px, py,
        "x\u2081", "x\u2082", fmt);
  pb.save(); clipToPlot(pb);
  pb.strokeStyle = "#a8a8a8"; pb.lineWidth = 0.8; pb.beginPath();
  D.contours.forEach(function (c) {
    for (var i = 0; i < c.length; i += 2) {
      var X = px(bx[0] + c[i] / D.grid * (bx[1] - bx[0]));
      var Y = py(by[0] + c[i + 1] / D.grid * (by[1] - by[0]));
      if (i === 0) { pb.moveTo(X, Y); } else { pb.lineTo(X, Y); }
    }
  });
  pb.stroke();
  if (D.minimum) {
    pb.fillStyle = "#000"; pb.font = "16px sans-serif"; pb.textAlign = "center";
    pb.textBaseline = "middle"; pb.fillText("\u2605", px(D.minimum[0]), py(D.minimum[1]));
  }
  pb.restore(); box(pb);

  // -- the loss panel: axes drawn once --------------------------------------------------------
  var yr = D.yrange, steps = D.steps;
  var lx = function (t) { return PAD.l + t / steps * (W - PAD.l - PAD.r); };
  var ly = D.log
    ? function (v) { var e = Math.log10(Math.max(v, Math.pow(10, yr[0] - 1)));
        return H - PAD.b - (e - yr[0]) / (yr[1] - yr[0]) * (H - PAD.t - PAD.b); }
    : function (v) { return H - PAD.b - (v - yr[0]) / (yr[1] - yr[0]) * (H - PAD.t - PAD.b); };
  var yTicks, yFmt;
  if (D.log) {
    var every = Math.max(1, Math.ceil((yr[1] - yr[0]) / 6));
    yTicks = [];
    for (var e = Math.ceil(yr[0]); e <= yr[1]; e += every) { yTicks.push(Math.pow(10, e)); }
    yFmt = function (v) { return "1e" + Math.round(Math.log10(v)); };
  } else { yTicks = niceTicks(yr[0], yr[1], 5); yFmt = fmt; }
  var lossBack = document.createElement("canvas");
  var lb = setup(lossBack);
  frame(lb, niceTicks(0, steps, 5), yTicks, lx, ly, "step t", D.ylabel, yFmt);
  box(lb);

  // -- controls -------------------------------------------------------------------------------
  var controls = root.querySelector(".owf-controls");
  var readout = root.querySelector(".owf-readout");
  var inputs = D.params.map(function (p) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "range"; input.min = "0"; input.max = String(p.values.length - 1);
    input.step = "1"; input.value = String(p.start);
    input.setAttribute("data-param", p.name);
    input.setAttribute("aria-label", p.symbol + " (" + p.name + ")");
    var out = document.createElement("output");
    label.appendChild(document.createTextNode(p.symbol + " (" + p.name + ")"));
    label.appendChild(input); label.appendChild(out);
    controls.appendChild(label);
    input.addEventListener("input", draw);
    return {input: input, out: out, p: p};
  });
  var pathCtx = setup(pathCanvas), lossCtx = setup(lossCanvas);

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
    var k = runIndex(), path = D.paths[k], loss = D.losses[k], n = path.length / 2;
    inputs.forEach(function (c) { c.out.textContent = fmt(c.p.values[Number(c.input.value)]); });
    pathCtx.clearRect(0, 0, W, H); pathCtx.drawImage(pathBack, 0, 0, W, H);
    pathCtx.save(); clipToPlot(pathCtx);
    pathCtx.strokeStyle = COLOR; pathCtx.lineWidth = 1.6;
    polyline(pathCtx, n, function (i) { return px(path[2 * i]); },
             function (i) { return py(path[2 * i + 1]); });
    pathCtx.fillStyle = COLOR;
    for (var i = 1; i < n; i++) {
      pathCtx.fillRect(px(path[2 * i]) - 1.5, py(path[2 * i + 1]) - 1.5, 3, 3);
    }
    pathCtx.fillStyle = "#222"; pathCtx.beginPath();
    pathCtx.arc(px(path[0]), py(path[1]), 4, 0, 2 * Math.PI); pathCtx.fill();
    pathCtx.restore();
    lossCtx.clearRect(0, 0, W, H); lossCtx.drawImage(lossBack, 0, 0, W, H);
    lossCtx.save(); clipToPlot(lossCtx);
    lossCtx.strokeStyle = COLOR; lossCtx.lineWidth = 1.6;
    polyline(lossCtx, loss.length, lx, function (i) { return ly(loss[i]); });
    lossCtx.restore();
    var names = inputs.map(function (c) {
      return c.p.symbol + " = " + fmt(c.p.values[Number(c.input.value)]);
    });
    var last = loss[loss.length - 1];
    readout.textContent = names.join(", ") + (D.diverged[k] >= 0
      ? ": diverged at step " + D.diverged[k]
      : ": " + D.ylabel + " = " + fmt(last) + " after " + steps + " steps");
    root.setAttribute("data-draw-ms", (performance.now() - t0).toFixed(2));
    root.setAttribute("data-run", String(k));
  }
  draw();
})();

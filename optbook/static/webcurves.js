(function () {
  "use strict";
  var root = document.getElementById("__ID__");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var D = JSON.parse(root.querySelector("script.owf-data").textContent);
  var W = 370, H = 270, PAD = {l: 52, r: 10, t: 10, b: 34};
  var dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  var x = D.x, x0 = x[0], x1 = x[x.length - 1];

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
  var sx = function (v) { return PAD.l + (v - x0) / (x1 - x0) * (W - PAD.l - PAD.r); };

  // one panel: a canvas, its y scale, and a background with the axes drawn once
  var panels = D.panels.map(function (p, i) {
    var canvas = root.querySelectorAll("canvas.owf-curves")[i];
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    var ctx = canvas.getContext("2d"); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var lo = p.yrange[0], hi = p.yrange[1];
    var sy = function (v) { return H - PAD.b - (v - lo) / (hi - lo) * (H - PAD.t - PAD.b); };
    var ticks = p.log ? niceTicks(Math.ceil(lo), Math.floor(hi), 5).filter(function (e) {
      return e === Math.round(e); }) : niceTicks(lo, hi, 5);
    var back = document.createElement("canvas");
    back.width = canvas.width; back.height = canvas.height;
    var b = back.getContext("2d"); b.setTransform(dpr, 0, 0, dpr, 0, 0);
    b.fillStyle = "#fff"; b.fillRect(0, 0, W, H);
    b.strokeStyle = "#eee"; b.lineWidth = 1; b.beginPath();
    ticks.forEach(function (v) { b.moveTo(PAD.l, sy(v)); b.lineTo(W - PAD.r, sy(v)); });
    b.stroke();
    b.fillStyle = "#333"; b.font = "11px sans-serif";
    b.textAlign = "center"; b.textBaseline = "top";
    niceTicks(x0, x1, 5).forEach(function (v) { b.fillText(fmt(v), sx(v), H - PAD.b + 4); });
    b.textAlign = "right"; b.textBaseline = "middle";
    ticks.forEach(function (v) {
      b.fillText(p.log ? "1e" + Math.round(v) : fmt(v), PAD.l - 4, sy(v));
    });
    b.textAlign = "center"; b.textBaseline = "bottom";
    b.fillText(D.xlabel, PAD.l + (W - PAD.l - PAD.r) / 2, H - 2);
    b.save(); b.translate(11, PAD.t + (H - PAD.t - PAD.b) / 2); b.rotate(-Math.PI / 2);
    b.textBaseline = "middle"; b.fillText(p.label, 0, 0); b.restore();
    b.strokeStyle = "#555"; b.strokeRect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b);
    return {p: p, ctx: ctx, back: back, sy: sy};
  });

  function line(ctx, ys, sy) {  // a polyline with gaps where ys holds null
    ctx.beginPath();
    var pen = false;
    for (var i = 0; i < ys.length; i++) {
      if (ys[i] === null) { pen = false; continue; }
      if (pen) { ctx.lineTo(sx(x[i]), sy(ys[i])); } else { ctx.moveTo(sx(x[i]), sy(ys[i])); }
      pen = true;
    }
    ctx.stroke();
  }

  var P = D.param;
  var label = document.createElement("label");
  var input = document.createElement("input");
  input.type = "range"; input.min = "0"; input.max = String(P.values.length - 1);
  input.step = "1"; input.value = String(P.start);
  input.setAttribute("data-param", P.name);
  input.setAttribute("aria-label", P.symbol + " (" + P.name + ")");
  var out = document.createElement("output");
  label.appendChild(document.createTextNode(P.symbol + " (" + P.name + ")"));
  label.appendChild(input); label.appendChild(out);
  root.querySelector(".owf-controls").appendChild(label);
  var readout = root.querySelector(".owf-readout");

  function draw() {
    var t0 = performance.now();
    var k = Number(input.value);
    out.textContent = fmt(P.values[k]);
    var parts = [];
    panels.forEach(function (q) {
      var ctx = q.ctx;
      ctx.clearRect(0, 0, W, H); ctx.drawImage(q.back, 0, 0, W, H);
      ctx.save(); ctx.beginPath();
      ctx.rect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b); ctx.clip();
      ctx.strokeStyle = D.color; ctx.globalAlpha = 0.35; ctx.lineWidth = 1;
      q.p.curves[k].forEach(function (ys) { line(ctx, ys, q.sy); });
      ctx.globalAlpha = 1; ctx.lineWidth = 2.2;
      line(ctx, q.p.mean[k], q.sy);
      ctx.restore();
      var last = q.p.mean[k][q.p.mean[k].length - 1];
      parts.push(q.p.label + " " + (last === null ? "diverged"
        : fmt(q.p.log ? Math.pow(10, last) : last)));
    });
    readout.textContent = P.symbol + " = " + fmt(P.values[k]) + ": at the end, mean " +
      parts.join(", ");
    root.setAttribute("data-draw-ms", (performance.now() - t0).toFixed(2));
    root.setAttribute("data-run", String(k));
  }
  input.addEventListener("input", draw);
  draw();
})();

"""Figures that stay interactive in the static HTML book, with no kernel.

:func:`sweep_figure` runs ONE batched :func:`optlib.run` over a grid of hyper-parameter
settings (say 12 learning rates × 10 momentum coefficients = 120 runs, hyper-parameters of
shape ``(K, 1)``), keeps every trajectory and loss curve, and returns a :class:`WebFigure`.
Displayed as the last expression of a cell it becomes a self-contained HTML snippet: the
precomputed data as JSON (paths and loss curves as base64 16-bit integers, see
:func:`encode_paths` and :func:`encode_losses`), the contour lines as precomputed polylines,
and a small inline script (no library, nothing loaded from anywhere) that draws the path
over the contours and the loss curve on two canvases. One range slider per swept
hyper-parameter picks the setting; moving it redraws from the stored data in a few
milliseconds.

How a chapter uses it
---------------------
One code cell::

    import numpy as np
    from optbook.webfig import sweep_figure

    sweep_figure("Momentum", "ellipse",
                 sweep={"lr": np.geomspace(0.01, 1.0, 13),
                        "momentum": np.linspace(0.0, 0.95, 20)},
                 start={"lr": 0.1, "momentum": 0.5}, steps=60)

The object provides ``text/html`` only (no Markdown version, which the book's
``nb_mime_priority_overrides`` would otherwise prefer), so it is embedded as it is in the
built page and shown the same way in Jupyter (in a trusted notebook). Several figures on one
page do not interfere: every display gets its own element id and the script only looks
inside its own element; it defines no globals, so require.js and MathJax on the page do not
matter (and the figure is marked for MathJax to skip).

Keep each figure small: ``runs × (steps + 1) × 3`` 16-bit numbers are stored, 8 characters of
base64 per step of a run; 200 runs of 80 steps is about 130 kB. The attribute
``WebFigure.size_bytes`` tells the size, and the constructor refuses a figure over
:data:`MAX_BYTES`.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from optlib.objectives import Objective
from optlib.optimizers.base import Optimizer
from optlib.run import run

from .display import asset
from .registry import METHODS, PROBLEMS, method_name

#: The largest snippet :class:`WebFigure` accepts: one figure adds at most this to a page.
MAX_BYTES = 1_000_000

#: Path points are stored as 16-bit integers, ``PATH_SCALE`` steps per window width (or
#: height), so a point is placed to 1/2000 of the plot (well under a pixel on any screen);
#: points more than :data:`PATH_CLIP` windows away are pulled in to that distance.
PATH_SCALE = 2000
#: How many windows away from the plot a stored point may lie.
PATH_CLIP = 15
#: Losses on a log axis are stored as ``round(LOSS_SCALE · log10(loss))`` in 16 bits (a step of
#: 0.23 %, invisible on a log axis); a loss of exactly 0 as :data:`ZERO_CODE`. Losses on a
#: linear axis (the saddle) as ``round(LINEAR_SCALE · ((v − lo)/(hi − lo) − ½))``.
LOSS_SCALE = 1000
#: The 16-bit scale of losses on a linear axis (see :data:`LOSS_SCALE`).
LINEAR_SCALE = 20000
#: The code of a loss of exactly 0 on a log axis.
ZERO_CODE = -32768
_INT16_MAX = 32000


def with_value(grid: np.ndarray, value: float) -> np.ndarray:
    """``grid`` with ``value`` added in sorted place, unless the grid already holds it."""
    grid = np.asarray(grid, dtype=np.float64)
    if np.any(np.isclose(grid, value, rtol=1e-9, atol=0.0)):
        return grid
    return np.sort(np.append(grid, value)) if np.all(np.diff(grid) >= 0) \
        else np.append(grid, value)


def _b64_int16(codes: np.ndarray) -> str:
    return base64.b64encode(np.asarray(codes, dtype="<i2").tobytes()).decode("ascii")


def _int16_b64(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<i2").astype(np.int64)


def encode_paths(xs: np.ndarray, bounds: Sequence[Sequence[float]]) -> str:
    """Points ``(n, 2)`` as base64 little-endian int16 pairs, 1/:data:`PATH_SCALE` window."""
    (x_lo, x_hi), (y_lo, y_hi) = bounds
    unit = (np.asarray(xs, dtype=np.float64) - [x_lo, y_lo]) / [x_hi - x_lo, y_hi - y_lo]
    unit = np.nan_to_num(unit, nan=0.0, posinf=1 + PATH_CLIP, neginf=-PATH_CLIP)
    return _b64_int16(np.rint(np.clip(unit, -PATH_CLIP, 1 + PATH_CLIP) * PATH_SCALE))


def decode_paths(text: str, bounds: Sequence[Sequence[float]]) -> np.ndarray:
    """The inverse of :func:`encode_paths` (what the page's script computes), ``(n, 2)``."""
    (x_lo, x_hi), (y_lo, y_hi) = bounds
    unit = _int16_b64(text).reshape(-1, 2) / PATH_SCALE
    return unit * [x_hi - x_lo, y_hi - y_lo] + [x_lo, y_lo]


def encode_losses(values: np.ndarray, log: bool, y_range: Sequence[float]) -> str:
    """Loss values as base64 int16: log10 steps of 1/:data:`LOSS_SCALE`, or linear in the range."""
    v = np.asarray(values, dtype=np.float64)
    if log:
        with np.errstate(divide="ignore"):
            exp = np.log10(np.where(v > 0, v, 1.0))
        codes = np.clip(np.rint(exp * LOSS_SCALE), -_INT16_MAX, _INT16_MAX)
        codes = np.where(v > 0, codes, ZERO_CODE)
    else:
        lo, hi = y_range
        codes = np.clip(np.rint(((v - lo) / (hi - lo) - 0.5) * LINEAR_SCALE),
                        -_INT16_MAX, _INT16_MAX)
    return _b64_int16(codes)


def decode_losses(text: str, log: bool, y_range: Sequence[float]) -> np.ndarray:
    """The inverse of :func:`encode_losses` (what the page's script computes)."""
    codes = _int16_b64(text)
    if log:
        return np.where(codes == ZERO_CODE, 0.0, 10.0 ** (codes / LOSS_SCALE))
    lo, hi = y_range
    return lo + (codes / LINEAR_SCALE + 0.5) * (hi - lo)



def _objective(objective: str | Objective) -> tuple[Objective, tuple[float, float], bool]:
    """The objective, its usual starting point, and whether its loss is plotted on a log axis."""
    if isinstance(objective, Objective):
        lo = [b[0] for b in objective.bounds] if objective.bounds else [-5.0, -5.0]
        return objective, (0.8 * lo[0], 0.8 * lo[1]), objective.min_value is not None
    if objective not in PROBLEMS:
        raise ValueError(f"unknown objective {objective!r}; choose from {list(PROBLEMS)} "
                         "or pass an optlib Objective")
    problem = PROBLEMS[objective]
    return problem.make(), problem.start, problem.log_loss


def _round(values: np.ndarray, digits: int = 4) -> list[Any]:
    """Nested lists of floats rounded to ``digits`` significant digits (compact in JSON)."""
    arr = np.asarray(values, dtype=np.float64)
    flat = [float(f"{v:.{digits}g}") for v in arr.ravel()]
    return np.asarray(flat).reshape(arr.shape).tolist() if arr.ndim > 1 else flat


def contour_polylines(objective: Objective, bounds: Sequence[Sequence[float]],
                      levels: int = 18, resolution: int = 140, grid: int = 1000
                      ) -> list[list[int]]:
    """Contour lines as polylines of integer coordinates 0…``grid`` across the window.

    Levels are spaced geometrically in ``f − min f`` up to the 98th percentile over the
    window, as in :func:`optlib.plotting.contour`. Each polyline is a flat list
    ``[x0, y0, x1, y1, …]``; consecutive points that round to the same place are dropped.
    """
    import contourpy

    (x_lo, x_hi), (y_lo, y_hi) = bounds
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    Z = objective.value(np.stack([X, Y], axis=-1))
    lowest = Z.min()
    top = np.percentile(Z - lowest, 98)
    generator = contourpy.contour_generator(X, Y, Z, line_type="Separate")
    out = []
    for level in lowest + np.geomspace(max(top * 1e-4, 1e-12), top, levels):
        for line in generator.lines(level):
            q = np.rint(np.column_stack([(line[:, 0] - x_lo) / (x_hi - x_lo),
                                         (line[:, 1] - y_lo) / (y_hi - y_lo)]) * grid)
            keep = np.ones(len(q), dtype=bool)
            keep[1:] = np.any(q[1:] != q[:-1], axis=1)
            q = q[keep].astype(int)
            if len(q) >= 2:
                out.append(q.ravel().tolist())
    return out


class _Snippet:
    """What the kernel-free figures share: JSON data for an inline script, and a size limit.

    A subclass writes ``to_html`` and names what to cut in ``_too_big`` (the advice in the
    error message when the snippet exceeds ``max_bytes``).
    """

    _too_big = "store less data"

    def __init__(self, data: dict[str, Any], max_bytes: int = MAX_BYTES) -> None:
        self.data = data
        self._json = json.dumps(data, separators=(",", ":"), allow_nan=False)
        self.size_bytes = len(self.to_html().encode("utf-8"))
        if self.size_bytes > max_bytes:
            raise ValueError(
                f"this figure would add {self.size_bytes / 1e6:.2f} MB to its page (limit "
                f"{max_bytes / 1e6:.2f} MB): {self._too_big}")

    def to_html(self, element_id: str | None = None) -> str:
        raise NotImplementedError

    def _payload(self) -> str:
        """The JSON, escaped so that it cannot end its <script> element or open a comment."""
        return (self._json.replace("&", "\\u0026").replace("<", "\\u003c")
                .replace(">", "\\u003e"))

    def _repr_html_(self) -> str:
        return self.to_html()


class WebFigure(_Snippet):
    """A precomputed sweep, shown as an interactive HTML figure that needs no kernel.

    Build it with :func:`sweep_figure`. ``data`` is the JSON-ready content; ``to_html()``
    (and ``_repr_html_``) give the snippet, with a fresh element id at every call.
    """

    _too_big = "sweep fewer settings or fewer steps"

    def to_html(self, element_id: str | None = None) -> str:
        """The self-contained snippet: a container, the data, the style and the script."""
        fid = element_id or f"optlib-webfig-{uuid.uuid4().hex[:12]}"
        payload = self._payload()
        title = html.escape(self.data.get("title", ""))
        return (
            f'<div id="{fid}" class="optlib-webfig tex2jax_ignore mathjax_ignore" '
            f'data-method="{html.escape(self.data["method"])}">'
            f'<style>{asset("webfig.css").replace("#ID", "#" + fid)}</style>'
            f'<div class="owf-title">{title} '
            '<span class="owf-badge">interactive, no kernel needed</span></div>'
            '<div class="owf-controls"></div>'
            '<div class="owf-panels">'
            '<canvas class="owf-path" role="img" aria-label="the path of the chosen setting '
            'over the contour lines"></canvas>'
            '<canvas class="owf-loss" role="img" aria-label="the loss curve of the chosen '
            'setting"></canvas></div>'
            '<div class="owf-readout" aria-live="polite"></div>'
            f'<script type="application/json" class="owf-data">{payload}</script>'
            f'<script>{asset("webfig.js").replace("__ID__", fid)}</script>'
            '</div>')

    def run(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The stored path ``(n, 2)`` and loss curve ``(n,)`` of run ``k``, as the page reads
        them (row-major over the sliders: the first slider is the outer index)."""
        d = self.data
        start = int(sum(d["lengths"][:k]))
        end = start + int(d["lengths"][k])
        if not hasattr(self, "_decoded"):
            self._decoded = (decode_paths(d["paths"], d["bounds"]),
                             decode_losses(d["losses"], d["log"], d["yrange"]))
        paths, losses = self._decoded
        return paths[start:end], losses[start:end]

    def __repr__(self) -> str:
        params = " × ".join(f"{p['name']}[{len(p['values'])}]" for p in self.data["params"])
        return (f"<WebFigure {self.data['method']} on {self.data['objective']}: {params}, "
                f"{self.data['steps']} steps, {self.size_bytes / 1e3:.0f} kB>")


def sweep_figure(method: str | type[Optimizer], objective: str | Objective = "ellipse",
                 sweep: Mapping[str, Sequence[float]] | None = None,
                 fixed: Mapping[str, float] | None = None,
                 start: Mapping[str, float] | None = None, steps: int = 60,
                 x0: Sequence[float] | None = None, title: str | None = None,
                 max_bytes: int = MAX_BYTES) -> WebFigure:
    """Run one batched sweep and return it as a kernel-free interactive figure.

    Args:
        method: an optimizer of ``optlib.ALL`` (class or class name; ``"GD"``, ``"NAG"``).
        objective: a name of ``optbook.registry.PROBLEMS`` or a 2-D ``Objective``
            with ``bounds``.
        sweep: the values of each swept hyper-parameter, one slider each, in this order;
            every combination is run. Default: 13 learning rates spread geometrically over
            the spec's slider range and, if the method has one, 12 values of its first
            other hyper-parameter (momentum α, decay ρ, β₁ …) over its slider range.
        fixed: values of the hyper-parameters that are not swept (default: the class's).
        start: the setting the sliders start at (nearest grid values); default: middle.
        steps: iterations per run.
        x0: the starting point (default: the objective's usual start).
        title: a line above the figure.
        max_bytes: refuse a snippet larger than this.
    """
    name = method_name(method)
    cls = METHODS[name]
    specs = {s.name: s for s in cls.hyperparams}
    f, usual_start, log_loss = _objective(objective)
    if f.bounds is None or f.dim not in (None, 2):
        raise ValueError("a web figure needs a 2-D objective with plotting bounds")
    if sweep is None:
        lr = specs["lr"]
        sweep = {"lr": np.geomspace(*lr.slider, 13)}
        other = [s for s in cls.hyperparams if s.name != "lr" and not s.log]
        if other:
            sweep[other[0].name] = np.linspace(*other[0].slider, 12)
    unknown = set(sweep) - set(specs)
    if unknown:
        raise ValueError(f"{name} has no hyper-parameter {sorted(unknown)}; it has {list(specs)}")
    grids = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in sweep.items()}
    if any(g.size == 0 for g in grids.values()):
        raise ValueError("every swept hyper-parameter needs at least one value")
    # the sliders start exactly at ``start``: a value between grid points joins the grid
    # (otherwise a slider would open at the nearest grid value, e.g. 0.391 for 0.4)
    for key, want in (start or {}).items():
        if key not in grids:
            raise ValueError(f"start names {key!r}, which is not swept; swept: {list(grids)}")
        lo, hi = grids[key].min(), grids[key].max()
        if not lo <= float(want) <= hi:
            raise ValueError(f"start {key}={want!r} is outside its swept values [{lo:.4g}, "
                             f"{hi:.4g}]")
        grids[key] = with_value(grids[key], float(want))

    # -- one batched run over the whole grid: hyper-parameters of shape (K, 1) ---------------
    combos = np.array(list(itertools.product(*grids.values())))          # (K, n_params)
    settings = dict(fixed or {})
    for j, key in enumerate(grids):
        settings[key] = combos[:, j:j + 1]
    opt = cls(**settings)
    point = np.asarray(x0 if x0 is not None else usual_start, dtype=np.float64)
    traj = run(opt, f, point, steps)                                     # xs: (steps+1, K, 2)

    (x_lo, x_hi), (y_lo, y_hi) = f.bounds
    f_min = f.min_value if (log_loss and f.min_value is not None) else 0.0
    f0 = float(traj.values[0, 0])
    lengths, diverged, path_parts, loss_parts = [], [], [], []
    for k in range(combos.shape[0]):
        end = int(traj.diverged_at[k]) if traj.diverged[k] else steps + 1
        lengths.append(end)
        diverged.append(int(traj.diverged_at[k]) if traj.diverged[k] else -1)
        path_parts.append(traj.xs[:end, k])
        vals = traj.values[:end, k]
        loss_parts.append(np.maximum(vals - f_min, 0.0) if log_loss else vals)
    xs = np.concatenate(path_parts)                                      # (sum of lengths, 2)
    losses = np.concatenate(loss_parts).astype(np.float64)
    losses = np.where(np.isfinite(losses), losses, np.sign(np.nan_to_num(losses)) * 1e30)
    finals = [float(part[-1]) if part.size else 0.0 for part in loss_parts]

    # loss axis: one fixed range for every setting, so curves can be compared by eye
    if log_loss:
        positive = losses[losses > 0]
        top = math.ceil(math.log10(max(abs(f0 - f_min), 1e-300) * 100))
        bottom = math.floor(math.log10(positive.min())) if positive.size else top - 12
        y_range = [max(bottom, top - 16), top]
    else:
        spread = max(abs(f0), 1.0)
        y_range = [float(max(losses.min(), f0 - 50 * spread)),
                   float(min(losses.max(), f0 + 10 * spread))]
        if y_range[0] == y_range[1]:
            y_range = [y_range[0] - 1, y_range[1] + 1]

    params = []
    for key, values in grids.items():
        spec = specs[key]
        want = (start or {}).get(key)
        index = (int(np.argmin(np.abs(values - want))) if want is not None
                 else len(values) // 2)
        params.append({"name": key, "symbol": spec.symbol, "values": _round(values),
                       "start": index, "log": bool(spec.log)})
    shown_fixed = {k: float(v) for k, v in opt.settings().items()
                   if k not in grids and not callable(v)}
    data = {
        "title": title or f"{name} on {f.name}: move the sliders",
        "method": name, "rule": cls.rule, "objective": f.name, "steps": steps,
        "x0": _round(point), "bounds": [[x_lo, x_hi], [y_lo, y_hi]],
        "minimum": None if f.minimum is None else _round(f.minimum),
        "log": bool(log_loss), "yrange": y_range,
        "ylabel": "f(x\u209c) \u2212 f*" if log_loss else "f(x\u209c)",
        "params": params, "fixed": shown_fixed,
        "contours": contour_polylines(f, f.bounds), "grid": 1000,
        "lengths": lengths, "diverged": diverged, "final": _round(finals),
        "pscale": PATH_SCALE, "paths": encode_paths(xs, f.bounds),
        "lscale": LOSS_SCALE if log_loss else LINEAR_SCALE,
        "losses": encode_losses(losses, log_loss, y_range),
    }
    return WebFigure(data, max_bytes=max_bytes)


class CurvesFigure(_Snippet):
    """Precomputed curves for a grid of settings, shown with one slider and no kernel.

    Build it with :func:`curves_figure`. Each panel holds, for every setting, a few curves
    (one per seed, say) drawn thin, and their mean drawn thick; the slider picks the setting.
    """

    _too_big = "store fewer settings or shorter curves"

    def to_html(self, element_id: str | None = None) -> str:
        """The self-contained snippet: a container, the data, the style and the script."""
        fid = element_id or f"optlib-webcurves-{uuid.uuid4().hex[:12]}"
        payload = self._payload()
        title = html.escape(self.data.get("title", ""))
        canvases = "".join(
            f'<canvas class="owf-curves" role="img" aria-label="{html.escape(p["label"])} '
            f'against {html.escape(self.data["xlabel"])}"></canvas>'
            for p in self.data["panels"])
        return (
            f'<div id="{fid}" class="optlib-webfig tex2jax_ignore mathjax_ignore">'
            f'<style>{asset("webfig.css").replace("#ID", "#" + fid)}</style>'
            f'<div class="owf-title">{title} '
            '<span class="owf-badge">interactive, no kernel needed</span></div>'
            f'<div class="owf-panels">{canvases}</div>'
            '<div class="owf-controls"></div><div class="owf-readout"></div>'
            f'<script type="application/json" class="owf-data">{payload}</script>'
            f'<script>{asset("webcurves.js").replace("__ID__", fid)}</script>'
            '</div>')

    def __repr__(self) -> str:
        p = self.data["param"]
        return (f"<CurvesFigure {len(self.data['panels'])} panels, {p['name']}"
                f"[{len(p['values'])}], {self.size_bytes / 1e3:.0f} kB>")


def curves_figure(x: Sequence[float], panels: Mapping[str, Any], param: str,
                  values: Sequence[float], symbol: str | None = None, start: int = 0,
                  log: Sequence[str] = (),
                  ylim: Mapping[str, tuple[float, float]] | None = None, xlabel: str = "step",
                  title: str = "", color: str = "#d62728") -> CurvesFigure:
    """A slider over ``values`` of ``param`` that redraws precomputed curves, kernel-free.

    Args:
        x: the common x values of every curve, length T (steps, epochs, …).
        panels: panel label → array of shape ``(K, S, T)``: for each of the K settings, S
            curves (seeds); NaN and inf (a diverged run) are cut from the drawing.
        param, values, symbol: the slider's name, its K values and the symbol shown.
        start: index of the setting shown first.
        log: labels of the panels drawn with a log y axis.
        ylim: per panel label, a fixed y range (else the range of all finite data; for a log
            panel, limits in data units).
    """
    xs = np.asarray(x, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"x must be 1-D with at least 2 points, got shape {xs.shape}")
    if values.ndim != 1 or values.size < 1:
        raise ValueError(f"values must be 1-D and non-empty, got shape {values.shape}")
    if not 0 <= start < values.size:
        raise ValueError(f"start must index values (0..{values.size - 1}), got {start}")
    if not panels:
        raise ValueError("panels must name at least one panel")
    unknown = set(log) - set(panels)
    if unknown:
        raise ValueError(f"log names panels that do not exist: {sorted(unknown)}")
    out = []
    for label, curves in panels.items():
        c = np.asarray(curves, dtype=np.float64)
        if c.ndim != 3 or c.shape[0] != values.size or c.shape[2] != xs.size:
            raise ValueError(f"panel {label!r} must have shape ({values.size}, S, {xs.size}), "
                             f"got {c.shape}")
        is_log = label in log
        ok = np.isfinite(c) & ((c > 0) if is_log else True)
        if not ok.any():
            raise ValueError(f"panel {label!r} has no finite value to draw")
        shown = np.log10(np.where(ok, c, 1.0)) if is_log else c
        if ylim and label in ylim:
            lo, hi = (np.log10(v) for v in ylim[label]) if is_log else ylim[label]
        else:
            lo, hi = float(shown[ok].min()), float(shown[ok].max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        mean = np.where(ok.all(axis=1), np.mean(np.where(ok, shown, 0.0), axis=1), np.nan)
        out.append({
            "label": label, "log": is_log, "yrange": [float(lo), float(hi)],
            # null marks a gap (a diverged run); the script draws nothing there
            "curves": [[[None if not ok[k, s, t] else float(f"{shown[k, s, t]:.4g}")
                         for t in range(xs.size)] for s in range(c.shape[1])]
                       for k in range(values.size)],
            "mean": [[None if np.isnan(v) else float(f"{v:.4g}") for v in row] for row in mean],
        })
    data = {"title": title, "xlabel": xlabel, "x": _round(xs), "color": color, "panels": out,
            "param": {"name": param, "symbol": symbol or param, "values": _round(values),
                      "start": int(start)}}
    return CurvesFigure(data)

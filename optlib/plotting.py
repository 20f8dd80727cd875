"""Figures for the book: contour plots with trajectories, loss curves, comparisons.

Importing this module imports matplotlib; ``import optlib`` alone does not.
Every function draws on a given ``ax`` (or a new one) and returns what it drew on,
so a chapter can combine panels freely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .objectives import Objective
from .run import Trajectory

Bounds = tuple[tuple[float, float], tuple[float, float]]

#: Line styles per method name (``{"Adam": {"color": "#e377c2"}}``), used for any label whose
#: first word is that name. Empty in the library (matplotlib's colour cycle); a book or a
#: user sets a fixed table once with :func:`set_method_styles`.
METHOD_STYLES: dict[str, dict[str, Any]] = {}


def set_method_styles(styles: Mapping[str, Mapping[str, Any]]) -> None:
    """Give every label that starts with a method's name that method's line style."""
    METHOD_STYLES.clear()
    METHOD_STYLES.update({name: dict(style) for name, style in styles.items()})


def _points(run: Trajectory | np.ndarray) -> np.ndarray:
    return run.xs if isinstance(run, Trajectory) else np.asarray(run)


def _style(label: str, i: int, colors: Mapping[str, Any] | None = None,
           styles: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The line style of ``label``: ``styles[label]`` over ``colors[label]`` over the style of
    the method named by its first word (``METHOD_STYLES``) over the colour cycle."""
    first_word = (label.split() or [""])[0].rstrip(",:")
    style: dict[str, Any] = {"color": f"C{i % 10}"}
    style.update(METHOD_STYLES.get(first_word, {}))
    if colors is not None and label in colors:
        style["color"] = colors[label]
    if styles is not None and label in styles:
        style.update(styles[label])
    return style


def contour(objective: Objective, ax: Axes | None = None, bounds: Bounds | None = None,
            levels: int = 20, resolution: int = 200, mark_minimum: bool = True) -> Axes:
    """Contour lines of a 2-D objective, spaced geometrically in f − f_min."""
    ax = ax if ax is not None else plt.subplots()[1]
    (x_lo, x_hi), (y_lo, y_hi) = bounds or objective.bounds or ((-5, 5), (-5, 5))
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    Z = objective.value(np.stack([X, Y], axis=-1))
    lowest = Z.min()
    span = Z - lowest
    top = np.percentile(span, 98)
    contour_levels = lowest + np.geomspace(max(top * 1e-4, 1e-12), top, levels)
    ax.contour(X, Y, Z, levels=contour_levels, colors="0.6", linewidths=0.7)
    if mark_minimum and objective.minimum is not None:
        m = objective.minimum
        kind = objective.info.get("critical_point", "minimum")
        ax.plot(m[0], m[1], marker="*", color="k", markersize=12, linestyle="none",
                label=kind, zorder=5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def trajectories(objective: Objective, runs: Mapping[str, Trajectory | np.ndarray],
                 ax: Axes | None = None, bounds: Bounds | None = None,
                 title: str | None = None, markers: bool = True,
                 colors: Mapping[str, Any] | None = None,
                 styles: Mapping[str, Mapping[str, Any]] | None = None) -> Axes:
    """Paths of one or several runs drawn over the objective's contour lines.

    ``runs`` maps a legend label to a :class:`~optlib.Trajectory` or to an array of
    iterates ``(steps + 1, 2)``. The start is a filled circle, each step a dot.
    Colours follow the method named first in each label
    (:data:`optlib.plotting.METHOD_STYLES`) unless ``colors`` maps a label to its own colour
    (useful for a sweep of one method), or ``styles`` maps it to line keywords
    (``{"color": ..., "linestyle": "--"}``).
    """
    ax = contour(objective, ax=ax, bounds=bounds)
    for i, (label, run) in enumerate(runs.items()):
        xs = _points(run)
        if xs.ndim != 2 or xs.shape[1] != 2:
            raise ValueError(f"run {label!r}: expected iterates of shape (steps+1, 2), "
                             f"got {xs.shape}")
        style = {"linewidth": 1.4, "linestyle": "-", "marker": "." if markers else None,
                 "markersize": 4, **_style(label, i, colors, styles)}
        ax.plot(xs[:, 0], xs[:, 1], label=label, **style)
        ax.plot(xs[0, 0], xs[0, 1], "o", color=style["color"], markersize=7)
    if runs:
        ax.plot([], [], "o", color="0.3", label="start")
    ax.legend(loc="best", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def loss_curves(curves: Mapping[str, Trajectory | Sequence[float] | np.ndarray],
                ax: Axes | None = None, min_value: float = 0.0, log: bool = True,
                title: str | None = None, xlabel: str = "step $t$",
                ylabel: str | None = None, colors: Mapping[str, Any] | None = None,
                styles: Mapping[str, Mapping[str, Any]] | None = None) -> Axes:
    """Loss (minus ``min_value``) against the step, on a log scale by default.

    ``colors`` and ``styles`` override the per-method style of any label, as in
    :func:`trajectories`.
    """
    ax = ax if ax is not None else plt.subplots()[1]
    for i, (label, curve) in enumerate(curves.items()):
        values = curve.values if isinstance(curve, Trajectory) else np.asarray(curve)
        gap = values - min_value
        if log:
            gap = np.where(gap > 0, gap, np.nan)
        ax.plot(np.arange(len(gap)), gap, label=label,
                **{"linewidth": 1.5, **_style(label, i, colors, styles)})
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or ("$f(x_t) - f^*$" if min_value is not None else "$f(x_t)$"))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def compare(objective: Objective, runs: Mapping[str, Trajectory], title: str | None = None,
            bounds: Bounds | None = None, figsize: tuple[float, float] | None = None,
            colors: Mapping[str, Any] | None = None,
            styles: Mapping[str, Mapping[str, Any]] | None = None) -> Figure:
    """Side by side: the paths over the contour lines, and the loss curves.

    ``figsize`` defaults to matplotlib's ``figure.figsize`` (the book sets it to its column).
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=figsize)   # None: matplotlib's default
    trajectories(objective, runs, ax=left, bounds=bounds, title="trajectories", colors=colors,
                 styles=styles)
    min_value = objective.min_value if objective.min_value is not None else 0.0
    loss_curves(runs, ax=right, min_value=min_value, title="loss", colors=colors, styles=styles)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig

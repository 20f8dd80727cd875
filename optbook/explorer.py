"""A live explorer: optimizers on a 2-D objective, redrawn as you move the sliders.

:func:`explore` returns an ipywidgets app (a ``VBox``): toggle buttons choose one or several
optimizers of :data:`optlib.optimizers.ALL`; each chosen optimizer gets one slider per
hyper-parameter, built from its ``hyperparams`` specs (the spec's ``slider`` range, on a log
scale where the spec says ``log``); further sliders set the number of steps and the starting
point, and a drop-down picks the objective (ellipse, rotated ellipse, Rosenbrock, saddle,
Beale). Every change re-runs the chosen optimizers with :func:`optlib.run` and redraws the
paths over the contour lines and the loss curves in one matplotlib figure (Agg, shown as a
PNG). The contour lines of each objective are drawn once, on an axes kept for that objective,
so a redraw only moves lines: about 40 ms (``benchmarks/bench_explorer.py`` measures it).

This module imports ipywidgets and matplotlib; ``import optlib``, ``import optbook`` and
:mod:`optbook.webfig` do not, so the book's build and a library user never load them.

How a chapter uses it
---------------------
Paste one code cell, with a Markdown sentence before it saying what to try::

    from optbook.explorer import explore

    explore(methods=["SGD", "Momentum"], objective="ellipse")

Nothing else is needed, no tag and no second cell. The object that ``explore`` returns offers
two outputs for the same cell:

* the widget itself (``application/vnd.jupyter.widget-view+json``), which Jupyter, Binder,
  Colab and the book's *Live Code* button (Thebe) show and drive with a running kernel;
* a ``text/html`` stand-in: a note that the explorer needs a running kernel (launch the page
  on Binder, or press Live Code), above a still picture of the explorer's first figure.

The book's ``_config.yml`` ranks ``text/html`` above the widget view for the HTML builder
(``nb_mime_priority_overrides``), so the static page shows the note and the still picture,
never dead sliders that look as if they worked. A plain widget, which has no ``text/html``,
is not affected by that ranking.

For a figure that stays interactive in the static page without a kernel, use
:mod:`optbook.webfig` instead.
"""

from __future__ import annotations

import base64
import html
import inspect
import io
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator, SymmetricalLogLocator
from PIL import Image

from optlib import plotting
from optlib.objectives import Objective
from optlib.optimizers.base import HyperParam, Optimizer
from optlib.run import run

from .registry import ALIASES, COLORS, METHODS, PROBLEMS, START_VALUES, method_name


def _problem_name(objective: str) -> str:
    if objective not in PROBLEMS:
        raise ValueError(f"unknown objective {objective!r}; choose from {list(PROBLEMS)}")
    return objective


def start_value(cls: type[Optimizer], spec: HyperParam,
                overrides: Mapping[str, float] | None = None) -> float:
    """The value a slider starts at: an override, the explorer's choice, or the default.

    The value is clipped into the spec's slider range.
    """
    value = (overrides or {}).get(spec.name)
    if value is None:
        value = START_VALUES.get(cls.__name__, {}).get(spec.name)
    if value is None:
        default = inspect.signature(cls.__init__).parameters[spec.name].default
        value = spec.slider[0] if default is inspect.Parameter.empty else default
    lo, hi = spec.slider
    return float(min(max(value, lo), hi))


def slider_for(spec: HyperParam, value: float, continuous: bool = True) -> Any:
    """An ipywidgets slider for one hyper-parameter, built from its spec.

    ``spec.slider`` gives the range; a ``log`` spec gets a ``FloatLogSlider`` (base 10),
    any other a ``FloatSlider`` whose step is a round power of ten, about 1/200 of the range.
    """
    lo, hi = spec.slider
    label = f"{spec.symbol} ({spec.name})"
    common = dict(description=label, continuous_update=continuous, readout_format=".3g",
                  style={"description_width": "7em"}, layout=widgets.Layout(width="24em"),
                  tooltip=spec.description)
    if spec.log:
        lo_exp, hi_exp = math.log10(lo), math.log10(hi)
        return widgets.FloatLogSlider(value=value, base=10, min=lo_exp, max=hi_exp,
                                      step=(hi_exp - lo_exp) / 120, **common)
    step = 10.0 ** math.floor(math.log10((hi - lo) / 200))
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, **common)


def snapshot_note(png: bytes | None, title: str = "Live explorer") -> str:
    """The ``text/html`` shown in the static book: a note and a still picture."""
    picture = ""
    if png:
        data = base64.b64encode(png).decode("ascii")
        picture = (f'<img class="optlib-explorer-still" src="data:image/png;base64,{data}" '
                   f'alt="{html.escape(title)}: the first figure, at the starting settings" '
                   'style="max-width:100%;height:auto;">')
    return (
        '<div class="optlib-explorer-static">'
        '<div class="admonition note"><p class="admonition-title">'
        f'{html.escape(title)}: this explorer needs a running kernel</p>'
        '<p>The sliders of this explorer run Python, so they only work with a kernel. '
        'Launch this page on Binder (rocket icon at the top of the page &rarr; '
        '<em>Binder</em>), press <em>Live Code</em> in the same menu, or run the notebook '
        'locally. Below is a still picture of the explorer at its starting settings; the '
        'figures marked <em>no kernel needed</em> on these pages work as they are.</p>'
        '</div>'
        f'{picture}</div>')


# -- the app ---------------------------------------------------------------------------------

class Explorer(widgets.VBox):
    """The explorer app: toggle buttons, sliders, and one figure redrawn on every change.

    Build it with :func:`explore`, which checks the names. The methods, their colours and
    slider start values and the objectives come from :mod:`optbook.registry`.
    """

    def __init__(self, methods: Sequence[str], objective: str, steps: int,
                 start: tuple[float, float] | None,
                 params: Mapping[str, Mapping[str, float]], size: tuple[float, float],
                 dpi: int, labels: Mapping[str, str] | None = None) -> None:
        self._muted = True
        # a method asked for by an alias ("GD") is shown under that name
        self.labels = {name: (labels or {}).get(name, name) for name in METHODS}
        self.redraw_count = 0
        self.last_redraw_seconds = float("nan")
        self.runs: dict[str, Any] = {}

        # -- controls ---------------------------------------------------------------
        self.method_buttons = {
            name: widgets.ToggleButton(value=name in methods,
                                       description=self.labels[name],
                                       tooltip=cls.rule,
                                       layout=widgets.Layout(width="auto"))
            for name, cls in METHODS.items()}
        self.sliders: dict[str, dict[str, Any]] = {
            name: {spec.name: slider_for(spec, start_value(cls, spec, params.get(name)))
                   for spec in cls.hyperparams}
            for name, cls in METHODS.items()}
        self.method_boxes = {
            name: widgets.VBox(
                [widgets.HTML(f"<b>{self.labels[name]}</b> &nbsp; "
                              f"<code>{html.escape(cls.rule)}</code>"),
                 *self.sliders[name].values()],
                layout=widgets.Layout(border="1px solid #ddd", padding="2px 6px",
                                      margin="2px"))
            for name, cls in METHODS.items()}
        self.objective_dropdown = widgets.Dropdown(
            options=list(PROBLEMS), value=objective, description="objective",
            style={"description_width": "7em"}, layout=widgets.Layout(width="24em"))
        self.steps_slider = widgets.IntSlider(
            value=steps, min=1, max=300, description="steps",
            style={"description_width": "7em"}, layout=widgets.Layout(width="24em"))
        self.start_sliders = (
            widgets.FloatSlider(description="start x₁", readout_format=".2f",
                                style={"description_width": "7em"},
                                layout=widgets.Layout(width="24em")),
            widgets.FloatSlider(description="start x₂", readout_format=".2f",
                                style={"description_width": "7em"},
                                layout=widgets.Layout(width="24em")))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.status = widgets.HTML()

        # -- the figure: one trajectory axes per objective (contours drawn once) -----
        self.figure = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self._panels: dict[str, tuple[Any, Objective, dict[str, Any]]] = {}
        self.loss_ax = self.figure.add_axes((0.58, 0.14, 0.40, 0.76))
        self.loss_lines = {
            name: self.loss_ax.plot([], [], color=COLORS[name], linewidth=1.5,
                                    label=self.labels[name])[0]
            for name in METHODS}
        self.loss_ax.set_xlabel("step $t$")
        # few ticks and no title: the axis decorations are most of a redraw's cost
        self._log_locators = (LogLocator(numticks=6), NullLocator())
        self._backgrounds: dict[Any, Any] = {}
        self.loss_ax.grid(True, alpha=0.3)

        self._set_start_range(objective, start)
        super().__init__([
            widgets.HBox(list(self.method_buttons.values()),
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.image, self.status,
            widgets.HBox([
                widgets.VBox([self.objective_dropdown, self.steps_slider,
                              *self.start_sliders]),
                widgets.Box(list(self.method_boxes.values()),
                            layout=widgets.Layout(flex_flow="row wrap")),
            ], layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self._show_method_boxes()

        for button in self.method_buttons.values():
            button.observe(self._on_methods, names="value")
        self.objective_dropdown.observe(self._on_objective, names="value")
        for control in (self.steps_slider, *self.start_sliders,
                        *(s for group in self.sliders.values() for s in group.values())):
            control.observe(self._on_change, names="value")
        self._muted = False
        self.redraw()
        self.still_png = self.image.value

    # -- reading the controls -----------------------------------------------------------
    @property
    def methods(self) -> list[str]:
        """The chosen methods, in the book's order."""
        return [name for name, b in self.method_buttons.items() if b.value]

    @property
    def objective_name(self) -> str:
        return self.objective_dropdown.value

    def settings(self, method: str) -> dict[str, float]:
        """The hyper-parameters of ``method`` as set on its sliders."""
        return {k: float(s.value) for k, s in self.sliders[method].items()}

    @property
    def start(self) -> tuple[float, float]:
        return (float(self.start_sliders[0].value), float(self.start_sliders[1].value))

    # -- reacting to changes ------------------------------------------------------------
    def _on_change(self, change: Any) -> None:
        if not self._muted:
            self.redraw()

    def _on_methods(self, change: Any) -> None:
        self._show_method_boxes()
        self._on_change(change)

    def _on_objective(self, change: Any) -> None:
        self._muted = True
        try:
            self._set_start_range(change["new"], None)
        finally:
            self._muted = False
        self.redraw()

    def _show_method_boxes(self) -> None:
        for name, box in self.method_boxes.items():
            box.layout.display = "flex" if self.method_buttons[name].value else "none"

    def _set_start_range(self, objective: str, start: tuple[float, float] | None) -> None:
        problem = PROBLEMS[objective]
        bounds = problem.make().bounds
        point = start if start is not None else problem.start
        for slider, (lo, hi), value in zip(self.start_sliders, bounds, point, strict=True):
            # widen first, then narrow, so that value stays inside [min, max] throughout
            slider.min, slider.max = min(lo, slider.min), max(hi, slider.max)
            slider.value = float(min(max(value, lo), hi))
            slider.min, slider.max = lo, hi
            slider.step = (hi - lo) / 200

    # -- drawing ------------------------------------------------------------------------
    def _panel(self, objective: str) -> tuple[Any, Objective, dict[str, Any]]:
        """The trajectory axes of ``objective``, made (with its contours) on first use."""
        if objective not in self._panels:
            f = PROBLEMS[objective].make()
            ax = self.figure.add_axes((0.07, 0.14, 0.42, 0.76))
            plotting.contour(f, ax=ax)
            ax.set_title(f.name, fontsize=10)
            lines = {name: ax.plot([], [], "-", marker=".", markersize=3, linewidth=1.3,
                                   color=COLORS[name], label=self.labels[name])[0]
                     for name in METHODS}
            lines["start"] = ax.plot([], [], "o", color="0.2", markersize=6)[0]
            self._panels[objective] = (ax, f, lines)
        for name, (ax, _, _) in self._panels.items():
            ax.set_visible(name == objective)
        return self._panels[objective]

    def redraw(self) -> None:
        """Re-run the chosen methods and redraw both panels into the image."""
        t0 = time.perf_counter()
        problem = PROBLEMS[self.objective_name]
        ax, f, lines = self._panel(self.objective_name)
        chosen = self.methods
        steps = int(self.steps_slider.value)
        x0 = np.array(self.start)
        (x_lo, x_hi), (y_lo, y_hi) = f.bounds
        self.runs = {}
        notes = []
        for name in METHODS:
            line, loss_line = lines[name], self.loss_lines[name]
            visible = name in chosen
            line.set_visible(visible)
            loss_line.set_visible(visible)
            if not visible:
                continue
            traj = run(METHODS[name](**self.settings(name)), f, x0, steps)
            self.runs[name] = traj
            xs, values = traj.xs, traj.values
            if traj.diverged:
                end = int(traj.diverged_at)
                xs, values = xs[:end + 1], values[:end]
                notes.append(f"{self.labels[name]} diverged at step {end}")
            # keep far-away points from stretching the drawing
            shown = np.clip(xs, [x_lo - 10 * (x_hi - x_lo), y_lo - 10 * (y_hi - y_lo)],
                            [x_hi + 10 * (x_hi - x_lo), y_hi + 10 * (y_hi - y_lo)])
            line.set_data(shown[:, 0], shown[:, 1])
            if problem.log_loss:
                gap = values - (f.min_value or 0.0)
                loss = np.where(gap > 0, gap, np.nan)
            else:
                loss = values
            loss_line.set_data(np.arange(len(loss)), loss)
        lines["start"].set_data([x0[0]], [x0[1]])

        if problem.log_loss:
            self.loss_ax.set_yscale("log")
            self.loss_ax.yaxis.set_major_locator(self._log_locators[0])
            self.loss_ax.yaxis.set_minor_locator(self._log_locators[1])
        else:
            # f itself, which may fall without bound: linear near 0, logarithmic beyond
            self.loss_ax.set_yscale("symlog", linthresh=1.0)
            self.loss_ax.yaxis.set_major_locator(SymmetricalLogLocator(linthresh=1.0,
                                                                       base=1000))
            self.loss_ax.yaxis.set_minor_locator(self._log_locators[1])
        self.loss_ax.set_ylabel("$f(x_t) - f^*$" if problem.log_loss else "$f(x_t)$")
        self.loss_ax.relim(visible_only=True)
        self.loss_ax.autoscale_view()
        self.loss_ax.set_xlim(0, max(steps, 1))
        handles = [self.loss_lines[n] for n in chosen]
        legend = self.loss_ax.get_legend()
        names = [self.labels[n] for n in chosen]
        if legend is None or [t.get_text() for t in legend.get_texts()] != names:
            if legend is not None:
                legend.remove()
            if handles:
                self.loss_ax.legend(handles=handles, fontsize=8, loc="upper right")

        self.image.value = self._render_png(ax, lines)
        summary = ", ".join(
            f"{self.labels[n]}: f = {self.runs[n].values[-1]:.3g}" for n in chosen
            if not self.runs[n].diverged)
        self.status.value = html.escape(
            f"after {steps} steps: " + "; ".join(filter(None, [summary, *notes])))
        self.redraw_count += 1
        self.last_redraw_seconds = time.perf_counter() - t0

    def _render_png(self, ax: Any, lines: Mapping[str, Any]) -> bytes:
        """Draw the figure into the Agg buffer and encode it as a PNG.

        The trajectory panel (contours, ticks, title) and the empty place of the loss
        panel are drawn once per objective and kept as a background; a redraw pastes
        the background and draws only the paths and the loss panel on top.
        """
        key = (self.objective_name, self.canvas.get_width_height())
        if key not in self._backgrounds:
            moving = [*lines.values(), self.loss_ax]
            shown = [a.get_visible() for a in moving]
            for artist in moving:
                artist.set_visible(False)
            self.canvas.draw()
            self._backgrounds[key] = self.canvas.copy_from_bbox(self.figure.bbox)
            for artist, visible in zip(moving, shown, strict=True):
                artist.set_visible(visible)
        self.canvas.restore_region(self._backgrounds[key])
        for line in lines.values():
            if line.get_visible():
                ax.draw_artist(line)
        self.figure.draw_artist(self.loss_ax)
        width, height = self.canvas.get_width_height()
        picture = Image.frombuffer("RGBA", (width, height),
                                             self.canvas.buffer_rgba())
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()

    # -- two outputs: the widget for a kernel, a note and a picture for the static book ---
    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs)
        data["text/html"] = snapshot_note(self.still_png)
        return data


def explore(methods: Iterable[str | type[Optimizer]] = ("SGD", "Momentum"),
            objective: str = "ellipse", steps: int = 50,
            start: tuple[float, float] | None = None,
            params: Mapping[str, Mapping[str, float]] | None = None,
            size: tuple[float, float] = (10.0, 4.0), dpi: int = 80) -> Explorer:
    """Build the live explorer.

    Args:
        methods: the optimizers chosen at first (class names, classes, or the aliases
            ``"GD"``/``"NAG"``, under which the method is then labelled); the reader can
            toggle every method of ``optlib.ALL``.
        objective: one of ``"ellipse"``, ``"rotated ellipse"``, ``"Rosenbrock"``,
            ``"saddle"``, ``"Beale"``.
        steps: the number of steps at first (the slider goes to 300).
        start: the starting point at first (default: the objective's usual start).
        params: starting slider values, e.g. ``{"Momentum": {"lr": 0.05, "momentum": 0.9}}``.
        size, dpi: the figure's size in inches and its resolution.

    Returns:
        An :class:`Explorer` (an ``ipywidgets.VBox``). Display it as the last expression of
        a cell.
    """
    methods = list(methods)
    chosen = [method_name(m) for m in methods]
    labels = {ALIASES[m]: m for m in methods if isinstance(m, str) and m in ALIASES}
    params = {method_name(k): v for k, v in (params or {}).items()}
    return Explorer(chosen, _problem_name(objective), int(steps), start, params, size, dpi,
                    labels)

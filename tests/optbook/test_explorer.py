"""The live explorer: sliders built from the hyper-parameter specs, redraw on every change."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

ipywidgets = pytest.importorskip("ipywidgets")

from optbook import registry  # noqa: E402
from optbook.explorer import Explorer, explore, slider_for, snapshot_note  # noqa: E402
from optbook.registry import PROBLEMS  # noqa: E402
from optlib import ALL  # noqa: E402


@pytest.fixture(scope="module")
def app():
    return explore(methods=["SGD", "Momentum"], objective="ellipse", steps=30)


def test_import_optbook_and_its_figures_loads_neither_widgets_nor_matplotlib():
    # the kernel-free figures run at build time and need no widgets; only the explorer does
    code = ("import sys, optlib, optbook, optbook.webfig, optbook.registry; "
            "print(any(m.split('.')[0] in ('ipywidgets', 'matplotlib') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_the_explorer_is_an_ordinary_widget_class(app):
    # defined at module level (not inside a function) and built anew by every call
    assert isinstance(app, Explorer) and isinstance(app, ipywidgets.VBox)
    assert Explorer.__qualname__ == "Explorer"
    assert explore(methods=["SGD"], steps=3) is not app


def test_the_explorer_offers_the_registry_methods_problems_and_colours(app):
    assert list(app.method_buttons) == list(registry.METHODS)
    assert list(app.objective_dropdown.options) == list(registry.PROBLEMS)
    for name, line in app.loss_lines.items():
        assert line.get_color() == registry.COLORS[name]
    for alias, name in registry.ALIASES.items():
        assert explore(methods=[alias], steps=3).methods == [name]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_one_slider_per_hyperparameter_built_from_the_spec(app, cls):
    sliders = app.sliders[cls.__name__]
    assert list(sliders) == [spec.name for spec in cls.hyperparams]
    for spec in cls.hyperparams:
        slider = sliders[spec.name]
        lo, hi = spec.slider
        if spec.log:
            assert isinstance(slider, ipywidgets.FloatLogSlider)
            assert slider.base == 10
            assert math.isclose(slider.min, math.log10(lo))
            assert math.isclose(slider.max, math.log10(hi))
        else:
            assert isinstance(slider, ipywidgets.FloatSlider)
            assert (slider.min, slider.max) == (lo, hi)
        assert lo <= slider.value <= hi
        assert spec.symbol in slider.description


def test_slider_for_a_log_spec_moves_in_decades():
    spec = ALL[0].hyperparams[0]                     # SGD's learning rate, log scale
    slider = slider_for(spec, 0.1)
    assert isinstance(slider, ipywidgets.FloatLogSlider)
    assert math.isclose(slider.value, 0.1)


def test_only_chosen_methods_are_drawn_and_shown(app):
    assert app.methods == ["SGD", "Momentum"]
    assert set(app.runs) == {"SGD", "Momentum"}
    shown = {n for n, box in app.method_boxes.items() if box.layout.display != "none"}
    assert shown == {"SGD", "Momentum"}
    _, _, lines = app._panels["ellipse"]
    assert lines["Momentum"].get_visible() and not lines["Adam"].get_visible()


def test_a_slider_change_redraws_and_moves_the_lines(app):
    _, _, lines = app._panels[app.objective_name]
    before_xy = np.array(lines["Momentum"].get_xydata())
    before_loss = np.array(app.loss_lines["Momentum"].get_ydata())
    before_png, count = app.image.value, app.redraw_count
    slider = app.sliders["Momentum"]["momentum"]
    slider.value = 0.9 if slider.value != 0.9 else 0.3
    assert app.redraw_count == count + 1
    assert app.image.value != before_png
    assert not np.array_equal(np.array(lines["Momentum"].get_xydata()), before_xy)
    assert not np.array_equal(np.array(app.loss_lines["Momentum"].get_ydata()), before_loss)
    # the new lines are the run of the new setting
    traj = app.runs["Momentum"]
    np.testing.assert_allclose(lines["Momentum"].get_xydata(), traj.xs)
    assert app.settings("Momentum")["momentum"] == slider.value


def test_steps_and_start_sliders_redraw(app):
    count = app.redraw_count
    app.steps_slider.value = 40
    assert app.runs["SGD"].steps == 40
    app.start_sliders[0].value = -3.0
    np.testing.assert_allclose(app.runs["SGD"].xs[0], [-3.0, app.start[1]])
    assert app.redraw_count == count + 2


def test_toggling_a_method_adds_its_run(app):
    app.method_buttons["Adam"].value = True
    try:
        assert "Adam" in app.runs
        assert app.method_boxes["Adam"].layout.display == "flex"
    finally:
        app.method_buttons["Adam"].value = False
    assert "Adam" not in app.runs


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_every_objective_draws_and_keeps_its_contours(name):
    app = explore(methods=["Adam"], objective="ellipse", steps=10)
    app.objective_dropdown.value = name
    ax, f, _ = app._panels[name]
    contour_artists = list(ax.collections)
    assert contour_artists, "no contour lines drawn"
    lo, hi = f.bounds[0]
    assert lo <= app.start[0] <= hi
    app.sliders["Adam"]["lr"].value = 0.05          # a redraw reuses the same contour artists
    assert list(ax.collections) == contour_artists
    assert app.runs["Adam"].steps == 10


def test_static_book_gets_a_note_and_a_still_picture(app):
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    note = bundle["text/html"]
    assert "needs a running kernel" in note and "Binder" in note and "Live Code" in note
    assert 'src="data:image/png;base64,' in note
    assert "http" not in note
    assert "text/markdown" not in bundle


def test_snapshot_note_without_a_picture():
    assert "<img" not in snapshot_note(None)


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="unknown method"):
        explore(methods=["Shampoo"])
    with pytest.raises(ValueError, match="unknown objective"):
        explore(objective="Himmelblau")


def test_params_set_the_starting_values():
    app = explore(methods=["NAG"], params={"Nesterov": {"lr": 0.05, "momentum": 0.8}})
    assert app.methods == ["Nesterov"]
    assert math.isclose(app.sliders["Nesterov"]["momentum"].value, 0.8)
    assert math.isclose(app.sliders["Nesterov"]["lr"].value, 0.05, rel_tol=0.03)


def test_a_method_asked_for_by_an_alias_is_labelled_with_it():
    from optbook.explorer import explore

    app = explore(methods=["GD"], objective="ellipse", steps=5)
    assert app.methods == ["SGD"]
    assert app.method_buttons["SGD"].description == "GD"
    assert app.loss_lines["SGD"].get_label() == "GD"
    assert app.status.value.startswith("after 5 steps: GD: f = ")
    assert explore(methods=["SGD"], steps=5).method_buttons["SGD"].description == "SGD"

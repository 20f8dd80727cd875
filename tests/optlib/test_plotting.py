"""optlib.plotting: every function draws headless (Agg, set in conftest) and returns its axes."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import optlib
from optlib import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def runs():
    f = optlib.ellipse()
    return {
        "GD lr=0.4": optlib.run(optlib.SGD(lr=0.4), f, [-5.0, -2.0], 20),
        "Momentum": optlib.run(optlib.Momentum(lr=0.4, momentum=0.5), f, [-5.0, -2.0], 20),
    }


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_backend_is_headless():
    assert matplotlib.get_backend().lower() == "agg"


def test_contour():
    ax = plotting.contour(optlib.ellipse())
    assert isinstance(ax, Axes)
    assert len(ax.collections) == 1  # one contour set
    assert len(ax.lines) == 1  # the star at the minimum
    star = ax.lines[0]
    assert star.get_label() == "minimum"
    np.testing.assert_array_equal(star.get_xydata(), [[0.0, 0.0]])
    assert ax.get_xlim() == (-6.0, 6.0) and ax.get_ylim() == (-3.0, 3.0)  # ellipse's bounds
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")


def test_contour_options_and_saddle_label():
    fig, ax = plt.subplots()
    out = plotting.contour(optlib.saddle(), ax=ax, bounds=((-1, 1), (-2, 2)))
    assert out is ax
    assert ax.lines[0].get_label() == "saddle"
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-2.0, 2.0)
    bare = plotting.contour(optlib.quadratic(np.eye(2)), mark_minimum=False)
    assert len(bare.lines) == 0
    assert bare.get_xlim() == (-5.0, 5.0)  # default window without bounds


def test_trajectories(runs):
    raw = {"Adam": optlib.run(optlib.Adam(lr=0.3), optlib.ellipse(), [-5.0, -2.0], 10).xs,
           "my method": np.array([[-5.0, -2.0], [0.0, 0.0]])}
    ax = plotting.trajectories(optlib.ellipse(), {**runs, **raw}, title="paths")
    # the minimum star, then per run a path and a start marker, then one legend entry "start"
    assert len(ax.lines) == 1 + 2 * 4 + 1
    assert _legend_texts(ax) == ["minimum", "GD lr=0.4", "Momentum", "Adam", "my method", "start"]
    assert ax.get_title() == "paths"
    paths = [line for line in ax.lines if line.get_label() in {**runs, **raw}]
    np.testing.assert_array_equal(paths[1].get_xydata(), runs["Momentum"].xs)
    # without method styles: matplotlib's colour cycle, in the order of the runs
    colors = [to_hex(line.get_color()) for line in paths]
    assert colors == [to_hex(f"C{i}") for i in range(4)]


def test_trajectories_rejects_batched_runs():
    batched = optlib.run(optlib.SGD(lr=np.array([[0.1], [0.2]])), optlib.ellipse(), [1.0, 1.0], 3)
    with pytest.raises(ValueError, match="expected iterates of shape"):
        plotting.trajectories(optlib.ellipse(), {"GD": batched})


def test_loss_curves(runs):
    curves = {**runs, "manual": [4.0, 2.0, 0.0, -1.0]}
    ax = plotting.loss_curves(curves, title="loss")
    assert len(ax.lines) == 3
    assert _legend_texts(ax) == ["GD lr=0.4", "Momentum", "manual"]
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), runs["GD lr=0.4"].values)
    # on a log scale, gaps ≤ 0 are not drawn
    np.testing.assert_array_equal(ax.lines[2].get_ydata(), [4.0, 2.0, np.nan, np.nan])
    assert ax.get_ylabel() == "$f(x_t) - f^*$" and ax.get_xlabel() == "step $t$"


def test_loss_curves_linear_with_offset():
    fig, ax = plt.subplots()
    out = plotting.loss_curves({"a": [3.0, 2.0]}, ax=ax, min_value=1.0, log=False, ylabel="y")
    assert out is ax and ax.get_yscale() == "linear" and ax.get_ylabel() == "y"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [2.0, 1.0])


@pytest.fixture
def method_styles():
    plotting.set_method_styles({"GD": {"color": "#123456"}, "Adam": {"color": "#abcdef",
                                                                     "linestyle": "--"}})
    yield
    plotting.set_method_styles({})


def test_method_styles_follow_the_first_word_of_a_label(runs, method_styles):
    ax = plotting.loss_curves({**runs, "Adam, β₂ = 0.9": [2.0, 1.0]}, log=False)
    colors = [to_hex(line.get_color()) for line in ax.lines]
    assert colors == ["#123456", to_hex("C1"), "#abcdef"]
    assert ax.lines[2].get_linestyle() == "--"


def test_colors_and_styles_override_the_method_style(runs, method_styles):
    ax = plotting.trajectories(optlib.ellipse(), runs, colors={"GD lr=0.4": "#000000"},
                               styles={"Momentum": {"color": "#ff0000", "linestyle": ":"}})
    paths = [line for line in ax.lines if line.get_label() in runs]
    assert [to_hex(p.get_color()) for p in paths] == ["#000000", "#ff0000"]
    assert paths[1].get_linestyle() == ":"
    # the start marker takes its run's colour
    starts = [line for line in ax.lines if line.get_marker() == "o" and line.get_label() != "start"]
    assert [to_hex(s.get_color()) for s in starts] == ["#000000", "#ff0000"]


def test_an_empty_label_does_not_crash(method_styles):
    ax = plotting.loss_curves({"": [3.0, 2.0], "Adam": [2.0, 1.0]}, log=False)
    assert to_hex(ax.lines[0].get_color()) == to_hex("C0")
    assert to_hex(ax.lines[1].get_color()) == "#abcdef"


def test_compare(runs):
    fig = plotting.compare(optlib.ellipse(), runs, title="GD vs momentum")
    assert isinstance(fig, Figure)
    left, right = fig.axes
    assert left.get_title() == "trajectories" and right.get_title() == "loss"
    assert len(right.lines) == 2
    assert len(left.lines) == 1 + 2 * 2 + 1
    assert fig._suptitle.get_text() == "GD vs momentum"
    # the loss panel is f − f* with f* = 0 for the ellipse
    np.testing.assert_allclose(right.lines[1].get_ydata(), runs["Momentum"].values)

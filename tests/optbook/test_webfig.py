"""Kernel-free interactive figures: self-contained, small, every setting stored, unique ids."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import optlib
from optbook.webfig import (
    MAX_BYTES,
    WebFigure,
    decode_losses,
    decode_paths,
    encode_losses,
    encode_paths,
    sweep_figure,
)

LRS = np.geomspace(0.01, 1.0, 13)
ALPHAS = np.linspace(0.0, 0.95, 20)


@pytest.fixture(scope="module")
def fig() -> WebFigure:
    return sweep_figure("Momentum", "ellipse", sweep={"lr": LRS, "momentum": ALPHAS},
                        start={"lr": 0.1, "momentum": 0.5}, steps=60)


def _data(snippet: str) -> dict:
    found = re.search(r'<script type="application/json" class="owf-data">(.*?)</script>',
                      snippet, re.S)
    assert found, "no data block in the snippet"
    return json.loads(found.group(1))


def test_snippet_is_self_contained(fig):
    snippet = fig.to_html()
    assert "http://" not in snippet and "https://" not in snippet
    assert "src=" not in snippet            # no external script, image or frame
    assert "<link" not in snippet and "@import" not in snippet
    assert snippet.count("<script") == 2    # the data and the inline script, nothing else


def test_snippet_is_below_one_megabyte(fig):
    size = len(fig.to_html().encode("utf-8"))
    assert size == pytest.approx(fig.size_bytes, abs=64)
    assert size < MAX_BYTES == 1_000_000


def test_a_figure_too_large_is_refused():
    with pytest.raises(ValueError, match="MB"):
        sweep_figure("SGD", "ellipse", sweep={"lr": np.geomspace(0.01, 0.4, 60)},
                     steps=300, max_bytes=50_000)


def test_every_setting_is_stored_and_matches_a_run(fig):
    data = _data(fig.to_html())
    assert [p["name"] for p in data["params"]] == ["lr", "momentum"]
    np.testing.assert_allclose(data["params"][0]["values"], LRS, rtol=1e-3)
    np.testing.assert_allclose(data["params"][1]["values"], ALPHAS, rtol=1e-3, atol=1e-12)
    assert len(data["lengths"]) == len(data["final"]) == len(data["diverged"]) == 13 * 20
    f = optlib.ellipse()
    (x_lo, x_hi), (y_lo, y_hi) = f.bounds
    w, h = x_hi - x_lo, y_hi - y_lo
    # run k is the row-major index (lr outer, momentum inner), as the page's script reads it
    for i, j in [(0, 0), (5, 10), (12, 19), (7, 3)]:
        k = i * 20 + j
        traj = optlib.run(optlib.Momentum(lr=LRS[i], momentum=ALPHAS[j]), f, [-5.0, -2.0], 60)
        path, loss = fig.run(k)
        n = data["lengths"][k]
        assert path.shape == (n, 2) and loss.shape == (n,)
        if data["diverged"][k] < 0:
            assert n == 61
        # a point is stored to 1/2000 of the window; far-away points are pulled in to 15 windows
        expected = np.clip(traj.xs[:n], [x_lo - 15 * w, y_lo - 15 * h],
                           [x_hi + 15 * w, y_hi + 15 * h])
        np.testing.assert_allclose(path, expected, rtol=0, atol=0.51 * max(w, h) / 2000)
        # losses on the log axis to 0.12 % (half a step of 0.001 in log10)
        gap = traj.values[:n] - f.min_value
        shown = gap > 0
        np.testing.assert_allclose(loss[shown], gap[shown], rtol=10 ** 0.0005 - 1 + 1e-9)
        np.testing.assert_allclose(data["final"][k], gap[n - 1], rtol=1e-3, atol=1e-300)


def test_encoding_round_trips_and_is_compact():
    bounds = [[-6.0, 6.0], [-3.0, 3.0]]
    rng = np.random.default_rng(0)
    xs = rng.uniform(-6, 6, size=(500, 2)) * [1, 0.5]
    back = decode_paths(encode_paths(xs, bounds), bounds)
    np.testing.assert_allclose(back, xs, atol=12 / 2000 / 2 + 1e-12)
    losses = 10.0 ** rng.uniform(-20, 5, size=500)
    losses[:3] = 0.0
    back = decode_losses(encode_losses(losses, True, [-20, 5]), True, [-20, 5])
    assert np.all(back[:3] == 0)
    np.testing.assert_allclose(back[3:], losses[3:], rtol=10 ** 0.0005 - 1 + 1e-9)
    lin = rng.uniform(-40, 3, size=500)
    back = decode_losses(encode_losses(lin, False, [-40, 3]), False, [-40, 3])
    np.testing.assert_allclose(back, lin, atol=43 / 20000 / 2 + 1e-9)
    # 2 bytes a number, 4/3 for base64: under 3 characters a number
    assert len(encode_paths(xs, bounds)) <= 1000 * 8 / 3 + 4


def test_sliders_start_exactly_at_the_start_value():
    grid = np.geomspace(0.05, 0.55, 15)          # holds no 0.4
    fig = sweep_figure("GD", "ellipse", sweep={"lr": grid}, start={"lr": 0.4}, steps=10)
    p = fig.data["params"][0]
    assert p["values"][p["start"]] == 0.4
    assert len(p["values"]) == 16 and p["values"] == sorted(p["values"])
    # a start value the grid already holds adds nothing
    fig = sweep_figure("GD", "ellipse", sweep={"lr": [0.1, 0.2, 0.4]}, start={"lr": 0.2},
                       steps=10)
    assert fig.data["params"][0]["values"] == [0.1, 0.2, 0.4]
    assert fig.data["params"][0]["start"] == 1
    with pytest.raises(ValueError, match="outside its swept values"):
        sweep_figure("GD", "ellipse", sweep={"lr": [0.1, 0.2]}, start={"lr": 0.5}, steps=10)
    with pytest.raises(ValueError, match="not swept"):
        sweep_figure("GD", "ellipse", sweep={"lr": [0.1, 0.2]}, start={"momentum": 0.5},
                     steps=10)


def test_ids_are_unique_across_figures_and_displays(fig):
    other = sweep_figure("RMSProp", "ellipse", steps=20)
    snippets = [fig.to_html(), fig._repr_html_(), other._repr_html_()]
    ids = [re.search(r'<div id="([^"]+)"', s).group(1) for s in snippets]
    assert len(set(ids)) == 3
    for snippet, fid in zip(snippets, ids, strict=True):
        # the script and the scoped style refer to their own figure only
        assert f'getElementById("{fid}")' in snippet
        assert f"#{fid} " in snippet
        assert not any(f'"{o}"' in snippet for o in ids if o != fid)


def test_only_html_is_offered(fig):
    assert callable(getattr(fig, "_repr_html_", None))
    for name in ("_repr_markdown_", "_repr_mimebundle_", "_repr_javascript_", "_repr_png_"):
        assert not hasattr(fig, name), name


def test_the_script_defines_no_globals_and_skips_mathjax(fig):
    snippet = fig.to_html()
    script = snippet.split("<script>")[1]
    assert script.lstrip().startswith("(function () {")
    assert "define(" not in script and "require(" not in script
    assert "mathjax_ignore" in snippet and "tex2jax_ignore" in snippet
    assert "$" not in snippet and "\\(" not in snippet.replace("\\\\(", "")


def test_default_sweep_uses_the_method_constant():
    fig = sweep_figure("Adam", "Rosenbrock", steps=20)
    assert [p["name"] for p in fig.data["params"]] == ["lr", "beta1"]
    fig = sweep_figure("GD", "saddle", steps=20)
    assert [p["name"] for p in fig.data["params"]] == ["lr"]
    assert fig.data["log"] is False


def test_diverged_runs_are_cut_and_flagged():
    fig = sweep_figure("SGD", "ellipse", sweep={"lr": [0.1, 0.6]}, steps=40)
    ok, bad = fig.data["diverged"]
    assert ok == -1 and bad > 0
    assert fig.data["lengths"] == [41, bad]
    assert len(fig.run(1)[1]) == bad
    json.dumps(fig.data, allow_nan=False)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown method"):
        sweep_figure("Shampoo")
    with pytest.raises(ValueError, match="no hyper-parameter"):
        sweep_figure("SGD", sweep={"momentum": [0.5]})
    with pytest.raises(ValueError, match="unknown objective"):
        sweep_figure("SGD", "Himmelblau")


# --- curves_figure: a slider over precomputed curves --------------------------------------

def _curves():
    rng = np.random.default_rng(0)
    loss = np.exp(-np.linspace(0, 3, 11))[None, None, :] * rng.uniform(0.5, 2, (5, 3, 1))
    loss[4, 1, 6:] = np.inf  # one diverged seed at the last setting
    acc = 1 - loss / 4
    return loss, acc


def test_curves_figure_stores_every_setting_and_seed():
    from optbook.webfig import curves_figure

    loss, acc = _curves()
    fig = curves_figure(np.arange(11) * 21, {"training loss": loss, "test accuracy": acc},
                        "lr", np.geomspace(1e-3, 1, 5), symbol="ε", start=2,
                        log=["training loss"], title="one optimizer")
    data = _data(fig.to_html())
    assert data["param"]["values"][2] == pytest.approx(np.geomspace(1e-3, 1, 5)[2], rel=1e-3)
    panel = data["panels"][0]
    assert panel["log"] and len(panel["curves"]) == 5 and len(panel["curves"][0]) == 3
    # log panel stores log10 of the data, 4 significant digits
    assert panel["curves"][1][2][4] == pytest.approx(np.log10(loss[1, 2, 4]), rel=1e-3)
    assert panel["mean"][0][3] == pytest.approx(np.log10(loss[0, :, 3]).mean(), rel=1e-3)
    # the diverged seed becomes a gap, and so does the mean at those points
    assert panel["curves"][4][1][6] is None and panel["mean"][4][6] is None
    assert panel["curves"][4][1][5] is not None
    assert data["panels"][1]["log"] is False
    snippet = fig.to_html()
    assert snippet.count("<canvas") == 2 and "https://" not in snippet
    assert snippet.count("<script") == 2 and fig.size_bytes < 50_000
    assert fig.to_html() != fig.to_html()  # a fresh element id at every display


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"panels": {}}, "at least one panel"),
    ({"panels": {"a": np.ones((4, 3, 11))}}, "shape"),
    ({"log": ["b"]}, "do not exist"),
    ({"start": 9}, "start"),
    ({"x": [1.0]}, "x must be"),
    ({"panels": {"a": np.full((5, 3, 11), np.nan)}}, "no finite value"),
])
def test_curves_figure_refuses_bad_input(kwargs, match):
    from optbook.webfig import curves_figure

    args = {"x": np.arange(11), "panels": {"a": np.ones((5, 3, 11))}, "param": "lr",
            "values": np.arange(1.0, 6.0)} | kwargs
    with pytest.raises(ValueError, match=match):
        curves_figure(**args)

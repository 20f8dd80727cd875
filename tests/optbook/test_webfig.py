"""Kernel-free interactive figures: self-contained, small, every setting stored, unique ids."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import optlib
from optbook.webfig import MAX_BYTES, WebFigure, sweep_figure

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
    assert len(data["paths"]) == len(data["losses"]) == len(data["diverged"]) == 13 * 20
    f = optlib.ellipse()
    # run k is the row-major index (lr outer, momentum inner), as the page's script reads it
    for i, j in [(0, 0), (5, 10), (12, 19), (7, 3)]:
        k = i * 20 + j
        traj = optlib.run(optlib.Momentum(lr=LRS[i], momentum=ALPHAS[j]), f, [-5.0, -2.0], 60)
        n = len(data["paths"][k]) // 2
        if data["diverged"][k] < 0:
            assert n == 61
        path = np.array(data["paths"][k]).reshape(-1, 2)
        # points far outside the window (20 window widths) are pulled in to keep numbers short
        (x_lo, x_hi), (y_lo, y_hi) = f.bounds
        w, h = x_hi - x_lo, y_hi - y_lo
        expected = np.clip(traj.xs[:n], [x_lo - 20 * w, y_lo - 20 * h],
                           [x_hi + 20 * w, y_hi + 20 * h])
        np.testing.assert_allclose(path, expected, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(data["losses"][k], traj.values[: len(data["losses"][k])],
                                   rtol=1e-3, atol=1e-12)


def test_values_are_rounded_to_four_significant_digits(fig):
    data = _data(fig.to_html())
    numbers = re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", json.dumps(data["paths"][:20]))
    digits = [len(n.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) for n in numbers]
    assert max(digits) <= 4


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
    assert len(fig.data["losses"][1]) == bad
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

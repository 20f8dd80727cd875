"""optlib's SignSGD, Lion and schedule-free SGD / AdamW agree with optax, step by step.

References: ``tests/fixtures/optax_reference.npz`` from ``tests/fixtures/make_optax_reference.py``
(jax.grad gradients, float64). This module needs numpy only. Measure, for every step t:

    ‖x_optlib(t) − x_optax(t)‖ ≤ 1e-10 · max(1, ‖x_optax(t)‖),

on optax's ``params`` and, for schedule-free, also on its evaluation point
(``schedule_free_eval_params``, optlib's ``opt.average(y, state)``). Negative controls: a
setting changed by one part in a million, Lion with β₁ and β₂ swapped, and schedule-free
SGD's z-sequence (plain SGD) in place of y all fail.

``python tests/optlib/test_optax_agreement.py`` prints the largest error of every case.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pytest

import optlib
from optbook.reference import objective_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "optax_reference.npz"
RTOL = 1e-10
CLASSES = {"signsgd": optlib.SignSGD, "lion": optlib.Lion,
           "schedule_free_sgd": optlib.ScheduleFreeSGD,
           "schedule_free_adamw": optlib.ScheduleFreeAdamW}
OBJECTIVE_NAMES = ("ellipse", "rosenbrock", "quadratic", "beale")


def _load() -> tuple[dict, dict[str, np.ndarray]]:
    with np.load(FIXTURE, allow_pickle=False) as data:
        manifest = json.loads(str(data["manifest"]))
        arrays = {key: data[key] for key in data.files if key != "manifest"}
    return manifest, arrays


MANIFEST, ARRAYS = _load()
CASES = {case["name"]: case for case in MANIFEST["cases"]}


def objective(key: str) -> optlib.Objective:
    spec = MANIFEST["objectives"][key]
    return objective_for(spec)


def optlib_kwargs(optax_kwargs: dict) -> dict:
    """The mapping optax -> optlib: learning_rate -> lr, b1 -> beta1, b2 -> beta2."""
    names = {"learning_rate": "lr", "b1": "beta1", "b2": "beta2"}
    return {names.get(k, k): v for k, v in optax_kwargs.items()}


def make(case: dict, **changes: float) -> optlib.Optimizer:
    return CLASSES[case["family"]](**{**optlib_kwargs(case["kwargs"]), **changes})


def rel_errors(xs: np.ndarray, ref: np.ndarray) -> np.ndarray:
    assert xs.shape == ref.shape, (xs.shape, ref.shape)
    return np.linalg.norm(xs - ref, axis=-1) / np.maximum(1.0, np.linalg.norm(ref, axis=-1))


def run_with_average(opt: optlib.Optimizer, case: dict) -> tuple[np.ndarray, np.ndarray]:
    """The iterates y and the evaluation points x of a schedule-free run."""
    pairs = optlib.iterate(opt, objective(case["objective"]).grad, case["x0"], case["steps"])
    ys = np.stack([y for y, _ in pairs])
    xs = np.stack([ys[0]] + [opt.average(y, state) for y, state in pairs[1:]])
    return ys, xs


def max_error(name: str) -> float:
    case = CASES[name]
    xs = optlib.run(make(case), objective(case["objective"]), case["x0"], case["steps"]).xs
    return float(rel_errors(xs, ARRAYS[case["key"]]).max())


# --- the fixture ------------------------------------------------------------------------------


def test_fixture_is_complete():
    assert FIXTURE.stat().st_size < 1_000_000
    assert MANIFEST["dtype"] == "float64"
    for family in CLASSES:
        for key in OBJECTIVE_NAMES:
            assert sum(c["family"] == family and c["objective"] == key
                       for c in CASES.values()) >= 2, (family, key)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_case_is_well_conditioned_and_moves(name):
    case, xs = CASES[name], ARRAYS[CASES[name]["key"]]
    assert xs.shape == (case["steps"] + 1, len(case["x0"])) and np.isfinite(xs).all()
    np.testing.assert_array_equal(xs[0], case["x0"])
    assert np.linalg.norm(xs[-1] - xs[0]) > 1e-2
    assert case["noise_amplification"] * MANIFEST["noise"] <= 1e-2 * RTOL


def test_defaults_are_optaxs():
    expected = {
        "signsgd": {"lr": inspect.Parameter.empty},
        "lion": {"lr": inspect.Parameter.empty, "beta1": 0.9, "beta2": 0.99,
                 "weight_decay": 1e-3},
        "schedule_free_sgd": {"lr": 1.0, "beta1": 0.9, "weight_decay": 0.0,
                              "weight_lr_power": 2.0},
        "schedule_free_adamw": {"lr": 2.5e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                                "weight_decay": 0.0, "weight_lr_power": 2.0},
    }
    for family, cls in CLASSES.items():
        params = inspect.signature(cls).parameters
        assert {k: p.default for k, p in params.items()} == expected[family], family


# --- agreement --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_optlib_agrees_with_optax(name):
    case = CASES[name]
    opt = make(case)
    if "eval_key" in case:
        ys, xs = run_with_average(opt, case)
        assert rel_errors(xs, ARRAYS[case["eval_key"]]).max() <= RTOL, "evaluation point"
    else:
        ys = optlib.run(opt, objective(case["objective"]), case["x0"], case["steps"]).xs
    errors = rel_errors(ys, ARRAYS[case["key"]])
    worst = int(errors.argmax())
    assert errors[worst] <= RTOL, f"{name}: relative error {errors[worst]:.3g} at step {worst}"


@pytest.mark.parametrize("family", sorted(CLASSES))
@pytest.mark.parametrize("key", OBJECTIVE_NAMES)
def test_batched_settings_agree_with_optax(family, key):
    names = sorted(n for n, c in CASES.items() if c["family"] == family and c["objective"] == key)
    cls = CLASSES[family]
    defaults = {k: p.default for k, p in inspect.signature(cls).parameters.items()}
    settings = [{**defaults, **optlib_kwargs(CASES[n]["kwargs"])} for n in names]
    batched = cls(**{k: np.array([s[k] for s in settings])[:, None] for k in defaults})
    case = CASES[names[0]]
    xs = optlib.run(batched, objective(key), case["x0"], case["steps"]).xs
    for k, name in enumerate(names):
        assert rel_errors(xs[:, k], ARRAYS[CASES[name]["key"]]).max() <= RTOL, name


# --- the comparisons can fail -------------------------------------------------------------------


@pytest.mark.parametrize("family", sorted(CLASSES))
def test_a_learning_rate_changed_by_one_part_in_a_million_breaks_agreement(family):
    case = CASES[f"{family}-ellipse-2"]
    opt = make(case, lr=case["kwargs"]["learning_rate"] * (1 + 1e-6))
    xs = optlib.run(opt, objective("ellipse"), case["x0"], case["steps"]).xs
    assert rel_errors(xs, ARRAYS[case["key"]]).max() > 1e3 * RTOL


def test_lion_with_its_two_decays_swapped_differs():
    case = CASES["lion-ellipse-2"]
    kw = optlib_kwargs(case["kwargs"])
    swapped = optlib.Lion(**{**kw, "beta1": kw["beta2"], "beta2": kw["beta1"]})
    xs = optlib.run(swapped, objective("ellipse"), case["x0"], case["steps"]).xs
    assert rel_errors(xs, ARRAYS[case["key"]]).max() > 1e-3


def test_schedule_free_points_are_three_different_sequences():
    """y (optax's params), x (the average) and z (the SGD iterate) all differ."""
    case = CASES["schedule_free_sgd-quadratic-1"]
    opt = make(case)
    ys, xs = run_with_average(opt, case)
    assert rel_errors(xs, ARRAYS[case["key"]]).max() > 1e-3     # x is not y
    sgd = optlib.run(optlib.SGD(lr=case["kwargs"]["learning_rate"]), objective("quadratic"),
                     case["x0"], case["steps"]).xs
    assert rel_errors(sgd, ARRAYS[case["key"]]).max() > 1e-3    # nor plain SGD


if __name__ == "__main__":
    print(f"optax {MANIFEST['optax']}, {len(CASES)} cases, tolerance {RTOL:g}")
    worst = 0.0
    for name in CASES:
        err = max_error(name)
        worst = max(worst, err)
        print(f"{name:34s} {err:.3g}")
    print(f"worst {worst:.3g}")

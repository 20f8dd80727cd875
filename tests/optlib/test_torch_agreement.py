"""optlib agrees with torch.optim, step by step, to a relative 1e-10 in float64.

The reference trajectories were made by torch (autograd gradients, float64, CPU) with
``tests/fixtures/make_torch_reference.py``; this module needs numpy only, and reads them with
:func:`optbook.reference.torch_reference`, the loader chapter 11 uses too. For every case
it runs the optlib form(s) that are PyTorch's optimizer (the notes' class, or its
framework form in :mod:`optlib.frameworks`) and compares all iterates:

    ‖x_optlib(t) − x_torch(t)‖ ≤ 1e-10 · max(1, ‖x_torch(t)‖)   for every step t.

The optlib side uses optlib's own numpy gradients, so the objectives are checked too.
The tests also show that they can fail: a perturbed hyper-parameter, the notes' RMSProp
(δ inside the root) and the wrong Nesterov variable all break agreement.

``python tests/optlib/test_torch_agreement.py`` prints the largest error of every comparison.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import pytest

import optlib
from optbook.reference import FIXTURE, relative_errors, torch_reference
from optlib import frameworks

RTOL = 1e-10

FAMILIES = ("sgd", "sgd_momentum", "sgd_nesterov", "adagrad", "rmsprop", "adadelta", "adam")
OBJECTIVE_NAMES = ("ellipse", "rosenbrock", "quadratic", "beale")

TORCH = torch_reference()  # the one loader, shared with chapter 11
MANIFEST, REFERENCE, CASES = TORCH.manifest, TORCH.xs, TORCH.cases
objective = TORCH.objective  # case name -> the optlib objective with its numpy gradient


def rel_errors(xs: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Per step ‖x − x_ref‖ / max(1, ‖x_ref‖) (:func:`optbook.reference.relative_errors`)."""
    return relative_errors(xs, ref)


def trajectory(opt: optlib.Optimizer, case: dict) -> np.ndarray:
    """optlib's iterates ``(steps + 1, d)`` for the case's objective, x0 and steps."""
    return optlib.run(opt, objective(case), case["x0"], case["steps"]).xs


def lookahead_trajectory(opt: optlib.Nesterov, case: dict) -> np.ndarray:
    """optlib.Nesterov's look-ahead points φ_t = θ_t + α v_t (what torch reports)."""
    pairs = optlib.iterate(opt, objective(case).grad, case["x0"], case["steps"])
    return np.stack([frameworks.nesterov_lookahead(x, state.v, opt.momentum)
                     for x, state in pairs])


# --- the mapping torch -> optlib ----------------------------------------------------------
# For each family: (label, function case-kwargs -> optlib iterates). Every entry must agree.

Form = Callable[[dict, dict], np.ndarray]


def _sgd(kw: dict, case: dict) -> np.ndarray:
    return trajectory(optlib.SGD(lr=kw["lr"]), case)


def _torch_sgd(kw: dict, case: dict) -> np.ndarray:
    return trajectory(frameworks.TorchSGD(lr=kw["lr"], momentum=kw.get("momentum", 0.0),
                                           nesterov=kw.get("nesterov", False)), case)


def _momentum(kw: dict, case: dict) -> np.ndarray:
    return trajectory(optlib.Momentum(lr=kw["lr"], momentum=kw["momentum"]), case)


def _nesterov_lookahead(kw: dict, case: dict) -> np.ndarray:
    return lookahead_trajectory(optlib.Nesterov(lr=kw["lr"], momentum=kw["momentum"]), case)


def _adagrad(kw: dict, case: dict) -> np.ndarray:
    return trajectory(optlib.AdaGrad(lr=kw["lr"], eps=kw["eps"],
                                     initial_accumulator=kw.get("initial_accumulator_value",
                                                                0.0)), case)


def _torch_rmsprop(kw: dict, case: dict) -> np.ndarray:
    return trajectory(frameworks.TorchRMSprop(lr=kw["lr"], alpha=kw["alpha"], eps=kw["eps"]),
                      case)


def _notes_rmsprop(kw: dict, case: dict) -> np.ndarray:
    return trajectory(optlib.RMSProp(lr=kw["lr"], rho=kw["alpha"], eps=kw["eps"]), case)


def _adadelta(kw: dict, case: dict) -> np.ndarray:
    return trajectory(optlib.AdaDelta(rho=kw["rho"], eps=kw["eps"], lr=kw["lr"]), case)


def _adam(kw: dict, case: dict) -> np.ndarray:
    beta1, beta2 = kw["betas"]
    return trajectory(optlib.Adam(lr=kw["lr"], beta1=beta1, beta2=beta2, eps=kw["eps"]), case)


FORMS: dict[str, tuple[tuple[str, Form], ...]] = {
    "sgd": (("optlib.SGD", _sgd), ("frameworks.TorchSGD", _torch_sgd)),
    "sgd_momentum": (("optlib.Momentum", _momentum), ("frameworks.TorchSGD", _torch_sgd)),
    "sgd_nesterov": (("frameworks.TorchSGD(nesterov=True)", _torch_sgd),
                     ("optlib.Nesterov lookahead θ+αv", _nesterov_lookahead)),
    "adagrad": (("optlib.AdaGrad", _adagrad),),
    "rmsprop": (("frameworks.TorchRMSprop", _torch_rmsprop),),
    "adadelta": (("optlib.AdaDelta", _adadelta),),
    "adam": (("optlib.Adam", _adam),),
}

PAIRS = [(name, label) for name, case in CASES.items() for label, _ in FORMS[case["family"]]]


def max_error(name: str, label: str) -> float:
    case = CASES[name]
    form = dict(FORMS[case["family"]])[label]
    return float(rel_errors(form(case["kwargs"], case), REFERENCE[name]).max())


# --- the fixture is what the tests claim it is -----------------------------------------------


def test_fixture_is_small_and_complete():
    assert FIXTURE.stat().st_size < 1_000_000
    assert MANIFEST["dtype"] == "float64"
    families = {case["family"] for case in CASES.values()}
    assert families == set(FAMILIES) == set(FORMS)
    for family in FAMILIES:
        for obj in OBJECTIVE_NAMES:
            settings = [c for c in CASES.values()
                        if c["family"] == family and c["objective"] == obj]
            assert len(settings) >= 2, (family, obj)
            assert len({json.dumps(c["kwargs"], sort_keys=True) for c in settings}) == len(
                settings)
    # The two required special settings are present.
    assert any(c["kwargs"].get("initial_accumulator_value", 0) > 0
               for c in CASES.values() if c["family"] == "adagrad")
    assert {c["kwargs"]["lr"] for c in CASES.values() if c["family"] == "adadelta"} > {1.0}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_case_shape(name):
    case, xs = CASES[name], REFERENCE[name]
    assert case["steps"] >= 100
    assert xs.dtype == np.float64
    assert xs.shape == (case["steps"] + 1, len(case["x0"]))
    np.testing.assert_array_equal(xs[0], case["x0"])
    assert np.isfinite(xs).all()
    # The run moved: a trajectory stuck at x0 would agree with anything that does not move.
    assert np.linalg.norm(xs[-1] - xs[0]) > 1e-2
    # The trajectory is well conditioned: the generator measured that a relative 1e-14
    # error in every gradient moves the iterates by at most 1e-11 (amplification ≤ 1e3),
    # so rounding differences between torch and numpy stay far below RTOL.
    assert case["noise_amplification"] * MANIFEST["noise"] <= 1e-2 * RTOL


def test_optlib_objectives_match_the_fixture_formulas():
    """Spot check of the objective specs against optlib's known minima."""
    assert objective("sgd-ellipse-1").condition_number == pytest.approx(20.0)
    assert objective("sgd-rosenbrock-1")([1.0, 1.0]) == 0.0
    assert objective("sgd-beale-1")([3.0, 0.5]) == pytest.approx(0.0, abs=1e-15)
    assert objective("sgd-quadratic-1").condition_number is not None


# --- agreement ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "label"), PAIRS, ids=[f"{n}::{lab}" for n, lab in PAIRS])
def test_optlib_agrees_with_torch(name, label):
    case = CASES[name]
    form = dict(FORMS[case["family"]])[label]
    errors = rel_errors(form(case["kwargs"], case), REFERENCE[name])
    worst = int(errors.argmax())
    assert errors[worst] <= RTOL, (
        f"{label} vs torch.optim.{case['optimizer']}({case['kwargs']}) on {case['objective']}: "
        f"relative error {errors[worst]:.3g} at step {worst}")


TORCH_DEFAULTS = {"initial_accumulator_value": 0.0, "momentum": 0.0, "nesterov": False}


def _batched(family: str, objective_key: str) -> tuple[list[str], np.ndarray]:
    """All settings of one family on one objective in ONE optlib call (hyper-parameters of
    shape (K, 1)), through the first form of the family."""
    names = sorted(n for n, c in CASES.items()
                   if c["family"] == family and c["objective"] == objective_key)
    cases = [CASES[n] for n in names]
    keys = set().union(*(c["kwargs"] for c in cases))
    kw = {}
    for key in keys:
        values = [c["kwargs"].get(key, TORCH_DEFAULTS.get(key)) for c in cases]
        if key == "betas":
            kw[key] = [np.array([v[i] for v in values])[:, None] for i in range(2)]
        elif isinstance(values[0], bool):
            assert len(set(values)) == 1
            kw[key] = values[0]
        else:
            kw[key] = np.array(values, dtype=np.float64)[:, None]
    label, form = FORMS[family][0]
    xs = form(kw, cases[0])  # x0 and steps are shared by every case of the group
    return names, xs


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("objective_key", OBJECTIVE_NAMES)
def test_batched_settings_agree_with_torch(family, objective_key):
    names, xs = _batched(family, objective_key)
    assert xs.shape[1] == len(names)
    for k, name in enumerate(names):
        assert rel_errors(xs[:, k], REFERENCE[name]).max() <= RTOL, name


# --- the tests can fail ---------------------------------------------------------------------

PERTURBED = {  # family -> (hyper-parameter, relative change)
    "sgd": ("lr", 1e-6),
    "sgd_momentum": ("momentum", 1e-6),
    "sgd_nesterov": ("momentum", 1e-6),
    "adagrad": ("eps", 1e-2),   # eps=1e-3 setting: the term δ matters
    "rmsprop": ("alpha", 1e-6),
    "adadelta": ("rho", 1e-6),
    "adam": ("lr", 1e-6),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_perturbed_hyperparameter_breaks_agreement(family):
    """A change of one part in a million (for Adagrad's eps, one in a hundred) is caught."""
    name = f"{family}-ellipse-2"
    case = CASES[name]
    key, change = PERTURBED[family]
    kw = dict(case["kwargs"])
    kw[key] = kw[key] * (1 + change)
    for label, form in FORMS[family]:
        worst = rel_errors(form(kw, case), REFERENCE[name]).max()
        assert worst > 1e3 * RTOL, (label, worst)


def test_perturbed_adam_beta2_breaks_agreement():
    case = CASES["adam-quadratic-1"]
    kw = dict(case["kwargs"], betas=[0.9, 0.999 + 1e-6])
    assert rel_errors(_adam(kw, case), REFERENCE["adam-quadratic-1"]).max() > 1e3 * RTOL


@pytest.mark.parametrize("objective_key", OBJECTIVE_NAMES)
def test_notes_rmsprop_differs_from_torch_when_eps_matters(objective_key):
    """optlib.RMSProp puts δ inside the root (the notes' form): with eps = 0.1 it is not
    torch's RMSprop, while frameworks.TorchRMSprop is (see test_optlib_agrees_with_torch)."""
    name = f"rmsprop-{objective_key}-2"
    case = CASES[name]
    assert case["kwargs"]["eps"] >= 1e-2
    # Observed: 1e-3 (Rosenbrock) to 0.13 (ellipse); 1e-4 is a million times RTOL.
    assert rel_errors(_notes_rmsprop(case["kwargs"], case), REFERENCE[name]).max() > 1e-4


@pytest.mark.parametrize("objective_key", OBJECTIVE_NAMES)
def test_notes_rmsprop_close_to_torch_when_eps_is_tiny(objective_key):
    """With eps = 1e-8 the placement of δ hardly matters for the path. Observed: 2e-11 on
    Rosenbrock (large gradients), 3e-8 to 8e-8 elsewhere, which is still above RTOL."""
    name = f"rmsprop-{objective_key}-1"
    case = CASES[name]
    assert case["kwargs"]["eps"] <= 1e-8
    worst = rel_errors(_notes_rmsprop(case["kwargs"], case), REFERENCE[name]).max()
    assert worst < 1e-6


@pytest.mark.parametrize("objective_key", OBJECTIVE_NAMES)
def test_nesterov_needs_the_change_of_variables(objective_key):
    """optlib.Nesterov's θ (not θ + αv) is not what torch reports, and heavy-ball momentum
    is not Nesterov: the look-ahead test above is not vacuous."""
    name = f"sgd_nesterov-{objective_key}-1"
    case = CASES[name]
    kw = case["kwargs"]
    theta = trajectory(optlib.Nesterov(lr=kw["lr"], momentum=kw["momentum"]), case)
    assert rel_errors(theta, REFERENCE[name]).max() > 1e-6
    assert rel_errors(_momentum(kw, case), REFERENCE[name]).max() > 1e-6


if __name__ == "__main__":  # a table of the largest relative error per comparison
    print(f"torch {MANIFEST['torch']}, {len(CASES)} cases, tolerance {RTOL:g}")
    for name, label in PAIRS:
        print(f"{name:28s} {label:38s} {max_error(name, label):.3g}")

"""optlib's part-V optimizers agree with torch.optim 2.13, step by step, to a relative 1e-10.

The references are ``tests/fixtures/torch_after_adam.npz``, made by
``tests/fixtures/make_torch_after_adam.py`` (torch autograd gradients, float64, CPU). Torch
runs Muon's Newton–Schulz iteration in bfloat16; the generator re-ran torch's own iteration
with that one cast removed, so Muon is compared in float64 (the manifest records the patch).
This module needs numpy only. Measure:

    ‖x_optlib(t) − x_torch(t)‖ ≤ 1e-10 · max(1, ‖x_torch(t)‖)   for every step t,

norms over all entries of the point (a matrix for Adafactor and Muon). The comparisons can
fail: a hyper-parameter changed by one part in a million, Adam in place of AMSGrad, Adam in
place of RAdam and Muon without Nesterov all break agreement.

``python tests/optlib/test_torch_after_adam.py`` prints the largest error of every case.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pytest

import optlib
from optbook.reference import objective_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "torch_after_adam.npz"
RTOL = 1e-10

CLASSES = {"amsgrad": optlib.AMSGrad, "nadam": optlib.NAdam, "radam": optlib.RAdam,
           "adamax": optlib.Adamax, "adafactor": optlib.Adafactor, "muon": optlib.Muon}
ELEMENTWISE = ("amsgrad", "nadam", "radam", "adamax")


def _load() -> tuple[dict, dict[str, np.ndarray]]:
    with np.load(FIXTURE, allow_pickle=False) as data:
        manifest = json.loads(str(data["manifest"]))
        xs = {case["name"]: data[case["key"]] for case in manifest["cases"]}
    return manifest, xs


MANIFEST, REFERENCE = _load()
CASES = {case["name"]: case for case in MANIFEST["cases"]}


def least_squares(spec: dict) -> optlib.Objective:
    """f(W) = ½‖AW − B‖²_F / k and its gradient Aᵀ(AW − B)/k, for W of shape (..., m, n)."""
    A, B = np.array(spec["A"]), np.array(spec["B"])
    k = A.shape[0]
    return optlib.Objective(
        value=lambda W: 0.5 * np.sum((A @ W - B) ** 2, axis=(-2, -1)) / k,
        grad=lambda W: A.T @ (A @ W - B) / k, name="least squares")


def objective(case: dict) -> optlib.Objective:
    key = case["objective"]
    if case["matrix"]:
        return least_squares(MANIFEST["matrix_objectives"][key])
    spec = MANIFEST["objectives"][key]
    return objective_for(spec)


def optlib_kwargs(family: str, torch_kwargs: dict) -> dict:
    """The mapping torch -> optlib: betas=(b1, b2) -> beta1, beta2; Adafactor's
    eps=(eps1, eps2) -> eps1, eps2; Adam's amsgrad=True -> the class AMSGrad."""
    kw = dict(torch_kwargs)
    if "betas" in kw:
        kw["beta1"], kw["beta2"] = kw.pop("betas")
    if family == "amsgrad":
        assert kw.pop("amsgrad") is True
    if family == "adafactor" and "eps" in kw:
        kw["eps1"], kw["eps2"] = kw.pop("eps")
    return kw


def trajectory(family: str, torch_kwargs: dict, case: dict) -> np.ndarray:
    opt = CLASSES[family](**optlib_kwargs(family, torch_kwargs))
    return optlib.run(opt, objective(case), case["x0"], case["steps"]).xs


def rel_errors(xs: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Per step ‖x − x_ref‖ / max(1, ‖x_ref‖), norms over all entries of a point."""
    assert xs.shape == ref.shape, (xs.shape, ref.shape)
    diff = (xs - ref).reshape(len(ref), -1)
    return np.linalg.norm(diff, axis=-1) / np.maximum(
        1.0, np.linalg.norm(ref.reshape(len(ref), -1), axis=-1))


def max_error(name: str) -> float:
    case = CASES[name]
    return float(rel_errors(trajectory(case["family"], case["kwargs"], case),
                            REFERENCE[name]).max())


# --- the fixture ------------------------------------------------------------------------------


def test_fixture_covers_every_family_and_both_adafactor_branches():
    assert FIXTURE.stat().st_size < 1_000_000
    assert MANIFEST["dtype"] == "float64" and MANIFEST["torch"].startswith("2.13")
    assert {c["family"] for c in CASES.values()} == set(CLASSES)
    for family in ELEMENTWISE:
        for key in ("ellipse", "rosenbrock", "quadratic", "beale"):
            assert sum(c["family"] == family and c["objective"] == key
                       for c in CASES.values()) >= 2, (family, key)
    adafactor = [c for c in CASES.values() if c["family"] == "adafactor"]
    assert {c["matrix"] for c in adafactor} == {True, False}
    muon = [c for c in CASES.values() if c["family"] == "muon"]
    shapes = {np.shape(c["x0"]) for c in muon}
    assert any(m > n for m, n in shapes) and any(m < n for m, n in shapes)  # tall and wide
    assert {c["kwargs"].get("nesterov", True) for c in muon} == {True, False}
    assert {c["kwargs"].get("adjust_lr_fn") for c in muon} >= {None, "match_rms_adamw"}
    assert "grad.clone()" in MANIFEST["muon_newton_schulz"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_case_is_well_conditioned_and_moves(name):
    case, xs = CASES[name], REFERENCE[name]
    assert xs.dtype == np.float64 and xs.shape == (case["steps"] + 1, *np.shape(case["x0"]))
    np.testing.assert_array_equal(xs[0], case["x0"])
    assert np.isfinite(xs).all()
    assert np.linalg.norm(xs[-1] - xs[0]) > 1e-2
    assert case["noise_amplification"] * MANIFEST["noise"] <= 1e-2 * RTOL


@pytest.mark.parametrize("family", sorted(CLASSES))
def test_defaults_are_torchs(family):
    """Cases that leave a setting out run with optlib's default, so the defaults must match
    torch 2.13's (lr, betas, eps, momentum_decay, beta2_decay, d, weight_decay, momentum…)."""
    torch_defaults = {
        "amsgrad": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "nadam": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                  "momentum_decay": 4e-3},
        "radam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "adamax": {"lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "adafactor": {"lr": 1e-2, "beta2_decay": -0.8, "eps1": None, "eps2": 1e-3, "d": 1.0,
                      "weight_decay": 0.0},
        "muon": {"lr": 1e-3, "weight_decay": 0.1, "momentum": 0.95, "eps": 1e-7,
                 "nesterov": True, "ns_coefficients": (3.4445, -4.7750, 2.0315), "ns_steps": 5,
                 "adjust_lr_fn": None},
    }[family]
    params = inspect.signature(CLASSES[family]).parameters
    assert {k: params[k].default for k in params} == torch_defaults


# --- agreement --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_optlib_agrees_with_torch(name):
    case = CASES[name]
    errors = rel_errors(trajectory(case["family"], case["kwargs"], case), REFERENCE[name])
    worst = int(errors.argmax())
    assert errors[worst] <= RTOL, (
        f"optlib vs torch.optim.{case['optimizer']}({case['kwargs']}) on {case['objective']}: "
        f"relative error {errors[worst]:.3g} at step {worst}")


@pytest.mark.parametrize("family", ELEMENTWISE)
@pytest.mark.parametrize("key", ["ellipse", "rosenbrock", "quadratic", "beale"])
def test_batched_settings_agree_with_torch(family, key):
    """Every setting of a family on one objective in ONE call (hyper-parameters (K, 1))."""
    names = sorted(n for n, c in CASES.items() if c["family"] == family and c["objective"] == key)
    cls = CLASSES[family]
    defaults = {k: p.default for k, p in inspect.signature(cls).parameters.items()}
    settings = [{**defaults, **optlib_kwargs(family, CASES[n]["kwargs"])} for n in names]
    batched = cls(**{k: np.array([s[k] for s in settings])[:, None] for k in defaults})
    case = CASES[names[0]]
    xs = optlib.run(batched, objective(case), case["x0"], case["steps"]).xs
    for k, name in enumerate(names):
        assert rel_errors(xs[:, k], REFERENCE[name]).max() <= RTOL, name


def test_batched_matrix_settings_agree_with_torch():
    """Adafactor on a matrix: two learning rates as an array of shape (2, 1, 1)."""
    case = CASES["adafactor-tall-1"]
    lrs = np.array([case["kwargs"]["lr"], 2 * case["kwargs"]["lr"]])[:, None, None]
    xs = optlib.run(optlib.Adafactor(lr=lrs), objective(case), case["x0"], case["steps"]).xs
    assert rel_errors(xs[:, 0], REFERENCE["adafactor-tall-1"]).max() <= RTOL
    single = optlib.run(optlib.Adafactor(lr=lrs[1, 0, 0]), objective(case), case["x0"],
                        case["steps"]).xs
    np.testing.assert_array_equal(xs[:, 1], single)


# --- the comparisons can fail -------------------------------------------------------------------

PERTURBED = {"amsgrad": "lr", "nadam": "lr", "radam": "beta2", "adamax": "beta1",
             "adafactor": "lr", "muon": "lr"}


@pytest.mark.parametrize("family", sorted(CLASSES))
def test_a_setting_changed_by_one_part_in_a_million_breaks_agreement(family):
    name = next(n for n, c in CASES.items() if c["family"] == family and n.endswith("-2"))
    case = CASES[name]
    kw = optlib_kwargs(family, case["kwargs"])
    key = PERTURBED[family]
    default = inspect.signature(CLASSES[family]).parameters[key].default
    kw[key] = kw.get(key, default) * (1 + 1e-6)
    opt = CLASSES[family](**kw)
    xs = optlib.run(opt, objective(case), case["x0"], case["steps"]).xs
    assert rel_errors(xs, REFERENCE[name]).max() > 1e3 * RTOL


def _adam(case: dict) -> np.ndarray:
    kw = optlib_kwargs("amsgrad", {**case["kwargs"], "amsgrad": True})
    return optlib.run(optlib.Adam(**kw), objective(case), case["x0"], case["steps"]).xs


def test_adam_is_not_amsgrad_and_not_radam():
    """The running maximum and the rectification change the iterates (the AMSGrad cases
    where s shrinks somewhere, and every RAdam case)."""
    amsgrad = [n for n, c in CASES.items() if c["family"] == "amsgrad"]
    differs = [rel_errors(_adam(CASES[n]), REFERENCE[n]).max() > 1e-6 for n in amsgrad]
    assert sum(differs) >= len(amsgrad) // 2
    for name in (n for n, c in CASES.items() if c["family"] == "radam"):
        case = CASES[name]
        kw = optlib_kwargs("radam", case["kwargs"])
        xs = optlib.run(optlib.Adam(**kw), objective(case), case["x0"], case["steps"]).xs
        assert rel_errors(xs, REFERENCE[name]).max() > 1e-6, name


def test_muon_without_nesterov_or_with_exact_orthogonalisation_differs():
    case = CASES["muon-tall-1"]
    f = objective(case)
    plain = optlib.run(optlib.Muon(lr=0.01, nesterov=False), f, case["x0"], case["steps"]).xs
    assert rel_errors(plain, REFERENCE["muon-tall-1"]).max() > 1e-6
    # ten more Newton–Schulz iterations bring the singular values closer to 1: a different step
    more = optlib.run(optlib.Muon(lr=0.01, ns_steps=15), f, case["x0"], case["steps"]).xs
    assert rel_errors(more, REFERENCE["muon-tall-1"]).max() > 1e-6


if __name__ == "__main__":  # the largest relative error per case
    print(f"torch {MANIFEST['torch']}, {len(CASES)} cases, tolerance {RTOL:g}")
    worst = 0.0
    for name in CASES:
        err = max_error(name)
        worst = max(worst, err)
        print(f"{name:24s} {err:.3g}")
    print(f"worst {worst:.3g}")

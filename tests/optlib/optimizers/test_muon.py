"""optlib.Muon (torch.optim.Muon): momentum, Newton–Schulz orthogonalisation, κ(m, n) scaling.
Agreement with torch (Newton–Schulz in float64): test_torch_after_adam.py."""

import numpy as np
import pytest

import optlib
from optlib.optimizers import newton_schulz


@pytest.mark.parametrize("shape", [(6, 3), (3, 5), (4, 4)])
def test_newton_schulz_keeps_singular_vectors_and_pushes_values_towards_one(shape):
    m = np.random.default_rng(1).standard_normal(shape)
    u, sigma, vt = np.linalg.svd(m, full_matrices=False)
    o = newton_schulz(m)
    inner = u.T @ o @ vt.T      # diagonal when o = U p(Σ) Vᵀ
    np.testing.assert_allclose(inner - np.diag(np.diag(inner)), 0.0, atol=1e-12)
    values = np.diag(inner)
    assert np.all((values > 0.6) & (values < 1.25)), values
    # more iterations of the classic cubic (1.5, −0.5, 0) converge to U Vᵀ itself
    exact = newton_schulz(m, (1.5, -0.5, 0.0), steps=60)
    np.testing.assert_allclose(exact, u @ vt, atol=1e-10)


def test_newton_schulz_batches_matrices_and_keeps_float32():
    m = np.random.default_rng(2).standard_normal((4, 3, 5)).astype(np.float32)
    out = newton_schulz(m)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[2], newton_schulz(m[2]), rtol=1e-6)


def test_on_a_vector_muon_steps_along_the_normalised_gradient():
    g = np.array([3.0, -4.0])
    opt = optlib.Muon(lr=0.1, weight_decay=0.0)
    x1, _ = opt.step(np.zeros(2), lambda x: g, opt.init(np.zeros(2)))
    direction = -x1 / np.linalg.norm(x1)
    np.testing.assert_allclose(direction, g / 5.0, rtol=1e-13)
    assert 0.06 < np.linalg.norm(x1) < 0.125


def test_lr_adjustment():
    assert optlib.Muon().lr_scale((6, 3)) == pytest.approx(np.sqrt(2))
    assert optlib.Muon().lr_scale((3, 6)) == 1.0
    assert optlib.Muon(adjust_lr_fn="match_rms_adamw").lr_scale((3, 25)) == pytest.approx(1.0)


def test_first_step_is_the_same_with_and_without_nesterov():
    # b1 = (1−μ)g; Nesterov's u = (1−μ)g + μb1 = (1−μ²)g, a multiple of g, and the iteration
    # starts by normalising, so both give NS(g)
    g = np.random.default_rng(3).standard_normal((3, 4))
    x0 = np.zeros((3, 4))
    a = optlib.Muon(lr=0.1, nesterov=True)
    b = optlib.Muon(lr=0.1, nesterov=False)
    np.testing.assert_allclose(a.step(x0, lambda x: g, a.init(x0))[0],
                               b.step(x0, lambda x: g, b.init(x0))[0], rtol=1e-12)


def test_zero_gradient_only_decays():
    x0 = np.arange(6.0).reshape(2, 3)
    opt = optlib.Muon(lr=0.1, weight_decay=0.5)
    x1, _ = opt.step(x0, np.zeros_like, opt.init(x0))
    np.testing.assert_allclose(x1, 0.95 * x0, rtol=1e-15)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"ns_steps": 100}, "ns_steps"), ({"ns_steps": 2.5}, "ns_steps"),
    ({"ns_coefficients": (1.0, 2.0)}, "ns_coefficients"),
    ({"ns_coefficients": (1.0, float("nan"), 0.0)}, "ns_coefficients"),
    ({"adjust_lr_fn": "sqrt"}, "adjust_lr_fn")])
def test_invalid_options(kwargs, name):
    with pytest.raises(ValueError, match=name):
        optlib.Muon(**kwargs)

"""Tests of optlib.theory."""

import math

import numpy as np
import pytest

import optlib
from optlib import theory


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_nesterov_max_lr_is_where_the_spectral_radius_reaches_one(alpha):
    lam = np.array([0.2, 4.0])
    limit = theory.nesterov_max_lr(alpha, lam)
    assert theory.nesterov_rate(limit * (1 - 1e-6), alpha, lam) < 1
    assert theory.nesterov_rate(limit * (1 + 1e-6), alpha, lam) > 1
    assert theory.nesterov_rate(limit, alpha, lam) == pytest.approx(1.0, abs=1e-9)


def test_nesterov_max_lr_values():
    lam = [0.2, 4.0]
    assert theory.nesterov_max_lr(0.5, lam) == pytest.approx(0.375)
    # no momentum: gradient descent's limit 2/λmax
    assert theory.nesterov_max_lr(0.0, lam) == pytest.approx(theory.gd_max_lr(lam))
    # smaller than heavy ball's limit for every α > 0
    alphas = np.linspace(0.01, 0.99, 50)
    assert np.all(theory.nesterov_max_lr(alphas, lam) < theory.momentum_max_lr(alphas, lam))


def test_nesterov_max_lr_broadcasts():
    alphas = np.array([[0.0], [0.5], [0.9]])
    out = theory.nesterov_max_lr(alphas, [1.0])
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out.ravel(), [2.0, 1.5, 3.8 / 2.8])


# --- the quadratic theory against measured runs on the ellipse --------------------------------
# The ellipse f = 0.1·x1² + 2·x2² has Hessian diag(0.2, 4): eigenvalues 0.2 and 4, κ = 20.

ELLIPSE_EIGS = [0.2, 4.0]
X0 = (-5.0, -2.0)


def measured_contraction(xs, start=200, window=50):
    """Per-step contraction of ‖θ_t‖ between two windows of a long run.

    Uses the largest norm in each window so that the oscillation of an under-damped
    momentum run (complex eigenvalues) does not matter; the estimate is
    (max over the last window / max over the window at ``start``)^(1/distance).
    """
    norms = np.linalg.norm(xs, axis=-1)
    end = len(norms) - window
    ratio = norms[end:].max(axis=0) / norms[start:start + window].max(axis=0)
    return ratio ** (1 / (end - start))


@pytest.mark.parametrize("lr", [0.05, 0.2, 0.3, 0.45])
def test_gd_measured_contraction_equals_gd_rate(lr):
    traj = optlib.run(optlib.SGD(lr=lr), optlib.ellipse(), X0, 600)
    # by hand: the factors are 1 − 0.2ε and 1 − 4ε; the rate is the larger modulus
    by_hand = max(abs(1 - 0.2 * lr), abs(1 - 4 * lr))
    assert theory.gd_rate(lr, ELLIPSE_EIGS) == pytest.approx(by_hand, rel=1e-14)
    assert measured_contraction(traj.xs) == pytest.approx(by_hand, rel=1e-6)


@pytest.mark.parametrize(("lr", "alpha"),
                         [(0.1, 0.5), (0.3, 0.5), (0.4, 0.2), (0.05, 0.9), (0.6, 0.6), (0.2, 0.3)])
def test_momentum_measured_contraction_equals_momentum_rate(lr, alpha):
    traj = optlib.run(optlib.Momentum(lr=lr, momentum=alpha), optlib.ellipse(), X0, 600)
    rate = float(theory.momentum_rate(lr, alpha, ELLIPSE_EIGS))
    assert measured_contraction(traj.xs) == pytest.approx(rate, rel=5e-3)
    # and the rate is the largest root modulus of z² − (1 + α − ελ)z + α over λ, by hand
    roots = [abs(z) for lam in ELLIPSE_EIGS for z in np.roots([1, -(1 + alpha - lr * lam), alpha])]
    assert rate == pytest.approx(max(roots), rel=1e-9)


@pytest.mark.parametrize(("lr", "alpha"), [(0.1, 0.5), (0.3, 0.5), (0.05, 0.9), (0.2, 0.3)])
def test_nesterov_measured_contraction_equals_nesterov_rate(lr, alpha):
    traj = optlib.run(optlib.Nesterov(lr=lr, momentum=alpha), optlib.ellipse(), X0, 600)
    rate = float(theory.nesterov_rate(lr, alpha, ELLIPSE_EIGS))
    assert measured_contraction(traj.xs) == pytest.approx(rate, rel=5e-3)
    # z² − (1 + α)(1 − ελ)z + α(1 − ελ), by hand
    roots = [abs(z) for lam in ELLIPSE_EIGS
             for z in np.roots([1, -(1 + alpha) * (1 - lr * lam), alpha * (1 - lr * lam)])]
    assert rate == pytest.approx(max(roots), rel=1e-9)


def test_best_gd_learning_rate_on_the_ellipse():
    # ε* = 2/(0.2 + 4) = 2/4.2 = 10/21 ≈ 0.476; rate (κ − 1)/(κ + 1) = 19/21
    lr = theory.gd_best_lr(ELLIPSE_EIGS)
    assert lr == pytest.approx(10 / 21, rel=1e-15)
    assert round(lr, 3) == 0.476
    assert theory.gd_rate(lr, ELLIPSE_EIGS) == pytest.approx(19 / 21, rel=1e-15)
    assert theory.condition_number(ELLIPSE_EIGS) == 20.0
    # it is the minimiser: nearby learning rates are slower
    assert np.all(theory.gd_rate(lr * np.array([0.99, 1.01]), ELLIPSE_EIGS) > 19 / 21)


def test_best_gd_learning_rate_contracts_by_19_21_per_step():
    traj = optlib.run(optlib.SGD(lr=10 / 21), optlib.ellipse(), X0, 60)
    norms = np.linalg.norm(traj.xs, axis=-1)
    # both factors are ±19/21, so every single step shrinks ‖θ‖ by exactly 19/21
    np.testing.assert_allclose(norms[1:] / norms[:-1], 19 / 21, rtol=1e-12)


def test_momentum_optimal_on_the_ellipse():
    # κ = 20: rate = (√20 − 1)/(√20 + 1) ≈ 0.635, α* = rate² ≈ 0.403,
    # ε* = (2/(√4 + √0.2))² ≈ 0.668
    best = theory.momentum_optimal(ELLIPSE_EIGS)
    rate = (math.sqrt(20) - 1) / (math.sqrt(20) + 1)
    assert best.rate == pytest.approx(rate, rel=1e-14)
    assert best.momentum == pytest.approx(rate**2, rel=1e-14)
    assert best.lr == pytest.approx((2 / (2 + math.sqrt(0.2))) ** 2, rel=1e-14)
    rounded = (round(best.lr, 3), round(best.momentum, 3), round(best.rate, 3))
    assert rounded == (0.668, 0.403, 0.635)
    # the theory's rate function agrees (the extreme eigenvalues are critically damped there,
    # a double root, which eigvals resolves only to about √(machine ε))
    assert theory.momentum_rate(best.lr, best.momentum, ELLIPSE_EIGS) == pytest.approx(
        rate, rel=1e-6)
    # and so does a run (the double root adds a factor t, hence the looser tolerance)
    traj = optlib.run(optlib.Momentum(lr=best.lr, momentum=best.momentum), optlib.ellipse(),
                      X0, 600)
    assert measured_contraction(traj.xs) == pytest.approx(rate, rel=5e-3)
    # much faster than the best gradient descent
    assert best.rate < 19 / 21


def test_gd_stability_boundary():
    limit = theory.gd_max_lr(ELLIPSE_EIGS)
    assert limit == 0.5  # 2/λmax = 2/4
    lr = np.array([0.99 * limit, 1.01 * limit])[:, None]
    traj = optlib.run(optlib.SGD(lr=lr), optlib.ellipse(), X0, 3000)
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert traj.values[-1, 0] < 1e-20
    assert theory.gd_rate(0.99 * limit, ELLIPSE_EIGS) < 1 < theory.gd_rate(1.01 * limit,
                                                                         ELLIPSE_EIGS)


@pytest.mark.parametrize("alpha", [0.0, 0.5, 0.9])
def test_momentum_stability_boundary(alpha):
    # ελ < 2 + 2α with λmax = 4: ε < (2 + 2α)/4
    limit = (2 + 2 * alpha) / 4
    assert theory.momentum_max_lr(alpha, ELLIPSE_EIGS) == pytest.approx(limit, rel=1e-15)
    lr = np.array([0.99 * limit, 1.01 * limit])[:, None]
    traj = optlib.run(optlib.Momentum(lr=lr, momentum=alpha), optlib.ellipse(), X0, 5000)
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert traj.values[-1, 0] < 1e-6
    np.testing.assert_array_equal(theory.momentum_stable(lr[:, 0], alpha, ELLIPSE_EIGS),
                                  [True, False])
    rates = theory.momentum_rate(lr[:, 0], alpha, ELLIPSE_EIGS)
    assert rates[0] < 1 < rates[1]


def test_momentum_stable_needs_a_decay_in_range_and_a_positive_step():
    assert not theory.momentum_stable(0.1, 1.0, ELLIPSE_EIGS)
    assert not theory.momentum_stable(0.1, -0.1, ELLIPSE_EIGS)
    assert not theory.momentum_stable(0.0, 0.5, ELLIPSE_EIGS)
    assert theory.momentum_stable(0.1, 0.5, ELLIPSE_EIGS)


def test_nesterov_stability_boundary_in_a_run():
    # derived by hand: the root z = −1 of z² − (1+α)(1−h)z + α(1−h) needs h = (2+2α)/(1+2α);
    # α = 0.5 gives h = 1.5, so ε = 1.5/4 = 0.375 on the ellipse
    lr = np.array([0.99 * 0.375, 1.01 * 0.375])[:, None]
    traj = optlib.run(optlib.Nesterov(lr=lr, momentum=0.5), optlib.ellipse(), X0, 5000)
    np.testing.assert_array_equal(traj.diverged, [False, True])


def test_matrices_are_the_iterations_of_the_optimizers():
    # One step of each optimizer on f = λ/2·x² from (x, v) equals the 2×2 matrix times (x, v).
    lam, lr, alpha = 3.0, 0.1, 0.7
    f = optlib.quadratic([[lam]])
    for cls, matrix in [(optlib.Momentum, theory.momentum_matrix),
                        (optlib.Nesterov, theory.nesterov_matrix)]:
        opt = cls(lr=lr, momentum=alpha)
        x, v = np.array([1.3]), np.array([-0.4])
        x1, s1 = opt.step(x, f.grad, opt.init(x)._replace(v=v))
        expected = matrix(lr, alpha, lam) @ np.array([x[0], v[0]])
        np.testing.assert_allclose([x1[0], s1.v[0]], expected, rtol=1e-14)
    np.testing.assert_allclose(theory.gd_factors(0.1, [1.0, 4.0]), [0.9, 0.6], rtol=1e-15)


def test_critical_momentum_gives_a_double_root():
    lr, lam = 0.1, 4.0
    alpha = theory.critical_momentum(lr, lam)
    assert alpha == pytest.approx((1 - math.sqrt(0.4)) ** 2, rel=1e-15)
    eig = np.linalg.eigvals(theory.momentum_matrix(lr, alpha, lam))
    assert abs(eig[0] - eig[1]) < 1e-6


def test_spectral_radius_and_broadcasting():
    m = np.array([[[0.5, 0.0], [0.0, -0.8]], [[0.0, 1.0], [-1.0, 0.0]]])
    np.testing.assert_allclose(theory.spectral_radius(m), [0.8, 1.0], rtol=1e-15)
    lr = np.linspace(0.01, 0.6, 7)[:, None]
    alpha = np.linspace(0.0, 0.9, 5)[None, :]
    grid = theory.momentum_rate(lr, alpha, ELLIPSE_EIGS)
    assert grid.shape == (7, 5)
    assert grid[3, 2] == pytest.approx(float(theory.momentum_rate(lr[3, 0], alpha[0, 2],
                                                                  ELLIPSE_EIGS)), rel=1e-15)
    assert theory.gd_rate(lr, ELLIPSE_EIGS).shape == (7, 1)


def test_measured_rate_of_a_geometric_loss_curve():
    # f_t − f* = 3·0.81^t: the loss contracts by 0.81, the error ‖x − x*‖ by √0.81 = 0.9
    values = 1.0 + 3 * 0.81 ** np.arange(60)
    assert theory.measured_rate(values, min_value=1.0) == pytest.approx(0.9, rel=1e-10)
    assert theory.measured_rate(values, min_value=1.0, power=1.0) == pytest.approx(0.81, rel=1e-10)
    batch = np.stack([0.5 ** np.arange(40), 0.25 ** np.arange(40)], axis=-1)
    np.testing.assert_allclose(theory.measured_rate(batch, power=1.0), [0.5, 0.25], rtol=1e-10)
    with pytest.raises(ValueError, match="tail"):
        theory.measured_rate(values[:10])


def test_measured_rate_of_gd_on_the_ellipse():
    traj = optlib.run(optlib.SGD(lr=0.3), optlib.ellipse(), X0, 200)
    assert theory.measured_rate(traj.values) == pytest.approx(0.94, rel=1e-6)  # 1 − 0.2·0.3


@pytest.mark.parametrize("bad", [[], [[1.0, 2.0]], 3.0])
def test_eigenvalue_validation(bad):
    with pytest.raises(ValueError, match="eigenvalues"):
        theory.gd_rate(0.1, bad)


def test_positive_eigenvalues_required():
    with pytest.raises(ValueError, match="positive"):
        theory.condition_number([-1.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        theory.momentum_optimal([0.0, 2.0])


# --- random convex quadratics: runs obey the rates the theory allows ----------------------------


def random_quadratic(seed, d):
    """H = Q·diag(λ)·Qᵀ with λ in [0.2, 5] and a random orthogonal Q; b random."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = rng.uniform(0.2, 5.0, d)
    H = q @ np.diag(lam) @ q.T
    H = (H + H.T) / 2
    f = optlib.quadratic(H, rng.standard_normal(d))
    x0 = f.minimum + 3 * rng.standard_normal(d)
    return f, np.linalg.eigvalsh(H), x0, rng


SEEDS = [(0, 2), (1, 3), (2, 4), (3, 5), (4, 6)]


@pytest.mark.parametrize(("seed", "d"), SEEDS)
def test_gd_error_is_bounded_by_rate_to_the_t(seed, d):
    f, lam, x0, rng = random_quadratic(seed, d)
    lr = rng.uniform(0.1, 0.95) * 2 / lam.max()
    rate = float(theory.gd_rate(lr, lam))
    traj = optlib.run(optlib.SGD(lr=lr), f, x0, 300)
    err = np.linalg.norm(traj.xs - f.minimum, axis=-1)
    t = np.arange(301)
    # I − εH is symmetric, so ‖e_t‖ ≤ rate^t·‖e_0‖ with C = 1 (plus rounding)
    assert np.all(err <= rate**t * err[0] * (1 + 1e-9) + 1e-13)
    assert err[-1] < 1e-3 * err[0] or rate > 0.97


@pytest.mark.parametrize("cls_name", ["Momentum", "Nesterov"])
@pytest.mark.parametrize(("seed", "d"), SEEDS)
def test_momentum_error_is_bounded_by_c_times_rate_to_the_t(seed, d, cls_name):
    f, lam, x0, rng = random_quadratic(seed, d)
    alpha = rng.uniform(0.1, 0.9)
    if cls_name == "Momentum":
        lr = rng.uniform(0.1, 0.9) * float(theory.momentum_max_lr(alpha, lam))
        rate = float(theory.momentum_rate(lr, alpha, lam))
        mats = theory.momentum_matrix(lr, alpha, lam)
    else:
        lr = rng.uniform(0.1, 0.9) * (2 + 2 * alpha) / ((1 + 2 * alpha) * lam.max())
        rate = float(theory.nesterov_rate(lr, alpha, lam))
        mats = theory.nesterov_matrix(lr, alpha, lam)
    assert rate < 1
    traj = optlib.run(getattr(optlib, cls_name)(lr=lr, momentum=alpha), f, x0, 400)
    err = np.linalg.norm(traj.xs - f.minimum, axis=-1)
    t = np.arange(401)
    # In the eigenbasis of H each pair (x_i, v_i) follows a 2×2 matrix M with spectral radius
    # ≤ rate. Its Schur form [[z1, c], [0, z2]] gives ‖Mᵗ‖ ≤ √2·rateᵗ + |c|·t·rateᵗ⁻¹ with
    # |c| ≤ ‖M‖_F, so ‖e_t‖ ≤ C_t·rateᵗ·‖e_0‖ with C_t = √2 + F·t/rate (v_0 = 0).
    frob = np.sqrt((mats**2).sum(axis=(-2, -1))).max()
    bound = (math.sqrt(2) + frob * t / rate) * rate**t * err[0]
    assert np.all(err <= bound * (1 + 1e-9) + 1e-13)
    assert err[-1] < 1e-2 * err[0] or rate > 0.985


@pytest.mark.parametrize(("seed", "d"), SEEDS[:3])
def test_adaptive_methods_converge_on_random_quadratics(seed, d):
    f, lam, x0, _ = random_quadratic(seed, d)
    err0 = np.linalg.norm(x0 - f.minimum)
    gap0 = f(x0) - f.min_value
    # AdaGrad and Adam reach the minimum; RMSProp with a constant ε ends up oscillating in a
    # neighbourhood of size about ε; AdaDelta is slow but steady.
    for opt, tol in [(optlib.AdaGrad(lr=0.5), 1e-8), (optlib.Adam(lr=0.01), 1e-3),
                     (optlib.RMSProp(lr=0.01), 0.05), (optlib.AdaDelta(), 0.1)]:
        traj = optlib.run(opt, f, x0, 3000)
        err = np.linalg.norm(traj.x - f.minimum)
        assert err < tol * max(1.0, err0), (type(opt).__name__, err)
        assert traj.values[-1] - f.min_value < 1e-3 * gap0, type(opt).__name__


def test_steps_for_factor_is_the_smallest_t_with_rate_to_the_t_below_one_over_factor():
    for rate in (0.1, 0.5, 0.87, 0.99):
        t = optlib.theory.steps_for_factor(rate, 1000)
        assert rate**t <= 1e-3 * (1 + 1e-12) and rate ** (t - 1) > 1e-3
    np.testing.assert_array_equal(optlib.theory.steps_for_factor(np.array([0.0, 1.0, 1.5]), 10),
                                  [0.0, np.inf, np.inf])


@pytest.mark.parametrize("factor", [1.0, 0.5, np.inf, np.nan])
def test_steps_for_factor_rejects_a_factor_that_is_not_above_one(factor):
    with pytest.raises(ValueError, match="factor must be"):
        optlib.theory.steps_for_factor(0.5, factor)


def test_steps_for_factor_rejects_a_negative_rate():
    with pytest.raises(ValueError, match="rate must be non-negative"):
        optlib.theory.steps_for_factor(-0.5, 10)

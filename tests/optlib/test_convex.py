"""Tests of chapter 12's library: convex objectives, bounds, accelerated gradient, Newton,
backtracking line search."""

import numpy as np
import pytest

import optlib
from optlib import bounds, convex, theory


@pytest.fixture(scope="module")
def data():
    return convex.make_classification(n=300, d=5, seed=1)


@pytest.fixture(scope="module")
def logreg(data):
    return convex.logistic_regression(data, reg=0.01)


# --- objectives ----------------------------------------------------------------------------


def test_classification_data_is_seeded_and_labelled(data):
    again = convex.make_classification(n=300, d=5, seed=1)
    np.testing.assert_array_equal(data.X, again.X)
    assert set(np.unique(data.y)) == {-1.0, 1.0}
    assert data.n == 300 and data.d == 5
    scaled = convex.make_classification(n=2000, d=3, scales=[1.0, 0.1, 0.01], seed=0)
    np.testing.assert_allclose(scaled.X.std(axis=0), [1.0, 0.1, 0.01], rtol=0.1)


@pytest.mark.parametrize("kwargs", [{"n": 0}, {"d": 0}, {"n": 2.5}, {"scales": [1.0, -1.0]},
                                    {"d": 2, "scales": [1.0]}, {"d": 2, "w_true": [1.0]}])
def test_classification_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        convex.make_classification(**kwargs)


def test_logistic_value_by_hand(data):
    f = convex.logistic_regression(data, reg=0.5)
    w = np.linspace(-1, 1, data.d)
    by_hand = np.mean([np.log1p(np.exp(-y * x @ w)) for x, y in zip(data.X, data.y, strict=True)])
    assert f(w) == pytest.approx(by_hand + 0.25 * w @ w, rel=1e-12)


def test_logistic_gradient_and_hessian_match_finite_differences(logreg):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 5))
    np.testing.assert_allclose(logreg.grad(w), optlib.numerical_gradient(logreg, w),
                               rtol=1e-6, atol=1e-8)
    hess = logreg.info["hessian"](w)
    assert hess.shape == (3, 5, 5)
    fd = np.stack([optlib.numerical_gradient(lambda z, i=i: logreg.grad(z)[..., i], w)
                   for i in range(5)], axis=-2)
    np.testing.assert_allclose(hess, fd, rtol=1e-5, atol=1e-8)


def test_logistic_is_batched_over_leading_axes(logreg):
    w = np.random.default_rng(1).standard_normal((2, 4, 5))
    assert logreg(w).shape == (2, 4) and logreg.grad(w).shape == (2, 4, 5)
    assert logreg(w)[1, 2] == pytest.approx(logreg(w[1, 2]))


def test_logistic_minimum_smoothness_and_strong_convexity(logreg):
    assert np.linalg.norm(logreg.grad(logreg.minimum)) < 1e-10
    assert logreg.min_value == pytest.approx(logreg(logreg.minimum))
    w = np.random.default_rng(2).standard_normal((200, 5)) * 3
    eig = np.linalg.eigvalsh(logreg.info["hessian"](w))
    assert eig.max() <= logreg.info["smoothness"] + 1e-12
    assert eig.min() >= logreg.info["strong_convexity"] - 1e-12
    assert logreg.info["strong_convexity"] == 0.01


def test_logistic_on_separable_data_has_no_minimiser():
    X = np.array([[1.0, 0.2], [2.0, -0.1], [-1.0, 0.3], [-2.0, 0.1]])
    sep = convex.ClassificationData(X=X, y=np.sign(X[:, 0]), w_true=np.array([1.0, 0.0]))
    f = convex.logistic_regression(sep)
    assert f.minimum is None and f.min_value is None
    assert convex.logistic_regression(sep, reg=0.1).minimum is not None


@pytest.mark.parametrize("reg", [-0.1, np.nan, [0.1, 0.2]])
def test_logistic_rejects_bad_reg(data, reg):
    with pytest.raises(ValueError, match="reg"):
        convex.logistic_regression(data, reg=reg)


def test_minibatch_gradient_is_unbiased_and_independent_per_run(data, logreg):
    rng = np.random.default_rng(3)
    oracle = convex.logistic_minibatch_grad(data, 10, rng, reg=0.01)
    w = np.tile(np.linspace(-0.5, 0.5, 5), (20000, 1))
    draws = oracle(w)
    assert draws.shape == w.shape
    assert not np.allclose(draws[0], draws[1])
    spread = draws.std(axis=0) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - logreg.grad(w[0])) < 5 * spread)
    full = convex.logistic_minibatch_grad(data, data.n, rng, reg=0.01)
    assert full(w[:2]).shape == (2, 5)


@pytest.mark.parametrize("m", [0, 301, 2.0])
def test_minibatch_gradient_rejects_bad_batch_size(data, m):
    with pytest.raises(ValueError, match="batch_size"):
        convex.logistic_minibatch_grad(data, m, np.random.default_rng(0))


def test_log_cosh_derivatives_and_bounds():
    f = convex.log_cosh([2.0, 0.5, 0.1])
    x = np.random.default_rng(4).standard_normal((6, 3)) * 4
    np.testing.assert_allclose(f.grad(x), optlib.numerical_gradient(f, x), atol=1e-7)
    hess = f.info["hessian"](x)
    fd = np.stack([optlib.numerical_gradient(lambda z, i=i: f.grad(z)[..., i], x)
                   for i in range(3)], axis=-2)
    np.testing.assert_allclose(hess, fd, atol=1e-6)
    assert f(np.zeros(3)) == 0 and f.info["smoothness"] == 2.0
    # accurate near the minimum (x²/2) and on both sides of the switch of formulas at |x| = 20
    assert f([1e-9, 0, 0]) == pytest.approx(2.0 * 0.5e-18, rel=1e-9)
    for u in (19.999, 20.001):
        assert f([u, 0, 0]) == pytest.approx(2.0 * np.log(np.cosh(u)), rel=1e-12)
    # far out it grows linearly: slope c_k, so its curvature vanishes (not strongly convex)
    assert f([1000.0, 0, 0]) == pytest.approx(2.0 * (1000 - np.log(2)))
    assert np.linalg.eigvalsh(f.info["hessian"](np.array([50.0, 50, 50])))[0] < 1e-20


@pytest.mark.parametrize("c", [[], [1.0, 0.0], [[1.0]]])
def test_log_cosh_rejects_bad_c(c):
    with pytest.raises(ValueError, match="c must"):
        convex.log_cosh(c)


def test_piecewise_quadratic_is_smooth_and_strongly_convex():
    f = convex.piecewise_quadratic(mu=1.0, L=25.0)
    for knot in (1.0, 2.0):
        below, above = np.array([[knot - 1e-9]]), np.array([[knot]])
        assert f(below)[0] == pytest.approx(f(above)[0], abs=1e-6)
        assert f.grad(below)[0, 0] == pytest.approx(f.grad(above)[0, 0], abs=1e-6)
    x = np.linspace(-3, 5, 41)[:, None]
    np.testing.assert_allclose(f.grad(x), optlib.numerical_gradient(f, x), atol=1e-5)
    assert set(np.unique(f.info["hessian"](x))) == {1.0, 25.0}
    with pytest.raises(ValueError):
        convex.piecewise_quadratic(mu=2.0, L=1.0)


def test_heavy_ball_with_the_quadratic_optimum_cycles_on_the_piecewise_quadratic():
    f = convex.piecewise_quadratic()
    best = theory.momentum_optimal([1.0, 25.0])      # optimal for every quadratic with κ = 25
    hb = optlib.run(optlib.Momentum(lr=best.lr, momentum=best.momentum), f, [3.3], 600)
    tail = hb.xs[-9:, 0]
    np.testing.assert_allclose(tail[3:], tail[:-3], atol=1e-9)   # period 3, far from 0
    assert np.abs(tail).min() > 0.5
    nag = optlib.run(optlib.AcceleratedGradient(lr=1 / 25, momentum=0.6), f, [3.3], 600)
    assert nag.values[-1] < 1e-20


def test_worst_function_minimum_and_lower_bound():
    d = 41
    f = convex.worst_function(d, L=2.0)
    np.testing.assert_allclose(f.minimum, 1 - np.arange(1, d + 1) / (d + 1))
    assert f.min_value == pytest.approx(2.0 / 8 * (-1 + 1 / (d + 1)))
    assert np.linalg.eigvalsh(f.hessian).max() <= 2.0
    x = np.random.default_rng(7).standard_normal((3, d))
    np.testing.assert_allclose(f.grad(x), x @ f.hessian - np.eye(d)[0] * 2.0 / 4, atol=1e-12)
    np.testing.assert_allclose(f(x), 0.5 * np.einsum("ki,ij,kj->k", x, f.hessian, x) - x[:, 0] / 2)
    assert np.linalg.norm(f.grad(f.minimum)) < 1e-12
    r0sq = float(f.minimum @ f.minimum)
    steps = (d - 1) // 2
    floor = bounds.worst_function_floor(np.arange(steps + 1), d, 2.0)
    for opt in (optlib.SGD(lr=0.5), optlib.AcceleratedGradient(lr=0.5),
                optlib.Momentum(lr=0.5, momentum=0.9)):
        tr = optlib.run(opt, f, np.zeros(d), steps)
        assert np.all(tr.values - f.min_value >= floor - 1e-15), opt
        # after t steps only the first t coordinates have moved
        assert np.all(tr.xs[steps, steps:] == 0)
        # at t = (d − 1)/2 the floor is the lower bound 3L r0²/(32(t + 1)²), with r0² ≤ (d + 1)/3
        assert tr.values[-1] - f.min_value >= bounds.lower_convex(steps, 2.0, r0sq) - 1e-15
    assert r0sq <= (d + 1) / 3
    with pytest.raises(ValueError):
        convex.worst_function(1)


# --- the descent lemma and the rates -------------------------------------------------------


def test_descent_lemma_on_logistic_regression(logreg):
    L = logreg.info["smoothness"]
    w = np.random.default_rng(5).standard_normal((1, 50, 5)) * 2
    eps = np.linspace(0, 2 / L, 41)[:, None]
    g = logreg.grad(w)
    drop = logreg(w) - logreg(w - eps[..., None] * g)
    guaranteed = eps * (1 - eps * L / 2) * (g * g).sum(axis=-1)
    assert np.all(drop >= guaranteed - 1e-12)


def test_gd_and_accelerated_obey_their_convex_bounds():
    f = convex.log_cosh(10 ** -np.linspace(0, 3, 12))
    L, x0 = f.info["smoothness"], np.full(12, 2.0)
    r0sq = float(x0 @ x0)
    t = np.arange(401)
    gd = optlib.run(optlib.SGD(lr=1 / L), f, x0, 400).values
    agd = optlib.run(optlib.AcceleratedGradient(lr=1 / L), f, x0, 400).values
    assert np.all(gd[1:] <= bounds.gd_convex(t[1:], L, r0sq))
    assert np.all(agd[1:] <= bounds.accelerated_convex(t[1:], L, r0sq))
    assert agd[-1] < gd[-1] / 10


def test_gd_and_accelerated_obey_their_strongly_convex_bounds(logreg):
    L, mu = logreg.info["smoothness"], logreg.info["strong_convexity"]
    x0 = np.full(5, 3.0)
    gap0, r0sq = logreg(x0) - logreg.min_value, float(((x0 - logreg.minimum) ** 2).sum())
    t = np.arange(301)
    gd = optlib.run(optlib.SGD(lr=1 / L), logreg, x0, 300).values - logreg.min_value
    alpha = bounds.accelerated_momentum(L / mu)
    agd = optlib.run(optlib.AcceleratedGradient(lr=1 / L, momentum=alpha), logreg, x0, 300)
    assert np.all(gd <= bounds.gd_strongly_convex(t, L, mu, gap0) * (1 + 1e-9) + 1e-15)
    assert np.all(agd.values - logreg.min_value
                  <= bounds.accelerated_strongly_convex(t, L, mu, gap0, r0sq) + 1e-15)


def test_bound_formulas():
    assert bounds.gd_convex(10, 2.0, 5.0) == pytest.approx(0.5)
    assert bounds.accelerated_convex(9, 2.0, 5.0) == pytest.approx(0.2)
    assert bounds.gd_strongly_convex(2, 4.0, 1.0, 8.0) == pytest.approx(4.5)
    assert bounds.accelerated_strongly_convex(1, 4.0, 1.0, 8.0, 2.0) == pytest.approx(4.5)
    assert bounds.lower_convex(3, 32.0, 1.0) == pytest.approx(3 / 16)
    assert bounds.lower_strongly_convex_rate(9.0) == pytest.approx(0.5)
    # the quadratic optimum of heavy ball reaches the lower bound's rate
    assert theory.momentum_optimal([1.0, 9.0]).rate == pytest.approx(
        bounds.lower_strongly_convex_rate(9.0))
    with pytest.raises(ValueError, match="L"):
        bounds.gd_convex(1, -1.0, 1.0)
    with pytest.raises(ValueError, match="t"):
        bounds.gd_convex(-1, 1.0, 1.0)


def test_fitted_slopes_recover_known_exponents():
    t = np.arange(1000.0)
    with np.errstate(divide="ignore"):
        power = np.stack([3 * t**-1.0, 0.5 * t**-2.0], axis=-1)
    np.testing.assert_allclose(bounds.loglog_slope(power, 10, 999), [-1.0, -2.0])
    assert bounds.semilog_rate(7 * 0.9**t, 0, 200) == pytest.approx(0.9)
    with pytest.raises(ValueError, match="t_lo"):
        bounds.loglog_slope(power, 0, 10)
    with pytest.raises(ValueError):
        bounds.semilog_rate(t, 5, 5000)


def test_fit_window():
    v = np.array([5.0, 0.5, 2.0, 0.9, 0.1, 0.01, 1e-3, 1e-9, 0.0])
    assert bounds.fit_window(v, 1.0, 1e-4) == (3, 6)
    assert bounds.fit_window(np.geomspace(1, 1e-3, 10), 10.0, 1e-6) == (0, 9)
    with pytest.raises(ValueError, match="fewer"):
        bounds.fit_window(v, 1.0, 0.5)
    with pytest.raises(ValueError, match="lower"):
        bounds.fit_window(v, 1.0, 2.0)


# --- accelerated gradient ------------------------------------------------------------------


def test_convex_momentum_schedule():
    alphas = [optlib.optimizers.convex_momentum(t) for t in range(5)]
    assert alphas == [0.0, 0.0, pytest.approx(1 / 4), pytest.approx(2 / 5), pytest.approx(3 / 6)]


def test_accelerated_potential_never_increases():
    # E_t = τ_t²(f(θ_t) − f*) + (L/2)‖θ_{t−1} + τ_t(θ_t − θ_{t−1}) − θ*‖², τ_t = (t + 1)/2:
    # the proof of the 2L r0²/(t + 1)² bound says E_t ≤ E_{t−1} and E_1 ≤ (L/2) r0²
    f = convex.log_cosh([1.0, 0.2, 0.01])
    L, x0 = 1.0, np.array([4.0, -3.0, 5.0])
    xs = optlib.run(optlib.AcceleratedGradient(lr=1 / L), f, x0, 200).xs
    t = np.arange(1, 201)
    tau = (t + 1) / 2
    u = xs[:-1] + tau[:, None] * (xs[1:] - xs[:-1])
    energy = tau**2 * f(xs[1:]) + L / 2 * (u * u).sum(axis=-1)     # f* = 0, θ* = 0
    assert energy[0] <= L / 2 * x0 @ x0
    assert np.all(np.diff(energy) <= 1e-12)


def test_accelerated_with_constant_momentum_is_nesterov():
    f = optlib.ellipse()
    a = optlib.run(optlib.AcceleratedGradient(lr=0.2, momentum=0.5), f, [-5.0, -2.0], 30)
    b = optlib.run(optlib.Nesterov(lr=0.2, momentum=0.5), f, [-5.0, -2.0], 30)
    np.testing.assert_array_equal(a.xs, b.xs)


def test_accelerated_is_the_two_sequence_form():
    # x_{k+1} = y_k − ε∇f(y_k),  y_{k+1} = x_{k+1} + k/(k+3)·(x_{k+1} − x_k)  (k = 0, 1, …)
    f = convex.log_cosh([1.0, 0.3])
    eps, x_prev, y = 0.8, np.array([2.0, -3.0]), np.array([2.0, -3.0])
    expected = [x_prev]
    for k in range(20):
        x = y - eps * f.grad(y)
        y = x + k / (k + 3) * (x - x_prev)
        x_prev = x
        expected.append(x)
    got = optlib.run(optlib.AcceleratedGradient(lr=eps), f, [2.0, -3.0], 20).xs
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-12)


def test_accelerated_validates_momentum():
    with pytest.raises(ValueError, match="momentum"):
        optlib.AcceleratedGradient(lr=0.1, momentum=1.0)
    bad = optlib.AcceleratedGradient(lr=0.1, momentum=lambda t: 1.5)
    with pytest.raises(ValueError, match="momentum"):
        optlib.run(bad, optlib.ellipse(), [1.0, 1.0], 2)


# --- line search and Newton ----------------------------------------------------------------


def test_backtracking_returns_the_first_armijo_step(logreg):
    w = np.random.default_rng(6).standard_normal((7, 5)) * 3
    g = logreg.grad(w)
    eps, evals = optlib.optimizers.backtracking(logreg.value, w, g, g, lr=64.0, shrink=0.5,
                                                c=0.3)
    assert eps.shape == evals.shape == (7,)
    f0, sq = logreg(w), (g * g).sum(axis=-1)
    assert np.all(logreg(w - eps[:, None] * g) <= f0 - 0.3 * eps * sq)
    assert np.all(logreg(w - 2 * eps[:, None] * g) > f0 - 0.3 * 2 * eps * sq)   # maximal
    np.testing.assert_array_equal(evals, 2 + np.log2(64.0 / eps))


@pytest.mark.parametrize("kw", [{"shrink": 1.0}, {"shrink": 0.0}, {"c": 1.0}, {"c": -0.1}])
def test_backtracking_rejects_bad_constants(kw):
    with pytest.raises(ValueError, match=next(iter(kw))):
        optlib.optimizers.backtracking(np.sum, np.ones(2), np.ones(2), np.ones(2), **kw)
    with pytest.raises(ValueError, match=next(iter(kw))):
        optlib.ArmijoGD(np.sum, **kw)


def test_armijo_gd_steps_are_long_enough_and_it_converges(logreg):
    L = logreg.info["smoothness"]
    opt = optlib.ArmijoGD(logreg.value, lr=100.0, shrink=0.5, c=1e-4)
    tr = optlib.run(opt, logreg, np.full((2, 5), 2.0), 200)
    assert tr.values[-1].max() - logreg.min_value < 1e-12
    assert np.all(tr.state.lr >= min(100.0, 2 * 0.5 * (1 - 1e-4) / L))
    assert np.all(tr.state.evals >= 2 * 200)
    with pytest.raises(TypeError, match="value"):
        optlib.ArmijoGD(3.0)


def test_newton_solves_a_quadratic_in_one_step():
    f = optlib.rotated_ellipse(30.0)
    tr = optlib.run(optlib.Newton(f.hessian), f, [[-5.0, -2.0], [3.0, 4.0]], 1)
    np.testing.assert_allclose(tr.x, 0.0, atol=1e-12)


def test_newton_converges_quadratically_on_logistic_regression(logreg):
    tr = optlib.run(optlib.Newton(logreg.info["hessian"]), logreg, np.zeros(5), 6)
    err = np.linalg.norm(tr.xs - logreg.minimum, axis=-1)
    ratios = err[2:5] / err[1:4] ** 2           # bounded: e_{k+1} ≤ C e_k²
    assert np.all(ratios < 10) and err[5] < 1e-9


def test_damped_newton_converges_where_pure_newton_diverges():
    f = convex.log_cosh([1.0, 1.0])
    hess = f.info["hessian"]
    pure = optlib.run(optlib.Newton(hess), f, [1.5, 0.5], 4)
    assert np.all(np.diff(np.abs(pure.xs[:4, 0])) > 0)     # each step overshoots further
    assert pure.diverged
    damped = optlib.run(optlib.Newton(hess, value=f.value), f, [[1.5, 0.5], [8.0, -6.0]], 12)
    assert np.abs(damped.x).max() < 1e-12
    assert np.all(damped.state.lr == 1.0)                  # full steps near the minimum


def test_newton_rejects_bad_input():
    with pytest.raises(ValueError, match="hessian"):
        optlib.Newton(np.ones(3))
    with pytest.raises(TypeError, match="value"):
        optlib.Newton(np.eye(2), value=2.0)
    with pytest.raises(ValueError, match="lr"):
        optlib.Newton(np.eye(2), lr=-1.0)


def test_new_states_round_trip(tmp_path, logreg):
    for opt in (optlib.ArmijoGD(logreg.value), optlib.Newton(logreg.info["hessian"])):
        state = optlib.run(opt, logreg, np.zeros(5), 3).state
        optlib.save_state(tmp_path / "s.npz", state)
        back = optlib.load_state(tmp_path / "s.npz", like=opt.init(np.zeros(5)))
        assert type(back) is type(state) and back.t == 3

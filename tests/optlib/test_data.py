"""optlib.data: the synthetic regression set, its loss, minibatch gradients and training."""

import numpy as np
import pytest

import optlib


def test_make_regression_is_seeded_and_reproducible():
    a = optlib.make_regression(n=200, d=3, seed=7)
    b = optlib.make_regression(n=200, d=3, seed=7)
    c = optlib.make_regression(n=200, d=3, seed=8)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape == (200, 3) and a.y.shape == (200,) and a.n == 200
    np.testing.assert_array_equal(a.w_true, [2.0, -3.4, 2.0])  # (2, −3.4, …) cycled


def test_make_regression_model():
    # noise 0: y = X·w exactly; with noise σ the residual has standard deviation ≈ σ
    clean = optlib.make_regression(n=500, d=2, noise=0.0, seed=1, w_true=[1.5, -0.5])
    np.testing.assert_allclose(clean.y, clean.X @ np.array([1.5, -0.5]), rtol=1e-14, atol=1e-14)
    noisy = optlib.make_regression(n=20000, d=2, noise=0.3, seed=1)
    resid = noisy.y - noisy.X @ noisy.w_true
    assert resid.std() == pytest.approx(0.3, rel=0.03)  # 3σ of the sample std is ~1.5%
    assert abs(noisy.X.mean()) < 0.03 and noisy.X.std() == pytest.approx(1.0, rel=0.02)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n": 0}, "n and d"), ({"d": 0}, "n and d"), ({"noise": -0.1}, "noise"),
    ({"d": 3, "w_true": [1.0, 2.0]}, "w_true"),
])
def test_make_regression_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optlib.make_regression(**kwargs)


def test_squared_loss_value_gradient_and_minimum():
    data = optlib.make_regression(n=300, d=3, seed=2)
    f = optlib.squared_loss(data)
    rng = np.random.default_rng(0)
    for w in rng.standard_normal((5, 3)) * 3:
        # J(w) = 1/(2m)·Σ(xᵢ·w − yᵢ)², written with a loop over the rows
        by_hand = sum((row @ w - y) ** 2 for row, y in zip(data.X, data.y, strict=True)) / 600
        assert f(w) == pytest.approx(by_hand, rel=1e-12)
        np.testing.assert_allclose(f.grad(w), optlib.numerical_gradient(f, w), rtol=1e-6,
                                   atol=1e-8)
    w = rng.standard_normal((4, 3))  # batched over a leading axis
    np.testing.assert_allclose(f.grad(w), optlib.numerical_gradient(f, w), rtol=1e-6, atol=1e-8)
    assert f.value(w).shape == (4,)
    np.testing.assert_allclose(f.hessian, data.X.T @ data.X / 300, rtol=1e-14)
    np.testing.assert_allclose(f.grad(f.minimum), 0.0, atol=1e-12)
    assert f.min_value == pytest.approx(float(f(f.minimum)), rel=1e-14)
    # the least-squares solution is close to the weights that made the data
    np.testing.assert_allclose(f.minimum, data.w_true, atol=0.05)


def test_squared_loss_over_rows():
    data = optlib.make_regression(n=50, d=2, seed=3)
    idx = [0, 5, 7]
    part = optlib.squared_loss(data, idx)
    sub = optlib.RegressionData(X=data.X[idx], y=data.y[idx], w_true=data.w_true, noise=0.1)
    whole_sub = optlib.squared_loss(sub)
    w = np.array([0.3, -1.0])
    assert part(w) == pytest.approx(whole_sub(w), rel=1e-15)
    np.testing.assert_allclose(part.grad(w), whole_sub.grad(w), rtol=1e-15)


def _per_sample_gradient_variance(data, w):
    """Population variance of the per-row gradients (xᵢ·w − yᵢ)·xᵢ, per coordinate."""
    per_row = (data.X @ w - data.y)[:, None] * data.X
    return per_row.var(axis=0)


def test_minibatch_gradient_is_unbiased():
    data = optlib.make_regression(n=1000, d=2, seed=4)
    w = np.array([0.5, 1.0])
    full = optlib.squared_loss(data).grad(w)
    m, draws = 10, 3000
    oracle = optlib.minibatch_grad(data, m, np.random.default_rng(5))
    samples = np.array([oracle(w) for _ in range(draws)])
    # variance of a mean of m rows drawn without replacement: σ²/m·(n − m)/(n − 1)
    var = _per_sample_gradient_variance(data, w) / m * (1000 - m) / 999
    standard_error = np.sqrt(var / draws)
    assert np.all(np.abs(samples.mean(axis=0) - full) < 4 * standard_error)
    # the bias check is not vacuous: a deliberately biased estimate is rejected
    assert np.any(np.abs(samples.mean(axis=0) * 1.05 - full) > 4 * standard_error)


def test_minibatch_gradient_variance_scales_like_one_over_m():
    data = optlib.make_regression(n=1000, d=2, seed=4)
    w = np.array([0.5, 1.0])
    sigma2 = _per_sample_gradient_variance(data, w)
    rng = np.random.default_rng(6)
    measured = {}
    for m in (4, 40):
        oracle = optlib.minibatch_grad(data, m, rng)
        measured[m] = np.array([oracle(w) for _ in range(2000)]).var(axis=0)
        expected = sigma2 / m * (1000 - m) / 999
        # the sample variance of 2000 draws is within ~±10% of the truth (3σ ≈ 3·√(2/2000))
        np.testing.assert_allclose(measured[m], expected, rtol=0.12)
    ratio = measured[4] / measured[40]
    assert np.all((ratio > 8) & (ratio < 13))  # ≈ 10·(1000 − 4)/(1000 − 40) ≈ 10.4


def test_minibatch_gradient_draws_rows_without_replacement_from_its_rng():
    data = optlib.make_regression(n=30, d=2, seed=0)
    w = np.zeros(2)
    a = optlib.minibatch_grad(data, 30, np.random.default_rng(1))(w)  # all rows
    np.testing.assert_allclose(a, optlib.squared_loss(data).grad(w), rtol=1e-12)
    g1 = optlib.minibatch_grad(data, 5, np.random.default_rng(2))
    g2 = optlib.minibatch_grad(data, 5, np.random.default_rng(2))
    np.testing.assert_array_equal([g1(w) for _ in range(3)], [g2(w) for _ in range(3)])


@pytest.mark.parametrize("batch_size", [0, 31, 2.0, -1])
def test_minibatch_gradient_validation(batch_size):
    data = optlib.make_regression(n=30, d=2)
    with pytest.raises(ValueError, match="batch_size"):
        optlib.minibatch_grad(data, batch_size, np.random.default_rng(0))


def test_train_shapes():
    data = optlib.make_regression(n=103, d=2, seed=1)
    hist = optlib.train(optlib.SGD(lr=0.05), data, epochs=4, batch_size=10)
    # 103 // 10 = 10 minibatches per epoch (the last 3 rows are dropped)
    assert hist.steps_per_epoch == 10
    assert hist.step_loss.shape == (41,)
    assert hist.epoch_loss.shape == (5,)
    assert hist.epoch_time.shape == (5,)
    assert hist.w.shape == (2,)
    assert hist.epoch_time[0] == 0.0 and np.all(np.diff(hist.epoch_time) >= 0)
    np.testing.assert_array_equal(hist.epoch_loss, hist.step_loss[::10])
    f = optlib.squared_loss(data)
    assert hist.step_loss[0] == pytest.approx(f(np.zeros(2)), rel=1e-14)
    assert hist.step_loss[-1] == pytest.approx(f(hist.w), rel=1e-14)


def test_train_batched_settings():
    data = optlib.make_regression(n=100, d=3, seed=1)
    lr = np.array([[0.01], [0.05], [0.1]])
    hist = optlib.train(optlib.Momentum(lr=lr, momentum=0.5), data, epochs=2, batch_size=20)
    assert hist.step_loss.shape == (11, 3)
    assert hist.epoch_loss.shape == (3, 3)
    assert hist.w.shape == (3, 3)
    single = optlib.train(optlib.Momentum(lr=0.05, momentum=0.5), data, epochs=2, batch_size=20)
    # The loss is a matrix product (w @ Xᵀ): BLAS may sum a batch in another order than a
    # single row, so here the batch agrees to rounding, not bit for bit.
    np.testing.assert_allclose(hist.step_loss[:, 1], single.step_loss, rtol=1e-12)
    np.testing.assert_allclose(hist.w[1], single.w, rtol=1e-12)


@pytest.mark.parametrize("opt", [optlib.SGD(lr=0.05), optlib.Momentum(lr=0.02, momentum=0.9),
                                 optlib.Adam(lr=0.05), optlib.RMSProp(lr=0.01),
                                 optlib.AdaGrad(lr=0.5)], ids=repr)
def test_training_decreases_the_loss(opt):
    data = optlib.make_regression(n=500, d=2, noise=0.1, seed=0)
    hist = optlib.train(opt, data, epochs=8, batch_size=10, seed=3)
    f = optlib.squared_loss(data)
    assert hist.epoch_loss[-1] < 0.01 * hist.epoch_loss[0]
    # ends near the least-squares loss σ²/2 = 0.005
    assert hist.epoch_loss[-1] - f.min_value < 0.01
    assert np.all(np.diff(hist.epoch_loss[:4]) < 0)


def test_full_batch_training_is_gradient_descent():
    data = optlib.make_regression(n=40, d=2, seed=9)
    hist = optlib.train(optlib.SGD(lr=0.1), data, epochs=15, batch_size=40)
    traj = optlib.run(optlib.SGD(lr=0.1), optlib.squared_loss(data), np.zeros(2), 15)
    np.testing.assert_allclose(hist.step_loss, traj.values, rtol=1e-10)


def test_train_is_reproducible_and_depends_on_the_seed():
    data = optlib.make_regression(n=100, d=2, seed=1)
    a = optlib.train(optlib.SGD(lr=0.05), data, epochs=2, batch_size=10, seed=1)
    b = optlib.train(optlib.SGD(lr=0.05), data, epochs=2, batch_size=10, seed=1)
    c = optlib.train(optlib.SGD(lr=0.05), data, epochs=2, batch_size=10, seed=2)
    np.testing.assert_array_equal(a.step_loss, b.step_loss)
    assert not np.array_equal(a.step_loss, c.step_loss)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"batch_size": 0}, "batch_size"), ({"batch_size": 101}, "batch_size"),
    ({"batch_size": 2.5}, "batch_size"), ({"epochs": -1}, "epochs"), ({"epochs": 1.5}, "epochs"),
])
def test_train_validation(kwargs, match):
    data = optlib.make_regression(n=100, d=2)
    with pytest.raises(ValueError, match=match):
        optlib.train(optlib.SGD(lr=0.1), data, **kwargs)


def test_train_times_the_steps_not_the_loss_bookkeeping(monkeypatch):
    # make the full-data loss (recorded after every step) slow: 20 evaluations of 10 ms each
    # would add 0.2 s if they were timed; the steps themselves take far less
    import time

    real = optlib.RegressionData.loss

    def slow_loss(self, rows=None):
        f = real(self, rows)
        if rows is not None:  # a minibatch: part of the step, left fast
            return f

        def value(w):
            time.sleep(0.01)
            return f.value(w)

        return optlib.Objective(value, f.grad, name=f.name, dim=f.dim)

    monkeypatch.setattr(optlib.RegressionData, "loss", slow_loss)
    data = optlib.make_regression(n=100, d=2, seed=0)
    hist = optlib.train(optlib.SGD(lr=0.05), data, epochs=2, batch_size=10)
    assert len(hist.step_loss) == 21
    assert 0.0 < hist.epoch_time[1] <= hist.epoch_time[2] < 0.1


def test_train_with_one_seed_per_run_equals_separate_runs():
    # the regression data set with per-seed row sets (rows of shape (S, 1, m)) in one call
    data = optlib.make_regression(n=60, d=3, seed=5)
    lrs = np.array([[0.05], [0.2]])
    both = optlib.train(optlib.SGD(lr=lrs), data, np.zeros((2, 1, 3)), epochs=3, batch_size=7,
                        seed=[11, 12])
    assert both.w.shape == (2, 2, 3) and both.step_loss.shape == (3 * 8 + 1, 2, 2)
    for s, seed in enumerate([11, 12]):
        alone = optlib.train(optlib.SGD(lr=lrs), data, np.zeros(3), epochs=3, batch_size=7,
                             seed=seed)
        np.testing.assert_allclose(both.w[s], alone.w, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(both.step_loss[:, s], alone.step_loss, rtol=1e-12)


def test_train_records_every_kth_step_and_metrics():
    data = optlib.make_regression(n=40, d=2, seed=1)
    every = optlib.train(optlib.SGD(lr=0.1), data, epochs=2, batch_size=10, seed=0)
    thin = optlib.train(optlib.SGD(lr=0.1), data, epochs=2, batch_size=10, seed=0,
                        record_every=3, metrics={"norm": lambda w: np.linalg.norm(w, axis=-1)})
    np.testing.assert_array_equal(thin.step_loss, every.step_loss[::3])
    np.testing.assert_array_equal(thin.recorded_steps, [0, 3, 6])
    np.testing.assert_array_equal(thin.epoch_loss, every.epoch_loss)
    assert thin.metrics["norm"].shape == (3,) and thin.metrics["norm"][0] == 0.0


def test_train_returns_the_final_state():
    data = optlib.make_regression(n=40, d=2, seed=0)
    opt = optlib.ScheduleFreeSGD(lr=0.05)
    hist = optlib.train(opt, data, epochs=2, batch_size=8, seed=0)
    assert hist.state.t == 2 * (40 // 8)
    # the schedule-free evaluation point comes from the returned state
    x = opt.average(hist.w, hist.state)
    assert x.shape == hist.w.shape and not np.array_equal(x, hist.w)

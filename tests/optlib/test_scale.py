"""Training at scale: gradient accumulation, clipping inside train, kept iterates, the
gradient noise scale, the learning-rate range test, and warm-up composed with cosine."""

import numpy as np
import pytest

import optlib
import optlib.schedules as S
from optlib.data import gradient_noise_scale, lr_range_test, per_example_grads
from optlib.nn import MLP, Classification
from optlib.transforms import clip_gradient, clipped, polyak_average


def _digits_like(n=48, seed=0):
    rng = np.random.default_rng(seed)
    net = MLP([5, 4, 3], activation="tanh")
    return net, Classification(net, rng.standard_normal((n, 5)), rng.integers(0, 3, n))


@pytest.mark.parametrize("cls", [optlib.SGD, optlib.Momentum, optlib.Nesterov, optlib.Adam])
@pytest.mark.parametrize("k, m", [(2, 6), (4, 3)])
def test_k_micro_batches_of_m_give_the_iterates_of_one_batch_of_km(cls, k, m):
    net, data = _digits_like()
    w0 = net.init(seed=[0, 1])
    one = optlib.train(cls(lr=0.05), data, w0, epochs=3, batch_size=k * m, seed=[3, 4],
                       keep_iterates=True)
    acc = optlib.train(cls(lr=0.05), data, w0, epochs=3, batch_size=m, accumulate=k,
                       seed=[3, 4], keep_iterates=True)
    assert acc.steps_per_epoch == one.steps_per_epoch == data.n // (k * m)
    np.testing.assert_allclose(acc.ws, one.ws, rtol=1e-12, atol=1e-12)
    # and not the iterates of k separate steps on batches of m
    small = optlib.train(cls(lr=0.05), data, w0, epochs=3, batch_size=m, seed=[3, 4])
    assert np.abs(small.w - one.w).max() > 1e-3


def test_accumulation_on_regression_data_single_seed():
    data = optlib.make_regression(n=60, d=3, seed=1)
    one = optlib.train(optlib.SGD(lr=0.1), data, epochs=2, batch_size=12, seed=5)
    acc = optlib.train(optlib.SGD(lr=0.1), data, epochs=2, batch_size=4, accumulate=3, seed=5)
    np.testing.assert_allclose(acc.step_loss, one.step_loss, rtol=1e-12)


def test_train_clips_the_gradient_of_every_step_like_a_clipped_objective():
    net, data = _digits_like()
    w0 = net.init(seed=0)
    hist = optlib.train(optlib.SGD(lr=1.0), data, w0, epochs=1, batch_size=8, seed=2,
                        max_norm=0.01, keep_iterates=True)
    steps = np.linalg.norm(np.diff(hist.ws, axis=0), axis=-1)
    assert np.all(steps <= 0.01 + 1e-12)
    # by hand: the same minibatches, each objective wrapped by transforms.clipped
    order = np.random.default_rng(2).permutation(data.n)
    w = w0.copy()
    for b in range(data.n // 8):
        w = w - clipped(data.loss(order[b * 8:(b + 1) * 8]), max_norm=0.01).grad(w)
    np.testing.assert_allclose(hist.w, w, rtol=1e-12, atol=1e-14)


def test_train_clips_after_accumulating():
    net, data = _digits_like()
    w0 = net.init(seed=0)
    hist = optlib.train(optlib.SGD(lr=1.0), data, w0, epochs=1, batch_size=4, accumulate=2,
                        seed=2, max_value=1e-3, keep_iterates=True)
    assert np.abs(np.diff(hist.ws, axis=0)).max() <= 1e-3 + 1e-15
    order = np.random.default_rng(2).permutation(data.n)
    g = (data.loss(order[:4]).grad(w0) + data.loss(order[4:8]).grad(w0)) / 2
    np.testing.assert_allclose(hist.ws[1], w0 - clip_gradient(g, max_value=1e-3), atol=1e-15)


@pytest.mark.parametrize("kwargs, match", [
    ({"accumulate": 0}, "accumulate"), ({"accumulate": 1.5}, "accumulate"),
    ({"accumulate": 10, "batch_size": 10}, "exceeds"), ({"max_norm": -1.0}, "max_norm"),
    ({"max_value": 0.0}, "max_value"),
])
def test_train_rejects_bad_scale_options(kwargs, match):
    _, data = _digits_like()
    with pytest.raises(ValueError, match=match):
        optlib.train(optlib.SGD(lr=0.1), data, np.zeros(data.dim), **{"batch_size": 4, **kwargs})


def test_kept_iterates_feed_the_averages():
    data = optlib.make_regression(n=200, d=2, noise=1.0, seed=0)
    hist = optlib.train(optlib.SGD(lr=0.2), data, epochs=20, batch_size=5, seed=1,
                        keep_iterates=True)
    assert hist.ws.shape == (20 * 40 + 1, 2)
    np.testing.assert_array_equal(hist.ws[-1], hist.w)
    full = data.loss()
    w_star = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    last = full.value(hist.ws[-200:]).mean() - full.value(w_star)
    avg = full.value(polyak_average(hist.ws, start=400)[-1]) - full.value(w_star)
    assert avg < last / 5     # the noise floor of a constant rate, removed by averaging


def test_per_example_gradients_match_one_row_at_a_time():
    net, data = _digits_like()
    w = net.init(seed=[0, 1, 2])
    g = per_example_grads(data, w, np.array([4, 7]))
    assert g.shape == (2, 3, net.size)
    np.testing.assert_allclose(g[1, 2], data.loss(np.array([7])).grad(w[2]), rtol=1e-12)
    with pytest.raises(ValueError, match="rows"):
        per_example_grads(data, w, np.array([[1, 2]]))


def test_noise_scale_of_linear_regression_by_hand():
    data = optlib.make_regression(n=50, d=3, noise=0.5, seed=2)
    w = np.array([[0.5, -1.0, 0.3], [2.0, -3.4, 0.0]])
    ns = gradient_noise_scale(data, w, chunk=7)
    for k in range(2):
        gi = (data.X @ w[k] - data.y)[:, None] * data.X        # g_i = (x_i·w − y_i) x_i
        G = gi.mean(axis=0)
        trace = np.sum((gi - G) ** 2) / (data.n - 1)
        np.testing.assert_allclose(ns.grad_sq[k], G @ G, rtol=1e-12)
        np.testing.assert_allclose(ns.trace[k], trace, rtol=1e-10)
        np.testing.assert_allclose(ns.b_noise[k], trace / (G @ G), rtol=1e-10)


def test_noise_scale_predicts_the_minibatch_gradient_error():
    net, data = _digits_like(n=40)
    w = net.init(seed=3)
    ns = gradient_noise_scale(data, w)
    G = data.loss().grad(w)
    rng = np.random.default_rng(0)
    B = 4    # drawing with replacement, E‖g_B − G‖² = tr Σ (n−1)/n / B
    err = [np.sum((data.loss(rng.integers(0, data.n, B)).grad(w) - G) ** 2) for _ in range(4000)]
    np.testing.assert_allclose(np.mean(err), ns.trace * (data.n - 1) / data.n / B, rtol=0.1)


def test_lr_range_test_ramps_and_finds_the_stable_region():
    data = optlib.make_regression(n=256, d=4, seed=0)
    lam = np.linalg.eigvalsh(data.X.T @ data.X / data.n).max()
    rt = lr_range_test(optlib.SGD, data, np.zeros((2, 4)), lr_min=1e-4, lr_max=100.0, epochs=4,
                       batch_size=32, seed=[0, 1])
    assert rt.lrs.shape == (32,) and rt.loss.shape == (32, 2)
    np.testing.assert_allclose(rt.lrs[[0, -1]], [1e-4, 100.0])
    assert np.all(np.diff(np.log(rt.lrs)) > 0)
    assert np.all(rt.lr_at_min < 2 / lam * 2) and np.all(rt.lr_at_min > 1e-2)
    np.testing.assert_allclose(rt.suggestion, rt.lr_at_min / 10)
    with pytest.raises(ValueError, match="lr_min"):
        lr_range_test(optlib.SGD, data, np.zeros(4), lr_min=1.0, lr_max=0.1)


def test_warmup_cosine_is_warmup_composed_with_a_delayed_cosine():
    f = S.warmup_cosine(2.0, 10, 4)
    np.testing.assert_allclose([f(t) for t in range(4)], [0.5, 1.0, 1.5, 2.0])
    cos = S.cosine(2.0, 6)
    np.testing.assert_allclose([f(t) for t in range(4, 14)], [cos(t - 4) for t in range(4, 14)])
    assert f(9) > 0 and f(10) == 0.0
    assert S.delayed(S.constant(1.0), 3)(0) == 1.0
    with pytest.raises(ValueError, match="warmup_steps"):
        S.warmup_cosine(1.0, 10, 10)
    with pytest.raises(ValueError, match="steps"):
        S.delayed(S.constant(1.0), -1)


def test_stacked_schedules_run_as_one_batch():
    lrs = np.array([[0.1], [0.2]])
    both = S.stacked(S.constant(0.5), S.cosine(lrs, 10))
    assert both(0).shape == (3, 1)
    np.testing.assert_allclose(both(10)[:, 0], [0.5, 0.0, 0.0])
    f = optlib.quadratic(np.eye(1))
    traj = optlib.run(optlib.SGD(lr=both), f, [1.0], 3)
    alone = optlib.run(optlib.SGD(lr=S.cosine(0.2, 10)), f, [1.0], 3)
    np.testing.assert_allclose(traj.xs[:, 2], alone.xs)
    with pytest.raises(ValueError, match="at least one"):
        S.stacked()

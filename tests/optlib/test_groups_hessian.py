"""optlib.Partition (parameter groups) and optlib.hessian (HVP, top eigenvalue)."""

import numpy as np
import pytest

import optlib
from optlib.nn import MLP


def small_net(seed=0):
    rng = np.random.default_rng(seed)
    mlp = MLP([4, 5, 3], "tanh")
    X, y = rng.standard_normal((20, 4)), rng.integers(0, 3, 20)
    return mlp, mlp.objective(X, y), mlp.init(seed)


@pytest.mark.parametrize("make", [lambda: optlib.SGD(lr=0.1), lambda: optlib.Adam(lr=0.01),
                                  lambda: optlib.RMSProp(lr=0.01), lambda: optlib.AdaDelta()])
def test_same_optimizer_in_every_group_is_the_plain_optimizer(make):
    mlp, f, theta0 = small_net()
    split = optlib.Partition({"weights": make(), "biases": make()}, mlp.groups())
    a = optlib.run(split, f, theta0, steps=30).xs
    b = optlib.run(make(), f, theta0, steps=30).xs
    np.testing.assert_array_equal(a, b)


def test_decay_on_matrices_only_equals_a_masked_weight_decay():
    mlp, f, theta0 = small_net(1)
    lrs = np.array([[0.003], [0.03]])  # batched learning rates pass through the groups
    split = optlib.Partition({"weights": optlib.AdamW(lr=lrs, weight_decay=0.1),
                              "biases": optlib.AdamW(lr=lrs, weight_decay=0.0)}, mlp.groups())
    masked = optlib.AdamW(lr=lrs, weight_decay=0.1 * mlp.weight_mask())
    a = optlib.run(split, f, theta0, steps=25)
    b = optlib.run(masked, f, theta0, steps=25)
    assert a.xs.shape == (26, 2, mlp.size)
    np.testing.assert_allclose(a.xs, b.xs, rtol=1e-13, atol=1e-15)


def test_frozen_group_stays_put_and_lookahead_moves_only_its_group():
    mlp, f, theta0 = small_net(2)
    groups = mlp.groups()
    traj = optlib.run(optlib.Partition({"weights": optlib.Nesterov(lr=0.1, momentum=0.9),
                                        "biases": optlib.SGD(lr=0.0)}, groups), f, theta0, 5)
    np.testing.assert_array_equal(traj.xs[:, groups["biases"]], 0.0)
    # by hand: Nesterov on the weights with the biases held at zero
    w_idx = groups["weights"]

    def grad_w(w):
        full = np.zeros(mlp.size)
        full[w_idx] = w
        return f.grad(full)[w_idx]

    w, v = theta0[w_idx], np.zeros(len(w_idx))
    for _ in range(5):
        v = 0.9 * v - 0.1 * grad_w(w + 0.9 * v)
        w = w + v
    np.testing.assert_allclose(traj.x[w_idx], w, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"optimizers": {"a": optlib.SGD(lr=0.1)}, "groups": {"b": [0]}}, "same non-empty keys"),
    ({"optimizers": {"a": optlib.SGD(lr=0.1), "b": optlib.SGD(lr=0.1)},
      "groups": {"a": [0, 1], "b": [1]}}, "exactly once"),
    ({"optimizers": {"a": optlib.SGD(lr=0.1)}, "groups": {"a": [0.5]}}, "integer index"),
])
def test_partition_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optlib.Partition(**kwargs)
    with pytest.raises(TypeError, match="Optimizer"):
        optlib.Partition({"a": "sgd"}, {"a": [0]})


def test_partition_refuses_a_point_of_the_wrong_size():
    opt = optlib.Partition({"a": optlib.SGD(lr=0.1)}, {"a": np.arange(3)})
    with pytest.raises(ValueError, match="3 coordinates"):
        optlib.run(opt, optlib.ellipse(), [1.0, 1.0], 1)


def test_hvp_and_top_eigenvalue_on_a_quadratic():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    H = A @ A.T + np.diag([0, 0, 0, 0, 0, 30.0])
    f = optlib.quadratic((H + H.T) / 2)
    x = rng.standard_normal((3, 6))
    v = rng.standard_normal((3, 6))
    np.testing.assert_allclose(optlib.hessian.hvp(f, x, v), v @ f.hessian, rtol=1e-7, atol=1e-7)
    lam, vec = optlib.hessian.top_eigenvalue(f, x, iters=200)
    top = np.linalg.eigvalsh(f.hessian)[-1]
    np.testing.assert_allclose(lam, top, rtol=1e-8)
    np.testing.assert_allclose(np.abs(vec @ np.linalg.eigh(f.hessian)[1][:, -1]), 1, rtol=1e-6)


def test_top_eigenvalue_of_a_network_matches_its_full_hessian():
    mlp, f, theta = small_net(3)
    # the full Hessian, column by column, from central differences of the exact gradient
    h = 1e-5
    eye = np.eye(mlp.size)
    H = np.stack([(f.grad(theta + h * e) - f.grad(theta - h * e)) / (2 * h) for e in eye])
    eigs = np.linalg.eigvalsh((H + H.T) / 2)
    largest = eigs[np.argmax(np.abs(eigs))]
    lam, _ = optlib.hessian.top_eigenvalue(f, theta, iters=300)
    assert lam == pytest.approx(largest, rel=1e-4)


def test_hessian_validation():
    f = optlib.ellipse()
    with pytest.raises(ValueError, match="non-zero"):
        optlib.hessian.hvp(f, [1.0, 1.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="iters"):
        optlib.hessian.top_eigenvalue(f, [1.0, 1.0], iters=0)
    with pytest.raises(ValueError, match="h must be positive"):
        optlib.hessian.hvp(f, [1.0, 1.0], [1.0, 0.0], h=0.0)


def test_lr_window_counts_grid_steps_around_the_best():
    lrs = np.geomspace(1e-3, 1e1, 13)  # 3 points per decade
    scores = np.array([9, 5, 2, 1, 0.5, 0.04, 0.02, 0.1, 0.3, np.inf, np.nan, 0.01, 0.01])
    w = optlib.lr_window(lrs, scores)
    # the best finite score is 0.01 at index 11; its window is 11..12 (index 10 failed)
    assert (w.lo, w.hi, w.cut) == (11, 12, True)
    assert w.width == pytest.approx(2 / 3)
    # floored at 0.05, indices 5, 6, 11, 12 tie and the first (5) is the best; the window
    # reaches from 0.5 (index 4) to 0.3 (index 8)
    w = optlib.lr_window(lrs, scores, floor=0.05)
    assert (w.lo, w.hi, w.cut) == (4, 8, False)
    w = optlib.lr_window(lrs[:9], scores[:9], factor=10)
    assert (w.lo, w.hi, w.cut) == (5, 7, False) and w.width == pytest.approx(1.0)
    w = optlib.lr_window(lrs[:8], scores[:8], factor=3)
    assert (w.lo, w.hi, w.cut) == (5, 6, False)
    with pytest.raises(ValueError, match="log-spaced"):
        optlib.lr_window([1.0, 2.0, 5.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="no run succeeded"):
        optlib.lr_window(lrs[:2], [np.nan, np.inf])

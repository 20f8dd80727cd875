"""optlib.AdamW: Adam's moments and bias correction, then θ ← θ − ε(v̂/(√ŝ + δ) + λθ)
with the decay applied to the old θ (torch.optim.AdamW: θ ← θ(1 − ελ), then the Adam step).

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
Purity, batching, dtypes and validation run for AdamW in test_base.py (conftest.CASES).
"""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_adamw(x0, lr, beta1, beta2, delta, wd, steps):
    """Scalar loops in PyTorch's order: gradient at the old θ, decay θ, then the Adam step."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = s = 0.0
        column = [x]
        for t in range(1, steps + 1):
            g = 2 * a * x
            x = x * (1 - lr * wd)
            v = beta1 * v + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            v_hat = v / (1 - beta1 ** t)
            s_hat = s / (1 - beta2 ** t)
            x = x - lr * v_hat / (math.sqrt(s_hat) + delta)
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_by_hand():
    # The Adam part moves each coordinate by ε·sign(−g) = +0.1 (up to δ); the decay part
    # by −ελθ0 = −0.1·0.5·(−5, −2) = (+0.25, +0.1). θ1 = (−5 + 0.35, −2 + 0.2).
    opt = optlib.AdamW(lr=0.1, weight_decay=0.5)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1 == pytest.approx([-4.65, -1.8], rel=1e-8)
    exact = [-5 * (1 - 0.05) + 0.1 * 1 / (1 + 1e-8), -2 * (1 - 0.05) + 0.1 * 8 / (8 + 1e-8)]
    assert x1 == pytest.approx(exact, rel=1e-14)
    # the decay never enters the moments: they are Adam's, from g0 alone
    assert s1.v == pytest.approx([-0.1, -0.8], rel=1e-14)
    assert s1.s == pytest.approx([0.001, 0.064], rel=1e-12)
    assert s1.t == 1


def test_zero_weight_decay_is_adam():
    f = optlib.ellipse()
    adam = optlib.run(optlib.Adam(lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6), f, X0, 40)
    adamw = optlib.run(optlib.AdamW(lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.0),
                       f, X0, 40)
    np.testing.assert_array_equal(adamw.xs, adam.xs)
    np.testing.assert_array_equal(adamw.state.v, adam.state.v)
    np.testing.assert_array_equal(adamw.state.s, adam.state.s)


def test_decay_is_not_divided_by_the_second_moment():
    # With a zero gradient v = s = 0, so the Adam part vanishes (δ > 0) and only the decay
    # acts: θ_t = (1 − ελ)^t θ0 in every coordinate, whatever their scale.
    zero = optlib.Objective(value=lambda x: 0.0 * x[..., 0], grad=lambda x: np.zeros_like(x))
    x0 = np.array([3.0, -0.001, 250.0])
    traj = optlib.run(optlib.AdamW(lr=0.1, weight_decay=0.2), zero, x0, 25)
    np.testing.assert_allclose(traj.xs[-1], (1 - 0.02) ** 25 * x0, rtol=1e-13)
    # An L2 penalty in the gradient is different: it goes through v̂/√ŝ, so its first
    # step is ε·sign(θ) for every coordinate, not a proportional shrink.
    l2 = optlib.Objective(value=lambda x: 0.1 * np.sum(x * x, axis=-1) / 2,
                          grad=lambda x: 0.2 * x)
    adam = optlib.Adam(lr=0.1, eps=0.0)
    x1, _ = adam.step(x0, l2.grad, adam.init(x0))
    assert x1 == pytest.approx(x0 - 0.1 * np.sign(x0), rel=1e-14)


def test_learning_rate_schedule_scales_the_decay_too():
    zero = optlib.Objective(value=lambda x: 0.0 * x[..., 0], grad=lambda x: np.zeros_like(x))
    sched = optlib.schedules.step_decay(0.2, factor=0.5, every=2)     # 0.2, 0.2, 0.1, 0.1
    traj = optlib.run(optlib.AdamW(lr=sched, weight_decay=0.5), zero, [1.0, 2.0], 4)
    factor = (1 - 0.1) ** 2 * (1 - 0.05) ** 2
    np.testing.assert_allclose(traj.xs[-1], factor * np.array([1.0, 2.0]), rtol=1e-14)


@pytest.mark.parametrize(("lr", "beta1", "beta2", "delta", "wd"),
                         [(0.1, 0.9, 0.999, 1e-8, 1e-2), (0.3, 0.5, 0.9, 1e-3, 0.5),
                          (0.01, 0.0, 0.0, 0.0, 1.0), (0.05, 0.99, 0.99, 1e-6, 0.0)])
def test_matches_the_scalar_reference_over_50_steps(lr, beta1, beta2, delta, wd):
    opt = optlib.AdamW(lr=lr, beta1=beta1, beta2=beta2, eps=delta, weight_decay=wd)
    traj = optlib.run(opt, optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_adamw(X0, lr, beta1, beta2, delta, wd, 50),
                               rtol=1e-12, atol=1e-12 * 5)


def test_state_round_trips_through_save_and_load(tmp_path):
    opt = optlib.AdamW(lr=0.1, weight_decay=0.1)
    first = optlib.run(opt, optlib.ellipse(), X0, 5)
    optlib.save_state(tmp_path / "adamw.npz", first.state)
    state = optlib.load_state(tmp_path / "adamw.npz", like=opt.init(X0))
    assert type(state).__name__ == "AdamWState" and state.t == 5
    rest = optlib.run(opt, optlib.ellipse(), first.x, 5, state=state)
    whole = optlib.run(opt, optlib.ellipse(), X0, 10)
    np.testing.assert_array_equal(rest.xs[-1], whole.xs[-1])

"""optlib.Adam: v ← β1v + (1−β1)g, s ← β2s + (1−β2)g⊙g, v̂ = v/(1−β1ᵗ), ŝ = s/(1−β2ᵗ),
θ ← θ − ε v̂/(√ŝ + δ).

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_adam(x0, lr, beta1, beta2, delta, steps):
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = s = 0.0
        column = [x]
        for t in range(1, steps + 1):
            g = 2 * a * x
            v = beta1 * v + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            v_hat = v / (1 - beta1 ** t)
            s_hat = s / (1 - beta2 ** t)
            x = x - lr * v_hat / (math.sqrt(s_hat) + delta)
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_is_lr_times_sign_of_g():
    # v1 = 0.1·g0, s1 = 0.001·g0²; after bias correction v̂ = g0, ŝ = g0², so the step is
    # -ε·g/(|g| + δ) = -ε·sign(g) up to δ: θ1 = (-5 + 0.1, -2 + 0.1) = (-4.9, -1.9).
    opt = optlib.Adam(lr=0.1)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1 == pytest.approx([-4.9, -1.9], rel=1e-8)
    assert x1 == pytest.approx([-5 + 0.1 * 1 / (1 + 1e-8), -2 + 0.1 * 8 / (8 + 1e-8)], rel=1e-14)
    assert s1.v == pytest.approx([-0.1, -0.8], rel=1e-14)
    assert s1.s == pytest.approx([0.001, 0.064], rel=1e-12)
    assert s1.t == 1


def test_delta_is_added_after_the_root_and_the_correction():
    # δ = 1: coordinate 1 moves by 0.1·1/(1 + 1) = 0.05, coordinate 2 by 0.1·8/(8 + 1).
    opt = optlib.Adam(lr=0.1, eps=1.0)
    x0 = np.array(X0)
    x1, _ = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1 == pytest.approx([-4.95, -2 + 0.8 / 9], rel=1e-14)


def test_second_step_by_hand():
    opt = optlib.Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=0.0)
    f = optlib.ellipse()
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, f.grad, opt.init(x0))
    x2, s2 = opt.step(x1, f.grad, s1)
    # θ1 = (-4.9, -1.9), g1 = (-0.98, -7.6)
    g0, g1 = np.array([-1.0, -8.0]), np.array([-0.98, -7.6])
    v2 = 0.9 * 0.1 * g0 + 0.1 * g1
    s2_ = 0.999 * 0.001 * g0**2 + 0.001 * g1**2
    step = 0.1 * (v2 / (1 - 0.81)) / np.sqrt(s2_ / (1 - 0.999**2))
    assert x2 == pytest.approx(np.array([-4.9, -1.9]) - step, rel=1e-13)


@pytest.mark.parametrize(("lr", "beta1", "beta2", "delta"),
                         [(0.1, 0.9, 0.999, 1e-8), (0.3, 0.5, 0.9, 1e-3), (0.01, 0.0, 0.0, 0.0),
                          (0.05, 0.99, 0.99, 1e-6)])
def test_matches_the_scalar_reference_over_50_steps(lr, beta1, beta2, delta):
    opt = optlib.Adam(lr=lr, beta1=beta1, beta2=beta2, eps=delta)
    traj = optlib.run(opt, optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_adam(X0, lr, beta1, beta2, delta, 50),
                               rtol=1e-12, atol=1e-12 * 5)

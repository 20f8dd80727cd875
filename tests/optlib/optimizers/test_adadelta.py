"""optlib.AdaDelta, the notes' form:
r ← ρr + (1−ρ)g⊙g;  g′ ← √(δ+Δθ)/√(δ+r) ⊙ g;  θ ← θ − g′;  Δθ ← ρΔθ + (1−ρ)g′⊙g′
(``u`` in optlib is the notes' Δθ; PyTorch's extra ``lr`` multiplies the step only).

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_adadelta(x0, rho, delta, lr, steps):
    out = []
    for x, a in zip(x0, COEF, strict=True):
        r = u = 0.0
        column = [x]
        for _ in range(steps):
            g = 2 * a * x
            r = rho * r + (1 - rho) * g * g
            g_prime = math.sqrt(delta + u) / math.sqrt(delta + r) * g
            x = x - lr * g_prime
            u = rho * u + (1 - rho) * g_prime * g_prime
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_by_hand():
    # r1 = 0.1·g0² = (0.1, 6.4); Δθ0 = 0, so g′ = √δ·g/√(δ + r1): about √(δ/(1−ρ))·sign(g)
    # = √1e-5 ≈ 0.00316 in both coordinates, whatever the size of g.
    opt = optlib.AdaDelta(rho=0.9, eps=1e-6)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    root_delta = math.sqrt(1e-6)
    gp = [root_delta * -1 / math.sqrt(1e-6 + 0.1), root_delta * -8 / math.sqrt(1e-6 + 6.4)]
    assert s1.r == pytest.approx([0.1, 6.4], rel=1e-14)
    assert x1 == pytest.approx([-5 - gp[0], -2 - gp[1]], rel=1e-14)
    assert x1 - x0 == pytest.approx([math.sqrt(1e-5)] * 2, rel=1e-4)
    assert s1.u == pytest.approx([0.1 * gp[0] ** 2, 0.1 * gp[1] ** 2], rel=1e-14)


def test_lr_multiplies_the_step_but_not_the_averaged_update():
    f = optlib.ellipse()
    x0 = np.array(X0)
    one, two = optlib.AdaDelta(lr=1.0), optlib.AdaDelta(lr=2.0)
    x1, s1 = one.step(x0, f.grad, one.init(x0))
    y1, t1 = two.step(x0, f.grad, two.init(x0))
    np.testing.assert_allclose(y1 - x0, 2 * (x1 - x0), rtol=1e-12)
    np.testing.assert_array_equal(t1.u, s1.u)


@pytest.mark.parametrize(("rho", "delta", "lr"),
                         [(0.9, 1e-6, 1.0), (0.95, 1e-4, 1.0), (0.5, 1e-2, 0.5), (0.0, 1e-3, 2.0)])
def test_matches_the_scalar_reference_over_50_steps(rho, delta, lr):
    traj = optlib.run(optlib.AdaDelta(rho=rho, eps=delta, lr=lr), optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_adadelta(X0, rho, delta, lr, 50),
                               rtol=1e-12, atol=1e-12 * 5)

"""optlib.RMSProp: r ← ρr + (1−ρ)g⊙g, θ ← θ − ε/√(δ + r) ⊙ g (δ inside the root).

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_rmsprop(x0, lr, rho, delta, steps):
    out = []
    for x, a in zip(x0, COEF, strict=True):
        r = 0.0
        column = [x]
        for _ in range(steps):
            g = 2 * a * x
            r = rho * r + (1 - rho) * g ** 2
            x -= lr * g / math.sqrt(delta + r)
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_by_hand():
    # r1 = (1 − ρ)·g0² = 0.1·(1, 64) = (0.1, 6.4); with δ → 0 the step is
    # ε·g/√(0.1·g²) = ε/√0.1·sign(g): both coordinates move by 0.1/√0.1 = √0.1 ≈ 0.316.
    opt = optlib.RMSProp(lr=0.1, rho=0.9, eps=1e-6)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert s1.r == pytest.approx([0.1, 6.4], rel=1e-14)
    assert x1 == pytest.approx([-5 + math.sqrt(0.1), -2 + math.sqrt(0.1)], rel=1e-5)
    exact = [-5 + 0.1 / math.sqrt(1e-6 + 0.1), -2 + 0.8 / math.sqrt(1e-6 + 6.4)]
    assert x1 == pytest.approx(exact, rel=1e-14)


def test_delta_sits_inside_the_square_root():
    # With δ = 1 the two placements differ visibly in coordinate 1 (g = -1, r1 = 0.1):
    # inside: 0.1/√(1 + 0.1) = 0.09535;  outside: 0.1/(1 + √0.1) = 0.07597.
    opt = optlib.RMSProp(lr=0.1, rho=0.9, eps=1.0)
    x0 = np.array(X0)
    x1, _ = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1[0] == pytest.approx(-5 + 0.1 / math.sqrt(1.1), rel=1e-15)


@pytest.mark.parametrize(("lr", "rho", "delta"),
                         [(0.1, 0.9, 1e-6), (0.01, 0.99, 1e-8), (0.3, 0.5, 1e-2), (0.05, 0.0, 0)])
def test_matches_the_scalar_reference_over_50_steps(lr, rho, delta):
    traj = optlib.run(optlib.RMSProp(lr=lr, rho=rho, eps=delta), optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_rmsprop(X0, lr, rho, delta, 50),
                               rtol=1e-12, atol=1e-12 * 5)

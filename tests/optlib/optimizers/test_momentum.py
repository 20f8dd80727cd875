"""optlib.Momentum: v ← αv − εg, θ ← θ + v (the notes' heavy ball).

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_momentum(x0, lr, alpha, steps):
    """Heavy ball per coordinate with Python floats: v ← αv − εg, θ ← θ + v."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = 0.0
        column = [x]
        for _ in range(steps):
            v = alpha * v - lr * (2 * a * x)
            x = x + v
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_two_steps_by_hand():
    opt = optlib.Momentum(lr=0.4, momentum=0.5)
    f = optlib.ellipse()
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, f.grad, opt.init(x0))
    # v1 = 0.5·0 − 0.4·(-1, -8) = (0.4, 3.2); θ1 = (-4.6, 1.2)
    assert s1.v == pytest.approx([0.4, 3.2], rel=1e-14)
    assert x1 == pytest.approx([-4.6, 1.2], rel=1e-14)
    x2, s2 = opt.step(x1, f.grad, s1)
    # g1 = (-0.92, 4.8); v2 = 0.5·(0.4, 3.2) − 0.4·(-0.92, 4.8) = (0.2 + 0.368, 1.6 − 1.92)
    #    = (0.568, -0.32); θ2 = (-4.6 + 0.568, 1.2 − 0.32) = (-4.032, 0.88)
    assert s2.v == pytest.approx([0.568, -0.32], rel=1e-13)
    assert x2 == pytest.approx([-4.032, 0.88], rel=1e-13)
    assert (s1.t, s2.t) == (1, 2)


@pytest.mark.parametrize(("lr", "alpha"), [(0.4, 0.5), (0.05, 0.9), (0.6, 0.2), (0.3, 0.0)])
def test_matches_the_scalar_reference_over_50_steps(lr, alpha):
    traj = optlib.run(optlib.Momentum(lr=lr, momentum=alpha), optlib.ellipse(), X0, 50)
    expected = reference_momentum(X0, lr, alpha, 50)
    np.testing.assert_allclose(traj.xs, expected, rtol=1e-12, atol=1e-12 * 5)


def test_velocity_is_the_last_step():
    traj = optlib.run(optlib.Momentum(lr=0.1, momentum=0.7), optlib.ellipse(), X0, 10)
    np.testing.assert_allclose(traj.state.v, traj.xs[-1] - traj.xs[-2], rtol=1e-12)


def test_zero_momentum_is_gradient_descent_bit_for_bit():
    f = optlib.ellipse()
    a = optlib.run(optlib.Momentum(lr=0.3, momentum=0.0), f, X0, 30)
    b = optlib.run(optlib.SGD(lr=0.3), f, X0, 30)
    np.testing.assert_array_equal(a.xs, b.xs)

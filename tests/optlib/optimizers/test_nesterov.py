"""optlib.Nesterov: v ← αv − ε∇J(θ + αv), θ ← θ + v.

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_nesterov(x0, lr, alpha, steps):
    """NAG per coordinate with Python floats; the gradient is taken at θ + αv."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = 0.0
        column = [x]
        for _ in range(steps):
            lookahead = x + alpha * v
            v = alpha * v - lr * (2 * a * lookahead)
            x = x + v
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_two_steps_by_hand():
    opt = optlib.Nesterov(lr=0.4, momentum=0.5)
    f = optlib.ellipse()
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, f.grad, opt.init(x0))
    # v0 = 0, so the look-ahead point is θ0 and step 1 equals momentum's:
    # v1 = -0.4·(-1, -8) = (0.4, 3.2), θ1 = (-4.6, 1.2)
    assert x1 == pytest.approx([-4.6, 1.2], rel=1e-14)
    x2, s2 = opt.step(x1, f.grad, s1)
    # look-ahead θ1 + 0.5·v1 = (-4.4, 2.8), gradient there (-0.88, 11.2);
    # v2 = (0.2, 1.6) − 0.4·(-0.88, 11.2) = (0.552, -2.88); θ2 = (-4.048, -1.68)
    # (momentum would give θ2 = (-4.032, 0.88): the look-ahead matters.)
    assert s2.v == pytest.approx([0.552, -2.88], rel=1e-13)
    assert x2 == pytest.approx([-4.048, -1.68], rel=1e-13)


def test_the_gradient_is_evaluated_at_the_lookahead_point():
    opt = optlib.Nesterov(lr=0.1, momentum=0.5)
    seen = []

    def grad(x):
        seen.append(np.array(x))
        return np.zeros_like(x)

    state = opt.init(np.zeros(2))._replace(v=np.array([2.0, -4.0]))
    opt.step(np.array([1.0, 1.0]), grad, state)
    np.testing.assert_array_equal(seen, [[2.0, -1.0]])  # θ + αv = (1 + 1, 1 − 2)


@pytest.mark.parametrize(("lr", "alpha"), [(0.4, 0.5), (0.05, 0.9), (0.3, 0.3), (0.2, 0.0)])
def test_matches_the_scalar_reference_over_50_steps(lr, alpha):
    traj = optlib.run(optlib.Nesterov(lr=lr, momentum=alpha), optlib.ellipse(), X0, 50)
    expected = reference_nesterov(X0, lr, alpha, 50)
    np.testing.assert_allclose(traj.xs, expected, rtol=1e-12, atol=1e-12 * 5)


def test_zero_momentum_is_gradient_descent_bit_for_bit():
    f = optlib.ellipse()
    a = optlib.run(optlib.Nesterov(lr=0.3, momentum=0.0), f, X0, 30)
    b = optlib.run(optlib.SGD(lr=0.3), f, X0, 30)
    np.testing.assert_array_equal(a.xs, b.xs)

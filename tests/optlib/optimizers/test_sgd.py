"""optlib.SGD: θ ← θ − ε g (gradient descent when g is the full gradient).

The ellipse of the source notes is f(x) = 0.1·x1² + 2·x2², so ∇f(x) = (0.2·x1, 4·x2); every
hand computation below starts at θ0 = (-5, -2), where g0 = (0.2·-5, 4·-2) = (-1, -8).
"""

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)  # f = Σ COEF[i]·x_i²


def reference_gd(x0, lr, steps):
    """Gradient descent written coordinate by coordinate with Python floats."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        column = [x]
        for _ in range(steps):
            g = 2 * a * x
            x = x - lr * g
            column.append(x)
        out.append(column)
    return np.array(out).T  # (steps + 1, 2)


def test_first_two_steps_by_hand():
    opt = optlib.SGD(lr=0.4)
    f = optlib.ellipse()
    state = opt.init(np.array(X0))
    x1, state = opt.step(np.array(X0), f.grad, state)
    # θ1 = θ0 − 0.4·g0 = (-5 + 0.4, -2 + 3.2) = (-4.6, 1.2)
    assert x1 == pytest.approx([-4.6, 1.2], rel=1e-14)
    x2, state = opt.step(x1, f.grad, state)
    # g1 = (0.2·-4.6, 4·1.2) = (-0.92, 4.8); θ2 = (-4.6 + 0.368, 1.2 − 1.92) = (-4.232, -0.72)
    assert x2 == pytest.approx([-4.232, -0.72], rel=1e-14)
    assert state.t == 2


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.45])
def test_matches_the_closed_form(lr):
    # On the ellipse each coordinate is multiplied by (1 − 2·a_i·ε) at every step.
    steps = 50
    traj = optlib.run(optlib.SGD(lr=lr), optlib.ellipse(), X0, steps)
    t = np.arange(steps + 1)
    expected = np.stack([X0[0] * (1 - 0.2 * lr) ** t, X0[1] * (1 - 4 * lr) ** t], axis=-1)
    np.testing.assert_allclose(traj.xs, expected, rtol=1e-12, atol=1e-12 * 5)


@pytest.mark.parametrize("lr", [0.01, 0.2, 0.49])
def test_matches_the_scalar_reference_over_50_steps(lr):
    traj = optlib.run(optlib.SGD(lr=lr), optlib.ellipse(), X0, 50)
    expected = reference_gd(X0, lr, 50)
    np.testing.assert_allclose(traj.xs, expected, rtol=1e-12, atol=1e-12 * 5)


def test_the_gradient_oracle_decides_between_gd_and_sgd():
    # SGD takes whatever g the oracle returns: with a constant oracle g = (1, -2) and ε = 0.5
    # the iterates walk along -(0.5, -1) per step.
    opt = optlib.SGD(lr=0.5)
    x, state = np.array([0.0, 0.0]), opt.init(np.zeros(2))
    for _ in range(3):
        x, state = opt.step(x, lambda _x: np.array([1.0, -2.0]), state)
    np.testing.assert_array_equal(x, [-1.5, 3.0])
    assert state == (3,)


def test_zero_learning_rate_stands_still():
    traj = optlib.run(optlib.SGD(lr=0.0), optlib.ellipse(), X0, 5)
    np.testing.assert_array_equal(traj.xs, np.broadcast_to(X0, (6, 2)))

"""optlib.AdaGrad: r ← r + g⊙g, θ ← θ − ε/(δ + √r) ⊙ g.

Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); from θ0 = (-5, -2), g0 = (-1, -8).
"""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_adagrad(x0, lr, delta, r0, steps):
    """AdaGrad per coordinate with Python floats and math.sqrt."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        r = r0
        column = [x]
        for _ in range(steps):
            g = 2 * a * x
            r += g * g
            x -= lr * g / (delta + math.sqrt(r))
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_by_hand_without_delta():
    # r1 = g0² = (1, 64), √r1 = (1, 8); θ1 = θ0 − 0.4·(-1/1, -8/8) = (-4.6, -1.6):
    # both coordinates move by exactly ε -- the per-parameter rescaling of the notes.
    opt = optlib.AdaGrad(lr=0.4, eps=0.0)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    np.testing.assert_array_equal(s1.r, [1.0, 64.0])
    assert x1 == pytest.approx([-4.6, -1.6], rel=1e-15)


def test_first_step_by_hand_with_delta_and_initial_accumulator():
    # δ = 1e-7 (default) sits outside the root; r0 = 0.1 makes r1 = (1.1, 64.1).
    opt = optlib.AdaGrad(lr=0.4, initial_accumulator=0.1)
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert s1.r == pytest.approx([1.1, 64.1], rel=1e-15)
    expected = [-5 + 0.4 * 1 / (1e-7 + math.sqrt(1.1)), -2 + 0.4 * 8 / (1e-7 + math.sqrt(64.1))]
    assert x1 == pytest.approx(expected, rel=1e-14)


def test_second_step_by_hand():
    opt = optlib.AdaGrad(lr=0.4, eps=0.0)
    f = optlib.ellipse()
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, f.grad, opt.init(x0))
    x2, s2 = opt.step(x1, f.grad, s1)
    # θ1 = (-4.6, -1.6), g1 = (-0.92, -6.4); r2 = (1 + 0.8464, 64 + 40.96) = (1.8464, 104.96)
    assert s2.r == pytest.approx([1.8464, 104.96], rel=1e-14)
    expected = [-4.6 + 0.4 * 0.92 / math.sqrt(1.8464), -1.6 + 0.4 * 6.4 / math.sqrt(104.96)]
    assert x2 == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize(("lr", "delta", "r0"), [(0.4, 1e-7, 0.0), (1.5, 1e-3, 0.1), (0.05, 0, 0)])
def test_matches_the_scalar_reference_over_50_steps(lr, delta, r0):
    opt = optlib.AdaGrad(lr=lr, eps=delta, initial_accumulator=r0)
    traj = optlib.run(opt, optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_adagrad(X0, lr, delta, r0, 50),
                               rtol=1e-12, atol=1e-12 * 5)


def test_accumulator_is_the_sum_of_squared_gradients():
    f = optlib.ellipse()
    traj = optlib.run(optlib.AdaGrad(lr=0.3), f, X0, 20)
    g = f.grad(traj.xs[:-1])
    np.testing.assert_allclose(traj.state.r, (g * g).sum(axis=0), rtol=1e-13)

"""optlib.RAdam: momentum SGD while ρ_t ≤ 5, then the rectified Adam step (torch.optim.RAdam).
Agreement with torch: test_torch_after_adam.py."""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)


def rho(t, beta2):
    rho_inf = 2 / (1 - beta2) - 1
    return rho_inf - 2 * t * beta2**t / (1 - beta2**t)


def test_rho_grows_from_one_towards_rho_infinity():
    # ρ_1 = 1 for every β2 (one sample); ρ_t → 2/(1 − β2) − 1.
    assert rho(1, 0.999) == pytest.approx(1.0)
    assert rho(5, 0.999) < 5 < rho(6, 0.999)
    assert rho(100_000, 0.999) == pytest.approx(1999.0)


def test_first_five_steps_are_bias_corrected_momentum_then_the_rectified_step():
    f = optlib.ellipse()
    opt = optlib.RAdam(lr=0.05)
    pairs = optlib.iterate(opt, f.grad, X0, 6)
    x, v = np.array(X0), np.zeros(2)
    for t in range(1, 6):   # ρ_t ≤ 5: θ ← θ − ε v̂
        v = 0.9 * v + 0.1 * f.grad(x)
        x = x - 0.05 * v / (1 - 0.9**t)
        np.testing.assert_allclose(pairs[t][0], x, rtol=1e-14)
    # step 6 divides by √ŝ and multiplies by r_6 < 1
    state = pairs[5][1]
    g = f.grad(x)
    v = 0.9 * v + 0.1 * g
    s = 0.999 * state.s + 0.001 * g * g
    r6 = rho(6, 0.999)
    rinf = 2 / 0.001 - 1
    r = math.sqrt((r6 - 4) * (r6 - 2) * rinf / ((rinf - 4) * (rinf - 2) * r6))
    expected = x - 0.05 * v / (1 - 0.9**6) * r * math.sqrt(1 - 0.999**6) / (np.sqrt(s) + 1e-8)
    np.testing.assert_allclose(pairs[6][0], expected, rtol=1e-13)
    assert 0 < r < 0.2


def test_beta2_below_point_six_never_rectifies():
    # ρ_∞ = 2/(1 − β2) − 1 ≤ 4 < 5: RAdam is momentum SGD for ever.
    f = optlib.ellipse()
    radam = optlib.run(optlib.RAdam(lr=0.05, beta1=0.5, beta2=0.5), f, X0, 30).xs
    x, v, xs = np.array(X0), np.zeros(2), [np.array(X0)]
    for t in range(1, 31):
        v = 0.5 * v + 0.5 * f.grad(x)
        x = x - 0.05 * v / (1 - 0.5**t)
        xs.append(x)
    np.testing.assert_allclose(radam, np.array(xs), rtol=1e-13)

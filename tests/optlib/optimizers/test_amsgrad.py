"""optlib.AMSGrad: Adam with s_max ← max(s_max, s) in the denominator (torch: Adam(amsgrad=True)).

Agreement with torch is in tests/optlib/test_torch_after_adam.py; purity, batching, dtypes and
validation in test_base.py (conftest.CASES).
"""

import math

import numpy as np
import pytest

import optlib


def reference_amsgrad(grads, lr, beta1, beta2, delta, x0=0.0):
    """A scalar loop over a given gradient sequence (the gradient does not depend on x)."""
    x, v, s, s_max = x0, 0.0, 0.0, 0.0
    out = [x]
    for t, g in enumerate(grads, start=1):
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        s_max = max(s_max, s)
        x = x - lr * (v / (1 - beta1**t)) / (math.sqrt(s_max / (1 - beta2**t)) + delta)
        out.append(x)
    return np.array(out)


def replay(grads):
    """A grad_fn that returns the next gradient of a fixed sequence at every call."""
    it = iter(grads)
    return lambda x: np.full_like(x, next(it))


def test_first_step_is_adams():
    x0 = np.array([-5.0, -2.0])
    f = optlib.ellipse()
    ams, adam = optlib.AMSGrad(lr=0.1), optlib.Adam(lr=0.1)
    x_ams, state = ams.step(x0, f.grad, ams.init(x0))
    x_adam, _ = adam.step(x0, f.grad, adam.init(x0))
    np.testing.assert_array_equal(x_ams, x_adam)
    np.testing.assert_array_equal(state.s_max, state.s)


def test_a_rare_large_gradient_keeps_the_step_small():
    # one gradient of 10, then gradients of 1: Adam's s decays back and its step grows again;
    # AMSGrad's s_max never decreases, so its effective step ε/√ŝ_max stays small.
    grads = [10.0] + [1.0] * 60
    kw = {"lr": 0.01, "beta1": 0.0, "beta2": 0.9, "eps": 0.0}
    ams = optlib.run(optlib.AMSGrad(**kw), optlib.Objective(value=lambda x: x[..., 0],
                                                            grad=replay(grads)), [0.0], 61)
    adam = optlib.run(optlib.Adam(**kw), optlib.Objective(value=lambda x: x[..., 0],
                                                          grad=replay(grads)), [0.0], 61)
    np.testing.assert_allclose(ams.xs[:, 0], reference_amsgrad(grads, **{
        "lr": 0.01, "beta1": 0.0, "beta2": 0.9, "delta": 0.0}), rtol=1e-13)
    last_ams = ams.xs[-2, 0] - ams.xs[-1, 0]
    last_adam = adam.xs[-2, 0] - adam.xs[-1, 0]
    assert last_adam == pytest.approx(0.01, rel=1e-2)   # Adam forgot the spike: step ≈ ε
    assert last_ams < 0.5 * last_adam                     # AMSGrad did not
    assert np.all(ams.state.s_max >= ams.state.s)


@pytest.mark.parametrize(("lr", "beta1", "beta2", "delta"),
                         [(0.1, 0.9, 0.999, 1e-8), (0.05, 0.5, 0.9, 1e-3)])
def test_matches_the_scalar_reference_on_a_sign_changing_sequence(lr, beta1, beta2, delta):
    grads = [3.0, -1.0, 0.5, 4.0, -0.2, 0.1, 0.1, -2.0] * 5
    traj = optlib.run(optlib.AMSGrad(lr=lr, beta1=beta1, beta2=beta2, eps=delta),
                      optlib.Objective(value=lambda x: x[..., 0], grad=replay(grads)),
                      [0.0], len(grads))
    np.testing.assert_allclose(traj.xs[:, 0],
                               reference_amsgrad(grads, lr, beta1, beta2, delta), rtol=1e-12,
                               atol=1e-15)

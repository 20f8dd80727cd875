"""optlib.ScheduleFreeSGD / ScheduleFreeAdamW: z takes the base steps at y = β1x + (1−β1)z and
x is the weighted average of the z's (optax.contrib.schedule_free_*). Agreement with optax:
test_optax_agreement.py."""

import numpy as np
import pytest

import optlib

X0 = np.array([-5.0, -2.0])


def test_constant_lr_average_is_the_plain_mean_of_the_base_iterates():
    f = optlib.ellipse()
    opt = optlib.ScheduleFreeSGD(lr=0.2, beta1=0.7)
    pairs = optlib.iterate(opt, f.grad, X0, 25)
    zs = np.stack([state.z for _, state in pairs[1:]])
    for t in range(1, 26):
        y, state = pairs[t]
        np.testing.assert_allclose(opt.average(y, state), zs[:t].mean(axis=0), rtol=1e-12)
        # and y sits between x and z
        np.testing.assert_allclose(y, 0.7 * opt.average(y, state) + 0.3 * state.z, rtol=1e-12)


def test_base_step_is_sgd_at_y_with_weight_decay():
    f = optlib.ellipse()
    opt = optlib.ScheduleFreeSGD(lr=0.1, beta1=0.5, weight_decay=0.3)
    y0 = X0
    y1, s1 = opt.step(y0, f.grad, opt.init(y0))
    # first step: z1 = z0 − ε(g(y0) + λy0), c1 = 1 so x1 = z1 and y1 = z1
    z1 = X0 - 0.1 * (f.grad(X0) + 0.3 * X0)
    np.testing.assert_allclose(s1.z, z1, rtol=1e-15)
    np.testing.assert_allclose(y1, z1, rtol=1e-15)
    y2, s2 = opt.step(y1, f.grad, s1)
    z2 = z1 - 0.1 * (f.grad(y1) + 0.3 * y1)
    x2 = (z1 + z2) / 2
    np.testing.assert_allclose(y2, 0.5 * x2 + 0.5 * z2, rtol=1e-14)


def test_warmup_weights_favour_late_iterates():
    # weights w_t = ε_t² (p = 2) with ε_t growing during a warmup: x = Σ w_t z_t / Σ w_t
    sched = optlib.schedules.warmup(optlib.schedules.constant(0.1), steps=10)
    opt = optlib.ScheduleFreeSGD(lr=sched, beta1=0.9)
    pairs = optlib.iterate(opt, optlib.ellipse().grad, X0, 5)
    lrs = np.array([sched(t) for t in range(5)])
    w = lrs**2
    zs = np.stack([s.z for _, s in pairs[1:]])
    y, state = pairs[5]
    np.testing.assert_allclose(opt.average(y, state), (w[:, None] * zs).sum(0) / w.sum(),
                               rtol=1e-12)


def test_adamw_first_step_is_lr_times_sign():
    opt = optlib.ScheduleFreeAdamW(lr=0.1, eps=0.0)
    y1, state = opt.step(X0, optlib.ellipse().grad, opt.init(X0))
    assert y1 == pytest.approx(X0 + 0.1, rel=1e-15)
    np.testing.assert_array_equal(state.z, y1)


def test_beta1_zero_is_refused():
    with pytest.raises(ValueError, match="beta1=0.0"):
        optlib.ScheduleFreeSGD(beta1=0.0)

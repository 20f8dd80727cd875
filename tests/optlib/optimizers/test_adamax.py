"""optlib.Adamax: u ← max(β2u, |g| + δ), θ ← θ − ε/(1 − β1ᵗ)·v/u (torch.optim.Adamax).
Agreement with torch: test_torch_after_adam.py."""

import numpy as np
import pytest

import optlib


def replay(grads):
    it = iter(grads)
    return lambda x: np.full_like(x, next(it))


def test_first_step_is_lr_times_sign():
    # v1 = (1−β1)g, u1 = |g| + δ: θ1 = θ0 − ε g/(|g| + δ)
    opt = optlib.Adamax(lr=0.1, eps=0.0)
    x0 = np.array([-5.0, -2.0])
    x1, state = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1 == pytest.approx([-4.9, -1.9], rel=1e-15)
    np.testing.assert_array_equal(state.u, [1.0, 8.0])


def test_u_is_a_decaying_maximum_of_the_gradient_sizes():
    # |g| = 8, then 1, 1, 1: u = 8, 8β2, 8β2², 8β2³ while that stays above 1 + δ
    grads = [8.0, -1.0, 1.0, -1.0]
    opt = optlib.Adamax(lr=0.01, beta2=0.5, eps=0.0)
    f = optlib.Objective(value=lambda x: x[..., 0], grad=replay(grads))
    us = [s.u[0] for _, s in optlib.iterate(opt, f.grad, [0.0], 4)[1:]]
    assert us == [8.0, 4.0, 2.0, 1.0]
    # and δ sits inside the maximum: with |g| = 0 the floor is δ
    opt = optlib.Adamax(lr=0.01, eps=0.25)
    zero = lambda x: np.zeros_like(x)  # noqa: E731
    _, state = opt.step(np.zeros(1), zero, opt.init(np.zeros(1)))
    assert state.u[0] == 0.25

"""optlib.Lion: c = β1m + (1−β1)g, θ ← θ − ε(sign(c) + λθ), m ← β2m + (1−β2)g (optax.lion).
Agreement with optax: test_optax_agreement.py."""

import numpy as np
import pytest

import optlib


def test_first_step_by_hand():
    # m0 = 0: c = (1 − β1)g has the sign of g; θ1 = θ0 − ε(sign(g0) + λθ0); m1 = (1 − β2)g0
    opt = optlib.Lion(lr=0.1, weight_decay=0.5)
    x0 = np.array([-5.0, -2.0])
    x1, state = opt.step(x0, optlib.ellipse().grad, opt.init(x0))
    assert x1 == pytest.approx([-5 + 0.1 + 0.25, -2 + 0.1 + 0.1], rel=1e-15)
    assert state.m == pytest.approx([-0.01, -0.08], rel=1e-14)


def test_the_step_direction_uses_beta1_and_the_memory_beta2():
    # after a gradient of +1 the memory is m = (1 − β2)·1; a new gradient of −0.05:
    # c = β1·m + (1 − β1)(−0.05). With β1 = 0.9, β2 = 0.5: c = 0.45 − 0.005 > 0 (step −ε);
    # with the two swapped (β1 = 0.5, β2 = 0.9): c = 0.05 − 0.025 > 0 too, but m differs.
    grads = iter([1.0, -0.05])
    f = lambda x: np.full_like(x, next(grads))  # noqa: E731
    opt = optlib.Lion(lr=1.0, beta1=0.9, beta2=0.5, weight_decay=0.0)
    x, state = opt.step(np.zeros(1), f, opt.init(np.zeros(1)))
    x, state = opt.step(x, f, state)
    assert x[0] == -2.0
    assert state.m[0] == pytest.approx(0.5 * 0.5 + 0.5 * -0.05)


def test_no_memory_and_no_decay_is_sign_descent():
    f = optlib.beale()
    lion = optlib.run(optlib.Lion(lr=0.01, beta1=0.0, beta2=0.0, weight_decay=0.0), f,
                      [1.0, 1.4], 80).xs
    sign = optlib.run(optlib.SignSGD(lr=0.01), f, [1.0, 1.4], 80).xs
    np.testing.assert_array_equal(lion, sign)

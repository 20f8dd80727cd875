"""optlib.frameworks: the PyTorch and Keras forms of SGD/NAG, RMSprop and Adam.

References below are written from the frameworks' documented update rules, per coordinate,
with Python floats. Ellipse f = 0.1·x1² + 2·x2², ∇f = (0.2·x1, 4·x2); θ0 = (-5, -2), g0 = (-1, -8).
"""

import math

import numpy as np
import pytest

import optlib
from optlib import frameworks, schedules

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_torch_sgd(x0, lr, mu, nesterov, steps):
    """torch.optim.SGD docs: b ← μb + g; θ ← θ − lr·(g + μb if nesterov else b)."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        b = 0.0
        column = [x]
        for t in range(steps):
            g = 2 * a * x
            b = g if t == 0 else mu * b + g
            x = x - lr * (g + mu * b if nesterov else b)
            column.append(x)
        out.append(column)
    return np.array(out).T


def reference_torch_rmsprop(x0, lr, alpha, eps, steps):
    """torch.optim.RMSprop docs: v ← αv + (1−α)g²; θ ← θ − lr·g/(√v + ε)."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = 0.0
        column = [x]
        for _ in range(steps):
            g = 2 * a * x
            v = alpha * v + (1 - alpha) * g * g
            x = x - lr * g / (math.sqrt(v) + eps)
            column.append(x)
        out.append(column)
    return np.array(out).T


def reference_keras_adam(x0, lr, beta1, beta2, eps_hat, steps):
    """keras.optimizers.Adam: α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ); θ ← θ − α_t·m/(√v + ε̂)."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        m = v = 0.0
        column = [x]
        for t in range(1, steps + 1):
            g = 2 * a * x
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            alpha_t = lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
            x = x - alpha_t * m / (math.sqrt(v) + eps_hat)
            column.append(x)
        out.append(column)
    return np.array(out).T


def reference_adam_with_step_delta(x0, lr, beta1, beta2, eps_hat, steps):
    """The notes' Adam with δ_t = ε̂/√(1−β2ᵗ), which the docstring says equals Keras's form."""
    out = []
    for x, a in zip(x0, COEF, strict=True):
        v = s = 0.0
        column = [x]
        for t in range(1, steps + 1):
            g = 2 * a * x
            v = beta1 * v + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            delta_t = eps_hat / math.sqrt(1 - beta2 ** t)
            x = x - lr * (v / (1 - beta1 ** t)) / (math.sqrt(s / (1 - beta2 ** t)) + delta_t)
            column.append(x)
        out.append(column)
    return np.array(out).T


# --- hand-computed first steps ---------------------------------------------------------------


def _two_steps(opt):
    f = optlib.ellipse()
    x0 = np.array(X0)
    x1, s1 = opt.step(x0, f.grad, opt.init(x0))
    x2, s2 = opt.step(x1, f.grad, s1)
    return x1, s1, x2, s2


def test_torch_sgd_heavy_ball_by_hand():
    x1, s1, x2, s2 = _two_steps(frameworks.TorchSGD(lr=0.4, momentum=0.5))
    # b1 = g0 = (-1, -8); θ1 = θ0 − 0.4·b1 = (-4.6, 1.2)
    assert s1.b == pytest.approx([-1.0, -8.0], rel=1e-15)
    assert x1 == pytest.approx([-4.6, 1.2], rel=1e-14)
    # g1 = (-0.92, 4.8); b2 = 0.5·(-1, -8) + g1 = (-1.42, 0.8); θ2 = θ1 − 0.4·b2 = (-4.032, 0.88)
    assert s2.b == pytest.approx([-1.42, 0.8], rel=1e-13)
    assert x2 == pytest.approx([-4.032, 0.88], rel=1e-13)


def test_torch_sgd_nesterov_by_hand():
    x1, s1, _, _ = _two_steps(frameworks.TorchSGD(lr=0.4, momentum=0.5, nesterov=True))
    # b1 = g0; θ1 = θ0 − 0.4·(g0 + 0.5·b1) = (-5, -2) − 0.4·(-1.5, -12) = (-4.4, 2.8),
    # the notes' look-ahead point θ1 + αv1 = (-4.6, 1.2) + 0.5·(0.4, 3.2).
    assert x1 == pytest.approx([-4.4, 2.8], rel=1e-14)


def test_torch_rmsprop_first_step_by_hand():
    x1, s1, _, _ = _two_steps(frameworks.TorchRMSprop(lr=0.01, alpha=0.99, eps=1e-8))
    # r1 = 0.01·g0² = (0.01, 0.64), √r1 = 0.1·|g0|; step = 0.01·g/(0.1|g| + ε) ≈ 0.1·sign(g)
    assert s1.r == pytest.approx([0.01, 0.64], rel=1e-13)
    assert x1 == pytest.approx([-5 + 0.01 / (0.1 + 1e-8), -2 + 0.08 / (0.8 + 1e-8)], rel=1e-13)


def test_keras_adam_first_step_by_hand():
    x1, s1, _, _ = _two_steps(frameworks.KerasAdam(lr=0.1, epsilon=1e-7))
    # m1 = 0.1·g0, v1 = 0.001·g0², lr_1 = 0.1·√0.001/0.1 = √0.001;
    # step = √0.001·0.1·g/(√0.001·|g| + ε̂) ≈ 0.1·sign(g)
    r = math.sqrt(0.001)
    expected = [-5 + r * 0.1 / (r * 1 + 1e-7), -2 + r * 0.8 / (r * 8 + 1e-7)]
    assert x1 == pytest.approx(expected, rel=1e-12)
    assert x1 == pytest.approx([-4.9, -1.9], rel=1e-5)


# --- independent references over 50 steps ----------------------------------------------------


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize(("lr", "mu"), [(0.4, 0.5), (0.05, 0.9), (0.2, 0.0)])
def test_torch_sgd_matches_reference(lr, mu, nesterov):
    opt = frameworks.TorchSGD(lr=lr, momentum=mu, nesterov=nesterov)
    traj = optlib.run(opt, optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_torch_sgd(X0, lr, mu, nesterov, 50),
                               rtol=1e-12, atol=1e-12 * 5)


@pytest.mark.parametrize(("lr", "alpha", "eps"), [(0.01, 0.99, 1e-8), (0.1, 0.9, 1e-3)])
def test_torch_rmsprop_matches_reference(lr, alpha, eps):
    traj = optlib.run(frameworks.TorchRMSprop(lr=lr, alpha=alpha, eps=eps), optlib.ellipse(),
                      X0, 50)
    np.testing.assert_allclose(traj.xs, reference_torch_rmsprop(X0, lr, alpha, eps, 50),
                               rtol=1e-12, atol=1e-12 * 5)


@pytest.mark.parametrize(("lr", "b1", "b2", "eps_hat"),
                         [(0.1, 0.9, 0.999, 1e-7), (0.2, 0.5, 0.9, 0.5), (0.05, 0.0, 0.0, 0.0)])
def test_keras_adam_matches_reference_and_the_step_dependent_delta_form(lr, b1, b2, eps_hat):
    opt = frameworks.KerasAdam(lr=lr, beta1=b1, beta2=b2, epsilon=eps_hat)
    traj = optlib.run(opt, optlib.ellipse(), X0, 50)
    np.testing.assert_allclose(traj.xs, reference_keras_adam(X0, lr, b1, b2, eps_hat, 50),
                               rtol=1e-12, atol=1e-12 * 5)
    np.testing.assert_allclose(traj.xs, reference_adam_with_step_delta(X0, lr, b1, b2, eps_hat, 50),
                               rtol=1e-11, atol=1e-12 * 5)


# --- how the forms relate to the notes' forms ------------------------------------------------


def test_torch_heavy_ball_gives_the_notes_momentum_iterates_and_buffer():
    f = optlib.ellipse()
    torch_form = optlib.iterate(frameworks.TorchSGD(lr=0.1, momentum=0.8), f.grad, X0, 40)
    notes_form = optlib.iterate(optlib.Momentum(lr=0.1, momentum=0.8), f.grad, X0, 40)
    for (xt, st), (xn, sn) in zip(torch_form, notes_form, strict=True):
        np.testing.assert_allclose(xt, xn, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(st.b, frameworks.momentum_to_torch_buffer(sn.v, 0.1),
                                   rtol=1e-12, atol=1e-12)


def test_torch_nesterov_reports_the_lookahead_point():
    f = optlib.ellipse()
    torch_form = optlib.iterate(frameworks.TorchSGD(lr=0.1, momentum=0.8, nesterov=True),
                                f.grad, X0, 40)
    notes_form = optlib.iterate(optlib.Nesterov(lr=0.1, momentum=0.8), f.grad, X0, 40)
    for (xt, _), (xn, sn) in zip(torch_form, notes_form, strict=True):
        phi = frameworks.nesterov_lookahead(xn, sn.v, 0.8)
        np.testing.assert_allclose(xt, phi, rtol=1e-12, atol=1e-13)


def test_the_forms_part_ways_under_a_changing_learning_rate():
    f = optlib.ellipse()
    lr = schedules.exponential(0.2, 0.5)
    a = optlib.run(frameworks.TorchSGD(lr=lr, momentum=0.8), f, X0, 5)
    b = optlib.run(optlib.Momentum(lr=lr, momentum=0.8), f, X0, 5)
    np.testing.assert_allclose(a.xs[1], b.xs[1], rtol=1e-14)  # same first step
    assert not np.allclose(a.xs[2:], b.xs[2:], rtol=1e-3)


def test_torch_rmsprop_equals_the_notes_rmsprop_without_epsilon():
    f = optlib.ellipse()
    a = optlib.run(frameworks.TorchRMSprop(lr=0.05, alpha=0.9, eps=0.0), f, X0, 50)
    b = optlib.run(optlib.RMSProp(lr=0.05, rho=0.9, eps=0.0), f, X0, 50)
    np.testing.assert_allclose(a.xs, b.xs, rtol=1e-12, atol=1e-13)
    # ...and differs from it once ε is large (outside vs inside the root)
    c = optlib.run(frameworks.TorchRMSprop(lr=0.05, alpha=0.9, eps=0.5), f, X0, 1)
    d = optlib.run(optlib.RMSProp(lr=0.05, rho=0.9, eps=0.5), f, X0, 1)
    assert abs(c.xs[1, 0] - d.xs[1, 0]) > 1e-3


def test_keras_adam_and_adam_agree_when_epsilon_is_negligible_and_differ_early_otherwise():
    f = optlib.ellipse()
    a = optlib.run(frameworks.KerasAdam(lr=0.1, epsilon=0.0), f, X0, 50)
    b = optlib.run(optlib.Adam(lr=0.1, eps=0.0), f, X0, 50)
    np.testing.assert_allclose(a.xs, b.xs, rtol=1e-12, atol=1e-12)
    c = optlib.run(frameworks.KerasAdam(lr=0.1, epsilon=0.1), f, X0, 1)
    d = optlib.run(optlib.Adam(lr=0.1, eps=0.1), f, X0, 1)
    assert abs(c.xs[1, 0] - d.xs[1, 0]) > 1e-3


def test_momentum_to_torch_buffer_checks_lr():
    np.testing.assert_array_equal(frameworks.momentum_to_torch_buffer([0.2, -0.4], 0.5),
                                  [-0.4, 0.8])
    for bad in (0.0, -0.1):
        with pytest.raises(ValueError, match="lr"):
            frameworks.momentum_to_torch_buffer([1.0], bad)


def test_torch_sgd_repr_names_the_nesterov_flag():
    assert "nesterov=True" in repr(frameworks.TorchSGD(lr=0.4, momentum=0.5, nesterov=True))
    assert "nesterov=False" in repr(frameworks.TorchSGD(lr=0.4, momentum=0.5))

"""optlib.NAdam: μ_t = β1(1 − ½·0.96^{tψ}); θ ← θ − ε((1−μ_t)g/(1−Πμ) + μ_{t+1}v/(1−Πμ·μ_{t+1}))
/ (√(s/(1−β2ᵗ)) + δ) (torch.optim.NAdam). Agreement with torch: test_torch_after_adam.py."""

import math

import numpy as np
import pytest

import optlib

X0 = (-5.0, -2.0)
COEF = (0.1, 2.0)


def reference_nadam(lr, beta1, beta2, delta, psi, steps):
    out = []
    for x, a in zip(X0, COEF, strict=True):
        v = s = 0.0
        prod = 1.0
        column = [x]
        for t in range(1, steps + 1):
            g = 2 * a * x
            mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
            mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
            prod *= mu
            v = beta1 * v + (1 - beta1) * g
            s = beta2 * s + (1 - beta2) * g * g
            denom = math.sqrt(s / (1 - beta2**t)) + delta
            x = x - lr * ((1 - mu) * g / (1 - prod) + mu_next * v / (1 - prod * mu_next)) / denom
            column.append(x)
        out.append(column)
    return np.array(out).T


def test_first_step_by_hand():
    # ψ = 0: μ_t = β1/2 = 0.45 for every t. Step 1: v = 0.1g, s = 0.001g², √(s/0.001) = |g|;
    # numerator (1−0.45)g/(1−0.45) + 0.45·0.1g/(1−0.45²) = g(1 + 0.045/0.7975).
    opt = optlib.NAdam(lr=0.1, momentum_decay=0.0, eps=0.0)
    x1, state = opt.step(np.array(X0), optlib.ellipse().grad, opt.init(np.array(X0)))
    factor = 1 + 0.045 / 0.7975
    assert x1 == pytest.approx([-5 + 0.1 * factor, -2 + 0.1 * factor], rel=1e-14)
    assert state.mu_product == pytest.approx(0.45)


def test_mu_product_is_one_number_per_setting():
    opt = optlib.NAdam(lr=np.array([[0.1], [0.2]]), beta1=np.array([[0.9], [0.8]]))
    state = opt.init(np.zeros(2))
    assert state.mu_product.shape == (2, 1) and state.v.shape == (2, 2)


@pytest.mark.parametrize(("lr", "beta1", "beta2", "delta", "psi"),
                         [(0.1, 0.9, 0.999, 1e-8, 4e-3), (0.3, 0.5, 0.9, 1e-3, 0.1),
                          (0.05, 0.0, 0.99, 0.0, 4e-3)])
def test_matches_the_scalar_reference(lr, beta1, beta2, delta, psi):
    opt = optlib.NAdam(lr=lr, beta1=beta1, beta2=beta2, eps=delta, momentum_decay=psi)
    traj = optlib.run(opt, optlib.ellipse(), X0, 60)
    np.testing.assert_allclose(traj.xs, reference_nadam(lr, beta1, beta2, delta, psi, 60),
                               rtol=1e-12, atol=1e-13)

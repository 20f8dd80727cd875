"""Tests of optlib.theory."""

import numpy as np
import pytest

from optlib import theory


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_nesterov_max_lr_is_where_the_spectral_radius_reaches_one(alpha):
    lam = np.array([0.2, 4.0])
    limit = theory.nesterov_max_lr(alpha, lam)
    assert theory.nesterov_rate(limit * (1 - 1e-6), alpha, lam) < 1
    assert theory.nesterov_rate(limit * (1 + 1e-6), alpha, lam) > 1
    assert theory.nesterov_rate(limit, alpha, lam) == pytest.approx(1.0, abs=1e-9)


def test_nesterov_max_lr_values():
    lam = [0.2, 4.0]
    assert theory.nesterov_max_lr(0.5, lam) == pytest.approx(0.375)
    # no momentum: gradient descent's limit 2/λmax
    assert theory.nesterov_max_lr(0.0, lam) == pytest.approx(theory.gd_max_lr(lam))
    # smaller than heavy ball's limit for every α > 0
    alphas = np.linspace(0.01, 0.99, 50)
    assert np.all(theory.nesterov_max_lr(alphas, lam) < theory.momentum_max_lr(alphas, lam))


def test_nesterov_max_lr_broadcasts():
    alphas = np.array([[0.0], [0.5], [0.9]])
    out = theory.nesterov_max_lr(alphas, [1.0])
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out.ravel(), [2.0, 1.5, 3.8 / 2.8])

r"""Closed forms of the quadratic theory.

On a quadratic :math:`f(x) = \tfrac12 x^\top H x` every method with a constant
learning rate is a linear iteration, and in the eigenbasis of H it splits into one
small iteration per eigenvalue λ. Its spectral radius is the *rate*: the error
shrinks like ``rate**t``. A rate below 1 converges, above 1 diverges.

* Gradient descent: :math:`x \leftarrow (1 - \epsilon\lambda) x`, rate
  :math:`\max_\lambda |1 - \epsilon\lambda|`, stable for :math:`0 < \epsilon < 2/\lambda_{max}`,
  best at :math:`\epsilon^* = 2/(\lambda_{min} + \lambda_{max})` with rate
  :math:`(\kappa - 1)/(\kappa + 1)`, κ = λmax/λmin.
* Heavy-ball momentum, on the pair (x, v):
  :math:`\begin{pmatrix} x \\ v\end{pmatrix} \leftarrow
  \begin{pmatrix} 1 - \epsilon\lambda & \alpha \\ -\epsilon\lambda & \alpha \end{pmatrix}
  \begin{pmatrix} x \\ v\end{pmatrix}`, stable for :math:`0 < \epsilon\lambda < 2 + 2\alpha`,
  best at :math:`\alpha^* = \big(\tfrac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\big)^2`,
  :math:`\epsilon^* = \big(\tfrac{2}{\sqrt{\lambda_{max}} + \sqrt{\lambda_{min}}}\big)^2`,
  rate :math:`\sqrt{\alpha^*} = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.
* Nesterov, on the same pair: the gradient is taken at x + αv, which gives
  :math:`\begin{pmatrix} 1 - \epsilon\lambda & \alpha(1 - \epsilon\lambda) \\
  -\epsilon\lambda & \alpha(1 - \epsilon\lambda) \end{pmatrix}`.

All functions broadcast: ``lr`` and ``momentum`` may be arrays (a whole grid at once).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .optimizers.base import Array


def _eigs(eigenvalues: Any) -> Array:
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 1 or lam.size == 0:
        raise ValueError(f"eigenvalues must be a non-empty 1-D array, got shape {lam.shape}")
    return lam


def condition_number(eigenvalues: Any) -> float:
    """κ = λmax/λmin of positive eigenvalues."""
    lam = _eigs(eigenvalues)
    if lam.min() <= 0:
        raise ValueError(f"condition number needs positive eigenvalues, got {lam}")
    return float(lam.max() / lam.min())


def gd_factors(lr: Any, eigenvalues: Any) -> Array:
    """The per-eigenvalue factors 1 − ελ of gradient descent, shape ``lr.shape + (n,)``."""
    return 1 - np.asarray(lr, dtype=np.float64)[..., None] * _eigs(eigenvalues)


def gd_rate(lr: Any, eigenvalues: Any) -> Array:
    """Contraction rate ``max_λ |1 − ελ|`` of gradient descent (broadcasts over ``lr``)."""
    return np.abs(gd_factors(lr, eigenvalues)).max(axis=-1)


def gd_best_lr(eigenvalues: Any) -> float:
    """The learning rate 2/(λmin + λmax) that minimises :func:`gd_rate`."""
    lam = _eigs(eigenvalues)
    return float(2 / (lam.min() + lam.max()))


def gd_max_lr(eigenvalues: Any) -> float:
    """The stability limit 2/λmax: gradient descent diverges for larger ε."""
    return float(2 / _eigs(eigenvalues).max())


def momentum_matrix(lr: Any, momentum: Any, eigenvalue: Any) -> Array:
    """The 2×2 iteration matrix of heavy-ball momentum on (x, v) for one eigenvalue.

    Broadcasts over its arguments; the result has shape ``broadcast + (2, 2)``.
    """
    lr, a, lam = np.broadcast_arrays(*(np.asarray(z, dtype=np.float64)
                                       for z in (lr, momentum, eigenvalue)))
    h = lr * lam
    return np.stack([np.stack([1 - h, a], -1), np.stack([-h, a], -1)], -2)


def nesterov_matrix(lr: Any, momentum: Any, eigenvalue: Any) -> Array:
    """The 2×2 iteration matrix of Nesterov's method on (x, v) for one eigenvalue."""
    lr, a, lam = np.broadcast_arrays(*(np.asarray(z, dtype=np.float64)
                                       for z in (lr, momentum, eigenvalue)))
    h = lr * lam
    return np.stack([np.stack([1 - h, a * (1 - h)], -1), np.stack([-h, a * (1 - h)], -1)], -2)


def spectral_radius(matrix: Any) -> Array:
    """Largest eigenvalue modulus of (a batch of) square matrices."""
    return np.abs(np.linalg.eigvals(np.asarray(matrix))).max(axis=-1)


def momentum_rate(lr: Any, momentum: Any, eigenvalues: Any) -> Array:
    """Rate of heavy-ball momentum: the worst spectral radius over the eigenvalues."""
    lam = _eigs(eigenvalues)
    lr = np.asarray(lr, dtype=np.float64)[..., None]
    a = np.asarray(momentum, dtype=np.float64)[..., None]
    return spectral_radius(momentum_matrix(lr, a, lam)).max(axis=-1)


def nesterov_rate(lr: Any, momentum: Any, eigenvalues: Any) -> Array:
    """Rate of Nesterov's method: the worst spectral radius over the eigenvalues."""
    lam = _eigs(eigenvalues)
    lr = np.asarray(lr, dtype=np.float64)[..., None]
    a = np.asarray(momentum, dtype=np.float64)[..., None]
    return spectral_radius(nesterov_matrix(lr, a, lam)).max(axis=-1)


def momentum_stable(lr: Any, momentum: Any, eigenvalues: Any) -> Array:
    """Whether 0 < ελ < 2 + 2α holds for every eigenvalue (and 0 ≤ α < 1)."""
    lam = _eigs(eigenvalues)
    lr = np.asarray(lr, dtype=np.float64)[..., None]
    a = np.asarray(momentum, dtype=np.float64)[..., None]
    h = lr * lam
    return ((h > 0) & (h < 2 + 2 * a) & (a >= 0) & (a < 1)).all(axis=-1)


def momentum_max_lr(momentum: Any, eigenvalues: Any) -> Array:
    """The stability limit (2 + 2α)/λmax of heavy-ball momentum."""
    return (2 + 2 * np.asarray(momentum, dtype=np.float64)) / _eigs(eigenvalues).max()


def nesterov_max_lr(momentum: Any, eigenvalues: Any) -> Array:
    """The stability limit (2 + 2α)/((1 + 2α)·λmax) of Nesterov's method.

    The characteristic polynomial of :func:`nesterov_matrix` is
    z² − (1 + α)(1 − ελ) z + α(1 − ελ). At z = −1 it equals 1 + (1 + 2α)(1 − ελ),
    which changes sign at ελ = (2 + 2α)/(1 + 2α); beyond it a real root lies below
    −1. For α > 0 this is smaller than heavy ball's 2 + 2α, and α = 0 gives
    gradient descent's 2/λmax.
    """
    a = np.asarray(momentum, dtype=np.float64)
    return (2 + 2 * a) / ((1 + 2 * a) * _eigs(eigenvalues).max())


class MomentumOptimum(NamedTuple):
    """The best constant (ε, α) for heavy-ball momentum and the rate it reaches."""

    lr: float
    momentum: float
    rate: float


def momentum_optimal(eigenvalues: Any) -> MomentumOptimum:
    """Polyak's optimal heavy-ball parameters for the extreme eigenvalues."""
    lam = _eigs(eigenvalues)
    lo, hi = float(lam.min()), float(lam.max())
    if lo <= 0:
        raise ValueError(f"momentum_optimal needs positive eigenvalues, got {lam}")
    root_kappa = np.sqrt(hi / lo)
    rate = (root_kappa - 1) / (root_kappa + 1)
    lr = (2 / (np.sqrt(hi) + np.sqrt(lo))) ** 2
    return MomentumOptimum(lr=float(lr), momentum=float(rate**2), rate=float(rate))


def critical_momentum(lr: Any, eigenvalue: Any) -> Array:
    """The α at which the momentum iteration for λ is critically damped: (1 − √(ελ))²."""
    return (1 - np.sqrt(np.asarray(lr, dtype=np.float64) * eigenvalue)) ** 2


def measured_rate(values: Any, min_value: float = 0.0, tail: int = 20, power: float = 0.5
                  ) -> Array:
    """Estimate the per-step contraction from a loss curve.

    Fits ``(f_t − f*)`` over the last ``tail`` steps as ``C·q^t`` and returns
    ``q**power``; with the default ``power=0.5`` this converts the rate of a
    squared quantity (the loss of a quadratic) into the rate of the error ‖x − x*‖.
    Works along axis 0 of ``values`` (shape ``(steps + 1, ...)``). A run that
    diverged gets ``inf`` or ``nan``, silently: mask it with ``Trajectory.diverged``.
    """
    gap = np.asarray(values, dtype=np.float64) - min_value
    if gap.shape[0] <= tail:
        raise ValueError(f"need more than tail={tail} values, got {gap.shape[0]}")
    # Diverged runs (inf/NaN) and exact zeros give inf/NaN rates, without warnings.
    with np.errstate(all="ignore"):
        logs = np.log(np.abs(gap[-tail - 1:]))
        t = np.arange(tail + 1, dtype=np.float64)
        t = (t - t.mean()).reshape((-1,) + (1,) * (gap.ndim - 1))
        slope = (t * (logs - logs.mean(axis=0))).sum(axis=0) / (t * t).sum()
        return np.exp(slope * power)


def steps_for_factor(rate: Any, factor: float) -> Array:
    """The smallest t with ``rateᵗ ≤ 1/factor``: steps to shrink an error ``factor``-fold.

    ``⌈ln(factor) / ln(1/rate)⌉`` for a contraction ``0 < rate < 1`` per step (``inf`` for
    ``rate ≥ 1``, ``0`` for ``rate = 0``). Broadcasts over ``rate``.
    """
    if not np.isfinite(factor) or factor <= 1:
        raise ValueError(f"factor must be a finite number > 1, got {factor!r}")
    r = np.asarray(rate, dtype=np.float64)
    if np.any(r < 0) or np.any(np.isnan(r)):
        raise ValueError(f"rate must be non-negative, got {rate!r}")
    contracting = np.where((r > 0) & (r < 1), r, 0.5)
    # a hair below the exact quotient, so that rate = 0.1, factor = 1000 gives 3, not 4
    steps = np.ceil(np.log(factor) / -np.log(contracting) - 1e-9)
    steps = np.where(r >= 1, np.inf, np.where(r == 0, 0.0, steps))
    return float(steps) if steps.ndim == 0 else steps

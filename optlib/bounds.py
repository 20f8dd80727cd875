r"""The guarantees of convex optimization as functions of the step t, and slopes to check them.

Notation: f is L-smooth (λmax(∇²f) ≤ L) and, where stated, μ-strongly convex; κ = L/μ;
``r0sq`` = ‖θ₀ − θ*‖²; ``gap0`` = f(θ₀) − f*. Every function broadcasts over ``t``.

* gradient descent, ε = 1/L, convex: f(θ_t) − f* ≤ L‖θ₀ − θ*‖²/(2t);
* accelerated gradient, convex: f(θ_t) − f* ≤ 2L‖θ₀ − θ*‖²/(t + 1)²;
* gradient descent, strongly convex or PL: f(θ_t) − f* ≤ (1 − μ/L)^t (f(θ₀) − f*);
* accelerated, strongly convex: f(θ_t) − f* ≤ (1 − √(μ/L))^t (f(θ₀) − f* + μ‖θ₀ − θ*‖²/2);
* lower bound, convex (on some f of dimension d ≥ 2t + 1):
  f(θ_t) − f* ≥ 3L‖θ₀ − θ*‖²/(32(t + 1)²);
* lower bound, strongly convex: ‖θ_t − θ*‖ ≥ ((√κ − 1)/(√κ + 1))^t ‖θ₀ − θ*‖.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizers.base import Array
from .run import first_below, settled_below


def _positive(**values: Any) -> None:
    for name, value in values.items():
        if not np.all(np.isfinite(value)) or not np.all(np.asarray(value) > 0):
            raise ValueError(f"{name} must be positive, got {value!r}")


def _steps(t: Any) -> Array:
    t = np.asarray(t, dtype=np.float64)
    if np.any(t < 0):
        raise ValueError(f"t must be non-negative, got {t!r}")
    return t


def gd_convex(t: Any, L: float, r0sq: float) -> Array:
    """L‖θ₀ − θ*‖²/(2t): gradient descent with ε = 1/L on an L-smooth convex f (inf at t = 0)."""
    _positive(L=L, r0sq=r0sq)
    with np.errstate(divide="ignore"):
        return L * r0sq / (2 * _steps(t))


def accelerated_convex(t: Any, L: float, r0sq: float) -> Array:
    """2L‖θ₀ − θ*‖²/(t + 1)²: Nesterov's method, ε = 1/L, α_t = (t − 1)/(t + 2), for t ≥ 1.

    The potential τ_t²(f(θ_t) − f*) + (L/2)‖θ_{t−1} + τ_t(θ_t − θ_{t−1}) − θ*‖², with
    τ_t = (t + 1)/2, never increases and starts below (L/2)‖θ₀ − θ*‖².
    """
    _positive(L=L, r0sq=r0sq)
    return 2 * L * r0sq / (_steps(t) + 1) ** 2


def gd_strongly_convex(t: Any, L: float, mu: float, gap0: float) -> Array:
    """(1 − μ/L)^t (f(θ₀) − f*): gradient descent with ε = 1/L under μ-PL or strong convexity."""
    _positive(L=L, mu=mu, gap0=gap0)
    return (1 - mu / L) ** _steps(t) * gap0


def accelerated_strongly_convex(t: Any, L: float, mu: float, gap0: float, r0sq: float
                                ) -> Array:
    """(1 − √(μ/L))^t (f(θ₀) − f* + μ‖θ₀ − θ*‖²/2): Nesterov with α = (√κ − 1)/(√κ + 1)."""
    _positive(L=L, mu=mu, gap0=gap0, r0sq=r0sq)
    return (1 - np.sqrt(mu / L)) ** _steps(t) * (gap0 + mu * r0sq / 2)


def lower_convex(t: Any, L: float, r0sq: float) -> Array:
    """3L‖θ₀ − θ*‖²/(32(t + 1)²): no first-order method does better on every L-smooth convex f.

    For each t, the worst function of dimension 2t + 1 (:func:`optlib.convex.worst_function`)
    keeps every method that far from f* at step t; it needs a dimension d ≥ 2t + 1.
    """
    _positive(L=L, r0sq=r0sq)
    return 3 * L * r0sq / (32 * (_steps(t) + 1) ** 2)


def worst_function_floor(t: Any, d: int, L: float) -> Array:
    """L/8·(1/(t + 1) − 1/(d + 1)): the least f(θ_t) − f* on :func:`optlib.convex.worst_function`.

    Any method whose steps lie in the span of the gradients seen, started at 0, has moved only
    the first t coordinates after t steps, and the best such point is this far above f*.
    With d = 2t + 1 it equals :func:`lower_convex` at that t.
    """
    _positive(L=L, d=d)
    return np.maximum(L / 8 * (1 / (_steps(t) + 1) - 1 / (d + 1)), 0.0)


def lower_strongly_convex_rate(kappa: Any) -> Array:
    """(√κ − 1)/(√κ + 1): no first-order method contracts ‖θ_t − θ*‖ faster on every f."""
    _positive(kappa=kappa)
    root = np.sqrt(np.asarray(kappa, dtype=np.float64))
    return (root - 1) / (root + 1)


def accelerated_momentum(kappa: Any) -> Array:
    """The constant momentum (√κ − 1)/(√κ + 1) of Nesterov's method for κ = L/μ."""
    return lower_strongly_convex_rate(kappa)


def _window(values: Any, t_lo: int, t_hi: int) -> tuple[Array, Array]:
    values = np.asarray(values, dtype=np.float64)
    if not (isinstance(t_lo, (int, np.integer)) and isinstance(t_hi, (int, np.integer))
            and 0 <= t_lo < t_hi < values.shape[0]):
        raise ValueError(f"need integers 0 <= t_lo < t_hi < {values.shape[0]}, "
                         f"got t_lo={t_lo!r}, t_hi={t_hi!r}")
    t = np.arange(t_lo, t_hi + 1, dtype=np.float64)
    return t, values[t_lo:t_hi + 1]


def _fit(x: Array, logs: Array) -> Array:
    x = (x - x.mean()).reshape((-1,) + (1,) * (logs.ndim - 1))
    return (x * (logs - logs.mean(axis=0))).sum(axis=0) / (x * x).sum()


def fit_window(values: Any, upper: float, lower: float) -> tuple[int, int]:
    """The steps (t_lo, t_hi) over which a decaying 1-D curve is fitted.

    t_lo: the first step from which ``values`` stays below ``upper``; t_hi: the last step
    before it first falls below ``lower`` (the end if it never does). Keeps a fit away
    from the start-up and from the floor of rounding errors.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"values must be one curve (1-D), got shape {v.shape}")
    if not 0 < lower < upper:
        raise ValueError(f"need 0 < lower < upper, got lower={lower!r}, upper={upper!r}")
    t_lo = settled_below(np.where(v < upper, v, np.inf), upper)    # strictly below upper
    reached = first_below(np.where(v < lower, -np.inf, v), lower)   # strictly below lower
    t_hi = v.size - 1 if reached < 0 else reached - 1
    if t_lo < 0 or t_hi - t_lo < 2:
        raise ValueError(f"the curve spends fewer than 3 steps between {lower:g} and {upper:g}")
    return t_lo, t_hi


def loglog_slope(values: Any, t_lo: int, t_hi: int) -> Array:
    """The exponent p of a power law ``values[t] ≈ C·t^p``, fitted for t_lo ≤ t ≤ t_hi.

    Least squares of log(values) on log t along axis 0 (``values`` indexed by the step t, as
    ``Trajectory.values``); t_lo must be at least 1. A slope of −1 is O(1/t), −2 is O(1/t²).
    """
    if isinstance(t_lo, (int, np.integer)) and t_lo < 1:
        raise ValueError(f"t_lo must be at least 1 on a log axis, got {t_lo!r}")
    t, v = _window(values, t_lo, t_hi)
    with np.errstate(all="ignore"):
        return _fit(np.log(t), np.log(v))


def semilog_rate(values: Any, t_lo: int, t_hi: int) -> Array:
    """The factor q of a geometric decay ``values[t] ≈ C·q^t``, fitted for t_lo ≤ t ≤ t_hi.

    exp of the least-squares slope of log(values) on t, along axis 0.
    """
    t, v = _window(values, t_lo, t_hi)
    with np.errstate(all="ignore"):
        return np.exp(_fit(t, np.log(v)))

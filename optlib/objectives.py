"""Test functions for the experiments, batched over leading axes.

Every objective takes points ``x`` of shape ``(..., d)`` and returns values of
shape ``(...)`` and gradients of shape ``(..., d)``, so one call evaluates a
whole grid of points or a whole batch of runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .optimizers.base import Array, as_point


@dataclass(frozen=True)
class Objective:
    """A differentiable function with its gradient.

    Args:
        value: ``x (..., d) -> f(x) (...)``.
        grad: ``x (..., d) -> ∇f(x) (..., d)``.
        name: a short label for legends and tables.
        minimum: a minimiser (or, for a saddle, the critical point), if known.
        min_value: ``f(minimum)``.
        hessian: the constant Hessian of a quadratic, else ``None``.
        dim: the dimension d, if fixed.
        bounds: a plotting window ``((x1_lo, x1_hi), (x2_lo, x2_hi))`` for 2-D functions.
    """

    value: Callable[[Array], Array]
    grad: Callable[[Array], Array]
    name: str = "f"
    minimum: Array | None = None
    min_value: float | None = None
    hessian: Array | None = None
    dim: int | None = None
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def __call__(self, x: Any) -> Array:
        return self.value(as_point(x))

    @property
    def eigenvalues(self) -> Array | None:
        """Eigenvalues of the Hessian (ascending) for quadratics, else ``None``."""
        return None if self.hessian is None else np.linalg.eigvalsh(self.hessian)

    @property
    def condition_number(self) -> float | None:
        """λmax/λmin of a positive-definite quadratic, else ``None``."""
        lam = self.eigenvalues
        if lam is None or lam[0] <= 0:
            return None
        return float(lam[-1] / lam[0])


def quadratic(H: Any, b: Any = None, name: str = "quadratic",
              bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
              ) -> Objective:
    r"""The quadratic :math:`f(x) = \tfrac12 x^\top H x - b^\top x`, with ∇f = Hx − b.

    ``H`` must be symmetric. When it is positive definite the minimiser is
    :math:`H^{-1} b`; its eigenvalues (``.eigenvalues``) decide every rate of the
    quadratic theory in :mod:`optlib.theory`.
    """
    H = np.array(H, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    if not np.allclose(H, H.T):
        raise ValueError("H must be symmetric")
    d = H.shape[0]
    b = np.zeros(d) if b is None else np.array(b, dtype=np.float64)
    if b.shape != (d,):
        raise ValueError(f"b must have shape ({d},), got {b.shape}")
    H.setflags(write=False)
    b.setflags(write=False)

    def value(x: Array) -> Array:
        # (xᵀH)·x as a matrix product and a two-operand einsum: about twice as fast on
        # the (steps + 1, K, d) iterates of a batched run as a three-operand einsum.
        return 0.5 * np.einsum("...i,...i->...", x @ H.astype(x.dtype), x) - x @ b.astype(
            x.dtype)

    def grad(x: Array) -> Array:
        return x @ H.astype(x.dtype) - b.astype(x.dtype)

    minimum = min_value = None
    if np.all(np.linalg.eigvalsh(H) > 0):
        minimum = np.linalg.solve(H, b)
        min_value = float(-0.5 * b @ minimum)
    return Objective(value, grad, name=name, minimum=minimum, min_value=min_value, hessian=H,
                     dim=d, bounds=bounds)


def ellipse(a: float = 0.1, b: float = 2.0) -> Objective:
    r"""The source notes' experiment, :math:`f(x) = 0.1 x_1^2 + 2 x_2^2`.

    A quadratic with Hessian diag(0.2, 4): condition number 20, a long shallow
    valley along x1 and a steep one along x2. ``a`` and ``b`` change the two
    coefficients.
    """
    obj = quadratic(np.diag([2 * a, 2 * b]), name=f"ellipse {a:g}·x1² + {b:g}·x2²",
                    bounds=((-6.0, 6.0), (-3.0, 3.0)))
    return obj


def rotated_ellipse(angle_deg: float = 45.0, a: float = 0.1, b: float = 2.0) -> Objective:
    """The ellipse turned by ``angle_deg`` degrees: same eigenvalues, axes no longer aligned.

    A diagonal preconditioner (AdaGrad, RMSProp, Adam) fits the axis-aligned ellipse
    but not this one.
    """
    c, s = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))
    R = np.array([[c, -s], [s, c]])
    H = R @ np.diag([2 * a, 2 * b]) @ R.T
    H = (H + H.T) / 2
    return quadratic(H, name=f"ellipse rotated {angle_deg:g}°", bounds=((-6.0, 6.0), (-6.0, 6.0)))


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    r"""Rosenbrock's banana :math:`(a - x_1)^2 + b (x_2 - x_1^2)^2`, minimum at (a, a²)."""

    def value(x: Array) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        return (a - x1) ** 2 + b * (x2 - x1**2) ** 2

    def grad(x: Array) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([-2 * (a - x1) - 4 * b * x1 * (x2 - x1**2), 2 * b * (x2 - x1**2)],
                        axis=-1)

    return Objective(value, grad, name="Rosenbrock", minimum=np.array([a, a * a]),
                     min_value=0.0, dim=2, bounds=((-2.0, 2.0), (-1.0, 3.0)))


def saddle() -> Objective:
    r""":math:`f(x) = x_1^2 - x_2^2`: a saddle point (鞍点) at the origin, unbounded below."""
    obj = quadratic(np.diag([2.0, -2.0]), name="saddle x1² − x2²",
                    bounds=((-2.0, 2.0), (-2.0, 2.0)))
    return Objective(obj.value, obj.grad, name=obj.name, minimum=np.zeros(2), min_value=0.0,
                     hessian=obj.hessian, dim=2, bounds=obj.bounds,
                     info={"critical_point": "saddle"})


def beale() -> Objective:
    r"""Beale's function, minimum 0 at (3, 0.5).

    :math:`(1.5 - x_1 + x_1x_2)^2 + (2.25 - x_1 + x_1x_2^2)^2 + (2.625 - x_1 + x_1x_2^3)^2`
    """
    consts = (1.5, 2.25, 2.625)

    def value(x: Array) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        return sum((c - x1 + x1 * x2**k) ** 2 for k, c in enumerate(consts, start=1))

    def grad(x: Array) -> Array:
        x1, x2 = x[..., 0], x[..., 1]
        d1 = np.zeros_like(x1)
        d2 = np.zeros_like(x1)
        for k, c in enumerate(consts, start=1):
            residual = c - x1 + x1 * x2**k
            d1 = d1 + 2 * residual * (x2**k - 1)
            d2 = d2 + 2 * residual * k * x1 * x2 ** (k - 1)
        return np.stack([d1, d2], axis=-1)

    return Objective(value, grad, name="Beale", minimum=np.array([3.0, 0.5]), min_value=0.0,
                     dim=2, bounds=((-4.5, 4.5), (-4.5, 4.5)))


def numerical_gradient(objective: Objective | Callable[[Array], Array], x: Any,
                       h: float = 1e-6) -> Array:
    """Central finite differences ``(f(x + h e_i) − f(x − h e_i)) / 2h``, batched."""
    f = objective.value if isinstance(objective, Objective) else objective
    x = as_point(x).astype(np.float64)
    d = x.shape[-1]
    eye = np.eye(d) * h
    steps = x[..., None, :] + eye, x[..., None, :] - eye
    return (f(steps[0]) - f(steps[1])) / (2 * h)


def numerical_hessian(objective: Objective, x: Any, h: float = 1e-5) -> Array:
    """Central differences of the gradient, ``H[:, i] = (∇f(x + h e_i) − ∇f(x − h e_i)) / 2h``.

    Batched over leading axes of ``x`` (shape ``(..., d)`` gives ``(..., d, d)``) and
    symmetrised, ``(H + Hᵀ)/2``. A diagnostic (curvature at a point), not part of a method;
    ``np.linalg.eigvalsh`` of the result gives the curvatures.
    """
    if not h > 0:
        raise ValueError(f"h must be positive, got {h!r}")
    x = as_point(x).astype(np.float64)
    eye = np.eye(x.shape[-1]) * h
    columns = (objective.grad(x[..., None, :] + eye) - objective.grad(x[..., None, :] - eye))
    H = np.swapaxes(columns, -1, -2) / (2 * h)
    return (H + np.swapaxes(H, -1, -2)) / 2


def with_noisy_gradient(objective: Objective, sigma: Any, seed: int | None = 0) -> Objective:
    """The same function, whose gradient oracle returns ``∇f(x) + σ·ξ`` with ``ξ ~ N(0, I)``.

    A stand-in for a minibatch gradient: unbiased, with variance ``σ²`` per coordinate, drawn
    afresh at every call from a generator seeded with ``seed``. Values stay exact. ``sigma``
    may be an array that broadcasts against the batch axes of ``x`` (e.g. shape ``(K, 1)``
    for K noise levels in one batched run).
    """
    s = np.asarray(sigma, dtype=np.float64)
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError(f"sigma must be a finite non-negative number, got {sigma!r}")
    rng = np.random.default_rng(seed)

    def grad(x: Array) -> Array:
        g = objective.grad(x)
        return g + s * rng.standard_normal(np.shape(g))

    label = f"{float(s):g}" if s.ndim == 0 else "per run"
    return replace(objective, grad=grad, name=f"{objective.name} (noisy gradients, σ={label})",
                   info={**objective.info,
                         "gradient_noise": float(s) if s.ndim == 0 else s.copy()})

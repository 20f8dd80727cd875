r"""Curvature of any Objective from its gradient alone: Hessian-vector products and the
top eigenvalue (sharpness, 尖锐度) by power iteration.

The Hessian-vector product is a central difference of two gradients,

.. math::
    H v \approx \frac{\nabla f(\theta + h v) - \nabla f(\theta - h v)}{2h},

exact for a quadratic and with error O(h²) otherwise. Power iteration repeats
:math:`v \leftarrow Hv / \lVert Hv \rVert`; the Rayleigh quotient :math:`v^\top H v` then
converges to the eigenvalue of largest magnitude. Everything is batched over θ's leading axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, as_point


def hvp(objective: Objective, theta: Any, v: Any, h: float | None = None) -> Array:
    """H(θ) v by central differences of the gradient, batched; ``v`` has θ's shape.

    The step along v is ``h`` (default ``1e-5 · (1 + ‖θ‖) / ‖v‖`` per batch element, small
    against θ but far above rounding).
    """
    theta = as_point(theta)
    v = np.broadcast_to(as_point(v), theta.shape)
    norm_v = np.linalg.norm(v, axis=-1, keepdims=True)
    if np.any(norm_v == 0):
        raise ValueError("v must be non-zero")
    if h is None:
        step = 1e-5 * (1 + np.linalg.norm(theta, axis=-1, keepdims=True)) / norm_v
    elif not h > 0:
        raise ValueError(f"h must be positive, got {h!r}")
    else:
        step = np.full_like(norm_v, h)
    return (objective.grad(theta + step * v) - objective.grad(theta - step * v)) / (2 * step)


def top_eigenvalue(objective: Objective, theta: Any, iters: int = 20, v0: Any = None,
                   seed: int = 0) -> tuple[Array, Array]:
    r"""The Hessian eigenvalue of largest magnitude at θ, and its unit eigenvector.

    ``iters`` power-iteration steps from ``v0`` (default: a seeded random direction); pass
    the vector returned at a nearby θ as ``v0`` to track the eigenvalue along a run with
    few steps. Returns ``(λ, v)`` with λ of θ's batch shape (the Rayleigh quotient vᵀHv).
    """
    if not isinstance(iters, (int, np.integer)) or iters < 1:
        raise ValueError(f"iters must be a positive integer, got {iters!r}")
    theta = as_point(theta)
    if v0 is None:
        v = np.random.default_rng(seed).standard_normal(theta.shape)
    else:
        v = np.array(np.broadcast_to(as_point(v0), theta.shape))
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    for _ in range(iters):
        Hv = hvp(objective, theta, v)
        v = Hv / np.linalg.norm(Hv, axis=-1, keepdims=True)
    lam = np.sum(v * hvp(objective, theta, v), axis=-1)
    return lam, v

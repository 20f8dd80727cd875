"""Newton's method, pure or damped by a backtracking line search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, learning_rate
from .linesearch import _check_fraction, backtracking


def newton_direction(hessian: Array, g: Array) -> Array:
    r"""Solve :math:`\nabla^2 f\, d = g` for every point of a batch (shapes (..., d, d), (..., d)).

    Raises ``numpy.linalg.LinAlgError`` if a Hessian is singular.
    """
    return np.linalg.solve(hessian, g[..., None])[..., 0]


class NewtonState(NamedTuple):
    """``lr``: the step size used in the last step (1 for a full Newton step)."""

    lr: Array
    t: int


class Newton(Optimizer):
    r"""Newton's method: a gradient step measured in the metric of the Hessian.

    .. math::
        \theta \leftarrow \theta - \epsilon\, \big(\nabla^2 f(\theta)\big)^{-1} \nabla f(\theta)

    ε = 1 is the pure Newton step (exact in one step on a positive-definite quadratic). With
    ``value`` given, ε is found by backtracking from ``lr`` with the Armijo condition along
    the Newton direction (damped Newton), which converges from any start on a strongly
    convex f and takes full steps near the minimum.

    Args:
        hessian: ``x (..., d) -> ∇²f(x) (..., d, d)``, or a constant (d, d) matrix.
        lr: the step ε ≥ 0 (the first trial step when damped).
        value: f itself, to damp the step by backtracking; ``None`` for fixed steps.
        shrink, c: the backtracking factor β and Armijo constant, as in :class:`ArmijoGD`.
    """

    hyperparams = (learning_rate(),)
    rule = "θ ← θ − ε (∇²f)⁻¹ ∇f   (damped: ε by backtracking)"

    def __init__(self, hessian: Callable[[Array], Array] | Any, lr: Any = 1.0,
                 value: Callable[[Array], Array] | None = None, shrink: float = 0.5,
                 c: float = 1e-4) -> None:
        super().__init__(lr=lr)
        if not callable(hessian):
            H = np.asarray(hessian, dtype=np.float64)
            if H.ndim != 2 or H.shape[0] != H.shape[1]:
                raise ValueError(f"Newton: hessian must be a function or a square matrix, "
                                 f"got shape {H.shape}")
            hessian = _constant(H)
        if value is not None and not callable(value):
            raise TypeError(f"Newton: value must be the function f or None, got {value!r}")
        self.hessian = hessian
        self.value = value
        self.shrink = _check_fraction("shrink", shrink, 0.0, 1.0)
        self.c = _check_fraction("c", c, 0.0, 1.0)

    def init(self, x0: Array) -> NewtonState:
        return NewtonState(lr=np.zeros(self.batch_shape(x0)[:-1]), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: NewtonState) -> tuple[Array, NewtonState]:
        x = as_point(x)
        (lr,) = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        d = newton_direction(np.asarray(self.hessian(x), dtype=x.dtype), g)
        lr_t = np.broadcast_to(lr[..., 0] if lr.ndim else lr, x.shape[:-1])
        if self.value is not None:
            lr_t, _ = backtracking(self.value, x, g, d, lr_t, self.shrink, self.c)
        x_new = x - lr_t[..., None] * d
        return x_new, NewtonState(lr=np.array(lr_t), t=state.t + 1)

    def __repr__(self) -> str:
        damped = "backtracking" if self.value is not None else "none"
        return f"{super().__repr__()[:-1]}, damping={damped})"


def _constant(H: Array) -> Callable[[Array], Array]:
    def hessian(x: Array) -> Array:
        return np.broadcast_to(H, (*np.shape(x)[:-1], *H.shape))

    return hessian

"""Backtracking line search with the Armijo condition, and gradient descent that uses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, learning_rate


def _check_fraction(name: str, value: float, low: float, high: float) -> float:
    if not np.isscalar(value) or not np.isfinite(value) or not low < value < high:
        raise ValueError(f"{name} must be a number in ({low:g}, {high:g}), got {value!r}")
    return float(value)


def backtracking(value: Callable[[Array], Array], x: Array, g: Array, direction: Array,
                 lr: Any = 1.0, shrink: float = 0.5, c: float = 1e-4, max_halvings: int = 60
                 ) -> tuple[Array, Array]:
    r"""The Armijo step size along ``direction``, for every point of a batch.

    Starting from ε = ``lr``, multiply ε by ``shrink`` until

    .. math::
        f(x - \epsilon d) \le f(x) - c\,\epsilon\, g^\top d

    holds (``d`` = ``direction``, ``g`` = ∇f(x); for d = g the right side is
    f(x) − cε‖g‖²). Returns ``(eps, evaluations)``, both of the batch shape ``x.shape[:-1]``:
    the accepted step and the number of function values it took (the f(x) included).
    After ``max_halvings`` failures the last, tiny ε is returned. A step whose predicted
    decrease ε·gᵀd is below the rounding error of f(x) (a few ulps) is accepted unchecked.
    """
    shrink = _check_fraction("shrink", shrink, 0.0, 1.0)
    c = _check_fraction("c", c, 0.0, 1.0)
    x = as_point(x)
    f0 = np.asarray(value(x))
    slope = (g * direction).sum(axis=-1)                     # gᵀd > 0 for a descent direction
    eps = np.broadcast_to(np.asarray(lr, dtype=x.dtype), f0.shape).copy()
    evals = np.ones(f0.shape, dtype=np.int64)
    todo = np.ones(f0.shape, dtype=bool)
    # Rounding: f(x) is known to a few ulps only, so a predicted decrease εgᵀd below that
    # (at a minimum, gᵀd ≈ 0) cannot be checked; such a step is accepted as it is.
    ulps = 8 * np.finfo(f0.dtype).eps * np.abs(f0)
    with np.errstate(all="ignore"):
        for _ in range(max_halvings + 1):
            trial = value(x - eps[..., None] * direction)
            evals += todo
            armijo = trial <= f0 - c * eps * slope            # NaN/inf trials are rejected
            todo &= ~(armijo | (np.abs(eps * slope) <= ulps))
            if not todo.any():
                break
            eps = np.where(todo, eps * shrink, eps)
    return eps, evals


class ArmijoState(NamedTuple):
    """``lr``: the step accepted in the last step; ``evals``: f values used so far."""

    lr: Array
    evals: Array
    t: int


class ArmijoGD(Optimizer):
    r"""Gradient descent whose step size comes from a backtracking line search.

    .. math::
        \epsilon_t = \epsilon\,\beta^{k}, \ k \text{ the smallest with }
        f(\theta - \epsilon_t g) \le f(\theta) - c\,\epsilon_t \lVert g\rVert^2, \qquad
        \theta \leftarrow \theta - \epsilon_t g

    Every step starts again from ε (``lr``). If f is L-smooth the accepted step is at least
    min(ε, 2β(1 − c)/L), so no L is needed in advance.

    Args:
        value: the function f itself, ``x (..., d) -> f(x) (...)`` (the line search needs it).
        lr: the first trial step ε > 0 of every search.
        shrink: the factor β in (0, 1).
        c: the Armijo constant in (0, 1); small values (1e-4) accept almost any decrease.
    """

    hyperparams = (learning_rate(),)
    rule = "ε_t = ε βᵏ with f(θ − ε_t g) ≤ f(θ) − c ε_t ‖g‖² ;  θ ← θ − ε_t g"

    def __init__(self, value: Callable[[Array], Array], lr: Any = 1.0, shrink: float = 0.5,
                 c: float = 1e-4) -> None:
        if not callable(value):
            raise TypeError(f"ArmijoGD: value must be the function f, got {value!r}")
        super().__init__(lr=lr)
        self.value = value
        self.shrink = _check_fraction("shrink", shrink, 0.0, 1.0)
        self.c = _check_fraction("c", c, 0.0, 1.0)

    def init(self, x0: Array) -> ArmijoState:
        shape = self.batch_shape(x0)[:-1]
        return ArmijoState(lr=np.zeros(shape), evals=np.zeros(shape, dtype=np.int64), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: ArmijoState) -> tuple[Array, ArmijoState]:
        x = as_point(x)
        (lr,) = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        lr_t, evals = backtracking(self.value, x, g, g, lr[..., 0] if lr.ndim else lr,
                                   self.shrink, self.c)
        x_new = x - lr_t[..., None] * g
        return x_new, ArmijoState(lr=lr_t, evals=state.evals + evals, t=state.t + 1)

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, shrink={self.shrink:g}, c={self.c:g})"


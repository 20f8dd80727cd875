"""SignSGD: step along the sign of the gradient (Bernstein et al., 2018)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, learning_rate


class SignSGDState(NamedTuple):
    """No accumulators: only the step counter ``t``."""

    t: int


class SignSGD(Optimizer):
    r"""Sign descent, in the form of ``optax.sign_sgd``.

    .. math::
        \theta \leftarrow \theta - \epsilon\, \operatorname{sign}(g)

    Every coordinate moves by ε, whatever the size of its gradient. It is the limit of
    :class:`~optlib.Adam` with β₁ = β₂ = 0 and δ = 0: then v̂ = g and :math:`\sqrt{\hat s} = |g|`, so
    Adam's step ε v̂/√ŝ is ε·sign(g) (where g ≠ 0; sign(0) = 0 here, 0/0 for Adam).
    It is steepest descent in the max-norm: of all steps with every coordinate at most
    ε, it is the one that lowers a linear model of f the most.

    Mapping: ``optax.sign_sgd(learning_rate)`` is ``SignSGD(lr=learning_rate)``.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
    """

    hyperparams = (learning_rate(),)
    rule = "θ ← θ − ε·sign(g)"

    def __init__(self, lr: float) -> None:
        super().__init__(lr=lr)

    def init(self, x0: Array) -> SignSGDState:
        return SignSGDState(t=0)

    def step(self, x: Array, grad_fn: GradFn, state: SignSGDState
             ) -> tuple[Array, SignSGDState]:
        x = as_point(x)
        (lr,) = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        return x - lr * np.sign(g), SignSGDState(t=state.t + 1)

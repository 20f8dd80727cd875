"""Lion: the sign of an interpolated momentum (Chen et al., 2023)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, weight_decay


class LionState(NamedTuple):
    """``m``: the momentum, an average of gradients with decay β₂; ``t``: steps taken."""

    m: Array
    t: int


class Lion(Optimizer):
    r"""Lion ("evolved sign momentum"), in the form of ``optax.lion``.

    .. math::
        t &\leftarrow t + 1 \\
        c &= \beta_1 m + (1-\beta_1)\, g \\
        \theta &\leftarrow \theta - \epsilon\,\bigl(\operatorname{sign}(c) + \lambda\theta\bigr) \\
        m &\leftarrow \beta_2 m + (1-\beta_2)\, g

    Every coordinate moves by exactly ε (plus the decay): the sign throws away the size
    of the gradient and keeps only its direction, coordinate by coordinate. The
    direction mixes the momentum with the new gradient through β₁ *before* the
    momentum itself is updated with β₂; two decays, one for the step and one for
    the memory. One state array, against Adam's two.

    Mapping: ``optax.lion(learning_rate, b1, b2, weight_decay)`` is
    ``Lion(lr=learning_rate, beta1=b1, beta2=b2, weight_decay=weight_decay)`` with
    optax's defaults (β₁ 0.9, β₂ 0.99, λ 1e-3); sign(0) = 0 as in jax. PyTorch 2.13
    has no Lion.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: weight β₁ of the momentum in the step direction, in [0, 1).
        beta2: decay β₂ of the momentum, in [0, 1).
        weight_decay: the decoupled weight decay λ ≥ 0.
    """

    hyperparams = (
        learning_rate(slider=(1e-3, 1.0)),
        decay("beta1", "β₁", "interpolation weight of the momentum"),
        decay("beta2", "β₂", "momentum decay"),
        weight_decay(),
    )
    rule = "c ← β₁m + (1−β₁)g ;  θ ← θ − ε(sign(c) + λθ) ;  m ← β₂m + (1−β₂)g"

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.99,
                 weight_decay: float = 1e-3) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay)

    def init(self, x0: Array) -> LionState:
        return LionState(m=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: LionState) -> tuple[Array, LionState]:
        x = as_point(x)
        lr, beta1, beta2, lam = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        c = beta1 * state.m + (1 - beta1) * g
        x_new = x - lr * (np.sign(c) + lam * x)
        m = beta2 * state.m + (1 - beta2) * g
        return x_new, LionState(m=m, t=state.t + 1)

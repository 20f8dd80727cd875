"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import (
    Array,
    GradFn,
    Optimizer,
    as_point,
    decay,
    learning_rate,
    small_constant,
    weight_decay,
)


class AdamWState(NamedTuple):
    """``v``: first-moment average; ``s``: second-moment average; ``t``: steps taken."""

    v: Array
    s: Array
    t: int


class AdamW(Optimizer):
    r"""Adam with decoupled weight decay, in the form of ``torch.optim.AdamW``.

    .. math::
        t &\leftarrow t + 1 \\
        v &\leftarrow \beta_1 v + (1-\beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1-\beta_2)\, g \odot g \\
        \hat v &= \frac{v}{1-\beta_1^t}, \qquad \hat s = \frac{s}{1-\beta_2^t} \\
        \theta &\leftarrow \theta - \epsilon\lambda\,\theta
        - \frac{\epsilon\, \hat v}{\sqrt{\hat s} + \delta}

    that is θ ← θ − ε(v̂/(√ŝ + δ) + λθ). The gradient g is taken at the old θ, and
    the decay term λθ uses the old θ too, so the update equals PyTorch's two stages
    θ ← θ(1 − ελ), then θ ← θ − ε v̂/(√ŝ + δ). The decay never enters v or s: every
    coordinate shrinks by the same factor 1 − ελ, however large its gradients were.
    Adding λθ to the gradient instead (an L2 penalty, ``optlib.Adam`` on
    f + λ/2‖θ‖²) sends the decay through the division by √ŝ. With λ = 0 this is
    :class:`~optlib.Adam`, iterate for iterate.

    The decay is multiplied by the learning rate, as in PyTorch (whose default
    λ is 1e-2); with a schedule, ε_t scales both terms.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: decay β₁ of the first moment, in [0, 1).
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0, added after the square root and the bias correction.
        weight_decay: the decoupled weight decay λ ≥ 0.
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "second-moment decay"),
        small_constant("eps", "δ"),
        weight_decay(),
    )
    rule = "v ← β₁v + (1−β₁)g ;  s ← β₂s + (1−β₂)g⊙g ;  θ ← θ − ελθ − ε v̂/(√ŝ + δ)"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)

    def init(self, x0: Array) -> AdamWState:
        return AdamWState(v=self.zeros(x0), s=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdamWState) -> tuple[Array, AdamWState]:
        x = as_point(x)
        lr, beta1, beta2, delta, lam = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        v = beta1 * state.v + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g * g
        v_hat = v / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        x_new = x - lr * lam * x - lr * v_hat / (np.sqrt(s_hat) + delta)
        return x_new, AdamWState(v=v, s=s, t=t)

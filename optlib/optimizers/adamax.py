"""Adamax: Adam with the infinity norm in place of the root mean square (Kingma & Ba, 2015)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, small_constant


class AdamaxState(NamedTuple):
    """``v``: first moment; ``u``: the decayed maximum of ``|g|``; ``t``: steps taken."""

    v: Array
    u: Array
    t: int


class Adamax(Optimizer):
    r"""Adamax, in the form of ``torch.optim.Adamax``.

    .. math::
        t &\leftarrow t + 1 \\
        v &\leftarrow \beta_1 v + (1-\beta_1)\, g \\
        u &\leftarrow \max(\beta_2 u,\; |g| + \delta) \\
        \theta &\leftarrow \theta - \frac{\epsilon}{1-\beta_1^t}\, \frac{v}{u}

    Adam's s is an average of g² and √s a root mean square; letting the power 2 grow
    to p → ∞ turns (β₂ᵖ-weighted) averages of :math:`|g|^p` into a decayed maximum, u. It
    needs no bias correction (a maximum is not pulled towards its zero start), and a
    single large gradient sets the step scale until β₂ᵗ lets it go. As in PyTorch, δ
    is added to :math:`|g|` inside the maximum, not to the denominator.

    Mapping: ``torch.optim.Adamax(params, lr, betas=(b1, b2), eps)`` is
    ``Adamax(lr=lr, beta1=b1, beta2=b2, eps=eps)``, same defaults (lr 2e-3); weight
    decay is not offered.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: decay β₁ of the first moment, in [0, 1).
        beta2: decay β₂ of the maximum, in [0, 1).
        eps: δ ≥ 0.
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "decay of the maximum"),
        small_constant("eps", "δ"),
    )
    rule = "v ← β₁v + (1−β₁)g ;  u ← max(β₂u, |g| + δ) ;  θ ← θ − ε/(1−β₁ᵗ) · v/u"

    def __init__(self, lr: float = 2e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def init(self, x0: Array) -> AdamaxState:
        return AdamaxState(v=self.zeros(x0), u=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdamaxState
             ) -> tuple[Array, AdamaxState]:
        x = as_point(x)
        lr, beta1, beta2, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        v = beta1 * state.v + (1 - beta1) * g
        u = np.maximum(beta2 * state.u, np.abs(g) + delta)
        x_new = x - lr / (1 - beta1**t) * v / u
        return x_new, AdamaxState(v=v, u=u, t=t)

"""RMSProp: AdaGrad with an exponentially weighted average instead of a sum."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, small_constant


class RMSPropState(NamedTuple):
    """``r``: the exponentially weighted average of squared gradients."""

    r: Array
    t: int


class RMSProp(Optimizer):
    r"""RMSProp (Tieleman & Hinton, 2012), as written in the source notes.

    .. math::
        r \leftarrow \rho r + (1-\rho)\, g \odot g, \qquad
        \theta \leftarrow \theta - \frac{\epsilon}{\sqrt{\delta + r}} \odot g

    δ sits *inside* the square root here (Goodfellow et al., Algorithm 8.5, with
    δ = 1e-6). PyTorch's ``RMSprop`` adds its ``eps`` outside the root; that form
    is :class:`optlib.frameworks.TorchRMSprop`.

    Args:
        lr: the global learning rate ε ≥ 0 (number, array or schedule).
        rho: the decay rate ρ in [0, 1).
        eps: δ ≥ 0.
    """

    hyperparams = (learning_rate(), decay("rho", "ρ", "decay rate"), small_constant("eps", "δ"))
    rule = "r ← ρ r + (1−ρ) g⊙g ;  θ ← θ − ε/√(δ + r) ⊙ g"

    def __init__(self, lr: float, rho: float = 0.9, eps: float = 1e-6) -> None:
        super().__init__(lr=lr, rho=rho, eps=eps)

    def init(self, x0: Array) -> RMSPropState:
        return RMSPropState(r=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: RMSPropState
             ) -> tuple[Array, RMSPropState]:
        x = as_point(x)
        lr, rho, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        r = rho * state.r + (1 - rho) * g * g
        x_new = x - lr / np.sqrt(delta + r) * g
        return x_new, RMSPropState(r=r, t=state.t + 1)

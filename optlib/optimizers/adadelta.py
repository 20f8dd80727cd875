"""AdaDelta: RMSProp whose step size is set by the history of its own updates."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, HyperParam, Optimizer, as_point, decay, small_constant


class AdaDeltaState(NamedTuple):
    """``r``: average of squared gradients; ``u``: average of squared updates.

    ``u`` is the quantity the source notes call Δθ. It is *not* the update
    itself but the running average of the squared updates g′⊙g′.
    """

    r: Array
    u: Array
    t: int


class AdaDelta(Optimizer):
    r"""AdaDelta (Zeiler, 2012), as written in the source notes.

    .. math::
        r &\leftarrow \rho r + (1-\rho)\, g\odot g \\
        g' &\leftarrow \frac{\sqrt{\delta + u}}{\sqrt{\delta + r}} \odot g \\
        \theta &\leftarrow \theta - g' \\
        u &\leftarrow \rho u + (1-\rho)\, g'\odot g'

    where ``u`` is the notes' Δθ (an average of squared updates). The notes' form
    has no learning rate; PyTorch multiplies the update by ``lr`` (default 1.0),
    which the optional ``lr`` reproduces: θ ← θ − lr·g′ (u still averages g′⊙g′).
    Defaults follow PyTorch: ρ = 0.9, δ = 1e-6.

    Args:
        lr: PyTorch's extra multiplier, 1.0 for the notes' form (first, as in PyTorch).
        rho: the decay rate ρ in [0, 1).
        eps: δ ≥ 0; it also sets the size of the first steps, about √δ.
    """

    hyperparams = (
        HyperParam("lr", "lr", "learning-rate multiplier", 0.0, slider=(0.1, 2.0),
                   schedulable=True),
        decay("rho", "ρ", "decay rate"),
        small_constant("eps", "δ"),
    )
    rule = "r ← ρr + (1−ρ)g⊙g ;  g′ ← √(δ+Δθ)/√(δ+r) ⊙ g ;  θ ← θ − g′ ;  Δθ ← ρΔθ + (1−ρ)g′⊙g′"

    def __init__(self, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6) -> None:
        super().__init__(lr=lr, rho=rho, eps=eps)

    def init(self, x0: Array) -> AdaDeltaState:
        return AdaDeltaState(r=self.zeros(x0), u=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdaDeltaState
             ) -> tuple[Array, AdaDeltaState]:
        x = as_point(x)
        lr, rho, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        r = rho * state.r + (1 - rho) * g * g
        g_prime = np.sqrt(delta + state.u) / np.sqrt(delta + r) * g
        x_new = x - lr * g_prime
        u = rho * state.u + (1 - rho) * g_prime * g_prime
        return x_new, AdaDeltaState(r=r, u=u, t=state.t + 1)

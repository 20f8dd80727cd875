"""RAdam: Adam with its early steps rectified (Liu et al., 2020)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, small_constant


class RAdamState(NamedTuple):
    """``v``: first moment; ``s``: second moment; ``t``: steps taken."""

    v: Array
    s: Array
    t: int


class RAdam(Optimizer):
    r"""Rectified Adam, in the form of ``torch.optim.RAdam``.

    .. math::
        t &\leftarrow t + 1, \qquad
        v \leftarrow \beta_1 v + (1-\beta_1)\, g, \qquad
        s \leftarrow \beta_2 s + (1-\beta_2)\, g \odot g \\
        \rho_\infty &= \frac{2}{1-\beta_2} - 1, \qquad
        \rho_t = \rho_\infty - \frac{2t\,\beta_2^t}{1-\beta_2^t} \\
        r_t &= \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}
                          {(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}} \\
        \theta &\leftarrow \theta - \epsilon\,\hat v \cdot
        \begin{cases}
          r_t\,\sqrt{1-\beta_2^t}\,/\,(\sqrt{s} + \delta) & \rho_t > 5 \\
          1 & \text{otherwise (momentum SGD)}
        \end{cases}

    ρ_t is the length of the simple moving average that the exponential average s
    resembles after t steps. While it is short (ρ_t ≤ 5) the variance of the adaptive
    factor 1/√ŝ is too large to trust, and RAdam takes plain steps ε v̂; afterwards
    r_t < 1 shrinks the Adam step by the ratio of standard deviations, a warmup with
    no hyper-parameter of its own. Note that δ is added to √s *before* the bias
    correction √(1 − β₂ᵗ) multiplies, as PyTorch does (Adam adds it after).

    Mapping: ``torch.optim.RAdam(params, lr, betas=(b1, b2), eps)`` is
    ``RAdam(lr=lr, beta1=b1, beta2=b2, eps=eps)``, same defaults; weight decay is not
    offered.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: decay β₁ of the first moment, in [0, 1).
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0.
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "second-moment decay"),
        small_constant("eps", "δ"),
    )
    rule = "v ← β₁v + (1−β₁)g ;  s ← β₂s + (1−β₂)g⊙g ;  " \
           "θ ← θ − ε v̂·(r_t√(1−β₂ᵗ)/(√s + δ) if ρ_t > 5 else 1)"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def init(self, x0: Array) -> RAdamState:
        return RAdamState(v=self.zeros(x0), s=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: RAdamState) -> tuple[Array, RAdamState]:
        x = as_point(x)
        lr, beta1, beta2, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        v = beta1 * state.v + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g * g
        v_hat = v / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        rectify = rho_t > 5
        # Where ρ_t ≤ 5 the ratio is not used; 6 keeps it finite there (ρ_∞ ≥ ρ_t > 5 where used).
        rho, rho_max = np.where(rectify, rho_t, 6), np.where(rectify, rho_inf, 6)
        r = np.sqrt((rho - 4) * (rho - 2) * rho_max / ((rho_max - 4) * (rho_max - 2) * rho))
        adaptive = np.sqrt(1 - beta2**t) / (np.sqrt(s) + delta)
        x_new = x - lr * v_hat * np.where(rectify, r * adaptive, 1)
        return x_new, RAdamState(v=v, s=s, t=t)

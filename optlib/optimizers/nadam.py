"""NAdam: Adam with a Nesterov look-ahead in the first moment (Dozat, 2016)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import (
    Array,
    GradFn,
    HyperParam,
    Optimizer,
    as_point,
    decay,
    learning_rate,
    power,
    small_constant,
)


class NAdamState(NamedTuple):
    """``v``: first moment; ``s``: second moment; ``mu_product``: μ₁μ₂⋯μ_t, one number per
    setting (shape of the batched hyper-parameters); ``t``: steps taken."""

    v: Array
    s: Array
    mu_product: Array
    t: int


class NAdam(Optimizer):
    r"""NAdam, in the form of ``torch.optim.NAdam``.

    .. math::
        t &\leftarrow t + 1, \qquad
        \mu_t = \beta_1\bigl(1 - \tfrac12\, 0.96^{t\psi}\bigr), \quad
        \mu_{t+1} = \beta_1\bigl(1 - \tfrac12\, 0.96^{(t+1)\psi}\bigr) \\
        v &\leftarrow \beta_1 v + (1-\beta_1)\, g, \qquad
        s \leftarrow \beta_2 s + (1-\beta_2)\, g \odot g \\
        \theta &\leftarrow \theta - \frac{\epsilon}{\sqrt{s/(1-\beta_2^t)} + \delta}
        \left(\frac{(1-\mu_t)\, g}{1 - \prod_{i\le t}\mu_i}
        + \frac{\mu_{t+1}\, v}{1 - \prod_{i\le t+1}\mu_i}\right)

    Adam's numerator v̂ is replaced by a mix of the current gradient and the momentum
    *of the next step*: the look-ahead of Nesterov's method (chapter 4) moved inside
    Adam. The momentum coefficient μ_t warms up from β₁/2 towards β₁ at a speed set by
    the momentum decay ψ (PyTorch's ``momentum_decay``, default 0.004), and the
    products of the μ's play the part of Adam's bias correction 1 − β₁ᵗ.

    Mapping: ``torch.optim.NAdam(params, lr, betas=(b1, b2), eps, momentum_decay=psi)``
    is ``NAdam(lr=lr, beta1=b1, beta2=b2, eps=eps, momentum_decay=psi)`` with the same
    defaults (lr 2e-3); weight decay (PyTorch's ``weight_decay``) is not offered: add
    λθ to the gradient for the L2 form.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: momentum β₁ in [0, 1).
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0, added after the square root and the bias correction.
        momentum_decay: ψ ≥ 0; ψ = 0 keeps μ_t = β₁/2 for ever.
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "second-moment decay"),
        small_constant("eps", "δ"),
        HyperParam("momentum_decay", "ψ", "momentum decay", 0.0, slider=(1e-4, 1e-1), log=True,
                   var="psi"),
    )
    rule = "v ← β₁v + (1−β₁)g ;  s ← β₂s + (1−β₂)g⊙g ;  " \
           "θ ← θ − ε((1−μ_t)ĝ + μ_{t+1}v̂)/(√ŝ + δ)"

    def __init__(self, lr: float = 2e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, momentum_decay: float = 4e-3) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                         momentum_decay=momentum_decay)

    def init(self, x0: Array) -> NAdamState:
        x0 = as_point(x0)
        settings = np.broadcast_shapes(np.shape(self.beta1), np.shape(self.momentum_decay))
        return NAdamState(v=self.zeros(x0), s=self.zeros(x0),
                          mu_product=np.ones(settings, dtype=x0.dtype), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: NAdamState) -> tuple[Array, NAdamState]:
        x = as_point(x)
        lr, beta1, beta2, delta, psi = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        mu = beta1 * (1 - 0.5 * power(0.96, t * psi))
        mu_next = beta1 * (1 - 0.5 * power(0.96, (t + 1) * psi))
        mu_product = state.mu_product * mu
        v = beta1 * state.v + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g * g
        g_hat = (1 - mu) * g / (1 - mu_product)
        v_hat = mu_next * v / (1 - mu_product * mu_next)
        x_new = x - lr * (g_hat + v_hat) / (np.sqrt(s / (1 - beta2**t)) + delta)
        return x_new, NAdamState(v=v, s=s, mu_product=mu_product, t=t)

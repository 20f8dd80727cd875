"""Adam: exponentially weighted first and second moments, with bias correction."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, small_constant


class AdamState(NamedTuple):
    """``v``: first-moment average; ``s``: second-moment average; ``t``: steps taken."""

    v: Array
    s: Array
    t: int


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), as written in the source notes.

    .. math::
        t &\leftarrow t + 1 \\
        v &\leftarrow \beta_1 v + (1-\beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1-\beta_2)\, g \odot g \\
        \hat v &= \frac{v}{1-\beta_1^t}, \qquad \hat s = \frac{s}{1-\beta_2^t} \\
        \theta &\leftarrow \theta - \frac{\epsilon\, \hat v}{\sqrt{\hat s} + \delta}

    δ is added after the square root and after the bias correction, as in PyTorch.
    Keras adds its ε to the *uncorrected* root instead ("epsilon hat"); see
    :class:`optlib.frameworks.KerasAdam`.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule; η in the notes).
        beta1: decay β₁ of the first moment, in [0, 1).
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0 (default 1e-8, as in the paper and PyTorch).
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "second-moment decay"),
        small_constant("eps", "δ"),
    )
    rule = "v ← β₁v + (1−β₁)g ;  s ← β₂s + (1−β₂)g⊙g ;  θ ← θ − ε v̂/(√ŝ + δ)"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def init(self, x0: Array) -> AdamState:
        return AdamState(v=self.zeros(x0), s=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdamState) -> tuple[Array, AdamState]:
        x = as_point(x)
        lr, beta1, beta2, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        v = beta1 * state.v + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g * g
        v_hat = v / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        x_new = x - lr * v_hat / (np.sqrt(s_hat) + delta)
        return x_new, AdamState(v=v, s=s, t=t)

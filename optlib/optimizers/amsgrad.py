"""AMSGrad: Adam whose denominator never shrinks (Reddi, Kale & Kumar, 2018)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate, small_constant


class AMSGradState(NamedTuple):
    """``v``: first moment; ``s``: second moment; ``s_max``: the largest ``s`` so far;
    ``t``: steps taken."""

    v: Array
    s: Array
    s_max: Array
    t: int


class AMSGrad(Optimizer):
    r"""AMSGrad, in the form of ``torch.optim.Adam(..., amsgrad=True)``.

    .. math::
        t &\leftarrow t + 1 \\
        v &\leftarrow \beta_1 v + (1-\beta_1)\, g \\
        s &\leftarrow \beta_2 s + (1-\beta_2)\, g \odot g \\
        s_{\max} &\leftarrow \max(s_{\max},\, s) \\
        \theta &\leftarrow \theta - \frac{\epsilon}{1-\beta_1^t}\,
        \frac{v}{\sqrt{s_{\max}/(1-\beta_2^t)} + \delta}

    The only change to :class:`~optlib.Adam` is the running maximum: the effective
    step ε/√s_max of a coordinate can only shrink, which repairs Adam's failure on
    Reddi et al.'s example, where rare large gradients are forgotten too quickly.
    As in PyTorch, the maximum is taken over the *uncorrected* s and the bias
    correction 1 − β₂ᵗ divides it afterwards.

    A class of its own rather than a flag on ``Adam``: it keeps a third state array
    (the memory tables count it), has its own rule and its own row in the tables.

    Mapping: ``torch.optim.Adam(params, lr, betas=(b1, b2), eps, amsgrad=True)`` is
    ``AMSGrad(lr=lr, beta1=b1, beta2=b2, eps=eps)`` (weight decay 0).

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        beta1: decay β₁ of the first moment, in [0, 1).
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0, added after the square root and the bias correction.
    """

    hyperparams = (
        learning_rate(),
        decay("beta1", "β₁", "first-moment decay"),
        decay("beta2", "β₂", "second-moment decay"),
        small_constant("eps", "δ"),
    )
    rule = "v ← β₁v + (1−β₁)g ;  s ← β₂s + (1−β₂)g⊙g ;  s_max ← max(s_max, s) ;  " \
           "θ ← θ − ε v̂/(√ŝ_max + δ)"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def init(self, x0: Array) -> AMSGradState:
        return AMSGradState(v=self.zeros(x0), s=self.zeros(x0), s_max=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AMSGradState
             ) -> tuple[Array, AMSGradState]:
        x = as_point(x)
        lr, beta1, beta2, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        v = beta1 * state.v + (1 - beta1) * g
        s = beta2 * state.s + (1 - beta2) * g * g
        s_max = np.maximum(state.s_max, s)
        v_hat = v / (1 - beta1**t)
        s_hat = s_max / (1 - beta2**t)
        x_new = x - lr * v_hat / (np.sqrt(s_hat) + delta)
        return x_new, AMSGradState(v=v, s=s, s_max=s_max, t=t)

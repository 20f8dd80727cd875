"""AdaGrad: per-parameter learning rates from the sum of squared gradients."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Array, GradFn, HyperParam, Optimizer, as_point, learning_rate, small_constant


class AdaGradState(NamedTuple):
    """``r``: the running sum of squared gradients, one entry per parameter."""

    r: Array
    t: int


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi et al., 2011), as written in the source notes.

    .. math::
        r \leftarrow r + g \odot g, \qquad
        \theta \leftarrow \theta - \frac{\epsilon}{\delta + \sqrt{r}} \odot g

    δ is added *outside* the square root, as in PyTorch's ``Adagrad`` (whose
    ``eps`` plays the part of δ). The default δ = 1e-7 is the value suggested by
    Goodfellow et al. (Algorithm 8.4); PyTorch uses 1e-10. ``initial_accumulator``
    is r's starting value: 0 in the notes and in PyTorch, 0.1 in Keras.

    Args:
        lr: the global learning rate ε ≥ 0 (number, array or schedule).
        eps: δ ≥ 0.
        initial_accumulator: r₀ ≥ 0.
    """

    hyperparams = (
        learning_rate(),
        small_constant("eps", "δ"),
        HyperParam("initial_accumulator", "r₀", "initial accumulator value", 0.0,
                   slider=(0.0, 1.0), var="r0"),
    )
    rule = "r ← r + g⊙g ;  θ ← θ − ε/(δ + √r) ⊙ g"

    def __init__(self, lr: float, eps: float = 1e-7, initial_accumulator: float = 0.0) -> None:
        super().__init__(lr=lr, eps=eps, initial_accumulator=initial_accumulator)

    def init(self, x0: Array) -> AdaGradState:
        return AdaGradState(r=self.zeros(x0, fill=self.initial_accumulator), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdaGradState
             ) -> tuple[Array, AdaGradState]:
        x = as_point(x)
        lr, delta, _ = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        r = state.r + g * g
        x_new = x - lr / (delta + np.sqrt(r)) * g
        return x_new, AdaGradState(r=r, t=state.t + 1)

"""Gradient descent and minibatch SGD (随机梯度下降)."""

from __future__ import annotations

from typing import NamedTuple

from .base import Array, GradFn, Optimizer, as_point, learning_rate


class SGDState(NamedTuple):
    """Plain SGD keeps nothing but the step counter."""

    t: int


class SGD(Optimizer):
    r"""Stochastic gradient descent.

    .. math::
        g \leftarrow \frac{1}{m}\nabla_\theta \sum_i J(f(x^{(i)};\theta), y^{(i)}), \qquad
        \theta \leftarrow \theta - \epsilon g

    Whether ``g`` is the full gradient (gradient descent) or a minibatch estimate
    (SGD) is decided by ``grad_fn``, not by the optimizer.

    Args:
        lr: the learning rate ε ≥ 0 (a number, an array broadcasting against the
            batch axes of θ, or a schedule ``t -> ε_t``).
    """

    hyperparams = (learning_rate(),)
    rule = "θ ← θ − ε g"

    def __init__(self, lr: float) -> None:
        super().__init__(lr=lr)

    def init(self, x0: Array) -> SGDState:
        return SGDState(t=0)

    def step(self, x: Array, grad_fn: GradFn, state: SGDState) -> tuple[Array, SGDState]:
        x = as_point(x)
        (lr,) = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        x_new = x - lr * g
        return x_new, SGDState(t=state.t + 1)

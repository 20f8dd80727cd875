"""Nesterov accelerated gradient (NAG), in the form of the source notes."""

from __future__ import annotations

from typing import NamedTuple

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate


class NesterovState(NamedTuple):
    """``v``: the velocity, as in :class:`~optlib.Momentum`."""

    v: Array
    t: int


class Nesterov(Optimizer):
    r"""Nesterov's accelerated gradient: momentum with a look-ahead gradient.

    .. math::
        v \leftarrow \alpha v - \epsilon \nabla_\theta J(\theta + \alpha v), \qquad
        \theta \leftarrow \theta + v

    The iterate reported is θ. PyTorch and Keras report the look-ahead point
    φ = θ + αv instead; see :class:`optlib.frameworks.TorchSGD` with
    ``nesterov=True``.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        momentum: the momentum coefficient α in [0, 1).
    """

    hyperparams = (learning_rate(), decay("momentum", "α", "momentum coefficient", var="alpha"))
    rule = "v ← α v − ε ∇J(θ + α v) ;  θ ← θ + v"

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr=lr, momentum=momentum)

    def init(self, x0: Array) -> NesterovState:
        return NesterovState(v=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: NesterovState
             ) -> tuple[Array, NesterovState]:
        x = as_point(x)
        lr, alpha = self.hyper(x, state)
        g = self.grad(grad_fn, x + alpha * state.v)   # gradient at the look-ahead point
        v = alpha * state.v - lr * g
        x_new = x + v
        return x_new, NesterovState(v=v, t=state.t + 1)

"""The momentum method (动量), in the form of the source notes."""

from __future__ import annotations

from typing import NamedTuple

from .base import Array, GradFn, Optimizer, as_point, decay, learning_rate


class MomentumState(NamedTuple):
    """``v``: the velocity, an exponentially weighted sum of past steps."""

    v: Array
    t: int


class Momentum(Optimizer):
    r"""Heavy-ball momentum (Polyak), as written in the source notes.

    .. math::
        v \leftarrow \alpha v - \epsilon g, \qquad \theta \leftarrow \theta + v

    PyTorch keeps ``b = -v/ε`` instead (``b ← μ b + g``, ``θ ← θ − lr·b``); for a
    constant learning rate both give the same iterates, see
    :class:`optlib.frameworks.TorchSGD`.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        momentum: the momentum coefficient α in [0, 1).
    """

    hyperparams = (learning_rate(), decay("momentum", "α", "momentum coefficient", var="alpha"))
    rule = "v ← α v − ε g ;  θ ← θ + v"

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr=lr, momentum=momentum)

    def init(self, x0: Array) -> MomentumState:
        return MomentumState(v=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: MomentumState
             ) -> tuple[Array, MomentumState]:
        x = as_point(x)
        lr, alpha = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        v = alpha * state.v - lr * g
        x_new = x + v
        return x_new, MomentumState(v=v, t=state.t + 1)

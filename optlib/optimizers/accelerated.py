"""Nesterov's accelerated gradient method for smooth convex functions."""

from __future__ import annotations

from typing import Any

from .base import HyperParam, learning_rate
from .nesterov import Nesterov


def convex_momentum(t: int) -> float:
    """The momentum schedule α_t = (t − 1)/(t + 2) of Nesterov's method (0 for t = 0, 1).

    ``t`` is the number of steps already taken, as for every schedule in optlib.
    """
    return max(t - 1, 0) / (t + 2)


class AcceleratedGradient(Nesterov):
    r"""Nesterov's accelerated gradient for convex problems: NAG with a momentum schedule.

    .. math::
        v \leftarrow \alpha_t v - \epsilon \nabla f(\theta + \alpha_t v), \qquad
        \theta \leftarrow \theta + v, \qquad \alpha_t = \frac{t-1}{t+2}

    The step is :class:`~optlib.Nesterov`'s; only the momentum changes. With the schedule
    (the default) and ε ≤ 1/L, an L-smooth convex f gets
    :math:`f(\theta_t) - f^* \le 2\lVert\theta_0 - \theta^*\rVert^2/(\epsilon (t+1)^2)`.
    For a μ-strongly convex f, a constant α = (√κ − 1)/(√κ + 1), κ = L/μ, with ε = 1/L
    converges like :math:`(1 - 1/\sqrt\kappa)^t`.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        momentum: α in [0, 1): a number, an array, or a schedule ``t -> α_t``
            (default :func:`~optlib.optimizers.convex_momentum`).
    """

    hyperparams = (learning_rate(),
                   HyperParam("momentum", "α", "momentum coefficient", 0.0, 1.0,
                              slider=(0.0, 0.999), schedulable=True, var="alpha"))
    rule = "v ← α_t v − ε ∇f(θ + α_t v) ;  θ ← θ + v ;  α_t = (t − 1)/(t + 2)"

    def __init__(self, lr: Any, momentum: Any = convex_momentum) -> None:
        super().__init__(lr=lr, momentum=momentum)

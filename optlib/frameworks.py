"""The frameworks' forms of the same algorithms, where they differ from the notes.

Each class is a separate optimizer with the same ``init``/``step`` interface, so
a chapter can run both forms and compare their trajectories. As in every ``step`` of
optlib, the learning rate is ``lr`` and the small constant ``delta`` (``delta_hat`` for
Keras's ε̂):

* :class:`TorchSGD` -- ``torch.optim.SGD`` with momentum and Nesterov: keeps the
  buffer b = −v/ε and, with ``nesterov=True``, reports the look-ahead point.
* :class:`TorchRMSprop` -- ``torch.optim.RMSprop``: δ (PyTorch's ``eps``) *outside* the
  square root.
* :class:`KerasAdam` -- ``keras.optimizers.Adam``: ε̂ added to the uncorrected root.

The notes' AdaGrad is PyTorch's ``Adagrad`` (``eps`` = δ, ``initial_accumulator_value``
= r₀) and the notes' AdaDelta with ``lr`` is PyTorch's ``Adadelta``; Adam is
PyTorch's ``Adam``. Those need no second class.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .optimizers.base import (
    Array,
    GradFn,
    Optimizer,
    as_point,
    decay,
    learning_rate,
    small_constant,
)


class TorchSGDState(NamedTuple):
    """``b``: PyTorch's momentum buffer, b = −v/ε in the notes' variables."""

    b: Array
    t: int


class TorchSGD(Optimizer):
    r"""``torch.optim.SGD`` (no dampening, no weight decay).

    .. math::
        b \leftarrow \mu b + g(\theta), \qquad
        \theta \leftarrow \theta - \text{lr}\cdot
        \begin{cases} b & \text{heavy ball} \\ g + \mu b & \text{nesterov} \end{cases}

    With a constant learning rate, heavy ball gives the iterates of
    :class:`~optlib.Momentum` (b = −v/ε); with ``nesterov=True`` the reported θ is
    the look-ahead point θ + αv of :class:`~optlib.Nesterov`. Under a changing
    learning rate the two forms part ways, because b does not carry the old ε.
    """

    hyperparams = (learning_rate("lr"), decay("momentum", "μ", "momentum coefficient", var="mu"))
    rule = "b ← μ b + g ;  θ ← θ − lr·b   (nesterov: θ ← θ − lr·(g + μ b))"

    def __init__(self, lr: float, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(lr=lr, momentum=momentum)
        self.nesterov = bool(nesterov)

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, nesterov={self.nesterov})"

    def init(self, x0: Array) -> TorchSGDState:
        return TorchSGDState(b=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: TorchSGDState
             ) -> tuple[Array, TorchSGDState]:
        x = as_point(x)
        lr, mu = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        b = mu * state.b + g
        direction = g + mu * b if self.nesterov else b
        return x - lr * direction, TorchSGDState(b=b, t=state.t + 1)


class TorchRMSpropState(NamedTuple):
    """``r``: the average of squared gradients (PyTorch's ``square_avg``)."""

    r: Array
    t: int


class TorchRMSprop(Optimizer):
    r"""``torch.optim.RMSprop`` (not centred, no momentum): δ outside the root.

    .. math::
        r \leftarrow \rho r + (1-\rho)\, g\odot g, \qquad
        \theta \leftarrow \theta - \frac{\text{lr}}{\sqrt{r} + \delta} \odot g

    PyTorch calls ρ ``alpha`` (default 0.99) and δ ``eps`` (default 1e-8). The notes'
    :class:`~optlib.RMSProp` puts δ inside the root instead.
    """

    hyperparams = (learning_rate("lr"), decay("alpha", "ρ", "decay rate", var="rho"),
                   small_constant("eps", "δ"))
    rule = "r ← ρ r + (1−ρ) g⊙g ;  θ ← θ − lr/(√r + δ) ⊙ g"

    def __init__(self, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr=lr, alpha=alpha, eps=eps)

    def init(self, x0: Array) -> TorchRMSpropState:
        return TorchRMSpropState(r=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: TorchRMSpropState
             ) -> tuple[Array, TorchRMSpropState]:
        x = as_point(x)
        lr, rho, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        r = rho * state.r + (1 - rho) * g * g
        return x - lr / (np.sqrt(r) + delta) * g, TorchRMSpropState(r=r, t=state.t + 1)


class KerasAdamState(NamedTuple):
    """``m``, ``v``: Keras's first and second moments; ``t``: steps taken."""

    m: Array
    v: Array
    t: int


class KerasAdam(Optimizer):
    r"""``keras.optimizers.Adam``: the bias correction folded into the step size.

    .. math::
        \text{lr}_t = \text{lr}\,\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}, \qquad
        \theta \leftarrow \theta - \text{lr}_t\, \frac{m}{\sqrt{v} + \hat\epsilon}

    This equals :class:`~optlib.Adam` with a step-dependent δ = ε̂/√(1−β₂ᵗ): the
    two agree when ε̂ is negligible and differ most in the first steps. Keras's
    default ε̂ is 1e-7; inside ``step`` it is ``delta_hat``, the small constant of this form.
    """

    hyperparams = (learning_rate("lr"), decay("beta1", "β₁", "first-moment decay"),
                   decay("beta2", "β₂", "second-moment decay"),
                   small_constant("epsilon", "ε̂", var="delta_hat"))
    rule = "m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g⊙g ;  θ ← θ − lr_t m/(√v + ε̂)"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-7) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, epsilon=epsilon)

    def init(self, x0: Array) -> KerasAdamState:
        return KerasAdamState(m=self.zeros(x0), v=self.zeros(x0), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: KerasAdamState
             ) -> tuple[Array, KerasAdamState]:
        x = as_point(x)
        lr, beta1, beta2, delta_hat = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g * g
        lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        return x - lr_t * m / (np.sqrt(v) + delta_hat), KerasAdamState(m=m, v=v, t=t)


def momentum_to_torch_buffer(v: Array, lr: float) -> Array:
    """PyTorch's buffer b = −v/ε for the notes' velocity v (constant learning rate)."""
    if lr <= 0:
        raise ValueError(f"lr must be positive to convert a velocity, got {lr}")
    return -np.asarray(v) / lr


def nesterov_lookahead(x: Array, v: Array, momentum: float) -> Array:
    """The point φ = θ + αv that PyTorch and Keras report for Nesterov's method."""
    return np.asarray(x) + momentum * np.asarray(v)

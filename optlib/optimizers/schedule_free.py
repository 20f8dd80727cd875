"""Schedule-free SGD and AdamW: averaging in place of a decaying schedule (Defazio et al., 2024).

Three sequences share one run: z takes the base method's steps, x is a weighted average of
the z's (the point to evaluate), and the gradient is taken at y, between the two:

    y = β₁x + (1 − β₁)z ;   z ← z − ε·u(g(y)) ;   x ← (1 − c)x + c·z ;   c = w_t / Σ_{i≤t} w_i

with w_t = (max_{i≤t} ε_i)^p. Only z and y are stored; x = (y − (1 − β₁)z)/β₁.
"""

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
    weight_decay,
)


def _interpolation() -> HyperParam:
    return HyperParam("beta1", "β₁", "interpolation between average and base iterate", 0.0,
                      1.0, low_open=True, high_open=False, slider=(0.05, 1.0))


def _power() -> HyperParam:
    return HyperParam("weight_lr_power", "p", "power of the learning rate in the averaging "
                      "weights", 0.0, slider=(0.0, 4.0), var="p")


class ScheduleFreeSGDState(NamedTuple):
    """``z``: the base iterate; ``weight_sum``: Σ w_i; ``max_lr``: the largest ε so far
    (those two one number per setting); ``t``: steps taken. The iterate that ``step``
    returns is y."""

    z: Array
    weight_sum: Array
    max_lr: Array
    t: int


class ScheduleFreeAdamWState(NamedTuple):
    """As :class:`ScheduleFreeSGDState`, plus ``s``, the second moment of AdamW."""

    z: Array
    s: Array
    weight_sum: Array
    max_lr: Array
    t: int


class _ScheduleFree(Optimizer):
    """The averaging shared by both forms; subclasses give the base step u."""

    def average(self, y: Array, state: NamedTuple) -> Array:
        """The evaluation point x = (y − (1 − β₁)z)/β₁.

        optax: ``optax.contrib.schedule_free_eval_params(state, params)``.
        """
        y = as_point(y)
        beta1 = np.asarray(self.beta1, dtype=y.dtype)
        return (y - (1 - beta1) * state.z) / beta1

    def _settings(self, x0: Array) -> Array:
        shapes = [np.shape(v(0) if callable(v) else v) for v in self.settings().values()]
        return np.zeros(np.broadcast_shapes(*shapes), dtype=x0.dtype)

    def _average(self, y: Array, lr: Array, beta1: Array, p: Array, z_old: Array,
                 z: Array, state: NamedTuple) -> tuple[Array, Array, Array]:
        """New y, Σ w and max ε, given the base iterate's old and new values."""
        max_lr = np.maximum(state.max_lr, lr)
        weight = power(max_lr, p)
        weight_sum = state.weight_sum + weight
        c = np.divide(weight, weight_sum, out=np.zeros_like(weight_sum), where=weight_sum > 0)
        x = (y - (1 - beta1) * z_old) / beta1
        x = (1 - c) * x + c * z
        return beta1 * x + (1 - beta1) * z, weight_sum, max_lr


class ScheduleFreeSGD(_ScheduleFree):
    r"""Schedule-free SGD, in the form of ``optax.contrib.schedule_free_sgd``.

    .. math::
        z_{t+1} &= z_t - \epsilon\,\bigl(g(y_t) + \lambda y_t\bigr) \\
        c_{t+1} &= \frac{w_{t+1}}{\sum_{i\le t+1} w_i}, \qquad
        w_{t+1} = \bigl(\max_{i\le t+1}\epsilon_i\bigr)^p \\
        x_{t+1} &= (1 - c_{t+1})\, x_t + c_{t+1}\, z_{t+1} \\
        y_{t+1} &= \beta_1 x_{t+1} + (1-\beta_1)\, z_{t+1}

    ``step`` returns y (where the next gradient is taken, optax's ``params``); the
    point to evaluate is x, ``opt.average(y, state)``. With a constant ε the weights
    are equal and x is the plain average of z₁…z_t; β₁ plays the part of momentum.
    Starts with x₀ = y₀ = z₀.

    Mapping: ``optax.contrib.schedule_free_sgd(learning_rate, b1=b1,
    weight_decay=wd, weight_lr_power=p)`` is ``ScheduleFreeSGD(lr=learning_rate,
    beta1=b1, weight_decay=wd, weight_lr_power=p)`` (optax's ``weight_decay=None`` is
    0). With a learning-rate schedule optlib evaluates ε_t once per step for both the
    base step and the weight w, as Defazio et al.'s code does; optax evaluates the
    weight's ε one step ahead, so the two agree for constant ε only.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule; optax's default 1.0).
        beta1: the interpolation β₁ in (0, 1].
        weight_decay: λ ≥ 0, added to the gradient at y.
        weight_lr_power: the power p ≥ 0 of the learning rate in the weights.
    """

    hyperparams = (learning_rate(), _interpolation(), weight_decay(), _power())
    rule = "y = β₁x + (1−β₁)z ;  z ← z − ε(g(y) + λy) ;  x ← (1−c)x + c z"

    def __init__(self, lr: float = 1.0, beta1: float = 0.9, weight_decay: float = 0.0,
                 weight_lr_power: float = 2.0) -> None:
        super().__init__(lr=lr, beta1=beta1, weight_decay=weight_decay,
                         weight_lr_power=weight_lr_power)

    def init(self, x0: Array) -> ScheduleFreeSGDState:
        zero = self._settings(as_point(x0))
        return ScheduleFreeSGDState(z=self.zeros(x0) + as_point(x0), weight_sum=zero,
                                    max_lr=zero.copy(), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: ScheduleFreeSGDState
             ) -> tuple[Array, ScheduleFreeSGDState]:
        y = as_point(x)
        lr, beta1, lam, p = self.hyper(y, state)
        g = self.grad(grad_fn, y)
        z = state.z - lr * (g + lam * y)
        y_new, weight_sum, max_lr = self._average(y, lr, beta1, p, state.z, z, state)
        return y_new, ScheduleFreeSGDState(z=z, weight_sum=weight_sum, max_lr=max_lr,
                                           t=state.t + 1)


class ScheduleFreeAdamW(_ScheduleFree):
    r"""Schedule-free AdamW, in the form of ``optax.contrib.schedule_free_adamw``.

    .. math::
        s &\leftarrow \beta_2 s + (1-\beta_2)\, g(y_t)^2, \qquad
        \hat s = s / (1-\beta_2^{t+1}) \\
        z_{t+1} &= z_t - \epsilon\,\Bigl(\frac{g(y_t)}{\sqrt{\hat s} + \delta}
        + \lambda y_t\Bigr)

    and x, y as in :class:`~optlib.ScheduleFreeSGD`. The base method is Adam *without* its
    first moment (β₁ of Adam is 0): the averaging and the interpolation β₁ take the
    place of momentum, so the memory is AdamW's, z and s.

    Mapping: ``optax.contrib.schedule_free_adamw(learning_rate, b1=b1, b2=b2, eps=eps,
    weight_decay=wd, weight_lr_power=p)`` is ``ScheduleFreeAdamW(lr=learning_rate,
    beta1=b1, beta2=b2, eps=eps, weight_decay=wd, weight_lr_power=p)``, with optax's
    defaults; schedules as in :class:`~optlib.ScheduleFreeSGD`.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule; default 0.0025).
        beta1: the interpolation β₁ in (0, 1].
        beta2: decay β₂ of the second moment, in [0, 1).
        eps: δ ≥ 0, added after the square root and the bias correction.
        weight_decay: λ ≥ 0, added to the base step (not divided by √ŝ).
        weight_lr_power: the power p ≥ 0 of the learning rate in the weights.
    """

    hyperparams = (learning_rate(), _interpolation(), decay("beta2", "β₂", "second-moment decay"),
                   small_constant("eps", "δ"), weight_decay(), _power())
    rule = "y = β₁x + (1−β₁)z ;  s ← β₂s + (1−β₂)g⊙g ;  z ← z − ε(g/(√ŝ + δ) + λy) ;  " \
           "x ← (1−c)x + c z"

    def __init__(self, lr: float = 2.5e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0,
                 weight_lr_power: float = 2.0) -> None:
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay,
                         weight_lr_power=weight_lr_power)

    def init(self, x0: Array) -> ScheduleFreeAdamWState:
        zero = self._settings(as_point(x0))
        return ScheduleFreeAdamWState(z=self.zeros(x0) + as_point(x0), s=self.zeros(x0),
                                      weight_sum=zero, max_lr=zero.copy(), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: ScheduleFreeAdamWState
             ) -> tuple[Array, ScheduleFreeAdamWState]:
        y = as_point(x)
        lr, beta1, beta2, delta, lam, p = self.hyper(y, state)
        g = self.grad(grad_fn, y)
        t = state.t + 1
        s = beta2 * state.s + (1 - beta2) * g * g
        s_hat = s / (1 - beta2**t)
        z = state.z - lr * (g / (np.sqrt(s_hat) + delta) + lam * y)
        y_new, weight_sum, max_lr = self._average(y, lr, beta1, p, state.z, z, state)
        return y_new, ScheduleFreeAdamWState(z=z, s=s, weight_sum=weight_sum, max_lr=max_lr,
                                             t=t)

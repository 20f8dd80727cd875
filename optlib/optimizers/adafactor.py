"""Adafactor: a second moment stored as row and column statistics (Shazeer & Stern, 2018)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .base import (
    Array,
    GradFn,
    HyperParam,
    Optimizer,
    _check_value,
    as_point,
    learning_rate,
    power,
    small_constant,
    weight_decay,
)


class AdafactorState(NamedTuple):
    """For a matrix θ of shape (..., m, n): ``row`` (..., m, 1) and ``col`` (..., 1, n),
    averages of g² over each row and each column; ``t``: steps taken."""

    row: Array
    col: Array
    t: int


class AdafactorVectorState(NamedTuple):
    """For a vector θ of shape (n,): ``s``, the full average of g²; ``t``: steps taken."""

    s: Array
    t: int


def _rms(a: Array, axes: tuple[int, ...]) -> Array:
    return np.sqrt(np.mean(a * a, axis=axes, keepdims=True))


class Adafactor(Optimizer):
    r"""Adafactor, in the form of ``torch.optim.Adafactor``.

    A point of two or more axes is a matrix in its last two axes (m rows, n columns),
    with batch axes in front (independent runs); a point of one axis is a vector.

    .. math::
        t &\leftarrow t + 1, \qquad \hat\beta_{2,t} = 1 - t^{c}, \qquad
        \rho_t = \min(\epsilon, 1/\sqrt t) \\
        \alpha_t &= \max(\delta_2, \operatorname{RMS}(\theta))\,\rho_t \\
        R &\leftarrow \hat\beta_{2,t} R + (1-\hat\beta_{2,t})\,
             \operatorname{mean}_{\text{cols}}(g\odot g) \quad (m\times 1) \\
        C &\leftarrow \hat\beta_{2,t} C + (1-\hat\beta_{2,t})\,
             \operatorname{mean}_{\text{rows}}(g\odot g) \quad (1\times n) \\
        \hat s &= \frac{R\,C}{\max(\operatorname{mean}(R), \delta_1)}, \qquad
        u = \frac{g}{\sqrt{\max(\hat s, \delta_1^2)}} \\
        \theta &\leftarrow \theta(1 - \epsilon\lambda)
        - \frac{\alpha_t}{\max(1, \operatorname{RMS}(u)/d)}\, u

    The m·n second moments of Adam are replaced by the rank-one estimate R C/mean(R)
    built from m + n numbers; a vector keeps the full s ← β̂ s + (1 − β̂) g⊙g. There is
    no first moment. The step is *relative*: α_t scales with the size of θ itself
    (RMS over the matrix), the decay 1 − t^c of the second moment grows with t
    (c = −0.8), and an update whose RMS exceeds d is scaled back to RMS d.

    Mapping: ``torch.optim.Adafactor(params, lr, beta2_decay=c, eps=(eps1, eps2), d=d,
    weight_decay=wd)`` is ``Adafactor(lr=lr, beta2_decay=c, eps1=eps1, eps2=eps2, d=d,
    weight_decay=wd)``, same defaults; ``eps1=None`` means the machine epsilon of θ's
    dtype. For a 3-D torch parameter the RMS runs over the whole tensor, here over each
    matrix (batch axes are separate runs). A batch of vectors is written as matrices of
    one row, shape (K, 1, n), whose factored estimate is the full one.

    Args:
        lr: ε ≥ 0, the cap of the relative step ρ_t (number, array or schedule).
        beta2_decay: the exponent c ≤ 0 in β̂₂ = 1 − t^c.
        eps2: δ₂ ≥ 0, the smallest RMS(θ) the step scales with.
        d: the clipping threshold d ≥ 1 for RMS(u).
        weight_decay: the decoupled weight decay λ ≥ 0 (multiplied by ε).
        eps1: δ₁ ≥ 0 keeping the second moment away from 0, or None (machine epsilon).
    """

    hyperparams = (
        learning_rate(slider=(1e-3, 1.0)),
        HyperParam("beta2_decay", "c", "exponent of the second-moment decay", -np.inf, 0.0,
                   low_open=True, high_open=False, slider=(-1.0, 0.0), var="c"),
        small_constant("eps2", "δ₂", var="delta2"),
        HyperParam("d", "d", "clipping threshold", 1.0, slider=(1.0, 10.0)),
        weight_decay(),
    )
    rule = "R, C ← row/column means of g⊙g (decay 1 − t^c) ;  ŝ = RC/mean(R) ;  " \
           "θ ← θ − max(δ₂, RMS θ)·min(ε, 1/√t)·u/max(1, RMS(u)/d),  u = g/√ŝ"

    def __init__(self, lr: float = 1e-2, beta2_decay: float = -0.8, eps2: float = 1e-3,
                 d: float = 1.0, weight_decay: float = 0.0, eps1: float | None = None) -> None:
        super().__init__(lr=lr, beta2_decay=beta2_decay, eps2=eps2, d=d,
                         weight_decay=weight_decay)
        if eps1 is not None and np.ndim(eps1) != 0:
            raise TypeError(f"Adafactor: eps1 must be a number or None, got {eps1!r}")
        self.eps1 = None if eps1 is None else _check_value(
            small_constant("eps1", "δ₁"), eps1, type(self).__name__)

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, eps1={self.eps1!r})"

    def init(self, x0: Any) -> AdafactorState | AdafactorVectorState:
        x = self.zeros(x0)
        self.check_matrix_settings(x.shape, min(x.ndim, 2))
        if x.ndim == 1:
            return AdafactorVectorState(s=x, t=0)
        return AdafactorState(row=x[..., :1].copy(), col=x[..., :1, :].copy(), t=0)

    def step(self, x: Array, grad_fn: GradFn, state: AdafactorState | AdafactorVectorState
             ) -> tuple[Array, AdafactorState | AdafactorVectorState]:
        x = as_point(x)
        self.check_matrix_settings(x.shape, min(x.ndim, 2))
        lr, c, delta2, d, lam = self.hyper(x, state)
        delta1 = np.finfo(x.dtype).eps if self.eps1 is None else np.asarray(self.eps1, x.dtype)
        g = self.grad(grad_fn, x)
        t = state.t + 1
        axes = (-1,) if x.ndim == 1 else (-2, -1)
        beta2_hat = 1 - power(t, c)
        rho = np.minimum(lr, t**-0.5)
        alpha = np.maximum(delta2, _rms(x, axes)) * rho
        gg = g * g
        if x.ndim == 1:
            s = beta2_hat * state.s + (1 - beta2_hat) * gg
            s_hat, new_state = s, AdafactorVectorState(s=s, t=t)
        else:
            row = beta2_hat * state.row + (1 - beta2_hat) * np.mean(gg, axis=-1, keepdims=True)
            col = beta2_hat * state.col + (1 - beta2_hat) * np.mean(gg, axis=-2, keepdims=True)
            s_hat = row * col / np.maximum(np.mean(row, axis=-2, keepdims=True), delta1)
            new_state = AdafactorState(row=row, col=col, t=t)
        u = g / np.sqrt(np.maximum(s_hat, delta1 * delta1))
        x_new = x * (1 - lr * lam) - alpha / np.maximum(1, _rms(u, axes) / d) * u
        return x_new, new_state

"""Muon: momentum, orthogonalised by a Newton–Schulz iteration (Jordan et al., 2024)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .base import (
    Array,
    GradFn,
    Optimizer,
    as_point,
    decay,
    learning_rate,
    small_constant,
    weight_decay,
)

#: torch.optim.Muon's quintic coefficients (a, b, c) and number of iterations.
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)
NS_STEPS = 5
ADJUST_LR = (None, "original", "match_rms_adamw")


def newton_schulz(m: Array, coefficients: Sequence[float] = NS_COEFFICIENTS,
                  steps: int = NS_STEPS, eps: float = 1e-7) -> Array:
    r"""Approximately orthogonalise the matrices in the last two axes of ``m``.

    X ← M/max(‖M‖_F, δ), then ``steps`` times X ← aX + (bA + cA²)X with A = XXᵀ, on the
    wide orientation (a tall matrix is transposed first). Each iteration applies the
    odd polynomial p(σ) = aσ + bσ³ + cσ⁵ to every singular value of X and keeps the
    singular vectors, so the result is U p(…p(Σ/‖M‖)…) Vᵀ with the singular values
    pushed towards 1 (into roughly [0.7, 1.2] with the default coefficients), never
    exactly U Vᵀ. Runs in ``m``'s dtype (torch uses bfloat16).
    """
    m = as_point(m)
    a, b, c = coefficients
    tall = m.shape[-2] > m.shape[-1]
    x = np.swapaxes(m, -1, -2) if tall else m
    x = x / np.maximum(np.linalg.norm(x, axis=(-2, -1), keepdims=True), eps)
    for _ in range(steps):
        gram = x @ np.swapaxes(x, -1, -2)
        x = a * x + (b * gram + c * gram @ gram) @ x
    return np.swapaxes(x, -1, -2) if tall else x


class MuonState(NamedTuple):
    """``b``: the momentum buffer, an average of gradients; ``t``: steps taken."""

    b: Array
    t: int


class Muon(Optimizer):
    r"""Muon, in the form of ``torch.optim.Muon``.

    A point of two or more axes is a matrix in its last two axes (m × n), with batch
    axes in front (independent runs); a vector of n entries is a 1 × n matrix.

    .. math::
        b &\leftarrow \mu b + (1-\mu)\, g \\
        u &= \begin{cases} (1-\mu)\, g + \mu b & \text{Nesterov (default)} \\
                            b & \text{otherwise} \end{cases} \\
        O &= \operatorname{NS}_5(u) \approx U V^\top \quad (u = U\Sigma V^\top) \\
        \theta &\leftarrow \theta(1 - \epsilon\lambda) - \epsilon\,\kappa(m, n)\, O

    The step keeps the singular vectors of the momentum and sets all its singular
    values to about one: every direction of the matrix moves by the same amount,
    steepest descent in the spectral norm. κ(m, n) = √max(1, m/n) ("original", the
    default), 0.2·√max(m, n) ("match_rms_adamw", to reuse AdamW's ε) or 1 (any other
    name is refused). NS₅ is :func:`~optlib.optimizers.newton_schulz`. On a 1 × n matrix O ≈ g/‖g‖:
    Muon on a vector is normalised gradient descent with momentum.

    Mapping: ``torch.optim.Muon(params, lr, weight_decay, momentum, nesterov,
    ns_coefficients, eps, ns_steps, adjust_lr_fn)`` has the same names and defaults
    here; optlib requires momentum < 1 (torch accepts any momentum ≥ 0) and runs the
    Newton–Schulz iteration in θ's dtype, where torch rounds it to bfloat16.

    Args:
        lr: the learning rate ε ≥ 0 (number, array or schedule).
        weight_decay: the decoupled weight decay λ ≥ 0 (multiplied by ε, not κε).
        momentum: μ in [0, 1).
        eps: δ ≥ 0, the smallest norm the iteration divides by.
        nesterov: use (1 − μ)g + μb instead of b.
        ns_coefficients: (a, b, c) of the quintic iteration.
        ns_steps: its number of iterations, 0 ≤ ns_steps < 100.
        adjust_lr_fn: None or "original" (κ = √max(1, m/n)) or "match_rms_adamw".
    """

    hyperparams = (
        learning_rate(),
        weight_decay(),
        decay("momentum", "μ", "momentum coefficient", var="mu"),
        small_constant("eps", "δ"),
    )
    rule = "b ← μb + (1−μ)g ;  u = (1−μ)g + μb ;  θ ← θ(1 − ελ) − εκ·NS₅(u)"

    def __init__(self, lr: float = 1e-3, weight_decay: float = 0.1, momentum: float = 0.95,
                 eps: float = 1e-7, nesterov: bool = True,
                 ns_coefficients: Sequence[float] = NS_COEFFICIENTS, ns_steps: int = NS_STEPS,
                 adjust_lr_fn: str | None = None) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, momentum=momentum, eps=eps)
        owner = type(self).__name__
        coefficients = tuple(ns_coefficients) if isinstance(ns_coefficients, (tuple, list)) \
            else None
        if coefficients is None or len(coefficients) != 3 or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
                for v in coefficients):
            raise ValueError(f"{owner}: ns_coefficients must be three finite numbers (a, b, c), "
                             f"got {ns_coefficients!r}")
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, (int, np.integer)) \
                or not 0 <= ns_steps < 100:
            raise ValueError(f"{owner}: ns_steps must be an integer in [0, 100), "
                             f"got {ns_steps!r}")
        if adjust_lr_fn not in ADJUST_LR:
            raise ValueError(f"{owner}: adjust_lr_fn must be one of {ADJUST_LR}, "
                             f"got {adjust_lr_fn!r}")
        self.nesterov = bool(nesterov)
        self.ns_coefficients = tuple(float(v) for v in coefficients)
        self.ns_steps = int(ns_steps)
        self.adjust_lr_fn = adjust_lr_fn

    def __repr__(self) -> str:
        return (f"{super().__repr__()[:-1]}, nesterov={self.nesterov}, "
                f"ns_steps={self.ns_steps}, adjust_lr_fn={self.adjust_lr_fn!r})")

    def lr_scale(self, shape: tuple[int, ...]) -> float:
        """κ(m, n) for a point of this shape (a vector is 1 × n)."""
        m, n = (1, shape[-1]) if len(shape) == 1 else shape[-2:]
        if self.adjust_lr_fn == "match_rms_adamw":
            return 0.2 * float(np.sqrt(max(m, n)))
        return float(np.sqrt(max(1.0, m / n)))

    def init(self, x0: Any) -> MuonState:
        b = self.zeros(x0)
        self.check_matrix_settings(b.shape, min(b.ndim, 2))
        return MuonState(b=b, t=0)

    def step(self, x: Array, grad_fn: GradFn, state: MuonState) -> tuple[Array, MuonState]:
        x = as_point(x)
        self.check_matrix_settings(x.shape, min(x.ndim, 2))
        lr, lam, mu, delta = self.hyper(x, state)
        g = self.grad(grad_fn, x)
        b = mu * state.b + (1 - mu) * g
        u = (1 - mu) * g + mu * b if self.nesterov else b
        matrix = u[np.newaxis] if u.ndim == 1 else u
        o = newton_schulz(matrix, self.ns_coefficients, self.ns_steps, delta).reshape(u.shape)
        x_new = x * (1 - lr * lam) - lr * self.lr_scale(x.shape) * o
        return x_new, MuonState(b=b, t=state.t + 1)

"""Transformations of the gradient and of the iterates that work with every optimizer.

Clipping changes what an optimizer receives, so it is applied to the gradient oracle, not
written into each optimizer: ``run(opt, clipped(f, max_norm=1.0), x0, steps)`` clips for SGD,
Momentum, Nesterov (at its look-ahead point), Adam, … alike. Averaging reads a finished run.

All functions are batched like the rest of optlib: the parameters are the last axis, the axes
in front are separate runs (each clipped and averaged on its own).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, as_point


def _positive(name: str, value: Any) -> None:
    if not np.all(np.isfinite(value)) or not np.all(np.asarray(value) > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def clip_by_global_norm(g: Any, max_norm: float) -> Array:
    """g · min(1, c/‖g‖): the direction kept, the length capped at c (per run, last axis).

    PyTorch's ``clip_grad_norm_`` and optax's ``clip_by_global_norm`` take the norm over all
    parameters together, as here over the whole parameter vector.
    """
    _positive("max_norm", max_norm)
    g = as_point(g)
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(norm > max_norm, max_norm / norm, 1.0)
    return g * scale.astype(g.dtype)


def clip_by_value(g: Any, limit: float) -> Array:
    """Each component clamped to [−c, c]: the length capped, but the direction bent."""
    _positive("limit", limit)
    g = as_point(g)
    return np.clip(g, -limit, limit).astype(g.dtype)


def clip_gradient(g: Any, max_norm: float | None = None,
                  max_value: float | None = None) -> Array:
    """Clip ``g`` by value (if ``max_value``), then by global norm (if ``max_norm``).

    The one clipping rule of optlib: :func:`clipped` and :func:`optlib.train` both call it.
    """
    if max_norm is not None:
        _positive("max_norm", max_norm)
    if max_value is not None:
        _positive("max_value", max_value)
    if max_value is not None:
        g = clip_by_value(g, max_value)
    if max_norm is not None:
        g = clip_by_global_norm(g, max_norm)
    return as_point(g)


def clipped(objective: Objective, max_norm: float | None = None,
            max_value: float | None = None) -> Objective:
    """The same function, whose gradient oracle clips by global norm and/or by value.

    With both, values are clipped first, then the norm (the order of PyTorch scripts that
    call ``clip_grad_value_`` before ``clip_grad_norm_``). Function values stay exact.
    """
    if max_norm is None and max_value is None:
        raise ValueError("clipped needs max_norm, max_value or both")
    if max_norm is not None:
        _positive("max_norm", max_norm)
    if max_value is not None:
        _positive("max_value", max_value)

    def grad(x: Array) -> Array:
        return clip_gradient(objective.grad(x), max_norm, max_value)

    parts = [f"‖g‖ ≤ {max_norm:g}" if max_norm is not None else "",
             f"|gᵢ| ≤ {max_value:g}" if max_value is not None else ""]
    return replace(objective, grad=grad,
                   name=f"{objective.name} (clipped: {', '.join(p for p in parts if p)})")


def polyak_average(xs: Any, start: int = 0) -> Array:
    """Running mean of the iterates from step ``start`` on: x̄_t = mean(x_start, …, x_t).

    Polyak–Ruppert averaging. ``xs`` has shape ``(steps + 1, ..., d)`` (``Trajectory.xs``);
    the result has the same shape, with the plain iterates before ``start``.
    """
    xs = np.asarray(xs)
    if xs.ndim < 2:
        raise ValueError(f"xs must have shape (steps + 1, ..., d), got {xs.shape}")
    if not isinstance(start, (int, np.integer)) or not 0 <= start < xs.shape[0]:
        raise ValueError(f"start must be a step index in [0, {xs.shape[0] - 1}], got {start!r}")
    out = xs.astype(np.float64, copy=True)
    tail = np.cumsum(out[start:], axis=0)
    counts = np.arange(1, tail.shape[0] + 1).reshape(-1, *([1] * (xs.ndim - 1)))
    out[start:] = tail / counts
    return out.astype(xs.dtype) if np.issubdtype(xs.dtype, np.floating) else out


def ema_average(xs: Any, decay: float, debias: bool = True) -> Array:
    """Exponential moving average of the iterates: m_t = β m_{t−1} + (1 − β) x_t, m_{−1} = 0.

    With ``debias`` it returns m_t / (1 − β^{t+1}), the same correction as Adam's, so that
    the average starts at x₀ instead of near zero. Shape as :func:`polyak_average`.
    """
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim < 2:
        raise ValueError(f"xs must have shape (steps + 1, ..., d), got {xs.shape}")
    if not 0 <= decay < 1:
        raise ValueError(f"decay must lie in [0, 1), got {decay!r}")
    out = np.empty_like(xs)
    m = np.zeros_like(xs[0])
    for t in range(xs.shape[0]):
        m = decay * m + (1 - decay) * xs[t]
        out[t] = m / (1 - decay ** (t + 1)) if debias else m
    return out

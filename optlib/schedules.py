r"""Learning-rate schedules: functions of the step counter t = 0, 1, 2, …

Any optimizer accepts a schedule in place of a constant learning rate; its
``step`` evaluates ``lr(t)`` with ``t`` the number of steps already taken.
Each schedule returns a float (or an array, if its constants are arrays).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Schedule = Callable[[int], float]


def _positive(name: str, value: float) -> None:
    if not np.all(np.asarray(value) > 0):
        raise ValueError(f"{name} must be positive, got {value!r}")


def constant(lr: float) -> Schedule:
    """ε_t = ε."""
    _positive("lr", lr)

    def schedule(t: int) -> float:
        return lr

    schedule.__name__ = f"constant({_g(lr)})"
    return schedule


def step_decay(lr: float, factor: float, every: int) -> Schedule:
    """ε_t = ε · factor^⌊t / every⌋."""
    _positive("lr", lr)
    _positive("every", every)
    if not 0 < factor <= 1:
        raise ValueError(f"factor must lie in (0, 1], got {factor!r}")
    return _named(lambda t: lr * factor ** (t // every),
                  f"step_decay({_g(lr)}, {_g(factor)}, {every})")


def exponential(lr: float, gamma: float) -> Schedule:
    """ε_t = ε · γ^t."""
    _positive("lr", lr)
    if not 0 < gamma <= 1:
        raise ValueError(f"gamma must lie in (0, 1], got {gamma!r}")
    return _named(lambda t: lr * gamma**t, f"exponential({_g(lr)}, {_g(gamma)})")


def inverse_time(lr: float, decay: float) -> Schedule:
    """ε_t = ε / (1 + decay·t): Σε_t = ∞ and Σε_t² < ∞ (Robbins–Monro)."""
    _positive("lr", lr)
    _positive("decay", decay)
    return _named(lambda t: lr / (1 + decay * t), f"inverse_time({_g(lr)}, {_g(decay)})")


def inverse_sqrt(lr: float, decay: float) -> Schedule:
    """ε_t = ε / √(1 + decay·t): Σε_t = ∞ but also Σε_t² = ∞ (the borderline of Robbins–Monro).

    The decay AdaGrad applies by itself when the gradients keep a constant size.
    """
    _positive("lr", lr)
    _positive("decay", decay)
    return _named(lambda t: lr / (1 + decay * t) ** 0.5, f"inverse_sqrt({_g(lr)}, {_g(decay)})")


def cosine(lr: float, total: int, lr_min: float = 0.0) -> Schedule:
    """ε_t = ε_min + (ε − ε_min)(1 + cos(π t / T))/2 for t ≤ T, then ε_min."""
    _positive("lr", lr)
    _positive("total", total)
    def schedule(t: int) -> float:
        return lr_min + (lr - lr_min) * (1 + np.cos(np.pi * min(t, total) / total)) / 2

    return _named(schedule, f"cosine({_g(lr)}, {total})")


def linear_decay(lr: float, total: int, final_fraction: float = 0.01) -> Schedule:
    """Goodfellow et al.'s Algorithm 8.1: ε_t = (1 − t/τ) ε₀ + (t/τ) ε_τ until τ, then ε_τ."""
    _positive("lr", lr)
    _positive("total", total)
    final = lr * final_fraction
    return _named(lambda t: (1 - min(t, total) / total) * lr + min(t, total) / total * final,
                  f"linear_decay({_g(lr)}, {total})")


def warmup(schedule: Schedule, steps: int) -> Schedule:
    """Linear warm-up: ε_t = schedule(t)·(t + 1)/steps for t < steps, then schedule(t)."""
    _positive("steps", steps)
    name = getattr(schedule, "__name__", "schedule")
    return _named(lambda t: schedule(t) * min(1.0, (t + 1) / steps), f"warmup({name}, {steps})")


def delayed(schedule: Schedule, steps: int) -> Schedule:
    """ε_t = schedule(max(t − steps, 0)): the schedule starts its clock ``steps`` steps late."""
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    name = getattr(schedule, "__name__", "schedule")
    return _named(lambda t: schedule(max(t - steps, 0)), f"delayed({name}, {steps})")


def warmup_cosine(lr: float, total: int, warmup_steps: int, lr_min: float = 0.0) -> Schedule:
    """Linear warm-up to ε over ``warmup_steps`` steps, then a cosine from ε to ε_min over
    the remaining ``total − warmup_steps``: ``warmup(delayed(cosine(...), W), W)``.

    The transformer default (optax's ``warmup_cosine_decay_schedule`` up to the first step).
    """
    _positive("total", total)
    if not isinstance(warmup_steps, (int, np.integer)) or not 0 < warmup_steps < total:
        raise ValueError(f"warmup_steps must be an integer in (0, total={total}), "
                         f"got {warmup_steps!r}")
    fn = warmup(delayed(cosine(lr, total - warmup_steps, lr_min), warmup_steps), warmup_steps)
    return _named(fn, f"warmup_cosine({_g(lr)}, {total}, {warmup_steps})")


def stacked(*schedules: Schedule) -> Schedule:
    """Several schedules as one batch: ε_t is the column of their values (shape (k, 1)).

    Each schedule may itself return a column of shape (m_i, 1) (array constants); the
    columns are stacked, so one optimizer runs every schedule of a comparison in one call.
    """
    if not schedules:
        raise ValueError("stacked needs at least one schedule")

    def schedule(t: int) -> np.ndarray:
        return np.concatenate([np.reshape(s(t), (-1, 1)) for s in schedules])

    names = ", ".join(getattr(s, "__name__", "schedule") for s in schedules)
    return _named(schedule, f"stacked({names})")


def _g(value: float) -> str:
    """A constant for a schedule's name: ``0.1`` for a number, ``array(3, 1)`` for an array."""
    return f"array{np.shape(value)}" if np.ndim(value) else f"{float(value):g}"


def _named(fn: Schedule, name: str) -> Schedule:
    fn.__name__ = name
    return fn

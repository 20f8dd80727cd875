"""Running an optimizer on an objective, and saving its state mid-run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, GradFn, Optimizer, as_point


@dataclass(frozen=True)
class Trajectory:
    """The iterates of one run (or one batch of runs).

    Attributes:
        xs: iterates, shape ``(steps + 1, ..., d)``; ``xs[0]`` is the start.
        values: ``f`` at each iterate, shape ``(steps + 1, ...)``.
        diverged: per batch element, whether the run blew up (see :func:`run`).
        diverged_at: per batch element, the first step at which it had blown up
            (``-1`` where it did not).
        state: the optimizer state after the last step (to continue the run).
    """

    xs: Array
    values: Array
    diverged: Array
    diverged_at: Array
    state: Any

    @property
    def x(self) -> Array:
        """The final iterate."""
        return self.xs[-1]

    @property
    def steps(self) -> int:
        return self.xs.shape[0] - 1

    def first_below(self, tol: float, min_value: float = 0.0) -> Array:
        """Per run, the first step t with ``f(x_t) − min_value ≤ tol`` (``-1`` if never).

        On a loss that oscillates this is the first *dip*; to compare speeds use
        :meth:`settled_below`.
        """
        return first_below(self.values - min_value, tol)

    def settled_below(self, tol: float, min_value: float = 0.0) -> Array:
        """Per run, the first step from which ``f(x_t) − min_value ≤ tol`` holds to the end.

        ``-1`` where the run ends above ``tol`` (or diverged). This is the step count the book
        compares: a run that dips below and comes back up has not converged.
        """
        return settled_below(self.values - min_value, tol)


def first_below(values: Any, tol: float) -> Array:
    """For a curve of shape ``(steps + 1, ...)``: the first index with ``value ≤ tol`` per column.

    Returns an int array of the batch shape (a plain ``int`` for a 1-D curve); ``-1`` where the
    curve never gets there. NaN counts as above.
    """
    below = _below(values, tol)
    out = np.where(below.any(axis=0), below.argmax(axis=0), -1)
    return int(out) if out.ndim == 0 else out


def settled_below(values: Any, tol: float) -> Array:
    """For a curve of shape ``(steps + 1, ...)``: the first index from which it stays ``≤ tol``.

    Returns an int array of the batch shape (a plain ``int`` for a 1-D curve); ``-1`` where the
    last value is above ``tol`` (or NaN).
    """
    below = _below(values, tol)
    above = ~below
    n = below.shape[0]
    last_above = n - 1 - above[::-1].argmax(axis=0)
    out = np.where(above[-1], -1, np.where(above.any(axis=0), last_above + 1, 0))
    return int(out) if out.ndim == 0 else out


def first_above(values: Any, level: float) -> Array:
    """For a curve of shape ``(steps + 1, ...)``: the first index with ``value ≥ level``.

    E.g. the step at which a run has left a saddle, ``first_above(abs(xs[..., 1]), 1.0)``.
    ``-1`` where it never gets there (NaN counts as not there).
    """
    values = np.asarray(values, dtype=np.float64)
    return first_below(np.where(np.isnan(values), np.nan, -values), -level)


def _below(values: Any, tol: float) -> Array:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0 or values.shape[0] == 0:
        raise ValueError(f"expected a curve of shape (steps + 1, ...), got shape {values.shape}")
    if not isinstance(tol, (int, float, np.floating, np.integer)) or not np.isfinite(tol):
        raise ValueError(f"tol must be a finite number, got {tol!r}")
    with np.errstate(invalid="ignore"):
        return values <= tol


def trailing_mean(values: Any, window: int) -> Array:
    """At every step, the mean of the last ``window`` values (fewer at the start), along axis 0.

    For reading a noisy loss curve: the level it fluctuates around, not one snapshot.
    """
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0 or values.shape[0] == 0:
        raise ValueError(f"expected values of shape (steps, ...), got shape {values.shape}")
    total = np.concatenate([np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0)])
    t = np.arange(1, len(values) + 1)
    lo = np.maximum(t - window, 0)
    counts = (t - lo).reshape(-1, *([1] * (values.ndim - 1)))
    return (total[t] - total[lo]) / counts


def run(opt: Optimizer, objective: Objective, x0: Any, steps: int,
        state: Any = None, blowup: float = 1e10) -> Trajectory:
    """Apply ``opt.step`` ``steps`` times from ``x0`` on the objective's gradient.

    ``x0`` is broadcast against the optimizer's array hyper-parameters, so a
    learning rate of shape ``(K, 1)`` runs K settings in one call. A run whose
    iterate becomes non-finite, or whose loss grows past ``blowup`` times
    ``max(1, |f(x0)|)``, is marked in ``diverged``; it is left to carry on (into
    inf/NaN if it must), the other runs of the batch go on unaffected, and no numpy
    overflow warnings are printed. Pass ``state`` to continue a run from a saved state.
    """
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    x0 = as_point(x0)
    x = np.broadcast_to(x0, opt.batch_shape(x0)).copy()
    state = opt.init(x) if state is None else state
    xs = np.empty((steps + 1, *x.shape), dtype=x.dtype)
    xs[0] = x
    with np.errstate(all="ignore"):
        for k in range(steps):
            x, state = opt.step(x, objective.grad, state)
            xs[k + 1] = x
        values = objective.value(xs)
        scale = blowup * np.maximum(1.0, np.abs(values[0]))
        # a point is a vector (..., d) or, for matrix optimizers, a matrix (..., m, n):
        # every axis of xs beyond those of the values belongs to one point
        finite = np.isfinite(xs).reshape(*values.shape, -1).all(axis=-1)
        healthy = finite & (np.abs(values) <= scale)
    diverged = ~healthy.all(axis=0)
    diverged_at = np.where(diverged, np.argmin(healthy, axis=0), -1)
    return Trajectory(xs=xs, values=values, diverged=diverged, diverged_at=diverged_at,
                      state=state)


def iterate(opt: Optimizer, grad_fn: GradFn, x0: Any, steps: int) -> list[tuple[Array, Any]]:
    """The first ``steps`` (x, state) pairs, starting with ``(x0, init(x0))``.

    A small helper for tables of the first steps; ``run`` is the fast path.
    """
    x = as_point(x0)
    state = opt.init(x)
    out = [(x, state)]
    for _ in range(steps):
        x, state = opt.step(x, grad_fn, state)
        out.append((x, state))
    return out


def save_state(path: str | Path, state: Any) -> None:
    """Write an optimizer state (a NamedTuple of arrays and ``t``) to an ``.npz`` file."""
    fields = {name: np.asarray(value) for name, value in state._asdict().items()}
    np.savez(path, __kind__=np.array(type(state).__name__), **fields)


def load_state(path: str | Path, like: Any) -> Any:
    """Read a state written by :func:`save_state`; arrays come back bit for bit.

    ``like`` is a state of the same type, e.g. ``opt.init(x0)``: it says which NamedTuple to
    build (only its type is used). A file written from another type is refused::

        save_state("adam.npz", traj.state)
        state = load_state("adam.npz", like=opt.init(x0))
    """
    cls = type(like)
    if not hasattr(cls, "_fields"):
        raise TypeError(f"like must be an optimizer state (a NamedTuple), got {cls.__name__}")
    with np.load(path, allow_pickle=False) as data:
        kind = str(data["__kind__"])
        if kind != cls.__name__ or set(data.files) - {"__kind__"} != set(cls._fields):
            raise ValueError(f"{path} holds a {kind} with fields "
                             f"{sorted(set(data.files) - {'__kind__'})}, not a {cls.__name__}")
        values = {name: data[name] for name in cls._fields}
    values["t"] = int(values["t"])
    return cls(**values)


class Window(NamedTuple):
    """A learning-rate window: ``width`` in decades, grid indices ``lo..hi``, and ``cut``,
    whether it reaches an end of the grid (so the true window may be wider)."""

    width: float
    lo: int
    hi: int
    cut: bool


def lr_window(lrs: Any, scores: Any, factor: float = 10.0, floor: float = 0.0) -> Window:
    r"""The window of good learning rates of a sweep over a log-spaced grid ``lrs``.

    ``scores`` (lower is better, one per grid point; NaN or inf for a failed run) are floored
    at ``floor``; the window is the unbroken run of grid points around the best one whose
    score is at most ``factor`` times the best, and its width counts one grid step
    :math:`\Delta = \log_{10}(\epsilon_{k+1}/\epsilon_k)` per point, as in the comparison
    chapter.
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if lrs.ndim != 1 or lrs.shape != scores.shape or lrs.size < 2:
        raise ValueError(f"lrs and scores must be 1-D of the same length ≥ 2, got shapes "
                         f"{lrs.shape} and {scores.shape}")
    steps = np.diff(np.log10(lrs))
    if np.any(lrs <= 0) or not np.allclose(steps, steps[0]):
        raise ValueError("lrs must be a positive, log-spaced, increasing grid")
    if not factor >= 1:
        raise ValueError(f"factor must be at least 1, got {factor!r}")
    s = np.where(np.isfinite(scores), np.maximum(scores, floor), np.inf)
    if not np.isfinite(s).any():
        raise ValueError("every score is NaN or infinite: no run succeeded")
    k = int(np.argmin(s))
    ok = s <= factor * s[k]
    lo, hi = k, k
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    while hi < len(ok) - 1 and ok[hi + 1]:
        hi += 1
    return Window(float((hi - lo + 1) * steps[0]), lo, hi, lo == 0 or hi == len(ok) - 1)

"""Minibatch experiments: a synthetic regression set, its loss, and a training loop."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, Optimizer, as_point


@dataclass(frozen=True)
class RegressionData:
    """Inputs ``X`` (n, d), targets ``y`` (n,), and the weights ``w_true`` that made them."""

    X: Array
    y: Array
    w_true: Array
    noise: float

    @property
    def n(self) -> int:
        return self.X.shape[0]


def make_regression(n: int = 1000, d: int = 2, noise: float = 0.1, seed: int = 0,
                    w_true: Any = None) -> RegressionData:
    """A seeded linear-regression data set ``y = X w_true + noise·N(0, 1)``.

    ``X`` has standard normal entries; ``w_true`` defaults to ``(2, −3.4, …)``
    cycling those two values. Nothing is downloaded.
    """
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    rng = np.random.default_rng(seed)
    w = np.resize([2.0, -3.4], d) if w_true is None else as_point(w_true)
    if w.shape != (d,):
        raise ValueError(f"w_true must have shape ({d},), got {w.shape}")
    X = rng.standard_normal((n, d))
    y = X @ w + noise * rng.standard_normal(n)
    return RegressionData(X=X, y=y, w_true=w, noise=noise)


def _loss_functions(X: Array, y: Array) -> tuple[Callable[[Array], Array],
                                                 Callable[[Array], Array]]:
    """The value and gradient of the mean squared loss over the rows ``X``, ``y``."""
    m = X.shape[0]

    def value(w: Array) -> Array:
        residual = w @ X.T - y
        return 0.5 * np.mean(residual**2, axis=-1)

    def grad(w: Array) -> Array:
        residual = w @ X.T - y
        return residual @ X / m

    return value, grad


def squared_loss(data: RegressionData, idx: Any = None) -> Objective:
    r"""Mean squared loss :math:`J(w) = \frac{1}{2m}\sum_{i} (x^{(i)\top} w - y^{(i)})^2`.

    Over the rows ``idx`` (all rows by default). Batched over leading axes of ``w``.
    Its Hessian is :math:`X^\top X / m` and its minimiser the least-squares solution.
    """
    X = data.X if idx is None else data.X[idx]
    y = data.y if idx is None else data.y[idx]
    value, grad = _loss_functions(X, y)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    return Objective(value, grad, name="mean squared loss", hessian=X.T @ X / X.shape[0],
                     minimum=w_star, min_value=float(value(w_star)), dim=X.shape[1])


def minibatch_grad(data: RegressionData, batch_size: int, rng: np.random.Generator
                   ) -> Callable[[Array], Array]:
    r"""A gradient oracle that draws a fresh minibatch of ``m`` rows at each call.

    It returns :math:`g = \frac{1}{m}\nabla_w \sum_{i \in B} \tfrac12 (x^{(i)\top}w - y^{(i)})^2`,
    an unbiased estimate of the full gradient (rows drawn without replacement).
    """
    _check_batch(batch_size, data.n)

    def grad(w: Array) -> Array:
        idx = rng.choice(data.n, size=batch_size, replace=False)
        return _loss_functions(data.X[idx], data.y[idx])[1](w)

    return grad


def _check_batch(batch_size: int, n: int) -> None:
    if not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer in [1, {n}], got {batch_size!r}")


@dataclass(frozen=True)
class TrainHistory:
    """Losses of a training run.

    Attributes:
        step_loss: full-data loss after every step, shape ``(steps + 1, ...)``.
        epoch_loss: full-data loss after every epoch, shape ``(epochs + 1, ...)``.
        epoch_time: wall-clock seconds spent in the training steps (drawing the batch, its
            gradient and ``opt.step``) up to the end of each epoch, ``(epochs + 1,)``; the
            full-data loss that is recorded after every step is not timed.
        w: the final weights.
        steps_per_epoch: number of minibatches per epoch.
    """

    step_loss: Array
    epoch_loss: Array
    epoch_time: Array
    w: Array
    steps_per_epoch: int


def train(opt: Optimizer, data: RegressionData, w0: Any = None, epochs: int = 10,
          batch_size: int = 10, seed: int = 0) -> TrainHistory:
    """Minibatch training of linear regression: each epoch shuffles the rows once
    and walks through them in batches of ``batch_size`` (the last partial batch is
    dropped). ``w0`` defaults to zeros; it may carry batch axes like ``run``'s ``x0``.
    The recorded wall time counts the training steps only, not the loss bookkeeping.
    """
    _check_batch(batch_size, data.n)
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    rng = np.random.default_rng(seed)
    full = squared_loss(data)
    w = as_point(np.zeros(data.X.shape[1]) if w0 is None else w0)
    w = np.broadcast_to(w, opt.batch_shape(w)).copy()
    state = opt.init(w)
    per_epoch = data.n // batch_size
    step_loss, epoch_loss, epoch_time = [full.value(w)], [full.value(w)], [0.0]
    elapsed = 0.0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            start = time.perf_counter()
            order = rng.permutation(data.n)
            elapsed += time.perf_counter() - start
            for b in range(per_epoch):
                start = time.perf_counter()
                rows = order[b * batch_size:(b + 1) * batch_size]
                _, batch_grad = _loss_functions(data.X[rows], data.y[rows])
                w, state = opt.step(w, batch_grad, state)
                elapsed += time.perf_counter() - start
                step_loss.append(full.value(w))          # bookkeeping: not timed
            epoch_loss.append(full.value(w))
            epoch_time.append(elapsed)
    return TrainHistory(step_loss=np.array(step_loss), epoch_loss=np.array(epoch_loss),
                        epoch_time=np.array(epoch_time), w=w, steps_per_epoch=per_epoch)

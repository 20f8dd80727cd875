"""Minibatch experiments: a synthetic regression set, its loss, and a training loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, Optimizer, as_point
from .transforms import clip_gradient


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

    @property
    def dim(self) -> int:
        return self.X.shape[1]

    def loss(self, rows: Any = None) -> Objective:
        """The mean squared loss over ``rows`` (all rows by default), for :func:`train`.

        Unlike :func:`squared_loss` it does not solve for the minimiser, so it is cheap
        enough to build for every minibatch.
        """
        X = self.X if rows is None else self.X[rows]
        y = self.y if rows is None else self.y[rows]
        value, grad = _loss_functions(X, y)
        return Objective(value, grad, name="mean squared loss", dim=self.dim)


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
    m = X.shape[-2]
    if X.ndim > 2:  # one row set per run (per-seed minibatches of train)
        def value(w: Array) -> Array:
            residual = (X @ w[..., None])[..., 0] - y
            return 0.5 * np.mean(residual**2, axis=-1)

        def grad(w: Array) -> Array:
            residual = (X @ w[..., None])[..., 0] - y
            return (residual[..., None, :] @ X)[..., 0, :] / m

        return value, grad

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
        step_loss: full-data loss after every ``record_every``-th step (and at the start),
            shape ``(steps // record_every + 1, ...)``; after every step by default.
        epoch_loss: full-data loss after every epoch, shape ``(epochs + 1, ...)``.
        epoch_time: wall-clock seconds spent in the training steps (drawing the batch, its
            gradient and ``opt.step``) up to the end of each epoch, ``(epochs + 1,)``; the
            full-data loss and the metrics that are recorded are not timed.
        w: the final weights.
        steps_per_epoch: number of minibatches per epoch.
        record_every: the spacing, in steps, of ``step_loss``.
        metrics: for every function passed to :func:`train` as ``metrics``, its values at the
            start and after every epoch, shape ``(epochs + 1, ...)``.
        state: the optimizer's final state (schedule-free methods need it to form the point
            to evaluate, ``opt.average(w, state)``).
        ws: with ``keep_iterates``, the weights after every step, shape ``(steps + 1, ...)``.
    """

    step_loss: Array
    epoch_loss: Array
    epoch_time: Array
    w: Array
    steps_per_epoch: int
    record_every: int = 1
    metrics: dict[str, Array] = field(default_factory=dict)
    state: Any = None
    ws: Array | None = None

    @property
    def recorded_steps(self) -> Array:
        """The step number of every entry of ``step_loss``."""
        return np.arange(self.step_loss.shape[0]) * self.record_every


class Dataset(Protocol):
    """What :func:`train` needs of a data set: ``n`` rows and the loss over any of them.

    ``loss(rows)`` returns the :class:`~optlib.Objective` over the rows ``rows`` (an integer
    array, possibly with leading axes that broadcast against the weights' batch axes), or
    over all rows for ``rows=None``. :class:`RegressionData` and
    :class:`optlib.nn.Classification` are data sets.
    """

    @property
    def n(self) -> int: ...

    def loss(self, rows: Any = None) -> Objective: ...


def _seeds(seed: Any) -> tuple[int, ...] | None:
    """None for one integer seed, else the tuple of per-run seeds."""
    if isinstance(seed, (int, np.integer)):
        return None
    seeds = tuple(seed)
    if not seeds or not all(isinstance(s, (int, np.integer)) for s in seeds):
        raise ValueError(f"seed must be an integer or a non-empty sequence of integers, "
                         f"got {seed!r}")
    return seeds


def _step_gradient(micro: list[Objective], max_norm: float | None, max_value: float | None,
                   clip: bool) -> Callable[[Array], Array]:
    """The gradient oracle of one step: the mean over the micro-batches, then clipped."""
    if len(micro) == 1 and not clip:
        return micro[0].grad

    def grad(w: Array) -> Array:
        g = micro[0].grad(w)
        for part in micro[1:]:
            g = g + part.grad(w)
        if len(micro) > 1:
            g = g / len(micro)
        return clip_gradient(g, max_norm, max_value) if clip else g

    return grad


def train(opt: Optimizer, data: Dataset, w0: Any = None, epochs: int = 10,
          batch_size: int = 10, seed: int | Sequence[int] = 0, record_every: int = 1,
          metrics: Mapping[str, Callable[[Array], Array]] | None = None,
          accumulate: int = 1, max_norm: float | None = None,
          max_value: float | None = None, keep_iterates: bool = False) -> TrainHistory:
    """Minibatch training: each epoch shuffles the rows once and walks through them in
    batches of ``batch_size`` (the last partial batch is dropped), calling ``opt.step`` on
    the gradient of ``data.loss(rows)`` for each batch.

    ``accumulate`` = k makes every step average the gradients of k consecutive micro-batches
    of ``batch_size`` rows (gradient accumulation): for a mean loss the same step as one
    batch of k·``batch_size`` rows, with an epoch of ``n // (k·batch_size)`` steps.
    ``max_norm`` / ``max_value`` clip the (accumulated) gradient of every step by global norm
    / by value with :func:`optlib.transforms.clip_gradient`, as ``clip_grad_norm_`` does
    between ``backward`` and ``step``. ``keep_iterates`` stores the weights after every step
    in ``TrainHistory.ws`` (for :func:`optlib.transforms.polyak_average` and ``ema_average``).

    ``w0`` defaults to zeros (of size ``data.dim``); it may carry batch axes like ``run``'s
    ``x0``, and it is broadcast against the optimizer's array hyper-parameters. ``seed``
    sets the data order. A sequence of S seeds gives every slice ``w[s]`` along the first
    batch axis (which must have length S) its own order: S seeds of a sweep in one call.
    ``record_every`` thins the full-data loss ``step_loss`` (it costs a pass over all rows);
    ``metrics`` are functions of the weights evaluated after every epoch (test accuracy, …).
    The recorded wall time counts the training steps only, not the loss and metrics
    bookkeeping.
    """
    if not isinstance(accumulate, (int, np.integer)) or accumulate < 1:
        raise ValueError(f"accumulate must be a positive integer, got {accumulate!r}")
    _check_batch(batch_size, data.n)
    if accumulate * batch_size > data.n:
        raise ValueError(f"accumulate * batch_size = {accumulate * batch_size} exceeds the "
                         f"{data.n} rows of the data set")
    clip = max_norm is not None or max_value is not None
    if clip:  # validate now, not at the first step
        clip_gradient(np.ones(1), max_norm, max_value)
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    if not isinstance(record_every, (int, np.integer)) or record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")
    seeds = _seeds(seed)
    metrics = dict(metrics or {})
    full = data.loss()
    if w0 is None:
        dim = getattr(data, "dim", None)
        if dim is None:
            raise ValueError("w0 is required: the data set does not say its dimension")
        w0 = np.zeros(dim)
    w = as_point(w0)
    w = np.broadcast_to(w, opt.batch_shape(w)).copy()
    if seeds is not None and (w.ndim < 2 or w.shape[0] != len(seeds)):
        raise ValueError(f"{len(seeds)} seeds need weights with a first batch axis of length "
                         f"{len(seeds)}, got weights of shape {w.shape}")
    rngs = [np.random.default_rng(s) for s in (seeds or (seed,))]
    state = opt.init(w)
    per_epoch = data.n // (batch_size * accumulate)
    row_shape = (len(seeds),) + (1,) * (w.ndim - 2) if seeds is not None else ()
    step_loss, epoch_loss, epoch_time = [full.value(w)], [full.value(w)], [0.0]
    tracked = {name: [fn(w)] for name, fn in metrics.items()}
    elapsed = 0.0
    iterates = [w.copy()] if keep_iterates else None
    t = 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            start = time.perf_counter()
            order = np.stack([rng.permutation(data.n) for rng in rngs])
            elapsed += time.perf_counter() - start
            for b in range(per_epoch):
                start = time.perf_counter()
                micro = [data.loss(order[:, lo:lo + batch_size].reshape(*row_shape, batch_size))
                         for lo in range(b * batch_size * accumulate,
                                         (b + 1) * batch_size * accumulate, batch_size)]
                w, state = opt.step(w, _step_gradient(micro, max_norm, max_value, clip), state)
                elapsed += time.perf_counter() - start
                t += 1
                if iterates is not None:
                    iterates.append(w.copy())
                if t % record_every == 0:
                    step_loss.append(full.value(w))          # bookkeeping: not timed
            # the loss after the epoch's last step, unless step_loss has just computed it
            epoch_loss.append(step_loss[-1] if t % record_every == 0 else full.value(w))
            for name, fn in metrics.items():
                tracked[name].append(fn(w))
            epoch_time.append(elapsed)
    return TrainHistory(step_loss=np.array(step_loss), epoch_loss=np.array(epoch_loss),
                        epoch_time=np.array(epoch_time), w=w, steps_per_epoch=per_epoch,
                        record_every=int(record_every),
                        metrics={name: np.array(v) for name, v in tracked.items()},
                        state=state,
                        ws=None if iterates is None else np.stack(iterates))


def per_example_grads(data: Dataset, w: Any, rows: Any) -> Array:
    """The gradient of each example's own loss: shape ``(len(rows), *w.shape)``.

    Every row becomes a batch of one (``rows`` gets trailing axes that broadcast against
    the weights' batch axes), so one call of ``data.loss(...).grad`` does all of them.
    """
    w = as_point(w)
    rows = np.asarray(rows)
    if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise ValueError(f"rows must be a non-empty 1-D array of row indices, got {rows!r}")
    return data.loss(rows.reshape(-1, *([1] * w.ndim))).grad(w)


@dataclass(frozen=True)
class NoiseScale:
    r"""The gradient noise scale of :func:`gradient_noise_scale`, per run.

    Attributes:
        b_noise: :math:`\mathcal B = \operatorname{tr}\Sigma / \lVert G\rVert^2`.
        trace: :math:`\operatorname{tr}\Sigma`, the summed variance of one example's gradient.
        grad_sq: :math:`\lVert G\rVert^2`, the squared norm of the full-data gradient.
    """

    b_noise: Array
    trace: Array
    grad_sq: Array


def gradient_noise_scale(data: Dataset, w: Any, chunk: int = 256) -> NoiseScale:
    r"""The simple noise scale :math:`\mathcal B = \operatorname{tr}\Sigma/\lVert G\rVert^2`
    of McCandlish et al. (2018) over all ``data.n`` rows, at the weights ``w``.

    :math:`G` is the mean of the per-example gradients :math:`g_i` (the full gradient) and
    :math:`\Sigma` their covariance (divided by n − 1), so a minibatch of B rows drawn from
    the data has gradient noise :math:`\operatorname{tr}\Sigma / B` and
    :math:`\mathcal B` is the batch size at which the noise equals :math:`\lVert G\rVert^2`.
    Batched over the leading axes of ``w``; the rows are processed ``chunk`` at a time.
    """
    if not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    n = data.n
    if n < 2:
        raise ValueError(f"the noise scale needs at least 2 rows, the data set has {n}")
    w = as_point(w)
    total = np.zeros(w.shape, dtype=np.float64)
    total_sq = np.zeros(w.shape[:-1], dtype=np.float64)
    for lo in range(0, n, chunk):
        g = per_example_grads(data, w, np.arange(lo, min(lo + chunk, n))).astype(np.float64)
        total += g.sum(axis=0)
        total_sq += np.sum(g * g, axis=(0, -1))
    G = total / n
    grad_sq = np.sum(G * G, axis=-1)
    trace = (total_sq - n * grad_sq) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        b_noise = trace / grad_sq
    return NoiseScale(b_noise=b_noise, trace=trace, grad_sq=grad_sq)


@dataclass(frozen=True)
class RangeTest:
    """The result of :func:`lr_range_test`, per run (axes after the first: the runs).

    Attributes:
        lrs: the learning rate of every step, shape ``(steps,)``.
        loss: the full-data loss after every step, shape ``(steps, ...)``.
        lr_at_min: the rate at which the loss was lowest.
        suggestion: ``lr_at_min / 10``, the usual rule of thumb.
    """

    lrs: Array
    loss: Array
    lr_at_min: Array
    suggestion: Array


def lr_range_test(opt_cls: type[Optimizer], data: Dataset, w0: Any, lr_min: float = 1e-5,
                  lr_max: float = 10.0, epochs: int = 3, batch_size: int = 64,
                  seed: int | Sequence[int] = 0, **hyper: Any) -> RangeTest:
    r"""The learning-rate range test: one short run whose rate grows exponentially,
    :math:`\epsilon_t = \epsilon_\min (\epsilon_\max/\epsilon_\min)^{t/(T-1)}` over its
    T = ``epochs`` · (steps per epoch) steps, recording the full-data loss after each step.

    The loss falls once the rate is large enough to make progress and blows up once it is
    too large; the suggestion is a tenth of the rate at the lowest loss. ``hyper`` are the
    optimizer's other hyper-parameters; ``seed`` as for :func:`train`.
    """
    if not 0 < lr_min < lr_max or not np.isfinite(lr_max):
        raise ValueError(f"need 0 < lr_min < lr_max < inf, got lr_min={lr_min!r}, "
                         f"lr_max={lr_max!r}")
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    _check_batch(batch_size, data.n)
    steps = epochs * (data.n // batch_size)
    if steps < 2:
        raise ValueError(f"the range test needs at least 2 steps, got {steps}")
    ratio = lr_max / lr_min

    def ramp(t: int) -> float:
        return lr_min * ratio ** (min(t, steps - 1) / (steps - 1))

    history = train(opt_cls(lr=ramp, **hyper), data, w0, epochs=epochs, batch_size=batch_size,
                    seed=seed)
    loss = history.step_loss[1:]
    lrs = np.array([ramp(t) for t in range(steps)])
    finite = np.where(np.isfinite(loss), loss, np.inf)
    lr_at_min = lrs[np.argmin(finite, axis=0)]
    return RangeTest(lrs=lrs, loss=loss, lr_at_min=lr_at_min, suggestion=lr_at_min / 10)

r"""Convex test problems that are not quadratics, for the theory of chapter 12.

* :func:`make_classification` and :func:`logistic_regression`: L2-regularised logistic
  regression, the standard smooth convex problem of machine learning;
  :func:`logistic_minibatch_grad` is its minibatch gradient oracle.
* :func:`log_cosh`: :math:`\sum_k c_k \log\cosh x_k`, smooth and convex but not strongly
  convex, quadratic near its minimum and linear far from it.
* :func:`piecewise_quadratic`: the one-dimensional function of Lessard, Recht and Packard on
  which heavy ball with the parameters that are optimal for quadratics never converges.
* :func:`worst_function`: Nesterov's tridiagonal quadratic behind the lower bound for
  first-order methods.

Every objective is batched like the others of optlib (points of shape ``(..., d)``). Their
``info`` dict holds ``"hessian"`` (a function ``x (..., d) -> ∇²f(x) (..., d, d)``),
``"smoothness"`` (a constant L with λmax(∇²f) ≤ L everywhere) and ``"strong_convexity"``
(μ with λmin(∇²f) ≥ μ everywhere; 0 when there is none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, as_point


def _sigmoid(z: Array) -> Array:
    """1/(1 + e^(−z)) without overflow warnings."""
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass(frozen=True)
class ClassificationData:
    """Inputs ``X`` (n, d), labels ``y`` (n,) in {−1, +1}, and the weights that drew them."""

    X: Array
    y: Array
    w_true: Array

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]


def make_classification(n: int = 500, d: int = 10, scales: Any = None, w_true: Any = None,
                        seed: int = 0) -> ClassificationData:
    r"""A seeded data set drawn from the logistic model itself.

    Column k of ``X`` is standard normal times ``scales[k]`` (default 1); the label is +1
    with probability :math:`\sigma(x^\top w_{true})` and −1 otherwise, so the classes overlap
    and unregularised logistic regression has a finite minimiser (for n large enough).
    ``w_true`` defaults to all ones.
    """
    if not isinstance(n, (int, np.integer)) or not isinstance(d, (int, np.integer)) or n < 1 \
            or d < 1:
        raise ValueError(f"n and d must be positive integers, got n={n!r}, d={d!r}")
    scales = np.ones(d) if scales is None else as_point(scales).astype(np.float64)
    if scales.shape != (d,) or np.any(scales <= 0):
        raise ValueError(f"scales must be {d} positive numbers, got {scales!r}")
    w = np.ones(d) if w_true is None else as_point(w_true).astype(np.float64)
    if w.shape != (d,):
        raise ValueError(f"w_true must have shape ({d},), got {w.shape}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * scales
    y = np.where(rng.random(n) < _sigmoid(X @ w), 1.0, -1.0)
    return ClassificationData(X=X, y=y, w_true=w)


def _logistic_parts(X: Array, y: Array, reg: float
                    ) -> tuple[Callable[[Array], Array], Callable[[Array], Array],
                               Callable[[Array], Array]]:
    """Value, gradient and Hessian of the regularised mean logistic loss over rows X, y."""
    n = X.shape[0]

    def value(w: Array) -> Array:
        margins = y * (w @ X.T)                                   # (..., n)
        return np.logaddexp(0.0, -margins).mean(axis=-1) + 0.5 * reg * (w * w).sum(axis=-1)

    def grad(w: Array) -> Array:
        margins = y * (w @ X.T)
        return (-y * _sigmoid(-margins)) @ X / n + reg * w

    def hessian(w: Array) -> Array:
        p = _sigmoid(w @ X.T)
        weights = p * (1 - p)                                     # σ'(xᵀw), shape (..., n)
        return np.einsum("...n,ni,nj->...ij", weights, X, X) / n + reg * np.eye(X.shape[1])

    return value, grad, hessian


def _newton_minimum(grad: Callable[[Array], Array], hessian: Callable[[Array], Array],
                    value: Callable[[Array], Array], d: int) -> Array | None:
    """The minimiser by damped Newton from 0 (float64), or None if it does not converge.

    Converged means a Newton step below 1e-10·(1 + ‖w‖), followed by two more full steps
    that take the error to rounding level. On separable data without a penalty the gradient
    vanishes too, but the steps stay long as ‖w‖ grows without end.
    """
    w = np.zeros(d)
    for _ in range(100):
        g = grad(w)
        try:
            step = np.linalg.solve(hessian(w), g)
        except np.linalg.LinAlgError:
            return None
        if np.linalg.norm(step) < 1e-10 * (1 + np.linalg.norm(w)):
            for _ in range(2):   # two more full steps: quadratic convergence to rounding level
                w = w - np.linalg.solve(hessian(w), grad(w))
            return w
        eps, f0 = 1.0, value(w)
        while value(w - eps * step) > f0 - 0.25 * eps * g @ step and eps > 1e-12:
            eps *= 0.5
        w = w - eps * step
    return None


def logistic_regression(data: ClassificationData, reg: float = 0.0) -> Objective:
    r"""Mean logistic loss plus an L2 penalty, batched over leading axes of w.

    .. math::
        f(w) &= \frac1n \sum_{i=1}^n \log\big(1 + e^{-y_i x_i^\top w}\big)
               + \frac{\lambda}{2}\lVert w\rVert^2, \\
        \nabla^2 f(w) &= \frac1n X^\top \mathrm{diag}\big(\sigma_i(1-\sigma_i)\big) X + \lambda I

    with :math:`\sigma_i = \sigma(x_i^\top w)`. Since σ(1 − σ) ≤ 1/4, f is L-smooth with
    :math:`L = \lambda_{max}(X^\top X)/(4n) + \lambda`, and λ-strongly convex (``reg`` = λ).
    The minimiser is computed once by Newton's method; if there is none (separable data
    without regularisation) ``minimum`` and ``min_value`` are None.
    """
    reg_arr = np.asarray(reg, dtype=np.float64)
    if reg_arr.ndim != 0 or not np.isfinite(reg_arr) or reg_arr < 0:
        raise ValueError(f"reg must be a non-negative number, got {reg!r}")
    reg = float(reg_arr)
    X, y = data.X, data.y
    value, grad, hessian = _logistic_parts(X, y, reg)
    smooth = float(np.linalg.eigvalsh(X.T @ X / data.n)[-1] / 4 + reg)
    w_star = _newton_minimum(grad, hessian, value, data.d)
    min_value = None if w_star is None else float(value(w_star))
    name = "logistic regression" + (f", λ = {reg:g}" if reg else "")
    return Objective(value, grad, name=name, minimum=w_star, min_value=min_value, dim=data.d,
                     info={"hessian": hessian, "smoothness": smooth, "strong_convexity": reg})


def logistic_minibatch_grad(data: ClassificationData, batch_size: int,
                            rng: np.random.Generator, reg: float = 0.0
                            ) -> Callable[[Array], Array]:
    r"""A gradient oracle for :func:`logistic_regression` on ``batch_size`` random rows.

    Each call draws, for every point of the batch of points ``w`` (shape ``(..., d)``), its
    own ``batch_size`` rows uniformly with replacement, so the estimate is unbiased and the
    runs of a batch are independent:
    :math:`g = \frac1m \sum_{i\in B} -y_i\,\sigma(-y_i x_i^\top w)\,x_i + \lambda w`.
    """
    if not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= data.n:
        raise ValueError(f"batch_size must be an integer in [1, {data.n}], got {batch_size!r}")
    X, y = data.X, data.y

    def grad(w: Array) -> Array:
        rows = rng.integers(0, data.n, size=(*w.shape[:-1], batch_size))
        Xb, yb = X[rows], y[rows]                                 # (..., m, d), (..., m)
        margins = yb * np.einsum("...md,...d->...m", Xb, w)
        coef = -yb * _sigmoid(-margins) / batch_size
        return np.einsum("...m,...md->...d", coef, Xb) + reg * w

    return grad


def log_cosh(c: Any = (1.0, 0.1)) -> Objective:
    r""":math:`f(x) = \sum_k c_k \log\cosh x_k`: smooth, convex, minimum 0 at the origin.

    Its Hessian is :math:`\mathrm{diag}(c_k/\cosh^2 x_k)`: at most ``max(c)`` (L-smooth),
    equal to diag(c) at the minimum (a quadratic there), and tending to 0 far away, where f
    grows only linearly: convex but not strongly convex. The gradient c_k·tanh x_k never
    exceeds c_k, so a far start makes every gradient method crawl, and pure Newton steps
    overshoot.
    """
    c = as_point(c).astype(np.float64)
    if c.ndim != 1 or c.size == 0 or np.any(c <= 0):
        raise ValueError(f"c must be a non-empty 1-D array of positive numbers, got {c!r}")
    c.setflags(write=False)

    def value(x: Array) -> Array:
        # log cosh x = log1p(2 sinh²(x/2)), accurate near 0; |x| + log1p(e^(−2|x|)) − log 2 far out
        a = np.abs(x)
        near = np.log1p(2 * np.sinh(np.minimum(a, 20.0) / 2) ** 2)
        far = a + np.log1p(np.exp(-2 * a)) - np.log(2.0)
        return (np.where(a < 20.0, near, far) * c).sum(axis=-1)

    def grad(x: Array) -> Array:
        return c * np.tanh(x)

    def hessian(x: Array) -> Array:
        diag = c / np.cosh(np.clip(x, -300, 300)) ** 2
        return diag[..., :, None] * np.eye(c.size)

    d = c.size
    bounds = ((-8.0, 8.0), (-8.0, 8.0)) if d == 2 else None
    return Objective(value, grad, name="log-cosh", minimum=np.zeros(d), min_value=0.0, dim=d,
                     bounds=bounds,
                     info={"hessian": hessian, "smoothness": float(c.max()),
                           "strong_convexity": 0.0})


def piecewise_quadratic(mu: float = 1.0, L: float = 25.0) -> Objective:
    r"""The 1-D function of Lessard, Recht and Packard (2016): smooth, strongly convex.

    .. math::
        f(x) = \begin{cases} \tfrac L2 x^2 & x < 1 \\
        \tfrac\mu2 x^2 + (L-\mu)(x - \tfrac12) & 1 \le x < 2 \\
        \tfrac L2 x^2 - (L-\mu)(x - \tfrac32) & x \ge 2 \end{cases}

    so that f and f' are continuous; f'' is L, μ, L on the three pieces, so f is
    L-smooth and μ-strongly convex with its minimum 0 at 0. For μ = 1, L = 25, heavy ball
    with Polyak's quadratic-optimal (ε, α) falls into a cycle instead of converging.
    """
    if not (np.isfinite(mu) and np.isfinite(L) and 0 < mu < L):
        raise ValueError(f"need 0 < mu < L, got mu={mu!r}, L={L!r}")
    k = L - mu

    def value(x: Array) -> Array:
        u = x[..., 0]
        low = 0.5 * L * u**2
        mid = 0.5 * mu * u**2 + k * (u - 0.5)
        high = 0.5 * L * u**2 - k * (u - 1.5)
        return np.where(u < 1, low, np.where(u < 2, mid, high))

    def grad(x: Array) -> Array:
        u = x[..., :1]
        return np.where(u < 1, L * u, np.where(u < 2, mu * u + k, L * u - k))

    def hessian(x: Array) -> Array:
        u = x[..., :1, None]
        return np.where((u >= 1) & (u < 2), mu, L) * np.ones((1, 1))

    return Objective(value, grad, name="piecewise quadratic", minimum=np.zeros(1),
                     min_value=0.0, dim=1,
                     info={"hessian": hessian, "smoothness": float(L),
                           "strong_convexity": float(mu)})


def worst_function(d: int, L: float = 1.0) -> Objective:
    r"""Nesterov's "worst function in the world" for first-order methods, in dimension d.

    .. math::
        f(x) = \frac L4\Big(\tfrac12\big(x_1^2 + \textstyle\sum_{i=1}^{d-1}(x_i - x_{i+1})^2
               + x_d^2\big) - x_1\Big)

    A quadratic with λmax ≤ L. A method whose iterates stay in the span of the gradients
    seen so far (gradient descent, momentum, Nesterov, …) started at 0 has touched only the
    first t + 1 coordinates after t steps, and for 2t + 1 ≤ d this forces
    :math:`f(x_t) - f^* \ge \frac{3L\lVert x_0 - x^*\rVert^2}{32(t+1)^2}`.
    """
    if not isinstance(d, (int, np.integer)) or d < 2:
        raise ValueError(f"d must be an integer of at least 2, got {d!r}")
    if not np.isfinite(L) or L <= 0:
        raise ValueError(f"L must be positive, got {L!r}")
    L = float(L)

    def chain(x: Array) -> Array:
        # A x for the tridiagonal A = tridiag(−1, 2, −1), in O(d) per point
        padded = np.concatenate([np.zeros_like(x[..., :1]), x, np.zeros_like(x[..., :1])], -1)
        return 2 * x - padded[..., :-2] - padded[..., 2:]

    def value(x: Array) -> Array:
        return L / 4 * (0.5 * (x * chain(x)).sum(axis=-1) - x[..., 0])

    def grad(x: Array) -> Array:
        g = chain(x)
        g[..., 0] -= 1.0
        return L / 4 * g

    H = (2 * np.eye(d) - np.eye(d, k=1) - np.eye(d, k=-1)) * L / 4
    H.setflags(write=False)
    minimum = 1 - np.arange(1, d + 1) / (d + 1)          # closed form: A x* = e1
    return Objective(value, grad, name=f"worst function, d = {d}", minimum=minimum,
                     min_value=L / 8 * (-1 + 1 / (d + 1)), hessian=H, dim=d,
                     info={"hessian": lambda x: np.broadcast_to(H, (*np.shape(x)[:-1], d, d)),
                           "smoothness": L, "strong_convexity": 0.0})

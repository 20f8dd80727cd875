"""A flat group of coordinates seen as a matrix, for optimizers that need the shape.

:class:`optlib.Partition` hands each optimizer its group as a flat slice of θ. Muon and
Adafactor act on the last two axes of their point as a matrix, so a network's weight matrix
W_l (stored row-major in θ) must be given back its shape ``(fan_in, fan_out)`` first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizers.base import Array, GradFn, Optimizer, as_point


class AsMatrix(Optimizer):
    r"""Run ``opt`` on the last axis of θ reshaped to an ``(m, n)`` matrix (row-major).

    θ of shape ``(..., m·n)`` becomes ``W`` of shape ``(..., m, n)``; ``opt`` steps on W
    with the gradient reshaped the same way, and the result is flattened back. Array
    hyper-parameters of ``opt`` broadcast against W, so a batch of K settings has the
    shape ``(K, 1, 1)``, as for Muon and Adafactor themselves.

    >>> import numpy as np, optlib
    >>> opt = optlib.AsMatrix(optlib.Muon(lr=0.1, weight_decay=0.0), (2, 2))
    >>> eye = np.array([1.0, 0.0, 0.0, 1.0])  # the 2 × 2 identity, flat
    >>> x, _ = opt.step(np.zeros(4), lambda x: eye, opt.init(np.zeros(4)))
    >>> bool(np.allclose(x.reshape(2, 2), -0.1 * optlib.optimizers.newton_schulz(np.eye(2))))
    True
    """

    rule = "W = θ.reshape(m, n) ;  W ← step of the wrapped optimizer on W ;  θ = W.ravel()"

    def __init__(self, opt: Optimizer, shape: tuple[int, int]) -> None:
        if not isinstance(opt, Optimizer):
            raise TypeError(f"AsMatrix: opt must be an optlib Optimizer, got {opt!r}")
        shape = tuple(shape)
        if len(shape) != 2 or not all(isinstance(s, (int, np.integer)) and s >= 1
                                      for s in shape):
            raise ValueError(f"AsMatrix: shape must be two positive integers (m, n), "
                             f"got {shape!r}")
        self.opt = opt
        self.shape = (int(shape[0]), int(shape[1]))

    def _matrix(self, x: Array) -> Array:
        m, n = self.shape
        if x.ndim < 1 or x.shape[-1] != m * n:
            raise ValueError(f"AsMatrix: θ must end in an axis of {m * n} = {m} × {n} "
                             f"coordinates, got shape {x.shape}")
        return x.reshape(*x.shape[:-1], m, n)

    @staticmethod
    def _flat(w: Array) -> Array:
        return w.reshape(*w.shape[:-2], w.shape[-2] * w.shape[-1])

    def batch_shape(self, x0: Any) -> tuple[int, ...]:
        full = self.opt.batch_shape(self._matrix(as_point(x0)))
        return (*full[:-2], full[-2] * full[-1])

    def init(self, x0: Any) -> Any:
        return self.opt.init(self._matrix(as_point(x0)))

    def step(self, x: Any, grad_fn: GradFn, state: Any) -> tuple[Array, Any]:
        x = as_point(x)
        w = self._matrix(x)

        def matrix_grad(v: Array) -> Array:
            return self._matrix(as_point(grad_fn(x if v is w else self._flat(v))))

        w_new, state = self.opt.step(w, matrix_grad, state)
        return self._flat(w_new), state

    def settings(self) -> dict[str, Any]:
        return self.opt.settings()

    def __repr__(self) -> str:
        return f"AsMatrix({self.opt!r}, {self.shape})"

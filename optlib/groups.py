"""Parameter groups: different optimizers (or settings) for different parts of θ.

A network's θ mixes weight matrices and bias vectors, and practice treats them differently:
weight decay on the matrices only, or (for Muon) an update that needs each matrix's shape.
:class:`Partition` splits θ by index sets and gives each part its own optimizer, in the
spirit of ``optax.multi_transform`` and of the parameter groups of ``torch.optim``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from .optimizers.base import Array, GradFn, Optimizer, as_point


class PartitionState(NamedTuple):
    """``states``: the state of each group's optimizer, in the order of the groups."""

    states: tuple
    t: int


class Partition(Optimizer):
    r"""One optimizer per group of coordinates of θ.

    ``optimizers`` and ``groups`` are mappings with the same keys; ``groups[name]`` is an
    integer index array into θ's last axis, and the groups must cover every coordinate
    exactly once. Each step evaluates the gradient g = ∇J(θ) once and hands each optimizer
    its group's coordinates θ[idx] and g[idx], concatenated in the order of ``idx``
    (:meth:`optlib.nn.MLP.groups` lists a network's weight-matrix entries layer by layer,
    each matrix row-major, so an optimizer that needs the matrices can reshape them).

    An optimizer that asks for the gradient elsewhere than at θ (Nesterov's look-ahead)
    gets it at the point where only its own group has moved, the other groups staying at θ;
    that costs one more gradient evaluation.

    >>> import numpy as np, optlib
    >>> opt = optlib.Partition({"a": optlib.SGD(lr=0.1), "b": optlib.SGD(lr=0.0)},
    ...                        {"a": np.array([0]), "b": np.array([1])})
    >>> optlib.run(opt, optlib.ellipse(), [1.0, 1.0], steps=1).x.tolist()
    [0.98, 1.0]
    """

    rule = "θ[group] ← step of that group's optimizer on (θ[group], g[group])"

    def __init__(self, optimizers: Mapping[str, Optimizer], groups: Mapping[str, Any]) -> None:
        if set(optimizers) != set(groups) or not optimizers:
            raise ValueError(f"optimizers and groups must have the same non-empty keys, got "
                             f"{sorted(optimizers)} and {sorted(groups)}")
        self.names = tuple(groups)
        self.optimizers = {name: optimizers[name] for name in self.names}
        self.index = {}
        for name in self.names:
            if not isinstance(self.optimizers[name], Optimizer):
                raise TypeError(f"optimizers[{name!r}] must be an optlib Optimizer, "
                                f"got {self.optimizers[name]!r}")
            idx = np.asarray(groups[name])
            if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
                raise ValueError(f"groups[{name!r}] must be a 1-D integer index array, "
                                 f"got {idx.dtype} of shape {idx.shape}")
            self.index[name] = idx
        every = np.concatenate(list(self.index.values()))
        self.size = every.size
        if not np.array_equal(np.sort(every), np.arange(self.size)):
            raise ValueError("groups must cover the indices 0..P-1 of θ exactly once each")

    def batch_shape(self, x0: Any) -> tuple[int, ...]:
        x0 = as_point(x0)
        self._check(x0)
        lead = [opt.batch_shape(x0[..., self.index[name]])[:-1]
                for name, opt in self.optimizers.items()]
        return (*np.broadcast_shapes(*lead), x0.shape[-1])

    def _check(self, x: Array) -> None:
        if x.ndim < 1 or x.shape[-1] != self.size:
            raise ValueError(f"θ must have {self.size} coordinates (the groups' total), "
                             f"got shape {x.shape}")

    def init(self, x0: Any) -> PartitionState:
        x0 = np.broadcast_to(as_point(x0), self.batch_shape(x0))
        return PartitionState(states=tuple(self.optimizers[name].init(x0[..., self.index[name]])
                                           for name in self.names), t=0)

    def step(self, x: Any, grad_fn: GradFn, state: PartitionState
             ) -> tuple[Array, PartitionState]:
        x = as_point(x)
        self._check(x)
        cache: list[Array] = []

        def grad_at_x() -> Array:
            if not cache:
                cache.append(self.grad(grad_fn, x))
            return cache[0]

        new_states = []
        x_new = np.array(np.broadcast_to(x, self.batch_shape(x)))
        for name, sub_state in zip(self.names, state.states, strict=True):
            idx = self.index[name]
            x_part = x[..., idx]

            def part_grad(y: Array, idx: Array = idx, x_part: Array = x_part) -> Array:
                if y is x_part or np.array_equal(y, x_part):
                    return grad_at_x()[..., idx]
                point = np.array(np.broadcast_to(x, np.broadcast_shapes(x.shape,
                                                                       (*y.shape[:-1], 1))))
                point[..., idx] = y
                return self.grad(grad_fn, point)[..., idx]

            part_new, sub_new = self.optimizers[name].step(x_part, part_grad, sub_state)
            x_new[..., idx] = part_new
            new_states.append(sub_new)
        return x_new, PartitionState(states=tuple(new_states), t=state.t + 1)

    def settings(self) -> dict[str, Any]:
        return {name: opt for name, opt in self.optimizers.items()}

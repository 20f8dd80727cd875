r"""Mixed-precision numerics, simulated with numpy's float16.

Hardware trains large models with half-precision (16-bit) arithmetic; numpy's ``float16`` has
the same format (IEEE binary16: 10 fraction bits, exponents −14…15), so its failure modes can
be reproduced here exactly: an update smaller than half the spacing of the weight is lost
(θ + Δ = θ), small gradients flush to zero, and large ones overflow to ∞.

* :class:`StoredIn` keeps an optimizer's weights in a low precision (rounded after each step),
  the situation that a float32 *master copy* of the weights avoids.
* :func:`to_half` is the trip of a gradient through float16 with a loss scale S:
  round(S·g) / S.
* :class:`DynamicLossScale` is the rule of ``torch.amp.GradScaler``: halve S and skip the step
  on an overflow, double it after ``interval`` clean steps.
* :func:`bytes_per_parameter` counts the memory of training per parameter, with ZeRO sharding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .optimizers.base import Array, GradFn, Optimizer, as_point


class StoredIn(Optimizer):
    """``opt`` whose weights are stored in ``dtype``: each step's result is rounded to it.

    The step itself is computed in the weights' float32 (or float64) arithmetic, as a
    half-precision kernel would compute it in a wider register; only the stored result
    is rounded, so an update below half the spacing of ``dtype`` at θ is lost.
    """

    rule = "θ ← round_dtype(θ + Δθ), Δθ the inner optimizer's update"

    def __init__(self, opt: Optimizer, dtype: Any = np.float16) -> None:
        if not isinstance(opt, Optimizer):
            raise TypeError(f"opt must be an optlib Optimizer, got {opt!r}")
        dtype = np.dtype(dtype)
        if not np.issubdtype(dtype, np.floating):
            raise TypeError(f"dtype must be a floating-point type, got {dtype}")
        self.opt, self.dtype = opt, dtype

    def batch_shape(self, x0: Any) -> tuple[int, ...]:
        return self.opt.batch_shape(x0)

    def init(self, x0: Any) -> Any:
        return self.opt.init(x0)

    def step(self, x: Any, grad_fn: GradFn, state: Any) -> tuple[Array, Any]:
        x = as_point(x)
        x_new, state = self.opt.step(x, grad_fn, state)
        return x_new.astype(self.dtype).astype(x.dtype), state

    def settings(self) -> dict[str, Any]:
        return {"opt": self.opt, "dtype": self.dtype.name}


def to_half(g: Any, scale: Any = 1.0) -> Array:
    """The gradient after a trip through float16 with loss scale S: float16(S·g) / S.

    Returned in the input's dtype; entries below float16's smallest subnormal (≈ 6·10⁻⁸)
    after scaling become 0, entries above 65504 become ±∞.
    """
    g = as_point(g)
    scale = np.asarray(scale, dtype=np.float64)
    if not np.all(np.isfinite(scale)) or np.any(scale <= 0):
        raise ValueError(f"scale must be positive and finite, got {scale!r}")
    with np.errstate(over="ignore"):
        half = (g * scale).astype(np.float16)
    return (half.astype(np.float64) / scale).astype(g.dtype)


class ScaleState(NamedTuple):
    """The loss scale S and the number of clean steps since it last changed."""

    scale: float
    good_steps: int


@dataclass(frozen=True)
class DynamicLossScale:
    """Dynamic loss scaling, the rule of ``torch.amp.GradScaler`` (same defaults).

    The loss (hence every gradient) is multiplied by S before the float16 backward pass.
    If any scaled gradient is not finite, the step is skipped and S ← S·``backoff``;
    after ``interval`` finite steps in a row, S ← S·``growth``.
    """

    init_scale: float = 2.0**16
    growth: float = 2.0
    backoff: float = 0.5
    interval: int = 2000

    def __post_init__(self) -> None:
        if not np.isfinite(self.init_scale) or self.init_scale <= 0:
            raise ValueError(f"init_scale must be positive, got {self.init_scale!r}")
        if not self.growth > 1:
            raise ValueError(f"growth must be > 1, got {self.growth!r}")
        if not 0 < self.backoff < 1:
            raise ValueError(f"backoff must lie in (0, 1), got {self.backoff!r}")
        if not isinstance(self.interval, (int, np.integer)) or self.interval < 1:
            raise ValueError(f"interval must be a positive integer, got {self.interval!r}")

    def init(self) -> ScaleState:
        return ScaleState(scale=float(self.init_scale), good_steps=0)

    def update(self, state: ScaleState, finite: bool) -> tuple[bool, ScaleState]:
        """Whether to apply this step, and the next state, given whether S·g was finite."""
        if not finite:
            return False, ScaleState(state.scale * self.backoff, 0)
        good = state.good_steps + 1
        if good >= self.interval:
            return True, ScaleState(state.scale * self.growth, 0)
        return True, ScaleState(state.scale, good)


#: Numbers of float32 state arrays each optimizer keeps beside the weights.
STATE_ARRAYS = {"SGD": 0, "Momentum": 1, "Adam": 2}


def bytes_per_parameter(optimizer: str, mixed: bool = False, devices: int = 1,
                        zero_stage: int = 0) -> dict[str, float]:
    """Bytes of training memory per parameter (activations not counted), on each device.

    * float32 training: weights 4, gradients 4, optimizer state 4 per state array.
    * mixed precision: float16 weights 2 and gradients 2, a float32 master copy 4, state 4
      per array: Adam's 2 + 2 + 4 + 8 = 16 bytes.
    * ZeRO (Rajbhandari et al. 2020) over ``devices`` data-parallel devices: stage 1 shards
      the optimizer state (with the master copy), stage 2 also the gradients, stage 3 also
      the weights; a sharded part is divided by ``devices``.
    """
    if optimizer not in STATE_ARRAYS:
        raise ValueError(f"optimizer must be one of {sorted(STATE_ARRAYS)}, got {optimizer!r}")
    if not isinstance(devices, (int, np.integer)) or devices < 1:
        raise ValueError(f"devices must be a positive integer, got {devices!r}")
    if zero_stage not in (0, 1, 2, 3):
        raise ValueError(f"zero_stage must be 0, 1, 2 or 3, got {zero_stage!r}")
    width = 2 if mixed else 4
    parts = {"weights": float(width), "gradients": float(width),
             "master weights": 4.0 if mixed else 0.0,
             "optimizer state": 4.0 * STATE_ARRAYS[optimizer]}
    sharded = {1: ["master weights", "optimizer state"],
               2: ["master weights", "optimizer state", "gradients"],
               3: ["master weights", "optimizer state", "gradients", "weights"]}
    for name in sharded.get(zero_stage, []):
        parts[name] /= devices
    parts["total"] = sum(parts.values())
    return parts

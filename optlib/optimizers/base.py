"""What every optimizer shares: hyper-parameter checks, the state, and small helpers.

An optimizer is a pair of pure functions in the spirit of the book:

* ``init(x0) -> state`` builds the accumulators (all zeros unless the method says
  otherwise) and the step counter ``t = 0``;
* ``step(x, grad_fn, state) -> (x_new, state_new)`` applies one update and never
  touches its inputs.

Hyper-parameters may be plain numbers, arrays that broadcast against the leading
(batch) axes of ``x`` -- a learning rate of shape ``(K, 1)`` with ``x`` of shape
``(K, d)`` runs K settings at once -- or, for the learning rate, a schedule: a
function of the step counter ``t`` (see :mod:`optlib.schedules`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

Array = np.ndarray
GradFn = Callable[[Array], Array]


@dataclass(frozen=True)
class HyperParam:
    """Description of one hyper-parameter, used for checks and for slider widgets.

    ``name`` is the constructor's argument (PyTorch's name where there is one);
    ``var`` is the variable that holds it inside ``step``, in the book's notation
    (``lr`` for ε, ``delta`` for δ, ``alpha``, ``rho``, ``beta1`` …; default ``name``).
    ``low``/``high`` is the admissible interval; ``low_open``/``high_open`` say
    whether its ends are excluded. ``slider`` is a sensible range to explore and
    ``log`` says whether a slider should move on a log scale.
    """

    name: str
    symbol: str
    description: str
    low: float
    high: float = np.inf
    low_open: bool = False
    high_open: bool = True
    slider: tuple[float, float] = (0.0, 1.0)
    log: bool = False
    schedulable: bool = False
    var: str = ""

    @property
    def local(self) -> str:
        """The name of this hyper-parameter inside ``step``."""
        return self.var or self.name


def learning_rate(symbol: str = "ε", slider: tuple[float, float] = (1e-3, 1.0)) -> HyperParam:
    """The learning rate ε ≥ 0, which may also be a schedule ``t -> ε_t``."""
    return HyperParam("lr", symbol, "learning rate", 0.0, slider=slider, log=True,
                      schedulable=True)


def decay(name: str, symbol: str, description: str, var: str = "") -> HyperParam:
    """A decay or momentum coefficient in [0, 1), called ``var`` (default ``name``) in a step."""
    return HyperParam(name, symbol, description, 0.0, 1.0, slider=(0.0, 0.999), var=var)


def small_constant(name: str = "eps", symbol: str = "δ", var: str = "delta") -> HyperParam:
    """The small constant δ ≥ 0 that keeps a denominator away from zero (``delta`` in a step)."""
    return HyperParam(name, symbol, "small constant for numerical stability", 0.0,
                      slider=(1e-10, 1e-1), log=True, var=var)


def power(base: Any, exponent: Any) -> Array:
    """``base ** exponent`` elementwise, by one numpy loop over contiguous arrays.

    numpy computes ``a ** b`` for a 0-d array by another routine than for a 1-d array, and
    the two may differ in the last bit; a batch of settings must give bit for bit the runs
    of each setting alone, so steps raise to non-integer powers through this function.
    A Python number takes the dtype of the other operand.
    """
    numpy_types = (np.ndarray, np.generic)
    if not isinstance(base, numpy_types):
        base = np.asarray(base, dtype=np.result_type(exponent) if isinstance(
            exponent, numpy_types) else None)
    if not isinstance(exponent, numpy_types):
        exponent = np.asarray(exponent, dtype=np.result_type(base))
    b, e = np.broadcast_arrays(base, exponent)
    out = np.power(np.ascontiguousarray(b).reshape(-1), np.ascontiguousarray(e).reshape(-1))
    return out.reshape(b.shape)


def weight_decay() -> HyperParam:
    """The decoupled weight decay λ ≥ 0 (``lam`` in a step)."""
    return HyperParam("weight_decay", "λ", "weight decay", 0.0, slider=(1e-4, 1.0), log=True,
                      var="lam")


def as_point(x: Any) -> Array:
    """Return ``x`` as a floating-point array (integers and lists become float64)."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    return x


def _check_value(spec: HyperParam, value: Any, owner: str) -> Any:
    """Validate one hyper-parameter value and return it (arrays as float64 copies)."""
    if callable(value):
        if not spec.schedulable:
            raise TypeError(f"{owner}: {spec.name} cannot be a schedule, got {value!r}")
        return value
    raw = np.asarray(value)
    if (isinstance(value, bool) or not np.all(np.isreal(raw))
            or (raw.dtype == object and any(v is None for v in raw.ravel()))):
        raise TypeError(f"{owner}: {spec.name} must be a real number or array, got {value!r}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{owner}: {spec.name} must be a real number or array, got {value!r}") from None
    bad = np.isnan(arr)
    bad |= (arr <= spec.low) if spec.low_open else (arr < spec.low)
    bad |= (arr >= spec.high) if spec.high_open else (arr > spec.high)
    if np.any(bad):
        shown = arr if arr.ndim == 0 else arr[bad].ravel()[0]
        interval = ("(" if spec.low_open else "[") + f"{spec.low:g}, {spec.high:g}" + (
            ")" if spec.high_open else "]")
        raise ValueError(
            f"Invalid {spec.description} {spec.name}={float(shown)!r} for {owner}: "
            f"it must lie in {interval}")
    return float(arr) if arr.ndim == 0 else arr.copy()


class Optimizer:
    """Base class: subclasses declare ``hyperparams`` and write ``init``/``step``."""

    hyperparams: ClassVar[tuple[HyperParam, ...]] = ()
    #: One line with the update rule in the notes' notation (shown in tables).
    rule: ClassVar[str] = ""
    #: What :meth:`hyper` returns: a named tuple with one field per hyper-parameter, named
    #: as in ``step`` (``spec.local``), e.g. ``Adam.Hyper(lr, beta1, beta2, delta)``.
    Hyper: ClassVar[type[tuple[Any, ...]]] = namedtuple("Hyper", [])

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = [s.local for s in cls.hyperparams]
        hyper = namedtuple("Hyper", fields, module=cls.__module__)
        hyper.__qualname__ = f"{cls.__qualname__}.Hyper"
        hyper.__doc__ = (f"The hyper-parameters of {cls.__name__} at one step, named as in its "
                         f"``step``: ({', '.join(fields)}).")
        cls.Hyper = hyper

    def __init__(self, **values: Any) -> None:
        owner = type(self).__name__
        for spec in self.hyperparams:
            setattr(self, spec.name, _check_value(spec, values[spec.name], owner))

    # -- helpers used by every step -------------------------------------------------
    def hyper(self, x: Array, state: Any) -> tuple[Any, ...]:
        """The hyper-parameters at step ``state.t``, in ``x``'s dtype, as a ``Hyper`` tuple.

        A schedule is evaluated (and checked) at ``t``. A step unpacks the result with the
        field names, ``lr, alpha = self.hyper(x, state)``; a test checks every step does.
        """
        out = []
        for spec in self.hyperparams:
            value = getattr(self, spec.name)
            if callable(value):
                value = _check_value(spec, value(state.t), type(self).__name__)
            out.append(np.asarray(value, dtype=x.dtype))
        return self.Hyper(*out)

    @staticmethod
    def grad(grad_fn: GradFn, x: Array) -> Array:
        """Evaluate ``g = grad_fn(x)`` and check that it has the shape of ``x``."""
        g = np.asarray(grad_fn(x))
        if g.shape != x.shape:
            try:
                g = np.broadcast_to(g, x.shape)
            except ValueError:
                raise ValueError(
                    f"gradient shape {g.shape} does not match the point's shape {x.shape}"
                ) from None
        return g.astype(x.dtype, copy=False)

    def batch_shape(self, x0: Any) -> tuple[int, ...]:
        """Shape of ``x0`` broadcast against every array hyper-parameter.

        A schedule counts with the shape of its first value ``lr(0)``.
        """
        shapes = [np.shape(x0)]
        for spec in self.hyperparams:
            value = getattr(self, spec.name)
            shapes.append(np.shape(value(0) if callable(value) else value))
        return np.broadcast_shapes(*shapes)

    def check_matrix_settings(self, shape: tuple[int, ...], core: int) -> None:
        """For optimizers that treat the last ``core`` axes of θ as one matrix (or vector):
        refuse array hyper-parameters that vary along those axes (a batch of K settings
        is an array of shape ``(K, 1, 1)`` for matrices)."""
        for spec in self.hyperparams:
            value = getattr(self, spec.name)
            s = np.shape(value(0) if callable(value) else value)
            if len(s) > len(shape) - core and any(n != 1 for n in s[len(s) - core:]):
                raise ValueError(
                    f"{type(self).__name__}: {spec.name} has shape {s}, which varies along the "
                    f"last {core} axes of the point (shape {shape}), the axes of one "
                    f"{'matrix' if core == 2 else 'vector'}; give a batch of settings the shape "
                    f"(K{', 1' * core})")

    def zeros(self, x0: Any, fill: float = 0.0) -> Array:
        """An accumulator for ``init``: ``x0``'s float dtype, broadcast to the batch shape."""
        x0 = as_point(x0)
        return np.full(self.batch_shape(x0), fill, dtype=x0.dtype)

    # -- the interface ---------------------------------------------------------------
    def init(self, x0: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def step(self, x: Any, grad_fn: GradFn, state: Any) -> tuple[Array, Any]:  # pragma: no cover
        raise NotImplementedError

    def state_floats(self, shape: tuple[int, ...]) -> int:
        """How many numbers the state keeps for one parameter of this shape, besides θ and t.

        Read off the state that ``init`` builds, so it counts what the code stores: 2·n for
        Adam, m + n for Adafactor on an m × n matrix, one number more for NAdam's product of
        momentum coefficients. In float32 the memory is four bytes per number.
        """
        state = self.init(np.zeros(shape))
        return int(sum(np.size(value) for value in state if isinstance(value, np.ndarray)))

    def settings(self) -> dict[str, Any]:
        """The hyper-parameters as a dict (arrays and schedules as given)."""
        return {s.name: getattr(self, s.name) for s in self.hyperparams}

    def __repr__(self) -> str:
        def show(v: Any) -> str:
            if isinstance(v, np.ndarray):
                return f"array{v.shape}"
            return getattr(v, "__name__", None) or repr(v)

        args = ", ".join(f"{k}={show(v)}" for k, v in self.settings().items())
        return f"{type(self).__name__}({args})"

"""Properties every optimizer shares (optlib.optimizers.base): purity, batching, dtypes and the
checks of hyper-parameters and gradients.

Each test runs once per optimizer of ``conftest.CASES`` (the argument ``case``) or once per
optimizer and hyper-parameter (``case_param``); the checks of hyper-parameter values run once per
kind of hyper-parameter, and once per class to show that its constructor applies them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import pkgutil
import textwrap
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optlib
from optlib import schedules
from optlib.optimizers.base import HyperParam, Optimizer, decay, learning_rate, small_constant

ELLIPSE = optlib.ellipse()

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


def points(shape):
    """Arrays of the given shape with entries in [-10, 10] and no exact zeros (|x| ≥ 0.01),
    so that adaptive methods never divide 0 by 0 when δ = 0."""
    n = int(np.prod(shape))
    return st.lists(finite.filter(lambda v: abs(v) >= 0.01), min_size=n, max_size=n).map(
        lambda xs: np.array(xs, dtype=np.float64).reshape(shape))


def state_arrays(state):
    return {name: value for name, value in state._asdict().items()
            if isinstance(value, np.ndarray)}


def diag_grad(coef):
    """∇ of Σ coef_i/2·x_i², elementwise (no matrix product)."""
    coef = np.asarray(coef)
    return lambda x: coef * x


# --- purity ------------------------------------------------------------------------------------


@given(data=st.data())
def test_step_never_mutates_its_inputs(case, data):
    shape = data.draw(st.sampled_from([(2,), (3,), (3, 2), (2, 4)]), label="shape")
    x0 = data.draw(points(shape), label="x0")
    grad = diag_grad(np.linspace(0.5, 3.0, shape[-1]))
    opt = case.make()
    state = opt.init(x0)
    # take a few steps so that the accumulators are not all zero
    x = x0
    for _ in range(data.draw(st.integers(0, 3), label="warm-up steps")):
        x, state = opt.step(x, grad, state)
    x_copy = x.copy()
    arrays = state_arrays(state)
    copies = {k: v.copy() for k, v in arrays.items()}
    t_before = state.t

    x_new, new_state = opt.step(x, grad, state)

    np.testing.assert_array_equal(x, x_copy)
    for name, value in arrays.items():
        np.testing.assert_array_equal(value, copies[name], err_msg=f"state.{name} changed")
        assert getattr(state, name) is value
        assert not np.shares_memory(getattr(new_state, name), value), name
    assert state.t == t_before
    assert new_state.t == t_before + 1
    assert not np.shares_memory(x_new, x)

    # The same step on read-only inputs works and gives the same result.
    x_ro = x_copy.copy()
    x_ro.setflags(write=False)
    ro = {k: v.copy() for k, v in copies.items()}
    for v in ro.values():
        v.setflags(write=False)
    x_new_ro, new_state_ro = opt.step(x_ro, grad, state._replace(**ro))
    np.testing.assert_array_equal(x_new_ro, x_new)
    for name in arrays:
        np.testing.assert_array_equal(getattr(new_state_ro, name), getattr(new_state, name))


def test_init_does_not_mutate_or_alias_x0(case):
    x0 = np.array([-5.0, -2.0])
    x0.setflags(write=False)
    state = case.make().init(x0)
    for name, value in state_arrays(state).items():
        assert not np.shares_memory(value, x0), name
        assert value.flags.writeable, name
    assert state.t == 0


def test_callers_hyperparameter_arrays_are_neither_mutated_nor_kept(case_param):
    case, name = case_param
    lo, hi = case.ranges[name]
    values = case.batch(np.linspace(lo, hi, 3))
    given_values = values.copy()
    values.setflags(write=False)
    opt = case.make(**{name: values})
    x0 = np.array([-5.0, -2.0])
    before = optlib.run(opt, ELLIPSE, x0, 10).xs
    np.testing.assert_array_equal(values, given_values)
    # Changing the caller's array afterwards does not change the optimizer.
    writable = given_values.copy()
    opt2 = case.make(**{name: writable})
    writable[:] = (lo + hi) / 2
    np.testing.assert_array_equal(optlib.run(opt2, ELLIPSE, x0, 10).xs, before)


# --- batching ------------------------------------------------------------------------------------


@given(data=st.data())
def test_batched_hyperparameter_equals_separate_runs(case_param, data):
    case, name = case_param
    lo, hi = case.ranges[name]
    k = data.draw(st.integers(2, 4), label="K")
    values = data.draw(st.lists(st.floats(lo, hi), min_size=k, max_size=k), label=name)
    x0 = data.draw(points((k, *case.point)), label="x0")
    steps = 15
    batched = optlib.run(case.make(**{name: case.batch(values)}), ELLIPSE, x0, steps)
    assert batched.xs.shape == (steps + 1, k, *case.point)
    for i, value in enumerate(values):
        single = optlib.run(case.make(**{name: value}), ELLIPSE, x0[i], steps)
        np.testing.assert_array_equal(batched.xs[:, i], single.xs)
        np.testing.assert_array_equal(batched.values[:, i], single.values)
        for field, arr in state_arrays(batched.state).items():
            np.testing.assert_array_equal(arr[i], getattr(single.state, field))


@given(data=st.data())
def test_all_hyperparameters_batched_at_once_and_shared_start(case, data):
    k = data.draw(st.integers(2, 4), label="K")
    settings = {name: data.draw(st.lists(st.floats(*case.ranges[name]), min_size=k, max_size=k),
                                label=name) for name in case.names}
    # one start, broadcast against the (K, 1) settings ((K, 1, 1) for a matrix)
    x0 = np.resize([-5.0, -2.0, 1.0], case.point)
    batched = optlib.run(case.make(**{n: case.batch(v) for n, v in settings.items()}),
                         ELLIPSE, x0, 10)
    assert batched.xs.shape == (11, k, *case.point)
    for i in range(k):
        single = optlib.run(case.make(**{n: v[i] for n, v in settings.items()}), ELLIPSE, x0, 10)
        np.testing.assert_array_equal(batched.xs[:, i], single.xs)


def test_batched_step_by_step_with_a_1d_batch_of_points(case):
    # Points of shape (K, d) with scalar hyper-parameters: K independent runs
    # (K matrices (K, m, n) for a matrix optimizer).
    x0 = np.array([[-5.0, -2.0], [1.0, 3.0], [0.5, -0.25]])
    if case.matrix:
        x0 = np.stack([x0, x0[::-1] * 0.5, -x0])
    opt = case.make()
    batched = optlib.iterate(opt, ELLIPSE.grad, x0, 8)
    for i in range(3):
        single = optlib.iterate(opt, ELLIPSE.grad, x0[i], 8)
        for (xb, _), (xs, _) in zip(batched, single, strict=True):
            np.testing.assert_array_equal(xb[i], xs)


# --- dtypes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(2,), (3, 2)])
def test_float32_in_float32_out(case, shape):
    x0 = np.full(shape, -2.0, dtype=np.float32)
    opt = case.make()
    x, state = x0, opt.init(x0)
    for _ in range(3):
        x, state = opt.step(x, ELLIPSE.grad, state)
        assert x.dtype == np.float32
        for name, value in state_arrays(state).items():
            assert value.dtype == np.float32, name
    assert optlib.run(opt, ELLIPSE, x0, 3).xs.dtype == np.float32


def test_float32_with_batched_float64_hyperparameters_stays_float32(case_param):
    case, name = case_param
    values = case.batch(np.linspace(*case.ranges[name], 3))  # float64
    traj = optlib.run(case.make(**{name: values}), ELLIPSE, np.float32([-5, -2]), 3)
    assert traj.xs.dtype == np.float32
    for field, value in state_arrays(traj.state).items():
        assert value.dtype == np.float32, field


def test_integer_input_is_promoted_to_float64(case):
    opt = case.make()
    x0 = np.array([-5, -2])
    state = opt.init(x0)
    for name, value in state_arrays(state).items():
        assert value.dtype == np.float64, name
    x1, state = opt.step(x0, ELLIPSE.grad, state)
    assert x1.dtype == np.float64
    x1_list, _ = opt.step([-5, -2], ELLIPSE.grad, opt.init([-5, -2]))
    np.testing.assert_array_equal(x1_list, x1)
    np.testing.assert_array_equal(x1, opt.step(np.array([-5.0, -2.0]), ELLIPSE.grad,
                                               opt.init(np.array([-5.0, -2.0])))[0])
    assert optlib.run(opt, ELLIPSE, [-5, -2], 2).xs.dtype == np.float64


# --- validation: one check per kind of hyper-parameter, one per class -------------------------


class Kind(NamedTuple):
    """A kind of hyper-parameter: its admissible interval as printed, whether it may be a
    schedule, values it refuses and boundary values it accepts."""

    interval: str
    schedulable: bool
    invalid: tuple[float, ...]
    valid: tuple[float, ...]


KINDS = {
    # the learning rate ε (and AdaDelta's multiplier lr): a number ≥ 0 or a schedule
    "rate": Kind("[0, inf)", True, (-0.1, -1.0, math.nan, -math.inf), (0.0, 0.5, 1e6)),
    # momentum α, decay rates ρ, β₁, β₂
    "decay": Kind("[0, 1)", False, (1.0, -0.1, math.nan, 1.5), (0.0, 0.999)),
    # the small constant δ, the weight decay λ, AdaGrad's r₀, NAdam's ψ, a power
    "non-negative": Kind("[0, inf)", False, (-1e-8, -0.1, math.nan), (0.0, 1e-12, 3.0)),
    # schedule-free β₁, the interpolation between average and base iterate
    "positive decay": Kind("(0, 1]", False, (0.0, -0.1, math.nan, 1.5), (1e-6, 1.0)),
    # Adafactor's exponent c of the second-moment decay
    "non-positive": Kind("(-inf, 0]", False, (1e-3, 1.0, math.nan, -math.inf), (0.0, -2.0)),
    # Adafactor's clipping threshold d
    "at least one": Kind("[1, inf)", False, (0.5, -1.0, math.nan), (1.0, 3.0)),
}

#: Values that are not real numbers: each is refused with a TypeError naming the parameter.
NOT_NUMBERS = ["0.1", None, [0.1, "a"], object(), True, 1 + 2j, [None]]



def _spec(cls, name: str) -> HyperParam:
    return next(s for s in cls.hyperparams if s.name == name)


SPECS = {"rate": learning_rate(), "decay": decay("rho", "ρ", "decay rate"),
         "non-negative": small_constant(),
         "positive decay": _spec(optlib.ScheduleFreeSGD, "beta1"),
         "non-positive": _spec(optlib.Adafactor, "beta2_decay"),
         "at least one": _spec(optlib.Adafactor, "d")}


def kind_of(spec: HyperParam) -> str:
    interval = (("(" if spec.low_open else "[") + f"{spec.low:g}, {spec.high:g}"
                + (")" if spec.high_open else "]"))
    for name, kind in KINDS.items():
        if interval == kind.interval and spec.schedulable == kind.schedulable:
            return name
    raise AssertionError(f"{spec.name}: a kind of hyper-parameter this test does not know")


def toy(spec: HyperParam, value):
    """An optimizer with one hyper-parameter, ``spec``, set to ``value``."""
    cls = type("Toy", (Optimizer,), {"hyperparams": (spec,)})
    return cls(**{spec.name: value})


@pytest.mark.parametrize("kind, value", [(k, v) for k in KINDS for v in KINDS[k].invalid])
def test_each_kind_refuses_values_outside_its_interval(kind, value):
    spec = SPECS[kind]
    expected = (f"Invalid {spec.description} {spec.name}={float(value)!r} for Toy: "
                f"it must lie in {KINDS[kind].interval}")
    with pytest.raises(ValueError) as info:
        toy(spec, value)
    assert str(info.value) == expected
    # the same value inside an array of otherwise valid values is caught too
    good = KINDS[kind].valid
    with pytest.raises(ValueError) as info:
        toy(spec, np.array([[good[0]], [value], [good[-1]]]))
    assert str(info.value) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_accepts_its_boundary_values(kind):
    for value in KINDS[kind].valid:
        assert getattr(toy(SPECS[kind], value), SPECS[kind].name) == value
    values = np.array(KINDS[kind].valid)[:, None]
    np.testing.assert_array_equal(getattr(toy(SPECS[kind], values), SPECS[kind].name), values)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_refuses_what_is_not_a_real_number(kind):
    spec = SPECS[kind]
    for value in NOT_NUMBERS:
        with pytest.raises(TypeError) as info:
            toy(spec, value)
        assert str(info.value) == f"Toy: {spec.name} must be a real number or array, got {value!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_rate_kind_may_be_a_schedule(kind):
    spec, sched = SPECS[kind], schedules.constant(0.1)
    if KINDS[kind].schedulable:
        assert toy(spec, sched).lr is sched
    else:
        with pytest.raises(TypeError) as info:
            toy(spec, sched)
        assert str(info.value) == f"Toy: {spec.name} cannot be a schedule, got {sched!r}"


def test_every_class_hyperparameter_is_of_a_known_kind(case):
    kinds = {spec.name: kind_of(spec) for spec in case.cls.hyperparams}
    assert set(kinds) == set(case.names)


def test_the_constructor_checks_every_hyperparameter_it_takes(case):
    # every hyper-parameter is a constructor argument, in the same order (other arguments are
    # switches such as ``nesterov``), and the constructor checks each one
    params = list(inspect.signature(case.cls.__init__).parameters)
    names = [s.name for s in case.cls.hyperparams]
    assert [p for p in params if p in names] == names
    owner = case.cls.__name__
    for spec in case.cls.hyperparams:
        kind = KINDS[kind_of(spec)]
        bad = kind.invalid[0]
        with pytest.raises(ValueError, match=f"^Invalid .* {spec.name}={bad!r} for {owner}:"):
            case.make(**{spec.name: bad})
        with pytest.raises(TypeError, match=f"^{owner}: {spec.name} must be a real number"):
            case.make(**{spec.name: "0.1"})
        def sched(t, value=kind.valid[-1]):
            return value

        if kind.schedulable:
            assert getattr(case.make(**{spec.name: sched}), spec.name) is sched
        else:
            with pytest.raises(TypeError, match=f"^{owner}: {spec.name} cannot be a schedule"):
                case.make(**{spec.name: sched})


def test_a_schedule_value_is_checked_when_it_is_used(case):
    opt = case.make(lr=lambda t: 0.1 if t == 0 else -0.5)
    x, state = opt.step(np.array([1.0, 1.0]), ELLIPSE.grad, opt.init(np.ones(2)))
    with pytest.raises(ValueError, match=r"lr=-0\.5"):
        opt.step(x, ELLIPSE.grad, state)


@pytest.mark.parametrize("bad_shape", [(3,), (2, 2), (1, 3)])
def test_gradient_of_the_wrong_shape_raises(case, bad_shape):
    opt = case.make()
    x0 = np.array([-5.0, -2.0])
    with pytest.raises(ValueError, match="gradient shape"):
        opt.step(x0, lambda x: np.ones(bad_shape), opt.init(x0))


def test_repr_and_settings(case):
    opt = case.make(**{case.names[0]: np.full((4, 1), case.ranges[case.names[0]][0])})
    text = repr(opt)
    assert text.startswith(case.cls.__name__ + "(")
    assert "array(4, 1)" in text
    assert list(opt.settings()) == sorted(opt.settings(), key=case.names.index)
    assert set(opt.settings()) == set(case.names)


# --- the names a reader sees in a step ------------------------------------------------------


def _hyper_unpacking(cls) -> list[str]:
    """The names a step unpacks ``self.hyper(x, state)`` into."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls.step)))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "attr", None) == "hyper"):
            return [t.id for t in node.targets[0].elts]
    raise AssertionError(f"{cls.__name__}.step does not call self.hyper")


def test_hyper_returns_a_named_tuple_of_the_step_names(case):
    opt = case.make()
    x0 = np.array([-5.0, -2.0])
    h = opt.hyper(x0, opt.init(x0))
    assert type(h) is case.cls.Hyper and h._fields == tuple(s.local for s in case.cls.hyperparams)
    for spec, value in zip(case.cls.hyperparams, h, strict=True):
        assert value == getattr(opt, spec.name)
    # the book's notation: ε is ``lr`` and δ is ``delta`` inside every step
    assert h._fields[0] == "lr"
    for spec in case.cls.hyperparams:
        if spec.description == "small constant for numerical stability":
            assert spec.local.startswith("delta"), spec


def _all_optimizer_classes() -> list[type]:
    """Every Optimizer subclass that optlib defines, in any module (new ones included), with
    its own ``step`` or one it inherits (``AcceleratedGradient`` runs ``Nesterov.step``)."""
    for info in pkgutil.walk_packages(optlib.__path__, "optlib."):
        if info.name != "optlib.plotting" and not info.name.rsplit(".", 1)[-1].startswith("make_"):
            importlib.import_module(info.name)
    found, todo = [], [Optimizer]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            # wrappers such as Partition or StoredIn have no hyper-parameters of their own
            if (sub.__module__.startswith("optlib.") and sub.step is not Optimizer.step
                    and sub.hyperparams):
                found.append(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


@pytest.mark.parametrize("cls", _all_optimizer_classes(), ids=lambda c: c.__name__)
def test_every_step_unpacks_the_hyperparameters_by_their_names(cls):
    # a step that unpacked in another order would swap values silently; this catches it
    names = _hyper_unpacking(cls)
    fields = cls.Hyper._fields
    assert len(names) == len(fields)
    for name, field in zip(names, fields, strict=True):
        assert name in ("_", field), f"{cls.__name__}.step calls {field} {name!r}"
    # the book's names: ε is ``lr`` and δ is ``delta``, never a variable ``eps``, in a step
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls.step)))
    assert "eps" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}, cls.__name__
    assert all(s.local == "lr" for s in cls.hyperparams if s.name == "lr"), cls.__name__


def test_the_step_scan_finds_every_optimizer_of_the_book():
    found = _all_optimizer_classes()
    assert set(optlib.ALL) <= set(found) and set(optlib.optimizers.MATRIX) <= set(found)
    assert optlib.frameworks.KerasAdam in found

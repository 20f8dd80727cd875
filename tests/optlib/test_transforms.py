"""optlib.transforms: gradient clipping that composes with every optimizer, and averaging."""

import numpy as np
import pytest

import optlib
from optlib.optimizers import ALL
from optlib.transforms import (
    clip_by_global_norm,
    clip_by_value,
    clipped,
    ema_average,
    polyak_average,
)


def test_global_norm_clipping_keeps_the_direction_and_caps_the_length_per_run():
    g = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    out = clip_by_global_norm(g, 1.0)
    np.testing.assert_allclose(out[0], [0.6, 0.8])          # length 5 -> 1, same direction
    np.testing.assert_array_equal(out[1:], g[1:])           # short enough: untouched; zero stays


def test_value_clipping_bends_the_direction():
    out = clip_by_value(np.array([3.0, 0.5, -7.0]), 1.0)
    np.testing.assert_array_equal(out, [1.0, 0.5, -1.0])
    # the direction changed: no longer parallel to the input
    assert abs(np.dot(out, [3.0, 0.5, -7.0]) / np.linalg.norm(out) / np.linalg.norm(
        [3.0, 0.5, -7.0])) < 0.99


def test_clipping_keeps_float32():
    g = np.array([30.0, 40.0], dtype=np.float32)
    assert clip_by_global_norm(g, 1.0).dtype == np.float32
    assert clip_by_value(g, 1.0).dtype == np.float32


@pytest.mark.parametrize("cls", ALL)
def test_a_clipped_objective_works_with_every_optimizer(cls):
    f = optlib.ellipse()
    opt = cls() if cls.__name__ == "AdaDelta" else cls(lr=0.05)
    traj = optlib.run(opt, clipped(f, max_norm=0.5), [-5.0, -2.0], 5)
    assert np.isfinite(traj.values).all()
    # every gradient the optimizer saw had length ≤ 0.5: check on the iterates it visited
    seen = clipped(f, max_norm=0.5).grad(traj.xs)
    assert np.all(np.linalg.norm(seen, axis=-1) <= 0.5 + 1e-12)


def test_clipped_sgd_moves_at_most_lr_times_the_threshold():
    f = optlib.ellipse()
    traj = optlib.run(optlib.SGD(lr=0.1), clipped(f, max_norm=1.0), [-5.0, -2.0], 3)
    steps = np.linalg.norm(np.diff(traj.xs, axis=0), axis=-1)
    np.testing.assert_allclose(steps, 0.1)                  # the gradient is long: capped


def test_clipped_applies_value_then_norm_and_keeps_values():
    f = optlib.quadratic(np.diag([100.0, 1.0]))
    both = clipped(f, max_norm=1.0, max_value=2.0)
    g = both.grad(np.array([1.0, 1.0]))                     # raw (100, 1) -> (2, 1) -> /√5
    np.testing.assert_allclose(g, np.array([2.0, 1.0]) / np.sqrt(5.0))
    assert both.value(np.array([1.0, 1.0])) == f.value(np.array([1.0, 1.0]))
    assert "clipped" in both.name


@pytest.mark.parametrize(("kwargs", "match"), [
    ({}, "needs max_norm"), ({"max_norm": 0.0}, "max_norm"), ({"max_value": -1.0}, "max_value"),
    ({"max_norm": np.nan}, "max_norm"),
])
def test_clipped_rejects_bad_thresholds(kwargs, match):
    with pytest.raises(ValueError, match=match):
        clipped(optlib.ellipse(), **kwargs)


def test_polyak_average_is_the_running_mean_from_start():
    xs = np.arange(12.0).reshape(6, 2)
    out = polyak_average(xs, start=2)
    np.testing.assert_array_equal(out[:2], xs[:2])
    np.testing.assert_allclose(out[4], xs[2:5].mean(axis=0))
    np.testing.assert_allclose(out[-1], xs[2:].mean(axis=0))


def test_averaging_a_noisy_run_lowers_the_noise_floor():
    # SGD with noisy gradients on the ellipse: the last iterate jitters, the average does not
    f = optlib.ellipse()
    noisy = optlib.with_noisy_gradient(f, sigma=1.0, seed=0)
    traj = optlib.run(optlib.SGD(lr=0.1), noisy, [-5.0, -2.0], 4000)
    tail = slice(2000, None)
    last = f.value(traj.xs[tail]).mean()
    averaged = f.value(polyak_average(traj.xs, start=2000)[-1])
    assert averaged < last / 10


def test_ema_average_debiased_starts_at_x0_and_tracks_a_constant():
    xs = np.full((50, 2), 3.0)
    np.testing.assert_allclose(ema_average(xs, 0.9), xs)
    raw = ema_average(xs, 0.9, debias=False)
    np.testing.assert_allclose(raw[0], 0.3)                 # (1 − β) x₀ without the correction
    by_hand = 0.0
    for _ in range(5):
        by_hand = 0.9 * by_hand + 0.1 * 3.0
    np.testing.assert_allclose(raw[4], by_hand)


@pytest.mark.parametrize(("fn", "kwargs", "match"), [
    (polyak_average, {"start": 10}, "start"), (polyak_average, {"start": -1}, "start"),
    (ema_average, {"decay": 1.0}, "decay"), (ema_average, {"decay": -0.1}, "decay"),
])
def test_averaging_rejects_bad_arguments(fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(np.zeros((5, 2)), **kwargs)


def test_averaging_rejects_a_single_point():
    with pytest.raises(ValueError, match="xs must have shape"):
        polyak_average(np.zeros(3))

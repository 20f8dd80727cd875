"""optlib.run: run, iterate, Trajectory, divergence marking, save_state/load_state."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import optlib

ELLIPSE = optlib.ellipse()
X0 = (-5.0, -2.0)


# --- shapes ----------------------------------------------------------------------------------


def test_shapes_of_a_single_run():
    traj = optlib.run(optlib.SGD(lr=0.1), ELLIPSE, X0, 7)
    assert traj.xs.shape == (8, 2)
    assert traj.values.shape == (8,)
    assert traj.steps == 7
    np.testing.assert_array_equal(traj.xs[0], X0)
    np.testing.assert_array_equal(traj.x, traj.xs[-1])
    # values are f at the iterates: 0.1·x1² + 2·x2²
    np.testing.assert_allclose(traj.values, 0.1 * traj.xs[:, 0] ** 2 + 2 * traj.xs[:, 1] ** 2,
                               rtol=1e-14)
    assert traj.values[0] == 10.5  # 0.1·25 + 2·4
    assert not traj.diverged
    assert traj.diverged_at == -1
    assert traj.state.t == 7


def test_shapes_of_a_batched_run():
    lr = np.array([0.01, 0.1, 0.2, 0.3])[:, None]
    traj = optlib.run(optlib.Momentum(lr=lr, momentum=0.5), ELLIPSE, X0, 12)
    assert traj.xs.shape == (13, 4, 2)
    assert traj.values.shape == (13, 4)
    assert traj.diverged.shape == (4,)
    assert traj.diverged_at.shape == (4,)
    assert traj.state.v.shape == (4, 2)
    np.testing.assert_array_equal(traj.xs[0], np.broadcast_to(X0, (4, 2)))


def test_a_grid_of_settings():
    lr = np.array([0.1, 0.2, 0.3])[:, None, None]
    mom = np.array([0.0, 0.5])[None, :, None]
    traj = optlib.run(optlib.Momentum(lr=lr, momentum=mom), ELLIPSE, X0, 5)
    assert traj.xs.shape == (6, 3, 2, 2)
    assert traj.values.shape == (6, 3, 2)
    single = optlib.run(optlib.Momentum(lr=0.3, momentum=0.5), ELLIPSE, X0, 5)
    np.testing.assert_array_equal(traj.xs[:, 2, 1], single.xs)


def test_zero_steps():
    traj = optlib.run(optlib.Adam(lr=0.1), ELLIPSE, X0, 0)
    assert traj.xs.shape == (1, 2)
    assert traj.state.t == 0
    assert not traj.diverged


@pytest.mark.parametrize("steps", [-1, 2.5, "3", None])
def test_steps_must_be_a_non_negative_integer(steps):
    with pytest.raises(ValueError, match="steps"):
        optlib.run(optlib.SGD(lr=0.1), ELLIPSE, X0, steps)


def test_numpy_integer_steps_are_accepted():
    assert optlib.run(optlib.SGD(lr=0.1), ELLIPSE, X0, np.int64(3)).steps == 3


def test_iterate_lists_the_first_pairs():
    pairs = optlib.iterate(optlib.SGD(lr=0.4), ELLIPSE.grad, X0, 2)
    assert len(pairs) == 3
    np.testing.assert_array_equal(pairs[0][0], X0)
    assert pairs[0][1].t == 0
    assert pairs[1][0] == pytest.approx([-4.6, 1.2], rel=1e-14)  # θ0 − 0.4·(-1, -8)
    assert pairs[2][1].t == 2


# --- divergence --------------------------------------------------------------------------------


def _first_blowup_step_gd(lr, blowup, steps):
    """The first t at which f(θ_t) > blowup·max(1, f(θ0)) for GD on the ellipse from (-5, -2),
    from the closed form θ_t = (-5·(1 − 0.2ε)^t, -2·(1 − 4ε)^t), in Python floats."""
    limit = blowup * 10.5
    for t in range(steps + 1):
        f = 0.1 * 25 * (1 - 0.2 * lr) ** (2 * t) + 2 * 4 * (1 - 4 * lr) ** (2 * t)
        if not math.isfinite(f) or f > limit:
            return t
    return -1


def test_divergence_is_marked_per_batch_element_and_the_others_converge():
    # 2/λmax = 0.5: ε = 0.6 diverges (factor |1 − 2.4| = 1.4 along x2); the others converge.
    lr = np.array([0.1, 0.6, 0.4, 0.55])[:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / invalid-value warning may escape
        traj = optlib.run(optlib.SGD(lr=lr), ELLIPSE, X0, 3000)
    np.testing.assert_array_equal(traj.diverged, [False, True, False, True])
    expected_at = [-1, _first_blowup_step_gd(0.6, 1e10, 3000), -1,
                   _first_blowup_step_gd(0.55, 1e10, 3000)]
    np.testing.assert_array_equal(traj.diverged_at, expected_at)
    assert expected_at[1] < expected_at[3]  # the faster divergence is caught earlier
    # the runs that diverged really went to inf/nan, the others converged to the minimum
    assert not np.isfinite(traj.xs[-1, 1]).all()
    assert np.abs(traj.xs[-1, [0, 2]]).max() < 1e-12
    assert np.all(np.isfinite(traj.values[:, [0, 2]]))


def test_no_warning_escapes_for_adaptive_methods_that_blow_up():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = optlib.run(optlib.Momentum(lr=np.array([[0.1], [5.0]]), momentum=0.9), ELLIPSE,
                          X0, 2000)
        traj2 = optlib.run(optlib.Adam(lr=np.array([[0.1], [1e300]])), ELLIPSE, X0, 50)
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert traj2.diverged[1] and not traj2.diverged[0]


@pytest.mark.parametrize("blowup", [100.0, 1e4, 1e10])
def test_blowup_threshold(blowup):
    # f = x², GD with ε = 1.5: x ← (1 − 3)x = -2x, so f_t = 4^t from x0 = 1 (f0 = 1).
    # The first t with 4^t > blowup: 100 → 4 (256), 1e4 → 7 (16384), 1e10 → 17.
    f = optlib.quadratic([[2.0]])
    traj = optlib.run(optlib.SGD(lr=1.5), f, [1.0], 40, blowup=blowup)
    expected = next(t for t in range(41) if 4.0**t > blowup)
    assert traj.diverged
    assert traj.diverged_at == expected
    np.testing.assert_array_equal(traj.values, 4.0 ** np.arange(41))


def test_blowup_is_relative_to_the_starting_loss():
    # Same run started at x0 = 10 (f0 = 100): the limit is blowup·100.
    f = optlib.quadratic([[2.0]])
    traj = optlib.run(optlib.SGD(lr=1.5), f, [10.0], 20, blowup=100.0)
    assert traj.diverged_at == 4  # 100·4^t > 100·100 first at t = 4
    # A run that stays below the threshold is not marked.
    calm = optlib.run(optlib.SGD(lr=1.5), f, [10.0], 3, blowup=100.0)
    assert not calm.diverged and calm.diverged_at == -1


# --- save and restore ----------------------------------------------------------------------------


@pytest.mark.parametrize("batched", [False, True], ids=["single", "batched"])
def test_resumed_run_is_bit_identical(case, batched, tmp_path):
    first = case.names[0]
    if batched:
        lo, hi = case.ranges[first]
        opt = case.make(**{first: case.batch(np.linspace(lo, hi, 3))})
    else:
        opt = case.make()
    x0 = np.resize(X0, case.point)
    whole = optlib.run(opt, ELLIPSE, x0, 50)
    head = optlib.run(opt, ELLIPSE, x0, 20)
    path = tmp_path / f"{case.id}.npz"
    optlib.save_state(path, head.state)
    loaded = optlib.load_state(path, like=opt.init(x0))
    assert type(loaded) is type(head.state)
    assert loaded.t == 20 and isinstance(loaded.t, int)
    for name, value in head.state._asdict().items():
        if isinstance(value, np.ndarray):
            assert getattr(loaded, name).dtype == value.dtype
            np.testing.assert_array_equal(getattr(loaded, name), value)
    tail = optlib.run(opt, ELLIPSE, head.x, 30, state=loaded)
    np.testing.assert_array_equal(tail.xs, whole.xs[20:])
    np.testing.assert_array_equal(tail.values, whole.values[20:])


def test_save_and_load_keep_float32(tmp_path):
    opt = optlib.Adam(lr=0.1)
    head = optlib.run(opt, ELLIPSE, np.float32(X0), 5)
    optlib.save_state(tmp_path / "s.npz", head.state)
    loaded = optlib.load_state(tmp_path / "s.npz", like=opt.init(X0))
    assert loaded.v.dtype == np.float32 and loaded.s.dtype == np.float32
    np.testing.assert_array_equal(loaded.v, head.state.v)


def test_load_state_rejects_a_file_of_another_kind(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, __kind__=np.array("NotAState"), t=np.array(3))
    with pytest.raises(ValueError, match="NotAState.*not a MomentumState"):
        optlib.load_state(path, like=optlib.Momentum(lr=0.1).init(X0))
    # the state of another optimizer is refused too, though both hold arrays and t
    optlib.save_state(path, optlib.Adam().init(X0))
    with pytest.raises(ValueError, match="AdamState.*not a AdamWState"):
        optlib.load_state(path, like=optlib.AdamW().init(X0))


def test_load_state_needs_a_state_to_copy_the_type_of(tmp_path):
    path = tmp_path / "s.npz"
    optlib.save_state(path, optlib.Adam().init(X0))
    with pytest.raises(TypeError, match="like must be an optimizer state"):
        optlib.load_state(path, like=optlib.Adam())


def test_run_does_not_import_the_frameworks_module():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(optlib.run.__code__.co_filename).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names} | {node.module or "" for node in ast.walk(tree)
                                            if isinstance(node, ast.ImportFrom)}
    assert not imported & {"frameworks", "optlib.frameworks"}


# -- when a run gets below a tolerance, and when it stays there -----------------------------


def test_first_below_and_settled_below_tell_a_dip_from_convergence():
    # dips below 1 at index 2, comes back up at 3, stays below from index 4
    curve = np.array([5.0, 2.0, 0.5, 1.5, 0.9, 0.2, 0.1])
    assert optlib.first_below(curve, 1.0) == 2
    assert optlib.settled_below(curve, 1.0) == 4


def test_below_helpers_are_batched_over_runs():
    curves = np.array([[3.0, 0.5, 9.0], [0.5, 2.0, 9.0], [2.0, 0.1, 9.0], [0.1, 0.1, 9.0]])
    np.testing.assert_array_equal(optlib.first_below(curves, 1.0), [1, 0, -1])
    np.testing.assert_array_equal(optlib.settled_below(curves, 1.0), [3, 2, -1])


def test_settled_below_is_zero_for_a_run_that_starts_below_and_minus_one_for_nan():
    assert optlib.settled_below([0.1, 0.05], 1.0) == 0
    assert optlib.settled_below([0.1, np.nan], 1.0) == -1
    assert optlib.first_below([np.nan, np.nan], 1.0) == -1


def test_trajectory_methods_measure_the_gap_to_the_minimum():
    f = optlib.ellipse()
    traj = optlib.run(optlib.Momentum(lr=np.array([[0.4], [0.0005]]), momentum=0.5), f,
                      [-5.0, -2.0], 300)
    settled = traj.settled_below(1e-6, f.min_value)
    first = traj.first_below(1e-6, f.min_value)
    gap = traj.values - f.min_value
    # the fast run: every value from `settled` on is below, the one before is not
    assert np.all(gap[settled[0]:, 0] <= 1e-6) and gap[settled[0] - 1, 0] > 1e-6
    assert first[0] <= settled[0]
    assert settled[1] == -1 and first[1] == -1   # lr = 0.0005 is far too slow


@pytest.mark.parametrize("bad", [np.nan, np.inf, "0.1", None])
def test_below_helpers_reject_a_bad_tolerance(bad):
    with pytest.raises(ValueError, match="tol must be a finite number"):
        optlib.settled_below([1.0, 0.5], bad)


def test_below_helpers_reject_an_empty_curve():
    with pytest.raises(ValueError, match="expected a curve"):
        optlib.first_below(np.array([]), 1.0)


def test_trailing_mean_matches_a_direct_window_mean():
    rng = np.random.default_rng(0)
    values = rng.random((50, 3))
    out = optlib.trailing_mean(values, 7)
    for t in (0, 3, 6, 7, 30, 49):
        np.testing.assert_allclose(out[t], values[max(0, t - 6):t + 1].mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_trailing_mean_rejects_a_bad_window(bad):
    with pytest.raises(ValueError, match="window must be a positive integer"):
        optlib.trailing_mean([1.0, 2.0], bad)


def test_first_above_finds_when_a_run_leaves_a_saddle():
    s = optlib.saddle()
    runs = optlib.run(optlib.SGD(lr=np.array([[0.1], [0.3]])), s, [1.5, 0.01], 40)
    escaped = optlib.first_above(np.abs(runs.xs[..., 1]), 1.0)
    for k in range(2):
        t = escaped[k]
        assert abs(runs.xs[t, k, 1]) >= 1.0 and np.all(np.abs(runs.xs[:t, k, 1]) < 1.0)
    assert escaped[1] < escaped[0]     # a larger step leaves sooner
    assert optlib.first_above([0.0, 0.5, np.nan], 1.0) == -1

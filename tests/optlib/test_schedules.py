"""optlib.schedules: formulas, validation, and how an optimizer evaluates lr(t)."""

import math

import numpy as np
import pytest

import optlib
from optlib import schedules as S


@pytest.mark.parametrize(("schedule", "expected"), [
    (S.constant(0.1), {0: 0.1, 7: 0.1, 1000: 0.1}),
    # ε·factor^⌊t/every⌋ with ε = 1, factor = 0.5, every = 10
    (S.step_decay(1.0, 0.5, 10), {0: 1.0, 9: 1.0, 10: 0.5, 19: 0.5, 25: 0.25}),
    # ε·γ^t: 0.1·0.9² = 0.081
    (S.exponential(0.1, 0.9), {0: 0.1, 1: 0.09, 2: 0.081}),
    # ε/(1 + decay·t): 0.1/(1 + 0.5·2) = 0.05, 0.1/(1 + 0.5·18) = 0.01
    (S.inverse_time(0.1, 0.5), {0: 0.1, 2: 0.05, 18: 0.01}),
    # ε/√(1 + decay·t): 0.1/√(1 + 1·3) = 0.05, 0.1/√(1 + 1·99) = 0.01, 2/√(1 + 0.5·6) = 1
    (S.inverse_sqrt(0.1, 1.0), {0: 0.1, 3: 0.05, 99: 0.01}),
    (S.inverse_sqrt(2.0, 0.5), {0: 2.0, 6: 1.0}),
    # ε_min + (ε − ε_min)(1 + cos(πt/T))/2 with ε = 1, ε_min = 0.1, T = 10:
    # t = 5 → 0.1 + 0.9·0.5 = 0.55; t ≥ 10 → 0.1
    (S.cosine(1.0, 10, lr_min=0.1), {0: 1.0, 5: 0.55, 10: 0.1, 20: 0.1}),
    (S.cosine(2.0, 4), {0: 2.0, 2: 1.0, 4: 0.0, 9: 0.0}),
    # (1 − t/τ)ε0 + (t/τ)ε_τ with ε0 = 1, τ = 10, ε_τ = 0.01: t = 5 → 0.505
    (S.linear_decay(1.0, 10), {0: 1.0, 5: 0.505, 10: 0.01, 15: 0.01}),
    (S.linear_decay(2.0, 4, final_fraction=0.5), {0: 2.0, 2: 1.5, 4: 1.0, 8: 1.0}),
    # schedule(t)·min(1, (t + 1)/steps) with steps = 4
    (S.warmup(S.constant(1.0), 4), {0: 0.25, 1: 0.5, 3: 1.0, 10: 1.0}),
    (S.warmup(S.exponential(1.0, 0.5), 2), {0: 0.5, 1: 0.5, 2: 0.25}),
])
def test_values(schedule, expected):
    for t, value in expected.items():
        assert schedule(t) == pytest.approx(value, rel=1e-12, abs=1e-15), (schedule.__name__, t)


def test_names():
    assert S.constant(0.1).__name__ == "constant(0.1)"
    assert S.exponential(0.1, 0.9).__name__ == "exponential(0.1, 0.9)"
    assert S.warmup(S.constant(1.0), 4).__name__ == "warmup(constant(1), 4)"
    assert S.inverse_sqrt(0.1, 0.5).__name__ == "inverse_sqrt(0.1, 0.5)"


@pytest.mark.parametrize(("make", "match"), [
    (lambda: S.constant(0.0), "lr"),
    (lambda: S.constant(-0.1), "lr"),
    (lambda: S.constant(math.nan), "lr"),
    (lambda: S.step_decay(-1.0, 0.5, 10), "lr"),
    (lambda: S.step_decay(1.0, 0.0, 10), "factor"),
    (lambda: S.step_decay(1.0, 1.5, 10), "factor"),
    (lambda: S.step_decay(1.0, 0.5, 0), "every"),
    (lambda: S.exponential(0.0, 0.9), "lr"),
    (lambda: S.exponential(0.1, 0.0), "gamma"),
    (lambda: S.exponential(0.1, 1.1), "gamma"),
    (lambda: S.inverse_time(0.1, 0.0), "decay"),
    (lambda: S.inverse_time(-0.1, 1.0), "lr"),
    (lambda: S.inverse_sqrt(0.1, 0.0), "decay"),
    (lambda: S.inverse_sqrt(0.0, 1.0), "lr"),
    (lambda: S.cosine(0.1, 0), "total"),
    (lambda: S.cosine(-0.1, 10), "lr"),
    (lambda: S.linear_decay(0.1, -5), "total"),
    (lambda: S.linear_decay(0.0, 5), "lr"),
    (lambda: S.warmup(S.constant(0.1), 0), "steps"),
])
def test_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_sgd_uses_lr_at_the_number_of_steps_already_taken():
    # f = ½x² (H = 1), so x ← (1 − ε_t)·x. With ε_t = 0.5·0.5^t (step_decay every step):
    # ε_0 = 0.5: 8 → 4;  ε_1 = 0.25: 4 → 3;  ε_2 = 0.125: 3 → 2.625.
    # (Had the optimizer used t + 1, the first step would give 8·0.75 = 6.)
    f = optlib.quadratic([[1.0]])
    traj = optlib.run(optlib.SGD(lr=S.step_decay(0.5, 0.5, 1)), f, [8.0], 3)
    np.testing.assert_allclose(traj.xs[:, 0], [8.0, 4.0, 3.0, 2.625], rtol=1e-15)


def test_warmup_in_an_optimizer():
    # ε_t = 1·min(1, (t + 1)/2): 0.5, 1, 1, ... on f = ½x²: 8 → 4 → 0 → 0
    f = optlib.quadratic([[1.0]])
    traj = optlib.run(optlib.SGD(lr=S.warmup(S.constant(1.0), 2)), f, [8.0], 3)
    np.testing.assert_array_equal(traj.xs[:, 0], [8.0, 4.0, 0.0, 0.0])


def test_momentum_with_a_schedule_by_hand():
    # f = ½x², v ← αv − ε_t·x, x ← x + v with α = 0.5 and ε_t = 0.5/(1 + t):
    # t = 0: v = -0.5·4 = -2, x = 2;  t = 1: v = -1 − 0.25·2 = -1.5, x = 0.5
    f = optlib.quadratic([[1.0]])
    traj = optlib.run(optlib.Momentum(lr=S.inverse_time(0.5, 1.0), momentum=0.5), f, [4.0], 2)
    np.testing.assert_allclose(traj.xs[:, 0], [4.0, 2.0, 0.5], rtol=1e-15)


def test_schedule_with_array_constants_runs_a_batch():
    # The module promises arrays in, arrays out; one call then runs several schedules.
    lr = np.array([[0.5], [0.25]])
    sched = S.exponential(lr, 0.5)
    np.testing.assert_array_equal(sched(1), [[0.25], [0.125]])
    assert "array(2, 1)" in sched.__name__
    f = optlib.quadratic([[1.0]])
    traj = optlib.run(optlib.SGD(lr=sched), f, [8.0], 2)
    assert traj.xs.shape == (3, 2, 1)
    # row 0: 8 → 8·(1 − 0.5) = 4 → 4·(1 − 0.25) = 3; row 1: 8 → 6 → 6·(1 − 0.125) = 5.25
    np.testing.assert_allclose(traj.xs[:, :, 0], [[8.0, 8.0], [4.0, 6.0], [3.0, 5.25]],
                               rtol=1e-15)

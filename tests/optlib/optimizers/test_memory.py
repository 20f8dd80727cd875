"""Optimizer.state_floats: the memory an optimizer keeps, counted from its own state."""

import pytest

import optlib

M, N = 300, 200


@pytest.mark.parametrize(("cls", "expected"), [
    (optlib.SGD, 0), (optlib.SignSGD, 0),
    (optlib.Momentum, M * N), (optlib.Lion, M * N), (optlib.Muon, M * N),
    (optlib.ScheduleFreeSGD, M * N + 2),        # z (y is θ itself), Σw and max ε
    (optlib.Adam, 2 * M * N), (optlib.AdamW, 2 * M * N), (optlib.RAdam, 2 * M * N),
    (optlib.Adamax, 2 * M * N), (optlib.ScheduleFreeAdamW, 2 * M * N + 2),
    (optlib.NAdam, 2 * M * N + 1),              # plus μ₁⋯μ_t, one number
    (optlib.AMSGrad, 3 * M * N),
    (optlib.Adafactor, M + N),                  # one number per row and per column
])
def test_state_floats_per_matrix_parameter(cls, expected):
    opt = cls(lr=0.01)
    assert opt.state_floats((M, N)) == expected


def test_adafactor_keeps_the_full_second_moment_of_a_vector():
    assert optlib.Adafactor().state_floats((500,)) == 500

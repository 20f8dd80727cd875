"""optlib.Adafactor (torch.optim.Adafactor): factored second moment R C/mean(R) for matrices,
full for vectors; relative step max(δ2, RMS θ)·min(ε, 1/√t); update clipped to RMS ≤ d.
Agreement with torch: test_torch_after_adam.py."""

import numpy as np
import pytest

import optlib


def constant_grad(g):
    return lambda x: np.broadcast_to(g, x.shape).copy()


def test_first_step_on_a_rank_one_square_is_the_sign():
    # g = u vᵀ: g⊙g = (u⊙u)(v⊙v)ᵀ has rank one, so the factored estimate is exact at t = 1
    # (β̂ = 1 − 1^c = 0): ŝ = g⊙g, u = g/|g| = sign(g), RMS(u) = 1 ≤ d, and the step is
    # max(δ2, RMS θ0)·min(ε, 1)·sign(g).
    g = np.outer([1.0, -2.0, 0.5], [3.0, -1.0])
    x0 = np.full((3, 2), 2.0)          # RMS θ0 = 2
    opt = optlib.Adafactor(lr=0.1)
    x1, state = opt.step(x0, constant_grad(g), opt.init(x0))
    np.testing.assert_allclose(x1, x0 - 2.0 * 0.1 * np.sign(g), rtol=1e-14)
    assert state.row.shape == (3, 1) and state.col.shape == (1, 2)
    np.testing.assert_allclose(state.row[:, 0], (g * g).mean(axis=1), rtol=1e-15)
    np.testing.assert_allclose(state.col[0], (g * g).mean(axis=0), rtol=1e-15)


def test_vector_keeps_the_full_second_moment_and_the_step_is_relative():
    # a vector: s = g⊙g at t = 1; θ0 tiny, so δ2 = 1e-3 sets the step size
    opt = optlib.Adafactor(lr=0.5)
    x0 = np.array([1e-6, -1e-6])
    x1, state = opt.step(x0, constant_grad(np.array([4.0, -0.5])), opt.init(x0))
    assert type(state).__name__ == "AdafactorVectorState"
    np.testing.assert_allclose(x1, x0 - 1e-3 * 0.5 * np.array([1.0, -1.0]), rtol=1e-12)


def test_relative_step_is_capped_by_one_over_root_t_and_clipping_by_d():
    # with ε = 10 the cap 1/√t decides; a non-rank-one g⊙g gives RMS(u) > 1 and d clips it
    g = np.array([[1.0, 0.01], [0.01, 1.0]])
    x0 = np.ones((2, 2))
    opt = optlib.Adafactor(lr=10.0, d=1.0)
    x1, _ = opt.step(x0, constant_grad(g), opt.init(x0))
    step = x0 - x1
    assert np.sqrt(np.mean(step**2)) == pytest.approx(1.0, rel=1e-12)   # RMS θ0 · 1/√1 · 1


def test_a_batch_of_one_row_matrices_is_the_vector_form():
    f = optlib.ellipse()
    starts = np.array([[-5.0, -2.0], [1.0, 3.0]])
    rows = optlib.run(optlib.Adafactor(lr=0.1), f, starts[:, None, :], 40).xs[:, :, 0]
    for k in range(2):
        vector = optlib.run(optlib.Adafactor(lr=0.1), f, starts[k], 40).xs
        np.testing.assert_allclose(rows[:, k], vector, rtol=1e-12)


def test_batched_settings_must_not_vary_inside_the_matrix():
    with pytest.raises(ValueError, match=r"lr has shape \(3, 1\).*\(K, 1, 1\)"):
        optlib.run(optlib.Adafactor(lr=np.array([[0.1], [0.2], [0.3]])), optlib.ellipse(),
                   np.zeros((3, 2)), 2)


def test_eps1_none_is_machine_epsilon_and_must_be_a_number():
    assert optlib.Adafactor().eps1 is None
    with pytest.raises(TypeError, match="eps1"):
        optlib.Adafactor(eps1=np.array([1e-6, 1e-5]))
    with pytest.raises(ValueError, match="eps1=-1.0"):
        optlib.Adafactor(eps1=-1.0)

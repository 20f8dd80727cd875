"""optlib.AsMatrix: a flat group of θ stepped as a matrix."""

import numpy as np
import pytest

import optlib
from optlib.optimizers import newton_schulz


def test_muon_on_a_flat_group_equals_muon_on_the_matrix():
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 4))
    target = rng.standard_normal((3, 4))

    def grad_matrix(w):
        return w - target

    def grad_flat(x):
        return x - target.ravel()

    muon = optlib.Muon(lr=0.05)
    direct = optlib.run(muon, optlib.Objective(lambda w: 0.0 * w[..., 0, 0], grad_matrix), w0, 5)
    wrapped = optlib.run(optlib.AsMatrix(muon, (3, 4)),
                         optlib.Objective(lambda x: 0.0 * x[..., 0], grad_flat), w0.ravel(), 5)
    np.testing.assert_array_equal(wrapped.x, direct.x.ravel())


def test_first_step_is_the_orthogonalised_gradient():
    g = np.array([[3.0, 0.0], [0.0, 1.0]])
    opt = optlib.AsMatrix(optlib.Muon(lr=0.1, weight_decay=0.0, nesterov=False, momentum=0.0),
                          (2, 2))
    x, _ = opt.step(np.zeros(4), lambda x: g.ravel(), opt.init(np.zeros(4)))
    np.testing.assert_allclose(x, -0.1 * newton_schulz(g).ravel())
    # the singular values 3 and 1 of g both come out near 1: the two diagonal moves differ
    # by far less than the factor 3 between the gradient's entries
    assert 0.5 < x[0] / x[3] < 2.0


def test_batch_of_settings_inside_a_partition():
    mlp = optlib.nn.MLP([4, 3, 2])
    rng = np.random.default_rng(1)
    data = optlib.nn.Classification(mlp, rng.standard_normal((12, 4)), rng.integers(0, 2, 12))
    first = np.arange(mlp.offsets[0], mlp.offsets[0] + 4 * 3)  # W1, row-major
    rest = np.setdiff1d(np.arange(mlp.size), first)
    lrs = np.array([0.01, 0.1])
    batched = optlib.Partition(
        {"W1": optlib.AsMatrix(optlib.Muon(lr=lrs[:, None, None]), (4, 3)),
         "rest": optlib.AdamW(lr=lrs[:, None])}, {"W1": first, "rest": rest})
    theta0 = mlp.init(seed=0)
    run = optlib.run(batched, data.loss(), theta0, 3)
    assert run.x.shape == (2, mlp.size)
    for k, lr in enumerate(lrs):
        alone = optlib.Partition({"W1": optlib.AsMatrix(optlib.Muon(lr=lr), (4, 3)),
                                  "rest": optlib.AdamW(lr=lr)}, {"W1": first, "rest": rest})
        np.testing.assert_array_equal(optlib.run(alone, data.loss(), theta0, 3).x, run.x[k])


def test_bad_input():
    with pytest.raises(TypeError, match="opt must be an optlib Optimizer"):
        optlib.AsMatrix("Muon", (2, 2))
    with pytest.raises(ValueError, match="shape must be two positive integers"):
        optlib.AsMatrix(optlib.Muon(), (2, 0))
    with pytest.raises(ValueError, match="an axis of 6 = 2 × 3"):
        optlib.AsMatrix(optlib.Muon(), (2, 3)).init(np.zeros(5))


def test_state_floats_count_the_matrix_state():
    # Adafactor on a 6 x 4 matrix keeps 6 + 4 numbers, also when the matrix arrives flat
    assert optlib.AsMatrix(optlib.Adafactor(), (6, 4)).state_floats((24,)) == 10

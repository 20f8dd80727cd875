"""optlib.SignSGD: θ ← θ − ε·sign(g) (optax.sign_sgd); the limit of Adam with β1 = β2 = δ = 0."""

import numpy as np

import optlib


def test_every_coordinate_moves_by_exactly_lr():
    f = optlib.ellipse()
    traj = optlib.run(optlib.SignSGD(lr=0.25), f, [-5.0, -2.0], 4)
    np.testing.assert_array_equal(traj.xs[1:, 0], [-4.75, -4.5, -4.25, -4.0])
    np.testing.assert_array_equal(traj.xs[1:, 1], [-1.75, -1.5, -1.25, -1.0])


def test_adam_with_no_memory_and_no_delta_is_sign_descent():
    # v̂ = g and √ŝ = √(g²) = |g| exactly in floating point, so the iterates agree bit for bit
    f = optlib.rosenbrock()
    sign = optlib.run(optlib.SignSGD(lr=0.01), f, [-1.5, 2.0], 100).xs
    adam = optlib.run(optlib.Adam(lr=0.01, beta1=0.0, beta2=0.0, eps=0.0), f, [-1.5, 2.0],
                      100).xs
    np.testing.assert_array_equal(adam, sign)


def test_a_zero_gradient_does_not_move():
    opt = optlib.SignSGD(lr=1.0)
    x, _ = opt.step(np.array([0.0, 3.0]), lambda x: np.array([0.0, -2.0]), opt.init(np.zeros(2)))
    np.testing.assert_array_equal(x, [0.0, 4.0])

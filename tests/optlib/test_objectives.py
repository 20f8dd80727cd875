"""optlib.objectives: values, analytic gradients against finite differences, known minima."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import optlib

coords = st.floats(-2.0, 2.0, allow_nan=False)
point2 = st.tuples(coords, coords).map(np.array)

OBJECTIVES = {
    "ellipse": optlib.ellipse(),
    "ellipse(0.5, 3)": optlib.ellipse(0.5, 3.0),
    "rotated_ellipse": optlib.rotated_ellipse(),
    "rotated_ellipse(30)": optlib.rotated_ellipse(30.0),
    "quadratic": optlib.quadratic([[3.0, 1.0], [1.0, 2.0]], b=[1.0, -1.0]),
    "rosenbrock": optlib.rosenbrock(),
    "rosenbrock(2, 10)": optlib.rosenbrock(2.0, 10.0),
    "saddle": optlib.saddle(),
    "beale": optlib.beale(),
}


@pytest.mark.parametrize("name", OBJECTIVES)
@given(x=point2)
def test_gradient_matches_numerical_gradient(name, x):
    f = OBJECTIVES[name]
    numeric = optlib.numerical_gradient(f, x)
    scale = max(1.0, abs(float(f(x))))  # finite-difference rounding grows with |f|
    np.testing.assert_allclose(f.grad(x), numeric, rtol=1e-6, atol=1e-7 * scale)


@pytest.mark.parametrize("name", OBJECTIVES)
def test_batched_values_and_gradients(name):
    f = OBJECTIVES[name]
    x = np.random.default_rng(0).uniform(-2, 2, (3, 4, 2))
    assert f.value(x).shape == (3, 4)
    assert f.grad(x).shape == (3, 4, 2)
    assert f.value(x)[1, 2] == pytest.approx(float(f.value(x[1, 2])), rel=1e-14)
    np.testing.assert_allclose(f.grad(x)[2, 3], f.grad(x[2, 3]), rtol=1e-14)
    np.testing.assert_allclose(f.grad(x), optlib.numerical_gradient(f, x), rtol=1e-5, atol=1e-5)


def test_values_by_hand():
    assert optlib.ellipse()([-5.0, -2.0]) == pytest.approx(10.5)  # 0.1·25 + 2·4
    assert optlib.rosenbrock()([0.0, 0.0]) == pytest.approx(1.0)  # (1 − 0)² + 100·0
    assert optlib.rosenbrock()([-1.0, 2.0]) == pytest.approx(4.0 + 100.0)  # 2² + 100·(2 − 1)²
    assert optlib.saddle()([1.0, 2.0]) == pytest.approx(1.0 - 4.0)
    # Beale at (0, 0): 1.5² + 2.25² + 2.625² = 14.203125
    assert optlib.beale()([0.0, 0.0]) == pytest.approx(14.203125)
    # ½xᵀHx − bᵀx with H = [[3, 1], [1, 2]], b = (1, −1), x = (1, 1): ½·7 − 0 = 3.5
    assert OBJECTIVES["quadratic"]([1.0, 1.0]) == pytest.approx(3.5)


@pytest.mark.parametrize("name", OBJECTIVES)
def test_known_minimum_has_zero_gradient(name):
    f = OBJECTIVES[name]
    assert f.minimum is not None
    np.testing.assert_allclose(f.grad(f.minimum), 0.0, atol=1e-12)
    assert f.min_value == pytest.approx(float(f(f.minimum)), abs=1e-12)


def test_known_minima_by_hand():
    np.testing.assert_array_equal(optlib.rosenbrock(2.0, 10.0).minimum, [2.0, 4.0])  # (a, a²)
    np.testing.assert_array_equal(optlib.beale().minimum, [3.0, 0.5])
    np.testing.assert_array_equal(optlib.saddle().minimum, [0.0, 0.0])
    assert optlib.saddle().info["critical_point"] == "saddle"
    # H⁻¹b for H = [[3, 1], [1, 2]], b = (1, −1): det 5, H⁻¹ = [[2, −1], [−1, 3]]/5 → (3, −4)/5
    np.testing.assert_allclose(OBJECTIVES["quadratic"].minimum, [0.6, -0.8], rtol=1e-14)
    assert OBJECTIVES["quadratic"].min_value == pytest.approx(-0.5 * (0.6 + 0.8))


def test_minima_are_minima():
    rng = np.random.default_rng(1)
    for name in ("ellipse", "rotated_ellipse", "quadratic", "rosenbrock", "beale"):
        f = OBJECTIVES[name]
        nearby = f.minimum + 1e-3 * rng.standard_normal((50, 2))
        assert np.all(f.value(nearby) > f.min_value), name
    # the saddle is not: f goes down along x2
    assert optlib.saddle()([0.0, 1e-3]) < 0


def test_quadratic_properties():
    f = optlib.ellipse()
    np.testing.assert_allclose(f.hessian, np.diag([0.2, 4.0]))
    np.testing.assert_allclose(f.eigenvalues, [0.2, 4.0])
    assert f.condition_number == pytest.approx(20.0)
    r = optlib.rotated_ellipse(45.0)
    np.testing.assert_allclose(r.eigenvalues, [0.2, 4.0], rtol=1e-12)
    # turned by 45°, H = R·diag(0.2, 4)·Rᵀ is no longer diagonal: H12 = cos·sin·(0.2 − 4) = −1.9
    assert r.hessian[0, 1] == pytest.approx(-1.9, rel=1e-12)
    assert optlib.saddle().condition_number is None
    assert optlib.rosenbrock().eigenvalues is None and optlib.rosenbrock().condition_number is None


def test_indefinite_quadratic_has_no_minimum():
    f = optlib.quadratic([[1.0, 0.0], [0.0, -1.0]])
    assert f.minimum is None and f.min_value is None


@pytest.mark.parametrize(("H", "b", "match"), [
    ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], None, "square"),
    ([1.0, 2.0], None, "square"),
    ([[1.0, 2.0], [0.0, 1.0]], None, "symmetric"),
    ([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0, 3.0], "b must have shape"),
])
def test_quadratic_validation(H, b, match):
    with pytest.raises(ValueError, match=match):
        optlib.quadratic(H, b)


def test_quadratic_keeps_its_own_copy():
    H = np.array([[2.0, 0.0], [0.0, 4.0]])
    f = optlib.quadratic(H)
    H[0, 0] = 100.0
    assert f([1.0, 0.0]) == pytest.approx(1.0)


def test_float32_points_give_float32_values_and_gradients():
    x = np.float32([[1.0, 2.0]])
    for name in ("ellipse", "rotated_ellipse", "quadratic", "rosenbrock", "beale"):
        f = OBJECTIVES[name]
        assert f.grad(x).dtype == np.float32, name
        assert f.value(x).dtype == np.float32, name


def test_numerical_gradient_by_hand():
    # f(x) = x1²·x2 has ∇f = (2·x1·x2, x1²); at (3, −2): (−12, 9)
    def f(x):
        return x[..., 0] ** 2 * x[..., 1]

    np.testing.assert_allclose(optlib.numerical_gradient(f, [3.0, -2.0]), [-12.0, 9.0],
                               rtol=1e-8)
    batch = optlib.numerical_gradient(f, np.array([[3.0, -2.0], [1.0, 1.0]]))
    np.testing.assert_allclose(batch, [[-12.0, 9.0], [2.0, 1.0]], rtol=1e-8)


def test_numerical_hessian_of_a_quadratic_is_its_matrix_and_is_batched():
    H = np.array([[2.0, 0.5], [0.5, 0.3]])
    f = optlib.quadratic(H)
    points = np.random.default_rng(1).normal(size=(4, 3, 2))
    expected = np.broadcast_to(H, (4, 3, 2, 2))
    np.testing.assert_allclose(optlib.numerical_hessian(f, points), expected, atol=1e-8)




def test_numerical_hessian_of_rosenbrock_at_its_minimum():
    # ∇²f(1, 1) = [[802, -400], [-400, 200]] for a = 1, b = 100 (by hand)
    got = optlib.numerical_hessian(optlib.rosenbrock(), [1.0, 1.0])
    np.testing.assert_allclose(got, [[802.0, -400.0], [-400.0, 200.0]], rtol=1e-6)


def test_numerical_hessian_rejects_a_bad_step():
    with pytest.raises(ValueError, match="h must be positive"):
        optlib.numerical_hessian(optlib.ellipse(), [1.0, 1.0], h=0.0)


def test_noisy_gradient_is_unbiased_with_the_given_spread_and_leaves_values_exact():
    f = optlib.ellipse()
    noisy = optlib.with_noisy_gradient(f, sigma=0.5, seed=3)
    x = np.broadcast_to([1.0, -2.0], (20000, 2))
    g = noisy.grad(x)
    np.testing.assert_allclose(g.mean(axis=0), f.grad(np.array([1.0, -2.0])), atol=0.02)
    np.testing.assert_allclose(g.std(axis=0), [0.5, 0.5], rtol=0.02)
    np.testing.assert_array_equal(noisy.value(x[:3]), f.value(x[:3]))
    assert noisy.min_value == f.min_value and "noisy" in noisy.name


def test_noisy_gradient_is_reproducible_from_its_seed():
    a = optlib.with_noisy_gradient(optlib.ellipse(), 1.0, seed=7)
    b = optlib.with_noisy_gradient(optlib.ellipse(), 1.0, seed=7)
    np.testing.assert_array_equal(a.grad(np.ones(2)), b.grad(np.ones(2)))


@pytest.mark.parametrize("sigma", [-1.0, np.nan, np.inf])
def test_noisy_gradient_rejects_a_bad_sigma(sigma):
    with pytest.raises(ValueError, match="sigma must be"):
        optlib.with_noisy_gradient(optlib.ellipse(), sigma)


def test_noisy_gradient_takes_one_sigma_per_run():
    # σ of shape (3, 1) broadcasts against x of shape (3, n, 2): one noise level per row
    f = optlib.ellipse()
    sigma = np.array([[0.0], [0.5], [2.0]])
    noisy = optlib.with_noisy_gradient(f, sigma[:, :, None], seed=1)
    x = np.broadcast_to([1.0, -2.0], (3, 20000, 2))
    g = noisy.grad(x)
    np.testing.assert_array_equal(g[0], f.grad(x[0]))
    np.testing.assert_allclose(g[1:].std(axis=1), [[0.5, 0.5], [2.0, 2.0]], rtol=0.02)
    with pytest.raises(ValueError, match="sigma must be"):
        optlib.with_noisy_gradient(f, np.array([0.5, -1.0]))

"""optlib.nn: layout, initialisation, gradient, batching, agreement with PyTorch, checks."""

import json
from pathlib import Path

import numpy as np
import pytest

import optlib
from optlib.nn import MLP, Classification

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "torch_mlp.npz"


def problem(sizes, activation, n=11, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    return MLP(sizes, activation), X, y


def test_layout_is_layer_by_layer_weights_row_major_then_bias():
    mlp = MLP([3, 2, 4])
    theta = np.arange(mlp.size, dtype=float)
    (W1, b1), (W2, b2) = mlp.unflatten(theta)
    assert mlp.size == 3 * 2 + 2 + 2 * 4 + 4
    np.testing.assert_array_equal(W1, [[0, 1], [2, 3], [4, 5]])
    np.testing.assert_array_equal(b1, [6, 7])
    np.testing.assert_array_equal(W2, np.arange(8, 16).reshape(2, 4))
    np.testing.assert_array_equal(b2, [16, 17, 18, 19])
    np.testing.assert_array_equal(mlp.flatten(mlp.unflatten(theta)), theta)
    batch = np.arange(3 * mlp.size, dtype=float).reshape(3, mlp.size)
    np.testing.assert_array_equal(mlp.flatten(mlp.unflatten(batch)), batch)
    np.testing.assert_array_equal(mlp.weight_mask(), [1] * 6 + [0] * 2 + [1] * 8 + [0] * 4)
    groups = mlp.groups()
    np.testing.assert_array_equal(groups["biases"], [6, 7, 16, 17, 18, 19])
    assert len(groups["weights"]) + len(groups["biases"]) == mlp.size


def test_init_scales():
    he = MLP([400, 300, 10]).init(seed=1)
    (W1, b1), (W2, _) = MLP([400, 300, 10]).unflatten(he)
    assert W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert W2.std() == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    assert not b1.any()
    xav = MLP([400, 300, 10], "tanh")
    (W1, _), _ = xav.unflatten(xav.init(seed=1))
    assert W1.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    (W1, _), _ = xav.unflatten(xav.init(seed=1, gain=0.1))
    assert W1.std() == pytest.approx(0.1 * np.sqrt(2 / 700), rel=0.02)
    (W1, _), _ = xav.unflatten(xav.init(seed=1, std=0.01))
    assert W1.std() == pytest.approx(0.01, rel=0.02)
    stacked = xav.init(seed=[1, 2])
    np.testing.assert_array_equal(stacked[0], xav.init(seed=1))
    assert stacked.shape == (2, xav.size) and xav.init(dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("seed", range(4))
def test_gradient_matches_central_differences(activation, seed):
    rng = np.random.default_rng(100 + seed)
    depth = rng.integers(1, 4)
    sizes = [int(s) for s in rng.integers(1, 7, depth + 1)] + [int(rng.integers(2, 5))]
    mlp, X, y = problem(sizes, activation, n=int(rng.integers(1, 9)), seed=seed)
    f = mlp.objective(X, y, weight_decay=float(rng.choice([0.0, 0.3])))
    theta = mlp.init(seed) + 0.1 * rng.standard_normal(mlp.size)  # non-zero biases too
    np.testing.assert_allclose(f.grad(theta), optlib.numerical_gradient(f, theta),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_batched_networks_equal_separate_runs(activation):
    mlp, X, y = problem([5, 6, 4, 3], activation, n=17)
    f = mlp.objective(X, y, weight_decay=0.1)
    thetas = np.random.default_rng(3).standard_normal((2, 3, mlp.size))
    values, grads = f.value(thetas), f.grad(thetas)
    assert values.shape == (2, 3) and grads.shape == (2, 3, mlp.size)
    for i in range(2):
        for j in range(3):
            np.testing.assert_allclose(values[i, j], f.value(thetas[i, j]), rtol=1e-14, atol=0)
            np.testing.assert_allclose(grads[i, j], f.grad(thetas[i, j]), rtol=1e-13,
                                       atol=1e-15)


def test_per_run_rows_broadcast_against_the_batch():
    mlp, X, y = problem([4, 5, 3], "relu", n=30)
    data = Classification(mlp, X, y)
    rows = np.random.default_rng(1).integers(0, 30, (2, 1, 8))  # one row set per seed
    thetas = np.random.default_rng(2).standard_normal((2, 3, mlp.size))
    g = data.loss(rows).grad(thetas)
    for s in range(2):
        for k in range(3):
            np.testing.assert_allclose(g[s, k], data.loss(rows[s, 0]).grad(thetas[s, k]),
                                       rtol=1e-13, atol=1e-15)


def test_an_array_of_weight_decays_is_one_per_network():
    mlp, X, y = problem([4, 5, 3], "tanh")
    lams = np.array([[0.0], [0.1], [1.0]])
    theta = np.random.default_rng(0).standard_normal((3, mlp.size))
    batched = mlp.objective(X, y, weight_decay=lams)
    for k in range(3):
        alone = mlp.objective(X, y, weight_decay=float(lams[k, 0]))
        assert batched.value(theta)[k] == pytest.approx(alone.value(theta[k]), rel=1e-14)
        np.testing.assert_allclose(batched.grad(theta)[k], alone.grad(theta[k]), rtol=1e-14)


def test_value_by_hand_and_predictions():
    mlp = MLP([2, 3])  # one linear layer: logits = X W + b
    W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]])
    b = np.array([0.0, -1.0, 0.5])
    theta = mlp.flatten([(W, b)])
    X = np.array([[1.0, 2.0], [-1.0, 0.0]])
    y = np.array([2, 0])
    z = X @ W + b
    by_hand = np.mean([np.log(np.exp(z[i]).sum()) - z[i, y[i]] for i in range(2)])
    assert mlp.objective(X, y).value(theta) == pytest.approx(by_hand, rel=1e-14)
    np.testing.assert_array_equal(mlp.predict(theta, X), np.argmax(z, axis=1))
    assert mlp.accuracy(theta, X, y) == pytest.approx(np.mean(np.argmax(z, 1) == y))


def test_large_logits_do_not_overflow():
    mlp = MLP([1, 2])
    theta = mlp.flatten([(np.array([[1000.0, -1000.0]]), np.zeros(2))])
    f = mlp.objective(np.array([[1.0]]), np.array([1]))
    assert f.value(theta) == pytest.approx(2000.0)
    assert np.all(np.isfinite(f.grad(theta)))


def test_float32_is_kept():
    mlp, X, y = problem([4, 3, 2], "tanh")
    f = mlp.objective(X, y)
    theta = mlp.init(0, dtype=np.float32)
    assert f.grad(theta).dtype == np.float32 and f.value(theta).dtype == np.float32


def test_agrees_with_pytorch_fixture():
    with np.load(FIXTURE, allow_pickle=False) as data:
        manifest = json.loads(str(data["manifest"]))
        for name, case in manifest["cases"].items():
            mlp = MLP(case["sizes"], case["activation"])
            f = mlp.objective(data[f"{name}/X"], data[f"{name}/y"], case["weight_decay"])
            theta = data[f"{name}/theta"]
            assert f.value(theta) == pytest.approx(float(data[f"{name}/loss"]), rel=1e-13)
            np.testing.assert_allclose(f.grad(theta), data[f"{name}/grad"], rtol=1e-11,
                                       atol=1e-14)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda m, X, y: m.objective(X[:, :3], y), ValueError, "X must have shape"),
    (lambda m, X, y: m.objective(X[:0], y[:0]), ValueError, "empty"),
    (lambda m, X, y: m.objective(np.where(X > 1, np.nan, X), y), ValueError, "NaN"),
    (lambda m, X, y: m.objective(X, np.where(y == 0, 3, y)), ValueError, "label 3"),
    (lambda m, X, y: m.objective(X, y - 5), ValueError, "outside 0..2"),
    (lambda m, X, y: m.objective(X, y[:-1]), ValueError, "y must have shape"),
    (lambda m, X, y: m.objective(X, y + 0.5), TypeError, "integer class labels"),
    (lambda m, X, y: m.objective(X, y, weight_decay=-1), ValueError, "weight_decay"),
    (lambda m, X, y: m.objective(X, y).grad(np.zeros(5)), ValueError, "theta must have shape"),
    (lambda m, X, y: m.unflatten(np.zeros((2, 3))), ValueError, "theta must have shape"),
    (lambda m, X, y: m.flatten([(np.zeros((4, 5)), np.zeros(5))]), ValueError, "layers"),
    (lambda m, X, y: m.init(scheme="lecun"), ValueError, "scheme"),
    (lambda m, X, y: m.init(gain=-1.0), ValueError, "gain"),
    (lambda m, X, y: MLP([4]), ValueError, "sizes"),
    (lambda m, X, y: MLP([4, 0, 3]), ValueError, "sizes"),
    (lambda m, X, y: MLP([4, 3], activation="sigmoid"), ValueError, "activation"),
])
def test_bad_input_is_refused_clearly(call, error, match):
    mlp, X, y = problem([4, 5, 3], "relu")
    with pytest.raises(error, match=match):
        call(mlp, X, y)


def test_layer_norms():
    mlp = MLP([2, 2, 1])
    theta = mlp.flatten([(np.full((2, 2), 1.0), np.full(2, 9.0)), (np.full((2, 1), 2.0), [9.0])])
    np.testing.assert_allclose(mlp.layer_norms(theta), [2.0, np.sqrt(8.0)])
    assert mlp.layer_norms(np.stack([theta, theta])).shape == (2, 2)


def test_train_learns_the_digits_and_seeds_give_their_own_order():
    split = optlib.datasets.digits_split()
    mlp = MLP([64, 16, 10])
    data = Classification(mlp, split.X_train, split.y_train)
    theta0 = mlp.init(seed=[0, 1])[:, None, :]  # two seeds × one learning rate
    hist = optlib.train(optlib.SGD(lr=np.array([[0.1]])), data, theta0, epochs=3,
                        batch_size=50, seed=[0, 1], record_every=9,
                        metrics={"test": lambda w: mlp.accuracy(w, split.X_test, split.y_test)})
    assert hist.step_loss.shape == (10, 2, 1) and hist.metrics["test"].shape == (4, 2, 1)
    np.testing.assert_array_equal(hist.recorded_steps, np.arange(10) * 9)
    assert np.all(hist.epoch_loss[-1] < 0.5 * hist.epoch_loss[0])
    assert np.all(hist.metrics["test"][-1] > 0.75)  # chance is 0.1
    for s in range(2):  # the same as a run with that seed alone
        alone = optlib.train(optlib.SGD(lr=0.1), data, mlp.init(s), epochs=3, batch_size=50,
                             seed=s)
        np.testing.assert_allclose(hist.w[s, 0], alone.w, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(hist.epoch_loss[:, s, 0], alone.epoch_loss, rtol=1e-10)


def test_train_validates_seeds_and_record_every():
    mlp, X, y = problem([4, 3], "relu")
    data = Classification(mlp, X, y)
    with pytest.raises(ValueError, match="first batch axis"):
        optlib.train(optlib.SGD(lr=0.1), data, mlp.init(0), seed=[0, 1], batch_size=2)
    with pytest.raises(ValueError, match="record_every"):
        optlib.train(optlib.SGD(lr=0.1), data, mlp.init(0), record_every=0, batch_size=2)
    with pytest.raises(ValueError, match="seed"):
        optlib.train(optlib.SGD(lr=0.1), data, mlp.init(0), seed=[], batch_size=2)

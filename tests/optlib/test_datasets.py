"""optlib.datasets: the vendored digits and their fixed, standardised split."""

from pathlib import Path

import numpy as np
import pytest

import optlib


def test_digits_are_the_uci_images():
    X, y = optlib.datasets.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    np.testing.assert_array_equal(np.unique(y), np.arange(10))
    assert np.bincount(y).min() >= 170  # about 180 images per class
    assert (Path(optlib.datasets.__file__).parent / "LICENSE-digits.txt").exists()


def test_split_is_fixed_disjoint_and_standardised_on_train_only():
    a, b = optlib.datasets.digits_split(), optlib.datasets.digits_split()
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert a.X_train.shape == (1350, 64) and a.X_test.shape == (447, 64)
    raw, labels = optlib.datasets.load_digits()
    train_raw = a.X_train * a.std + a.mean
    test_raw = a.X_test * a.std + a.mean
    np.testing.assert_allclose(np.sort(np.concatenate([train_raw, test_raw]), axis=0),
                               np.sort(raw, axis=0), atol=1e-12)
    np.testing.assert_allclose(a.X_train.mean(axis=0), 0, atol=1e-12)
    varying = raw[:, :].std(axis=0) > 0
    assert np.all(np.abs(a.X_train.std(axis=0)[a.std != 1] - 1) < 1e-12)
    assert varying.sum() > 55
    # the test statistics were not used: its mean is not exactly zero
    assert np.abs(a.X_test.mean(axis=0)).max() > 1e-3
    c = optlib.datasets.digits_split(seed=1)
    assert not np.array_equal(a.y_test, c.y_test)
    with pytest.raises(ValueError, match="n_test"):
        optlib.datasets.digits_split(n_test=0)

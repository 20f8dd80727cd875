"""Small real data sets shipped with optlib (nothing is downloaded).

``digits.npz`` holds the 8×8 handwritten digits of the UCI "Optical Recognition of Handwritten
Digits" data (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0, see ``LICENSE-digits.txt``), as
scikit-learn ships them: 1,797 images, intensities 0..16, labels 0..9. The file (about 45 kB)
was written by ``make_digits.py`` in this folder, which can reproduce it; vendoring it keeps
scikit-learn and scipy (tens of megabytes) out of the book's requirements.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..optimizers.base import Array

HERE = Path(__file__).resolve().parent


def load_digits() -> tuple[Array, Array]:
    """The raw digits: images ``(1797, 64)`` as float64 in 0..16, labels ``(1797,)`` as int64."""
    with np.load(HERE / "digits.npz", allow_pickle=False) as data:
        return data["images"].astype(np.float64), data["labels"].astype(np.int64)


@dataclass(frozen=True)
class Split:
    """A fixed train/test split, standardised with the training statistics only.

    Attributes:
        X_train, y_train, X_test, y_test: the two parts (inputs standardised).
        mean, std: the per-pixel statistics of the raw training images that were used
            (pixels that are constant in the training set keep std 1).
    """

    X_train: Array
    y_train: Array
    X_test: Array
    y_test: Array
    mean: Array
    std: Array


def digits_split(n_test: int = 447, seed: int = 0) -> Split:
    """The digits split into training and test sets, the same for every call with one seed.

    The test set takes ``n_test`` images drawn at random (a seeded permutation of the 1,797);
    each pixel is shifted and scaled by the mean and standard deviation over the training
    images only, so nothing about the test set leaks into training.
    """
    X, y = load_digits()
    if not isinstance(n_test, (int, np.integer)) or not 1 <= n_test < len(y):
        raise ValueError(f"n_test must be an integer in [1, {len(y) - 1}], got {n_test!r}")
    order = np.random.default_rng(seed).permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    mean = X[train].mean(axis=0)
    std = X[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return Split(X_train=(X[train] - mean) / std, y_train=y[train],
                 X_test=(X[test] - mean) / std, y_test=y[test], mean=mean, std=std)

"""Regenerate ``optlib/datasets/digits.npz`` from scikit-learn's copy of the UCI digits.

This script is not part of optlib at run time (optlib needs numpy only) and is never imported
by it. It documents, and can reproduce, where the vendored file comes from. Run it from the
repository root in a throw-away virtual environment::

    python3 -m venv /tmp/skvenv
    /tmp/skvenv/bin/pip install scikit-learn numpy
    /tmp/skvenv/bin/python optlib/datasets/make_digits.py

Source: the test part of "Optical Recognition of Handwritten Digits" (E. Alpaydin and
C. Kaynak, UCI Machine Learning Repository, 1998, doi:10.24432/C50P49), licensed CC BY 4.0,
as shipped by scikit-learn (``sklearn.datasets.load_digits``): 1,797 images of 8×8 pixels
with integer intensities 0..16, labels 0..9. The images are stored unchanged, as uint8, in
scikit-learn's order; the file is a few tens of kilobytes (compressed), where scikit-learn
with scipy would add tens of megabytes to the book's install.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent / "digits.npz"


def main() -> None:
    digits = load_digits()
    images = digits.data.astype(np.uint8)
    if not np.array_equal(images, digits.data):
        raise SystemExit("the pixel values are not integers in 0..255")
    labels = digits.target.astype(np.uint8)
    np.savez_compressed(OUT, images=images, labels=labels,
                        source=np.array(f"scikit-learn {sklearn.__version__} load_digits"))
    print(f"wrote {OUT}: images {images.shape}, labels {labels.shape}, "
          f"{OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""Numbers for the prose: computed in the notebook, glued, shown with the ``{glue}`` role."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np


def plain(value: Any) -> int | float | str:
    """``value`` as a plain Python ``int``, ``float`` or ``str``.

    A numpy scalar would print as ``np.float64(0.5)`` in the text; booleans become the words
    ``"True"``/``"False"``. Anything else that is not a real number is refused by name.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise TypeError(f"glue needs one number, got an array of shape {value.shape}")
        value = value.item()
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            raise ValueError("glue got NaN: the text would print 'nan'")
        return number
    raise TypeError(f"glue needs a number or a string, got {type(value).__name__}: {value!r}")


def glue_numbers(**values: Any) -> None:
    """Glue each ``name=value`` for the text, as a plain number and without displaying it.

    ``glue_numbers(steps=46, rate=0.87)`` lets the prose write ``{glue}`steps``` and
    ``{glue:.2f}`rate```.
    """
    from myst_nb import glue

    for name, value in values.items():
        try:
            glue(name, plain(value), display=False)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{name}: {error}") from None


def mean_spread(values: Any, fmt: str = ".3g") -> str:
    """``"m ± s"``: the mean and the standard deviation over runs (seeds), for the prose.

    ``values`` are one number per run; ``fmt`` formats both (``mean_spread([0.96, 0.97], ".3f")``
    gives ``"0.965 ± 0.005"``).
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size < 2:
        raise ValueError(f"a spread needs at least two runs, got {values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"values must be finite, got {values.tolist()}")
    return f"{values.mean():{fmt}} ± {values.std():{fmt}}"

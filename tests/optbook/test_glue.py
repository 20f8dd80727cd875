"""optbook.glue: numbers for the prose arrive as plain Python values, bad ones are refused."""

import numpy as np
import pytest

from optbook.glue import glue_numbers, plain


@pytest.mark.parametrize(("value", "expected", "kind"), [
    (np.int64(46), 46, int), (np.float64(0.25), 0.25, float), (np.float32(0.5), 0.5, float),
    (np.array(3), 3, int), (np.array([2.5]), 2.5, float), (7, 7, int), ("AdamW", "AdamW", str),
    (np.bool_(True), "True", str), (False, "False", str),
])
def test_plain_turns_numpy_scalars_into_python_values(value, expected, kind):
    out = plain(value)
    assert out == expected and type(out) is kind


@pytest.mark.parametrize(("value", "error", "match"), [
    (np.array([1.0, 2.0]), TypeError, "one number"), (None, TypeError, "NoneType"),
    ([1.0], TypeError, "list"), (np.nan, ValueError, "NaN"),
])
def test_plain_refuses_what_is_not_one_number(value, error, match):
    with pytest.raises(error, match=match):
        plain(value)


def test_glue_numbers_names_the_value_it_refuses():
    with pytest.raises(ValueError, match="best_lr: glue got NaN"):
        glue_numbers(best_lr=float("nan"))


def test_mean_spread_formats_mean_and_standard_deviation():
    from optbook.glue import mean_spread

    assert mean_spread([0.96, 0.97], ".3f") == "0.965 ± 0.005"
    assert mean_spread(np.array([[1.0, 3.0]])) == "2 ± 1"
    with pytest.raises(ValueError, match="at least two runs"):
        mean_spread([1.0])
    with pytest.raises(ValueError, match="finite"):
        mean_spread([1.0, np.nan])

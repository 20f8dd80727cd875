"""optbook.reference: the one loader of the torch reference fixture (chapter 11 and the tests)."""

from __future__ import annotations

import numpy as np
import pytest

from optbook.reference import (
    FIXTURE,
    max_relative_error,
    objective_for,
    relative_errors,
    torch_reference,
)


def test_loader_returns_every_case_with_its_iterates():
    ref = torch_reference()
    assert len(ref.cases) == len(ref.manifest["cases"]) > 0
    assert set(ref.xs) == set(ref.cases)
    case = ref.cases["sgd-ellipse-1"]
    assert ref.xs["sgd-ellipse-1"].shape == (case["steps"] + 1, 2)
    np.testing.assert_array_equal(ref.xs["sgd-ellipse-1"][0], case["x0"])


def test_objective_of_a_case_is_the_formula_of_its_spec():
    ref = torch_reference()
    # the ellipse 0.1·x1² + 2·x2² at (−5, −2): 2.5 + 8
    assert ref.objective("sgd-ellipse-1")([-5.0, -2.0]) == pytest.approx(10.5)
    assert ref.objective(ref.cases["adam-rosenbrock-1"])([1.0, 1.0]) == 0.0
    with pytest.raises(ValueError, match="case"):
        ref.objective("no-such-case")


def test_objective_for_each_kind_of_spec():
    assert objective_for({"name": "ellipse", "a": 1.0, "b": 3.0})([1.0, 1.0]) == pytest.approx(4.0)
    assert objective_for({"name": "rosenbrock", "a": 1.0, "b": 100.0})([0.0, 0.0]) == 1.0
    quad = objective_for({"name": "quadratic", "H": [[2.0, 0.0], [0.0, 4.0]], "b": [2.0, 4.0]})
    np.testing.assert_allclose(quad.grad(np.array([1.0, 1.0])), [0.0, 0.0], atol=1e-15)
    assert objective_for({"name": "beale"})([3.0, 0.5]) == pytest.approx(0.0, abs=1e-15)


def test_objective_for_rejects_bad_specs():
    with pytest.raises(ValueError, match="spec\\['name'\\]"):
        objective_for({"name": "himmelblau"})
    with pytest.raises(TypeError, match="spec"):
        objective_for("ellipse")


def test_relative_errors_are_norm_based_and_per_step():
    ref = np.array([[3.0, 4.0], [0.0, 0.0]])
    got = ref + np.array([[0.0, 5e-10], [0.0, 5e-11]])
    # step 0: 5e-10 / |(3, 4)| = 1e-10; step 1: absolute near the origin
    np.testing.assert_allclose(relative_errors(got, ref), [1e-10, 5e-11])
    assert max_relative_error(got, ref) == pytest.approx(1e-10)
    with pytest.raises(ValueError, match="same shape"):
        relative_errors(np.zeros((3, 2)), np.zeros((4, 2)))


def test_missing_fixture_is_reported_with_its_path(tmp_path):
    missing = tmp_path / "none.npz"
    with pytest.raises(FileNotFoundError, match="none.npz"):
        torch_reference(missing)
    assert FIXTURE.name == "torch_reference.npz"

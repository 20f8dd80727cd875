"""The torch.optim reference trajectories stored with the book, read with numpy alone.

``tests/fixtures/make_torch_reference.py`` ran ``torch.optim`` (float64, CPU, autograd
gradients) and saved ``tests/fixtures/torch_reference.npz``: a JSON manifest and one array of
iterates per case. Chapter 11 and ``tests/optlib/test_torch_agreement.py`` both read it through
this module, so the objectives and the error measure exist once:

- :func:`torch_reference` loads the file into a :class:`TorchReference`;
- :func:`objective_for` turns a manifest objective spec into the matching ``optlib`` objective;
- :func:`relative_errors` is the agreement measure, per step
  ``‖x_t − x_ref,t‖ / max(1, ‖x_ref,t‖)``, and :func:`max_relative_error` its worst step.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

import optlib

#: Where the fixture lives in a checkout of the book's repository.
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "torch_reference.npz"


class TorchReference(NamedTuple):
    """The fixture's manifest, its cases by name and the iterates torch computed for each."""

    manifest: dict[str, Any]
    cases: dict[str, dict[str, Any]]
    xs: dict[str, np.ndarray]

    def objective(self, case: Mapping[str, Any] | str) -> optlib.Objective:
        """The optlib objective of ``case`` (a case of :attr:`cases`, or its name)."""
        if isinstance(case, str):
            if case not in self.cases:
                raise ValueError(f"case must be one of the fixture's case names, got {case!r}")
            case = self.cases[case]
        return objective_for(self.manifest["objectives"][case["objective"]])


def torch_reference(path: str | Path | None = None) -> TorchReference:
    """Load the reference trajectories (an ``.npz`` written by ``make_torch_reference.py``).

    ``path`` defaults to the repository's ``tests/fixtures/torch_reference.npz``.
    """
    path = FIXTURE if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no torch reference fixture at {path}; it ships with the book's repository "
            "(tests/fixtures/torch_reference.npz), not with the installed package")
    with np.load(path, allow_pickle=False) as data:
        manifest = json.loads(str(data["manifest"]))
        xs = {case["name"]: data[case["key"]] for case in manifest["cases"]}
    cases = {case["name"]: case for case in manifest["cases"]}
    return TorchReference(manifest=manifest, cases=cases, xs=xs)


def objective_for(spec: Mapping[str, Any]) -> optlib.Objective:
    """The optlib objective (numpy value and gradient) that a manifest spec describes.

    ``spec["name"]`` is ``"ellipse"`` (with ``a``, ``b``: ``a·x1² + b·x2²``), ``"rosenbrock"``
    (``a``, ``b``), ``"quadratic"`` (``H``, ``b``: ``½xᵀHx − bᵀx``) or ``"beale"``.
    """
    if not isinstance(spec, Mapping) or "name" not in spec:
        raise TypeError(f"spec must be a mapping with a 'name', got {spec!r}")
    name = spec["name"]
    if name == "ellipse":
        return optlib.ellipse(a=spec["a"], b=spec["b"])
    if name == "rosenbrock":
        return optlib.rosenbrock(a=spec["a"], b=spec["b"])
    if name == "quadratic":
        return optlib.quadratic(spec["H"], spec["b"])
    if name == "beale":
        return optlib.beale()
    raise ValueError(
        f"spec['name'] must be 'ellipse', 'rosenbrock', 'quadratic' or 'beale', got {name!r}")


def relative_errors(xs: Any, ref: Any) -> np.ndarray:
    """Per step, ``‖x_t − x_ref,t‖ / max(1, ‖x_ref,t‖)`` (norms over the last axis).

    Relative for large iterates, absolute near the origin; the torch agreement tests ask
    for at most 1e-10 at every step.
    """
    xs, ref = np.asarray(xs, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if xs.shape != ref.shape:
        raise ValueError(f"xs and ref must have the same shape, got {xs.shape} and {ref.shape}")
    return (np.linalg.norm(xs - ref, axis=-1)
            / np.maximum(1.0, np.linalg.norm(ref, axis=-1)))


def max_relative_error(xs: Any, ref: Any) -> float:
    """The worst step of :func:`relative_errors`: one number per comparison of two runs."""
    return float(relative_errors(xs, ref).max())

"""Shared set-up for the tests of optlib.

* matplotlib draws headless (Agg), chosen before anything imports pyplot;
* hypothesis runs a modest number of examples without deadlines (the suite must stay fast on a
  2-core machine, and timing of numpy calls is too noisy for deadlines);
* ``case``: a test that takes an argument named ``case`` runs once per optimizer in
  :data:`CASES` -- the seven update rules of the notes, AdamW, and the frameworks' forms in
  ``optlib.conventions`` -- each with a valid setting and a range for every hyper-parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

import optlib  # noqa: E402
from optlib import conventions  # noqa: E402

settings.register_profile(
    "optlib", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("optlib")


@dataclass(frozen=True)
class Case:
    """One optimizer under test.

    ``kwargs`` is a valid setting that converges on the ellipse from (-5, -2);
    ``ranges`` gives, for every hyper-parameter, an interval of valid values to draw from;
    ``extra`` holds constructor arguments that are not hyper-parameters (``nesterov``).
    """

    id: str
    cls: type
    kwargs: dict[str, float]
    ranges: dict[str, tuple[float, float]]
    extra: dict[str, Any] = field(default_factory=dict)

    def make(self, **overrides: Any) -> optlib.Optimizer:
        return self.cls(**{**self.kwargs, **self.extra, **overrides})

    @property
    def names(self) -> list[str]:
        """The hyper-parameters, in the order of ``kwargs``."""
        return list(self.kwargs)

    @staticmethod
    def kind(name: str) -> str:
        """``"rate"`` (ε ≥ 0), ``"decay"`` (in [0, 1)) or ``"small"`` (δ ≥ 0)."""
        return KIND[name]


LR = (0.01, 0.2)
DECAY = (0.0, 0.99)
SMALL = (1e-8, 1e-2)

CASES = [
    Case("SGD", optlib.SGD, {"lr": 0.1}, {"lr": LR}),
    Case("Momentum", optlib.Momentum, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}),
    Case("Nesterov", optlib.Nesterov, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}),
    Case("AdaGrad", optlib.AdaGrad, {"lr": 0.5, "eps": 1e-7, "initial_accumulator": 0.1},
         {"lr": (0.05, 1.0), "eps": SMALL, "initial_accumulator": (0.0, 1.0)}),
    Case("RMSProp", optlib.RMSProp, {"lr": 0.1, "rho": 0.9, "eps": 1e-6},
         {"lr": LR, "rho": DECAY, "eps": SMALL}),
    Case("AdaDelta", optlib.AdaDelta, {"rho": 0.9, "eps": 1e-6, "lr": 1.0},
         {"rho": DECAY, "eps": SMALL, "lr": (0.1, 2.0)}),
    Case("Adam", optlib.Adam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL}),
    Case("AdamW", optlib.AdamW,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL, "weight_decay": (0.0, 0.5)}),
    Case("TorchSGD", conventions.TorchSGD, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}),
    Case("TorchSGD-nesterov", conventions.TorchSGD, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}, extra={"nesterov": True}),
    Case("TorchRMSprop", conventions.TorchRMSprop, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
         {"lr": LR, "alpha": DECAY, "eps": SMALL}),
    Case("KerasAdam", conventions.KerasAdam,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "epsilon": SMALL}),
]

#: What each hyper-parameter is, by name; decides which invalid values a test tries.
KIND = {"lr": "rate", "momentum": "decay", "rho": "decay", "alpha": "decay", "beta1": "decay",
        "beta2": "decay", "eps": "small", "epsilon": "small", "initial_accumulator": "small",
        "weight_decay": "rate"}

#: Invalid values per kind: a negative or NaN rate; a decay of 1 or more, negative or NaN;
#: a negative or NaN small constant.
INVALID = {
    "rate": [-0.1, -1.0, math.nan],
    "decay": [1.0, -0.1, math.nan, 1.5],
    "small": [-1e-8, -0.1, math.nan],
}


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES, ids=[c.id for c in CASES])
    if "case_param" in metafunc.fixturenames:
        pairs = [(c, name) for c in CASES for name in c.names]
        metafunc.parametrize("case_param", pairs, ids=[f"{c.id}-{n}" for c, n in pairs])
    if "case_invalid" in metafunc.fixturenames:
        triples = [(c, n, v) for c in CASES for n in c.names for v in INVALID[KIND[n]]]
        metafunc.parametrize("case_invalid", triples,
                             ids=[f"{c.id}-{n}={v!r}" for c, n, v in triples])

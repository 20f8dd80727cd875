"""Shared set-up for the tests of optlib.

* matplotlib draws headless (Agg), chosen before anything imports pyplot;
* hypothesis runs a modest number of examples without deadlines (the suite must stay fast on a
  2-core machine, and timing of numpy calls is too noisy for deadlines);
* ``case``: a test that takes an argument named ``case`` runs once per optimizer in
  :data:`CASES` -- the seven update rules of the notes, AdamW, the optimizers after Adam
  (part V, including the matrix optimizers Adafactor and Muon) and the frameworks' forms in
  ``optlib.frameworks`` -- each with a valid setting and a range for every hyper-parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

import optlib  # noqa: E402
from optlib import frameworks  # noqa: E402

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
    ``extra`` holds constructor arguments that are not hyper-parameters (``nesterov``);
    ``matrix``: the optimizer treats the last two axes of a point as one matrix, so its
    tests use points of shape ``MATRIX_POINT`` (rows of ellipse points) and batches of
    settings of shape ``(K, 1, 1)``.
    """

    id: str
    cls: type
    kwargs: dict[str, float]
    ranges: dict[str, tuple[float, float]]
    extra: dict[str, Any] = field(default_factory=dict)
    matrix: bool = False

    def make(self, **overrides: Any) -> optlib.Optimizer:
        return self.cls(**{**self.kwargs, **self.extra, **overrides})

    @property
    def names(self) -> list[str]:
        """The hyper-parameters, in the order of ``kwargs``."""
        return list(self.kwargs)

    @property
    def point(self) -> tuple[int, ...]:
        """The shape of one point: (2,) on the ellipse, ``MATRIX_POINT`` for a matrix."""
        return MATRIX_POINT if self.matrix else (2,)

    def batch(self, values: Any) -> Any:
        """K settings as an array that runs them side by side: (K, 1) or (K, 1, 1)."""
        values = np.asarray(values, dtype=np.float64)
        return values.reshape(-1, *(1,) * len(self.point))


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
    Case("AdaDelta", optlib.AdaDelta, {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
         {"lr": (0.1, 2.0), "rho": DECAY, "eps": SMALL}),
    Case("Adam", optlib.Adam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL}),
    Case("AdamW", optlib.AdamW,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL, "weight_decay": (0.0, 0.5)}),
    Case("AMSGrad", optlib.AMSGrad, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL}),
    Case("NAdam", optlib.NAdam,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL, "momentum_decay": (0.0, 0.1)}),
    Case("RAdam", optlib.RAdam, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL}),
    Case("Adamax", optlib.Adamax, {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "eps": SMALL}),
    Case("SignSGD", optlib.SignSGD, {"lr": 0.1}, {"lr": LR}),
    Case("Lion", optlib.Lion, {"lr": 0.05, "beta1": 0.9, "beta2": 0.99, "weight_decay": 1e-3},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "weight_decay": (0.0, 0.5)}),
    Case("ScheduleFreeSGD", optlib.ScheduleFreeSGD,
         {"lr": 0.1, "beta1": 0.9, "weight_decay": 0.0, "weight_lr_power": 2.0},
         {"lr": LR, "beta1": (0.05, 1.0), "weight_decay": (0.0, 0.5),
          "weight_lr_power": (0.0, 4.0)}),
    Case("ScheduleFreeAdamW", optlib.ScheduleFreeAdamW,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
          "weight_lr_power": 2.0},
         {"lr": LR, "beta1": (0.05, 1.0), "beta2": DECAY, "eps": SMALL,
          "weight_decay": (0.0, 0.5), "weight_lr_power": (0.0, 4.0)}),
    Case("Adafactor", optlib.Adafactor,
         {"lr": 0.1, "beta2_decay": -0.8, "eps2": 1e-3, "d": 1.0, "weight_decay": 0.0},
         {"lr": LR, "beta2_decay": (-1.0, 0.0), "eps2": SMALL, "d": (1.0, 5.0),
          "weight_decay": (0.0, 0.5)}, matrix=True),
    Case("Muon", optlib.Muon, {"lr": 0.05, "weight_decay": 0.1, "momentum": 0.95, "eps": 1e-7},
         {"lr": LR, "weight_decay": (0.0, 0.5), "momentum": DECAY, "eps": SMALL}, matrix=True),
    Case("Muon-plain", optlib.Muon, {"lr": 0.05, "weight_decay": 0.0, "momentum": 0.9,
                                     "eps": 1e-7},
         {"lr": LR, "weight_decay": (0.0, 0.5), "momentum": DECAY, "eps": SMALL},
         extra={"nesterov": False, "adjust_lr_fn": "match_rms_adamw"}, matrix=True),
    Case("TorchSGD", frameworks.TorchSGD, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}),
    Case("TorchSGD-nesterov", frameworks.TorchSGD, {"lr": 0.1, "momentum": 0.5},
         {"lr": LR, "momentum": DECAY}, extra={"nesterov": True}),
    Case("TorchRMSprop", frameworks.TorchRMSprop, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
         {"lr": LR, "alpha": DECAY, "eps": SMALL}),
    Case("KerasAdam", frameworks.KerasAdam,
         {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-7},
         {"lr": LR, "beta1": DECAY, "beta2": DECAY, "epsilon": SMALL}),
]

#: One point of a matrix optimizer in the contract tests: three rows of ellipse points.
MATRIX_POINT = (3, 2)


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES, ids=[c.id for c in CASES])
    if "case_param" in metafunc.fixturenames:
        pairs = [(c, name) for c in CASES for name in c.names]
        metafunc.parametrize("case_param", pairs, ids=[f"{c.id}-{n}" for c, n in pairs])

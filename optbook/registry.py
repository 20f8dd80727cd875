"""The book's one table of methods and problems.

Names and aliases of the methods, the values their sliders start at, and the 2-D problems the
explorer and the kernel-free figures offer, each with its usual starting point. The live
explorer (``optbook.explorer``), the kernel-free figures (:mod:`optbook.webfig`) and the
cheat sheet read them from here, and :func:`optbook.figures.use_book_style` hands the
colours to :mod:`optlib.plotting`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from optlib import objectives as _objectives
from optlib.objectives import Objective
from optlib.optimizers import ALL
from optlib.optimizers.base import Optimizer


@dataclass(frozen=True)
class Problem:
    """An objective the explorer offers, with a starting point and how to show its loss."""

    make: Callable[[], Objective]
    start: tuple[float, float]
    #: Plot ``f − f*`` on a log scale (True) or ``f`` itself on a symmetric log scale
    #: (False, for functions that are unbounded below, such as the saddle).
    log_loss: bool = True


PROBLEMS: dict[str, Problem] = {
    "ellipse": Problem(_objectives.ellipse, (-5.0, -2.0)),
    "rotated ellipse": Problem(_objectives.rotated_ellipse, (-5.0, -1.0)),
    "Rosenbrock": Problem(_objectives.rosenbrock, (-1.5, 2.0)),
    "saddle": Problem(_objectives.saddle, (-1.8, 0.05), log_loss=False),
    "Beale": Problem(_objectives.beale, (1.0, 1.4)),
}

#: Values the sliders start at, where the class itself has no default (or a poor one for
#: a 2-D toy problem); everything else starts at the class's default.
START_VALUES: dict[str, dict[str, float]] = {
    "SGD": {"lr": 0.4},
    "Momentum": {"lr": 0.1, "momentum": 0.5},
    "Nesterov": {"lr": 0.1, "momentum": 0.5},
    "AdaGrad": {"lr": 0.4},
    "RMSProp": {"lr": 0.1},
    "AdaDelta": {"lr": 1.0},
    "Adam": {"lr": 0.1},
    "AdamW": {"lr": 0.1},
    "AMSGrad": {"lr": 0.1},
    "NAdam": {"lr": 0.1},
    "RAdam": {"lr": 0.1},
    "Adamax": {"lr": 0.1},
    "SignSGD": {"lr": 0.05},
    "Lion": {"lr": 0.05},
    "ScheduleFreeSGD": {"lr": 0.1},
    "ScheduleFreeAdamW": {"lr": 0.1},
}

#: One colour per method, fixed across the book so a reader learns them.
COLORS: dict[str, str] = {
    "GD": "#1f77b4", "SGD": "#1f77b4", "Momentum": "#d62728", "Nesterov": "#9467bd",
    "AdaGrad": "#2ca02c", "RMSProp": "#ff7f0e", "AdaDelta": "#8c564b", "Adam": "#e377c2",
    "AdamW": "#17becf", "AMSGrad": "#7f7f7f", "NAdam": "#bcbd22", "RAdam": "#393b79",
    "Adamax": "#ad494a", "SignSGD": "#637939", "Lion": "#e6550d", "ScheduleFreeSGD": "#3182bd",
    "ScheduleFreeAdamW": "#843c39", "Adafactor": "#6b6ecf", "Muon": "#31a354",
}

#: Names accepted for the methods besides the class names.
ALIASES = {"GD": "SGD", "NAG": "Nesterov"}

METHODS: dict[str, type[Optimizer]] = {cls.__name__: cls for cls in ALL}


def method_name(method: str | type[Optimizer]) -> str:
    """The registry's name for a method given as a class, a class name or an alias.

    >>> method_name("NAG")
    'Nesterov'
    """
    name = method.__name__ if isinstance(method, type) else str(method)
    name = ALIASES.get(name, name)
    if name not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {sorted(METHODS)}")
    return name

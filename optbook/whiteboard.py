"""The first steps of an optimizer as a table, the way one works them on a whiteboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from optlib.objectives import Objective
from optlib.optimizers.base import Optimizer, as_point
from optlib.run import iterate


def _fmt(value: Any, digits: int) -> str:
    arr = np.atleast_1d(np.asarray(value, dtype=np.float64))
    inner = ", ".join(f"{v:.{digits}g}" for v in arr.ravel())
    return f"({inner})" if arr.size > 1 else inner


@dataclass(frozen=True)
class Whiteboard:
    """Rows of ``t, θ_t, g_t, state fields after step t, step θ_{t} − θ_{t−1}, f(θ_t)``."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str

    def to_markdown(self) -> str:
        head = "| " + " | ".join(self.columns) + " |"
        rule = "|" + "|".join("---" for _ in self.columns) + "|"
        body = ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join([head, rule, *body])

    def _repr_markdown_(self) -> str:
        return f"**{self.title}**\n\n" + self.to_markdown()

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{c}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
                       for row in self.rows)
        return (f"<table class='whiteboard'><caption>{self.title}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def __str__(self) -> str:
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in self.rows]
        return "\n".join([self.title, *lines])


def whiteboard(opt: Optimizer, objective: Objective, x0: Any, steps: int = 3,
               digits: int = 4) -> Whiteboard:
    """Tabulate the first ``steps`` steps of ``opt`` from ``x0``.

    Each row t ≥ 1 shows the gradient g used at step t (at the iterate θ_{t−1};
    Nesterov's look-ahead gradient is evaluated separately by the optimizer), the
    state after the step, the step taken θ_t − θ_{t−1}, and f(θ_t). Row 0 is the start.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    pairs = iterate(opt, objective.grad, as_point(x0), steps)
    fields = [name for name in pairs[0][1]._fields if name != "t"]
    columns = ("t", "θ_t", "g at θ_{t−1}", *(f"{name}_t" for name in fields),
               "θ_t − θ_{t−1}", "f(θ_t)")
    rows = []
    for t, (x, state) in enumerate(pairs):
        if t == 0:
            g = step = "—"
        else:
            prev = pairs[t - 1][0]
            g = _fmt(objective.grad(prev), digits)
            step = _fmt(x - prev, digits)
        rows.append((str(t), _fmt(x, digits), g,
                     *(_fmt(getattr(state, name), digits) for name in fields),
                     step, _fmt(objective.value(x), digits)))
    return Whiteboard(columns=columns, rows=tuple(rows),
                      title=f"First {steps} steps of {opt!r} on {objective.name}")

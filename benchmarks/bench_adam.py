"""One Adam step on 10^7 float32 parameters: optlib.Adam against torch.optim.Adam.

optlib's side is the very ``Adam.step`` the book shows (no second implementation);
torch's side is ``torch.optim.Adam(foreach=True)`` on the CPU, timed only when torch
can be imported (otherwise the script says so and times optlib alone).

Run from the repository root (torch lives in a separate venv, see benchmarks/README.md)::

    PYTHONPATH=. /tmp/torchvenv/bin/python benchmarks/bench_adam.py
    .venv/bin/python benchmarks/bench_adam.py            # optlib only, no torch

Options: ``--n`` parameters (default 10**7), ``--repeats`` timed steps (default 21),
``--warmup`` untimed steps (default 2), ``--torch-threads`` (default: torch's own choice).

Besides the timings the script

* audits the dtypes inside ``Adam.step``: it traces the step on a small float32 problem
  and lists the dtype of every array that the step's frame holds at every line, plus the
  results. Elementwise numpy promotion never goes back from float64 to float32, so if
  every named intermediate and the results are float32, no unnamed sub-expression was
  float64 either;
* measures the memory the step allocates (numpy reports its buffers to tracemalloc),
  in units of one parameter array, which counts the live temporaries at the peak;
* times one ``a + b`` on two arrays of n float32 as a unit of memory traffic, so the step
  can be read as "k elementwise passes";
* checks that optlib and torch end at the same point after the same steps.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

import optlib

LR, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8


def audit_dtypes(n: int = 1000) -> dict[str, set[str]]:
    """dtype of every array-valued local of ``Adam.step`` (and of its results), float32 in."""
    opt = optlib.Adam(lr=LR, beta1=BETA1, beta2=BETA2, eps=EPS)
    rng = np.random.default_rng(1)
    x = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    state = opt.init(x)
    x, state = opt.step(x, lambda _: g, state)  # t = 1 -> 2, so nothing is a first step
    seen: dict[str, set[str]] = {}
    code = type(opt).step.__code__

    def record(name: str, value: Any) -> None:
        if isinstance(value, (np.ndarray, np.generic)):
            seen.setdefault(name, set()).add(str(value.dtype))

    def tracer(frame, event, arg):
        if frame.f_code is not code:
            return None

        def local(frame, event, arg):
            for name, value in frame.f_locals.items():
                record(name, value)
            if event == "return":
                x_new, new_state = arg
                record("<returned x>", x_new)
                for field, value in new_state._asdict().items():
                    record(f"<returned state.{field}>", value)
            return local

        return local

    sys.settrace(tracer)
    try:
        opt.step(x, lambda _: g, state)
    finally:
        sys.settrace(None)
    return seen


def allocated_arrays(n: int) -> float:
    """Peak memory allocated during one step, in units of one float32 parameter array."""
    opt = optlib.Adam(lr=LR, beta1=BETA1, beta2=BETA2, eps=EPS)
    x = np.ones(n, dtype=np.float32)
    g = np.full(n, 0.1, dtype=np.float32)
    state = opt.init(x)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = opt.step(x, lambda _: g, state)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return (peak - base) / x.nbytes


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int, warmup: int
                ) -> dict[str, list[float]]:
    """Times in ms of each function, run in turn (a, b, c, a, b, c, ...) so that a change
    of the machine's load hits all of them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1e3)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--torch-threads", type=int, default=None)
    args = parser.parse_args()
    n, repeats, warmup = args.n, args.repeats, args.warmup

    print(f"Adam step, n = {n:,} float32 parameters; median of {repeats} steps "
          f"after {warmup} warm-up steps, optlib and torch interleaved")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")

    # -- dtype audit and memory ------------------------------------------------------------
    seen = audit_dtypes()
    bad = {name: dtypes for name, dtypes in seen.items() if dtypes != {"float32"}}
    print("dtype audit of Adam.step:", ", ".join(f"{k}={'/'.join(sorted(v))}"
                                                  for k, v in seen.items()))
    print("  every array in the step is float32" if not bad else f"  NOT float32: {bad}")
    print(f"memory allocated by one step: {allocated_arrays(min(n, 10**6)):.1f} arrays of n "
          f"float32 at the peak (the 3 results included)")

    # -- the contenders ---------------------------------------------------------------------
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal(n, dtype=np.float32)
    g = (0.1 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32)
    a, b = x0.copy(), g.copy()

    opt = optlib.Adam(lr=LR, beta1=BETA1, beta2=BETA2, eps=EPS)
    box = {"x": x0.copy(), "state": opt.init(x0)}

    def grad_fn(_x: np.ndarray) -> np.ndarray:
        return g

    def optlib_step() -> None:
        box["x"], box["state"] = opt.step(box["x"], grad_fn, box["state"])

    fns: dict[str, Callable[[], Any]] = {"unit": lambda: a + b, "optlib": optlib_step}
    try:
        import torch
    except ImportError:
        torch = None
        print("torch is not importable here: skipping the comparison "
              "(run with /tmp/torchvenv/bin/python, see benchmarks/README.md)")
    if torch is not None:
        if args.torch_threads is not None:
            torch.set_num_threads(args.torch_threads)
        param = torch.nn.Parameter(torch.from_numpy(x0.copy()))
        param.grad = torch.from_numpy(g.copy())
        topt = torch.optim.Adam([param], lr=LR, betas=(BETA1, BETA2), eps=EPS, foreach=True)
        fns["torch"] = topt.step

    times = interleaved(fns, repeats, warmup)
    med = {name: statistics.median(t) for name, t in times.items()}
    labels = {"unit": "one `a + b` (unit)", "optlib": "optlib.Adam.step",
              "torch": "torch.optim.Adam(foreach)"}
    for name, t in times.items():
        extra = ""
        if name == "torch":
            extra = f"; torch {torch.__version__}, {torch.get_num_threads()} threads"
        print(f"{labels[name]:26s} median {med[name]:8.2f} ms  (min {min(t):7.2f}, "
              f"max {max(t):7.2f}) = {med[name] / med['unit']:4.1f} units{extra}")
    if torch is None:
        return

    ratio = med["optlib"] / med["torch"]
    paired = statistics.median(o / t for o, t in zip(times["optlib"], times["torch"],
                                                     strict=True))
    verdict = "within" if ratio <= 3 else "NOT within"
    print(f"ratio optlib/torch = {ratio:.2f} (median of paired ratios {paired:.2f}); "
          f"{verdict} the 3x target")

    # Both ran the same number of steps from the same x0 with the same constant gradient.
    diff = np.abs(box["x"] - param.detach().numpy()).max()
    moved = np.abs(box["x"] - x0).max()
    print(f"after {repeats + warmup} steps each: max |x_optlib - x_torch| = {diff:.2e} "
          f"(largest move {moved:.2e})")
    if not diff <= 1e-3 * moved:
        raise SystemExit("optlib and torch disagree: the benchmark is not comparing like "
                         "with like")


if __name__ == "__main__":
    main()

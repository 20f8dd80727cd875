"""Hyper-parameter sweeps: one batched ``optlib.run`` against a Python loop of single runs.

For every optimizer (optlib.ALL and the frameworks' forms in optlib.frameworks), 10,000
settings x 100 steps on the source notes' ellipse f(x) = 0.1·x1² + 2·x2² from (-5, -2):

* batched: the hyper-parameters are arrays of shape (10000, 1) (a 100 x 100 grid of the
  learning rate and the method's own constant, or a log grid of 10,000 learning rates for
  plain gradient descent), and one ``optlib.run`` call runs them all;
* loop: the same settings one by one, each a separate ``optlib.run`` with scalar
  hyper-parameters. Running all 10,000 would take minutes, so the loop is timed on a seeded
  random subset (200 settings by default) and extrapolated linearly to 10,000.

Before timing, the script checks that the batched run and the single runs give identical
iterates (``np.array_equal``) on the subset. Times are medians over several repetitions
(``time.perf_counter``). Targets: the whole batched sweep under 1 s, and at least 50 x faster
than the loop for every optimizer.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sweep.py            # defaults: --repeat 7 --subset 200
    .venv/bin/python benchmarks/bench_sweep.py --repeat 3 --subset 100
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import optlib  # noqa: E402
from optlib import frameworks  # noqa: E402

N_SIDE = 100              # grid side: N_SIDE**2 = 10,000 settings
N_SETTINGS = N_SIDE**2
STEPS = 100
X0 = np.array([-5.0, -2.0])
ELLIPSE = optlib.ellipse()
TARGET_TOTAL_S = 1.0
TARGET_SPEEDUP = 50.0


def grid(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All N_SIDE x N_SIDE pairs, each as a column of shape (10000, 1)."""
    aa, bb = np.meshgrid(a, b, indexing="ij")
    return aa.reshape(-1, 1), bb.reshape(-1, 1)


def sweeps() -> list[tuple[str, str, Callable[..., optlib.Optimizer], dict[str, np.ndarray]]]:
    """(name, description of the grid, constructor, hyper-parameter columns)."""
    lr_log = np.geomspace(1e-3, 0.6, N_SIDE)
    decay = np.linspace(0.0, 0.99, N_SIDE)
    out = []

    def add(name, desc, make, **columns):
        for value in columns.values():
            assert value.shape == (N_SETTINGS, 1)
        out.append((name, desc, make, columns))

    add("SGD", "lr: 10,000-pt log grid", optlib.SGD,
        lr=np.geomspace(1e-4, 0.6, N_SETTINGS)[:, None])
    lr, mom = grid(lr_log, decay)
    add("Momentum", "lr (log) x momentum", optlib.Momentum, lr=lr, momentum=mom)
    add("Nesterov", "lr (log) x momentum", optlib.Nesterov, lr=lr, momentum=mom)
    lr, r0 = grid(np.geomspace(1e-2, 3.0, N_SIDE), np.linspace(0.0, 1.0, N_SIDE))
    add("AdaGrad", "lr (log) x r0", optlib.AdaGrad, lr=lr, initial_accumulator=r0)
    lr, rho = grid(lr_log, decay)
    add("RMSProp", "lr (log) x rho", optlib.RMSProp, lr=lr, rho=rho)
    rho, eps = grid(decay, np.geomspace(1e-8, 1e-2, N_SIDE))
    add("AdaDelta", "rho x eps (log)", optlib.AdaDelta, rho=rho, eps=eps)
    lr, b1 = grid(lr_log, decay)
    add("Adam", "lr (log) x beta1", optlib.Adam, lr=lr, beta1=b1)
    lr, wd = grid(lr_log, np.geomspace(1e-4, 1.0, N_SIDE))
    add("AdamW", "lr (log) x weight_decay (log)", optlib.AdamW, lr=lr, weight_decay=wd)
    lr, mom = grid(lr_log, decay)
    add("TorchSGD", "lr (log) x momentum", frameworks.TorchSGD, lr=lr, momentum=mom)
    lr, alpha = grid(lr_log, decay)
    add("TorchRMSprop", "lr (log) x alpha", frameworks.TorchRMSprop, lr=lr, alpha=alpha)
    lr, b1 = grid(lr_log, decay)
    add("KerasAdam", "lr (log) x beta1", frameworks.KerasAdam, lr=lr, beta1=b1)
    return out


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and minimum wall-clock time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7,
                        help="repetitions of the batched run (median reported)")
    parser.add_argument("--loop-repeat", type=int, default=3,
                        help="repetitions of the loop over the subset (median reported)")
    parser.add_argument("--subset", type=int, default=200,
                        help="settings run one by one, then extrapolated to 10,000")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random subset")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    subset = np.sort(rng.choice(N_SETTINGS, size=args.subset, replace=False))
    scale = N_SETTINGS / args.subset

    print(f"optlib {optlib.__version__}, numpy {np.__version__}, Python {platform.python_version()}"
          f", {platform.machine()}, {os.cpu_count()} CPUs")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"load average at start (1, 5, 15 min): {load}")
    print(f"{N_SETTINGS:,} settings x {STEPS} steps per optimizer on the ellipse, from {X0}")
    print(f"batched: one optlib.run per optimizer, median of {args.repeat} runs")
    print(f"loop: {args.subset} random settings (seed {args.seed}) run one by one, median of "
          f"{args.loop_repeat} runs, extrapolated linearly x{scale:g} to {N_SETTINGS:,}")
    print()
    header = (f"{'optimizer':<13} {'grid':<32} {'batched':>9} {'(min)':>8} "
              f"{'loop/' + str(args.subset):>9} {'loop/10k extrap.':>17} {'speed-up':>9}")
    print(header)
    print("-" * len(header))

    total_batched = total_min = 0.0
    worst = np.inf
    table = sweeps()
    for name, desc, make, columns in table:
        opt = make(**columns)

        # correctness first: the batch equals the single runs, bit for bit
        batched = optlib.run(opt, ELLIPSE, X0, STEPS)
        singles = [make(**{k: float(v[i, 0]) for k, v in columns.items()}) for i in subset]
        for i, single in zip(subset, singles, strict=True):
            one = optlib.run(single, ELLIPSE, X0, STEPS)
            if not np.array_equal(batched.xs[:, i], one.xs, equal_nan=True):
                raise SystemExit(f"{name}: setting {i} differs between batch and loop")

        t_batch, t_min = timings(lambda opt=opt: optlib.run(opt, ELLIPSE, X0, STEPS), args.repeat)

        def loop(singles=singles):
            for single in singles:
                optlib.run(single, ELLIPSE, X0, STEPS)

        t_loop, _ = timings(loop, args.loop_repeat)
        t_loop_full = t_loop * scale
        speedup = t_loop_full / t_batch
        total_batched += t_batch
        total_min += t_min
        worst = min(worst, speedup)
        print(f"{name:<13} {desc:<32} {t_batch * 1e3:>7.1f}ms {t_min * 1e3:>6.1f}ms "
              f"{t_loop:>8.3f}s {t_loop_full:>16.1f}s {speedup:>8.0f}x")

    print("-" * len(header))
    ok_total = total_batched < TARGET_TOTAL_S
    ok_speed = worst >= TARGET_SPEEDUP
    verdict = "met" if ok_total else "MISSED"
    print(f"total batched sweep ({len(table)} optimizers x {N_SETTINGS:,} settings x {STEPS} "
          f"steps): {total_batched:.3f} s (sum of medians; sum of minima {total_min:.3f} s)  "
          f"[target < {TARGET_TOTAL_S:g} s: {verdict}]")
    print(f"smallest speed-up: {worst:.0f}x  [target >= {TARGET_SPEEDUP:g}x: "
          f"{'met' if ok_speed else 'MISSED'}]")
    print("(loop times for 10,000 settings are extrapolated from the subset, not measured)")
    return 0 if ok_total and ok_speed else 1


if __name__ == "__main__":
    raise SystemExit(main())

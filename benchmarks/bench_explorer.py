"""How long the live explorer takes to redraw after one slider change.

Builds ``optbook.explorer.explore`` with three methods on the ellipse (matplotlib's Agg
backend, no browser or kernel needed), then moves sliders programmatically, one change at a
time, exactly as a reader would: each assignment to a slider's ``value`` runs the explorer's
observer, which re-runs the methods and re-renders the figure to PNG. Prints the median wall
time and CPU time of a redraw over all changes; the target is under 100 ms.

Run:  .venv/bin/python benchmarks/bench_explorer.py [--changes 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=60, help="slider changes (>= 30)")
    parser.add_argument("--methods", default="SGD,Momentum,Adam")
    parser.add_argument("--objective", default="ellipse")
    args = parser.parse_args()
    changes = max(30, args.changes)

    import matplotlib

    matplotlib.use("Agg")
    from optbook.explorer import explore

    app = explore(methods=args.methods.split(","), objective=args.objective, steps=80)
    # the sliders moved in turn: each method's first two hyper-parameters, steps, start point
    targets = [s for name in app.methods for s in list(app.sliders[name].values())[:2]]
    targets += [app.steps_slider, *app.start_sliders]

    wall, cpu = [], []
    for k in range(changes):
        slider = targets[k % len(targets)]
        lo, hi = slider.min, slider.max
        fraction = 0.2 + 0.6 * ((k * 0.37) % 1.0)
        new = lo + fraction * (hi - lo)          # FloatLogSlider: min/max are exponents
        value = slider.base ** new if hasattr(slider, "base") else new
        if isinstance(slider.value, int):
            value = int(round(value))
        if value == slider.value:
            continue
        before = app.redraw_count
        w0, c0 = time.perf_counter(), time.process_time()
        slider.value = value
        w1, c1 = time.perf_counter(), time.process_time()
        assert app.redraw_count == before + 1, "a slider change did not redraw"
        wall.append(w1 - w0)
        cpu.append(c1 - c0)

    print(f"explorer redraw after a slider change ({len(wall)} changes, "
          f"{args.methods} on {args.objective}, Agg, PNG {len(app.image.value)} bytes)")
    print(f"  median wall time: {statistics.median(wall) * 1000:.1f} ms "
          f"(min {min(wall) * 1000:.1f}, max {max(wall) * 1000:.1f})")
    print(f"  median CPU time:  {statistics.median(cpu) * 1000:.1f} ms")
    print(f"  target: under 100 ms -> {'OK' if statistics.median(wall) < 0.1 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()

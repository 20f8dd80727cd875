"""The main sweep of chapter 13 (a batched learning-rate sweep of an MLP on the digits),
in optlib and in PyTorch on the CPU, timed in one run.

optlib's side is the chapter's own call: ``optlib.train`` with ``optlib.nn.Classification``,
θ of shape (3 seeds, 18 learning rates, P), float32, 20 epochs of minibatches of 64, the
full-data training loss and the test accuracy after every epoch. torch's side trains the same
54 networks batched the same way: parameters of shape (3, 18, fan_in, fan_out) (one slice per
network), forward by broadcasting matmul, gradient by autograd, the SGD or Adam update written
with torch tensor ops (torch.optim cannot give each slice of one tensor its own learning rate),
the same initial weights and the same minibatches (the orders come from the same numpy
generators), the same evaluations.

Run from the repository root with torch installed (a throw-away venv, see README.md)::

    PYTHONPATH=. /tmp/torchvenv/bin/python benchmarks/bench_nn.py

Options: ``--repeats`` (default 3; optlib and torch alternate), ``--methods`` (default
``SGD Adam``), ``--threads`` (default 1: one BLAS thread for numpy and one torch thread;
the chapter runs numpy on one thread too). The script prints each timing, the median ratio
optlib/torch per method and overall, and how far the final training losses of the two sides
differ (float32, so not bit for bit).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

THREADS = "1"
for i, arg in enumerate(sys.argv):  # must be set before numpy is imported
    if arg == "--threads" and i + 1 < len(sys.argv):
        THREADS = sys.argv[i + 1]
os.environ["OPENBLAS_NUM_THREADS"] = THREADS
os.environ["OMP_NUM_THREADS"] = THREADS

import numpy as np  # noqa: E402

import optlib  # noqa: E402
from optlib.nn import MLP, Classification  # noqa: E402

SIZES = [64, 32, 32, 10]
LRS = 10.0 ** (np.arange(-12, 6) / 3)
SEEDS = [0, 1, 2]
EPOCHS, BATCH = 20, 64


def setup():
    split = optlib.datasets.digits_split()
    net = MLP(SIZES, activation="relu")
    data = Classification(net, split.X_train, split.y_train)
    theta0 = net.init(seed=SEEDS, dtype=np.float32)[:, None, :]
    return split, net, data, theta0


def run_optlib(method: str, split, net, data, theta0):
    opt = optlib.SGD(lr=LRS[:, None]) if method == "SGD" else optlib.Adam(lr=LRS[:, None])
    start = time.perf_counter()
    hist = optlib.train(opt, data, theta0, epochs=EPOCHS, batch_size=BATCH, seed=SEEDS,
                        record_every=data.n // BATCH,
                        metrics={"acc": lambda w: net.accuracy(w, split.X_test, split.y_test)})
    return time.perf_counter() - start, hist.epoch_loss[-1]


def run_torch(method: str, split, net, theta0):
    import torch
    import torch.nn.functional as F

    S, L = len(SEEDS), len(LRS)
    layers = net.unflatten(np.broadcast_to(theta0, (S, L, net.size)))
    params = []
    for W, b in layers:
        params += [torch.tensor(np.ascontiguousarray(W)).requires_grad_(),
                   torch.tensor(np.ascontiguousarray(b)).requires_grad_()]
    X = torch.tensor(split.X_train, dtype=torch.float32)
    y = torch.tensor(split.y_train)
    Xt = torch.tensor(split.X_test, dtype=torch.float32)
    yt = torch.tensor(split.y_test)
    lr = torch.tensor(LRS, dtype=torch.float32)
    lr_shapes = [lr.view(1, L, 1, 1) if p.dim() == 4 else lr.view(1, L, 1) for p in params]
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    b1, b2, delta = 0.9, 0.999, 1e-8

    def logits(inputs):  # inputs (..., n, 64) broadcast against (S, L)
        a = inputs
        for k in range(0, len(params), 2):
            a = a @ params[k] + params[k + 1].unsqueeze(-2)
            if k < len(params) - 2:
                a = torch.relu(a)
        return a

    def mean_ce(z, labels):  # z (S, L, n, C), labels (S, 1, n) or (n,)
        labels = labels.expand(z.shape[:-1])
        return F.cross_entropy(z.reshape(-1, z.shape[-1]), labels.reshape(-1),
                               reduction="none").view(z.shape[:-1]).mean(-1)

    rngs = [np.random.default_rng(s) for s in SEEDS]
    n, per_epoch = X.shape[0], X.shape[0] // BATCH
    start = time.perf_counter()
    t = 0
    with torch.no_grad():
        losses = [mean_ce(logits(X), y)]
    for _ in range(EPOCHS):
        order = torch.tensor(np.stack([rng.permutation(n) for rng in rngs]))
        for b in range(per_epoch):
            rows = order[:, b * BATCH:(b + 1) * BATCH]  # (S, B): one row set per seed
            loss = mean_ce(logits(X[rows].unsqueeze(1)), y[rows].unsqueeze(1)).sum()
            grads = torch.autograd.grad(loss, params)
            t += 1
            with torch.no_grad():
                for p, g, eps, (v, s) in zip(params, grads, lr_shapes, moments, strict=True):
                    if method == "SGD":
                        p -= eps * g
                    else:
                        v.mul_(b1).add_(g, alpha=1 - b1)
                        s.mul_(b2).addcmul_(g, g, value=1 - b2)
                        p -= eps * (v / (1 - b1**t)) / ((s / (1 - b2**t)).sqrt() + delta)
        with torch.no_grad():
            losses.append(mean_ce(logits(X), y))
            (logits(Xt).argmax(-1) == yt).float().mean(-1)
    elapsed = time.perf_counter() - start
    return elapsed, losses[-1].numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--methods", nargs="+", default=["SGD", "Adam"], choices=["SGD", "Adam"])
    parser.add_argument("--threads", default="1")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(int(args.threads))
    split, net, data, theta0 = setup()
    print(f"numpy {np.__version__}, torch {torch.__version__}, threads {args.threads}, "
          f"{len(SEEDS)} seeds x {len(LRS)} learning rates, {EPOCHS} epochs of {BATCH}")
    ratios = []
    for method in args.methods:
        ours, theirs, gaps = [], [], []
        for _ in range(args.repeats):
            t_opt, loss_opt = run_optlib(method, split, net, data, theta0)
            t_torch, loss_torch = run_torch(method, split, net, theta0)
            ours.append(t_opt)
            theirs.append(t_torch)
            ratios.append(t_opt / t_torch)
            ok = np.isfinite(loss_opt) & np.isfinite(loss_torch) & (loss_opt < 1.0)
            gaps.append(float(np.median(np.abs(np.log10(loss_opt[ok] / loss_torch[ok])))))
            print(f"{method:5s} optlib {t_opt:6.2f} s   torch {t_torch:6.2f} s   "
                  f"ratio {t_opt / t_torch:.2f}", flush=True)
        print(f"{method:5s} median: optlib {statistics.median(ours):.2f} s, torch "
              f"{statistics.median(theirs):.2f} s, ratio "
              f"{statistics.median(o / t for o, t in zip(ours, theirs, strict=True)):.2f}; "
              f"final training losses agree to a median factor "
              f"{10 ** statistics.median(gaps):.3f} over the trained runs")
    print(f"overall median ratio optlib/torch: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()

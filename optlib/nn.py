r"""A small multilayer perceptron in numpy, written to be read.

The network with layer sizes ``(d, h_1, …, h_{L-1}, C)`` maps a row of inputs
:math:`a_0 = x \in \mathbb{R}^d` to ``C`` class scores (logits):

.. math::
    z_l = a_{l-1} W_l + b_l, \qquad a_l = \phi(z_l) \quad (l < L), \qquad z_L = a_{L-1} W_L + b_L,

with :math:`W_l` of shape ``(fan_in, fan_out)`` and φ = ReLU or tanh; the last layer is linear.
The loss is the mean softmax cross-entropy (交叉熵) of integer labels :math:`y_i`,

.. math::
    J(\theta) = \frac1n \sum_{i=1}^n \Big(\log \sum_c e^{z_{L,ic}} - z_{L,i y_i}\Big)
    \; + \; \frac{\lambda}{2} \sum_l \lVert W_l \rVert_F^2 .

**The parameter vector θ** (the public layout). All weights and biases live in one flat
float vector, layer by layer: ``θ = [W_1.ravel(), b_1, W_2.ravel(), b_2, …]`` with each ``W_l``
raveled row-major (C order) from shape ``(fan_in, fan_out)``. This is the order of
``torch.nn.Sequential(Linear, …).parameters()`` except that torch stores each weight transposed,
``(fan_out, fan_in)``. :meth:`MLP.unflatten` and :meth:`MLP.flatten` convert between θ and the
list of ``(W, b)`` pairs. Every optimizer of optlib works on θ unchanged; θ of shape ``(K, P)``
evaluates K networks in one call, exactly like a batch of points of a 2-D test function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .objectives import Objective
from .optimizers.base import Array, as_point

ACTIVATIONS = ("relu", "tanh")


def _int_labels(y: Any, n_classes: int, name: str = "y") -> Array:
    y = np.asarray(y)
    if y.dtype == bool or not (np.issubdtype(y.dtype, np.integer)
                               or (np.issubdtype(y.dtype, np.floating)
                                   and np.all(np.isfinite(y)) and np.all(y == np.round(y)))):
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)].ravel()[0]
        raise ValueError(f"{name} holds the label {int(bad)}, outside 0..{n_classes - 1} "
                         f"(the network has {n_classes} outputs)")
    return y


@dataclass(frozen=True)
class MLP:
    """A fully connected network; it holds only the architecture, θ is passed in.

    Args:
        sizes: layer widths ``(d_in, h_1, …, n_classes)``, at least two entries.
        activation: ``"relu"`` or ``"tanh"`` for the hidden layers (the last layer is linear).
    """

    sizes: tuple[int, ...]
    activation: str = "relu"
    shapes: tuple[tuple[int, int], ...] = field(init=False, repr=False)
    offsets: tuple[int, ...] = field(init=False, repr=False)

    def __init__(self, sizes: Sequence[int], activation: str = "relu") -> None:
        sizes = tuple(sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must be at least two positive integers, got {sizes!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        object.__setattr__(self, "sizes", tuple(int(s) for s in sizes))
        object.__setattr__(self, "activation", activation)
        shapes = tuple(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        object.__setattr__(self, "shapes", shapes)
        offsets = [0]
        for fan_in, fan_out in shapes:
            offsets.append(offsets[-1] + fan_in * fan_out + fan_out)
        object.__setattr__(self, "offsets", tuple(offsets))

    # -- the parameter vector ------------------------------------------------------------
    @property
    def size(self) -> int:
        """P, the number of parameters (weights and biases)."""
        return self.offsets[-1]

    @property
    def n_layers(self) -> int:
        return len(self.shapes)

    def unflatten(self, theta: Any) -> list[tuple[Array, Array]]:
        """The ``(W_l, b_l)`` of every layer, in order; views into θ, not copies.

        ``W_l`` has shape ``(..., fan_in, fan_out)`` and ``b_l`` shape ``(..., fan_out)``,
        where ``...`` are θ's leading (batch) axes.
        """
        theta = self._check_theta(theta)
        layers = []
        for (fan_in, fan_out), start in zip(self.shapes, self.offsets, strict=False):
            mid = start + fan_in * fan_out
            W = theta[..., start:mid].reshape(*theta.shape[:-1], fan_in, fan_out)
            layers.append((W, theta[..., mid:mid + fan_out]))
        return layers

    def flatten(self, layers: Sequence[tuple[Any, Any]]) -> Array:
        """Inverse of :meth:`unflatten`: one vector θ (with the layers' batch axes)."""
        if len(layers) != self.n_layers:
            raise ValueError(f"layers must hold {self.n_layers} (W, b) pairs, got {len(layers)}")
        parts = []
        for k, ((W, b), (fan_in, fan_out)) in enumerate(zip(layers, self.shapes, strict=True)):
            W, b = as_point(W), as_point(b)
            if W.shape[-2:] != (fan_in, fan_out) or b.shape[-1:] != (fan_out,):
                raise ValueError(f"layer {k + 1}: W must end in ({fan_in}, {fan_out}) and b in "
                                 f"({fan_out},), got {W.shape} and {b.shape}")
            parts += [W.reshape(*W.shape[:-2], fan_in * fan_out), b]
        batch = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
        return np.concatenate([np.broadcast_to(p, (*batch, p.shape[-1])) for p in parts],
                              axis=-1)

    def groups(self) -> dict[str, Array]:
        """Indices into θ of the weight-matrix entries and of the bias entries.

        For :class:`optlib.Partition` (e.g. weight decay on matrices only).
        """
        is_weight = self.weight_mask().astype(bool)
        return {"weights": np.flatnonzero(is_weight), "biases": np.flatnonzero(~is_weight)}

    def weight_mask(self) -> Array:
        """A vector of shape ``(P,)``: 1.0 on weight-matrix entries, 0.0 on biases."""
        mask = np.zeros(self.size)
        for (fan_in, fan_out), start in zip(self.shapes, self.offsets, strict=False):
            mask[start:start + fan_in * fan_out] = 1.0
        return mask

    def layer_norms(self, v: Any) -> Array:
        """‖W_l‖_F of the weight part of every layer of a θ-shaped vector: shape ``(..., L)``.

        Applied to a gradient it gives the per-layer gradient norms.
        """
        return np.stack([np.sqrt(np.sum(W * W, axis=(-2, -1))) for W, _ in self.unflatten(v)],
                        axis=-1)

    def init(self, seed: int | Sequence[int] = 0, scheme: str = "auto", gain: float = 1.0,
             std: float | None = None, dtype: Any = np.float64) -> Array:
        r"""Random weights, zero biases: θ of shape ``(P,)``, or ``(S, P)`` for S seeds.

        ``scheme="auto"`` picks He for ReLU and Xavier for tanh:

        * He (Kaiming): :math:`W_{ij} \sim \mathcal N(0, 2/\text{fan\_in})`, which keeps the
          mean square of ReLU activations the same from layer to layer;
        * Xavier (Glorot), normal form: :math:`\mathcal N(0, 2/(\text{fan\_in} + \text{fan\_out}))`,
          which keeps the variance of tanh layers near 1 forwards and backwards.

        ``gain`` multiplies every standard deviation (gain < 1: too small, > 1: too large);
        ``std`` replaces them all by one fixed value (the classic ``N(0, 0.01²)``).
        """
        if scheme not in ("auto", "he", "xavier"):
            raise ValueError(f"scheme must be 'auto', 'he' or 'xavier', got {scheme!r}")
        if not np.isfinite(gain) or gain < 0:
            raise ValueError(f"gain must be a finite number ≥ 0, got {gain!r}")
        if std is not None and (not np.isfinite(std) or std < 0):
            raise ValueError(f"std must be a finite number ≥ 0, got {std!r}")
        if not isinstance(seed, (int, np.integer)):
            return np.stack([self.init(s, scheme, gain, std, dtype) for s in seed])
        if scheme == "auto":
            scheme = "he" if self.activation == "relu" else "xavier"
        rng = np.random.default_rng(seed)
        layers = []
        for fan_in, fan_out in self.shapes:
            if std is not None:
                sigma = std
            elif scheme == "he":
                sigma = gain * np.sqrt(2.0 / fan_in)
            else:
                sigma = gain * np.sqrt(2.0 / (fan_in + fan_out))
            layers.append((sigma * rng.standard_normal((fan_in, fan_out)), np.zeros(fan_out)))
        return self.flatten(layers).astype(dtype)

    # -- forward and backward ----------------------------------------------------------------
    def _phi(self, z: Array) -> Array:
        return np.maximum(z, 0) if self.activation == "relu" else np.tanh(z)

    def _dphi(self, z: Array, a: Array) -> Array:
        """φ'(z), from z or from a = φ(z): 1[z > 0] for ReLU, 1 − a² for tanh."""
        return (z > 0).astype(z.dtype) if self.activation == "relu" else 1 - a * a

    def forward(self, theta: Array, X: Array) -> tuple[list[Array], list[Array]]:
        r"""The pre-activations :math:`z_l` and activations :math:`a_l` of every layer.

        :math:`a_0 = X`, :math:`z_l = a_{l-1} W_l + b_l`, :math:`a_l = \phi(z_l)`; the last
        entry of ``zs`` is the logits. ``X`` has shape ``(..., n, d)`` and broadcasts against
        θ's batch axes.
        """
        zs, activations = [], [X]
        layers = self.unflatten(theta)
        for k, (W, b) in enumerate(layers):
            z = activations[-1] @ W + b[..., None, :]
            zs.append(z)
            if k < len(layers) - 1:
                activations.append(self._phi(z))
        return zs, activations

    def backward(self, theta: Array, zs: list[Array], activations: list[Array],
                 dlogits: Array) -> Array:
        r"""Back-propagation: ∂J/∂θ from ∂J/∂z_L, by the chain rule layer by layer.

        With :math:`\delta_l = \partial J/\partial z_l` (one row per example):

        .. math::
            \frac{\partial J}{\partial W_l} = a_{l-1}^\top \delta_l, \qquad
            \frac{\partial J}{\partial b_l} = \textstyle\sum_i \delta_{l,i}, \qquad
            \delta_{l-1} = (\delta_l W_l^\top) \odot \phi'(z_{l-1}).
        """
        layers = self.unflatten(theta)
        batch = np.broadcast_shapes(theta.shape[:-1], dlogits.shape[:-2])
        parts: list[Array] = []
        delta = dlogits
        for k in range(len(layers) - 1, -1, -1):   # layer k + 1 of the docstring
            W, _ = layers[k]
            a_prev = activations[k]
            dW = np.swapaxes(a_prev, -1, -2) @ delta
            db = delta.sum(axis=-2)
            parts[:0] = [np.broadcast_to(dW, (*batch, *dW.shape[-2:])).reshape(*batch, -1),
                         np.broadcast_to(db, (*batch, db.shape[-1]))]
            if k > 0:
                delta = (delta @ np.swapaxes(W, -1, -2)) * self._dphi(zs[k - 1], activations[k])
        return np.concatenate(parts, axis=-1)

    def logits(self, theta: Any, X: Any) -> Array:
        """The class scores z_L, shape ``(..., n, C)``."""
        theta = self._check_theta(theta)
        return self.forward(theta, self._check_X(X).astype(theta.dtype))[0][-1]

    def predict(self, theta: Any, X: Any) -> Array:
        """The predicted class of every row of X, shape ``(..., n)``."""
        return np.argmax(self.logits(theta, X), axis=-1)

    def accuracy(self, theta: Any, X: Any, y: Any) -> Array:
        """The fraction of rows classified correctly, shape θ's batch shape."""
        labels = _int_labels(y, self.sizes[-1])
        return np.mean(self.predict(theta, X) == labels, axis=-1)

    def objective(self, X: Any, y: Any, weight_decay: Any = 0.0) -> Objective:
        """The training loss J(θ) of eq. (module docstring) over all rows of X, as an Objective.

        Value and gradient are batched over θ's leading axes. ``weight_decay`` λ adds the L2
        penalty λ/2 Σ‖W_l‖² on the weight matrices (not on the biases); an array λ of shape
        ``(K, 1)`` gives each of K networks its own λ, like an optimizer's hyper-parameters.
        """
        return Classification(self, X, y, weight_decay).loss()

    # -- checks ----------------------------------------------------------------------------
    def _check_theta(self, theta: Any) -> Array:
        theta = as_point(theta)
        if theta.ndim < 1 or theta.shape[-1] != self.size:
            raise ValueError(f"theta must have shape (..., {self.size}) for sizes {self.sizes}, "
                             f"got {theta.shape}")
        return theta

    def _check_X(self, X: Any) -> Array:
        X = as_point(X)
        if X.ndim < 2 or X.shape[-1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), got {X.shape}")
        if X.shape[-2] == 0:
            raise ValueError("X is empty: it has no rows")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        return X


def _cross_entropy(logits: Array, onehot: Array) -> tuple[Array, Array]:
    r"""Mean cross-entropy over the rows and its gradient ∂J/∂z = (softmax(z) − onehot)/n."""
    n = logits.shape[-2]
    shifted = logits - logits.max(axis=-1, keepdims=True)   # log-sum-exp without overflow
    exp = np.exp(shifted)
    total = exp.sum(axis=-1, keepdims=True)
    log_p = shifted - np.log(total)
    loss = -np.sum(onehot * log_p, axis=(-2, -1)) / n
    return loss, (exp / total - onehot) / n


@dataclass(frozen=True)
class Classification:
    """A labelled data set for an :class:`MLP`: the loss over any subset of rows.

    :func:`optlib.train` draws the minibatches; ``loss(rows)`` returns the Objective over
    those rows. ``rows`` may carry leading axes (one row set per seed), which broadcast
    against θ's batch axes.
    """

    mlp: MLP
    X: Array
    y: Array
    weight_decay: float | Array = 0.0
    onehot: Array = field(init=False, repr=False)

    def __init__(self, mlp: MLP, X: Any, y: Any, weight_decay: Any = 0.0) -> None:
        X = mlp._check_X(X)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n, {mlp.sizes[0]}), got {X.shape}")
        y = _int_labels(y, mlp.sizes[-1])
        if y.shape != X.shape[:1]:
            raise ValueError(f"y must have shape ({X.shape[0]},) like the rows of X, got {y.shape}")
        lam = np.asarray(weight_decay, dtype=np.float64)
        if not np.all(np.isfinite(lam)) or np.any(lam < 0):
            raise ValueError(f"weight_decay must be finite and ≥ 0, got {weight_decay!r}")
        object.__setattr__(self, "mlp", mlp)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "weight_decay", float(lam) if lam.ndim == 0 else lam)
        object.__setattr__(self, "onehot", np.eye(mlp.sizes[-1])[y])

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def dim(self) -> int:
        return self.mlp.size

    def loss(self, rows: Any = None) -> Objective:
        """The mean cross-entropy (+ L2 penalty) over ``rows`` (all rows by default)."""
        X = self.X if rows is None else self.X[rows]
        onehot = self.onehot if rows is None else self.onehot[rows]
        mlp, lam = self.mlp, self.weight_decay
        decay = np.any(lam != 0)
        mask = mlp.weight_mask() if decay else None

        def value(theta: Array) -> Array:
            theta = mlp._check_theta(theta)
            logits = mlp.forward(theta, X.astype(theta.dtype, copy=False))[0][-1]
            loss = _cross_entropy(logits, onehot.astype(theta.dtype, copy=False))[0]
            if decay:  # λ may be an array (..., 1) over θ's batch axes
                loss = loss + 0.5 * np.sum(lam * mask * theta * theta, axis=-1)
            return loss

        def grad(theta: Array) -> Array:
            theta = mlp._check_theta(theta)
            zs, activations = mlp.forward(theta, X.astype(theta.dtype, copy=False))
            dlogits = _cross_entropy(zs[-1], onehot.astype(theta.dtype, copy=False))[1]
            g = mlp.backward(theta, zs, activations, dlogits)
            if decay:
                g = g + lam * mask * theta
            return g

        return Objective(value, grad, name=f"cross-entropy of MLP{mlp.sizes}", dim=mlp.size,
                         info={"mlp": mlp, "weight_decay": lam})

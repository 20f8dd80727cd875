"""optlib: the optimizers of deep learning, written as the formulas of the book.

Everything runs on numpy alone; :mod:`optlib.plotting` imports matplotlib when it is used.
The book's own machinery (questions, figures, widgets) is the separate package ``optbook``.

>>> import optlib
>>> f = optlib.ellipse()
>>> traj = optlib.run(optlib.Momentum(lr=0.4, momentum=0.5), f, [-5.0, -2.0], steps=50)
>>> bool(traj.values[-1] < 1e-6)
True
"""

from . import (
    bounds,
    convex,
    datasets,
    frameworks,
    hessian,
    nn,
    precision,
    schedules,
    theory,
    transforms,
)
from .data import (
    Dataset,
    NoiseScale,
    RangeTest,
    RegressionData,
    TrainHistory,
    gradient_noise_scale,
    lr_range_test,
    make_regression,
    minibatch_grad,
    per_example_grads,
    squared_loss,
    train,
)
from .groups import Partition
from .matrix_view import AsMatrix
from .objectives import (
    Objective,
    beale,
    ellipse,
    numerical_gradient,
    numerical_hessian,
    quadratic,
    rosenbrock,
    rotated_ellipse,
    saddle,
    with_noisy_gradient,
)
from .optimizers import (
    AFTER_ADAM,
    ALL,
    MATRIX,
    NOTES,
    SGD,
    AcceleratedGradient,
    AdaDelta,
    Adafactor,
    AdaGrad,
    Adam,
    Adamax,
    AdamW,
    AMSGrad,
    ArmijoGD,
    HyperParam,
    Lion,
    Momentum,
    Muon,
    NAdam,
    Nesterov,
    Newton,
    Optimizer,
    RAdam,
    RMSProp,
    ScheduleFreeAdamW,
    ScheduleFreeSGD,
    SignSGD,
)
from .run import (
    Trajectory,
    first_above,
    first_below,
    iterate,
    load_state,
    lr_window,
    run,
    save_state,
    settled_below,
    trailing_mean,
)

__version__ = "0.1.0"

__all__ = [
    "AFTER_ADAM", "ALL", "AMSGrad", "AcceleratedGradient", "AdaDelta", "AdaGrad", "Adafactor",
    "Adam", "AdamW", "Adamax", "ArmijoGD", "AsMatrix", "Dataset", "HyperParam", "Lion", "MATRIX",
    "Momentum", "Muon", "NAdam", "NOTES", "Nesterov", "Newton", "NoiseScale", "Objective",
    "Optimizer", "Partition", "RAdam", "RMSProp", "RangeTest", "RegressionData", "SGD",
    "ScheduleFreeAdamW", "ScheduleFreeSGD", "SignSGD", "TrainHistory", "Trajectory", "beale",
    "bounds", "convex", "datasets", "ellipse", "first_above", "first_below", "frameworks",
    "gradient_noise_scale", "hessian", "iterate", "load_state", "lr_range_test", "lr_window",
    "make_regression", "minibatch_grad", "nn", "numerical_gradient", "numerical_hessian",
    "per_example_grads", "precision", "quadratic", "rosenbrock", "rotated_ellipse", "run", "saddle",
    "save_state", "schedules", "settled_below", "squared_loss", "theory", "trailing_mean", "train",
    "transforms", "with_noisy_gradient",
]

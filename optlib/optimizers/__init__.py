"""One module per algorithm, each in the form of the source notes or of its framework."""

from .accelerated import AcceleratedGradient, convex_momentum
from .adadelta import AdaDelta, AdaDeltaState
from .adafactor import Adafactor, AdafactorState, AdafactorVectorState
from .adagrad import AdaGrad, AdaGradState
from .adam import Adam, AdamState
from .adamax import Adamax, AdamaxState
from .adamw import AdamW, AdamWState
from .amsgrad import AMSGrad, AMSGradState
from .base import HyperParam, Optimizer
from .linesearch import ArmijoGD, ArmijoState, backtracking
from .lion import Lion, LionState
from .momentum import Momentum, MomentumState
from .muon import Muon, MuonState, newton_schulz
from .nadam import NAdam, NAdamState
from .nesterov import Nesterov, NesterovState
from .newton import Newton, NewtonState, newton_direction
from .radam import RAdam, RAdamState
from .rmsprop import RMSProp, RMSPropState
from .schedule_free import (
    ScheduleFreeAdamW,
    ScheduleFreeAdamWState,
    ScheduleFreeSGD,
    ScheduleFreeSGDState,
)
from .sgd import SGD, SGDState
from .signsgd import SignSGD, SignSGDState

#: The update rules of chapters 1-8, in order (gradient descent and SGD share one class;
#: AdamW, Adam with decoupled weight decay, comes with chapter 8).
NOTES = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, AdamW)
#: The element-wise rules of part V (after Adam), each coordinate on its own like the notes'.
AFTER_ADAM = (AMSGrad, NAdam, RAdam, Adamax, SignSGD, Lion, ScheduleFreeSGD, ScheduleFreeAdamW)
#: Every element-wise optimizer, the ones the explorer, the web figures and the tables offer.
ALL = NOTES + AFTER_ADAM
#: Optimizers that treat the last two axes of θ as one matrix (batch axes in front); they
#: are not element-wise, so a 2-D toy point is a 1 × 2 matrix (Muon) or a vector (Adafactor).
MATRIX = (Adafactor, Muon)

#: The methods of chapter 12 (convex theory), which are not in ALL (the explorer and tables).
CONVEX = (AcceleratedGradient, ArmijoGD, Newton)

__all__ = ["AFTER_ADAM", "ALL", "MATRIX", "NOTES", "SGD", "Momentum", "Nesterov",
           "AdaGrad", "RMSProp", "AdaDelta", "Adam", "AdamW", "AMSGrad", "NAdam", "RAdam",
           "Adamax", "SignSGD", "Lion", "ScheduleFreeSGD", "ScheduleFreeAdamW", "Adafactor",
           "Muon", "newton_schulz", "HyperParam", "Optimizer", "SGDState", "MomentumState",
           "NesterovState", "AdaGradState", "RMSPropState", "AdaDeltaState", "AdamState",
           "AdamWState", "AMSGradState", "NAdamState", "RAdamState", "AdamaxState",
           "SignSGDState", "LionState", "ScheduleFreeSGDState", "ScheduleFreeAdamWState",
           "AdafactorState", "AdafactorVectorState", "MuonState",
           "AcceleratedGradient", "ArmijoGD", "ArmijoState", "CONVEX", "Newton",
           "NewtonState", "backtracking", "convex_momentum", "newton_direction"]

"""One module per algorithm, each in the form of the source notes."""

from .adadelta import AdaDelta, AdaDeltaState
from .adagrad import AdaGrad, AdaGradState
from .adam import Adam, AdamState
from .adamw import AdamW, AdamWState
from .base import HyperParam, Optimizer
from .momentum import Momentum, MomentumState
from .nesterov import Nesterov, NesterovState
from .rmsprop import RMSProp, RMSPropState
from .sgd import SGD, SGDState

#: The update rules of chapters 1-8, in order (gradient descent and SGD share one class;
#: AdamW, Adam with decoupled weight decay, comes with chapter 8).
ALL = (SGD, Momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, AdamW)
STATE_TYPES = (SGDState, MomentumState, NesterovState, AdaGradState, RMSPropState,
               AdaDeltaState, AdamState, AdamWState)

__all__ = ["ALL", "STATE_TYPES", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp",
           "AdaDelta", "Adam", "AdamW", "HyperParam", "Optimizer", "SGDState", "MomentumState",
           "NesterovState", "AdaGradState", "RMSPropState", "AdaDeltaState", "AdamState",
           "AdamWState"]

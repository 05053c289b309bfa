"""Exercise 05: pick what trains and how fast, per transfer-learning mode. Lesson: exercises/05/README.md."""

from typing import Literal

import torch
from torch import nn

Mode = Literal["feature_extraction", "fine_tuning"]


def configure(model: nn.Module, num_classes: int, mode: Mode) -> tuple[nn.Module, torch.optim.Optimizer]:
    """Swap resnet18's head for `num_classes` classes and return `(model, optimizer)` for `mode`.

    "feature_extraction": backbone frozen, optimizer over the head only, learning rate about 1e-3.
    "fine_tuning": everything trainable, optimizer over every parameter, learning rate 10x lower or more
    (in every param group, if you use several). The optimizer is torch.optim.Adam, and the model
    returned is the one given, changed in place. Any other mode raises ValueError with a message
    that names both valid modes.
    """
    # TODO: reject an unknown mode with ValueError before touching the model
    # TODO: feature extraction only: freeze every parameter (before the head swap)
    # TODO: replace model.fc with nn.Linear(model.fc.in_features, num_classes)
    # TODO: build torch.optim.Adam over the parameters that should train, with this mode's learning rate
    raise NotImplementedError("exercise 05: see exercises/05/README.md")

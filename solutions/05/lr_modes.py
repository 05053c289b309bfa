"""Exercise 05, reference solution: pick what trains and how fast, per transfer-learning mode."""

from typing import Literal

import torch
from torch import nn

Mode = Literal["feature_extraction", "fine_tuning"]

# A fresh head can take brisk steps; pretrained weights need small ones or their features are lost.
LEARNING_RATES: dict[str, float] = {"feature_extraction": 1e-3, "fine_tuning": 1e-4}


def configure(model: nn.Module, num_classes: int, mode: Mode) -> tuple[nn.Module, torch.optim.Optimizer]:
    """Swap resnet18's head for `num_classes` classes and return `(model, optimizer)` for `mode`.

    "feature_extraction": backbone frozen, optimizer over the head only, learning rate about 1e-3.
    "fine_tuning": everything trainable, optimizer over every parameter, learning rate 10x lower or more
    (in every param group, if you use several). The optimizer is torch.optim.Adam, and the model
    returned is the one given, changed in place. Any other mode raises ValueError with a message
    that names both valid modes.
    """
    if mode not in LEARNING_RATES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(map(repr, LEARNING_RATES))}")
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    trainable = [p for p in model.parameters() if p.requires_grad]
    return model, torch.optim.Adam(trainable, lr=LEARNING_RATES[mode])

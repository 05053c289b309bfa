"""Exercise 04, reference solution: give the optimizer exactly the parameters that should learn."""

import torch
from torch import nn


def make_optimizer(model: nn.Module, lr: float = 1e-3, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """An Adam optimizer over exactly the parameters of `model` that require grad, nothing else.

    Whatever is frozen (the whole backbone, or only part of it) stays out of the optimizer.
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(trainable, lr=lr, weight_decay=weight_decay)


def prepare(model: nn.Module, num_classes: int, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    """Get a pretrained resnet ready for feature extraction; return `(model, optimizer)`.

    The backbone is frozen, `model.fc` is a new head for `num_classes` classes, and the optimizer
    (from make_optimizer, with this lr) holds the new head and nothing else.
    """
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)  # last: the optimizer must see the new head

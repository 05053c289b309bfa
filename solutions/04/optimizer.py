"""Exercise 04, reference solution: give the optimizer exactly the parameters that should learn."""

import torch
from torch import nn


def make_optimizer(model: nn.Module, lr: float = 1e-3, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """A torch.optim.Adam over exactly the parameters of `model` that require grad, nothing else.

    Whatever is frozen (the whole backbone, or only part of it) stays out of the optimizer. It reads
    the requires_grad flags and changes none of them; Adam's own options (foreach=, fused=) are free.
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(trainable, lr=lr, weight_decay=weight_decay)


def prepare(model: nn.Module, num_classes: int, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    """Get a pretrained resnet ready for feature extraction; return `(model, optimizer)`.

    The backbone is frozen, `model.fc` is a new head for `num_classes` classes, and the optimizer
    (from make_optimizer, with this lr) holds the new head and nothing else. The model returned is
    the one given, changed in place, not a copy or a new model.
    """
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)  # last: the optimizer must see the new head

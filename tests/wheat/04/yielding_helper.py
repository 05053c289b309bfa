"""A generator function names the idea; a list keeps it reusable; the settings go by keyword."""

from collections.abc import Iterator

import torch
from torch import nn


def trainable_parameters(model: nn.Module) -> Iterator[nn.Parameter]:
    for param in model.parameters():
        if param.requires_grad:
            yield param


def make_optimizer(model: nn.Module, lr: float = 1e-3, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    params = list(trainable_parameters(model))
    return torch.optim.Adam(params=params, lr=float(lr), weight_decay=weight_decay, amsgrad=False)


def prepare(model: nn.Module, num_classes: int, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    model.apply(lambda module: module.requires_grad_(False))
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr)

"""Hands Adam a generator straight away (it reads it once, which is all it needs) and uses the fused kernel."""

import torch
from torch import nn


def make_optimizer(model: nn.Module, lr: float = 1e-3, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    return torch.optim.Adam((p for p in model.parameters() if p.requires_grad), lr=lr,
                            weight_decay=weight_decay, fused=True)


def prepare(model: nn.Module, num_classes: int, lr: float = 1e-3) -> tuple[nn.Module, torch.optim.Optimizer]:
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

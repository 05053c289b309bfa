"""Gets the optimizer right but forgets to freeze in prepare: every parameter trains."""

GOTCHA = r"^60 backbone params still require grad"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

"""prepare swaps the head first and freezes afterwards: the new head is frozen too, the optimizer gets nothing."""

GOTCHA = r"(?s)empty parameter list.*the freeze came after the head\s+swap and caught the new head too"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    for param in model.parameters():
        param.requires_grad = False
    return model, make_optimizer(model, lr=lr)

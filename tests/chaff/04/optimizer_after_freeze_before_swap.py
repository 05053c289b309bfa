"""Builds the optimizer right after the freeze, before the new head exists: it gets no parameters at all."""

GOTCHA = r"(?s)empty parameter list.*none required grad when it was built"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad = False
    optimizer = make_optimizer(model, lr=lr)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, optimizer

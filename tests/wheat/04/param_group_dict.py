"""Builds one explicit param group holding its own lr and weight decay."""

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    group = {
        "params": [p for p in model.parameters() if p.requires_grad],
        "lr": lr,
        "weight_decay": weight_decay,
    }
    return torch.optim.Adam([group])


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

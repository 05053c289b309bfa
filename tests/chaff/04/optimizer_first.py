"""Builds the optimizer first, while everything is still trainable, then freezes and swaps the head."""

GOTCHA = r"lacks 2 of the 2 params that should train: fc.weight, fc.bias.*built before the head swap"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    optimizer = make_optimizer(model, lr=lr)
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, optimizer

"""Counts the trainable params through the filter first, then hands the used-up filter to Adam."""

GOTCHA = r"(?s)empty parameter list.*used up already"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    trainable = filter(lambda p: p.requires_grad, model.parameters())
    print(f"training {sum(p.numel() for p in trainable):,} parameters")
    return torch.optim.Adam(trainable, lr=lr, weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

"""Copies the lesson's `Adam(filter(...), lr=1e-3)` and ignores the lr and weight_decay it is given."""

GOTCHA = r"built an optimizer with lr 0.001.*lr=lr"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

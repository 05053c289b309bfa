"""Uses model.fc.parameters(): right while only the head trains, wrong once more is left trainable."""

GOTCHA = r"lacks \d+ of the \d+ params that should train.*model.fc.parameters\(\) is the head alone"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam(model.fc.parameters(), lr=lr, weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

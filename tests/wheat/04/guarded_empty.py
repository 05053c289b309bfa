"""Refuses loudly when nothing is trainable instead of letting torch say it."""

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise ValueError("nothing to optimize: every parameter is frozen")
    return torch.optim.Adam(trainable, lr=lr, weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for module in model.modules():
        for param in module.parameters(recurse=False):
            param.requires_grad = False
    in_features = model.fc.in_features
    model.fc = nn.Linear(in_features, num_classes)
    return model, make_optimizer(model, lr=lr, weight_decay=0.0)

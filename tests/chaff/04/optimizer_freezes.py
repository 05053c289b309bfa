"""make_optimizer freezes the backbone itself "to be safe", overriding whatever the caller left trainable."""

GOTCHA = r"changed requires_grad on \d+ params .*It should read\s+the flags the caller set, not set them"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("fc.")
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

"""Collects the trainable params by name and prints what will train."""

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    names, params = [], []
    for name, param in model.named_parameters():
        if param.requires_grad:
            names.append(name)
            params.append(param)
    print(f"optimizing {len(params)} tensors: {', '.join(names[:3])}{' ...' if len(names) > 3 else ''}")
    return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    for name, param in model.named_parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)

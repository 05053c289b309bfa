"""Moves the prepared model to the available device before building the optimizer over it."""

import torch
from torch import nn

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    model = model.to(DEVICE)  # Module.to moves in place and returns the same model
    return model, make_optimizer(model, lr=lr)

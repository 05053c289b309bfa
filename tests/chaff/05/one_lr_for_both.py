"""Gets what trains right in both modes but uses one learning rate, 1e-3, for both of them."""

GOTCHA = r"one learning rate for both modes"

import torch
from torch import nn

LR = 1e-3


def configure(model, num_classes, mode):
    if mode not in ("feature_extraction", "fine_tuning"):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LR)

"""Freezes the backbone in both modes, so "fine-tuning" only ever trains the head (at a tiny rate)."""

GOTCHA = r"fine-tuning mode \d+ params are still frozen"

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode not in ("feature_extraction", "fine_tuning"):
        raise ValueError(f"unknown mode {mode!r}")
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    lr = 1e-3 if mode == "feature_extraction" else 1e-4
    return model, torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=lr)

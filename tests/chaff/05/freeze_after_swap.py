"""Swaps the head before the feature-extraction freeze, so the optimizer finds nothing to train."""

GOTCHA = r"(?s)empty parameter list.*the freeze came after the head\s+swap"

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode not in ("feature_extraction", "fine_tuning"):
        raise ValueError(f"unknown mode {mode!r}: use 'feature_extraction' or 'fine_tuning'")
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    if mode == "feature_extraction":
        model.requires_grad_(False)
    lr = 1e-3 if mode == "feature_extraction" else 1e-4
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)

"""Unfreezes everything for fine-tuning but still hands the optimizer only the head's params."""

GOTCHA = r"optimizer lacks \d+ of the \d+ params.*model\.parameters\(\)"

import torch
from torch import nn


def configure(model, num_classes, mode):
    if mode not in ("feature_extraction", "fine_tuning"):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    lr = 1e-3 if mode == "feature_extraction" else 1e-4
    return model, torch.optim.Adam(model.fc.parameters(), lr=lr)

"""Keeps the 10x ratio but from a high start: 1e-2 for the head, 1e-3 for every pretrained weight."""

GOTCHA = r"lr=0\.001\. With every pretrained weight learning.*erase the pretrained features"

import torch
from torch import nn

LEARNING_RATES = {"feature_extraction": 1e-2, "fine_tuning": 1e-3}


def configure(model, num_classes, mode):
    if mode not in LEARNING_RATES:
        raise ValueError(f"unknown mode {mode!r}")
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATES[mode])

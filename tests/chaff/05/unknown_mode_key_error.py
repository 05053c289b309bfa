"""Looks the mode up in a dict and lets the KeyError escape instead of raising ValueError."""

GOTCHA = r"raised KeyError.*raise ValueError"

import torch
from torch import nn

LEARNING_RATES = {"feature_extraction": 1e-3, "fine_tuning": 1e-4}


def configure(model, num_classes, mode):
    lr = LEARNING_RATES[mode]
    if mode == "feature_extraction":
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
